package checker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/policy"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
)

// readsRule stands in for package rules: it reports every read of a
// function's .name, about the function's original name when one
// candidate is known. The engine's own behaviour is what is tested here.
var readsRule = &analyzer.Rule{
	ID:       "name-read",
	Title:    "A name read",
	Severity: analyzer.Warning,
	Run: func(p *analyzer.Pass) {
		for _, r := range p.File.Names.Reads {
			name := ""
			if len(r.Candidates) == 1 {
				name = r.Candidates[0].SourceName()
			}
			p.Report(analyzer.Diagnostic{Pos: r.Pos, Message: "reads a name", Name: name})
		}
	},
}

// otherRule never reports: suppressions naming it are judged unused.
var otherRule = &analyzer.Rule{ID: "name-compare", Title: "Never reports", Severity: analyzer.Error, Run: func(*analyzer.Pass) {}}

// project writes files (slash paths) under a new directory, makes it the
// working directory, and returns it.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := testfiles.Tree(t, files)
	t.Chdir(dir)
	return dir
}

type buildOpts struct {
	noContent bool // map without sourcesContent
	write     bool
}

// bundle builds src/main.js of the working directory into dist/app.js,
// minified, with a linked map, and returns the output files.
func bundle(t *testing.T, o buildOpts) []api.OutputFile {
	t.Helper()
	content := api.SourcesContentInclude
	if o.noContent {
		content = api.SourcesContentExclude
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{"src/main.js"},
		Bundle:            true,
		Outfile:           "dist/app.js",
		Format:            api.FormatIIFE,
		Sourcemap:         api.SourceMapLinked,
		SourcesContent:    content,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Write:             o.write,
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	return res.OutputFiles
}

func check(t *testing.T, opts Options, inputs ...string) Result {
	t.Helper()
	if opts.Rules == nil {
		opts.Rules = []*analyzer.Rule{readsRule, otherRule}
	}
	res, err := Check(context.Background(), inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if f.Error != nil {
			t.Fatalf("%s: %s", f.Path, *f.Error)
		}
	}
	return res
}

// summary lists findings as "rule source:line name" (or the bundle
// position without a map).
func summary(res Result) []string {
	var out []string
	for _, f := range res.Findings {
		if o := f.Original; o != nil {
			out = append(out, fmt.Sprintf("%s %s:%d %s", f.Rule, o.Source, o.Line, o.Name))
		} else {
			out = append(out, fmt.Sprintf("%s %s:%d", f.Rule, f.Bundle.Path, f.Bundle.Line))
		}
	}
	return out
}

const suppressSrc = `import { register } from "./plugins.js";

class Alpha {}
class Beta {}
class Gamma {}
// manglecheck-ignore-next-line name-read -- Alpha registers under a static id
register(Alpha.name, Alpha);
register(Beta.name, Beta);
// manglecheck-ignore-next-line
register(Gamma.name, Gamma);
// manglecheck-ignore-next-line name-compare -- stale
console.log(typeof Alpha);
// manglecheck-ignore-next-line name-raed -- typo
register(Beta.name + "2", Beta);
`

const pluginsSrc = `// manglecheck-ignore-file name-read -- the registry is keyed by names on purpose
export const registry = {};
export function register(key, fn) {
  registry[key] = fn;
  registry[fn.name + "_"] = fn;
}
`

func TestSuppressions(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    buildOpts
	}{
		{"sourcesContent", buildOpts{write: true}},
		{"sources on disk", buildOpts{write: true, noContent: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			project(t, map[string]string{"src/main.js": suppressSrc, "src/plugins.js": pluginsSrc})
			bundle(t, tc.o)
			res := check(t, Options{}, "dist")
			want := []string{
				"suppression-without-reason src/main.js:9 ",
				"unused-suppression src/main.js:11 ",
				"unused-suppression src/main.js:13 ",
				"name-read src/main.js:8 Beta",
				"name-read src/main.js:14 Beta",
			}
			if got := summary(res); !reflect.DeepEqual(got, want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if res.Suppressed != 3 {
				t.Errorf("Suppressed = %d, want 3 (Alpha, Gamma, the registry)", res.Suppressed)
			}
			for _, f := range res.Findings {
				switch f.Rule {
				case "unused-suppression":
					if f.Bundle.Line != 0 || f.Bundle.Path != "dist/app.js" || len(f.Original.Lines) == 0 || f.Severity != analyzer.Info {
						t.Errorf("engine diagnostic %+v: want no bundle position, the bundle's path, a frame, info", f)
					}
					if strings.Contains(f.Original.Lines[len(f.Original.Lines)-1], "name-raed") && !strings.Contains(f.Message, `names no rule: name-raed`) {
						t.Errorf("typo message: %s", f.Message)
					}
				case "name-read":
					if last := f.Original.Lines[len(f.Original.Lines)-1]; !strings.Contains(last, "Beta.name") {
						t.Errorf("code frame %q does not end at the finding's line", f.Original.Lines)
					}
				}
			}

			// Disabling the engine diagnostics, or the rule a comment names.
			res = check(t, Options{Disable: []string{"unused-suppression", "suppression-without-reason", "name-compare"}}, "dist")
			if got := summary(res); len(got) != 2 {
				t.Errorf("with the diagnostics off: %q", got)
			}
		})
	}
}

// A map may name any file; only files inside the working directory are
// read for suppressions and frames.
func TestSuppressionsOutsideWorkdir(t *testing.T) {
	dir := project(t, map[string]string{"app/src/main.js": suppressSrc, "app/src/plugins.js": pluginsSrc})
	t.Chdir(filepath.Join(dir, "app"))
	bundle(t, buildOpts{write: true, noContent: true})
	if err := os.MkdirAll(filepath.Join(dir, "elsewhere"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "elsewhere"))
	res := check(t, Options{}, "../app/dist")
	for _, f := range res.Findings {
		if f.Rule != "name-read" || len(f.Original.Lines) != 0 {
			t.Errorf("read a source outside the working directory: %+v", f)
		}
	}
	if res.Suppressed != 0 || len(res.Findings) != 5 {
		t.Errorf("suppressed %d, findings %q", res.Suppressed, summary(res))
	}
}

// Comments in a bundle analyzed without a map apply to its own lines.
func TestSuppressionsInBundle(t *testing.T) {
	project(t, map[string]string{"lib.js": `class Alpha {}
class Beta {}
// manglecheck-ignore-next-line name-read -- kept by the build
console.log(Alpha.name);
console.log(Beta.name);
// manglecheck-ignore-next-line name-read -- stale
console.log(1);
`})
	res := check(t, Options{}, "lib.js")
	want := []string{"unused-suppression lib.js:6", "name-read lib.js:5"}
	if got := summary(res); !reflect.DeepEqual(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

const rebuildSrc = `import { register, lookup } from "./registry.js";

export class UserService {
  describe() { return "user:" + this.constructor.name; }
}
export class OrderService {}
export class AuditLog {}

register(UserService);
register(OrderService);
register(OrderService);
if (lookup("AuditLog") === AuditLog) {
  console.log(AuditLog.name, UserService.name);
}
`

const registrySrc = `const services = new Map();
export function register(cls) {
  services.set(cls.name, cls);
}
export function lookup(name) {
  return services.get(name);
}
`

// unrelated is put at the top of the entry: with its import (bundled
// first) it shifts every offset of the bundle, and its many uses of a few
// bindings take the shortest names, so the minifier renames the
// identifiers of the flagged code too.
const unrelated = `import { polyfill } from "./polyfill.js";
polyfill();
const aaa = [1, 2, 3], bbb = aaa.map((x) => x * 2), ccc = { aaa, bbb };
function helper(v) { return v + aaa.length + bbb.length + ccc.aaa.length; }
console.log(helper(aaa[0]), helper(bbb[1]), helper(aaa[2] + bbb[0]), ccc, aaa, bbb, aaa, bbb, aaa);
`

// The acceptance test of baselines: a baseline written from one build
// matches every finding of a rebuild whose offsets and mangled names all
// changed, with or without sourcesContent, and without a map at all.
func TestBaselineSurvivesRebuild(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    buildOpts
		opts Options
	}{
		{"sourcesContent", buildOpts{write: true}, Options{}},
		{"sources on disk", buildOpts{write: true, noContent: true}, Options{}},
		{"no map", buildOpts{write: true}, Options{SourceMap: "none"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			project(t, map[string]string{"src/main.js": rebuildSrc, "src/registry.js": registrySrc})
			bundle(t, tc.o)
			before := check(t, tc.opts, "dist/app.js")
			if len(before.Findings) < 4 {
				t.Fatalf("want at least 4 findings to baseline, got %q", summary(before))
			}
			base := policy.NewBaseline(before.Findings)
			var file strings.Builder
			if err := base.Write(&file); err != nil {
				t.Fatal(err)
			}

			if err := os.WriteFile("src/main.js", []byte(unrelated+rebuildSrc), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile("src/polyfill.js", []byte(polyfillSrc), 0o644); err != nil {
				t.Fatal(err)
			}
			bundle(t, tc.o)
			after := check(t, tc.opts, "dist/app.js")
			if len(after.Findings) != len(before.Findings) {
				t.Fatalf("rebuild changed the findings: %q → %q", summary(before), summary(after))
			}
			for i := range after.Findings {
				a, b := before.Findings[i], after.Findings[i]
				if a.Offset == b.Offset {
					t.Errorf("finding %d did not move (offset %d): the test does not shift the bundle", i, a.Offset)
				}
				if a.Excerpt == b.Excerpt {
					t.Errorf("finding %d: excerpt unchanged, the test does not rename anything: %s", i, a.Excerpt)
				}
			}

			res := opts(tc.opts, base)
			got := check(t, res, "dist/app.js")
			if len(got.Findings) != 0 || got.Baselined != len(before.Findings) {
				t.Errorf("after the rebuild the baseline matched %d of %d; new: %q", got.Baselined, len(before.Findings), summary(got))
			}

			// Rewriting the baseline after the rebuild gives the same bytes.
			var again strings.Builder
			if err := policy.NewBaseline(after.Findings).Write(&again); err != nil {
				t.Fatal(err)
			}
			if again.String() != file.String() {
				t.Errorf("baseline changed across the rebuild:\n%s\n%s", file.String(), again.String())
			}

			// A new finding of an already-baselined kind is reported.
			if err := os.WriteFile("src/main.js", []byte(unrelated+rebuildSrc+"console.log(OrderService.name);\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			bundle(t, tc.o)
			got = check(t, res, "dist/app.js")
			if len(got.Findings) == 0 {
				t.Errorf("a new registration was hidden by the baseline")
			}
		})
	}
}

const polyfillSrc = `export function polyfill() {
  if (!Array.prototype.at) {
    Array.prototype.at = function at(i) { return this[i < 0 ? this.length + i : i]; };
  }
}
`

func opts(o Options, b *policy.Baseline) Options {
	o.Baseline = b
	return o
}

// CheckFiles on a build's in-memory output gives what Check gives on the
// same files on disk.
func TestCheckFilesInMemory(t *testing.T) {
	project(t, map[string]string{"src/main.js": suppressSrc, "src/plugins.js": pluginsSrc})
	outs := bundle(t, buildOpts{write: false})
	var files []Source
	maps := map[string][]byte{}
	for _, f := range outs {
		rel, err := filepath.Rel(mustGetwd(t), f.Path)
		if err != nil {
			t.Fatal(err)
		}
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".map") {
			maps[strings.TrimSuffix(rel, ".map")] = f.Contents
			continue
		}
		files = append(files, Source{Path: rel, Contents: f.Contents})
	}
	for i := range files {
		files[i].Map = maps[files[i].Path]
	}
	mem, err := CheckFiles(context.Background(), files, Options{Rules: []*analyzer.Rule{readsRule, otherRule}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("dist"); err == nil {
		t.Fatal("the in-memory build wrote files")
	}
	bundle(t, buildOpts{write: true})
	disk := check(t, Options{}, "dist/app.js")
	if !reflect.DeepEqual(summary(mem), summary(disk)) || mem.Suppressed != disk.Suppressed || len(mem.Findings) == 0 {
		t.Errorf("in memory %q (%d suppressed), on disk %q (%d)", summary(mem), mem.Suppressed, summary(disk), disk.Suppressed)
	}
	if *mem.Files[0].SourceMap != "dist/app.js.map" {
		t.Errorf("SourceMap = %q", *mem.Files[0].SourceMap)
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

func TestPolicyOptions(t *testing.T) {
	project(t, map[string]string{"src/main.js": rebuildSrc, "src/registry.js": registrySrc})
	bundle(t, buildOpts{write: true})
	if err := os.MkdirAll("dist/legacy", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("dist/legacy/old.js", []byte("class A{}console.log(A.name);"), 0o644); err != nil {
		t.Fatal(err)
	}
	all := check(t, Options{}, "dist")
	names := map[string]int{}
	for _, f := range all.Findings {
		if f.Original != nil {
			names[f.Original.Name]++
		}
	}
	if names["AuditLog"] == 0 || names["UserService"] == 0 || len(all.Files) != 2 {
		t.Fatalf("unexpected baseline run: %q", summary(all))
	}

	t.Run("pinned", func(t *testing.T) {
		res := check(t, Options{Pinned: []string{"AuditLog", "UserService"}}, "dist")
		for _, f := range res.Findings {
			if f.Original != nil && (f.Original.Name == "AuditLog" || f.Original.Name == "UserService") {
				t.Errorf("pinned name reported: %+v", f)
			}
		}
		if len(res.Findings) != len(all.Findings)-names["AuditLog"]-names["UserService"] {
			t.Errorf("pinned dropped the wrong findings: %q", summary(res))
		}
	})
	t.Run("severity", func(t *testing.T) {
		res := check(t, Options{Severity: map[string]analyzer.Severity{"name-read": analyzer.Error}}, "dist")
		for _, f := range res.Findings {
			if f.Severity != analyzer.Error {
				t.Errorf("severity not overridden: %+v", f)
			}
		}
	})
	t.Run("disable", func(t *testing.T) {
		if res := check(t, Options{Disable: []string{"name-read"}}, "dist"); len(res.Findings) != 0 {
			t.Errorf("disabled rule ran: %q", summary(res))
		}
	})
	t.Run("exclude", func(t *testing.T) {
		res := check(t, Options{Exclude: []string{"dist/legacy/**"}}, "dist")
		if len(res.Files) != 1 || res.Files[0].Path != "dist/app.js" {
			t.Errorf("files %+v", res.Files)
		}
		abs := filepath.ToSlash(filepath.Join(mustGetwd(t), "dist", "legacy")) + "/*.js"
		if res := check(t, Options{Exclude: []string{abs}}, "dist"); len(res.Files) != 1 {
			t.Errorf("absolute exclude: files %+v", res.Files)
		}
	})
	t.Run("include", func(t *testing.T) {
		res := check(t, Options{Include: []string{"dist/legacy/*.js"}}, "dist")
		if len(res.Files) != 1 || res.Files[0].Path != "dist/legacy/old.js" {
			t.Errorf("files %+v", res.Files)
		}
	})
	t.Run("bad glob", func(t *testing.T) {
		if _, err := Check(context.Background(), []string{"dist"}, Options{Exclude: []string{"dist/[x"}}); err == nil {
			t.Error("bad glob accepted")
		}
	})
	t.Run("source root", func(t *testing.T) {
		res := check(t, Options{SourceRoot: "src"}, "dist/app.js")
		for _, f := range res.Findings {
			if f.Original == nil || strings.HasPrefix(f.Original.Source, "src/") {
				t.Errorf("source %+v not relative to the source root", f.Original)
			}
		}
	})
	t.Run("progress", func(t *testing.T) {
		var mu sync.Mutex
		var calls [][2]int
		check(t, Options{Workers: 4, Progress: func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, [2]int{done, total})
		}}, "dist")
		if !reflect.DeepEqual(calls, [][2]int{{1, 2}, {2, 2}}) {
			t.Errorf("progress calls %v", calls)
		}
	})
}

// The engine diagnostics are documented like rules, and their examples do
// what the docs say.
func TestEngineRuleDocs(t *testing.T) {
	for _, r := range analyzer.EngineRules() {
		if r.Title == "" || strings.HasSuffix(r.Title, ".") || len(r.Doc) < 100 || r.Fix == "" || r.Severity == 0 {
			t.Errorf("%s: incomplete documentation", r.ID)
		}
		if r == analyzer.ParseError {
			continue // its examples are bundles, not sources: TestParseErrorDocs
		}
		for _, ex := range []struct {
			name, src string
			want      bool
		}{{"bad", r.Bad, true}, {"good", r.Good, false}} {
			// The prelude declares what the examples use; the last line
			// keeps esbuild from dropping them as dead code.
			project(t, map[string]string{"src/main.js": "const value = 1, registry = {};\nclass Plugin {}\n" + ex.src +
				"\nconsole.log(value, registry, Plugin, typeof kind);\n"})
			bundle(t, buildOpts{write: true})
			res := check(t, Options{Rules: []*analyzer.Rule{readsRule, {ID: "name-compare", Run: func(*analyzer.Pass) {}}, {ID: "name-key", Run: func(*analyzer.Pass) {}}}}, "dist")
			var ids []string
			for _, f := range res.Findings {
				ids = append(ids, f.Rule)
			}
			sort.Strings(ids)
			found := strings.Contains(strings.Join(ids, " "), r.ID)
			if found != ex.want {
				t.Errorf("%s: %s example gives %q", r.ID, ex.name, ids)
			}
		}
	}
}
