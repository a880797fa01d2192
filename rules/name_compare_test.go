package rules_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// Without a map, a runtime name compared with a string no function of
// the minified bundle carries is an error, unless the bundle names
// classes at runtime from strings it passes to a factory (zod's
// $constructor: Object.defineProperty(C, "name", {value: name})) and
// passes that one.
func TestNameCompareFactoryNames(t *testing.T) {
	const check = `function isZodError(e) { return e != null && e.constructor.name === "ZodError"; }
try { parse(); } catch (e) { console.log(isZodError(e)); }
`
	for _, c := range []struct{ name, src, want string }{
		{"named by a factory", `function $constructor(name, init) {
  class _ extends Error { constructor(m) { super(m); init(this); } }
  Object.defineProperty(_, "name", { value: name });
  return _;
}
const ZodError = $constructor("ZodError", (e) => { e.issues = []; });
function parse() { throw new ZodError("bad"); }
` + check, ""},
		{"no such name", `class ZodError extends Error {}
function parse() { throw new ZodError("bad"); }
` + check, "error"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, true, rules.NameCompare), c.want)
	}
}

// Candidates of which some kept their names (classes defined in an
// object literal take the key as their name) and one was renamed: the
// object key that holds the renamed one ({Shape: r}, a namespace object)
// says what the source called it, so comparing with that name is an
// error without a map too. A key that says nothing of the literal leaves
// the comparison unjudged.
func TestNameCompareKeyedAway(t *testing.T) {
	for _, c := range []struct {
		name, key string
		want      string
	}{
		{"key names the class", "Shape", "error"},
		{"key names something else", "Base", ""},
	} {
		src := `class Shape {
  constructor() { if (this.constructor.name === "Shape") throw new TypeError("Shape is abstract"); }
  area() { return 0; }
}
const shapes = Object.freeze({ ` + c.key + `: Shape, Square: class extends Shape { area() { return 4; } }, Triangle: class extends Shape { area() { return 6; } } });
const palette = [];
for (const [name, Cls] of Object.entries(shapes)) {
  try { palette.push({ name, area: new Cls().area() }); } catch (e) {}
}
console.log(JSON.stringify(palette));`
		wantSeverities(t, c.name, checkIIFE(t, src, true, rules.NameCompare), c.want)
	}
}

// A dependency shipped minified, with a map that names nothing (ExcelJS's
// dist/exceljs.min.js): esbuild composes it into the bundle's map, whose
// segment at the class's name then has no name, which reads as "kept".
// The source text at the class says MergeValue, so the comparison with
// "MergeValue" is about a renamed class, as without a map.
func TestNameCompareComposedMap(t *testing.T) {
	dir := t.TempDir()
	source := "export class MergeValue {}\nexport function isMerge(v) { return v.constructor.name === \"MergeValue\"; }\n"
	minified := `class f{}export function isMerge(e){return e.constructor.name==="MergeValue"}export{f as MergeValue};` + "\n//# sourceMappingURL=lib.min.js.map\n"
	m, err := json.Marshal(map[string]any{
		"version": 3, "sources": []string{"lib.js"}, "sourcesContent": []string{source}, "names": []string{},
		"mappings": "AAAO,MAAM,GACb,OAAO,SAAS,QAAQ,GAAK,OAAO,EAAE,YAAY,KAAK,GAAI",
	})
	if err != nil {
		t.Fatal(err)
	}
	testfiles.Write(t, dir, map[string]string{
		"lib.min.js":     minified,
		"lib.min.js.map": string(m),
		"app.js":         "import { MergeValue, isMerge } from \"./lib.min.js\";\nconsole.log(isMerge(new MergeValue()));\n",
	})
	s := snippet{entry: filepath.Join(dir, "app.js"), out: filepath.Join(dir, "out.js"), format: api.FormatIIFE}
	findings := s.check(t, rules.NameCompare)
	wantSeverities(t, "composed map", findings, "error")
	for _, f := range findings {
		if !strings.Contains(f.Message, "renamed class MergeValue") {
			t.Errorf("message %q does not name the class", f.Message)
		}
	}
}

// Without a map, a literal no function of the bundle carries names a
// renamed class only when the bundle loads no code from outside: a
// bundle for Node that requires its externals (or Node's own modules)
// compares names of their classes (assert's AssertionError, the MongoDB
// driver's ReadPreference), which this build does not rename.
func TestNameCompareExternalClasses(t *testing.T) {
	const body = `class t{constructor(){this.n=1}}function o(e){return e.constructor.name==="AssertionError"}try{s(!1)}catch(e){console.log(o(e),new t)}`
	for _, c := range []struct{ name, src, want string }{
		{"requires a package", `"use strict";var r=require("assert"),s=r.ok;` + body, ""},
		{"requires through a shim", `var i=(e=>typeof require<"u"?require:e)(function(e){throw Error('Dynamic require of "'+e+'" is not supported')});var s=i("assert").ok;` + body, ""},
		{"self-contained", `var s=function(e){if(!e)throw new Error("no")};` + body, "error"},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"out.js": "(()=>{" + c.src + "})();\n"})
		wantSeverities(t, c.name, checkNoMap(t, filepath.Join(dir, "out.js"), rules.NameCompare), c.want)
	}
}

// A constructor the bundle reads from a property it never writes comes
// from outside: Tone.js's audio context reads e.webkitAudioContext from
// the window it is given and compares its name with "webkitAudioContext",
// the browser's name for the class. Without a map that literal is no
// evidence of a mangled name; a property the bundle also writes is its
// own, and a literal nothing reads still is.
func TestNameCompareHostProperty(t *testing.T) {
	const body = `class t{constructor(){this.n=1}}function g(e){return e.hasOwnProperty("AudioContext")?e.AudioContext:e.webkitAudioContext}function o(c){var x=new c;return x&&c.name==="webkitAudioContext"}console.log(o(g(window)),new t);`
	for _, c := range []struct{ name, src, want string }{
		{"read from the host", body, ""},
		{"also written by the bundle", `var h={};h.webkitAudioContext=1;` + body, "error"},
		{"never read", strings.Replace(body, "e.webkitAudioContext", "e.other", 1), "error"},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"out.js": "(()=>{" + c.src + "})();\n"})
		wantSeverities(t, c.name, checkNoMap(t, filepath.Join(dir, "out.js"), rules.NameCompare), c.want)
	}
}

// A property a class name is stored in, read on objects the bundle also
// writes that property on otherwise: video.js keeps a tech's class name
// in name_, and every other component's name from its options, then
// looks for the component named "ErrorDisplay". The literal may be what
// those other writes store.
func TestNameCompareSharedProperty(t *testing.T) {
	const tail = `function f(c){return c.name_==="ErrorDisplay"}var i=[new n,new o({name:"ErrorDisplay"})];console.log(i.some(f));`
	for _, c := range []struct{ name, src, want string }{
		{"written from options too", `class n{constructor(){this.name_=this.constructor.name}}class o{constructor(e){this.name_=e.name}}` + tail, ""},
		{"only the class name", `class n{constructor(){this.name_=this.constructor.name}}class o{constructor(e){this.label=e.name}}` + tail, "error"},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"out.js": "(()=>{" + c.src + "})();\n"})
		wantSeverities(t, c.name, checkNoMap(t, filepath.Join(dir, "out.js"), rules.NameCompare), c.want)
	}
}

// lodash's getFuncName returns func.name, or the name its table of real
// names holds for the function (keyed by runtime names, so it still
// works minified): what the call gives may be another string than the
// name, and a literal no function is named is no evidence then. A
// function that returns only the name still is.
func TestNameCompareOtherReturn(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"a table's name returned beside func.name",
			`(()=>{var r={};function g(t){for(var i=t.name+"",u=r[i],f=Object.prototype.hasOwnProperty.call(r,i)?u.length:0;f--;){var d=u[f];if(d.func==null||d.func==t)return d.name}return i}class n{}function s(){return function(){}}r[s().name]=[{name:"wrapper",func:void 0}];function l(a){return a.some(function(x){return g(x)=="wrapper"})}console.log(l([n]))})();`,
			""},
		{"a table's name returned beside func.name, not derived",
			`(()=>{var r={};function g(t){var i=t.name,u=r[i],f=Object.prototype.hasOwnProperty.call(r,i)?u.length:0;for(;f--;){var d=u[f];if(d.func==null||d.func==t)return d.name}return i}class n{}function s(){return function(){}}r[s().name]=[{name:"wrapper",func:void 0}];function l(a){return a.some(function(x){return g(x)=="wrapper"})}console.log(l([n]))})();`,
			""},
		{"func.name or another property's name",
			`(()=>{class n{}function g(t){return t.displayName||t.name}function l(a){return a.some(function(x){return g(x)=="wrapper"})}console.log(l([n]))})();`,
			"error"},
		{"only func.name returned",
			`(()=>{function g(t){return t.name+""}class n{}function l(a){return a.some(function(x){return g(x)=="wrapper"})}console.log(l([n]))})();`,
			"error"},
		{"func.name or a literal",
			`(()=>{function g(t){if(!t)return"none";return t.name+""}class n{}function l(a){return a.some(function(x){return g(x)=="wrapper"})}console.log(l([n]))})();`,
			"error"},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"main.js": c.src + "\n"})
		wantSeverities(t, c.name, checkNoMap(t, filepath.Join(dir, "main.js"), rules.NameCompare), c.want)
	}
}
