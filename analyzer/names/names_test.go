package names_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

func analyze(t *testing.T, src string) *names.Facts {
	t.Helper()
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return names.Analyze(prg, scope.Build(prg, scope.Options{}), names.Options{DefaultExport: -1})
}

// The runtime .name of each function or class, in source order, per the
// spec's SetFunctionName/NamedEvaluation and the naming helpers.
func TestRuntimeNames(t *testing.T) {
	for _, c := range []struct {
		src  string
		want string // runtime names of all functions, in order, "|"-separated
	}{
		{`function f(){}`, "f"},
		{`var a = function(){}, b = () => 1, c = class {};`, "a|b|c"},
		{`let x; x = function(){}; x ||= () => 1; x &&= class{}; x ??= function(){};`, "x|x|x|x"},
		{`x += function(){}`, ""},
		{`var o = {a: function(){}, b(){}, get c(){ return 1 }, set c(v){}, ["d"]: () => 1, 1: function(){}};`, "a|b|get c|set c|d|1"},
		{`class A { f = () => 1; #p = function(){}; static s = class {}; m(){} }`, "A|f|#p|s|m"},
		{`function g(a = function(){}, {b = () => 1} = {}, [c = class{}] = []) {}`, "g|a|b|c"},
		{`obj.x = function(){}; f(function(){}); [function(){}]; (0, function(){});`, "|||"},
		{`var named = function inner(){};`, "inner"},
		{`class B { static name = "Pinned" }`, "Pinned"},
		{`class C { static get name() { return "Got" } }`, "Got|get name"},
		{`var t = Object.defineProperty; var e = (r, n) => t(r, "name", {value: n, configurable: true}); var l = class { static { e(this, "UserService") } }; function c(){} e(c, "registerHandler"); const o = e(() => 2, "helperArrow");`,
			"e|UserService|registerHandler|helperArrow"},
		{`function d(){} Object.defineProperty(d, "name", {value: "default", configurable: true});`, "default"},
		// Oxc (Vite 8, Rolldown) prints plain strings in backticks.
		{"let t = (e, n) => Object.defineProperty(e, \"name\", {value: n, configurable: !0}); var n = class {}; t(n, `Registered`); var r = class {}; t(() => 1, `arrow`);",
			"t|Registered|r|arrow"},
		{"function d(){} Object.defineProperty(d, `name`, {value: `Pinned`});", "Pinned"},
		{"class B { static name = `Pinned` } class C { static get name() { return `Got` } }", "Pinned|Got|get name"},
		{"var t = (e, n) => Object.defineProperty(e, `name`, {value: n}); var c = class {}; t(c, `A${1}`);", "t|c"},
	} {
		nf := analyze(t, c.src)
		var got []string
		for _, fn := range nf.Funcs {
			if !fn.RuntimeKnown {
				got = append(got, "?")
				continue
			}
			got = append(got, fn.Runtime)
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, strings.Join(got, "|"), c.want)
		}
	}
}

// Reads of a function's name are found through the receivers that can
// hold one, and plain data is left alone.
func TestReadsAndUses(t *testing.T) {
	for _, c := range []struct {
		src  string
		want string // "receiver-kind use-kind" of each use, "|"-separated
	}{
		{`class A {} A.name === "A";`, "function compare"},
		{`class A { m(){ return this.constructor.name === "A" } }`, "constructor compare"},
		{`class A { static k(){ reg[this.name] = this } } var reg = {};`, "static this key"},
		{`function reg(c){ m.set(c.name, c) } class A {} reg(A); var m = new Map;`, "parameter key"},
		{`function f(){ if (new.target.name === "f") {} }`, "new.target compare"},
		{`function h(){ return arguments.callee.name }`, ""},
		{`class E extends Error { constructor(){ super(); this.name = this.constructor.name } } function s(e){ return e.name === "E" }`,
			"constructor store|property compare"},
		{`function g(user){ return user.name === "Ada" }`, ""},
		// a property the bundle writes runtime names into is read as a
		// name on a caught error (also through uglify-js's (e=r).name),
		// not on what a call returned (pixi.js: WebGL's attribute
		// info) nor on an instance of another class
		{`function cl(){} cl.prototype.name = cl.name; try { f() } catch (e) { e.name === "Z" }`, "function store|property compare"},
		{`function cl(){} cl.prototype.name = cl.name; var e; try { f() } catch (r) { (e = r).name === "Z" }`, "function store|property compare"},
		{`function cl(){} cl.prototype.name = cl.name; function f(gl){ var a = gl.getActiveAttrib(0); return a.name === "Z" }`, "function store"},
		{`function cl(){} cl.prototype.name = cl.name; function f(m){ return m.item(0).name === "Z" }`, "function store"},
		{`function cl(){} cl.prototype.name = cl.name; class Attr {} function f(a){ return a.name === "Z" } f(new Attr);`, "function store"},
		{`var file = {name: "x"}; file.name === "x";`, ""},
		{`class A {} const n = A.name; if (n === "A") {}`, "function compare"},
		{`class A {} console.log(A.name + " started");`, "function message"},
		{`class A {} ({type: A.name});`, "function serialize"},
		// a name passed to a method of an object, or to a function the
		// flows bring to the call, reaches that function's parameter
		{`var data = new Map; var st = {load: (k) => data.has(k)}; class A {} st.load(A.name);`, "function key"},
		{`var m = new Map; function put(k){ m.set(k, 1) } var ops = [put]; class A {} ops[0](A.name);`, "function key"},
	} {
		nf := analyze(t, c.src)
		var got []string
		for _, u := range nf.Uses {
			got = append(got, u.Read.Kind.String()+" "+u.Kind.String())
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, strings.Join(got, "|"), c.want)
		}
	}
}

// Stores keyed by runtime names, and whether the bundle shows them
// closed (written and read only through runtime names) or looked up by a
// fixed key.
// this.constructor in a superclass's constructor is the class or one of
// its subclasses, also where uglify-js reuses the superclass's variable
// for other values and the extends clauses no longer name one binding.
func TestConstructorFamily(t *testing.T) {
	src := `var r=class extends Error{constructor(m){super(m),this.name=this.constructor.name}},e=class extends r{},n=class extends r{};r=[()=>{throw new e("x")},()=>{throw new n("y")}];`
	nf := analyze(t, src)
	if len(nf.Reads) == 0 {
		t.Fatal("no read")
	}
	var got []string
	for _, fn := range nf.Reads[0].Candidates {
		got = append(got, fn.Runtime)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "e n r" {
		t.Errorf("candidates of this.constructor.name: got %q, want %q", got, "e n r")
	}
}

// uglify-js inlines a class into an expression anonymously and maps no
// segment at it, only at its first member: the source text before that
// member names the class.
func TestLostClassName(t *testing.T) {
	for _, c := range []struct{ source, want string }{
		{"export class Migration20240101CreateUsers {\n  up(db) {\n", "Migration20240101CreateUsers"},
		{"class Cart extends Base implements Store {\n\n  up(db) {\n", "Cart"},
		{"export default class Box<T> {\n  up(db) {\n", "Box"},
		{"const x = {\n  up(db) {\n", ""},      // not a class body
		{"class A { m() {}\n  up(db) {\n", ""}, // not its first member
	} {
		src := `var all = [class{up(e){return e}}];`
		text := lines.New(c.source)
		n := text.Lines() - 2 // the line "  up(db) {"
		got := classSourceName(t, src, strings.Index(src, "up("), names.Origin{Source: &names.SourceText{Lines: text}, Line: text.Line(n), At: 2, LineNo: n})
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.source, got, c.want)
		}
	}
}

// classSourceName analyzes src with a map that has no names and places
// only the code at offset at, on o; it returns the source name found for
// a class ("" none).
func classSourceName(t *testing.T, src string, at int, o names.Origin) string {
	t.Helper()
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatal(err)
	}
	origin := func(pos int) (names.Origin, bool) { return o, pos == at }
	nf := names.Analyze(prg, scope.Build(prg, scope.Options{}), names.Options{DefaultExport: -1, Origin: origin,
		OriginalAt: func(int, string) (string, bool) { return "", false }, HasMap: true})
	got := ""
	for _, fn := range nf.Funcs {
		if fn.IsClass && fn.OriginalKnown {
			got = fn.Original
		}
	}
	return got
}

// terser with toplevel names a class by the variable it assigns it to
// (var r;r=class extends Error{}) and maps no segment at that variable;
// the class's start maps onto its declaration in the source.
func TestAssignedClassDeclaredName(t *testing.T) {
	for _, c := range []struct {
		source string
		at     int // where the map puts the class's start
		want   string
	}{
		{"class TimeoutError extends Error {}", 6, "TimeoutError"}, // the name after class (terser)
		{"class TimeoutError extends Error {}", 0, "TimeoutError"}, // the class keyword
		{"export function load() {}", 7, "load"},
		{"var User = class {", 11, "User"}, // named by the variable the source assigns it to
		{"const Handler = class extends Base {}", 16, "Handler"},
		{"registry.User = class {", 16, ""}, // a property: no name
		{"const r = createThing();", 10, ""},
	} {
		src := `var r;r=class extends Error{};`
		text := lines.New(c.source)
		got := classSourceName(t, src, strings.Index(src, "class"), names.Origin{Source: &names.SourceText{Lines: text}, Line: text.Line(0), At: c.at})
		if got != c.want {
			t.Errorf("%q at %d: got %q, want %q", c.source, c.at, got, c.want)
		}
	}
}

// A class expression with a name of its own keeps it whatever holds it:
// esbuild drops the name of `newConstructor = class ioc_wrapper extends
// source {…}` and the bundle's class is named by the variable (n), whose
// map name is the variable's. The source's own name is the original one
// (typescript-ioc tests source.name !== "ioc_wrapper"); an anonymous
// source class keeps the variable's.
func TestAssignedClassOwnName(t *testing.T) {
	for _, c := range []struct{ source, want string }{
		{"        newConstructor = class ioc_wrapper extends source {", "ioc_wrapper"},
		{"        newConstructor = class extends source {", "newConstructor"},
	} {
		src := `var n;n=class extends Error{};`
		at := strings.Index(src, "class")
		text := lines.New(c.source)
		o := names.Origin{Source: &names.SourceText{Lines: text}, Line: text.Line(0), At: strings.Index(c.source, "class")}
		prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
		if err != nil {
			t.Fatal(err)
		}
		nf := names.Analyze(prg, scope.Build(prg, scope.Options{}), names.Options{DefaultExport: -1,
			Origin:     func(pos int) (names.Origin, bool) { return o, pos == at },
			OriginalAt: func(int, string) (string, bool) { return "newConstructor", true }, HasMap: true})
		got := ""
		for _, fn := range nf.Funcs {
			if fn.IsClass && fn.OriginalKnown {
				got = fn.Original
			}
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.source, got, c.want)
		}
	}
}

// An assignment inside a list of literals is worth what it assigns:
// uglify-js folds `F.displayName = "Foo"` into the list that follows it.
func TestAssignedLiteral(t *testing.T) {
	nf := analyze(t, `function F(){} var o = [F.displayName = "Foo", "Bar"]; function k(x){ return o.includes(x.name) } k(F);`)
	var got []string
	for _, u := range nf.Uses {
		if u.Kind == names.UseCompare {
			got = append(got, u.Strings...)
		}
	}
	if strings.Join(got, " ") != "Foo Bar" {
		t.Errorf("compared with %q, want Foo Bar", got)
	}
}

func TestStores(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      string // per store: "closed", or "lookup K" per fixed-key read, "|"-separated
	}{
		{"set of names read back by names",
			`function a(){} function b(){} const seen = new Set(); for (const f of [a, b]) { if (!seen.has(f.name)) seen.add(f.name); }`,
			"closed"},
		{"set asked for a literal",
			`function a(){} const s = new Set(); s.add(a.name); s.has("a");`,
			"lookup a"},
		{"classList.add is no store",
			`class A {} document.body.classList.add(A.name);`,
			""},
		{"type tag serialized and read back into the same Map",
			`class A {} class B {} const h = new Map([[A.name, 1], [B.name, 2]]);
			 const enc = (x) => JSON.stringify({tag: x.constructor.name});
			 const dec = (s) => h.get(JSON.parse(s).tag); dec(enc(new A)); dec(enc(new B));`,
			"closed"},
		{"descriptors' name strings, where an error class sets .name from its own",
			`class E extends Error { constructor(){ super(); this.name = this.constructor.name } }
			 const reg = {}; function add(ext) { reg[ext.name] = ext.ref } add(input); reg.rectangle;`,
			""},
		{"instances of that error class keyed by .name",
			`class E extends Error { constructor(){ super(); this.name = this.constructor.name } }
			 const reg = {}; const e = new E(); reg[e.name] = e; reg.E;`,
			"lookup E"},
		{"a class variable reused for an array of results: .name of the array adds nothing",
			`var a=class{},e=class{},n=new Map([[a.name,1],[e.name,2]]);
			 var s=a=>n.get(a.tag),e=[new a,new e].map(x=>s({tag:x.constructor.name}));`,
			"closed"},
		{"the tag property is also written with a literal",
			`class A {} const h = new Map([[A.name, 1]]);
			 const enc = (x) => JSON.stringify({tag: x.constructor.name}); const other = {tag: "A"};
			 const dec = (s) => h.get(JSON.parse(s).tag); dec(enc(new A));`,
			"open"},
	} {
		nf := analyze(t, c.src)
		var got []string
		for _, st := range nf.Stores() {
			switch {
			case st.Closed():
				got = append(got, "closed")
			case len(st.Lookups) > 0:
				for _, l := range st.Lookups {
					got = append(got, "lookup "+l.Key)
				}
			default:
				got = append(got, "open")
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%s: got %q, want %q", c.name, strings.Join(got, "|"), c.want)
		}
		if c.want == "closed" {
			for _, u := range nf.Uses {
				if u.Key == "tag" && !nf.TagClosed(u) {
					t.Errorf("%s: the tag written at %d is not seen coming back", c.name, u.Pos)
				}
			}
		}
	}
}

// A runtime name looked up in an object that only ever gets computed keys
// shows no break; one with fixed keys, or of unknown origin, may.
func TestNoFixedKeys(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{`class A {} const m = new Map(); m.set(el.kind, 1); m.get(A.name);`, true},
		{`class A {} const o = {}; o[el.kind] = 1; o[A.name];`, true},
		{`class A {} const m = new Map(); m.set("A", 1); m.get(A.name);`, false},
		{`class A {} const s = new Set(["A"]); s.has(A.name);`, false},
		{`class A {} const o = {A: 1}; o[A.name];`, false},
		{`class A {} function f(reg) { return reg[A.name]; }`, false},
	} {
		nf := analyze(t, c.src)
		found := false
		for _, u := range nf.Uses {
			if u.Kind == names.UseKey && !u.Assign {
				found = true
				if got := nf.NoFixedKeys(u); got != c.want {
					t.Errorf("%s: NoFixedKeys = %v, want %v", c.src, got, c.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no key read found", c.src)
		}
	}
}

// PassedAt: the calls that hand the classes a parameter's name is read
// from to that parameter, in source order; none for a callback a
// built-in calls, or for a read of no parameter.
func TestPassedAt(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`function reg(c){ return c.name === "A" } class A {} class B {} reg(A); reg(B);`, "reg(A)|reg(B)"},
		{`var lib = {use(p){ return p.name }}; class A {} lib.use(A);`, "lib.use(A)"},
		{`class A {} class B {} [A, B].forEach(function(c){ return c.name === "A" });`, ""},
		{`class A {} A.name === "A";`, ""},
	} {
		nf := analyze(t, c.src)
		var got []string
		for _, r := range nf.Reads {
			for _, n := range nf.PassedAt(r, 3) {
				got = append(got, c.src[walk.Start(n):scope.Offset(n.Idx1())])
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, strings.Join(got, "|"), c.want)
		}
	}
}

// The derivation of a string made from a runtime name, evaluated on a
// concrete name ("X"): affixes from concatenation and templates, case
// changes, and "?" for an operation the engine does not evaluate.
func TestDerivation(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`class C {} m.get("store:" + C.name);`, "store:X"},
		{"class C {} m.get(`${C.name}:v2`);", "X:v2"},
		{"class C {} const v = 2; m.get(`pre-${C.name}-${v}`);", "?"},
		{"class C {} m.get(`a${\"b\"}${C.name}`);", "abX"},
		{`class C {} m.get(("x:" + C.name).toLowerCase() + "!");`, "x:x!"},
		{`class C {} m.get(C.name.slice(1));`, "?"},
		{`class C {} const k = "k/" + C.name; m.get(k.toUpperCase());`, "K/X"},
	} {
		nf := analyze(t, c.src)
		got := "(no use)"
		for _, u := range nf.Uses {
			if s, ok := u.Derivation.Apply("X"); ok {
				got = s
			} else {
				got = "?"
			}
		}
		if got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

// A name returned by a function that may return another string (a
// table's entry, a field) is mixed where the call's result is used; a
// function whose other returns give the same variable, a literal or
// nothing is not.
func TestMixedThroughReturn(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{`class C {} const t = {}; function n(f) { const s = f.name; if (t[s]) return t[s].label; return s; } n(C) === "C";`, true},
		{`class C {} function n(f) { const s = f.name; if (!s) return; if (s.length > 9) return "long"; return s; } n(C) === "C";`, false},
		{`class C {} function n(f) { const s = f.name; function inner() { return f.label; } return s; } n(C) === "C";`, false},
	} {
		nf := analyze(t, c.src)
		got, found := false, false
		for _, u := range nf.Uses {
			if u.Kind == names.UseCompare {
				got, found = u.Mixed(), true
			}
		}
		if !found || got != c.want {
			t.Errorf("%s\n found %v, mixed %v, want %v", c.src, found, got, c.want)
		}
	}
}

// A variable reused for two functions (uglify-js: a = class…, later a =
// an arrow) gives both one NameBinding; they share a name because they
// share a slot, so Collisions does not group them. Two classes named t in
// separate scopes still collide.
func TestCollisionsOfReusedVariables(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      int // collision groups of the first store
	}{
		{"one var, two values", `var s=new Map;var e=class{},a=class{};var r=[a,e],a=x=>r.forEach(c=>s.set(c.name,c));a();`, 0},
		{"two scopes", `var s=new Map;var u=(()=>{class t{}return t})(),o=(()=>{class t{}return t})();[u,o].forEach(c=>s.set(c.name,c));`, 1},
	} {
		nf := analyze(t, c.src)
		stores := nf.Stores()
		if len(stores) == 0 {
			t.Errorf("%s: no store", c.name)
			continue
		}
		if got := len(stores[0].Collisions); got != c.want {
			t.Errorf("%s: %d collision groups, want %d", c.name, got, c.want)
		}
	}
}

// A lookup that falls back to its key (labels[k] ?? k, labels[k] || k)
// is a display table: a miss shows the name itself.
func TestFallbackLookup(t *testing.T) {
	for src, want := range map[string]bool{
		`var labels = {nan: "NaN"}; function show(k){ return labels[k] ?? k } class A {} show(A.name);`:         true,
		`var labels = {nan: "NaN"}; function show(k){ return labels[k] || k } class A {} show(A.name);`:         true,
		`var labels = {nan: "NaN"}; function show(k, d){ return labels[k] ?? d } class A {} show(A.name, "?");`: false,
		`var handlers = {}; function run(k){ return handlers[k](1) } class A {} run(A.name);`:                   false,
	} {
		nf := analyze(t, src)
		var keys []*names.Use
		for _, u := range nf.Uses {
			if u.Kind == names.UseKey {
				keys = append(keys, u)
			}
		}
		if len(keys) != 1 || keys[0].Fallback != want {
			t.Errorf("%s: key uses %+v, want one with Fallback %v", src, keys, want)
		}
	}
}

// NameKeys and OtherKeys: the keys of a store's reads by runtime names,
// and by what comes from somewhere else (data, a parameter), in source
// order, at most three of each.
func TestStoreOtherKeys(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`class A {} class B {} const reg = Object.fromEntries([A, B].map((C) => [C.name, C]));
		  JSON.parse(text).map((rec) => reg[rec.type]);`, "rec.type"},
		{`class A {} const reg = {}; reg[A.name] = A; function get(k) { return reg[k]; } get(input); "k" in reg || (cfg.x in reg);`, "k|cfg.x"},
		{`class A {} const m = new Map([[A.name, A]]); m.get(a); m.get(b); m.get(c); m.get(d);`, "a|b|c"},
		{`class A {} const m = new Map([[A.name, A]]); m.get(new A().constructor.name);`, "name: new A().constructor.name"},
		{`class A {} class B {} const reg = {}; for (const C of [A, B]) reg[C.name] = C; const x = new A(); reg[x.constructor.name]; reg[cfg];`, "name: x.constructor.name|cfg"},
	} {
		nf := analyze(t, c.src)
		var got []string
		for _, st := range nf.Stores() {
			for _, k := range st.NameKeys {
				got = append(got, "name: "+c.src[walk.Start(k):scope.Offset(k.Idx1())])
			}
			for _, k := range st.OtherKeys {
				got = append(got, c.src[walk.Start(k):scope.Offset(k.Idx1())])
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%s: got %q, want %q", c.src, strings.Join(got, "|"), c.want)
		}
	}
}

// ElementObjects: the object literals a field's arrays hold, for a field
// written as a variable or as a call with no variable of its own.
func TestElementObjects(t *testing.T) {
	for _, c := range []struct {
		src      string
		want     int
		complete bool
	}{
		{`function use(o) { return o.subTypes } class A {} class B {} const t = [A, B].map((c) => ({ value: c, name: c.name })); use({ subTypes: t });`, 1, true},
		{`function use(o) { return o.subTypes } class A {} use({ subTypes: [A].map((c) => ({ value: c, name: c.name })) });`, 1, true},
		{`function use(o) { return o.subTypes } class A {} use({ subTypes: [{ value: A, name: "A" }, { value: A, name: "B" }] });`, 2, true},
		// Handed to code outside the bundle, which may add to it.
		{`class A {} external({ subTypes: [{ value: A, name: "A" }] });`, 1, false},
		{`function use(o) { return o.subTypes } use({ subTypes: [x, { name: "B" }] });`, 1, false},
		{`function use(o) { return o.subTypes } use({ subTypes: other });`, 0, false},
	} {
		nf := analyze(t, c.src)
		found := false
		nf.Inspect(func(n ast.Node, stack []ast.Node) bool {
			obj, ok := n.(*ast.ObjectLiteral)
			if !ok || len(obj.Value) != 1 {
				return true
			}
			if k, _ := names.PropertyKey(obj.Value[0]); k != "subTypes" {
				return true
			}
			found = true
			objs, complete := nf.ElementObjects(obj, "subTypes", stack)
			if len(objs) != c.want || complete != c.complete {
				t.Errorf("%s: %d objects, complete %v; want %d, %v", c.src, len(objs), complete, c.want, c.complete)
			}
			return true
		})
		if !found {
			t.Errorf("%s: no subTypes object", c.src)
		}
	}
}

// Guard: the class of a reference test that decides a name comparison
// (x instanceof C next to x.constructor.name === "C").
func TestInstanceGuard(t *testing.T) {
	for src, want := range map[string]string{
		`class C {} function f(x){ return x instanceof C || x.constructor.name === "C" }`:                             "C",
		`class C {} function f(x){ return x.constructor.name === "C" || x instanceof C }`:                             "C",
		`class C {} function f(x){ return x instanceof C ? !0 : typeof x == "object" && x.constructor.name === "C" }`: "C",
		`class C {} function f(x){ if (x instanceof C) return true; let ok = x.constructor.name === "C"; return ok }`: "C",
		`class C {} function f(x){ if (x instanceof C) { return true } return x && x.constructor.name === "C" }`:      "C",
		// uglify-js reuses the class's variable for an instance: the flows
		// still say which class the test is against.
		`var C = class {}, D = class {}; function f(x){ return x instanceof C || x.constructor.name === "C" } f(new C); C = new D;`: "C",
		// A chain of tests, one class each (BullMQ's errors store their
		// class names in .name; its module object holds the classes).
		`class A {} class B {} function f(x){ return x instanceof A || x.constructor.name === "A" || x instanceof B || x.constructor.name === "B" }`:                             "A,B;A,B",
		`class A extends Error { constructor(){ super(); this.name = this.constructor.name } } var m = {A}; function f(e){ return e instanceof m.A || e.name == "A" } f(new A);`: "A",
		// Not a guard: another value, an && (both must hold), a test that
		// does not return, a test after the comparison.
		`class C {} function f(x, y){ return y instanceof C || x.constructor.name === "C" }`:                          "",
		`class C {} function f(x){ return x instanceof C && x.constructor.name === "C" }`:                             "",
		`class C {} function f(x){ if (x instanceof C) g(); return x.constructor.name === "C" }`:                      "",
		`class C {} function f(x){ let ok = x.constructor.name === "C"; if (x instanceof C) return true; return ok }`: "",
		`class C {} function f(x){ return x instanceof C ? x.constructor.name === "C" : false }`:                      "",
	} {
		nf := analyze(t, src)
		var got []string
		for _, u := range nf.Uses {
			if u.Kind != names.UseCompare {
				continue
			}
			var gs []string
			for _, fn := range u.Guards {
				gs = append(gs, fn.Runtime)
			}
			g := strings.Join(gs, ",")
			got = append(got, g)
		}
		if strings.Join(got, ";") != want || len(got) == 0 {
			t.Errorf("%s: guards %q, want %q", src, got, want)
		}
	}
}

// GuardNames: a guard's class the flows do not resolve, read from an
// object, is known by the property it is read from (BullMQ tests
// e instanceof errors.DelayedError || e.name == "DelayedError", errors
// being a CommonJS module object).
func TestInstanceGuardNames(t *testing.T) {
	nf := analyze(t, `class DelayedError extends Error { constructor(m) { super(m); this.name = this.constructor.name } }
function handle(errors) {
  try { run() } catch (e) { if (e instanceof errors.DelayedError || e.name == "DelayedError") return 1; throw e }
}
handle(globalThis.errors); new DelayedError("x");`)
	var got []string
	for _, u := range nf.Uses {
		if u.Kind == names.UseCompare {
			got = append(got, strings.Join(u.GuardNames, ","))
		}
	}
	if want := []string{"DelayedError"}; !slices.Equal(got, want) {
		t.Errorf("guard names %q, want %q", got, want)
	}
}

// A .name read in a parameter's default value that every known call
// passes names nothing (svg.js: register(element, name = element.name)
// is called as register(Box, "Box")); one call that leaves it out keeps
// the read.
func TestDeadDefaultRead(t *testing.T) {
	const reg = `var registry = {}; function register(element, name = element.name) { registry[name] = element; return element; }
class Box {} class Circle {}
`
	for src, want := range map[string]int{
		reg + `register(Box, "Box"); register(Circle, "Circle");`:      0,
		reg + `register(Box, "Box"); register(Circle);`:                1,
		reg + `register(Box, "Box"); register(Circle, undefined);`:     1,
		reg + `register(Box, "Box"); register(...[Circle, "Circle"]);`: 1,
	} {
		nf := analyze(t, src)
		if got := len(nf.Reads); got != want {
			t.Errorf("%s: %d reads, want %d", src, got, want)
		}
	}
}
