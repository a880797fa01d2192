package esm

import (
	"fmt"
	"strings"
	"unicode/utf8"
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

func regexAllowed(st state) bool { return st == sStmt || st == sExpr || st == sArrow }

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
	// Only push and the bump counters can fail; their branches check s.err.
	for pos < len(src) {
		c := src[pos]
		reset := st == sStmt && prevKw != kwPrefix
		if reset && !identPart[c] {
			s.resetStmt() // as lex does; for names below, once they are known not to be `else`
		}
		switch c {
		case '.':
			if c1 := s.peek(pos + 1); c1 == '.' || isDigit(c1) {
				goto general
			}
			pos, st = pos+1, sProp
		case ',':
			s.endArrows()
			s.resetExpr()
			pos, st = pos+1, sExpr
			if s.top().kind == fObject {
				st = sKey
			}
		case ';':
			s.endArrows()
			s.resetExpr()
			switch k := s.top().kind; {
			case isParen(k):
				st = sExpr
			case k == fClass:
				st = sKey
			default:
				st = sStmt
			}
			if s.classPending && len(s.stack) <= s.classAt {
				s.classPending = false
			}
			pos++
		case '(':
			if flags != 0 || prevKw != kwNone {
				goto general
			}
			if k := s.top().kind; k == fObject || k == fClass {
				goto general
			}
			s.push(frame{kind: fParen}, pos)
			pos, st = pos+1, sExpr
			if s.err != nil {
				goto general
			}
		case ')':
			if s.top().kind != fParen {
				goto general
			}
			s.popTo(len(s.stack) - 1)
			pos, st = pos+1, sOp
		case '[':
			s.push(frame{kind: fBracket}, pos)
			pos, st = pos+1, sExpr
			if s.err != nil {
				goto general
			}
		case ']':
			if s.top().kind != fBracket {
				goto general
			}
			s.popTo(len(s.stack) - 1)
			pos, st = pos+1, sOp
		case '{':
			s.state = st
			s.openBrace(st, flags&flBody != 0, pos)
			pos, st = pos+1, s.state
			if s.err != nil {
				goto general
			}
		case '}':
			f := s.top()
			if f.kind == fTmpl || !isBrace(f.kind) {
				goto general
			}
			st = f.after
			s.popTo(len(s.stack) - 1)
			pos++
		case ':':
			if f := s.top(); f.kind == fArrow && f.ternary == 0 {
				goto general
			}
			if st == sOp {
				s.resetUnary()
			}
			switch f := s.top(); {
			case f.ternary > 0:
				f.ternary--
				st = sExpr
			case f.kind == fRoot || f.kind == fBlock || f.kind == fFunc:
				if flags&flStmtName != 0 {
					goto general // a label
				}
				st = sStmt
			default:
				st = sExpr
			}
			pos++
		case '"', '\'':
			if reset {
				s.resetStmt()
			}
			pos, _ = scanString(src, pos)
			st = sOp
		case '=':
			if c1 := s.peek(pos + 1); c1 == '=' || c1 == '>' {
				goto general
			}
			if st == sOp {
				s.resetUnary()
			}
			s.bumpExpr(pos)
			pos, st = pos+1, sExpr
			if s.err != nil {
				goto general
			}
		default:
			if isDigit(c) {
				if reset {
					s.resetStmt()
				}
				pos, st = scanNumber(src, pos), sOp
				break
			}
			if !identPart[c] {
				goto general
			}
			end := pos + 1
			for end < len(src) && identPart[src[end]] {
				end++
			}
			if end < len(src) && (src[end] == '\\' || src[end] >= utf8.RuneSelf) ||
				st != sProp && end-pos > 1 && c >= 'a' && c <= 'y' && keywordLike(src[pos:end]) {
				goto general // escapes, non-ASCII, or a word name() handles
			}
			if reset {
				s.resetStmt()
			}
			flags &= flFn
			if st == sStmt {
				flags |= flStmtName
			}
			pos, st = end, sOp
			prevKw = kwNone
			continue
		}
		flags, prevKw = 0, kwNone
		continue
	general:
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
			pos, nl = skipTrivia(src, pos)
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

	c := src[pos]
	if identPart[c] && !isDigit(c) || c >= utf8.RuneSelf || c == '\\' && pos+1 < len(src) && src[pos+1] == 'u' {
		end := pos + 1
		for end < len(src) && identPart[src[end]] {
			end++
		}
		if end < len(src) && (src[end] == '\\' || src[end] >= utf8.RuneSelf) || c == '\\' {
			end = scanIdent(src, pos)
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
		return
	}
	if reset {
		s.resetStmt()
	}
	switch {
	case isDigit(c) || c == '.' && pos+1 < len(src) && isDigit(src[pos+1]):
		t.kind, t.end = tkNumber, scanNumber(src, pos)
		s.operand()
	case c == '"' || c == '\'':
		t.kind = tkString
		t.end, _ = scanString(src, pos)
		s.operand()
	case c == '#' && pos+1 < len(src) && identStart(src, pos+1):
		t.kind, t.end = tkPrivate, scanIdent(src, pos+1)
		s.operand()
	case c == '`':
		end, head := scanTemplate(src, pos+1)
		t.kind, t.end = tkTemplate, end
		if head {
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
	if len(word) < 2 || word[0] < 'a' || word[0] > 'y' {
		if st == sStmt {
			s.flags |= flStmtName
		}
		return
	}
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
		if st == sStmt {
			s.flags |= flStmtName
		}
	case "function":
		before := st
		if prevKw == kwAsync && !t.nl {
			before = s.asyncBefore
		}
		s.flags |= flFn
		s.fnAt, s.fnAfter = len(s.stack), sStmt
		if before == sExpr || before == sArrow {
			s.fnAfter = sOp
		}
	case "class":
		s.classPending, s.classAt, s.classAfter = true, len(s.stack), sStmt
		if st == sExpr || st == sArrow {
			s.classAfter = sOp
		}
	case "default", "this", "super", "null", "true", "false", "break", "continue", "debugger":
	default:
		if st == sStmt {
			s.flags |= flStmtName
		}
	}
}

// operandFollows reports whether an operand starts after offset i, which
// tells the await operator from an identifier named await.
func (s *scanner) operandFollows(i int) bool {
	j, _ := skipTrivia(s.src, i)
	if j >= len(s.src) {
		return false
	}
	switch c := s.src[j]; {
	case identStart(s.src, j):
		switch s.src[j:scanIdent(s.src, j)] {
		case "in", "instanceof", "of", "as":
			return false
		}
		return true
	case isDigit(c):
		return true
	case c == '.':
		return j+1 < len(s.src) && isDigit(s.src[j+1])
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
	j, _ := skipTrivia(s.src, t.end)
	if j < len(s.src) {
		switch s.src[j] {
		case '(':
			s.patch(t.start, s.importName())
			s.mod.DynamicImports = append(s.mod.DynamicImports, t.start)
			return
		case '.':
			const meta = "import.meta"
			if e := t.start + len(meta); strings.HasPrefix(s.src[t.start:], meta) &&
				(e == len(s.src) || !identPart[s.src[e]] && s.src[e] != '\\' && s.src[e] < utf8.RuneSelf) {
				s.patch(t.start, s.metaName())
				s.mod.ImportMeta = append(s.mod.ImportMeta, t.start)
				t.end, s.pos = e, e
				return
			}
			// `import /**/ . meta`: rewrite the keyword, `.meta` stays a property access.
			if k, _ := skipTrivia(s.src, j+1); k < len(s.src) && identStart(s.src, k) && s.src[k:scanIdent(s.src, k)] == "meta" {
				s.patch(t.start, s.importName())
				s.mod.ImportMeta = append(s.mod.ImportMeta, t.start)
				return
			}
		}
	}
	t.kind = tkImport
	s.state = sExpr
}

// punct handles the punctuator (or regular expression) at s.tok.start.
func (s *scanner) punct(prevKw kw, flags uint8) {
	t := &s.tok
	src, pos, st := s.src, t.start, t.before
	t.kind, t.end = tkPunct, pos+1
	c := src[pos]
	// binary: an operator after an operand ends the prefix operators before it.
	binary := func() {
		if st == sOp {
			s.resetUnary()
		}
	}
	switch c {
	case '(':
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
	case ')':
		s.state = sOp
		k := len(s.stack) - 1
		if !isParen(s.stack[k].kind) {
			k = s.closer(')', isParen)
		}
		if k > 0 {
			f := s.stack[k]
			s.popTo(k)
			switch f.kind {
			case fHead:
				s.bumpStmt(pos)
				s.prevKw = kwPrefix
				s.state = sStmt
			case fParams:
				s.flags |= flBody
				s.bodyAfter = f.after
			}
		}
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
	case ',':
		s.endArrows()
		s.resetExpr()
		s.state = sExpr
		if s.top().kind == fObject {
			s.state = sKey
		}
	case ':':
		binary()
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
	case '?':
		switch c1 := s.peek(pos + 1); {
		case c1 == '.' && !isDigit(s.peek(pos+2)):
			t.end = pos + 2
			s.state = sProp
		case c1 == '?':
			binary()
			t.end = pos + 2
			if s.peek(pos+2) == '=' {
				t.end++
				s.bumpExpr(pos)
			}
			s.state = sExpr
		default:
			binary()
			s.top().ternary++
			s.bumpExpr(pos)
			s.state = sExpr
		}
	case '.':
		if s.peek(pos+1) == '.' && s.peek(pos+2) == '.' {
			t.end = pos + 3
			s.state = sExpr
		} else {
			s.state = sProp
		}
	case '=':
		binary()
		switch c1 := s.peek(pos + 1); {
		case c1 == '>':
			t.end = pos + 2
			s.bumpExpr(pos)
			s.state = sArrow
			// An expression body is a function too: an await in it is
			// the arrow's, not top-level.
			if j, _ := skipTrivia(src, pos+2); j < len(src) && src[j] != '{' {
				s.push(frame{kind: fArrow}, pos)
				s.fnDepth++
			}
			return
		case c1 == '=':
			t.end = pos + 2
			if s.peek(pos+2) == '=' {
				t.end++
			}
		default:
			s.bumpExpr(pos)
		}
		s.state = sExpr
	case '!':
		if s.peek(pos+1) == '=' {
			binary()
			t.end = pos + 2
			if s.peek(pos+2) == '=' {
				t.end++
			}
		} else {
			s.bumpUnary(pos)
		}
		s.state = sExpr
	case '+', '-':
		switch c1 := s.peek(pos + 1); {
		case c1 == c: // ++ and -- leave an operand, prefix or postfix
			t.end = pos + 2
			s.state = sOp
			return
		case c1 == '=':
			binary()
			t.end = pos + 2
			s.bumpExpr(pos)
		case regexAllowed(st):
			s.bumpUnary(pos)
		default:
			binary()
		}
		s.state = sExpr
	case '*':
		binary()
		switch c1 := s.peek(pos + 1); {
		case c1 == '*':
			t.end = pos + 2
			if s.peek(pos+2) == '=' {
				t.end++
			}
			s.bumpExpr(pos)
		case c1 == '=':
			t.end = pos + 2
			s.bumpExpr(pos)
		case st == sKey: // generator method
			return
		case flags&flFn != 0: // function*
			s.flags |= flFn
			s.state = sOp
			return
		}
		s.state = sExpr
	case '/':
		if regexAllowed(st) && pos >= s.noRegex {
			end, ok := scanRegex(src, pos)
			if ok {
				t.kind, t.end = tkRegex, end
				s.state = sOp
				return
			}
			// An unterminated regex was most likely a division the context
			// tracking misjudged; lexing it as one keeps the rest aligned.
			s.noRegex = end
		}
		binary()
		if s.peek(pos+1) == '=' {
			t.end = pos + 2
			s.bumpExpr(pos)
		}
		s.state = sExpr
	case '<', '>', '&', '|', '%', '^':
		binary()
		// Longest match: >>>=, >>=, >>>, <<=, &&=, ||=, <<, >>, &&, ||, <=, >=, &=, |=, %=, ^=.
		n, most := 1, 1
		switch c {
		case '>':
			most = 3
		case '<', '&', '|':
			most = 2
		}
		for n < most && s.peek(pos+n) == c {
			n++
		}
		if s.peek(pos+n) == '=' {
			if n > 1 || c != '<' && c != '>' { // <= and >= compare; every other op= assigns
				s.bumpExpr(pos)
			}
			n++
		}
		t.end = pos + n
		s.state = sExpr
	case '~':
		s.bumpUnary(pos)
		s.state = sExpr
	default: // @decorators, a stray backslash or control character
		s.state = sExpr
	}
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
	end, head := scanTemplate(s.src, t.start+1)
	t.kind, t.end = tkTemplate, end
	if head {
		s.push(frame{kind: fTmpl}, t.start)
		s.state = sExpr
	} else {
		s.state = sOp
	}
}
