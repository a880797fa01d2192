package checker_test

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
	"github.com/manglecheck/manglecheck/rules"
)

// realworldCache is where fixtures/realworld/fetch.sh builds the real
// bundler outputs and the three.js×10 bundles (git-ignored).
const realworldCache = "../../fixtures/realworld/.cache"

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
		err := filepath.WalkDir(cachetest.WalkRoot(dir), func(p string, d os.DirEntry, err error) error {
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

	res, err := checker.Check(context.Background(), paths, checker.Options{Rules: rules.All()})
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

// realworldApp is the demo app's source directory: its `// want: rule-id`
// annotations mark the lines that break when it is minified, as
// fixtures/realworld/run.mjs shows by running the sources and every build.
const realworldApp = "../../fixtures/realworld/app/src"

var realworldWantRE = regexp.MustCompile(`//\s*want:\s*([a-z][a-z-]*(?:[ ,]+[a-z][a-z-]*)*)`)

// realworldGaps are the annotated breaks the engine does not find yet, per
// build ("<bundler>-<format>") and "<file>:<line> <rule>", each with the
// reason verified on the build. A gap that starts being found fails the
// test: remove it from this table then.
var realworldGaps = func() map[string]map[string]string {
	// lazy.js:22 reads the parameter names of the function main.js passes to
	// injectable(), which main.js gets from `await import('./lazy.js')` by
	// destructuring. Code-splitting builds put the call (main chunk) and
	// fn.toString() (lazy chunk) in different files, and each file is
	// analyzed alone; the IIFE builds inline the import as
	// Promise.resolve().then(() => namespace), and webpack's builds as
	// r.e(id).then(() => r(id)): the value flow (names.Facts.ParamArgs,
	// call sites resolved by names.Facts.Resolve) does not follow a value
	// through a promise and a destructured namespace.
	const lazyWhy = "injectable() reached through await import() and destructuring (promise + namespace; across chunks when split): the call site's function is not a known argument of its parameter"
	// util.js:14 keys handlers by name in registerHandler, which these
	// builds put in a shared chunk (rollup: barrel-*.js; esbuild:
	// chunk-*.js) while its callers (onSave, onLoad) stay in main.js: the
	// chunk holding handler.name never sees what is passed to it.
	const chunkWhy = "registerHandler is in a shared chunk and its callers in main.js: the functions passed across the chunk boundary are not known in the chunk that reads .name"
	gaps := map[string]map[string]string{}
	for _, b := range realworldMinified {
		gaps[b] = map[string]string{"lazy.js:22 param-names": lazyWhy}
	}
	for _, b := range []string{"esbuild-esm", "rollup-esm", "rollup-cjs"} {
		gaps[b]["util.js:14 name-key"] = chunkWhy
	}
	return gaps
}()

// realworldMinified are the builds the annotations apply to; the
// unminified one must be clean.
var realworldMinified = []string{
	"esbuild-cjs", "esbuild-esm", "esbuild-iife",
	"rollup-cjs", "rollup-esm", "rollup-iife",
	"webpack-cjs", "webpack-esm", "webpack-iife",
}

// readRealworldWants returns the app's annotations as "<file>:<line> <rule>".
func readRealworldWants(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir(realworldApp)
	if err != nil {
		t.Fatal(err)
	}
	var wants []string
	for _, e := range ents {
		if filepath.Ext(e.Name()) != ".js" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(realworldApp, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, m := range realworldWantRE.FindAllStringSubmatch(line, -1) {
				for _, r := range strings.FieldsFunc(m[1], func(c rune) bool { return c == ' ' || c == ',' }) {
					wants = append(wants, fmt.Sprintf("%s:%d %s", e.Name(), i+1, r))
				}
			}
		}
	}
	sort.Strings(wants)
	return wants
}

// TestRealWorldWants checks the demo app's `// want` annotations on every
// bundler and format fetch.sh builds it with: each build's findings,
// mapped through its source maps to app/src lines, must be the annotated
// ones (less the known gaps of realworldGaps); the unminified build must
// have none. The annotations themselves are checked against execution:
// fetch.sh records what run.mjs observes on the sources and each build
// (<build>.run), and every annotated line's observation must differ
// between the sources and each minified build, and not in the unminified
// one.
func TestRealWorldWants(t *testing.T) {
	root := realworldDir(t, "bundlers")
	wants := readRealworldWants(t)
	if len(wants) == 0 {
		t.Fatal("no // want annotations in " + realworldApp)
	}
	// A cache built before fetch.sh ran run.mjs has no observations.
	srcRun := readRun(t, realworldDir(t, filepath.Join("bundlers", "src.run")))
	builds := append(slices.Clone(realworldMinified), "rollup-esm-unminified")
	for _, build := range builds {
		t.Run(build, func(t *testing.T) {
			minified := build != "rollup-esm-unminified"
			// Ground truth: the line's observation changes exactly when minified.
			run := readRun(t, filepath.Join(root, build+".run"))
			for _, w := range wants {
				at, _, _ := strings.Cut(w, " ")
				key, ok := runKey(srcRun, at)
				if !ok {
					t.Errorf("%s: run.mjs observes nothing for annotated line %s", build, at)
					continue
				}
				if differs := run[key] != srcRun[key]; differs != minified {
					t.Errorf("%s: %q is %s in the build, %s in the sources: the annotation %s does not match execution", build, key, run[key], srcRun[key], w)
				}
			}

			res, err := checker.Check(context.Background(), []string{filepath.Join(root, build)}, checker.Options{Rules: rules.All()})
			if err != nil {
				t.Fatal(err)
			}
			if res.Failed() {
				t.Fatalf("a file could not be analyzed: %+v", res.Files)
			}
			got := map[string]bool{}
			for _, f := range res.Findings {
				if f.Original == nil {
					t.Errorf("finding without a source position: %s:%d:%d [%s] %s", f.Bundle.Path, f.Bundle.Line, f.Bundle.Column, f.Rule, f.Message)
					continue
				}
				got[fmt.Sprintf("%s:%d %s", path.Base(f.Original.Source), f.Original.Line, f.Rule)] = true
			}
			if !minified {
				for k := range got {
					t.Errorf("unminified build: unexpected finding %s", k)
				}
				return
			}
			found := 0
			for _, w := range wants {
				why, gap := realworldGaps[build][w]
				switch {
				case got[w] && gap:
					t.Errorf("%s is found now: remove it from realworldGaps[%q]", w, build)
				case !got[w] && !gap:
					t.Errorf("missed: %s", w)
				case got[w]:
					found++
				default:
					t.Logf("known gap: %s: %s", w, why)
				}
				delete(got, w)
			}
			for k := range got {
				t.Errorf("unexpected finding: %s", k)
			}
			for w := range realworldGaps[build] {
				if !slices.Contains(wants, w) {
					t.Errorf("realworldGaps[%q] names %s, which is not annotated", build, w)
				}
			}
			t.Logf("%d/%d annotated breaks found", found, len(wants))
		})
	}
}

// readRun reads what run.mjs printed: "<file>:<line> <what>\t<JSON value>"
// lines, as a map from the part before the tab to the value.
func readRun(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run fixtures/realworld/fetch.sh again)", err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: not a run.mjs line: %q", file, line)
		}
		out[k] = v
	}
	return out
}

// runKey returns the observation of run.mjs about source line at
// ("<file>:<line>").
func runKey(run map[string]string, at string) (string, bool) {
	for k := range run {
		if strings.HasPrefix(k, at+" ") {
			return k, true
		}
	}
	return "", false
}
