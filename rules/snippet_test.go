package rules_test

import (
	"context"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// snippet is one esbuild build of a test's small program: bundled,
// minified, with a linked map.
type snippet struct {
	entry, out string
	format     api.Format
	// noSourcesContent leaves the sources out of the map.
	noSourcesContent bool
	// keepNames builds with esbuild's keepNames.
	keepNames bool
	// mangleProps is esbuild's property mangling pattern ("" for none).
	mangleProps string
}

// check builds s and returns what rules find in it, the map required.
func (s snippet) check(t *testing.T, rules ...*analyzer.Rule) []analyzer.Finding {
	t.Helper()
	sc := api.SourcesContentInclude
	if s.noSourcesContent {
		sc = api.SourcesContentExclude
	}
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{s.entry}, Bundle: true, Outfile: s.out, Format: s.format,
		Sourcemap: api.SourceMapLinked, SourcesContent: sc,
		MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true, KeepNames: s.keepNames, MangleProps: s.mangleProps,
		Write: true, LogLevel: api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	got, err := checker.Check(context.Background(), []string{s.out}, checker.Options{Rules: rules, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got.Files[0].SourceMap == nil {
		t.Fatalf("%s: map not used: %v", s.out, got.Files[0].Warnings)
	}
	return got.Findings
}

// checkNoMap returns what rules find in an already built bundle with its
// map ignored.
func checkNoMap(t *testing.T, bundle string, rules ...*analyzer.Rule) []analyzer.Finding {
	t.Helper()
	got, err := checker.Check(context.Background(), []string{bundle}, checker.Options{Rules: rules, Workers: 1, SourceMap: "none"})
	if err != nil {
		t.Fatal(err)
	}
	return got.Findings
}
