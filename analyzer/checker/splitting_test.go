package checker_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// Code-split ES module builds: chunks import classes and esbuild's __name
// helper from each other. A comparison with the name of a class defined in
// another chunk is found in a minified build, and a keep-names build (the
// helper imported from a shared chunk) is clean.
func TestCodeSplitChunks(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"src/shared.js": `export class Plugin {}
export function isPlugin(x) { return x.constructor.name === "Plugin"; }`,
		"src/util.js": `export class Helper {}
export function helperName(h) { return h.constructor.name === "Helper"; }`,
		"src/a.js": `import { Plugin, isPlugin } from "./shared.js";
import { Helper, helperName } from "./util.js";
console.log(isPlugin(new Plugin()), helperName(new Helper()));`,
		"src/c.js": `import { Helper } from "./util.js";
import { Plugin } from "./shared.js";
class Local {}
const p = new Plugin();
console.log(new Helper(), new Local(), p.constructor.name === "Plugin");`,
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, keep := range []bool{false, true} {
		out := filepath.Join(dir, "dist", map[bool]string{false: "plain", true: "keep"}[keep])
		res := api.Build(api.BuildOptions{
			EntryPoints: []string{filepath.Join(dir, "src", "a.js"), filepath.Join(dir, "src", "c.js")},
			Bundle:      true, Splitting: true, Format: api.FormatESModule, Outdir: out,
			Sourcemap: api.SourceMapLinked, MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true,
			KeepNames: keep, Write: true, LogLevel: api.LogLevelSilent,
		})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors[0].Text)
		}
		got, err := checker.Check(context.Background(), []string{out}, checker.Options{Rules: rules.All()})
		if err != nil {
			t.Fatal(err)
		}
		if got.Failed() {
			t.Fatalf("a chunk could not be analyzed: %+v", got.Files)
		}
		compares := 0
		for _, f := range got.Findings {
			if f.Rule == "name-compare" {
				compares++
			}
		}
		switch {
		case keep && len(got.Findings) != 0:
			t.Errorf("keep-names split build: want no findings, got %d: %s", len(got.Findings), got.Findings[0].Message)
		case !keep && compares < 3:
			t.Errorf("split build: want the 3 comparisons (2 in shared chunks, 1 across chunks), got %d: %+v", compares, got.Findings)
		}
	}
}
