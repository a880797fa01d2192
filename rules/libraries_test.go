package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
	"github.com/manglecheck/manglecheck/rules"
)

// Zero false errors on real code: fixtures/libraries/fetch.sh bundles real
// libraries (three, react, react-dom, vue, lodash-es, d3, rxjs, moment,
// AngularJS and an annotated AngularJS app, typeorm) and minifies each with
// esbuild and with terser into fixtures/libraries/.cache/. Correct
// libraries must get no error finding; every warning and info is compared
// with testdata/libraries.golden, which a person reviewed (rewrite it with
// go test ./rules -run Libraries -update and review the diff).

const librariesDir = "../fixtures/libraries"

func TestLibraries(t *testing.T) {
	cache := filepath.Join(librariesDir, ".cache")
	bundles, err := filepath.Glob(filepath.Join(cache, "*.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bundles) == 0 {
		cachetest.Missing(t, "library bundles in fixtures/libraries/.cache", "fixtures/libraries/fetch.sh")
	}
	res, err := analyzer.Check(context.Background(), bundles, analyzer.Options{Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if f.Error != nil {
			t.Errorf("%s: %s", f.Path, *f.Error)
		} else if f.SourceMap == nil {
			t.Errorf("%s: analyzed without its source map (warnings: %v)", f.Path, f.Warnings)
		}
	}
	var lines []string
	for _, f := range res.Findings {
		line := libraryFindingLine(f)
		if f.Severity == analyzer.Error {
			t.Errorf("error finding in a library bundle: %s\n\t%s", line, f.Excerpt)
			continue
		}
		lines = append(lines, line)
	}
	got := strings.Join(lines, "\n")
	if got != "" {
		got += "\n"
	}
	golden := filepath.Join("testdata", "libraries.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (rewrite it with go test ./rules -run Libraries -update)", err)
	}
	if got != string(want) {
		t.Errorf("warnings and infos differ from %s (rewrite with -update and review the diff):\n%s", golden, lineDiff(string(want), got))
	}
}

// libraryFindingLine is a finding's golden line: bundle, rule, severity,
// original source:line (relative to fixtures/libraries), message.
func libraryFindingLine(f analyzer.Finding) string {
	bundle := strings.TrimSuffix(filepath.Base(f.Bundle.Path), ".min.js")
	orig := "?"
	if f.Original != nil {
		// The engine may give the source relative to the working directory,
		// to the map, or absolute: keep the part below fixtures/libraries.
		src := filepath.ToSlash(f.Original.Source)
		if i := strings.LastIndex(src, "fixtures/libraries/"); i >= 0 {
			src = src[i+len("fixtures/libraries/"):]
		}
		src = strings.TrimPrefix(src, "../")
		orig = fmt.Sprintf("%s:%d", src, f.Original.Line)
	}
	return fmt.Sprintf("%s %s %s %s: %s", bundle, f.Rule, f.Severity, orig, f.Message)
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		count[l]--
	}
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if count[l] > 0 {
			fmt.Fprintf(&b, "-%s\n", l)
			count[l]--
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if count[l] < 0 {
			fmt.Fprintf(&b, "+%s\n", l)
			count[l]++
		}
	}
	return b.String()
}
