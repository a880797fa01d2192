package esm

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
)

// benchModule is one module of the generated benchmark bundle: classes,
// closures, template literals, regexes, object literals and async code,
// the mix minified application bundles are made of.
const benchModule = `
import { register, Base } from "./core.js";
export class Widget%[1]d extends Base {
	#state = { count: 0, items: [] };
	static selector = "widget-%[1]d";
	constructor(el, options = {}) {
		super(el);
		this.options = { ...Widget%[1]d.defaults, ...options, id: %[1]d };
		this.pattern = /^(?:[a-z]+)\/(\d+)$/i;
	}
	get count() { return this.#state.count }
	render(items) {
		const rows = items.filter((x) => x && x.visible !== false).map((x, i) =>
			` + "`<li class=\"${i %% 2 ? \"odd\" : \"even\"}\" data-id=\"${x.id}\">${escape(x.label)}</li>`" + `);
		this.el.innerHTML = ` + "`<ul>${rows.join(\"\")}</ul>`" + `;
		return rows.length / Math.max(1, items.length) * 100;
	}
	async load(url) {
		const res = await fetch(url, { headers: { accept: "application/json" } });
		if (!res.ok) throw new Error("load failed: " + res.status);
		const data = await res.json();
		for (const [key, value] of Object.entries(data)) {
			if (typeof value === "string" && this.pattern.test(value)) this.#state.items.push({ key, value });
			else if (Array.isArray(value)) value.forEach((v) => this.#state.items.push({ key, value: v }));
		}
		return this.#state.items.length;
	}
}
Widget%[1]d.defaults = { visible: true, limit: 10, sort: (a, b) => a.id - b.id };
function escape(s) {
	return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
export function create%[1]d(el) {
	const w = new Widget%[1]d(el, { limit: %[1]d %% 7 });
	register(w.constructor.name, w);
	return el ? w : null;
}
export const lazy%[1]d = () => import("./core.js").then((m) => m.default);
`

const benchCore = `
const registry = new Map();
export class Base { constructor(el) { this.el = el } }
export function register(name, w) { registry.set(name, w) }
export default registry;
`

// buildBenchBundle bundles n generated modules into one minified ES module.
func buildBenchBundle(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	var entry strings.Builder
	files := map[string]string{"core.js": benchCore}
	for i := 0; i < n; i++ {
		files[fmt.Sprintf("w%d.js", i)] = fmt.Sprintf(benchModule, i)
		fmt.Fprintf(&entry, "export * from \"./w%d.js\";\n", i)
	}
	files["entry.js"] = entry.String()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     dir,
		EntryPoints:       []string{"entry.js"},
		Bundle:            true,
		Format:            api.FormatESModule,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Outfile:           "out.js",
		Write:             false,
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 || len(res.OutputFiles) != 1 {
		b.Fatalf("esbuild: %v", res.Errors)
	}
	return string(res.OutputFiles[0].Contents)
}

// BenchmarkLower measures Lower on a generated esbuild-minified ES module
// (≈5 MB, one line, ending in a 6000-name export{…}) and, when
// fixtures/realworld/fetch.sh has run, on three.js×10 as an ES module.
//
//	go test ./analyzer/esm -run '^$' -bench Lower
func BenchmarkLower(b *testing.B) {
	inputs := []struct{ name, src string }{{"generated", buildBenchBundle(b, 3000)}}
	if data, err := os.ReadFile(filepath.Join(corpusDir, ".cache/three-x10.esm.min.js")); err == nil {
		inputs = append(inputs, struct{ name, src string }{"three-x10", string(data)})
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			if _, m, err := Lower(in.src); err != nil || m == nil {
				b.Fatalf("Lower: %v, module %v", err, m)
			}
			b.SetBytes(int64(len(in.src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Lower(in.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
