package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// "X is imported from another chunk" needs a bundle that imports from
// another chunk. In a one-file bundle the imported class is inside, and a
// comparison with its name is right when the class carries that name
// itself (static name, defineProperty), or means nothing when tree
// shaking dropped the class (TestCodeSplitChunks in analyzer has the
// code-split build where the finding is right).
func TestNameCompareOneFileImports(t *testing.T) {
	cases := map[string]map[string]string{
		"static-name": {
			"shared.js": "export class Plugin { static name = \"Plugin\"; run() { return 1; } }\nexport class Other { run() { return 2; } }\n",
			"app.js": `import { Plugin, Other } from "./shared.js";
export const made = [new Plugin(), new Other()];
export function isPlugin(x) { return x.constructor.name === "Plugin"; }
`,
		},
		"tree-shaken": {
			"shared.js": "export class Unused { run() { return 1; } }\nexport class Used { run() { return 2; } }\n",
			"app.js": `import { Unused, Used } from "./shared.js";
export const made = new Used();
export function isUnused(x) { return x.constructor.name === "Unused"; }
`,
		},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) { checkOneFileImports(t, files) })
	}
}

func checkOneFileImports(t *testing.T, files map[string]string) {
	dir := t.TempDir()
	testfiles.Write(t, dir, files)
	for _, format := range []api.Format{api.FormatIIFE, api.FormatESModule} {
		out := filepath.Join(dir, "dist", map[api.Format]string{api.FormatIIFE: "iife", api.FormatESModule: "esm"}[format]+".js")
		findings := snippet{entry: filepath.Join(dir, "app.js"), out: out, format: format}.check(t, rules.All()...)
		for _, f := range findings {
			if f.Rule == "name-compare" {
				t.Errorf("%s: false alarm: %s", filepath.Base(out), f.Message)
			}
		}
	}
}
