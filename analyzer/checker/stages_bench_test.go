package checker_test

import (
	"os"
	"testing"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
	"github.com/manglecheck/manglecheck/analyzer/walk"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
)

// BenchmarkStages times each stage of the per-file pipeline on three.js
// ×10 minified by esbuild (fixtures/realworld/fetch.sh builds it), so a
// regression shows up in the stage that caused it.
func BenchmarkStages(b *testing.B) {
	const path = "../../fixtures/realworld/.cache/three-x10.iife.min.js"
	data, err := os.ReadFile(path)
	if err != nil {
		cachetest.Missing(b, path, "fixtures/realworld/fetch.sh")
	}
	raw, err := os.ReadFile(path + ".map")
	if err != nil {
		cachetest.Missing(b, path+".map", "fixtures/realworld/fetch.sh")
	}
	esmData, _ := os.ReadFile("../../fixtures/realworld/.cache/three-x10.esm.min.js")
	src := string(data)
	p, err := parse.Parse(path, src)
	if err != nil {
		b.Fatal(err)
	}
	sm, err := sourcemap.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	li := lines.New(src)
	sc := scope.Build(p.Program, scope.Options{})
	originalAt := func(pos int, emitted string) (string, bool) {
		l, c := li.Position(pos)
		m, ok := sm.Find(l, c)
		if !ok || m.GenLine != l || m.GenCol != c {
			return "", false
		}
		if m.HasName {
			return m.Name, true
		}
		return emitted, true
	}
	run := func(name string, size int, f func()) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f()
			}
		})
	}
	run("parse", len(src), func() { parse.Parse(path, src) })
	if len(esmData) > 0 {
		run("esm-lower", len(esmData), func() { esm.Lower(string(esmData)) })
	}
	run("sourcemap", len(raw), func() { sourcemap.Parse(raw) })
	run("lines", len(src), func() { lines.New(src) })
	run("walk", len(src), func() { walk.Inspect(p.Program, func(n ast.Node) bool { return true }) })
	run("scope", len(src), func() { scope.Build(p.Program, scope.Options{}) })
	run("names", len(src), func() {
		names.Analyze(p.Program, sc, names.Options{OriginalAt: originalAt, HasMap: true, Minified: true, DefaultExport: -1})
	})
}
