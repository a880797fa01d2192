package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
	"github.com/manglecheck/manglecheck/rules"
)

// realworldCache is where fixtures/realworld/fetch.sh builds the real
// bundler outputs and the three.js×10 bundles (git-ignored).
const realworldCache = "../fixtures/realworld/.cache"

// realworldMatrix lists the directories fetch.sh builds under
// .cache/bundlers, named <bundler>-<format>; a missing one means a partial
// or stale cache.
var realworldMatrix = []string{
	"esbuild-cjs", "esbuild-esm", "esbuild-iife",
	"rollup-cjs", "rollup-esm", "rollup-esm-unminified", "rollup-iife",
	"webpack-cjs", "webpack-esm", "webpack-iife",
}

// realworldDir returns the cache directory named by rel; when fetch.sh has
// not built it the test skips, or fails under MANGLECHECK_REQUIRE_CACHES=1.
func realworldDir(tb testing.TB, rel string) string {
	tb.Helper()
	return cachetest.Need(tb, filepath.Join(realworldCache, rel), "fixtures/realworld/fetch.sh")
}

// TestRealWorldBundlers analyzes every file that rollup, webpack and
// esbuild produced from fixtures/realworld/app, in every output format, and
// requires each one to be analyzed; the bundler × format matrix is logged.
func TestRealWorldBundlers(t *testing.T) {
	root := realworldDir(t, "bundlers")

	type cell struct {
		files, failed, modules, withMap, findings, warnings int
	}
	cells := map[string]*cell{}
	var paths []string
	dirOf := map[string]string{}
	for _, name := range realworldMatrix {
		dir := filepath.Join(root, name)
		cells[name] = &cell{}
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch filepath.Ext(p) {
			case ".js", ".mjs", ".cjs":
				if !d.IsDir() {
					paths = append(paths, p)
					dirOf[p] = name
					cells[name].files++
				}
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s: %v (run fixtures/realworld/fetch.sh again)", name, err)
			continue
		}
		if cells[name].files == 0 {
			t.Errorf("%s: no JavaScript files (run fixtures/realworld/fetch.sh again)", name)
		}
	}
	if len(paths) == 0 {
		t.FailNow()
	}

	res, err := analyzer.Check(context.Background(), paths, analyzer.Options{Rules: rules.All()})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(res.Files) != len(paths) {
		t.Errorf("Check returned %d file results for %d files", len(res.Files), len(paths))
	}
	for _, f := range res.Files {
		c := cells[dirOf[f.Path]]
		if c == nil {
			t.Errorf("result for a file that was not asked for: %s", f.Path)
			continue
		}
		rel, _ := filepath.Rel(root, f.Path)
		if f.Error != nil {
			c.failed++
			t.Errorf("%s: not analyzed: %s", rel, *f.Error)
			continue
		}
		if f.Module {
			c.modules++
		}
		if f.SourceMap != nil {
			c.withMap++
		}
		for _, w := range f.Warnings {
			c.warnings++
			t.Logf("%s: warning: %s", rel, w)
		}
	}
	for _, fd := range res.Findings {
		if c := cells[dirOf[fd.Bundle.Path]]; c != nil {
			c.findings++
		}
	}

	// bundler × format, each cell "OK" or "ERR" with files analyzed, parsed
	// as modules, with a source map, findings and warnings.
	var bundlers, formats []string
	for _, name := range realworldMatrix {
		b, f, _ := strings.Cut(name, "-")
		if !slices.Contains(bundlers, b) {
			bundlers = append(bundlers, b)
		}
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "bundler × format (ok/files analyzed, mod = parsed as module, map = with source map):\n%-8s", "")
	for _, f := range formats {
		fmt.Fprintf(&sb, " | %-34s", f)
	}
	for _, b := range bundlers {
		fmt.Fprintf(&sb, "\n%-8s", b)
		for _, f := range formats {
			c, ok := cells[b+"-"+f]
			s := "-"
			if ok {
				status := "OK"
				if c.failed > 0 || c.files == 0 {
					status = "ERR"
				}
				s = fmt.Sprintf("%s %d/%d mod %d map %d find %d warn %d", status,
					c.files-c.failed, c.files, c.modules, c.withMap, c.findings, c.warnings)
			}
			fmt.Fprintf(&sb, " | %-34s", s)
		}
	}
	t.Log(sb.String())
}
