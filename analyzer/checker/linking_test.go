package checker_test

import (
	"context"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// splitBuild builds the entry points of a source tree with code splitting
// and returns the findings of checking the chunks together.
func splitBuild(t *testing.T, files map[string]string, entries []string, keep, maps bool) []analyzer.Finding {
	t.Helper()
	dir := testfiles.Tree(t, files)
	out := filepath.Join(dir, "dist")
	var eps []string
	for _, e := range entries {
		eps = append(eps, filepath.Join(dir, e))
	}
	sm := api.SourceMapNone
	if maps {
		sm = api.SourceMapLinked
	}
	res := api.Build(api.BuildOptions{
		EntryPoints: eps, Bundle: true, Splitting: true, Format: api.FormatESModule, Outdir: out,
		Sourcemap: sm, MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true,
		KeepNames: keep, Write: true, LogLevel: api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	got, err := checker.Check(context.Background(), []string{out}, checker.Options{Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	if got.Failed() {
		t.Fatalf("a chunk could not be analyzed: %+v", got.Files)
	}
	return got.Findings
}

// The incident's shape split across chunks: the startup steps and the
// plugins live in a chunk both entries import; one entry registers the
// steps by .name and calls them by their original names, the other looks
// a plugin up by its original name, and a third keys and reads its
// registry by runtime names only (a closed round trip, which works).
var linkedApp = map[string]string{
	"src/steps.js": `export function initConfig(app) { app.config = {}; }
export function initDatabase(app) { app.db = {}; }
export function initRouter(app) { app.router = {}; }
export class MarkdownPlugin { render(s) { return s; } }
export class HtmlPlugin { render(s) { return s; } }`,
	"src/a.js": `import { initConfig, initDatabase, initRouter } from "./steps.js";
const handlers = {};
for (const step of [initConfig, initDatabase, initRouter]) handlers[step.name] = step;
const app = {};
handlers.initConfig(app);
handlers.initDatabase(app);
console.log(app);`,
	"src/b.js": `import { initConfig, MarkdownPlugin, HtmlPlugin } from "./steps.js";
const registry = {};
for (const P of [MarkdownPlugin, HtmlPlugin]) registry[P.name] = P;
const md = new registry["MarkdownPlugin"]();
initConfig({});
console.log(md.render("x"));`,
	"src/c.js": `import { MarkdownPlugin, HtmlPlugin } from "./steps.js";
const plugins = new Map();
for (const P of [MarkdownPlugin, HtmlPlugin]) plugins.set(P.name, P);
const made = new MarkdownPlugin();
console.log(plugins.get(made.constructor.name) === MarkdownPlugin);`,
}

func TestLinkedChunks(t *testing.T) {
	want := map[string][]string{
		"a.js": {`no stored key is "initConfig"`, `no stored key is "initDatabase"`},
		"b.js": {`no stored key is "MarkdownPlugin"`},
	}
	for _, maps := range []bool{false, true} {
		for _, keep := range []bool{false, true} {
			findings := splitBuild(t, linkedApp, []string{"src/a.js", "src/b.js", "src/c.js"}, keep, maps)
			got := map[string][]string{}
			for _, f := range findings {
				if f.Rule != "name-key" || f.Severity != analyzer.Error {
					t.Errorf("maps=%v keep=%v: unexpected %s %s finding in %s: %s", maps, keep, f.Severity, f.Rule, f.Bundle.Path, f.Message)
					continue
				}
				got[filepath.Base(f.Bundle.Path)] = append(got[filepath.Base(f.Bundle.Path)], f.Message)
			}
			if keep {
				if len(findings) > 0 {
					t.Errorf("maps=%v: a keep-names build works, want no findings, got %d", maps, len(findings))
				}
				continue
			}
			for file, msgs := range want {
				if len(got[file]) != len(msgs) {
					t.Errorf("maps=%v: %s: want %d name-key errors, got %q", maps, file, len(msgs), got[file])
					continue
				}
				for i, m := range msgs {
					if !strings.Contains(got[file][i], m) {
						t.Errorf("maps=%v: %s: %q does not say %q", maps, file, got[file][i], m)
					}
				}
			}
			if maps && len(got["a.js"]) > 0 && !strings.Contains(got["a.js"][0], `initConfig → "`) {
				t.Errorf("with maps the message names the original names: %q", got["a.js"][0])
			}
			if len(got["a.js"]) > 0 && !strings.Contains(got["a.js"][0], "; imported from ") {
				t.Errorf("the message says which chunk the stored functions come from: %q", got["a.js"][0])
			}
		}
	}
}

// Re-exports, export *, a default export and an import cycle, as rollup
// and esbuild write them, checked from memory with one worker and with
// several: the same findings.
func TestLinkedReexportsAndCycles(t *testing.T) {
	chunks := map[string]string{
		"dist/c1.js":     `function o(){}function i(){}class n{}export{o as a,i as b,n as c};export default function(){}`,
		"dist/c2.js":     `export{a as x}from"./c1.js";export*from"./c1.js";`,
		"dist/entry.js":  `import{x as t,b as u}from"./c2.js";import d from"./c1.js";var h={};for(const s of[t,u,d])h[s.name]=s;h.initConfig();h.default();`,
		"dist/cycle1.js": `import{b as q}from"./cycle2.js";function r(){}export{r as a};var m={};m[q.name]=q;m.loadUser();`,
		"dist/cycle2.js": `import{a as p}from"./cycle1.js";function w(){}export{w as b};var k={};k[p.name]=p;k.saveUser();`,
	}
	var sources []checker.Source
	for _, name := range slices.Sorted(maps.Keys(chunks)) {
		sources = append(sources, checker.Source{Path: name, Contents: []byte(chunks[name])})
	}
	var first []analyzer.Finding
	for _, workers := range []int{1, 4} {
		res, err := checker.CheckFiles(context.Background(), sources, checker.Options{Rules: rules.All(), Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if workers == 1 {
			first = res.Findings
		} else if !reflect.DeepEqual(first, res.Findings) {
			t.Errorf("workers %d: findings differ from one worker's", workers)
		}
	}
	got := map[string][]string{}
	for _, f := range first {
		got[f.Bundle.Path] = append(got[f.Bundle.Path], f.Rule+" "+f.Severity.String()+": "+f.Message)
	}
	// entry.js: "initConfig" is stored by no value (o, i, default); the
	// default export is stored as "default".
	if len(got["dist/entry.js"]) != 1 || !strings.Contains(got["dist/entry.js"][0], `name-key error: h.initConfig looks up the key "initConfig" in a registry keyed by runtime names ("default", "i", "o"; imported from dist/c1.js)`) {
		t.Errorf("entry.js: want one name-key error for initConfig, got %q", got["dist/entry.js"])
	}
	// The cycle is followed one way only: cycle2.js is analyzed first
	// and cannot see cycle1.js's exports.
	if len(got["dist/cycle1.js"]) != 1 || !strings.Contains(got["dist/cycle1.js"][0], `"loadUser"`) {
		t.Errorf("cycle1.js: want one error for loadUser, got %q", got["dist/cycle1.js"])
	}
	if len(got["dist/cycle2.js"]) != 0 {
		t.Errorf("cycle2.js: want nothing, got %q", got["dist/cycle2.js"])
	}
}
