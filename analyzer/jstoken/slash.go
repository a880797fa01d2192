package jstoken

// A `/` starts a regular expression where an operand may start and divides
// where an operand just ended; JavaScript cannot be tokenized without that
// decision, and the token before the `/` decides it only with some context
// (what a `)` or `}` closed, whether a word is a keyword there). SlashAfter
// is that decision, made once for every scanner: each classifies what
// precedes the `/` with the context it tracks (the Lexer from the previous
// significant token and its bracket stack; the ES-module lowering from its
// statement and expression state) and asks SlashAfter.

// Before is the class of what precedes a `/`.
type Before uint8

const (
	// BeforeStatement: a statement starts (the start of the text, the `)`
	// closing an if, while, for or with head, a block's `}`, a label).
	BeforeStatement Before = iota
	// BeforeOperator: a punctuator after which an operand starts (( [ { ,
	// ; : ? = => + and the other operators, `${`).
	BeforeOperator
	// BeforeKeyword: a keyword after which an expression starts (see
	// ClassifyWord).
	BeforeKeyword
	// BeforeOperand: an operand ended (an identifier, a literal, `]`, the
	// `)` of a call or group, the `}` of an expression).
	BeforeOperand
	// BeforeBrace: a `}` not known to close a block or an expression.
	BeforeBrace
	// BeforeIncDec: ++ or --, postfix (the / divides) or prefix.
	BeforeIncDec
	// BeforeDot: `.` or `?.`, where a property name must follow.
	BeforeDot
	// BeforeKey: a property key is expected (object literal, class body).
	BeforeKey
	// BeforeContextual: a word that is a keyword or a name by context
	// (yield await of let async get set static default).
	BeforeContextual
)

// Slash is what a `/` is.
type Slash uint8

const (
	Unsure     Slash = iota // the class does not tell: the caller's policy decides
	Divide                  // the division operator (or /=)
	StartRegex              // the start of a regular expression literal
)

// SlashAfter decides what a `/` after b is.
func SlashAfter(b Before) Slash {
	switch b {
	case BeforeStatement, BeforeOperator, BeforeKeyword:
		return StartRegex
	case BeforeOperand:
		return Divide
	}
	return Unsure
}

// ClassifyWord classifies an identifier or keyword before a `/` that is not
// a property name (the caller checks for a preceding `.`): the keywords
// after which an expression starts, the contextual words, or an operand.
func ClassifyWord(w string) Before {
	switch w {
	case "return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case", "do", "else":
		return BeforeKeyword
	case "yield", "await", "of", "let", "async", "get", "set", "static", "default":
		return BeforeContextual
	}
	return BeforeOperand
}

// isHeadKeyword reports whether a `(` after w opens a statement head whose
// `)` starts the nested statement: if(x)/re/.test(y) but f(x)/2.
func isHeadKeyword(w string) bool { return w == "if" || w == "while" || w == "for" || w == "with" }
