package sourcemap

import "bytes"

// lineCommentStart returns the offset of the "//" that starts a line
// comment on the line src[ls:end], or -1. It skips string, template and
// regular expression literals and block comments, so that
//
//	var s="//# sourceMappingURL=evil.map"
//
// has no comment. The line is assumed to start outside any literal, and
// regex-versus-division is guessed from the preceding token, as every
// tokenizer without a parser does; a wrong guess can only hide a comment or
// find one in a malformed line, and Locate confines reads to root anyway.
func lineCommentStart(src []byte, ls, end int) int {
	regexOK := regexAllowedBefore(src, ls)
	var subs []int // brace depths at which template substitutions close
	depth := 0
	for i := ls; i < end; {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			i++
		case c == '/' && i+1 < end && src[i+1] == '/':
			return i
		case c == '/' && i+1 < end && src[i+1] == '*':
			j := bytes.Index(src[i+2:end], []byte("*/"))
			if j < 0 {
				return -1
			}
			i += j + 4
		case c == '/' && regexOK:
			if i = skipRegex(src, i+1, end); i < 0 {
				return -1
			}
			regexOK = false
		case c == '\'' || c == '"':
			if i = skipQuoted(src, i+1, end, c); i < 0 {
				return -1
			}
			regexOK = false
		case c == '`':
			var sub bool
			if i, sub = skipTemplate(src, i+1, end); i < 0 {
				return -1
			}
			if sub {
				subs = append(subs, depth)
				regexOK = true
			} else {
				regexOK = false
			}
		case c == '}' && len(subs) > 0 && subs[len(subs)-1] == depth:
			subs = subs[:len(subs)-1]
			var sub bool
			if i, sub = skipTemplate(src, i+1, end); i < 0 {
				return -1
			}
			if sub {
				subs = append(subs, depth)
			}
			regexOK = sub
		case c == '{':
			depth++
			regexOK = true
			i++
		case c == '}':
			depth--
			regexOK = true // a block ended: a statement, so "/" starts a regex
			i++
		case c == ')' || c == ']':
			regexOK = false
			i++
		case isWordByte(c):
			j := i
			for j < end && isWordByte(src[j]) {
				j++
			}
			regexOK = keywordBeforeExpr(src[i:j])
			i = j
		default:
			regexOK = true // an operator or punctuator
			i++
		}
	}
	return -1
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// keywordBeforeExpr reports whether word is a keyword after which an
// expression (and so a regex) may start.
func keywordBeforeExpr(word []byte) bool {
	switch string(word) {
	case "return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
		"throw", "case", "do", "else", "yield", "await":
		return true
	}
	return false
}

// regexAllowedBefore guesses from the last non-space byte before ls
// whether a "/" at ls would start a regex.
func regexAllowedBefore(src []byte, ls int) bool {
	i := ls - 1
	for i >= 0 && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i--
	}
	if i < 0 {
		return true
	}
	c := src[i]
	if isWordByte(c) {
		j := i
		for j > 0 && isWordByte(src[j-1]) {
			j--
		}
		return keywordBeforeExpr(src[j : i+1])
	}
	return !(c == ')' || c == ']' || c == '"' || c == '\'' || c == '`')
}

// skipQuoted skips a string literal body from i (after the quote) and
// returns the offset after the closing quote, or -1.
func skipQuoted(src []byte, i, end int, q byte) int {
	for i < end {
		switch src[i] {
		case '\\':
			i += 2
		case q:
			return i + 1
		default:
			i++
		}
	}
	return -1
}

// skipTemplate skips template characters from i and returns the offset
// after the closing backtick (sub false) or after "${" (sub true), or -1.
func skipTemplate(src []byte, i, end int) (int, bool) {
	for i < end {
		switch src[i] {
		case '\\':
			i += 2
		case '`':
			return i + 1, false
		case '$':
			if i+1 < end && src[i+1] == '{' {
				return i + 2, true
			}
			i++
		default:
			i++
		}
	}
	return -1, false
}

// skipRegex skips a regex literal body from i (after the opening slash) and
// its flags, returning the offset after them, or -1.
func skipRegex(src []byte, i, end int) int {
	inClass := false
	for i < end {
		switch c := src[i]; {
		case c == '\\':
			i += 2
		case c == '[':
			inClass = true
			i++
		case c == ']':
			inClass = false
			i++
		case c == '/' && !inClass:
			i++
			for i < end && isWordByte(src[i]) {
				i++
			}
			return i
		default:
			i++
		}
	}
	return -1
}
