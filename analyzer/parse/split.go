package parse

import (
	"math"
	"sort"
)

// The scanner below finds where a large bundle can be cut into pieces that
// goja parses concurrently (see chunked.go). It only needs bracket depth,
// the extent of strings, templates, regular expressions and comments, and
// the top-level statement starts of function bodies; whenever it is unsure
// (a `/` after `}` or `++`, `yield /`, non-ASCII or `\` outside literals,
// anything unterminated) it gives up and the bundle is parsed whole.

// token kinds, as far as the regex-or-division decision needs them.
const (
	tNone         = iota // start of text
	tPunct               // an operator or ( [ { , : ? …: a `/` after it starts a regex
	tSemi                // ;
	tArrow               // =>
	tIdent               // identifier or keyword, text in src[start:end]
	tValue               // number, string, template, regex: a `/` after it divides
	tCloseParen          // )
	tCloseBracket        // ]
	tCloseBrace          // }
	tIncDec              // ++ --
	tDot                 // . ?.
)

type tok struct {
	kind       uint8
	start, end int32
}

// frame is an open bracket: ( [ {, or $ for a template's ${.
type frame struct {
	open byte
	// For (: what the tokens before it make of the ) that closes it:
	// kw for if/while/for/with (a `/` after the ) starts a regex), async
	// for `async(` (an async arrow's parameters), fn, fnAsync and fnGen for
	// `[async] function [*] [name](`.
	// For {: fn, fnAsync and fnGen for the body of a function or arrow, with
	// the context goja parses it in (parseFunctionBlock's async and
	// allowYield).
	kw, async, fn, fnAsync, fnGen bool
	start                         int32 // offset of the bracket
	cand                          int32 // for a function body: where its statement starts begin in scanner.cands
}

// body is a statement list the scanner can cut: the program (open -1, end
// len(src)) or a function body from the { at open to the } at end.
type body struct {
	open, end  int
	async, gen bool
	// cands are offsets of top-level statements of the body that can start a
	// piece: an ASCII identifier or keyword other than else and while right
	// after a `;` at the body's own depth.
	cands []int
}

type scanner struct {
	src    string
	i      int
	r      [4]tok // the last tokens, a ring: r[ri] is the latest
	ri     int
	stack  []frame
	last   frame // the ( closed last
	arrowA bool  // the latest => belongs to an async arrow
	cands  []int
	big    []body // function bodies at least minSpan long
	min    int
}

// scanBodies returns the program and every function body spanning at least
// minSpan bytes, with their cut candidates, or nil if src confuses the
// scanner.
func scanBodies(src string, minSpan int) []body {
	if len(src) > math.MaxInt32 { // offsets are int32
		return nil
	}
	s := &scanner{src: src, min: minSpan}
	if !s.run() {
		return nil
	}
	return append([]body{{open: -1, end: len(src), cands: s.cands}}, s.big...)
}

func (s *scanner) push(kind uint8, start, end int) {
	s.ri = (s.ri + 1) & 3
	s.r[s.ri] = tok{kind, int32(start), int32(end)}
}

// prev is the token k before the latest (0: the latest).
func (s *scanner) prev(k int) tok { return s.r[(s.ri-k)&3] }

func (s *scanner) word(t tok) string {
	if t.kind != tIdent {
		return ""
	}
	return s.src[t.start:t.end]
}

// regexOK reports whether a `/` now starts a regular expression; ok is
// false when the scanner cannot tell.
func (s *scanner) regexOK() (regex, ok bool) {
	switch p := s.prev(0); p.kind {
	case tNone, tPunct, tSemi, tArrow:
		return true, true
	case tValue, tCloseBracket:
		return false, true
	case tCloseParen: // if(x)/re/.test(y) but f(x)/2
		return s.last.kw, true
	case tIdent:
		if s.prev(1).kind == tDot { // a property name: a.return/2
			return false, true
		}
		switch s.word(p) {
		case "return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case", "do", "else":
			return true, true
		case "yield", "await", "of", "let", "async", "get", "set", "static", "default":
			return false, false
		}
		return false, true
	}
	return false, false // } ++ -- . ?.
}

var identByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$'
	}
	return t
}()

func isIdentByte(c byte) bool { return identByte[c] }

// run scans the whole text; false means "do not split".
func (s *scanner) run() bool {
	src := s.src
	n := len(src)
	if n >= 2 && src[0] == '#' && src[1] == '!' { // hashbang, goja skips it
		s.i = s.lineEnd(2)
	}
	for s.i < n {
		i := s.i
		c := src[i]
		if identByte[c] && (c < '0' || c > '9') { // the commonest token first
			j, ok := identEnd(src, i+1)
			if !ok {
				return false
			}
			s.i = j
			if s.prev(0).kind == tSemi {
				if w := src[i:j]; w != "else" && w != "while" {
					s.candidate(i)
				}
			}
			s.push(tIdent, i, j)
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			s.i++
		case '/':
			switch {
			case i+1 < n && src[i+1] == '/':
				s.i = s.lineEnd(i + 2)
			case i+1 < n && src[i+1] == '*':
				e := indexFrom(src, i+2, "*/")
				if e < 0 {
					return false
				}
				s.i = e + 2
			default:
				regex, ok := s.regexOK()
				if !ok {
					return false
				}
				if !regex {
					s.i++
					s.push(tPunct, i, i+1)
					continue
				}
				if !s.regex() {
					return false
				}
				s.push(tValue, i, s.i)
			}
		case '\'', '"':
			if !s.str(c) {
				return false
			}
			s.push(tValue, i, s.i)
		case '`':
			s.i++
			if !s.template() {
				return false
			}
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			s.number()
			s.push(tValue, i, s.i)
		case '#':
			j, ok := identEnd(src, i+1)
			if !ok {
				return false
			}
			s.i = j
			s.push(tIdent, i, j)
		case '(', '[', '{':
			if len(s.stack) >= MaxNesting { // Lower rejects the text; the scan may run before it does
				return false
			}
			f := frame{open: c, start: int32(i)}
			switch {
			case c == '(':
				s.paren(&f)
			case c == '{' && s.prev(0).kind == tArrow:
				f.fn, f.fnAsync = true, s.arrowA
			case c == '{' && s.prev(0).kind == tCloseParen:
				f.fn, f.fnAsync, f.fnGen = s.last.fn, s.last.fnAsync, s.last.fnGen
			}
			if f.fn {
				f.cand = int32(len(s.cands))
			}
			s.stack = append(s.stack, f)
			s.i++
			s.push(tPunct, i, i+1)
		case ')', ']':
			want := byte('(')
			if c == ']' {
				want = '['
			}
			if len(s.stack) == 0 || s.stack[len(s.stack)-1].open != want {
				return false
			}
			f := s.stack[len(s.stack)-1]
			s.stack = s.stack[:len(s.stack)-1]
			s.i++
			if c == ')' {
				s.last = f
				s.push(tCloseParen, i, i+1)
			} else {
				s.push(tCloseBracket, i, i+1)
			}
		case '}':
			if len(s.stack) == 0 {
				return false
			}
			f := s.stack[len(s.stack)-1]
			s.stack = s.stack[:len(s.stack)-1]
			s.i++
			switch f.open {
			case '$':
				if !s.template() {
					return false
				}
			case '{':
				if f.fn {
					if i-int(f.start) >= s.min {
						s.big = append(s.big, body{open: int(f.start), end: i, async: f.fnAsync, gen: f.fnGen,
							cands: append([]int(nil), s.cands[f.cand:]...)})
					}
					s.cands = s.cands[:f.cand]
				}
				s.push(tCloseBrace, i, i+1)
			default:
				return false
			}
		case ';':
			s.i++
			s.push(tSemi, i, i+1)
		case '=':
			if i+1 < n && src[i+1] == '>' {
				s.arrowA = false
				switch p := s.prev(0); p.kind {
				case tCloseParen:
					s.arrowA = s.last.async
				case tIdent:
					s.arrowA = s.word(s.prev(1)) == "async"
				}
				s.i += 2
				s.push(tArrow, i, i+2)
				continue
			}
			s.i++
			s.push(tPunct, i, i+1)
		case '+', '-':
			if i+1 < n && src[i+1] == c {
				s.i += 2
				s.push(tIncDec, i, i+2)
				continue
			}
			s.i++
			s.push(tPunct, i, i+1)
		case '.':
			switch {
			case i+1 < n && src[i+1] >= '0' && src[i+1] <= '9':
				s.number()
				s.push(tValue, i, s.i)
			case i+2 < n && src[i+1] == '.' && src[i+2] == '.':
				s.i += 3
				s.push(tPunct, i, i+3)
			default:
				s.i++
				s.push(tDot, i, i+1)
			}
		case '?':
			if i+1 < n && src[i+1] == '.' && !(i+2 < n && src[i+2] >= '0' && src[i+2] <= '9') {
				s.i += 2
				s.push(tDot, i, i+2)
				continue
			}
			s.i++
			s.push(tPunct, i, i+1)
		default:
			if c >= 0x80 || c == '\\' || c < ' ' {
				return false // Unicode spaces or identifiers, escapes, control characters
			}
			// any other operator byte; multi-byte operators need no joining here
			s.i++
			s.push(tPunct, i, i+1)
		}
	}
	return len(s.stack) == 0
}

// candidate records a possible piece start at offset i, a statement right
// after a `;`, if the innermost bracket is a function body or none.
func (s *scanner) candidate(i int) {
	if len(s.stack) == 0 || s.stack[len(s.stack)-1].fn {
		s.cands = append(s.cands, i)
	}
}

// paren fills in f, a ( frame, from the tokens before the (.
func (s *scanner) paren(f *frame) {
	p0 := s.prev(0)
	if p0.kind != tIdent && !(p0.kind == tPunct && s.src[p0.start] == '*') {
		return
	}
	w := s.word(p0)
	dot := s.prev(1).kind == tDot
	switch w {
	case "if", "while", "for", "with":
		f.kw = !dot
	case "async":
		f.async = !dot
	}
	// `[async] function [*] [name] (`, read backwards.
	j := 0
	if w != "" && w != "function" {
		j++ // the name
	}
	if t := s.prev(j); t.kind == tPunct && t.end == t.start+1 && s.src[t.start] == '*' {
		f.fnGen = true
		j++
	}
	if j > 2 || s.word(s.prev(j)) != "function" {
		f.fnGen = false
		return
	}
	f.fn = true
	f.fnAsync = j+1 <= 3 && s.word(s.prev(j+1)) == "async"
}

// lineEnd returns the offset of the line terminator ending the comment
// that runs from i (\n, \r, U+2028, U+2029), or len(src).
func (s *scanner) lineEnd(i int) int {
	src := s.src
	for ; i < len(src); i++ {
		switch src[i] {
		case '\n', '\r':
			return i
		case 0xE2:
			if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
				return i
			}
		}
	}
	return i
}

// str scans a string literal quoted by q from s.i.
func (s *scanner) str(q byte) bool {
	src := s.src
	for i := s.i + 1; i < len(src); i++ {
		switch src[i] {
		case q:
			s.i = i + 1
			return true
		case '\\':
			i++
			if i+1 < len(src) && src[i] == '\r' && src[i+1] == '\n' {
				i++
			}
		case '\n', '\r':
			return false
		}
	}
	return false
}

// template scans template text from s.i up to its closing backquote (then
// pushes the template as a value) or to a ${ (then opens a $ frame).
func (s *scanner) template() bool {
	src := s.src
	for i := s.i; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '`':
			s.i = i + 1
			s.push(tValue, i, i+1)
			return true
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				if len(s.stack) >= MaxNesting {
					return false
				}
				s.stack = append(s.stack, frame{open: '$', start: int32(i)})
				s.i = i + 2
				s.push(tPunct, i, i+2)
				return true
			}
		}
	}
	return false
}

// regex scans a regular expression literal from the / at s.i.
func (s *scanner) regex() bool {
	src := s.src
	class := false
	for i := s.i + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
			if i < len(src) && (src[i] == '\n' || src[i] == '\r') {
				return false
			}
		case '[':
			class = true
		case ']':
			class = false
		case '/':
			if class {
				continue
			}
			i++
			for i < len(src) && isIdentByte(src[i]) {
				i++
			}
			s.i = i
			return true
		case '\n', '\r':
			return false
		}
	}
	return false
}

// number scans a numeric literal from s.i: digits, letters (0x, n, e),
// underscores, dots, and a sign right after a decimal exponent's e.
func (s *scanner) number() {
	src := s.src
	i := s.i
	hex := i+1 < len(src) && src[i] == '0' && (src[i+1]|0x20 == 'x' || src[i+1]|0x20 == 'b' || src[i+1]|0x20 == 'o')
	for i < len(src) {
		c := src[i]
		switch {
		case isIdentByte(c) || c == '.':
			i++
		case (c == '+' || c == '-') && !hex && src[i-1]|0x20 == 'e':
			i++
		default:
			s.i = i
			return
		}
	}
	s.i = i
}

func indexFrom(s string, from int, sub string) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i] == sub[0] && s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// plan is where to cut: the skeleton is the text with [cuts[0], end)
// blanked; piece k runs from cuts[k] to cuts[k+1] (the last to end).
type plan struct {
	body
	cuts []int
}

// planSplit picks the body and the cuts that divide src into n pieces of
// nearly equal size (none over 1.25 times the mean), or nil.
func planSplit(src string, n int) *plan {
	if n < 2 {
		return nil
	}
	bodies := scanBodies(src, len(src)/2)
	var best *plan
	bestMax := len(src) * 5 / 4 / n
	for _, b := range bodies {
		cuts := pickCuts(b, len(src), n)
		if cuts == nil {
			continue
		}
		if m := maxPiece(b, cuts, len(src)); m <= bestMax {
			best, bestMax = &plan{body: b, cuts: cuts}, m
		}
	}
	return best
}

// pickCuts chooses for k = 1…n-1 the candidate nearest to k/n of the text.
func pickCuts(b body, size, n int) []int {
	var cuts []int
	prev := -1
	for k := 1; k < n; k++ {
		t := size * k / n
		j := sort.SearchInts(b.cands, t)
		c := -1
		if j < len(b.cands) {
			c = b.cands[j]
		}
		if j > 0 && b.cands[j-1] > prev && (c < 0 || t-b.cands[j-1] < c-t) {
			c = b.cands[j-1]
		}
		if c <= prev || c >= b.end {
			return nil
		}
		cuts = append(cuts, c)
		prev = c
	}
	return cuts
}

// maxPiece is the size of the largest piece; the skeleton's is the text
// before the first cut and after the body.
func maxPiece(b body, cuts []int, size int) int {
	m := cuts[0] + size - b.end
	for k, c := range cuts {
		next := b.end
		if k+1 < len(cuts) {
			next = cuts[k+1]
		}
		m = max(m, next-c)
	}
	return m
}

// identEnd returns where the identifier characters from src[j] end, and
// false when an escape or a non-ASCII character follows them (identifiers
// the scanner does not read).
func identEnd(src string, j int) (int, bool) {
	for j < len(src) && identByte[src[j]] {
		j++
	}
	return j, j == len(src) || src[j] != '\\' && src[j] < 0x80
}
