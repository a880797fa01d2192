package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
	"github.com/manglecheck/manglecheck/rules"
)

// Zero false errors on real code: fixtures/libraries/fetch.sh bundles real
// libraries (entries/*.js: three, react, vue, pixi.js, echarts, Apollo
// Client, zod, … about fifty; apps/angular-app.js, a correct annotated
// AngularJS app) with esbuild (IIFE and ESM, minified, maps with
// sourcesContent) and terser (a chained map without sourcesContent) into
// fixtures/libraries/.cache/, and checks that each build loads like its
// unminified bundle. Correct libraries must get no error finding; every
// warning and info is compared with testdata/libraries.golden, which a
// person reviewed (rewrite it with go test ./rules -run Libraries -update
// and review the diff).
//
// The positive control (control/*.js: some of the same libraries and an
// app with deliberate breaks, each proven by fetch.sh to change what the
// minified builds do) must get an error on every `// want: rule` line and
// nothing else, in every build: a recall drop fails here, not only a false
// alarm.

const librariesDir = "../fixtures/libraries"

// libraryBuilds are the minified builds fetch.sh makes of each entry.
var libraryBuilds = []string{".esbuild.min.js", ".esbuild.min.mjs", ".terser.min.js"}

// libraryBundles lists the builds of every entry in dirs, failing when one
// is missing (the cache is older than the entries).
func libraryBundles(t *testing.T, dirs ...string) []string {
	t.Helper()
	cache := filepath.Join(librariesDir, ".cache")
	var out []string
	for _, dir := range dirs {
		entries, err := filepath.Glob(filepath.Join(librariesDir, dir, "*.js"))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := strings.TrimSuffix(filepath.Base(e), ".js")
			for _, b := range libraryBuilds {
				if raceDetector && dir != "control" && b != libraryBuilds[0] {
					// All 150 builds take over ten minutes under the
					// race detector: one build of each library there.
					continue
				}
				out = append(out, filepath.Join(cache, name+b))
			}
		}
	}
	return out
}

func checkLibraryBundles(t *testing.T, bundles []string) checker.Result {
	t.Helper()
	for _, b := range bundles {
		if _, err := os.Stat(b); err != nil {
			cachetest.Missing(t, "library bundle "+filepath.Base(b)+" in fixtures/libraries/.cache", "fixtures/libraries/fetch.sh")
		}
	}
	res, err := checker.Check(context.Background(), bundles, checker.Options{Rules: rules.All()})
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
	return res
}

func TestLibraries(t *testing.T) {
	bundles := libraryBundles(t, "entries", "apps")
	if perLib := map[bool]int{false: len(libraryBuilds), true: 1}[raceDetector]; len(bundles) < 40*perLib {
		t.Fatalf("%d library builds, want %d for each of at least 40 libraries", len(bundles), perLib)
	}
	analyzed := map[string]bool{}
	for _, b := range bundles {
		analyzed[strings.TrimSuffix(filepath.Base(b), ".min.js")] = true
		analyzed[filepath.Base(b)] = true
	}
	res := checkLibraryBundles(t, bundles)
	var lines []string
	for _, f := range res.Findings {
		line := libraryFindingLine(f)
		if f.Severity == analyzer.Error {
			t.Errorf("error finding in a library bundle: %s\n\t%s", line, f.Excerpt)
			continue
		}
		lines = append(lines, line)
	}
	t.Logf("%d builds, %d findings", len(bundles), len(res.Findings))
	got := strings.Join(lines, "\n")
	if got != "" {
		got += "\n"
	}
	golden := filepath.Join("testdata", "libraries.golden")
	if *update {
		if raceDetector {
			t.Fatal("-update needs every build: run it without -race")
		}
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
	if raceDetector {
		// Only the lines of the builds analyzed here.
		var keep []string
		for _, l := range strings.SplitAfter(string(want), "\n") {
			if f := strings.Fields(l); len(f) > 0 && analyzed[f[0]] {
				keep = append(keep, l)
			}
		}
		want = []byte(strings.Join(keep, ""))
	}
	if got != string(want) {
		t.Errorf("warnings and infos differ from %s (rewrite with -update and review the diff):\n%s", golden, lineDiff(string(want), got))
	}
}

// controlWantRE is a control annotation: `// want: rule` in every build,
// `// want[terser,esbuild-esm]: rule` in the builds named (esbuild,
// esbuild-esm, terser).
var controlWantRE = regexp.MustCompile(`//\s*want(?:\[([a-z,-]+)\])?:\s*([a-z][a-z-]*)`)

// TestLibrariesControl is the golden's positive control: each deliberate
// break of control/*.js is an error in every build, and nothing else is
// reported.
func TestLibrariesControl(t *testing.T) {
	bundles := libraryBundles(t, "control")
	if len(bundles) == 0 {
		t.Fatal("no control app in fixtures/libraries/control")
	}
	res := checkLibraryBundles(t, bundles)
	want := map[string][]string{} // bundle → "source:line rule", sorted
	for _, b := range bundles {
		name, build, _ := strings.Cut(filepath.Base(b), ".")
		build, _, _ = strings.Cut(build, ".min")
		if strings.HasSuffix(b, ".mjs") {
			build += "-esm"
		}
		src := "control/" + name + ".js"
		text, err := os.ReadFile(filepath.Join(librariesDir, src))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(text), "\n") {
			for _, m := range controlWantRE.FindAllStringSubmatch(line, -1) {
				if m[1] == "" || slices.Contains(strings.Split(m[1], ","), build) {
					want[b] = append(want[b], fmt.Sprintf("%s:%d %s", src, i+1, m[2]))
				}
			}
		}
		if len(want[b]) == 0 {
			t.Fatalf("%s has no // want: annotation", src)
		}
	}
	got := map[string][]string{}
	for _, f := range res.Findings {
		if f.Severity != analyzer.Error {
			// The control's warnings (keep-names-gap: zod pins names
			// with defineProperty, which looks like a keep-names
			// build) are not what it controls.
			t.Logf("%s", libraryFindingLine(f))
			continue
		}
		if f.Original == nil {
			t.Errorf("%s: an error the map does not place: %s", f.Bundle.Path, libraryFindingLine(f))
			continue
		}
		src := filepath.ToSlash(f.Original.Source)
		if i := strings.LastIndex(src, "fixtures/libraries/"); i >= 0 {
			src = src[i+len("fixtures/libraries/"):]
		}
		src = strings.TrimPrefix(src, "../")
		got[f.Bundle.Path] = append(got[f.Bundle.Path], fmt.Sprintf("%s:%d %s", src, f.Original.Line, f.Rule))
	}
	for _, b := range bundles {
		w, g := want[b], got[b]
		slices.Sort(w)
		slices.Sort(g)
		g = slices.Compact(g)
		if !slices.Equal(w, g) {
			t.Errorf("%s: errors at %v, want %v", filepath.Base(b), g, w)
		}
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
