package rules_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// The minifier matrix: fixtures/minifiers/regen builds every fixture with
// esbuild, terser, swc, uglify-js, webpack, rollup, Rolldown with Oxc
// (oxc*), Vite 8, Rspack and Bun in several configurations (regen.mjs
// lists them) and checks in the outputs and their maps under
// fixtures/minifiers/out/<config>/<rule-id>/<stem>.js. This test needs no
// Node: it analyzes each checked-in output with rules.All() and its map,
// maps every finding back to a fixture line, and compares with the
// fixture's annotations.
//
// Annotations are the harness's `// want: rule-id` (and `// want(map):`,
// the same here: every output has its map; the harness's `+plain` is
// ignored), with optional config qualifiers after the rule IDs, and one
// form of their own:
//
//	// want: name-compare !swc !uglify      not expected from swc or uglify
//	// want: name-compare @terser-keepnames expected from that keep-names config too
//	// want(terser*,uglify): name-key       expected from these configs only
//
// A `// want:` line's rules are expected from every config except those
// named with `!` (the minifier removed the break itself: compression folded
// the comparison to a constant, or the name was never renamed). In
// keep-names configs (keepNamesConfigs) only rules with KeepNamesUnfixed
// are expected, unless the config is named with `@` (the option does not
// cover this name: terser keep_classnames keeps nothing for
// `var Foo = class {}`, which is how esbuild bundles a class). The
// `// want(configs):` form is for breaks that only some minifiers move
// onto a line, typically a call site a function was inlined into; the
// esbuild harness ignores it, as it ignores `!` and `@` qualifiers. Config
// names may be path.Match patterns. Rules in ruleConfigs are expected only
// from the configs that produce their kind of break (property mangling).
// The fixture justifies each qualifier in a comment. Findings on lines
// with no expectation for that config are failures.
//
// Engine misses and false alarms are not hidden: they are listed in
// knownGaps, which must be exactly the set of differences, so a fix in the
// engine fails this test until its entry is removed.

const minifiersDir = "../fixtures/minifiers"

// keepNamesConfigs are the configurations built with a keep-names option.
var keepNamesConfigs = map[string]bool{
	"esbuild-keepnames": true,
	"terser-keepnames":  true,
	"oxc-keepnames":     true, // Oxc mangle.keepNames + compress.keepNames
	"rspack-keepnames":  true, // SWC keep_classnames + keep_fnames
}

// ruleConfigs limits rules to the configs that can produce their breaks
// (path.Match patterns): properties are only renamed by property mangling.
var ruleConfigs = map[string]string{"mangled-property": "*-mangleprops"}

// Reasons for knownGaps entries, one per kind of engine gap.
const (
	gapPinReused  = "uglify reuses one variable for the pinned name and then for the next class (n=(n=\"Registered\",Object.defineProperty(e,\"name\",{value:n}),class{})), so the Registered pin is lost, the bundle does not look like it keeps names and the gap on Forgotten is not reported"
	gapEvalReuse  = "uglify reuses the variable holding the eval alias for a result (r=eval,n=r(\"(\"+n+\")\"),r=r(\"…\")), so the alias is no constant binding and the global eval is not recognised"
	gapViteScript = "Vite's app build is an ES module without imports or exports, which the engine takes for a classic script: its top-level functions count as globals (which new Function, a global eval and inline handlers would see)"
	gapSwc        = "swc inlines functions into IIFEs called with anonymous subclasses (function(e){switch(e.constructor.name)…}(new class extends e{})) and its map does not place the inlined class on its source declaration, so the engine cannot recover the original class name"
	gapSwcNew     = "swc inlines each class into its only new as an anonymous class expression (new class extends Error{}(\"slow\")) that its map does not place on the declaration: with the map, the engine takes \"TimeoutError\" for no class of this bundle (without the map the comparison is found)"
	gapErr        = "ValidationError/NotFoundError were inlined as anonymous class expressions (new class extends r{}(\"bad\")): their name \"\" reaches err.name through this.name = this.constructor.name, and the engine misses it"
	gapReuse      = "uglify reuses the message parameter for the request, its JSON text and the parsed message (a=JSON.stringify({tag:a.constructor.name,…}),a=JSON.parse(a)): the flow-insensitive engine sees a.constructor of the text and of the parsed data too, so the tag's class set is partial and the handlers Map is not known to be a closed round trip"
)

// knownGaps maps "config rule-id/file:line rule-id missing|unexpected" (or
// "config rule-id/file unanalyzable") to
// why the engine gets it wrong (see the report in the commit that added the
// entry). Keep it exactly in sync with what the test finds.
var knownGaps = map[string]string{
	"uglify shipped-source/globaleval.js:11 shipped-source missing": gapEvalReuse,
	"vite shipped-source/globaleval.js:11 shipped-source missing":   gapViteScript,
	"vite shipped-source/newfunction.js:10 shipped-source missing":  gapViteScript,
	"vite name-key/named-in-code.js:15 name-key missing":            gapViteScript,
	"vite name-key/named-in-code.js:16 name-key missing":            gapViteScript,
	"swc callee-name/callee.js:12 callee-name missing":              gapSwc,
	"swc name-compare/error-name.js:13 name-compare missing":        gapSwc,
	"swc name-compare/error-name.js:14 name-compare missing":        gapSwc,
	"swc stack-names/stack.js:6 stack-names missing":                gapSwc,
	"swc name-compare/param-literal.js:9 name-compare missing":      gapSwcNew,
	"uglify keep-names-gap/gap.js:7 keep-names-gap missing":         gapPinReused,
	"uglify name-compare/error-name.js:13 name-compare missing":     gapErr,
	"uglify name-key/roundtrip.js:39 name-key unexpected":           gapReuse,
	"uglify name-key/roundtrip.js:40 name-key unexpected":           gapReuse,
	"uglify name-key/roundtrip.js:42 name-key unexpected":           gapReuse,
}

var (
	matrixWantRE = regexp.MustCompile(`//\s*want(?:\(map\))?:\s*([a-z][a-z-]*(?:[ ,]+\+?[a-z][a-z-]*)*)((?:\s+[!@][a-z0-9*?-]+)*)`)
	matrixOnlyRE = regexp.MustCompile(`//\s*want\(([a-z0-9*?,-]+)\):\s*([a-z][a-z-]*(?:[ ,]+[a-z][a-z-]*)*)`)
)

type matrixWant struct {
	line int // 1-based
	rule string
	only []string // from want(configs): expected from these configs only
	not  []string // configs named with !
	plus []string // keep-names configs named with @
}

// splitRules splits a rule list, dropping the harness's +plain.
func splitRules(s string) []string {
	var out []string
	for _, r := range strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == ',' }) {
		if !strings.HasPrefix(r, "+") {
			out = append(out, r)
		}
	}
	return out
}

func readMatrixWants(t *testing.T, path string) []matrixWant {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []matrixWant
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range matrixWantRE.FindAllStringSubmatch(line, -1) {
			var not, plus []string
			for _, c := range strings.Fields(m[2]) {
				if c[0] == '!' {
					not = append(not, c[1:])
				} else {
					plus = append(plus, c[1:])
				}
			}
			for _, r := range splitRules(m[1]) {
				out = append(out, matrixWant{line: i + 1, rule: r, not: not, plus: plus})
			}
		}
		for _, m := range matrixOnlyRE.FindAllStringSubmatch(line, -1) {
			if m[1] == "map" {
				continue // the harness's want(map), read above
			}
			for _, r := range splitRules(m[2]) {
				out = append(out, matrixWant{line: i + 1, rule: r, only: strings.Split(m[1], ",")})
			}
		}
	}
	return out
}

func matchAny(patterns []string, config string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, config); ok {
			return true
		}
	}
	return false
}

// expected reports whether w is expected in config.
func (w matrixWant) expected(config string, keepNamesUnfixed bool) bool {
	if p, ok := ruleConfigs[w.rule]; ok && !matchAny([]string{p}, config) {
		return false
	}
	switch {
	case w.only != nil:
		return matchAny(w.only, config)
	case matchAny(w.not, config):
		return false
	case keepNamesConfigs[config] && !keepNamesUnfixed:
		return matchAny(w.plus, config)
	}
	return true
}

// matrixSources lists the fixture sources ("rule-id/file") the way regen
// does: every .js and .ts file at the top of a fixtures/ subdirectory.
func matrixSources(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../fixtures/*/*.[jt]s")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			out = append(out, filepath.ToSlash(strings.TrimPrefix(p, "../fixtures/")))
		}
	}
	sort.Strings(out)
	return out
}

// checkMatrixFresh compares out/SOURCES.sha256 with the fixtures and
// generator files in the tree: the outputs must have been built from them.
func checkMatrixFresh(t *testing.T) {
	t.Helper()
	const stale = "outputs stale: run fixtures/minifiers/regen"
	f, err := os.Open(filepath.Join(minifiersDir, "out", "SOURCES.sha256"))
	if err != nil {
		t.Fatalf("%s (%v)", stale, err)
	}
	defer f.Close()
	recorded := map[string]string{}
	var generators []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, rel, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SOURCES.sha256: bad line %q", sc.Text())
		}
		recorded[rel] = sum
		if strings.HasPrefix(rel, "minifiers/") {
			generators = append(generators, rel)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var problems []string
	current := append(matrixSources(t), generators...)
	for _, rel := range current {
		data, err := os.ReadFile(filepath.Join("..", "fixtures", rel))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", rel, err))
			continue
		}
		h := sha256.Sum256(data)
		switch sum, ok := recorded[rel]; {
		case !ok:
			problems = append(problems, rel+" has no outputs")
		case sum != hex.EncodeToString(h[:]):
			problems = append(problems, rel+" changed since its outputs were built")
		}
	}
	for rel := range recorded {
		if !slices.Contains(current, rel) {
			problems = append(problems, rel+" is gone but still has outputs")
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		t.Fatalf("%s:\n\t%s", stale, strings.Join(problems, "\n\t"))
	}
}

func TestMinifierMatrix(t *testing.T) {
	checkMatrixFresh(t)
	keepNamesUnfixed := map[string]bool{}
	for _, r := range rules.All() {
		keepNamesUnfixed[r.ID] = r.KeepNamesUnfixed
	}
	outDir := filepath.Join(minifiersDir, "out")
	dirs, err := os.ReadDir(outDir)
	if err != nil {
		t.Fatal(err)
	}
	var configs []string
	for _, d := range dirs {
		if d.IsDir() {
			configs = append(configs, d.Name())
		}
	}
	if len(configs) == 0 {
		t.Fatal("no outputs in fixtures/minifiers/out: run fixtures/minifiers/regen")
	}
	var entries []string
	for _, rel := range matrixSources(t) {
		if !strings.HasPrefix(filepath.Base(rel), "_") && rules.ByID(filepath.Dir(rel)) != nil {
			entries = append(entries, rel)
		}
	}
	wants := map[string][]matrixWant{}
	for _, rel := range entries {
		wants[rel] = readMatrixWants(t, filepath.Join("..", "fixtures", rel))
		for _, w := range wants[rel] {
			for _, p := range slices.Concat(w.only, w.not, w.plus) {
				if !slices.ContainsFunc(configs, func(c string) bool { return matchAny([]string{p}, c) }) {
					t.Errorf("%s:%d: %q matches no config", rel, w.line, p)
				}
			}
			for _, p := range w.plus {
				for _, c := range configs {
					if matchAny([]string{p}, c) && !keepNamesConfigs[c] {
						t.Errorf("%s:%d: @%s: %s is no keep-names config", rel, w.line, p, c)
					}
				}
			}
		}
	}

	// problems collects every difference as "config rule-id/file:line rule kind".
	problems := map[string]string{}
	for _, config := range configs {
		skipped := readSkipped(t, filepath.Join(outDir, config, "SKIPPED"))
		var bundles []string
		bundleEntry := map[string]string{}
		for _, rel := range entries {
			out := filepath.Join(outDir, config, strings.TrimSuffix(strings.TrimSuffix(rel, ".js"), ".ts")+".js")
			if reason, ok := skipped[filepath.ToSlash(strings.TrimPrefix(out, filepath.Join(outDir, config)+"/"))]; ok {
				t.Logf("%s: %s skipped by regen: %s", config, rel, reason)
				continue
			}
			if _, err := os.Stat(out); err != nil {
				t.Fatalf("outputs stale: run fixtures/minifiers/regen (%s: %v)", config, err)
			}
			abs, _ := filepath.Abs(out)
			bundles = append(bundles, abs)
			bundleEntry[abs] = rel
		}
		if len(bundles) == 0 {
			continue
		}
		res, err := checker.Check(context.Background(), bundles, checker.Options{Rules: rules.All()})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			if f.Error != nil {
				// The engine cannot read the output: an engine gap like any
				// miss, one entry for the file rather than one per line.
				problems[fmt.Sprintf("%s %s unanalyzable", config, bundleEntry[f.Path])] = *f.Error
				delete(bundleEntry, f.Path)
			} else if f.SourceMap == nil {
				t.Errorf("%s: source map not found (warnings: %v)", f.Path, f.Warnings)
			}
		}
		found := map[string]map[string]string{} // entry → "line rule" → message
		for _, f := range res.Findings {
			rel := bundleEntry[f.Bundle.Path]
			line, err := mapToEntry(f, rel)
			if err != nil {
				problems[fmt.Sprintf("%s %s:? %s unexpected", config, rel, f.Rule)] = err.Error()
				continue
			}
			if found[rel] == nil {
				found[rel] = map[string]string{}
			}
			found[rel][fmt.Sprintf("%d %s", line, f.Rule)] = f.Message + "\n\t\t" + f.Excerpt
		}
		for _, rel := range bundleEntry {
			want := map[string]bool{}
			for _, w := range wants[rel] {
				if w.expected(config, keepNamesUnfixed[w.rule]) {
					want[fmt.Sprintf("%d %s", w.line, w.rule)] = true
				}
			}
			for k, msg := range found[rel] {
				if !want[k] {
					line, rule, _ := strings.Cut(k, " ")
					problems[fmt.Sprintf("%s %s:%s %s unexpected", config, rel, line, rule)] = msg
				}
			}
			for k := range want {
				if _, ok := found[rel][k]; !ok {
					line, rule, _ := strings.Cut(k, " ")
					problems[fmt.Sprintf("%s %s:%s %s missing", config, rel, line, rule)] = ""
				}
			}
		}
	}

	var keys []string
	for k := range problems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := knownGaps[k]; !ok {
			t.Errorf("%s\n\t%s", k, problems[k])
		}
	}
	var gone []string
	for k := range knownGaps {
		if _, ok := problems[k]; !ok {
			gone = append(gone, k)
		}
	}
	sort.Strings(gone)
	for _, k := range gone {
		t.Errorf("knownGaps lists %q, which no longer happens: remove it", k)
	}
}

// mapToEntry maps a finding through its bundle's map and returns the
// 1-based line in the fixture rel, or an error when it maps elsewhere.
func mapToEntry(f analyzer.Finding, rel string) (int, error) {
	line, err := lineInEntry(f, rel)
	if err != nil {
		return 0, err
	}
	if f.Original == nil || f.Original.Line != line {
		return 0, fmt.Errorf("finding's original position %+v disagrees with the map (line %d): %s", f.Original, line, f.Message)
	}
	return line, nil
}

// readSkipped reads regen's SKIPPED file: "rule-id/stem.js: reason" lines.
func readSkipped(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			out[k] = v
		}
	}
	return out
}
