package parse

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
)

// benchBundle is a minified esbuild ES module of n copies of a module with
// classes, closures, templates and regexes (n=6000: ≈2.4 MB).
func benchBundle(b *testing.B, n int) string {
	files := map[string]string{"core.js": "export class Base { constructor(el) { this.el = el } }\nexport const registry = new Map();\n"}
	var entry strings.Builder
	for i := 0; i < n; i++ {
		files[fmt.Sprintf("m%d.js", i)] = fmt.Sprintf(`import { Base, registry } from "./core.js";
export class Widget%[1]d extends Base {
	static selector = "w-%[1]d";
	render(items) {
		const rows = items.filter((x) => x && x.visible !== false).map((x, i) => `+"`<li class=\"${i %% 2 ? \"odd\" : \"even\"}\">${x.label}</li>`"+`);
		this.el.innerHTML = rows.join("");
		return /^(?:ok|done)$/.test(this.el.dataset.state) ? rows.length / 2 : 0;
	}
	async load(url) { const r = await fetch(url); for (const [k, v] of Object.entries(await r.json())) registry.set(k + %[1]d, v); }
}
export const lazy%[1]d = (name) => import(name);
`, i)
		fmt.Fprintf(&entry, "export * from \"./m%d.js\";\n", i)
	}
	files["entry.js"] = entry.String()
	return buildESM(b, files, "entry.js", true)
}

// BenchmarkParse compares the stages on one ES module bundle: Lower alone,
// the fast path (Lower + goja), goja alone on the lowered text, and the
// esbuild fallback; then the fast path and the fallback on three.js×10
// when fixtures/realworld/fetch.sh has run.
//
//	go test ./analyzer/parse -run '^$' -bench Parse -benchtime 5x
func BenchmarkParse(b *testing.B) {
	src := benchBundle(b, 6000)
	script, _, err := esm.Lower(src)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("lower", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if _, _, err := esm.LowerWith(src, esm.Options{MaxNesting: MaxNesting, MaxChain: MaxChain}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fast-path", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			res, err := Parse("bundle.js", src)
			if err != nil || res.Fallback {
				b.Fatalf("%v, fallback %v", err, res != nil && res.Fallback)
			}
		}
	})
	b.Run("goja-only", func(b *testing.B) {
		b.SetBytes(int64(len(script)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parser.ParseFile(nil, "bundle.js", script, 0, parser.WithDisableSourceMaps); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fallback", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fallback("bundle.js", src); err != nil {
				b.Fatal(err)
			}
		}
	})
	if data, err := os.ReadFile("../../fixtures/realworld/.cache/three-x10.esm.min.js"); err == nil {
		src := string(data)
		b.Run("three-x10-fast-path", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if res, err := Parse("three.js", src); err != nil || res.Fallback {
					b.Fatal(err)
				}
			}
		})
		b.Run("three-x10-fallback", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := fallback("three.js", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkChunked compares Parse as it was before large bundles were
// parsed in pieces ("whole": Lower, goja, the depth bound, one after the
// other) with Parse ("Parse": in pieces when GOMAXPROCS > 1) on the
// three.js×10 bundles of fixtures/realworld/fetch.sh; cpu-ns/op is the
// process's CPU time (all threads, GC included) per parse.
//
//	GOMAXPROCS=2 go test ./analyzer/parse -run '^$' -bench Chunked -count 6
func BenchmarkChunked(b *testing.B) {
	for _, name := range []string{"three-x10.iife.min.js", "three-x10.esm.min.js", "three-x10.iife.js"} {
		data, err := os.ReadFile("../../fixtures/realworld/.cache/" + name)
		if err != nil {
			cachetest.Missing(b, "fixtures/realworld/.cache/"+name, "fixtures/realworld/fetch.sh")
		}
		src := string(data)
		for _, mode := range []string{"whole", "Parse"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					if mode == "Parse" {
						if _, err := Parse(name, src); err != nil {
							b.Fatal(err)
						}
						continue
					}
					text, _, err := esm.LowerWith(src, esm.Options{MaxNesting: MaxNesting, MaxChain: MaxChain})
					if err != nil {
						b.Fatal(err)
					}
					prg, err := gojaParse(name, text)
					if err != nil {
						b.Fatal(err)
					}
					if err := checkDepth(name, src, &Result{Program: prg}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// cpuTime is the user and system time of the process so far, in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkScanBodies measures the split planner's scan alone (the token
// stream, the function bodies and the cut candidates) on the three.js×10
// bundles of fixtures/realworld/fetch.sh.
//
//	go test ./analyzer/parse -run '^$' -bench ScanBodies
func BenchmarkScanBodies(b *testing.B) {
	for _, name := range []string{"three-x10.iife.min.js", "three-x10.esm.min.js", "three-x10.iife.js"} {
		data, err := os.ReadFile("../../fixtures/realworld/.cache/" + name)
		if err != nil {
			cachetest.Missing(b, "fixtures/realworld/.cache/"+name, "fixtures/realworld/fetch.sh")
		}
		src := string(data)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				scanBodies(src, len(src)/2)
			}
		})
	}
}
