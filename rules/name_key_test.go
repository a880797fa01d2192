package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/rules"
)

// A table that holds neither the source nor the runtime name of the
// classes a lookup may name misses before minification and after it: no
// finding. The same table keyed by a source name is an error.
func TestNameKeyTableEvidence(t *testing.T) {
	for _, c := range []struct {
		name, table string
		want        string // "" or the severity of the one finding
	}{
		{"neither name", `{ nan: "NaN", null: "nothing" }`, ""},
		{"source name", `{ Invoice: "an invoice", null: "nothing" }`, "error"},
	} {
		dir := t.TempDir()
		src := `class Invoice { constructor(no) { this.no = no; } }
class Customer { constructor(id) { this.id = id; } }
const LABELS = ` + c.table + `;
function label(x) {
  const t = x === null ? "null" : x.constructor.name;
  return LABELS[t] ?? t;
}
console.log(label(new Invoice(1)), label(new Customer(2)), label(null));
`
		if err := os.WriteFile(filepath.Join(dir, "in.js"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out.js")
		res := api.Build(api.BuildOptions{
			EntryPoints: []string{filepath.Join(dir, "in.js")}, Outfile: out, Bundle: true, Format: api.FormatIIFE,
			MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true,
			Sourcemap: api.SourceMapLinked, Write: true, LogLevel: api.LogLevelSilent,
		})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors[0].Text)
		}
		r, err := analyzer.Check(context.Background(), []string{out}, analyzer.Options{Rules: []*analyzer.Rule{rules.NameKey}, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range r.Findings {
			got = append(got, f.Severity.String())
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s: got findings %q, want %q", c.name, got, c.want)
			for _, f := range r.Findings {
				t.Log(f.Message)
			}
		}
	}
}
