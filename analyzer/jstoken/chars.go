package jstoken

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// identPart marks the ASCII bytes that continue an identifier.
var identPart = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '$' || c == '_'
	}
	return t
}()

// IsIdentPart reports whether the ASCII byte c continues an identifier
// (letters, digits, $ and _); non-ASCII bytes report false.
func IsIdentPart(c byte) bool { return identPart[c] }

// IsDigit reports whether c is an ASCII decimal digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// IsHex reports whether c is an ASCII hexadecimal digit.
func IsHex(c byte) bool { return IsDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// IsSpaceRune reports the non-ASCII white space goja skips (its
// isLineWhiteSpace: unicode.IsSpace without U+0085, plus U+FEFF). The line
// separators U+2028 and U+2029 are line terminators, not white space.
func IsSpaceRune(r rune) bool {
	return r == 0xFEFF || r != 0x85 && r != 0x2028 && r != 0x2029 && unicode.IsSpace(r)
}

// IsLineSep reports whether src[i:] starts with U+2028 or U+2029 (E2 80 A8
// or E2 80 A9), the two non-ASCII line terminators.
func IsLineSep[T ~string | ~[]byte](src T, i int) bool {
	return i >= 0 && i+2 < len(src) && src[i] == 0xE2 && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9)
}

// HasLineTerminator reports whether s contains \n, \r, U+2028 or U+2029.
func HasLineTerminator(s string) bool {
	if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		return true
	}
	for i := strings.IndexByte(s, 0xE2); i >= 0; {
		if IsLineSep(s, i) {
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

// LineEnd returns the offset of the first line terminator (\n, \r, U+2028,
// U+2029) at or after i, or len(src).
func LineEnd(src string, i int) int {
	for ; i < len(src); i++ {
		c := src[i]
		if c == '\n' || c == '\r' || c == 0xE2 && IsLineSep(src, i) {
			return i
		}
	}
	return i
}

// LineStart returns the offset just after the last line terminator in
// src[:end] (\n, \r, U+2028, U+2029), or 0.
func LineStart[T ~string | ~[]byte](src T, end int) int {
	for i := end - 1; i >= 0; i-- {
		switch src[i] {
		case '\n', '\r':
			return i + 1
		case 0xA8, 0xA9:
			if IsLineSep(src, i-2) {
				return i + 1
			}
		}
	}
	return 0
}

// TrimSpaceEnd returns end moved back over the white space and line
// terminators that end src[:end]: ASCII white space, \n, \r, U+2028,
// U+2029, U+00A0 and U+FEFF. (Other Unicode spaces stop it: minifiers and
// bundlers write none of them after the code.)
func TrimSpaceEnd[T ~string | ~[]byte](src T, end int) int {
	for end > 0 {
		switch src[end-1] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			end--
			continue
		}
		switch {
		case IsLineSep(src, end-3):
			end -= 3
		case end >= 3 && src[end-3] == 0xEF && src[end-2] == 0xBB && src[end-1] == 0xBF:
			end -= 3
		case end >= 2 && src[end-2] == 0xC2 && src[end-1] == 0xA0:
			end -= 2
		default:
			return end
		}
	}
	return end
}

// IdentStart reports whether an identifier can start at src[i], which must
// not be white space (call it after SkipTrivia): an ASCII letter, $ or _,
// any non-ASCII byte, or a \u escape.
func IdentStart(src string, i int) bool {
	c := src[i]
	return identPart[c] && !IsDigit(c) || c >= utf8.RuneSelf || c == '\\' && i+1 < len(src) && src[i+1] == 'u'
}
