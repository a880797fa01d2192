package esm

import (
	"encoding/json"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
)

// The sources of a small app: two entry points share a module, so esbuild
// splits it into a chunk that both import from; the shared module imports
// a lazy chunk with import() and the lazy chunk uses import.meta and
// top-level await.
var splitApp = map[string]string{
	"shared.js": `
export class Store { constructor(n) { this.name = n } static create(n) { return new this(n) } }
export function describe(s) { return ` + "`${s.name}/${s.constructor.name}`" + ` }
export const VERSION = "1.0", PATTERN = /import\s+x/g;
export default function registry(kind) { return kind === "a" ? /a/.test(kind) : 1 / 2 / 3 }
export async function lazy() { const m = await import("./lazy.js"); return m.default }
`,
	"a.js": `
import registry, { Store, describe } from "./shared.js";
export const fromA = describe(Store.create("a")) + registry("a");
export default function () { return fromA }
`,
	"b.js": `
import * as shared from "./shared.js";
export { lazy } from "./shared.js";
export class B extends shared.Store { get kind() { return shared.VERSION } }
export * from "./re.js";
`,
	"re.js": `export const re1 = 1, re2 = 2;`,
	"lazy.js": `
const url = new URL("data.bin", import.meta.url);
const data = await Promise.resolve(url.href);
export default class { load() { return data } }
for await (const x of [1, 2]) console.log(x);
`,
}

type metafile struct {
	Outputs map[string]struct {
		Imports []struct {
			Path string `json:"path"`
			Kind string `json:"kind"`
		} `json:"imports"`
		Exports []string `json:"exports"`
	} `json:"outputs"`
}

func TestLowerEsbuildSplitting(t *testing.T) {
	dir := testfiles.Tree(t, splitApp)
	for _, mode := range []struct {
		name                       string
		whitespace, idents, syntax bool
	}{
		{"unminified", false, false, false},
		{"whitespace", true, false, false},
		{"minified", true, true, true},
	} {
		t.Run(mode.name, func(t *testing.T) {
			res := api.Build(api.BuildOptions{
				AbsWorkingDir:     dir,
				EntryPoints:       []string{"a.js", "b.js"},
				Bundle:            true,
				Splitting:         true,
				Format:            api.FormatESModule,
				Outdir:            "out",
				Write:             false,
				Metafile:          true,
				MinifyWhitespace:  mode.whitespace,
				MinifyIdentifiers: mode.idents,
				MinifySyntax:      mode.syntax,
				LogLevel:          api.LogLevelSilent,
			})
			if len(res.Errors) > 0 {
				t.Fatalf("esbuild: %v", res.Errors)
			}
			var meta metafile
			if err := json.Unmarshal([]byte(res.Metafile), &meta); err != nil {
				t.Fatal(err)
			}
			chunks, sawMeta, sawTLA, sawForAwait := 0, false, false, false
			for _, f := range res.OutputFiles {
				rel, _ := filepath.Rel(dir, f.Path)
				rel = filepath.ToSlash(rel)
				out := meta.Outputs[rel]
				src := string(f.Contents)
				_, m := checkLowering(t, rel, src)
				if m == nil {
					t.Fatalf("%s: no module syntax found in\n%s", rel, src)
				}
				// Exported names agree with esbuild's metafile.
				var exported []string
				for _, e := range m.Exports {
					exported = append(exported, e.Exported)
				}
				slices.Sort(exported)
				want := slices.Clone(out.Exports)
				slices.Sort(want)
				if !reflect.DeepEqual(exported, want) && !(len(exported) == 0 && len(want) == 0) {
					t.Errorf("%s: exports %q, metafile says %q\n%s", rel, exported, want, src)
				}
				// Every import comes from an import-statement of the metafile,
				// and import() calls match its dynamic imports.
				static, dynamic := map[string]bool{}, 0
				for _, im := range out.Imports {
					switch im.Kind {
					case "import-statement":
						static[im.Path] = true
					case "dynamic-import":
						dynamic++
					}
				}
				for _, im := range m.Imports {
					if p := path.Join("out", im.Source); !static[p] {
						t.Errorf("%s: import %+v from %s, not an import-statement of the metafile %v", rel, im, p, static)
					}
					if strings.HasPrefix(path.Base(im.Source), "chunk-") {
						chunks++
					}
				}
				if len(m.DynamicImports) != dynamic {
					t.Errorf("%s: %d import() rewritten, metafile has %d", rel, len(m.DynamicImports), dynamic)
				}
				sawMeta = sawMeta || len(m.ImportMeta) > 0
				sawTLA = sawTLA || m.TopLevelAwait
				sawForAwait = sawForAwait || len(m.ForAwait) > 0
			}
			if chunks < 2 || !sawMeta || !sawTLA || !sawForAwait {
				t.Errorf("the build did not exercise everything: %d chunk imports, import.meta %v, top-level await %v, for await %v",
					chunks, sawMeta, sawTLA, sawForAwait)
			}
		})
	}
}

// formsSrc uses every import and export form.
const formsSrc = `
import def, * as ns from "./ns.js";
import { a, b as bee, "str-name" as strName, default as def2 } from "./named.js";
import "./side.js";
import json from "./data.json" with { type: "json" };
export { a, bee as b2, strName as "str-out" };
export { x as reX, default as reDefault, "q-q" as qq } from "./re.js";
export * from "./star.js";
export * as starNs from "./star2.js";
export const c1 = 1, { c2, c3: [c4] } = ns;
export let l1;
export function f1() { return import("./dyn.js") }
export async function f2() { for await (const x of ns.it) console.log(x) }
export function* g1() { yield 1 }
export class K1 extends def { static k = /x/ }
export default class extends def2 { m() { return import.meta.url } }
const top = await f2();
console.log(json, top, c1, c2, c4, l1, K1, g1);
`

func TestLowerEsbuildForms(t *testing.T) {
	wantExports := []string{"*", "K1", "b2", "c1", "c2", "c4", "default", "f1", "f2", "g1", "l1", "a", "qq", "reDefault", "reX", "starNs", "str-out"}
	slices.Sort(wantExports)
	wantImports := []string{"*./ns.js", "a./named.js", "b./named.js", "default./data.json", "default./named.js", "default./ns.js", "str-name./named.js"}
	// FormatESModule turns every export into one final export{…} clause and
	// re-exports into imports; the default format keeps the forms as written.
	reexports := []string{"*./star2.js", "default./re.js", "q-q./re.js", "x./re.js"}
	for _, format := range []api.Format{api.FormatDefault, api.FormatESModule} {
		for _, minify := range []bool{false, true} {
			res := api.Transform(formsSrc, api.TransformOptions{
				Format:            format,
				Target:            api.ESNext,
				MinifyWhitespace:  minify,
				MinifyIdentifiers: minify,
				MinifySyntax:      minify,
				Sourcefile:        "forms.js",
			})
			if len(res.Errors) > 0 {
				t.Fatalf("esbuild: %v", res.Errors)
			}
			src := string(res.Code)
			_, m := checkLowering(t, "forms.js", src)
			var exports, imports []string
			for _, e := range m.Exports {
				exports = append(exports, e.Exported)
			}
			for _, im := range m.Imports {
				imports = append(imports, im.Imported+im.Source)
			}
			want := slices.Clone(wantImports)
			if format == api.FormatESModule {
				want = append(want, reexports...)
			}
			slices.Sort(exports)
			slices.Sort(imports)
			slices.Sort(want)
			if !reflect.DeepEqual(exports, wantExports) {
				t.Errorf("format %v minify=%v: exports %q\nwant %q\n%s", format, minify, exports, wantExports, src)
			}
			if !reflect.DeepEqual(imports, want) {
				t.Errorf("format %v minify=%v: imports %q\nwant %q\n%s", format, minify, imports, want, src)
			}
			anonymousDefault := format == api.FormatDefault
			if (m.DefaultExpr >= 0) != anonymousDefault || (m.DefaultVar != "") != anonymousDefault ||
				len(m.DynamicImports) != 1 || len(m.ImportMeta) != 1 || len(m.ForAwait) != 1 || !m.TopLevelAwait {
				t.Errorf("format %v minify=%v: %+v\n%s", format, minify, m, src)
			}
		}
	}
}
