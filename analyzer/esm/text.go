package esm

import (
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/jstoken"
)

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
			if jstoken.IsLineSep(body, i) {
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
				if !jstoken.IsHex(c) {
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
		if !jstoken.IsHex(c) {
			return 0, 0
		}
		r = r<<4 | rune(hexVal(c))
	}
	return r, digits
}

func hexVal(c byte) byte {
	if jstoken.IsDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}
