package parse

import (
	"math"
	"sort"

	"github.com/manglecheck/manglecheck/analyzer/jstoken"
)

// The scanner below finds where a large bundle can be cut into pieces that
// goja parses concurrently (see chunked.go). It reads the bundle's tokens
// from a jstoken.Lexer, which follows brackets, strings, templates, regular
// expressions and comments; the scanner adds what a `{` opens (a function
// body, and of which kind) and the top-level statement starts of function
// bodies. Whenever the token stream is unsure (a `/` after `}` or `++`,
// `yield /`, non-ASCII or `\` outside literals, anything unterminated) it
// gives up and the bundle is parsed whole.

// frame is an open bracket: ( [ {, or $ for a template's ${.
type frame struct {
	open byte
	// For (: what the tokens before it make of the ) that closes it: async
	// for `async(` (an async arrow's parameters), fn, fnAsync and fnGen for
	// `[async] function [*] [name](`.
	// For {: fn, fnAsync and fnGen for the body of a function or arrow, with
	// the context goja parses it in (parseFunctionBlock's async and
	// allowYield).
	async, fn, fnAsync, fnGen bool
	start                     int32 // offset of the bracket
	cand                      int32 // for a function body: where its statement starts begin in scanner.cands
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
	tokens *jstoken.Lexer
	r      [4]jstoken.Token // the last tokens, a ring: r[ri] is the latest
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
	// MaxDepth: Lower rejects deeper text; the scan may run before it does.
	s := &scanner{src: src, min: minSpan,
		tokens: jstoken.NewLexer(src, jstoken.Options{ASCIIOnly: true, MaxDepth: MaxNesting})}
	if !s.run() {
		return nil
	}
	return append([]body{{open: -1, end: len(src), cands: s.cands}}, s.big...)
}

func (s *scanner) push(t jstoken.Token) {
	s.ri = (s.ri + 1) & 3
	s.r[s.ri] = t
}

// prev is the token k before the latest (0: the latest).
func (s *scanner) prev(k int) jstoken.Token { return s.r[(s.ri-k)&3] }

// word is the text of t if it is an identifier or keyword, else "".
func (s *scanner) word(t jstoken.Token) string {
	if t.Kind != jstoken.Ident {
		return ""
	}
	return s.src[t.Start:t.End]
}

// isPunct reports whether t is the punctuator p.
func (s *scanner) isPunct(t jstoken.Token, p string) bool {
	return t.Kind == jstoken.Punct && s.src[t.Start:t.End] == p
}

// run scans the whole text; false means "do not split".
func (s *scanner) run() bool {
	for {
		t := s.tokens.Next()
		switch t.Kind {
		case jstoken.EOF:
			return len(s.stack) == 0
		case jstoken.Invalid:
			return false
		case jstoken.Ident:
			if p := s.prev(0); p.Kind == jstoken.Punct && p.End-p.Start == 1 && s.src[p.Start] == ';' {
				if w := s.src[t.Start:t.End]; w != "else" && w != "while" {
					s.candidate(t.Start)
				}
			}
		case jstoken.Punct:
			s.punct(t)
		case jstoken.TemplateHead:
			s.stack = append(s.stack, frame{open: '$', start: int32(t.End - 2)})
		case jstoken.TemplateTail:
			s.stack = s.stack[:len(s.stack)-1]
		}
		s.push(t)
	}
}

// punct follows the brackets and arrows the punctuator t opens or closes;
// the token stream has checked that each closer matches its opener.
func (s *scanner) punct(t jstoken.Token) {
	switch c := s.src[t.Start]; c {
	case '(', '[', '{':
		s.open(c, t.Start)
	case ')':
		s.last = s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
	case ']':
		s.stack = s.stack[:len(s.stack)-1]
	case '}':
		s.closeBrace(t.Start)
	case '=':
		if t.End-t.Start == 2 && s.src[t.Start+1] == '>' {
			s.arrowA = false
			switch p := s.prev(0); p.Kind {
			case jstoken.Punct:
				s.arrowA = s.src[p.Start] == ')' && s.last.async
			case jstoken.Ident:
				s.arrowA = s.word(s.prev(1)) == "async"
			}
		}
	}
}

// open pushes the frame of the bracket c at offset i.
func (s *scanner) open(c byte, i int) {
	f := frame{open: c, start: int32(i)}
	switch p := s.prev(0); {
	case c == '(':
		s.paren(&f)
	case c == '{' && s.isPunct(p, "=>"):
		f.fn, f.fnAsync = true, s.arrowA
	case c == '{' && s.isPunct(p, ")"):
		f.fn, f.fnAsync, f.fnGen = s.last.fn, s.last.fnAsync, s.last.fnGen
	}
	if f.fn {
		f.cand = int32(len(s.cands))
	}
	s.stack = append(s.stack, f)
}

// closeBrace pops the { closed at offset i, recording a function body that
// spans at least s.min bytes.
func (s *scanner) closeBrace(i int) {
	f := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	if !f.fn {
		return
	}
	if i-int(f.start) >= s.min {
		s.big = append(s.big, body{open: int(f.start), end: i, async: f.fnAsync, gen: f.fnGen,
			cands: append([]int(nil), s.cands[f.cand:]...)})
	}
	s.cands = s.cands[:f.cand]
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
	if p0.Kind != jstoken.Ident && !s.isPunct(p0, "*") {
		return
	}
	w := s.word(p0)
	if w == "async" {
		f.async = !s.isDot(s.prev(1))
	}
	// `[async] function [*] [name] (`, read backwards.
	j := 0
	if w != "" && w != "function" {
		j++ // the name
	}
	if s.isPunct(s.prev(j), "*") {
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

// isDot reports whether t is `.` or `?.`.
func (s *scanner) isDot(t jstoken.Token) bool { return s.isPunct(t, ".") || s.isPunct(t, "?.") }

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
