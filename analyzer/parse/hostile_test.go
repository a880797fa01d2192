package parse

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/analyzer/esm"
)

// esbuild 0.28.2 loops forever, allocating, when it quotes a text that
// ends in a truncated UTF-8 sequence into sourcesContent; the fallback
// asks it for no sourcesContent (found by FuzzCheck).
func TestFallbackTruncatedUTF8(t *testing.T) {
	for _, src := range []string{
		"x;//\xe2\x80",
		"export default 1;//\xf0\x9f\x98",
		"import a from 'b'\n/*\xec*/ a++;//\xec",
	} {
		done := make(chan error, 1)
		go func() {
			_, err := Parse("bad.js", src)
			done <- err
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse(%q) did not return", src)
		}
	}
}

// Left-associative chains nest no bracket, so only the tree depth bound
// stops them: before it, a 4 MB `x=a+a+…+a` overflowed the Go stack in
// the scope builder, a fatal error no recover catches.
func TestParseDeepChains(t *testing.T) {
	const n = 2 * MaxDepth
	for name, src := range map[string]string{
		"binary":   "x=" + strings.Repeat("a+", n) + "a",
		"logical":  "x=" + strings.Repeat("a||", n) + "a",
		"member":   "x=a" + strings.Repeat(".b", n),
		"index":    "x=a" + strings.Repeat("[0]", n),
		"call":     "x=a" + strings.Repeat("()", n),
		"optional": "x=a" + strings.Repeat("?.b", n),
		"tagged":   "x=a" + strings.Repeat("``", n),
		"esm":      "export default " + strings.Repeat("a+", n) + "a",
	} {
		_, err := Parse(name+".js", src)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, esm.ErrTooDeep) || e.Line != 1 || e.Offset < 0 {
			t.Errorf("%s: Parse = %v, want a depth error", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "nested deeper than") {
			t.Errorf("%s: message %q", name, err)
		}
	}
	// Half the limit is fine, and so are long flat lists.
	for name, src := range map[string]string{
		"binary":   "x=" + strings.Repeat("a+", MaxDepth/2) + "a",
		"sequence": "x=(" + strings.Repeat("a,", n) + "a)",
		"array":    "x=[" + strings.Repeat("a,", n) + "a]",
	} {
		if _, err := Parse(name+".js", src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
