package sandbox_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
)

// smoke never hangs on hostile bundles: a long a+a+…+a chain (goja's
// compiler is quadratic in it; the parser's depth bound stops it), and
// bundles ending in a truncated UTF-8 sequence (esbuild 0.28.2 loops
// forever quoting them into sourcesContent when it lowers or links them).
func TestSmokeHostile(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"chain.js":      "x=" + strings.Repeat("a+", 1000000) + "a",
		"truncated.js":  "x=1;//\xe2\x80",
		"truncated.mjs": "export default 1;//\xe2\x80",
		"lowered.js":    "async function*g(){}x=1;//\xe2\x80",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"chain.js", "truncated.js", "truncated.mjs", "lowered.js"} {
		done := make(chan checker.Result, 1)
		go func() {
			// A budget that a loaded machine cannot miss: what is tested is
			// the nesting bound, not the clock.
			res, err := sandbox.Smoke(context.Background(), []string{filepath.Join(dir, name)}, &analyzer.Rule{ID: "startup-error", Severity: analyzer.Error}, with(sandbox.Options{Limits: sandbox.Limits{Timeout: time.Minute}}))
			if err != nil {
				t.Error(err)
			}
			done <- res
		}()
		select {
		case res := <-done:
			if name == "chain.js" && (len(res.Files) != 1 || res.Files[0].Error == nil || !strings.Contains(*res.Files[0].Error, "nested deeper than")) {
				t.Errorf("%s: files %+v (%s), want a nesting error", name, res.Files, *res.Files[0].Error)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s: smoke hangs", name)
		}
	}
}
