package jstoken

import (
	"strings"
	"unicode/utf8"
)

// The functions below each scan one lexical element at an offset and return
// where it ends. They keep no state: the token stream (Lexer) and the
// scanners that track more context than it does call them alike.

// SkipTrivia skips white space, line terminators, comments and a hashbang
// line (at offset 0) from i. It reports whether a line terminator was
// crossed, the fact automatic semicolon insertion needs. An unterminated
// block comment runs to the end of src.
func SkipTrivia(src string, i int) (end int, nl bool) {
	end, nl, ok := skipTrivia(src, i, trivia{unicode: true, comments: true, hashbang: true})
	if !ok {
		end = len(src)
	}
	return end, nl
}

// trivia says what skipTrivia skips besides ASCII white space and line
// terminators.
type trivia struct {
	unicode  bool // Unicode white space and line separators (else a non-ASCII byte stops it, not ok)
	comments bool // comments (else it stops at them, ok)
	hashbang bool // a #! line at offset 0
}

// skipTrivia is SkipTrivia with a choice of what to skip; ok is false when
// it stopped at an unterminated block comment (then end is the comment's
// offset) or at a non-ASCII byte it does not skip (then end is its offset).
func skipTrivia(src string, i int, what trivia) (end int, nl, ok bool) {
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			i++
		case c == '\n' || c == '\r':
			nl = true
			i++
		case c == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*'):
			if !what.comments {
				return i, nl, true
			}
			e, closed := CommentEnd(src, i)
			if !closed {
				return i, nl || HasLineTerminator(src[i:]), false
			}
			if !nl && src[i+1] == '*' && HasLineTerminator(src[i:e]) {
				nl = true
			}
			i = e
		case c == '#' && i == 0 && what.hashbang && len(src) > 1 && src[1] == '!':
			i = LineEnd(src, 2)
		case c >= utf8.RuneSelf:
			if !what.unicode {
				return i, nl, false
			}
			r, size := utf8.DecodeRuneInString(src[i:])
			switch {
			case r == 0x2028 || r == 0x2029:
				nl = true
			case !IsSpaceRune(r):
				return i, nl, true
			}
			i += size
		default:
			return i, nl, true
		}
	}
	return i, nl, true
}

// CommentEnd returns the end of the comment that starts at i with // or /*:
// a line comment ends before its line terminator, a block comment after
// its */. closed is false for a block comment without */ (end is then
// len(src)).
func CommentEnd(src string, i int) (end int, closed bool) {
	if src[i+1] == '/' {
		return LineEnd(src, i+2), true
	}
	e := strings.Index(src[i+2:], "*/")
	if e < 0 {
		return len(src), false
	}
	return i + 2 + e + 2, true
}

// ScanIdent returns the end of the identifier at i, which may hold \u
// escapes and non-ASCII letters (any non-ASCII rune but white space and
// line terminators). It consumes at least one byte when IdentStart(src, i).
func ScanIdent(src string, i int) int {
	for i < len(src) {
		c := src[i]
		switch {
		case identPart[c]:
			i++
		case c == '\\':
			if i+1 >= len(src) || src[i+1] != 'u' {
				return i
			}
			i = skipUnicodeEscape(src, i+2)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == 0x2028 || r == 0x2029 || IsSpaceRune(r) {
				return i
			}
			i += size
		default:
			return i
		}
	}
	return i
}

// skipUnicodeEscape skips the digits of a \u escape from i (just after the
// u): {hex…} or up to four hex digits.
func skipUnicodeEscape(src string, i int) int {
	if i < len(src) && src[i] == '{' {
		i++
		for i < len(src) && IsHex(src[i]) {
			i++
		}
		if i < len(src) && src[i] == '}' {
			i++
		}
		return i
	}
	for k := 0; k < 4 && i < len(src) && IsHex(src[i]); k++ {
		i++
	}
	return i
}

// identEndASCII returns where the ASCII identifier bytes from i end.
func identEndASCII(src string, i int) int {
	for i < len(src) && identPart[src[i]] {
		i++
	}
	return i
}

// ScanNumber returns the end of the numeric literal at i (a digit, or '.'
// followed by a digit): hex/octal/binary, separators, exponents, BigInt.
func ScanNumber(src string, i int) int {
	n := len(src)
	if src[i] == '0' && i+1 < n && strings.IndexByte("xXoObB", src[i+1]) >= 0 {
		i += 2
		for i < n && (IsHex(src[i]) || src[i] == '_') {
			i++
		}
		if i < n && src[i] == 'n' {
			i++
		}
		return i
	}
	i = skipDigits(src, i)
	if i < n && src[i] == '.' {
		i = skipDigits(src, i+1)
	}
	if i < n && src[i]|0x20 == 'e' {
		j := i + 1
		if j < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < n && IsDigit(src[j]) {
			i = skipDigits(src, j)
		}
	}
	if i < n && src[i] == 'n' {
		i++
	}
	return i
}

// skipDigits skips decimal digits and _ separators from i.
func skipDigits(src string, i int) int {
	for i < len(src) && (IsDigit(src[i]) || src[i] == '_') {
		i++
	}
	return i
}

// ScanString returns the end of the string literal whose quote is at i and
// whether it is terminated. An unterminated string ends before the line
// break (goja reports it), or at the end of src.
func ScanString(src string, i int) (end int, ok bool) {
	q := src[i]
	for i++; i < len(src); i++ {
		switch src[i] {
		case q:
			return i + 1, true
		case '\\':
			i++
			if i+1 < len(src) && src[i] == '\r' && src[i+1] == '\n' {
				i++
			}
		case '\n', '\r':
			return i, false
		}
	}
	return len(src), false
}

// Piece says how a piece of template text ends.
type Piece uint8

const (
	PieceEnd          Piece = iota // with the closing backquote
	PieceSubstitution              // with ${: an expression and a } follow
	PieceUnterminated              // with the end of the text
)

// ScanTemplate scans template characters from i (just after the opening
// backquote or the } closing a substitution) and returns where the piece
// ends (after its ` or ${) and how.
func ScanTemplate(src string, i int) (end int, piece Piece) {
	for ; i < len(src); i++ {
		switch src[i] {
		case '`':
			return i + 1, PieceEnd
		case '\\':
			i++
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				return i + 2, PieceSubstitution
			}
		}
	}
	return len(src), PieceUnterminated
}

// ScanRegex returns the end of the regular expression literal whose / is at
// i, including its flags, and false if a line ends first (then the / was
// most likely a division the context tracking misjudged): end is then the
// line terminator's offset, or len(src).
func ScanRegex(src string, i int) (end int, ok bool) {
	class := false
	for i++; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\':
			if i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r' || IsLineSep(src, i+1)) {
				return i, false
			}
			i++
		case c == '\n' || c == '\r' || c == 0xE2 && IsLineSep(src, i):
			return i, false
		case c == '[':
			class = true
		case c == ']':
			class = false
		case c == '/' && !class:
			return ScanIdent(src, i+1), true
		}
	}
	return i, false
}

// PunctLen returns the length of the punctuator at i by longest match
// (`>>>=` is one token, `?.` is not when a digit follows, as in `a?.5:b`).
// A byte that starts no punctuator (@, #, \, a control character) counts
// as one. A `/` is the division operator here: whether it starts a regular
// expression is the caller's (or the Lexer's) decision.
func PunctLen(src string, i int) int {
	c := src[i]
	at := func(k int) byte {
		if i+k < len(src) {
			return src[i+k]
		}
		return 0
	}
	switch c {
	case '?':
		switch c1 := at(1); {
		case c1 == '.' && !IsDigit(at(2)):
			return 2
		case c1 == '?':
			return 2 + eq(at(2))
		}
		return 1
	case '.':
		if at(1) == '.' && at(2) == '.' {
			return 3
		}
		return 1
	case '=':
		switch at(1) {
		case '>':
			return 2
		case '=':
			return 2 + eq(at(2))
		}
		return 1
	case '!':
		if at(1) == '=' {
			return 2 + eq(at(2))
		}
		return 1
	case '+', '-':
		if c1 := at(1); c1 == c || c1 == '=' {
			return 2
		}
		return 1
	case '*':
		if at(1) == '*' {
			return 2 + eq(at(2))
		}
		return 1 + eq(at(1))
	case '/', '%', '^':
		return 1 + eq(at(1))
	case '<', '>', '&', '|':
		// <<=, >>>=, &&=, ||=, <<, >>>, &&, ||, <=, >=, &=, |= …
		n, most := 1, 2
		if c == '>' {
			most = 3
		}
		for n < most && at(n) == c {
			n++
		}
		return n + eq(at(n))
	}
	return 1
}

// eq is 1 if c is '=', else 0.
func eq(c byte) int {
	if c == '=' {
		return 1
	}
	return 0
}
