package checker_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// A source map whose segments carry no names and that has no
// sourcesContent says nothing about what an identifier was called:
// findings the bundle alone shows must not vanish because such a map is
// present (they did: every identifier was taken as "not renamed").
func TestFindingsSurviveMapWithoutNames(t *testing.T) {
	src := `class UserService { run() { return 1; } }
export function isUser(x) { return x.constructor.name === "UserService"; }
export const svc = new UserService();
`
	res := api.Transform(src, api.TransformOptions{MinifyIdentifiers: true, MinifySyntax: true, MinifyWhitespace: true, Format: api.FormatIIFE, GlobalName: "lib", Sourcemap: api.SourceMapExternal, Sourcefile: "src/user.js"})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	var m map[string]any
	if err := json.Unmarshal(res.Map, &m); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bare := write("bare/app.js", res.Code)
	withMap := write("mapped/app.js", append(append([]byte{}, res.Code...), "\n//# sourceMappingURL=app.js.map\n"...))
	delete(m, "sourcesContent")
	m["names"] = []string{}
	stripped, _ := json.Marshal(m)
	write("mapped/app.js.map", stripped)

	rulesOf := func(path string) []string {
		r, err := checker.Check(context.Background(), []string{path}, checker.Options{Rules: rules.All()})
		if err != nil || r.Failed() {
			t.Fatalf("%s: %v %+v", path, err, r.Files)
		}
		var out []string
		for _, f := range r.Findings {
			out = append(out, f.Rule)
		}
		slices.Sort(out)
		return out
	}
	without, with := rulesOf(bare), rulesOf(withMap)
	if len(without) == 0 {
		t.Fatal("the bundle alone shows no finding; the test proves nothing")
	}
	if !slices.Equal(without, with) {
		t.Errorf("with a map that has no names: %q, without a map: %q", with, without)
	}
}
