package rules_test

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

var idRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Every rule is documented, and its examples do what the docs say: the Bad
// example, minified, is flagged by the rule at the line badLines marks and
// nowhere else; the Good one is not flagged; a
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
			// examples are run by cmd/manglecheck/internal/sandbox's TestRuntimeRuleDocs,
			// its fixtures are fixtures/smoke.
			continue
		}
		if _, err := os.Stat(filepath.Join("..", "fixtures", r.ID)); err != nil {
			t.Errorf("%s: no fixtures directory: %v", r.ID, err)
		}
		r := r
		t.Run(r.ID, func(t *testing.T) {
			line := flaggedLine(t, r)
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
				found := findings(t, r, ex.src, ex.keepNames)
				if ex.want && len(found) == 0 {
					t.Errorf("%s example is not flagged by %s", ex.name, r.ID)
				}
				if !ex.want && len(found) != 0 {
					t.Errorf("%s example is flagged by %s", ex.name, r.ID)
				}
				if !ex.want || line == 0 {
					continue
				}
				// Every finding is at the marked line, mapped back
				// through the source map: a finding elsewhere is not
				// what the example documents.
				for _, f := range found {
					if f.Original == nil || path.Base(f.Original.Source) != "example.js" || f.Original.Line != line {
						t.Errorf("%s example: %s finding at %+v, want example.js line %d (%q)", ex.name, r.ID, f.Original, line, badLines[r.ID])
					}
				}
			}
		})
	}
	for id := range badLines {
		if r := rules.ByID(id); r == nil || r.Runtime {
			t.Errorf("badLines names %q, which is not a static rule", id)
		}
	}
}

// badLines marks, for each rule, the line of its Bad example that the rule
// must flag: the text of that line, which must occur on exactly one line.
// (The examples are shown as they are by `manglecheck explain` and the
// README, so the mark is kept here rather than as a comment in them.)
var badLines = map[string]string{
	"callee-name":      `if (new.target.name === "Shape")`,
	"global-lookup":    `window["init"]();`,
	"keep-names-gap":   `export class Forgotten {}`,
	"mangled-property": `console.log(c["_count"], "_count" in c);`,
	"name-compare":     `return x.constructor.name === "UserService";`,
	"name-derived":     `tables[cls.name.toLowerCase()] = cls;`,
	"name-key":         `shapes[cls.name] = cls;`,
	"name-message":     `this.name = this.constructor.name;`,
	"param-names":      `.controller("MainCtrl", function ($scope, $http) {`,
	"shipped-source":   `const run = new Function(...Object.keys(api), "return (" + job.toString() + ");");`,
	"stack-names":      `return new Error().stack.includes("bootstrap");`,
}

// flaggedLine returns the 1-based line of r.Bad that badLines marks, or 0
// after reporting why there is none.
func flaggedLine(t *testing.T, r *analyzer.Rule) int {
	t.Helper()
	mark, ok := badLines[r.ID]
	if !ok {
		t.Errorf("%s: no entry in badLines: mark the line of the Bad example the rule must flag", r.ID)
		return 0
	}
	line := 0
	for i, l := range strings.Split(r.Bad, "\n") {
		if strings.Contains(l, mark) {
			if line != 0 {
				t.Errorf("%s: badLines mark %q is on lines %d and %d of the Bad example", r.ID, mark, line, i+1)
				return 0
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Errorf("%s: badLines mark %q is on no line of the Bad example", r.ID, mark)
	}
	return line
}

// findings minifies src with esbuild (with a map) and returns rule's
// findings on it.
func findings(t *testing.T, r *analyzer.Rule, src string, keepNames bool) []analyzer.Finding {
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
	out, err := checker.Check(context.Background(), []string{filepath.Join(dir, "out", "example.js")},
		checker.Options{Rules: []*analyzer.Rule{r}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Failed() {
		t.Fatalf("example could not be analyzed: %s", *out.Files[0].Error)
	}
	return out.Findings
}
