package rules_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// A library module's top-level binding is no global, even when the code
// also reads a global of the same name (apollo-client's __DEV__ against
// globalThis.__DEV__, echarts' devicePixelRatio against
// window.devicePixelRatio). Whether the source is a module is read from its
// text, which may be a pre-minified module (`…;export{…}`), or, when the
// map has no sourcesContent and the file is not at hand, from the bundle:
// a binding inside its IIFE wrapper or at an ES module's top level was no
// global of it. A script's top-level function looked up on window stays an
// error (the rule's own Bad example, here also without sourcesContent).
func TestGlobalLookupModuleScope(t *testing.T) {
	cases := []struct {
		name, src string
		want      int // global-lookup findings in every build
	}{
		{"module", `const __DEV__ = globalThis.__DEV__ !== false;
export function warn(m) { if (__DEV__) console.warn(m); return window.__DEV__; }
`, 0},
		{"preminified-module", "var devicePixelRatio=window.devicePixelRatio||1;function dpr(){return window.devicePixelRatio||devicePixelRatio}export{dpr,devicePixelRatio};", 0},
		// The leading arguments of new Function are its parameters
		// (pixi.js compiles shader code as new Function("r", "s", src)),
		// and a property name or a string in code text is no variable;
		// the body's own free variable still is a lookup.
		{"function-params", `function refresh() { return "fresh"; }
function render() { return "rendered"; }
document.addEventListener("load", () => [refresh, render]);
const pair = new Function("refresh", "render", "return [refresh, render].length");
const prop = new Function("o", "return o.render + 'refresh'");
console.log(pair(1, 2), prop({}));
`, 0},
		{"function-body", `function refresh() { return "fresh"; }
document.addEventListener("load", refresh);
const run = new Function("render", "return refresh(render)");
console.log(run());
`, 1},
		{"script", `function init() { return "started"; }
document.addEventListener("DOMContentLoaded", init);
window["init"]();
`, 1},
	}
	for _, c := range cases {
		for _, content := range []bool{true, false} {
			for _, format := range []api.Format{api.FormatIIFE, api.FormatESModule} {
				script := c.name == "script" || strings.HasPrefix(c.name, "function-")
				if script && (!content || format == api.FormatESModule) {
					// Nothing but the source text says the script's
					// top level was global.
					continue
				}
				name := c.name
				if !content {
					name += "/no-sources-content"
				}
				name += map[api.Format]string{api.FormatIIFE: "/iife", api.FormatESModule: "/esm"}[format]
				t.Run(name, func(t *testing.T) {
					dir := t.TempDir()
					testfiles.Write(t, dir, map[string]string{
						"lib.js":   c.src,
						"entry.js": `import * as lib from "./lib.js"; globalThis.lib = lib; export { lib };`,
					})
					lib, entry := filepath.Join(dir, "lib.js"), filepath.Join(dir, "entry.js")
					if script {
						entry = lib
					}
					findings := snippet{entry: entry, out: filepath.Join(dir, "out.js"), format: format, noSourcesContent: !content}.check(t, rules.All()...)
					n := 0
					for _, f := range findings {
						if f.Rule == "global-lookup" {
							n++
							if c.want == 0 {
								t.Errorf("false alarm: %s", f.Message)
							}
						}
					}
					if n != c.want {
						t.Errorf("%d global-lookup findings, want %d", n, c.want)
					}
				})
			}
		}
	}
}
