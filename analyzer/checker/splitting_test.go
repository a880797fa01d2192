package checker_test

import (
	"testing"
)

// Code-split ES module builds: chunks import classes and esbuild's __name
// helper from each other. A comparison with the name of a class defined in
// another chunk is found in a minified build, and a keep-names build (the
// helper imported from a shared chunk) is clean.
func TestCodeSplitChunks(t *testing.T) {
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
	for _, keep := range []bool{false, true} {
		findings := splitBuild(t, files, []string{"src/a.js", "src/c.js"}, keep, true)
		compares := 0
		for _, f := range findings {
			if f.Rule == "name-compare" {
				compares++
			}
		}
		switch {
		case keep && len(findings) != 0:
			t.Errorf("keep-names split build: want no findings, got %d: %s", len(findings), findings[0].Message)
		case !keep && compares < 3:
			t.Errorf("split build: want the 3 comparisons (2 in shared chunks, 1 across chunks), got %d: %+v", compares, findings)
		}
	}
}
