package parse

import (
	"testing"
	"time"
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
