package sandbox_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
	"github.com/manglecheck/manglecheck/rules"
)

// TestRuntimeRuleDocs is rules.TestRuleDocs for the rules whose findings
// come from running bundles: the Bad example, minified, fails at startup;
// the Good one and a keep-names build of the Bad one start cleanly.
func TestRuntimeRuleDocs(t *testing.T) {
	n := 0
	for _, r := range rules.All() {
		if !r.Runtime {
			continue
		}
		n++
		t.Run(r.ID, func(t *testing.T) {
			for _, ex := range []struct {
				name      string
				src       string
				keepNames bool
				want      bool
			}{
				{"bad", r.Bad, false, true},
				{"good", r.Good, false, false},
				{"bad-keepnames", r.Bad, true, false},
			} {
				dir := t.TempDir()
				entry := filepath.Join(dir, "example.js")
				if err := os.WriteFile(entry, []byte(ex.src), 0o644); err != nil {
					t.Fatal(err)
				}
				res := api.Build(api.BuildOptions{
					EntryPoints: []string{entry}, Bundle: true, Outfile: filepath.Join(dir, "out", "example.js"),
					Format: api.FormatIIFE, Sourcemap: api.SourceMapLinked, MinifyWhitespace: true,
					MinifyIdentifiers: true, MinifySyntax: true, KeepNames: ex.keepNames, Write: true, LogLevel: api.LogLevelSilent,
				})
				if len(res.Errors) > 0 {
					t.Fatalf("esbuild: %s", res.Errors[0].Text)
				}
				out := smoke(t, []string{filepath.Join(dir, "out", "example.js")}, sandbox.Options{})
				got := 0
				for _, f := range out.Findings {
					if f.Rule == r.ID {
						got++
					}
				}
				if ex.want && got == 0 {
					t.Errorf("%s example does not fail at startup", ex.name)
				}
				if !ex.want && got != 0 {
					t.Errorf("%s example fails at startup: %s", ex.name, out.Findings[0].Message)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no runtime rule in rules.All()")
	}
}
