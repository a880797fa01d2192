package rules_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// A bundle can hold two copies of one library: the production build,
// published with its properties mangled (mobx renames every name_ in
// mobx.cjs.production.min.js), and the development build, which writes
// the same properties under their own names. The map traces both to the
// same source, so a name the mangled copy renamed is still written as it
// is by the other copy: a dot access or string lookup by that name finds
// it, and nothing is reported. With the mangled copy alone, the quoted
// lookup really finds nothing and is an error.
func TestMangledPropertyTwoCopies(t *testing.T) {
	dir := t.TempDir()
	testfiles.Write(t, dir, map[string]string{"lib.js": `export class Atom {
  constructor(name) { this.name_ = name; this.observers_ = []; }
  observe(f) { this.observers_.push(f); return this.name_; }
}
`})
	// The published production copy: properties mangled, with its map
	// linked, as a package ships it.
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{filepath.Join(dir, "lib.js")}, Outfile: filepath.Join(dir, "lib.min.js"),
		Format: api.FormatESModule, MangleProps: "_$", MinifyIdentifiers: true, MinifySyntax: true,
		Sourcemap: api.SourceMapLinked, Write: true, LogLevel: api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	testfiles.Write(t, dir, map[string]string{"both.js": `import { Atom as Prod } from "./lib.min.js";
import { Atom as Dev } from "./lib.js";
const pick = globalThis.production ? Prod : Dev;
const a = new pick("count");
console.log(a.observe(() => 1), a["name_"]);
`, "prod.js": `import { Atom } from "./lib.min.js";
const a = new Atom("count");
console.log(a.observe(() => 1), a["name_"]);
`})
	check := func(entry string) []analyzer.Finding {
		return snippet{entry: filepath.Join(dir, entry), out: filepath.Join(dir, strings.TrimSuffix(entry, ".js")+".out.js"),
			format: api.FormatIIFE}.check(t, rules.MangledProperty)
	}
	if fs := check("both.js"); len(fs) != 0 {
		t.Errorf("two copies of the library, one unmangled: want no finding, got %d, first: %s", len(fs), fs[0].Message)
	}
	fs := check("prod.js")
	if len(fs) != 1 || fs[0].Severity != analyzer.Error || !strings.Contains(fs[0].Message, `"name_"`) {
		t.Errorf("mangled copy alone: want one error on \"name_\", got %+v", fs)
	}
}

// A list of property names matched against an object's keys
// (Object.keys(o).filter(k => ALLOWED.includes(k))) reaches each listed
// property by its string: property mangling renamed the object's keys
// but not the list. An error with the map and, by the naming convention,
// without it; the names the list shares with kept properties are fine.
func TestMangledPropertyKeysAgainstList(t *testing.T) {
	dir := t.TempDir()
	testfiles.Write(t, dir, map[string]string{"in.js": `const ALLOWED = ["width_", "title"];
export function unknownKeys(opts) {
  return Object.keys(opts).filter((k) => !ALLOWED.includes(k));
}
export function unknownKeysLoop(opts) {
  const out = [];
  for (const k of Object.keys(opts)) if (ALLOWED.indexOf(k) < 0) out.push(k);
  return out;
}
const opts = { width_: 640, title: "Sales" };
opts.width_ = 300;
console.log(unknownKeys(opts), unknownKeysLoop(opts));
`})
	wantErrorsOn(t, mangledSnippet(dir), "width_ width_")
}

// A property defined by its string (Object.defineProperty(this, "size_",
// …)) that the rest of the code reads with a dot: property mangling
// renamed the reads, so they miss it. The map shows the reads renamed:
// an error. Without it, nothing shows who reads the defined name: no
// finding.
func TestMangledPropertyDefinedByString(t *testing.T) {
	dir := t.TempDir()
	testfiles.Write(t, dir, map[string]string{"in.js": `class List {
  constructor() { let n = 0; Object.defineProperty(this, "size_", { get: () => n }); this.bump = () => ++n; }
}
const l = new List();
l.bump();
console.log(l.size_);
`})
	wantMapOnlyError(t, mangledSnippet(dir), "size_", "defines property")
}

// Saved settings parsed from a JSON literal and applied by key (for
// (const [k, v] of Object.entries(JSON.parse('{"dark_":true}'))) if (k
// in flags) …): the JSON keeps the names, property mangling renamed the
// flags. One error per key, with and without the map; a key that is no
// mangled property is fine.
func TestMangledPropertyJSONKeys(t *testing.T) {
	dir := t.TempDir()
	testfiles.Write(t, dir, map[string]string{"in.js": `const flags = { dark_: false, compact_: true, theme: "x" };
const saved = JSON.parse('{"dark_":true,"theme":"y"}');
for (const [key, value] of Object.entries(saved)) {
  if (key in flags) flags[key] = value;
}
const other = JSON.parse('{"compact_":false}');
for (const k of Object.keys(other)) console.log(flags[k]);
console.log(flags.dark_, flags.compact_, flags.theme);
`})
	// dark_ at the in test, compact_ at the read.
	wantErrorsOn(t, mangledSnippet(dir), "dark_ compact_")
}

// A response body parsed from a JSON literal and read with dots:
// property mangling renamed the reads, the data keeps its keys. With the
// map, an error at the first renamed read of each key; without it, none
// (nothing ties the reads to the keys).
func TestMangledPropertyParsedJSONReads(t *testing.T) {
	dir := t.TempDir()
	testfiles.Write(t, dir, map[string]string{"in.js": `const BODY = '{"token_":"abc","scope":"read"}';
function login() { return JSON.parse(BODY); }
const session = login();
const local = { token_: "x" };
console.log(session.token_, session.scope, local.token_);
`})
	wantMapOnlyError(t, mangledSnippet(dir), "token_", "parses from JSON text")
}

// mangledSnippet is dir/in.js built by esbuild with --mangle-props=_$.
func mangledSnippet(dir string) snippet {
	return snippet{entry: filepath.Join(dir, "in.js"), out: filepath.Join(dir, "out.js"), format: api.FormatIIFE, mangleProps: "_$"}
}

// wantErrorsOn checks that mangled-property finds errors naming exactly
// want (space-separated, in bundle order) in s, with its map and without.
func wantErrorsOn(t *testing.T, s snippet, want string) {
	t.Helper()
	for _, c := range []struct {
		name     string
		findings []analyzer.Finding
	}{
		{"map", s.check(t, rules.MangledProperty)},
		{"no map", checkNoMap(t, s.out, rules.MangledProperty)},
	} {
		var keys []string
		for _, f := range c.findings {
			if f.Severity != analyzer.Error {
				t.Errorf("%s: %s is not an error", c.name, f.Message)
			}
			keys = append(keys, f.Name)
		}
		if strings.Join(keys, " ") != want {
			t.Errorf("%s: findings name %q, want %q", c.name, keys, want)
		}
	}
}

// wantMapOnlyError checks that mangled-property finds, in s, one error
// naming name whose message contains phrase with the map, and nothing
// without it.
func wantMapOnlyError(t *testing.T, s snippet, name, phrase string) {
	t.Helper()
	fs := s.check(t, rules.MangledProperty)
	if len(fs) != 1 || fs[0].Severity != analyzer.Error || fs[0].Name != name || !strings.Contains(fs[0].Message, phrase) {
		t.Errorf("with the map: want one error on %s (%q), got %+v", name, phrase, fs)
	}
	if fs := checkNoMap(t, s.out, rules.MangledProperty); len(fs) != 0 {
		t.Errorf("without the map: want no finding, got %q", fs[0].Message)
	}
}
