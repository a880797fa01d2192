package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/rules"
)

var idRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Every rule is documented, and its examples do what the docs say: the Bad
// example, minified, is flagged by the rule; the Good one is not; a
// keep-names build of the Bad one is clean unless the rule says keep-names
// cannot fix it.
func TestRuleDocs(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.All() {
		if !idRE.MatchString(r.ID) || seen[r.ID] {
			t.Errorf("rule ID %q is not unique kebab-case", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q must be set and have no trailing period", r.ID, r.Title)
		}
		if len(r.Doc) < 200 || r.Fix == "" || r.Bad == "" || r.Good == "" || r.Run == nil || r.Severity == 0 {
			t.Errorf("%s: Doc, Fix, Bad, Good, Severity and Run are all required", r.ID)
		}
		if r.Runtime {
			// Reported by running bundles (manglecheck smoke): its
			// examples are run by analyzer/sandbox's TestRuntimeRuleDocs,
			// its fixtures are fixtures/smoke.
			continue
		}
		if _, err := os.Stat(filepath.Join("..", "fixtures", r.ID)); err != nil {
			t.Errorf("%s: no fixtures directory: %v", r.ID, err)
		}
		r := r
		t.Run(r.ID, func(t *testing.T) {
			for _, ex := range []struct {
				name      string
				src       string
				keepNames bool
				want      bool
			}{
				{"bad", r.Bad, false, true},
				{"good", r.Good, false, false},
				{"bad-keepnames", r.Bad, true, r.KeepNamesUnfixed},
			} {
				n := countFindings(t, r, ex.src, ex.keepNames)
				if ex.want && n == 0 {
					t.Errorf("%s example is not flagged by %s", ex.name, r.ID)
				}
				if !ex.want && n != 0 {
					t.Errorf("%s example is flagged by %s", ex.name, r.ID)
				}
			}
		})
	}
}

// countFindings minifies src with esbuild (with a map) and counts rule's
// findings on it.
func countFindings(t *testing.T, r *analyzer.Rule, src string, keepNames bool) int {
	t.Helper()
	dir := t.TempDir()
	entry := filepath.Join(dir, "example.js")
	if err := os.WriteFile(entry, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := api.BuildOptions{
		EntryPoints: []string{entry}, Bundle: true, Outfile: filepath.Join(dir, "out", "example.js"),
		Format: api.FormatIIFE, Sourcemap: api.SourceMapLinked, MinifyWhitespace: true,
		MinifyIdentifiers: true, MinifySyntax: true, KeepNames: keepNames, Write: true, LogLevel: api.LogLevelSilent,
	}
	if r.ID == "mangled-property" {
		// The example is about property mangling: turn it on.
		opts.MangleProps = "^_"
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild: %s", res.Errors[0].Text)
	}
	out, err := analyzer.Check(context.Background(), []string{filepath.Join(dir, "out", "example.js")},
		analyzer.Options{Rules: []*analyzer.Rule{r}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Failed() {
		t.Fatalf("example could not be analyzed: %s", *out.Files[0].Error)
	}
	return len(out.Findings)
}
