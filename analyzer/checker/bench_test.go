package checker_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
	"github.com/manglecheck/manglecheck/rules"
)

// BenchmarkCheck runs the whole pipeline (read, parse, source map, scopes,
// names, every rule) on the three.js×10 bundles that
// fixtures/realworld/fetch.sh builds: 7.5 MB minified by esbuild, as an
// IIFE and as an ES module, and 18 MB unminified. MB/s is bundle bytes.
//
//	go test ./analyzer -run '^$' -bench Check -benchtime 5x
func BenchmarkCheck(b *testing.B) {
	if _, err := os.Stat(realworldCache); err != nil {
		cachetest.Missing(b, realworldCache, "fixtures/realworld/fetch.sh")
	}
	cases := []struct {
		name, file, sourceMap string
	}{
		{"three-x10-iife-map", "three-x10.iife.min.js", ""},
		{"three-x10-iife-nomap", "three-x10.iife.min.js", "none"},
		{"three-x10-esm-map", "three-x10.esm.min.js", ""},
		{"three-x10-unminified", "three-x10.iife.js", ""},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			path := filepath.Join(realworldCache, c.file)
			st, err := os.Stat(path)
			if err != nil {
				cachetest.Missing(b, path, "fixtures/realworld/fetch.sh")
			}
			opts := checker.Options{Rules: rules.All(), SourceMap: c.sourceMap, Workers: 1}
			ctx := context.Background()
			b.SetBytes(st.Size())
			b.ReportAllocs()
			// CPU time too: on a shared machine it varies much less than
			// wall time, and it shows what running stages in parallel
			// costs.
			cpu0 := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op") }()
			for b.Loop() {
				res, err := checker.Check(ctx, []string{path}, opts)
				if err != nil {
					b.Fatal(err)
				}
				for _, f := range res.Files {
					if f.Error != nil {
						b.Fatalf("%s: %s", f.Path, *f.Error)
					}
					if c.sourceMap == "" && f.SourceMap == nil {
						b.Fatalf("%s: analyzed without its source map (warnings: %q)", f.Path, f.Warnings)
					}
				}
			}
		})
	}
}
