package jstoken

import "unicode/utf8"

// Kind is the kind of a token.
type Kind uint8

const (
	EOF            Kind = iota // the end of the text
	Invalid                    // see Lexer.Next: the stream ends here
	Ident                      // identifier or keyword
	PrivateName                // #name
	Punct                      // punctuator, longest match (see PunctLen)
	Number                     // numeric literal
	String                     // string literal
	Template                   // template literal without substitutions
	TemplateHead               // `…${ of a template literal
	TemplateMiddle             // }…${
	TemplateTail               // }…`
	Regex                      // regular expression literal with its flags
	Comment                    // // or /* comment, with Options.Comments (else comments are skipped)
)

// Token is one token: its kind and byte offsets in the text. It holds no
// text of its own (src[Start:End] is the token), so lexing allocates nothing.
type Token struct {
	Kind       Kind
	NL         bool // a line terminator precedes it (for automatic semicolon insertion)
	Start, End int  // byte offsets of the token in the text
}

// Options configure a Lexer.
type Options struct {
	// ASCIIOnly makes a non-ASCII byte or a backslash outside literals and
	// comments Invalid, for a caller that cannot afford to misread a Unicode
	// escape (`\u0065lse` is `else`) or Unicode white space.
	ASCIIOnly bool
	// MaxDepth, if positive, makes a bracket (or `${`) opened inside
	// MaxDepth open ones Invalid.
	MaxDepth int
	// Comments makes comments tokens of their own (Kind Comment); they do
	// not count as the previous token for a `/`, and a line terminator
	// inside a block comment does not set the next token's NL.
	Comments bool
	// Fragment lexes a piece cut from a larger text, such as one line: it
	// has no hashbang, what precedes it is Start, and a closing bracket
	// opened before it is a plain punctuator (a `/` after that `)` divides,
	// after that `}` is unsure), and so is a byte that starts no token: a
	// line may start inside a comment or a literal.
	Fragment bool
	// Start is what precedes the text: BeforeStatement (the zero value)
	// for a whole program; with Fragment, the caller's guess.
	Start Before
	// Guess, unless Unsure (the zero value), is what a `/` is taken for
	// where SlashAfter is unsure, instead of ending the stream as Invalid.
	Guess Slash
}

// Lexer is a JavaScript token stream: it skips white space, line
// terminators and comments, matches brackets, follows template literals
// through their `${…}` substitutions, and decides every `/` with SlashAfter
// from the previous significant token. It tracks no more syntax than that:
// a `/` after a `}`, `++`, `.` or a contextual word (see Before) is Unsure
// and ends the stream as Invalid, unless Options.Guess decides it.
type Lexer struct {
	src  string
	pos  int
	opts Options
	// prev is the last significant token (Kind EOF before the first);
	// prevAfterDot says the token before it was `.` or `?.`, and headClosed
	// that prev is a `)` that closed an if/while/for/with head.
	prev         Token
	prevAfterDot bool
	headClosed   bool
	// opens holds the open brackets, innermost last: ( [ { , h for the (
	// of a statement head, $ for a template's ${.
	opens []byte
}

// NewLexer returns a token stream over src.
func NewLexer(src string, opts Options) *Lexer {
	return &Lexer{src: src, opts: opts, opens: make([]byte, 0, 64)}
}

// Depth is the number of open brackets and template substitutions.
func (l *Lexer) Depth() int { return len(l.opens) }

// Next returns the next token. After Invalid or EOF it returns the same
// token again. A token is Invalid where the text is unterminated (a block
// comment, string, template or regular expression), where a closing
// bracket does not match the innermost open one (or, but in a Fragment,
// closes nothing open), where a `/` is Unsure and there is no Guess, where
// a byte starts no token (but in a Fragment: a control character, a
// backslash but \u, with ASCIIOnly any non-ASCII byte), and where MaxDepth
// is exceeded. Invalid's Start is where the problem is; its End equals its
// Start.
func (l *Lexer) Next() Token {
	if l.prev.Kind == Invalid {
		return l.prev
	}
	src, pos, nl := l.src, l.pos, false
	if pos < len(src) {
		if c := src[pos]; c <= ' ' || c == '/' || c >= utf8.RuneSelf || c == '#' && pos == 0 {
			var ok bool
			what := trivia{unicode: !l.opts.ASCIIOnly, comments: !l.opts.Comments, hashbang: !l.opts.Fragment}
			if pos, nl, ok = skipTrivia(src, pos, what); !ok {
				return l.stop(pos)
			}
		}
	}
	if pos >= len(src) {
		l.pos = pos
		return Token{Kind: EOF, NL: nl, Start: pos, End: pos}
	}
	t := l.scan(pos)
	if t.Kind == Invalid {
		return l.stop(t.Start)
	}
	t.NL = nl
	l.pos = t.End
	if t.Kind == Comment {
		return t
	}
	l.prevAfterDot = l.prev.Kind == Punct && l.isDot(l.prev)
	l.prev = t
	return t
}

// stop ends the stream with an Invalid token at pos.
func (l *Lexer) stop(pos int) Token {
	l.pos = len(l.src)
	l.prev = Token{Kind: Invalid, Start: pos, End: pos}
	return l.prev
}

// scan scans the token at pos, which is not trivia; Kind Invalid for none.
// It switches on the first byte, the commonest tokens first.
func (l *Lexer) scan(pos int) Token {
	src := l.src
	c := src[pos]
	t := Token{Kind: Invalid, Start: pos, End: pos}
	if identPart[c] {
		if IsDigit(c) {
			t.Kind, t.End = Number, ScanNumber(src, pos)
			return t
		}
		end := identEndASCII(src, pos+1)
		if end < len(src) && (src[end] == '\\' || src[end] >= utf8.RuneSelf) {
			return l.ident(t)
		}
		t.Kind, t.End = Ident, end
		return t
	}
	switch c {
	case '(', '[', '{':
		return l.open(t, c)
	case ')', ']', '}':
		return l.close(t, c)
	case ',', ';', ':', '~':
		t.Kind, t.End = Punct, pos+1
	case '"', '\'':
		if end, ok := ScanString(src, pos); ok {
			t.Kind, t.End = String, end
		}
	case '`':
		return l.template(t, Template, TemplateHead)
	case '/':
		if pos+1 < len(src) && (src[pos+1] == '/' || src[pos+1] == '*') { // with Options.Comments
			if end, closed := CommentEnd(src, pos); closed {
				t.Kind, t.End = Comment, end
			}
			return t
		}
		return l.slash(t)
	case '#':
		if pos+1 < len(src) && IdentStart(src, pos+1) {
			if t = l.ident(Token{Start: pos + 1}); t.Kind != Invalid {
				t.Kind, t.Start = PrivateName, pos
			}
			return t
		}
		t.Kind, t.End = Punct, pos+1
	case '.':
		if pos+1 < len(src) && IsDigit(src[pos+1]) {
			t.Kind, t.End = Number, ScanNumber(src, pos)
			return t
		}
		t.Kind, t.End = Punct, pos+PunctLen(src, pos)
	default:
		switch {
		case c >= utf8.RuneSelf || c == '\\' && pos+1 < len(src) && src[pos+1] == 'u':
			return l.ident(t)
		case (c < ' ' || c == '\\') && !l.opts.Fragment:
			// a control character or a stray backslash (in a fragment, a
			// one-byte punctuator)
		default:
			t.Kind, t.End = Punct, pos+PunctLen(src, pos)
		}
	}
	return t
}

// ident scans the identifier at t.Start.
func (l *Lexer) ident(t Token) Token {
	src, pos := l.src, t.Start
	end := identEndASCII(src, pos)
	if end < len(src) && (src[end] == '\\' || src[end] >= utf8.RuneSelf) || end == pos {
		if l.opts.ASCIIOnly {
			t.Kind, t.Start, t.End = Invalid, end, end
			return t
		}
		end = ScanIdent(src, pos)
	}
	t.Kind, t.End = Ident, end
	return t
}

// template scans a piece of template text from just after t.Start (a
// backquote, or the } ending a substitution): a whole template or its tail
// is kind whole; one that ends in ${ is kind sub and opens a substitution.
func (l *Lexer) template(t Token, whole, sub Kind) Token {
	end, piece := ScanTemplate(l.src, t.Start+1)
	switch piece {
	case PieceEnd:
		t.Kind, t.End = whole, end
	case PieceSubstitution:
		if l.full() {
			return t
		}
		l.opens = append(l.opens, '$')
		t.Kind, t.End = sub, end
	}
	return t
}

// slash scans the `/` at t.Start as a regular expression or a division.
func (l *Lexer) slash(t Token) Token {
	decision := SlashAfter(l.before())
	if decision == Unsure {
		decision = l.opts.Guess
	}
	switch decision {
	case StartRegex:
		if end, ok := ScanRegex(l.src, t.Start); ok {
			t.Kind, t.End = Regex, end
		}
	case Divide:
		t.Kind, t.End = Punct, t.Start+PunctLen(l.src, t.Start)
	}
	return t
}

// before classifies the previous significant token for SlashAfter.
func (l *Lexer) before() Before {
	p := l.prev
	switch p.Kind {
	case EOF:
		return l.opts.Start
	case Ident:
		if l.prevAfterDot {
			return BeforeOperand // a property name: a.return/2
		}
		return ClassifyWord(l.src[p.Start:p.End])
	case TemplateHead, TemplateMiddle:
		return BeforeOperator
	case Punct:
		return l.beforePunct(p)
	}
	return BeforeOperand // names, literals
}

// beforePunct classifies the punctuator p for SlashAfter.
func (l *Lexer) beforePunct(p Token) Before {
	switch l.src[p.Start] {
	case ')':
		if l.headClosed {
			return BeforeStatement
		}
		return BeforeOperand
	case ']':
		return BeforeOperand
	case '}':
		return BeforeBrace
	case '+', '-':
		if p.End-p.Start == 2 && l.src[p.Start+1] == l.src[p.Start] {
			return BeforeIncDec
		}
	case '.', '?':
		if l.isDot(p) {
			return BeforeDot
		}
	}
	return BeforeOperator
}

// isDot reports whether the punctuator p is `.` or `?.`.
func (l *Lexer) isDot(p Token) bool {
	switch p.End - p.Start {
	case 1:
		return l.src[p.Start] == '.'
	case 2:
		return l.src[p.Start] == '?' && l.src[p.Start+1] == '.'
	}
	return false
}

// full reports whether one more bracket would exceed MaxDepth.
func (l *Lexer) full() bool { return l.opts.MaxDepth > 0 && len(l.opens) >= l.opts.MaxDepth }

// open opens the bracket c at t.Start.
func (l *Lexer) open(t Token, c byte) Token {
	if l.full() {
		return t
	}
	if c == '(' && l.prev.Kind == Ident && !l.prevAfterDot && isHeadKeyword(l.src[l.prev.Start:l.prev.End]) {
		c = 'h'
	}
	l.opens = append(l.opens, c)
	t.Kind, t.End = Punct, t.Start+1
	return t
}

// close closes the bracket c at t.Start; a } closing a substitution
// continues its template.
func (l *Lexer) close(t Token, c byte) Token {
	if len(l.opens) == 0 {
		if l.opts.Fragment { // closes a bracket opened before the fragment
			l.headClosed = false
			t.Kind, t.End = Punct, t.Start+1
		}
		return t
	}
	top := l.opens[len(l.opens)-1]
	switch {
	case c == ')' && (top == '(' || top == 'h'), c == ']' && top == '[', c == '}' && top == '{':
		l.headClosed = top == 'h'
		t.Kind, t.End = Punct, t.Start+1
	case c == '}' && top == '$':
		l.opens = l.opens[:len(l.opens)-1]
		return l.template(t, TemplateTail, TemplateMiddle)
	default:
		return t
	}
	l.opens = l.opens[:len(l.opens)-1]
	return t
}
