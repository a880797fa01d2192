package esm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// identPart marks the ASCII bytes that continue an identifier.
var identPart = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '$' || c == '_'
	}
	return t
}()

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isSpaceRune reports the non-ASCII white space goja skips (its
// isLineWhiteSpace: unicode.IsSpace without U+0085, plus U+FEFF).
func isSpaceRune(r rune) bool {
	return r == 0xFEFF || r != 0x85 && r != 0x2028 && r != 0x2029 && unicode.IsSpace(r)
}

// isLineSep reports whether src[i:] starts with U+2028 or U+2029.
func isLineSep(src string, i int) bool {
	return i+2 < len(src) && src[i] == 0xE2 && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9)
}

// hasLineTerminator reports whether s contains \n, \r, U+2028 or U+2029.
func hasLineTerminator(s string) bool {
	if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		return true
	}
	for i := strings.IndexByte(s, 0xE2); i >= 0; {
		if isLineSep(s, i) {
			return true
		}
		j := strings.IndexByte(s[i+1:], 0xE2)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// lineEnd returns the offset of the first line terminator at or after i.
func lineEnd(src string, i int) int {
	for ; i < len(src); i++ {
		c := src[i]
		if c == '\n' || c == '\r' || c == 0xE2 && isLineSep(src, i) {
			return i
		}
	}
	return i
}

// skipTrivia skips white space and comments from i. It reports whether a
// line terminator was crossed (for automatic semicolon insertion).
func skipTrivia(src string, i int) (int, bool) {
	nl := false
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			i++
		case c == '\n' || c == '\r':
			nl = true
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = lineEnd(src, i+2)
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src)
			} else {
				end += i + 4
			}
			if !nl && hasLineTerminator(src[i:end]) {
				nl = true
			}
			i = end
		case c == '#' && i == 0 && len(src) > 1 && src[1] == '!': // hashbang
			i = lineEnd(src, 2)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(src[i:])
			switch {
			case r == 0x2028 || r == 0x2029:
				nl = true
			case !isSpaceRune(r):
				return i, nl
			}
			i += size
		default:
			return i, nl
		}
	}
	return i, nl
}

// identStart reports whether an identifier can start at src[i] (after
// skipTrivia, so non-ASCII there is not white space).
func identStart(src string, i int) bool {
	c := src[i]
	return identPart[c] && !isDigit(c) || c >= utf8.RuneSelf || c == '\\' && i+1 < len(src) && src[i+1] == 'u'
}

// scanIdent returns the end of the identifier at i, which may hold \u
// escapes and non-ASCII letters. It consumes at least one byte when
// identStart(src, i).
func scanIdent(src string, i int) int {
	for i < len(src) {
		c := src[i]
		switch {
		case identPart[c]:
			i++
		case c == '\\':
			if i+1 >= len(src) || src[i+1] != 'u' {
				return i
			}
			i += 2
			if i < len(src) && src[i] == '{' {
				i++
				for i < len(src) && isHex(src[i]) {
					i++
				}
				if i < len(src) && src[i] == '}' {
					i++
				}
				continue
			}
			for k := 0; k < 4 && i < len(src) && isHex(src[i]); k++ {
				i++
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == 0x2028 || r == 0x2029 || isSpaceRune(r) {
				return i
			}
			i += size
		default:
			return i
		}
	}
	return i
}

func isHex(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// scanNumber returns the end of the numeric literal at i (a digit, or '.'
// followed by a digit): hex/octal/binary, separators, exponents, BigInt.
func scanNumber(src string, i int) int {
	n := len(src)
	if src[i] == '0' && i+1 < n && strings.IndexByte("xXoObB", src[i+1]) >= 0 {
		i += 2
		for i < n && (isHex(src[i]) || src[i] == '_') {
			i++
		}
		if i < n && src[i] == 'n' {
			i++
		}
		return i
	}
	for i < n && (isDigit(src[i]) || src[i] == '_') {
		i++
	}
	if i < n && src[i] == '.' {
		i++
		for i < n && (isDigit(src[i]) || src[i] == '_') {
			i++
		}
	}
	if i < n && src[i]|0x20 == 'e' {
		j := i + 1
		if j < n && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < n && isDigit(src[j]) {
			i = j
			for i < n && (isDigit(src[i]) || src[i] == '_') {
				i++
			}
		}
	}
	if i < n && src[i] == 'n' {
		i++
	}
	return i
}

// scanString returns the end of the string literal whose quote is at i and
// whether it is terminated. An unterminated string ends before the line
// break (goja reports it).
func scanString(src string, i int) (int, bool) {
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

// scanTemplate scans template characters from i (just after ` or the }
// closing a substitution). It returns the end and whether the piece ends
// with ${ (a substitution follows) rather than with `.
func scanTemplate(src string, i int) (int, bool) {
	for ; i < len(src); i++ {
		switch src[i] {
		case '`':
			return i + 1, false
		case '\\':
			i++
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				return i + 2, true
			}
		}
	}
	return len(src), false
}

// scanRegex returns the end of the regular expression literal whose / is at
// i, including its flags, and false if a line ends first (then the / was
// most likely a division the context tracking misjudged).
func scanRegex(src string, i int) (int, bool) {
	class := false
	for i++; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\':
			if i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r' || isLineSep(src, i+1)) {
				return i, false
			}
			i++
		case c == '\n' || c == '\r' || c == 0xE2 && isLineSep(src, i):
			return i, false
		case c == '[':
			class = true
		case c == ']':
			class = false
		case c == '/' && !class:
			return scanIdent(src, i+1), true
		}
	}
	return i, false
}

// unquote decodes a string literal's value (with its quotes). Malformed
// escapes are kept as written; the value is only used for reporting.
func unquote(lit string) string {
	if len(lit) < 2 {
		return ""
	}
	body := lit[1 : len(lit)-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0':
			b.WriteByte(0)
		case '\r':
			if i+1 < len(body) && body[i+1] == '\n' {
				i++
			}
		case '\n':
		case 'x', 'u':
			r, n := hexEscape(body[i+1:], e)
			if n == 0 {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			b.WriteRune(r)
			i += n
		default:
			if isLineSep(body, i) {
				i += 2
				continue
			}
			b.WriteByte(e)
		}
	}
	return b.String()
}

// hexEscape decodes the digits after \x or \u; n is the number of bytes
// used, 0 if malformed.
func hexEscape(s string, kind byte) (r rune, n int) {
	digits := 2
	if kind == 'u' {
		if len(s) > 0 && s[0] == '{' {
			end := strings.IndexByte(s, '}')
			if end < 2 || end > 7 {
				return 0, 0
			}
			for _, c := range []byte(s[1:end]) {
				if !isHex(c) {
					return 0, 0
				}
				r = r<<4 | rune(hexVal(c))
			}
			return r, end + 1
		}
		digits = 4
	}
	if len(s) < digits {
		return 0, 0
	}
	for _, c := range []byte(s[:digits]) {
		if !isHex(c) {
			return 0, 0
		}
		r = r<<4 | rune(hexVal(c))
	}
	return r, digits
}

func hexVal(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}
