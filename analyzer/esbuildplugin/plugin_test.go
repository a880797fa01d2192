package esbuildplugin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// A build that writes its files: findings below FailOn are warnings, the
// result reaches Report, and messages point at the original source with
// the bundle position in a note.
func TestWrittenBuild(t *testing.T) {
	dir := t.TempDir()
	var got checker.Result
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{"testdata/src/main.js"},
		Bundle:            true,
		Outdir:            dir,
		Format:            api.FormatIIFE,
		Sourcemap:         api.SourceMapLinked,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Write:             true,
		LogLevel:          api.LogLevelSilent,
		Plugins: []api.Plugin{New(Options{
			Analyzer: checker.Options{Rules: rules.All()},
			Report:   func(r checker.Result) { got = r },
		})},
	})
	if len(res.Errors) != 0 {
		t.Fatalf("FailOn 0 failed the build: %v", res.Errors[0].Text)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.js")); err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != 1 || got.Files[0].SourceMap == nil || len(got.Findings) == 0 {
		t.Fatalf("Report got %+v", got)
	}
	var compare *api.Message
	for i, w := range res.Warnings {
		if w.PluginName == Name && w.ID == "name-compare" {
			compare = &res.Warnings[i]
		}
	}
	if compare == nil {
		t.Fatalf("no name-compare warning in %+v", res.Warnings)
	}
	if compare.Location.File != "testdata/src/main.js" || compare.Location.Line != 8 ||
		len(compare.Notes) != 2 || !strings.Contains(compare.Notes[0].Text, "in the bundle at") {
		t.Errorf("message %+v", compare)
	}
}

// A build that already failed is not analyzed.
func TestFailedBuild(t *testing.T) {
	called := false
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{"testdata/src/missing.js"},
		Bundle:      true,
		Write:       false,
		LogLevel:    api.LogLevelSilent,
		Plugins: []api.Plugin{New(Options{
			Analyzer: checker.Options{Rules: rules.All()},
			Report:   func(checker.Result) { called = true },
		})},
	})
	if len(res.Errors) == 0 || called {
		t.Errorf("errors %d, analyzed %v", len(res.Errors), called)
	}
}

func TestByteColumn(t *testing.T) {
	for _, tc := range []struct {
		line      string
		col, want int
	}{
		{"abc", 1, 0},
		{"abc", 3, 2},
		{"😀x", 3, 4}, // the emoji: 2 UTF-16 units, 4 bytes
		{"é.name", 2, 2},
		{"", 5, 4},
	} {
		if got := byteColumn(tc.line, tc.col); got != tc.want {
			t.Errorf("byteColumn(%q, %d) = %d, want %d", tc.line, tc.col, got, tc.want)
		}
	}
}
