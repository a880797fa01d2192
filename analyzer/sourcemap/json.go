package sourcemap

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A minimal JSON reader for source map objects. encoding/json would build
// every sourcesContent string (most of a big map's bytes) and every name up
// front; this reader walks the text once, keeps byte ranges, and leaves
// decoding to the accessor that needs the value.

// maxNesting bounds recursion when skipping unknown values, so that
// "[[[[…" cannot exhaust the stack.
const maxNesting = 512

// span is a byte range [start, end) of data; start < 0 means "absent"
// (null). int32 halves the index arrays of huge maps; Parse rejects input
// over 2 GiB.
type span struct{ start, end int32 }

func mkSpan(start, end int) span { return span{int32(start), int32(end)} }

var absent = span{-1, -1}

type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", s.pos, fmt.Sprintf(format, args...))
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of the input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		if s.pos >= len(s.data) {
			return s.errorf("unexpected end of JSON, want %q", c)
		}
		return s.errorf("invalid JSON: got %q, want %q", s.data[s.pos], c)
	}
	s.pos++
	return nil
}

// literal consumes null, true or false.
func (s *scanner) literal(word string) bool {
	s.ws()
	if bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		s.pos += len(word)
		return true
	}
	return false
}

// object calls field for each key of the object at the cursor; field must
// consume the value.
func (s *scanner) object(field func(key span) error) error {
	return s.sequence('{', '}', "object", func() error {
		if s.peek() != '"' {
			return s.errorf("invalid JSON: object key is not a string")
		}
		key, _, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		return field(key)
	})
}

// array calls elem for each element of the array at the cursor; elem must
// consume the value.
func (s *scanner) array(elem func() error) error {
	return s.sequence('[', ']', "array", elem)
}

// sequence consumes open, then items separated by commas up to close
// (none at all too), calling item for each; what names the container in
// errors.
func (s *scanner) sequence(open, close byte, what string, item func() error) error {
	if err := s.expect(open); err != nil {
		return err
	}
	if s.peek() == close {
		s.pos++
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case close:
			s.pos++
			return nil
		default:
			return s.errorf("invalid JSON: want ',' or '%c' in %s", close, what)
		}
	}
}

// str consumes a string, validating it, and returns the range of its
// contents (without quotes) and whether it contains escapes.
func (s *scanner) str() (span, bool, error) {
	if err := s.expect('"'); err != nil {
		return span{}, false, err
	}
	start, escaped := s.pos, false
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return mkSpan(start, s.pos-1), escaped, nil
		case c == '\\':
			escaped = true
			if s.pos+1 >= len(s.data) {
				return span{}, false, s.errorf("unterminated string")
			}
			switch s.data[s.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if s.pos+6 > len(s.data) || !isHex4(s.data[s.pos+2:s.pos+6]) {
					return span{}, false, s.errorf("invalid \\u escape in string")
				}
				s.pos += 6
			default:
				return span{}, false, s.errorf("invalid escape in string")
			}
		case c < 0x20:
			return span{}, false, s.errorf("control character in string")
		default:
			s.pos++
		}
	}
	return span{}, false, s.errorf("unterminated string")
}

// rawStr consumes a string without validating its contents, for the large
// values (sourcesContent, mappings) that are decoded later if at all. It
// relies on bytes.IndexByte, which is many times faster than a byte loop.
func (s *scanner) rawStr() (span, bool, error) {
	if err := s.expect('"'); err != nil {
		return span{}, false, err
	}
	start := s.pos
	for i := start; ; {
		j := bytes.IndexByte(s.data[i:], '"')
		if j < 0 {
			return span{}, false, s.errorf("unterminated string")
		}
		q := i + j
		// The quote is escaped when an odd number of backslashes precede it.
		n := 0
		for p := q - 1; p >= start && s.data[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			s.pos = q + 1
			return mkSpan(start, q), bytes.IndexByte(s.data[start:q], '\\') >= 0, nil
		}
		i = q + 1
	}
}

// smallInt consumes a JSON number and returns it if it is an integer in
// [-2^31, 2^31].
func (s *scanner) smallInt() (int, error) {
	s.ws()
	start := s.pos
	if err := s.skipNumber(); err != nil {
		return 0, err
	}
	v, neg := 0, false
	p := start
	if s.data[p] == '-' {
		neg = true
		p++
	}
	for ; p < s.pos; p++ {
		c := s.data[p]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("offset %d: number %s is not an integer", start, s.data[start:s.pos])
		}
		v = v*10 + int(c-'0')
		if v > 1<<31 {
			return 0, fmt.Errorf("offset %d: number %s out of range", start, s.data[start:s.pos])
		}
	}
	if neg {
		v = -v
	}
	return v, nil
}

func (s *scanner) skipNumber() error {
	start := s.pos
	digits := func() int {
		n := 0
		for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	if s.pos < len(s.data) && s.data[s.pos] == '-' {
		s.pos++
	}
	if n := digits(); n == 0 || (n > 1 && s.data[s.pos-n] == '0') {
		s.pos = start
		return s.errorf("invalid JSON number")
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return s.errorf("invalid JSON number")
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return s.errorf("invalid JSON number")
		}
	}
	return nil
}

// skip consumes any JSON value, validating it.
func (s *scanner) skip(depth int) error {
	if depth > maxNesting {
		return s.errorf("JSON nested deeper than %d levels", maxNesting)
	}
	switch c := s.peek(); {
	case c == '{':
		return s.object(func(span) error { return s.skip(depth + 1) })
	case c == '[':
		return s.array(func() error { return s.skip(depth + 1) })
	case c == '"':
		_, _, err := s.str()
		return err
	case c == '-' || c >= '0' && c <= '9':
		return s.skipNumber()
	case s.literal("null"), s.literal("true"), s.literal("false"):
		return nil
	case c == 0:
		return s.errorf("unexpected end of JSON")
	default:
		return s.errorf("invalid JSON value starting with %q", c)
	}
}

// optString consumes a string or null; null gives absent.
func (s *scanner) optString() (span, bool, error) {
	if s.literal("null") {
		return absent, false, nil
	}
	if s.peek() != '"' {
		return span{}, false, s.errorf("want a string or null")
	}
	return s.str()
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hexVal(c byte) rune {
	switch {
	case c <= '9':
		return rune(c - '0')
	case c >= 'a':
		return rune(c - 'a' + 10)
	}
	return rune(c - 'A' + 10)
}

var errBadString = errors.New("invalid JSON string")

// unquote decodes the contents of a JSON string (without quotes). Lone
// surrogates become U+FFFD, as in encoding/json; invalid UTF-8 is kept.
func unquote(raw []byte) (string, error) {
	i := bytes.IndexByte(raw, '\\')
	if i < 0 {
		for _, c := range raw {
			if c < 0x20 {
				return "", errBadString
			}
		}
		return string(raw), nil
	}
	// A Builder hands its bytes over as the string: no second copy of a
	// source that may be megabytes long.
	var out strings.Builder
	out.Grow(len(raw))
	for len(raw) > 0 {
		i = bytes.IndexByte(raw, '\\')
		if i < 0 {
			i = len(raw)
		}
		for _, c := range raw[:i] {
			if c < 0x20 {
				return "", errBadString
			}
		}
		out.Write(raw[:i])
		raw = raw[i:]
		if len(raw) == 0 {
			break
		}
		if len(raw) < 2 {
			return "", errBadString
		}
		switch raw[1] {
		case '"', '\\', '/':
			out.WriteByte(raw[1])
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		case 'n':
			out.WriteByte('\n')
		case 'r':
			out.WriteByte('\r')
		case 't':
			out.WriteByte('\t')
		case 'u':
			r, n, ok := readU(raw)
			if !ok {
				return "", errBadString
			}
			out.WriteRune(r)
			raw = raw[n:]
			continue
		default:
			return "", errBadString
		}
		raw = raw[2:]
	}
	return out.String(), nil
}

// readU decodes a \uXXXX escape at the start of raw, joining a following
// low surrogate escape into one rune. It returns the rune and bytes used.
func readU(raw []byte) (rune, int, bool) {
	if len(raw) < 6 || !isHex4(raw[2:6]) {
		return 0, 0, false
	}
	r := hexVal(raw[2])<<12 | hexVal(raw[3])<<8 | hexVal(raw[4])<<4 | hexVal(raw[5])
	if utf16.IsSurrogate(r) {
		if len(raw) >= 12 && raw[6] == '\\' && raw[7] == 'u' && isHex4(raw[8:12]) {
			r2 := hexVal(raw[8])<<12 | hexVal(raw[9])<<8 | hexVal(raw[10])<<4 | hexVal(raw[11])
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, 12, true
			}
		}
		return utf8.RuneError, 6, true
	}
	return r, 6, true
}
