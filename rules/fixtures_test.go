package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
	"github.com/manglecheck/manglecheck/rules"
)

// The fixture harness (STYLE.md §9): every fixtures/<rule-id>/*.{js,ts} is
// bundled and minified by esbuild at test time, in IIFE and ESM formats,
// and analyzed with and without its source map. Findings, mapped back to
// source lines, must equal the `// want: rule-id` annotations; a
// keep-names build and an unminified build must be clean (except for rules
// keep-names does not fix). `// want(map): rule-id` marks a case only a map
// can reveal: the map-less run may miss it. `// want: rule-id +plain`
// expects the finding from unminified builds as well, `+plain-iife` from
// the unminified IIFE build only (its wrapper makes a script's top-level
// names locals; the ESM build's output cannot say it is loaded as a module).

var wantRE = regexp.MustCompile(`//\s*want(\(map\))?:\s*([a-z][a-z-]*(?:[ ,]+\+?[a-z][a-z-]*)*)`)

type expectation struct {
	line    int // 1-based
	rule    string
	mapOnly bool
	// plain: expected from unminified builds too (`want: rule +plain`),
	// where esbuild itself renames colliding names (esbuild#510).
	plain bool
	// plainIIFE: expected from the unminified IIFE build (`+plain-iife`).
	plainIIFE bool
}

func readExpectations(t *testing.T, path string) []expectation {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []expectation
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range wantRE.FindAllStringSubmatch(line, -1) {
			for _, r := range strings.FieldsFunc(m[2], func(c rune) bool { return c == ' ' || c == ',' }) {
				if r == "+plain" && len(out) > 0 {
					out[len(out)-1].plain = true
					continue
				}
				if r == "+plain-iife" && len(out) > 0 {
					out[len(out)-1].plainIIFE = true
					continue
				}
				out = append(out, expectation{line: i + 1, rule: r, mapOnly: m[1] != ""})
			}
		}
	}
	return out
}

type variant struct {
	name      string
	format    api.Format
	minify    bool
	keepNames bool
}

var variants = []variant{
	{"iife-min", api.FormatIIFE, true, false},
	{"esm-min", api.FormatESModule, true, false},
	{"iife-keepnames", api.FormatIIFE, true, true},
	{"esm-keepnames", api.FormatESModule, true, true},
	{"iife-plain", api.FormatIIFE, false, false},
	{"esm-plain", api.FormatESModule, false, false},
}

// build bundles entry into dir/out.js (+ .map) and returns the bundle path.
func build(t *testing.T, entry, dir string, v variant) string {
	t.Helper()
	opts := api.BuildOptions{
		EntryPoints:       []string{entry},
		Bundle:            true,
		Outfile:           filepath.Join(dir, "out.js"),
		Format:            v.format,
		Sourcemap:         api.SourceMapLinked,
		MinifyWhitespace:  v.minify,
		MinifyIdentifiers: v.minify,
		MinifySyntax:      v.minify,
		KeepNames:         v.keepNames,
		Target:            api.ES2022,
		Write:             true,
		LogLevel:          api.LogLevelSilent,
	}
	if v.minify && filepath.Base(filepath.Dir(entry)) == "mangled-property" {
		// Those fixtures are about property mangling (esbuild
		// --mangle-props with the usual leading-underscore pattern).
		opts.MangleProps = "^_"
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild %s: %s", entry, res.Errors[0].Text)
	}
	return filepath.Join(dir, "out.js")
}

type got struct {
	line int
	rule string
	msg  string
}

// analyze runs the engine on bundle and returns the findings mapped to
// lines of entry. Without the map in the engine, the harness maps bundle
// positions itself, through the map it kept.
func analyze(t *testing.T, bundle, entry string, withMap bool) []got {
	t.Helper()
	opts := checker.Options{Rules: rules.All(), Workers: 1}
	if !withMap {
		opts.SourceMap = "none"
	}
	res, err := checker.Check(context.Background(), []string{bundle}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if f.Error != nil {
			t.Fatalf("%s: %s", bundle, *f.Error)
		}
		if withMap && f.SourceMap == nil {
			t.Fatalf("%s: source map not found (warnings: %v)", bundle, f.Warnings)
		}
	}
	raw, err := os.ReadFile(bundle + ".map")
	if err != nil {
		t.Fatal(err)
	}
	sm, err := sourcemap.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var out []got
	for _, f := range res.Findings {
		m, ok := sm.Find(f.Bundle.Line-1, f.Bundle.Column-1)
		if !ok || m.SourceIndex < 0 {
			t.Errorf("%s:%d:%d: finding maps nowhere: %s", bundle, f.Bundle.Line, f.Bundle.Column, f.Message)
			continue
		}
		src := filepath.Clean(filepath.Join(filepath.Dir(bundle), m.Source))
		if src != entry {
			t.Errorf("finding maps to %s, not the fixture: [%s] %s", src, f.Rule, f.Message)
			continue
		}
		if withMap && (f.Original == nil || f.Original.Line != m.OrigLine+1) {
			t.Errorf("finding's original position %+v disagrees with the map (line %d)", f.Original, m.OrigLine+1)
		}
		out = append(out, got{m.OrigLine + 1, f.Rule, f.Message})
	}
	return out
}

func TestFixtures(t *testing.T) {
	keepNamesUnfixed := map[string]bool{}
	for _, r := range rules.All() {
		keepNamesUnfixed[r.ID] = r.KeepNamesUnfixed
	}
	entries, err := filepath.Glob("../fixtures/*/*.[jt]s")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("no fixtures found")
	}
	for _, rel := range entries {
		entry, _ := filepath.Abs(rel)
		if strings.HasPrefix(filepath.Base(entry), "_") {
			continue // a module imported by other fixtures
		}
		ruleDir := filepath.Base(filepath.Dir(entry))
		if rules.ByID(ruleDir) == nil {
			t.Errorf("%s: fixtures directory names no rule", rel)
			continue
		}
		wants := readExpectations(t, entry)
		for _, v := range variants {
			t.Run(ruleDir+"/"+filepath.Base(entry)+"/"+v.name, func(t *testing.T) {
				t.Parallel()
				bundle := build(t, entry, t.TempDir(), v)
				var want []expectation
				for _, w := range wants {
					switch {
					case !v.minify:
						if w.plain || w.plainIIFE && v.format == api.FormatIIFE {
							want = append(want, w)
						}
					case v.keepNames && !keepNamesUnfixed[w.rule]:
					default:
						want = append(want, w)
					}
				}
				compare(t, "with map", analyze(t, bundle, entry, true), want, false)
				if v.minify {
					compare(t, "without map", analyze(t, bundle, entry, false), want, true)
				}
			})
		}
	}
}

// compare checks found findings against expectations. In a map-less run,
// map-only expectations may be missed.
func compare(t *testing.T, label string, found []got, want []expectation, noMap bool) {
	t.Helper()
	key := func(line int, rule string) string { return fmt.Sprintf("%d %s", line, rule) }
	wanted := map[string]expectation{}
	for _, w := range want {
		wanted[key(w.line, w.rule)] = w
	}
	seen := map[string]bool{}
	var problems []string
	for _, g := range found {
		k := key(g.line, g.rule)
		seen[k] = true
		if _, ok := wanted[k]; !ok {
			problems = append(problems, fmt.Sprintf("unexpected %s at line %d: %s", g.rule, g.line, g.msg))
		}
	}
	for k, w := range wanted {
		if !seen[k] && !(noMap && w.mapOnly) {
			problems = append(problems, fmt.Sprintf("missing %s at line %d", w.rule, w.line))
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Errorf("%s: %s", label, p)
	}
}
