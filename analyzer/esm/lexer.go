package esm

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/manglecheck/manglecheck/analyzer/jstoken"
)

// state is what the previous significant token lets come next. JavaScript
// cannot be tokenized without it: `/` starts a regular expression where an
// operand may start and divides elsewhere, and what a `}` closed (a block
// or an object literal) decides which of the two follows it.
type state uint8

const (
	sStmt  state = iota // statement start: regex allowed, `{` is a block, function/class are declarations
	sExpr               // operand expected: regex allowed, `{` is an object literal
	sOp                 // operand just ended: `/` divides, `{` is a class body or (after ASI) a block
	sProp               // after `.` or `?.`: a property name, never a keyword
	sKey                // property key of an object literal or class body: never a keyword
	sArrow              // after `=>`: `{` is a function body, anything else an expression
)

type frameKind uint8

const (
	fRoot    frameKind = iota // the program: always stack[0]
	fBlock                    // block statement, static block, switch body
	fObject                   // object literal or object pattern
	fClass                    // class body
	fFunc                     // function, method or arrow body
	fTmpl                     // ${ … } of a template literal
	fParen                    // ( … ) of an expression, arguments, arrow parameters
	fHead                     // ( … ) after if/while/for/with/switch/catch
	fParams                   // ( … ) of function or method parameters
	fBracket                  // [ … ]
	fArrow                    // the expression body of an arrow function, closed by no token
)

type frame struct {
	kind    frameKind
	after   state // state after the closing token (fParams: after the body's `}`)
	forHead bool  // fHead of a for statement, where `of` is an operator
	// ternary counts open `?` so their `:` is not taken for a label.
	ternary int32
	// Pending right-recursive constructs, for Options.MaxChain: expr holds
	// assignments, ?:, =>, **, yield (until `,` or a statement start);
	// unary holds prefix operators (until the next binary operator); stmt
	// holds labels, else and if/while/for/with heads (until a statement start).
	expr, unary, stmt int32
}

type kw uint8

const (
	kwNone   kw = iota
	kwHead      // if while with switch catch: `(` opens a statement head
	kwFor       // for: `(` opens a head where `of` is an operator; `await` may sit between
	kwAsync     // async: a following `function` inherits the state before it
	kwPrefix    // else, a label's colon or a head's `)`: the statement that follows is nested
)

type tokKind uint8

const (
	tkEOF      tokKind = iota // the first three are all the main loop looks at
	tkImport                  // `import` that is not import(…) or import.meta
	tkExport                  // `export`
	tkName                    // identifier or keyword
	tkPunct                   // punctuator
	tkString                  // string literal
	tkNumber                  // numeric literal
	tkTemplate                // template literal or a piece of one
	tkRegex                   // regular expression literal
	tkPrivate                 // #name
)

type token struct {
	kind       tokKind
	before     state // the lexer state when the token started
	nl         bool  // a line terminator precedes the token
	start, end int
}

// Bits of scanner.flags: facts about the previous token that the next
// token needs, cleared by every token.
const (
	flBody     uint8 = 1 << iota // it closed parameters: `{` opens a function body (bodyAfter)
	flFn                         // after `function` [*] [name]: `(` opens its parameters
	flStmtName                   // a name at a statement start: a label if `:` follows
)

// scanner tokenizes just enough JavaScript to find module syntax: it tracks
// brackets, what each `{` opened and whether an operand may start, which is
// what regex-vs-division, template and function-body decisions need. It
// never builds an AST and never allocates per token.
type scanner struct {
	src  string
	pos  int
	opts Options
	tok  token // the token lex scanned last

	state       state
	prevKw      kw
	flags       uint8
	asyncBefore state // state before the last `async`
	bodyAfter   state // with flBody: what the function body's `}` leaves
	fnAt        int   // with flFn: the depth of its `(`
	fnAfter     state
	// After `class`, its body is the next `{` at depth classAt.
	classPending bool
	classAt      int
	classAfter   state

	stack   []frame
	opens   [4]int32 // open frames closed by ), ] and }, and open arrow bodies
	fnDepth int      // open function bodies; `await` outside all of them is top-level
	// A regex that ran into the end of its line was a misjudged division;
	// no / before noRegex is taken for a regex again, which keeps a line
	// of such slashes from being rescanned for each of them.
	noRegex int
	chain   int // sum of the pending counters of all frames

	slow      bool  // tests: lex every token, skipping skim's fast paths
	unread    token // handed back by the export declaration walker
	hasUnread bool
	err       error

	out                  strings.Builder
	done                 int // src[:done] has been written to out
	mod                  *Module
	impID, metaID, defID string // synthesized identifiers, chosen on first use
}

func newScanner(src string, opts Options) *scanner {
	return &scanner{src: src, opts: opts, stack: make([]frame, 1, 32)}
}

func (s *scanner) top() *frame { return &s.stack[len(s.stack)-1] }

// run scans the whole input, lowering module items at the top level. The
// loop only looks at the rare tokens lex marks as import, export or EOF.
func (s *scanner) run() error {
	for {
		if s.slow {
			s.lex()
		} else {
			s.skim()
		}
		if s.tok.kind > tkExport {
			continue
		}
		for t := s.tok; ; {
			if t.kind == tkEOF {
				return s.err
			}
			if len(s.stack) == 1 {
				var err error
				if t.kind == tkImport {
					err = s.importDecl(t)
				} else {
					err = s.exportDecl(t)
				}
				if err != nil {
					return err
				}
			}
			if !s.hasUnread {
				break
			}
			s.hasUnread, t = false, s.unread
			if t.kind > tkExport {
				break
			}
		}
	}
}

func (s *scanner) fail(pos int, msg string, wrapped error) {
	if s.err == nil {
		s.err = &Error{Offset: pos, Msg: msg, Err: wrapped}
	}
}

// next returns the next token (for the declaration walkers).
func (s *scanner) next() token {
	if s.hasUnread {
		s.hasUnread = false
		return s.unread
	}
	s.lex()
	return s.tok
}

// skim lexes until the next import, export or EOF token. The tokens that
// make up ~90% of minified code (plain identifiers and property names,
// numbers, . , ; ( ) [ ] { } =) are handled here with the hot state in
// locals, exactly as lex would handle them; everything else, and any token
// after white space or a comment, goes through lex.
func (s *scanner) skim() {
	src := s.src
	pos, st, flags, prevKw := s.pos, s.state, s.flags, s.prevKw
	for pos < len(src) {
		c := src[pos]
		reset := st == sStmt && prevKw != kwPrefix
		if reset && !jstoken.IsIdentPart(c) {
			s.resetStmt() // as lex does; for names below, once they are known not to be `else`
		}
		next, nextSt, ok := 0, st, false
		switch {
		case jstoken.IsDigit(c):
			if reset {
				s.resetStmt()
			}
			next, nextSt, ok = jstoken.ScanNumber(src, pos), sOp, true
		case jstoken.IsIdentPart(c): // a plain name, unless it has escapes or non-ASCII or name() handles it
			end := pos + 1
			for end < len(src) && jstoken.IsIdentPart(src[end]) {
				end++
			}
			if end < len(src) && (src[end] == '\\' || src[end] >= utf8.RuneSelf) ||
				st != sProp && end-pos > 1 && c >= 'a' && c <= 'y' && keywordLike(src[pos:end]) {
				break
			}
			if reset {
				s.resetStmt()
			}
			flags &= flFn
			if st == sStmt {
				flags |= flStmtName
			}
			pos, st, prevKw = end, sOp, kwNone
			continue
		case c == '.' && !jstoken.IsDigit(s.peek(pos+1)) && s.peek(pos+1) != '.':
			next, nextSt, ok = pos+1, sProp, true
		case c == ',':
			s.comma()
			next, nextSt, ok = pos+1, s.state, true
		case c == '(' || c == ')' || c == '[' || c == ']':
			next, nextSt, ok = s.skimBracket(c, pos, st, flags, prevKw)
		default:
			next, nextSt, ok = s.skimPunct(pos, st, flags, reset)
		}
		if ok {
			pos, st, flags, prevKw = next, nextSt, 0, kwNone
			continue
		}
		if next > 0 { // the token was taken but failed (s.err): lex ends the scan after it
			pos, st = next, nextSt
		}
		s.pos, s.state, s.flags, s.prevKw = pos, st, flags, prevKw
		s.lex()
		if s.tok.kind <= tkExport {
			return
		}
		pos, st, flags, prevKw = s.pos, s.state, s.flags, s.prevKw
	}
	s.pos, s.state, s.flags, s.prevKw = pos, st, flags, prevKw
	s.lex() // EOF, or the token after an error
}

// skimPunct handles the other common punctuators and strings at pos as lex would,
// returning where it ends and the state after it; false for one lex must
// see. Only push and the bump counters can fail; their branches check s.err.
func (s *scanner) skimPunct(pos int, st state, flags uint8, reset bool) (int, state, bool) {
	switch s.src[pos] {
	case ';':
		s.semicolon()
		return pos + 1, s.state, true
	case '{':
		s.state = st
		s.openBrace(st, flags&flBody != 0, pos)
		return pos + 1, s.state, s.err == nil
	case '}':
		f := s.top()
		if f.kind == fTmpl || !isBrace(f.kind) {
			return 0, st, false
		}
		after := f.after
		s.popTo(len(s.stack) - 1)
		return pos + 1, after, true
	case ':':
		return s.skimColon(pos, st, flags)
	case '"', '\'':
		if reset {
			s.resetStmt()
		}
		end, _ := jstoken.ScanString(s.src, pos)
		return end, sOp, true
	case '=':
		if c1 := s.peek(pos + 1); c1 == '=' || c1 == '>' {
			return 0, st, false
		}
		s.binaryAfter(st)
		s.bumpExpr(pos)
		return pos + 1, sExpr, s.err == nil
	}
	return 0, st, false
}

// skimBracket handles ( ) [ ] at pos where they open or close a plain
// paren or bracket.
func (s *scanner) skimBracket(c byte, pos int, st state, flags uint8, prevKw kw) (int, state, bool) {
	switch c {
	case '(':
		if flags != 0 || prevKw != kwNone {
			return 0, st, false
		}
		if k := s.top().kind; k == fObject || k == fClass {
			return 0, st, false
		}
		s.push(frame{kind: fParen}, pos)
		return pos + 1, sExpr, s.err == nil
	case '[':
		s.push(frame{kind: fBracket}, pos)
		return pos + 1, sExpr, s.err == nil
	}
	want := fParen
	if c == ']' {
		want = fBracket
	}
	if s.top().kind != want {
		return 0, st, false
	}
	s.popTo(len(s.stack) - 1)
	return pos + 1, sOp, true
}

// skimColon handles a `:` at pos that is no label and does not end an
// arrow body.
func (s *scanner) skimColon(pos int, st state, flags uint8) (int, state, bool) {
	f := s.top()
	if f.kind == fArrow && f.ternary == 0 {
		return 0, st, false
	}
	s.binaryAfter(st)
	switch {
	case f.ternary > 0:
		f.ternary--
		return pos + 1, sExpr, true
	case f.kind == fRoot || f.kind == fBlock || f.kind == fFunc:
		if flags&flStmtName != 0 {
			return 0, st, false // a label
		}
		return pos + 1, sStmt, true
	}
	return pos + 1, sExpr, true
}

// keywordLike reports the words name() treats specially: keywords,
// contextual keywords and the modifiers of class and object members.
func keywordLike(w string) bool {
	switch len(w) {
	case 2:
		return w == "in" || w == "of" || w == "do" || w == "if"
	case 3:
		return w == "new" || w == "var" || w == "let" || w == "try" || w == "for" || w == "get" || w == "set"
	case 4:
		return w == "this" || w == "void" || w == "else" || w == "case" || w == "with" || w == "null" || w == "true"
	case 5:
		return w == "await" || w == "yield" || w == "const" || w == "throw" || w == "while" || w == "catch" ||
			w == "class" || w == "async" || w == "false" || w == "super" || w == "break"
	case 6:
		return w == "import" || w == "export" || w == "typeof" || w == "delete" || w == "return" || w == "switch" || w == "static"
	case 7:
		return w == "extends" || w == "finally" || w == "default"
	case 8:
		return w == "function" || w == "continue" || w == "debugger" || w == "accessor"
	case 10:
		return w == "instanceof"
	}
	return false
}

// lex scans the next token into s.tok, updating the context and rewriting
// import(…), import.meta and top-level await on the way.
func (s *scanner) lex() {
	src, pos, nl := s.src, s.pos, false
	// Minified code rarely has white space or comments between tokens.
	if pos < len(src) {
		if c := src[pos]; c <= ' ' || c == '/' || c >= utf8.RuneSelf || c == '#' && pos == 0 {
			pos, nl = jstoken.SkipTrivia(src, pos)
		}
	}
	st := s.state
	t := &s.tok
	t.kind, t.before, t.nl, t.start, t.end = tkEOF, st, nl, pos, pos
	if pos >= len(src) || s.err != nil {
		s.pos = pos
		return
	}
	prevKw, flags := s.prevKw, s.flags
	s.prevKw, s.flags = kwNone, 0
	// A statement start ends whatever the previous statement left pending,
	// unless this statement is nested in a label, else or statement head.
	reset := st == sStmt && prevKw != kwPrefix

	if jstoken.IdentStart(src, pos) {
		s.lexName(prevKw, flags, reset)
		return
	}
	c := src[pos]
	if reset {
		s.resetStmt()
	}
	switch {
	case jstoken.IsDigit(c) || c == '.' && pos+1 < len(src) && jstoken.IsDigit(src[pos+1]):
		t.kind, t.end = tkNumber, jstoken.ScanNumber(src, pos)
		s.operand()
	case c == '"' || c == '\'':
		t.kind = tkString
		t.end, _ = jstoken.ScanString(src, pos)
		s.operand()
	case c == '#' && pos+1 < len(src) && jstoken.IdentStart(src, pos+1):
		t.kind, t.end = tkPrivate, jstoken.ScanIdent(src, pos+1)
		s.operand()
	case c == '`':
		end, piece := jstoken.ScanTemplate(src, pos+1)
		t.kind, t.end = tkTemplate, end
		if piece == jstoken.PieceSubstitution {
			s.push(frame{kind: fTmpl}, pos)
			s.state = sExpr
		} else {
			s.state = sOp
		}
	default:
		s.punct(prevKw, flags)
	}
	s.pos = t.end
}

// lexName scans the identifier or keyword at s.tok.start (state and flags
// as lex found them) into s.tok; reset says a statement starts with it.
func (s *scanner) lexName(prevKw kw, flags uint8, reset bool) {
	src, t := s.src, &s.tok
	pos, st, nl, c := t.start, t.before, t.nl, s.src[t.start]
	end := pos + 1
	for end < len(src) && jstoken.IsIdentPart(src[end]) {
		end++
	}
	if end < len(src) && (src[end] == '\\' || src[end] >= utf8.RuneSelf) || c == '\\' {
		end = jstoken.ScanIdent(src, pos)
	}
	t.kind, t.end, s.pos = tkName, end, end
	if end-pos == 1 || c < 'a' || c > 'y' { // cannot be a keyword or modifier: the common case
		if reset || nl && st == sOp {
			if nl && st == sOp {
				s.endArrows()
			}
			s.resetStmt()
		}
		s.flags = flags & flFn
		if st == sStmt {
			s.flags |= flStmtName
		}
		s.state = sOp
		return
	}
	if reset && src[pos:end] != "else" {
		s.resetStmt()
	}
	s.name(prevKw, flags)
}

// operand finishes a literal token.
func (s *scanner) operand() {
	if s.tok.nl && s.tok.before == sOp { // an operand after an operand: ASI ended a statement
		s.endArrows()
		s.resetStmt()
	}
	s.state = sOp
}

// endArrows closes the arrow expression bodies the current token ends:
// `,` `;`, a closer of an enclosing bracket, the `:` of an enclosing
// conditional, or a statement that ASI starts.
func (s *scanner) endArrows() {
	if s.opens[3] == 0 {
		return
	}
	k := len(s.stack)
	for k > 1 && s.stack[k-1].kind == fArrow {
		k--
	}
	if k < len(s.stack) {
		s.popTo(k)
	}
}

// peek returns src[i], or 0 past the end.
func (s *scanner) peek(i int) byte {
	if i < len(s.src) {
		return s.src[i]
	}
	return 0
}

// openSlot indexes scanner.opens by frame kind: frames closed by ), ], }.
var openSlot = [...]uint8{fRoot: 2, fBlock: 2, fObject: 2, fClass: 2, fFunc: 2, fTmpl: 2,
	fParen: 0, fHead: 0, fParams: 0, fBracket: 1, fArrow: 3}

func (s *scanner) push(f frame, pos int) {
	s.opens[openSlot[f.kind]]++
	s.stack = append(s.stack, f)
	if s.opts.MaxNesting > 0 && len(s.stack)-1 > s.opts.MaxNesting {
		s.fail(pos, fmt.Sprintf("brackets nested deeper than %d", s.opts.MaxNesting), ErrTooDeep)
	}
}

// popTo pops the frames from index k up (k >= 1).
func (s *scanner) popTo(k int) {
	for i := len(s.stack) - 1; i >= k; i-- {
		f := &s.stack[i]
		s.opens[openSlot[f.kind]]--
		s.chain -= int(f.expr + f.unary + f.stmt)
		if f.kind == fFunc || f.kind == fArrow {
			s.fnDepth--
		}
	}
	s.stack = s.stack[:k]
	if s.classPending && len(s.stack) < s.classAt {
		s.classPending = false
	}
}

// closer returns the index of the frame the closing punctuator c pops
// when the top frame does not match (never, in valid code): the innermost
// matching one, 0 for a stray closer. Popping everything above the match
// keeps this linear overall; the open counts keep stray closers from
// searching the stack at all.
func (s *scanner) closer(c byte, match func(frameKind) bool) int {
	slot := 2
	switch c {
	case ')':
		slot = 0
	case ']':
		slot = 1
	}
	if s.opens[slot] == 0 {
		return 0
	}
	for i := len(s.stack) - 1; i > 0; i-- {
		if match(s.stack[i].kind) {
			return i
		}
	}
	return 0
}

func isParen(k frameKind) bool { return k == fParen || k == fHead || k == fParams }
func isBrace(k frameKind) bool {
	return k == fBlock || k == fObject || k == fClass || k == fFunc || k == fTmpl
}
func isBracket(k frameKind) bool { return k == fBracket }

func (s *scanner) checkChain(pos int) {
	if s.opts.MaxChain > 0 && s.chain > s.opts.MaxChain {
		s.fail(pos, fmt.Sprintf("operators and statements nested deeper than %d", s.opts.MaxChain), ErrTooDeep)
	}
}

func (s *scanner) bumpExpr(pos int) {
	s.top().expr++
	s.chain++
	s.checkChain(pos)
}

func (s *scanner) bumpUnary(pos int) {
	s.top().unary++
	s.chain++
	s.checkChain(pos)
}

func (s *scanner) bumpStmt(pos int) {
	s.top().stmt++
	s.chain++
	s.checkChain(pos)
}

func (s *scanner) resetStmt() {
	if f := s.top(); f.expr|f.unary|f.stmt != 0 {
		s.chain -= int(f.expr + f.unary + f.stmt)
		f.expr, f.unary, f.stmt = 0, 0, 0
	}
}

func (s *scanner) resetExpr() {
	if f := s.top(); f.expr|f.unary != 0 {
		s.chain -= int(f.expr + f.unary)
		f.expr, f.unary = 0, 0
	}
}

func (s *scanner) resetUnary() {
	if f := s.top(); f.unary != 0 {
		s.chain -= int(f.unary)
		f.unary = 0
	}
}

// name handles the identifier or keyword in s.tok; s.pos is already past it.
func (s *scanner) name(prevKw kw, flags uint8) {
	t := &s.tok
	st := t.before
	switch st {
	case sProp:
		s.state = sOp
		return
	case sKey:
		switch s.src[t.start:t.end] {
		case "get", "set", "static", "async", "accessor": // modifiers: the key follows
			s.state = sKey
		default:
			s.state = sOp
		}
		return
	}
	if t.nl && st == sOp {
		if w := s.src[t.start:t.end]; w != "in" && w != "instanceof" && w != "of" {
			s.endArrows()
		}
		s.resetStmt()
	}
	s.state = sOp
	if flags&flFn != 0 { // the name of a function: its parameters follow
		s.flags |= flFn
		return
	}
	word := s.src[t.start:t.end]
	if len(word) < 2 || word[0] < 'a' || word[0] > 'y' || !s.keyword(word, prevKw) {
		if st == sStmt {
			s.flags |= flStmtName
		}
	}
}

// keyword applies the keyword word (in s.tok, after state s.tok.before)
// to the context; false if word is no keyword here: a plain name.
func (s *scanner) keyword(word string, prevKw kw) bool {
	t := &s.tok
	st := t.before
	switch word {
	case "import":
		s.importKeyword()
	case "export":
		t.kind = tkExport
		s.state = sStmt
	case "await":
		s.await(prevKw)
	case "of":
		if st == sOp && s.top().forHead {
			s.resetUnary()
			s.state = sExpr
		}
	case "in", "instanceof":
		s.resetUnary()
		s.state = sExpr
	case "extends", "case", "return", "throw", "var", "let", "const":
		s.state = sExpr
	case "typeof", "void", "delete", "new":
		s.bumpUnary(t.start)
		s.state = sExpr
	case "yield":
		s.bumpExpr(t.start)
		s.state = sExpr
	case "else":
		s.bumpStmt(t.start)
		s.prevKw = kwPrefix
		s.state = sStmt
	case "do", "try", "finally":
		s.state = sStmt
	case "if", "while", "with", "switch", "catch":
		s.prevKw = kwHead
	case "for":
		s.prevKw = kwFor
	case "async":
		s.prevKw = kwAsync
		s.asyncBefore = st
		return false // a label if `:` follows
	case "function":
		s.functionKeyword(prevKw)
	case "class":
		s.classPending, s.classAt, s.classAfter = true, len(s.stack), sStmt
		if st == sExpr || st == sArrow {
			s.classAfter = sOp
		}
	case "default", "this", "super", "null", "true", "false", "break", "continue", "debugger":
	default:
		return false
	}
	return true
}

// functionKeyword notes that the parameters of a function follow, and
// whether it is an expression (an async function inherits the state
// before its `async`).
func (s *scanner) functionKeyword(prevKw kw) {
	t := &s.tok
	before := t.before
	if prevKw == kwAsync && !t.nl {
		before = s.asyncBefore
	}
	s.flags |= flFn
	s.fnAt, s.fnAfter = len(s.stack), sStmt
	if before == sExpr || before == sArrow {
		s.fnAfter = sOp
	}
}

// operandFollows reports whether an operand starts after offset i, which
// tells the await operator from an identifier named await.
func (s *scanner) operandFollows(i int) bool {
	j, _ := jstoken.SkipTrivia(s.src, i)
	if j >= len(s.src) {
		return false
	}
	switch c := s.src[j]; {
	case jstoken.IdentStart(s.src, j):
		switch s.src[j:jstoken.ScanIdent(s.src, j)] {
		case "in", "instanceof", "of", "as":
			return false
		}
		return true
	case jstoken.IsDigit(c):
		return true
	case c == '.':
		return j+1 < len(s.src) && jstoken.IsDigit(s.src[j+1])
	default:
		return strings.IndexByte("\"'`([{!~+-/#", c) >= 0
	}
}

// await rewrites a top-level await operator to `void ` (same length, a
// neutral unary operator goja accepts). In a module await is always
// reserved, so it is an operator whenever an operand follows. Inside
// functions it is left alone: goja parses await in async functions. The
// await of `for await (` is blanked everywhere: goja has no for-await-of,
// not even in async functions.
func (s *scanner) await(prevKw kw) {
	t := &s.tok
	if prevKw == kwFor {
		s.blank(t.start, t.end)
		s.mod.ForAwait = append(s.mod.ForAwait, t.start)
		if s.fnDepth == 0 {
			s.mod.TopLevelAwait = true
		}
		s.prevKw = kwFor
		return
	}
	if (t.before != sOp || t.nl) && s.operandFollows(t.end) {
		if s.fnDepth == 0 {
			s.patch(t.start, "void ")
			s.module().TopLevelAwait = true
		}
		s.bumpUnary(t.start)
		s.state = sExpr
	}
}

// importKeyword rewrites import(…) and import.meta to identifiers of the
// same length; any other `import` is a declaration for the caller.
func (s *scanner) importKeyword() {
	t := &s.tok
	j, _ := jstoken.SkipTrivia(s.src, t.end)
	if j < len(s.src) {
		switch s.src[j] {
		case '(':
			s.patch(t.start, s.importName())
			s.mod.DynamicImports = append(s.mod.DynamicImports, t.start)
			return
		case '.':
			const meta = "import.meta"
			if e := t.start + len(meta); strings.HasPrefix(s.src[t.start:], meta) &&
				(e == len(s.src) || !jstoken.IsIdentPart(s.src[e]) && s.src[e] != '\\' && s.src[e] < utf8.RuneSelf) {
				s.patch(t.start, s.metaName())
				s.mod.ImportMeta = append(s.mod.ImportMeta, t.start)
				t.end, s.pos = e, e
				return
			}
			// `import /**/ . meta`: rewrite the keyword, `.meta` stays a property access.
			if k, _ := jstoken.SkipTrivia(s.src, j+1); k < len(s.src) && jstoken.IdentStart(s.src, k) && s.src[k:jstoken.ScanIdent(s.src, k)] == "meta" {
				s.patch(t.start, s.importName())
				s.mod.ImportMeta = append(s.mod.ImportMeta, t.start)
				return
			}
		}
	}
	t.kind = tkImport
	s.state = sExpr
}

// punct handles the punctuator (or regular expression) at s.tok.start:
// jstoken decides a `/` and how long the punctuator is; the handlers below
// apply what it does to the context.
func (s *scanner) punct(prevKw kw, flags uint8) {
	t := &s.tok
	pos, st := t.start, t.before
	c := s.src[pos]
	if c == '/' && s.regex(st) {
		return
	}
	t.kind, t.end = tkPunct, pos+jstoken.PunctLen(s.src, pos)
	n := t.end - pos
	switch c {
	case '(':
		s.openParen(prevKw, flags)
	case ')':
		s.closeParen()
	case '[':
		s.push(frame{kind: fBracket}, pos)
		s.state = sExpr
	case ']':
		k := len(s.stack) - 1
		if !isBracket(s.stack[k].kind) {
			k = s.closer(']', isBracket)
		}
		if k > 0 {
			s.popTo(k)
		}
		s.state = sOp
	case '{':
		s.openBrace(st, flags&flBody != 0, pos)
	case '}':
		s.closeBrace()
	case ';':
		s.semicolon()
	case ',':
		s.comma()
	case ':':
		s.colon(flags)
	case '?', '.', '=', '!', '+', '-', '*':
		s.prefixedOperator(c, n, flags)
	case '/', '<', '>', '&', '|', '%', '^':
		s.binaryOperator(c, n)
	case '~':
		s.bumpUnary(pos)
		s.state = sExpr
	default: // @decorators, a stray backslash or control character
		s.state = sExpr
	}
}

// slashBefore classifies a lexer state for jstoken.SlashAfter.
func (st state) slashBefore() jstoken.Before {
	switch st {
	case sStmt:
		return jstoken.BeforeStatement
	case sExpr, sArrow:
		return jstoken.BeforeOperator
	case sProp:
		return jstoken.BeforeDot
	case sKey:
		return jstoken.BeforeKey
	}
	return jstoken.BeforeOperand
}

// regexAllowed reports whether an operand may start in state st, where a
// `/` starts a regular expression (a `/` jstoken.SlashAfter is unsure of
// divides here: after `.` or where a property key is due).
func regexAllowed(st state) bool { return jstoken.SlashAfter(st.slashBefore()) == jstoken.StartRegex }

// regex scans the / at s.tok.start as a regular expression if one may
// start there; false leaves it a division.
func (s *scanner) regex(st state) bool {
	t := &s.tok
	if !regexAllowed(st) || t.start < s.noRegex {
		return false
	}
	end, ok := jstoken.ScanRegex(s.src, t.start)
	if !ok {
		// An unterminated regex was most likely a division the context
		// tracking misjudged; lexing it as one keeps the rest aligned.
		s.noRegex = end
		return false
	}
	t.kind, t.end = tkRegex, end
	s.state = sOp
	return true
}

// binaryAfter ends the prefix operators before a binary operator that
// follows an operand (state st).
func (s *scanner) binaryAfter(st state) {
	if st == sOp {
		s.resetUnary()
	}
}

// openParen decides what a `(` opens.
func (s *scanner) openParen(prevKw kw, flags uint8) {
	st, pos := s.tok.before, s.tok.start
	f := frame{kind: fParen}
	switch top := s.top(); {
	case flags&flFn != 0 && len(s.stack) == s.fnAt:
		f.kind, f.after = fParams, s.fnAfter
	case prevKw == kwHead:
		f.kind = fHead
	case prevKw == kwFor:
		f.kind, f.forHead = fHead, true
	case (top.kind == fObject || top.kind == fClass) && st != sExpr && st != sArrow &&
		!(s.classPending && len(s.stack) == s.classAt): // a method, not a call in `extends f(x)`
		f.kind, f.after = fParams, sOp
		if top.kind == fClass {
			f.after = sKey
		}
	}
	s.push(f, pos)
	s.state = sExpr
}

// closeParen pops what a `)` closes: a statement head nests the statement
// that follows, parameters are followed by a function body.
func (s *scanner) closeParen() {
	s.state = sOp
	k := len(s.stack) - 1
	if !isParen(s.stack[k].kind) {
		k = s.closer(')', isParen)
	}
	if k == 0 {
		return
	}
	f := s.stack[k]
	s.popTo(k)
	switch f.kind {
	case fHead:
		s.bumpStmt(s.tok.start)
		s.prevKw = kwPrefix
		s.state = sStmt
	case fParams:
		s.flags |= flBody
		s.bodyAfter = f.after
	}
}

// semicolon ends a statement, or a clause of a for head.
func (s *scanner) semicolon() {
	s.endArrows()
	s.resetExpr()
	switch k := s.top().kind; {
	case isParen(k):
		s.state = sExpr
	case k == fClass:
		s.state = sKey
	default:
		s.state = sStmt
	}
	if s.classPending && len(s.stack) <= s.classAt {
		s.classPending = false
	}
}

// comma ends an expression; in an object literal a key follows.
func (s *scanner) comma() {
	s.endArrows()
	s.resetExpr()
	s.state = sExpr
	if s.top().kind == fObject {
		s.state = sKey
	}
}

// colon handles the `:` of a conditional, a property, a label or a case.
func (s *scanner) colon(flags uint8) {
	pos := s.tok.start
	s.binaryAfter(s.tok.before)
	if f := s.top(); f.kind == fArrow && f.ternary == 0 { // the : of a conditional around the arrow
		s.endArrows()
	}
	s.state = sExpr
	switch f := s.top(); {
	case f.ternary > 0:
		f.ternary--
	case f.kind == fObject:
	case f.kind == fRoot || f.kind == fBlock || f.kind == fFunc:
		if flags&flStmtName != 0 { // a label
			// goja's parser is quadratic in nested labels (4,000 take
			// it 5 s): each counts as ten.
			for range 10 {
				s.bumpStmt(pos)
			}
			s.prevKw = kwPrefix
		} // else case … : or default:
		s.state = sStmt
	}
}

// prefixedOperator handles the operators whose first byte also starts
// other operators with other effects: ? ?. ?? . ... = => == ! != + ++ += *
// ** and the rest of their families; n is the punctuator's length.
func (s *scanner) prefixedOperator(c byte, n int, flags uint8) {
	st, pos := s.tok.before, s.tok.start
	switch c {
	case '?':
		s.question(n)
		return
	case '.':
		s.state = sProp
		if n == 3 { // ...
			s.state = sExpr
		}
		return
	case '=':
		s.binaryAfter(st)
		switch {
		case n == 2 && s.src[pos+1] == '>':
			s.arrow()
			return
		case n == 1:
			s.bumpExpr(pos)
		}
	case '!':
		if n == 1 {
			s.bumpUnary(pos)
		} else {
			s.binaryAfter(st)
		}
	case '+', '-':
		switch {
		case n == 2 && s.src[pos+1] == c: // ++ and -- leave an operand, prefix or postfix
			s.state = sOp
			return
		case n == 2: // += -=
			s.binaryAfter(st)
			s.bumpExpr(pos)
		case regexAllowed(st):
			s.bumpUnary(pos)
		default:
			s.binaryAfter(st)
		}
	case '*':
		if !s.star(n, flags) {
			return
		}
	}
	s.state = sExpr
}

// question handles ?. (n 2, a property follows), ?? and ??= (n 2 and 3)
// and the ? of a conditional.
func (s *scanner) question(n int) {
	pos := s.tok.start
	if n == 2 && s.src[pos+1] == '.' {
		s.state = sProp
		return
	}
	s.binaryAfter(s.tok.before)
	switch n {
	case 1:
		s.top().ternary++
		s.bumpExpr(pos)
	case 3:
		s.bumpExpr(pos)
	}
	s.state = sExpr
}

// arrow handles `=>`. An expression body is a function too: an await in
// it is the arrow's, not top-level.
func (s *scanner) arrow() {
	pos := s.tok.start
	s.bumpExpr(pos)
	s.state = sArrow
	if j, _ := jstoken.SkipTrivia(s.src, pos+2); j < len(s.src) && s.src[j] != '{' {
		s.push(frame{kind: fArrow}, pos)
		s.fnDepth++
	}
}

// star handles * ** *= **= (n the length); false when it set the state
// itself: the * of a generator method or function*.
func (s *scanner) star(n int, flags uint8) bool {
	st, pos := s.tok.before, s.tok.start
	s.binaryAfter(st)
	switch {
	case n > 1: // ** *= **=
		s.bumpExpr(pos)
	case st == sKey: // generator method
		return false
	case flags&flFn != 0: // function*
		s.flags |= flFn
		s.state = sOp
		return false
	}
	return true
}

// binaryOperator handles / < > & | % ^ and their longer forms (<<, >>>=,
// &&, |= …; n the length); of those ending in `=`, all but <= and >=
// assign.
func (s *scanner) binaryOperator(c byte, n int) {
	pos := s.tok.start
	s.binaryAfter(s.tok.before)
	if n > 1 && s.src[pos+n-1] == '=' && (n > 2 || c != '<' && c != '>') {
		s.bumpExpr(pos)
	}
	s.state = sExpr
}

// openBrace decides what a `{` opens.
func (s *scanner) openBrace(st state, body bool, pos int) {
	switch {
	case body:
		s.push(frame{kind: fFunc, after: s.bodyAfter}, pos)
		s.fnDepth++
		s.state = sStmt
	case st == sArrow:
		s.push(frame{kind: fFunc, after: sStmt}, pos)
		s.fnDepth++
		s.state = sStmt
	case s.classPending && len(s.stack) == s.classAt && st != sExpr:
		s.classPending = false
		s.push(frame{kind: fClass, after: s.classAfter}, pos)
		s.state = sKey
	case st == sExpr:
		s.push(frame{kind: fObject, after: sOp}, pos)
		s.state = sKey
	case st == sKey: // static { … } in a class body
		s.push(frame{kind: fBlock, after: sKey}, pos)
		s.state = sStmt
	default:
		s.push(frame{kind: fBlock, after: sStmt}, pos)
		s.state = sStmt
	}
}

// closeBrace pops what a `}` closes; a `}` ending a template substitution
// continues the template.
func (s *scanner) closeBrace() {
	t := &s.tok
	k := len(s.stack) - 1
	if !isBrace(s.stack[k].kind) {
		k = s.closer('}', isBrace)
	}
	if k == 0 {
		s.state = sStmt
		return
	}
	f := s.stack[k]
	s.popTo(k)
	if f.kind != fTmpl {
		s.state = f.after
		return
	}
	end, piece := jstoken.ScanTemplate(s.src, t.start+1)
	t.kind, t.end = tkTemplate, end
	if piece == jstoken.PieceSubstitution {
		s.push(frame{kind: fTmpl}, t.start)
		s.state = sExpr
	} else {
		s.state = sOp
	}
}
