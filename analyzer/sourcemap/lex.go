package sourcemap

import "github.com/manglecheck/manglecheck/analyzer/jstoken"

// lineCommentStart returns the offset of the "//" that starts a line
// comment on the line src[ls:end], or -1. It reads the line's tokens
// (jstoken, lexing the line as a fragment), so that string, template and
// regular expression literals and block comments are skipped:
//
//	var s="//# sourceMappingURL=evil.map"
//
// has no comment. The line is assumed to start outside any literal, and
// where the tokens do not tell regex from division (after a `}`, `++` or a
// contextual keyword, or at the start of the line) the `/` is guessed to
// start a regex; a wrong guess can only hide a comment or find one in a
// malformed line, and Locate confines reads to root anyway.
func lineCommentStart(src []byte, ls, end int) int {
	tokens := jstoken.NewLexer(string(src[ls:end]), jstoken.Options{
		Comments: true, Fragment: true, Start: beforeLine(src, ls), Guess: jstoken.StartRegex})
	for {
		switch t := tokens.Next(); t.Kind {
		case jstoken.Comment:
			if src[ls+t.Start+1] == '/' {
				return ls + t.Start
			}
		case jstoken.EOF, jstoken.Invalid:
			return -1
		}
	}
}

// beforeLine guesses from the last non-space byte before ls what precedes
// the line, for a `/` at its start.
func beforeLine(src []byte, ls int) jstoken.Before {
	i := ls - 1
	for i >= 0 && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i--
	}
	if i < 0 {
		return jstoken.BeforeStatement
	}
	if c := src[i]; !isWordByte(c) {
		switch c {
		case ')', ']', '"', '\'', '`':
			return jstoken.BeforeOperand
		}
		return jstoken.BeforeOperator
	}
	j := i
	for j > 0 && isWordByte(src[j-1]) {
		j--
	}
	return jstoken.ClassifyWord(string(src[j : i+1]))
}

// isWordByte reports the bytes of identifiers and keywords, non-ASCII ones
// included.
func isWordByte(c byte) bool { return jstoken.IsIdentPart(c) || c >= 0x80 }
