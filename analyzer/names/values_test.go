package names_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/names"

	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// TestValues checks the value flows on small programs: the expression
// between /*<*/ and /*>*/ must hold exactly the listed values
// ("fn:X", "class:X", "new:X", "obj", "arr", "map", "set", "?" for
// Unknown; see Facts.Describe).
func TestValues(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		// assignment, aliases, conditionals
		{`function a(){} var x = a; var y = x; /*<*/y/*>*/;`, "fn:a"},
		{`function a(){} function b(){} var x = c ? a : b; /*<*/x/*>*/;`, "fn:a fn:b"},
		{`function a(){} var x; x = a; x = class K {}; /*<*/x/*>*/;`, "class:K fn:a"},
		// the seed incident: an array of functions iterated by for-of
		{`function initConfig(){} function initDb(){} const h = {}; for (const step of [initConfig, initDb]) h[step.name] = step; /*<*/step0/*>*/;`, "?"},
		{`function initConfig(){} function initDb(){} for (const step of [initConfig, initDb]) { /*<*/step/*>*/.name }`, "fn:initConfig fn:initDb"},
		// calls: arguments to parameters, transitively; returns
		{`function reg(c){ return inner(c) } function inner(d){ /*<*/d/*>*/; return d } class A {} class B {} reg(A); reg(B);`, "class:A class:B"},
		{`function id(x){ return x } class A {} var r = id(A); /*<*/r/*>*/;`, "class:A"},
		{`function f(...rest){ for (const p of rest) /*<*/p/*>*/; } class A {} class B {} f(A, B);`, "class:A class:B"},
		{`function f(){ for (const p of arguments) /*<*/p/*>*/; } class A {} f(A);`, "class:A"},
		{`function f(a, b){ /*<*/b/*>*/ } class A {} class B {} f(...[A, B]);`, "class:A class:B"},
		{`function f(a){ /*<*/a/*>*/ } class A {} f.call(null, A);`, "class:A"},
		{`function f(a){ /*<*/a/*>*/ } class A {} f.apply(null, [A]);`, "class:A"},
		// destructuring
		{`class A {} const {k} = {k: A}; /*<*/k/*>*/;`, "class:A"},
		{`class A {} const [z] = [A]; /*<*/z/*>*/;`, "class:A"},
		{`class A {} function f({p = A}) { /*<*/p/*>*/ } f({});`, "class:A"},
		// objects: fields by name, computed keys, spread, Object.values/entries/assign
		{`class A {} const o = {a: A}; const p = {...o}; /*<*/p.a/*>*/;`, "class:A"},
		{`class A {} class B {} const o = {A, B}; for (const c of Object.values(o)) /*<*/c/*>*/;`, "class:A class:B"},
		{`class A {} const o = {A}; for (const [k, c] of Object.entries(o)) /*<*/c/*>*/;`, "class:A"},
		{`class A {} const o = Object.assign({}, {A}); /*<*/o.A/*>*/;`, "class:A"},
		{`class A {} const o = {}; o["x"] = A; /*<*/o.x/*>*/;`, "class:A"},
		// arrays: push, callbacks
		{`class A {} const l = []; l.push(A); l.forEach(c => /*<*/c/*>*/);`, "class:A"},
		{`class A {} class B {} [A, B].map(c => new c()).forEach(i => /*<*/i/*>*/);`, "new:A new:B"},
		{`class A {} const m = [A].reduce((acc, c) => { /*<*/c/*>*/; return acc }, {});`, "class:A"},
		{`class A {} const f = Array.from([A]); /*<*/f[0]/*>*/;`, "class:A"},
		// Map and Set
		{`class A {} const m = new Map(); m.set("a", A); /*<*/m.get("a")/*>*/;`, ""},
		{`class A {} const m = new Map(); m.set("a", A); const g = m.get("a"); /*<*/g/*>*/;`, "class:A"},
		{`class A {} const m = new Map([["a", A]]); for (const [k, c] of m) /*<*/c/*>*/;`, "class:A"},
		{`class A {} const s = new Set(); s.add(A); for (const c of s) /*<*/c/*>*/;`, "class:A"},
		{`class A {} const m = new Map(); m.set("a", A); m.forEach(c => /*<*/c/*>*/);`, "class:A"},
		// a native collection's constructor is the built-in
		{`class A {} function f(r){ return /*<*/r.constructor/*>*/ } f(new Map()); f(new Set()); f([]); f(new A());`, "builtin builtin builtin class:A"},
		// classes: instances, this, methods, constructor, extends, super
		{`class A { m(){ /*<*/this/*>*/ } } new A().m();`, "new:A"},
		{`class A { m(){ return /*<*/this.constructor/*>*/ } }`, "class:A"},
		{`class A {} class B extends A {} const b = new B(); /*<*/b.constructor/*>*/;`, "class:B"},
		{`class A { m(){} } class B extends A {} /*<*/new B().m/*>*/;`, "fn:m"},
		{`class A { constructor(x){ /*<*/x/*>*/ } } class B extends A { constructor(y){ super(y) } } class K {} new B(K);`, "class:K"},
		{`function F(){} F.prototype.run = function(){}; /*<*/new F().run/*>*/;`, "fn:"},
		{`class A {} const x = Reflect.construct(A, []); /*<*/x/*>*/;`, "new:A"},
		{`class A {} const x = new A(); /*<*/Object.getPrototypeOf(x).constructor/*>*/;`, "class:A"},
		// namespaces defined with getters (esbuild's __export, webpack's __webpack_require__.d)
		{`function initClock(){} var ns = {}; var all = {initClock: () => initClock}; for (var k in all) Object.defineProperty(ns, k, {get: all[k], enumerable: true}); for (const f of Object.values(ns)) /*<*/f/*>*/;`, "fn:initClock"},
		{`function a(){} var ns = {}; Object.defineProperty(ns, "a", {value: a}); /*<*/ns.a/*>*/;`, "fn:a"},
		// webpack's runtime tests hasOwn first; Rolldown's freezes the namespace
		{`const r={d:(n,t)=>{for(var k in t)r.o(t,k)&&!r.o(n,k)&&Object.defineProperty(n,k,{enumerable:!0,get:t[k]})},o:(e,n)=>Object.hasOwn(e,n)};var ns={};r.d(ns,{initClock:()=>initClock});function initClock(){} for(const f of Object.values(ns)) /*<*/f/*>*/;`, "fn:initClock"},
		{`const r={o:(e,n)=>Object.prototype.hasOwnProperty.call(e,n)};class A {} var o={a:A}; r.o(o,"a"); /*<*/o.a/*>*/;`, "class:A"},
		{`var d=Object.defineProperty,mk=(t)=>{let r=Object.setPrototypeOf({},null);for(var i in t)d(r,i,{get:t[i],enumerable:!0});return Object.preventExtensions(r)},ns=mk({initIds:()=>initIds});function initIds(){} for(const f of Object.values(ns)) /*<*/f/*>*/;`, "fn:initIds"},
		// a class without a constructor runs its superclass's on its
		// own instances, also when the superclass is known only later
		{`class A { constructor(){ /*<*/this/*>*/ } } class B extends A {} new B();`, "new:A new:B"},
		{`class A { constructor(){ /*<*/this/*>*/ } } class B extends A {} class C extends B { constructor(){ super() } } new C();`, "new:A new:C"},
		{`let S = null; function mk(){ return class B extends S {} } S = class A { constructor(){ /*<*/this/*>*/ } }; new (mk())();`, "new:A new:B"},
		// an accessor runs on the instances of subclasses too
		{`class A { get key(){ return /*<*/this/*>*/ } } class B extends A {} class C extends B {} new C().key;`, "new:A new:B new:C"},
		// Rspack's runtime defines getters and values with one helper,
		// passing the descriptor field: a parameterless arrow is a getter
		{`var e={};e.d=(r,t,o)=>{var l=(t,o)=>{for(var l in t)e.o(t,l)&&!e.o(r,l)&&Object.defineProperty(r,l,{enumerable:!0,[o]:t[l]})};l(t,"get"),l(o,"value")},e.o=(e,r)=>Object.prototype.hasOwnProperty.call(e,r);var ns={};e.d(ns,{initClock:()=>initClock});function initClock(){} for(const f of Object.values(ns)) /*<*/f/*>*/;`, "fn:initClock"},
		{`class A {} var ns = {}; var m = pick(); Object.defineProperty(ns, "a", {[m]: A}); /*<*/ns.a/*>*/;`, "class:A"},
		// an extends cycle through imprecise flows ends
		{`let X = class A {}; let Y = class B extends X {}; X = class C extends Y {}; /*<*/new Y(1)/*>*/;`, "new:B"},
		// promises are transparent
		{`class A {} async function load(){ return A } load().then(c => /*<*/c/*>*/);`, "class:A"},
		{`class A {} async function load(){ return A } async function main(){ const c = await load(); /*<*/c/*>*/ }`, "class:A"},
		// globals
		{`class A {} window.App = A; /*<*/window.App/*>*/;`, "? class:A"},
		// escape: a callback handed to the host gets Unknown parameters
		{`document.addEventListener("x", function(e){ /*<*/e/*>*/ });`, "?"},
		{`function f(p){ /*<*/p/*>*/ } setTimeout(f, 1);`, "?"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); unknownApi(f);`, "? class:A"},
		// a method the receiver does not have is no call into the host:
		// it throws, or a test keeps it from running
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); const o = {k: 1}; Array.isArray(o) && o.map(f);`, "class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); function G(){} const g = new G(); g.each(f);`, "class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); class B {} class C extends B {} new C().each(f);`, "class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); function G(){} const x = pick() ? {k: 1} : G; Array.isArray(x) && x.map(f);`, "class:A"},
		// but a receiver that may have members the bundle does not show
		// hands the callback over
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); class C extends HTMLElement {} new C().addEventListener("x", f);`, "? class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); function G(){} G.prototype = Object.create(Base.prototype); new G().on("x", f);`, "? class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); const o = {...lib}; o.each(f);`, "? class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); const o = {}; register(o); o.each(f);`, "? class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); const o = Object.create(proto); o.each(f);`, "? class:A"},
		{`function f(p){ /*<*/p/*>*/ } class A {} f(A); class C extends Base {} C.register(f);`, "? class:A"},
		// the source text of functions, and strings derived from it
		{`function job(){} const t = job.toString(); /*<*/t/*>*/;`, "src:job"},
		{`function job(){} const t = "(" + job + ")()"; /*<*/t/*>*/;`, "src:job"},
		{"function job(){} const t = `(${job})()`; /*<*/t/*>*/;", "src:job"},
		{`function job(){} const t = String(job).trim(); /*<*/t/*>*/;`, "src:job"},
		{`function job(){} const t = Function.prototype.toString.call(job); /*<*/t/*>*/;`, "src:job"},
		{`function a(){} function b(){} const t = [a.toString(), b].join("\n"); /*<*/t/*>*/;`, "src:a src:b"},
		{`function job(){} const o = {text: job.toString()}; const u = "(" + o.text + ")"; /*<*/u/*>*/;`, "src:job"},
		{`function ship(f){ return "(" + f.toString() + ")()" } function job(){} const t = ship(job); /*<*/t/*>*/;`, "src:job"},
		{`function job(){} const n = 1 + job.length; /*<*/n/*>*/;`, ""},
		{`function job(){} const k = job; /*<*/k/*>*/;`, "fn:job"},
		// stack text, and the lines and frames derived from it
		{`const s = new Error().stack; /*<*/s/*>*/;`, "stack"},
		{`const s = new Error().stack.split("\n").slice(2, 3).join(""); /*<*/s/*>*/;`, "stack"},
		{`const lines = new Error().stack.split("\n"); lines.filter(l => /*<*/l/*>*/);`, "stack"},
		{`function caller(){ return new Error().stack.toLowerCase() } const c = caller(); /*<*/c/*>*/;`, "stack"},
		{`function f(frames){ const n = frames[1].getFunctionName(); /*<*/n/*>*/ }`, "? stack"},
		{"const m = `${new Error().stack}`.match(/at (\\w+)/); /*<*/m[1]/*>*/;", "stack"},
		{`const s = {stack: []}; s.stack.push(1); /*<*/s.stack/*>*/;`, "arr stack"},
		// data stays data
		{`const user = {name: "x"}; /*<*/user/*>*/;`, "obj"},
		{`const j = JSON.parse("{}"); /*<*/j/*>*/;`, "?"},
		// esbuild keep-names helper returns its first argument
		{`var t = Object.defineProperty; var e = (r, n) => t(r, "name", {value: n, configurable: true}); var A = e(class {}, "A"); /*<*/A/*>*/;`, "class:A"},
		// a test that leaves the statement list unless the binding is a
		// primitive: what is read after it holds no function
		// (protobufjs's code generator)
		{`const body = []; function gen(s){ if (typeof s !== "string") { return run(s) } body.push(s) } class A {} gen(A); const e = body[0]; /*<*/e/*>*/;`, ""},
		{`const body = []; function gen(s){ if (typeof s === "function" || typeof s === "object") return; body.push(s) } class A {} gen(A); const e = body[0]; /*<*/e/*>*/;`, ""},
		{`const body = []; function gen(s){ if (typeof s !== "string") { run(s) } body.push(s) } class A {} gen(A); const e = body[0]; /*<*/e/*>*/;`, "class:A"},
		{`const body = []; function gen(s){ if (typeof s === "function") return; body.push(s) } class A {} gen(A); gen({}); const e = body[0]; /*<*/e/*>*/;`, "class:A obj"},
		{`const body = []; function gen(s){ later(); if (typeof s !== "string") return; function later(){ body.push(s) } } class A {} gen(A); const e = body[0]; /*<*/e/*>*/;`, "class:A"},
	} {
		if got := describeMarked(t, analyze(t, c.src), c.src); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

// describeMarked describes the values of the expression between /*<*/
// and /*>*/ in src.
func describeMarked(t *testing.T, nf *names.Facts, src string) string {
	t.Helper()
	open := strings.Index(src, "/*<*/")
	close := strings.Index(src, "/*>*/")
	if open < 0 || close < 0 {
		t.Fatalf("no markers in %s", src)
	}
	from, to := open+len("/*<*/"), close
	var got string
	found := false
	nf.Inspect(func(n ast.Node, stack []ast.Node) bool {
		e, ok := n.(ast.Expression)
		if !found && ok && walk.Start(n) == from && scope.Offset(n.Idx1()) == to {
			found = true
			got = nf.Describe(e, append([]ast.Node(nil), stack...))
		}
		return true
	})
	if !found {
		t.Errorf("%s: no expression between the markers", src)
	}
	return got
}

// TestLinkedValues checks what import bindings hold: the functions and
// classes another chunk exports when the checker links it (under the
// runtime names they have there), Unknown otherwise. A linked function
// has no body here: its calls give Unknown, its instances' members are
// Unknown, and it has no source text.
func TestLinkedValues(t *testing.T) {
	// The import declaration the ESM lowering blanked: P, f and U are bound at 9, 12 and 15.
	const head = "import{e as P,o as f,z as U}from\"./chunk.js\";"
	blank := strings.Repeat(" ", len(head))
	linked := map[string][]names.Exported{
		"P": {{Path: "chunk.js", Pos: 40, IsClass: true, Runtime: "e", RuntimeKnown: true}},
		"f": {{Path: "chunk.js", Pos: 10, Runtime: "o", RuntimeKnown: true, Original: "initConfig", OriginalKnown: true}},
	}
	for _, c := range []struct{ src, want string }{
		{`/*<*/P/*>*/;`, "class:e"},
		{`const x = new P(); /*<*/x.constructor/*>*/;`, "class:e"},
		{`const o = {render: 1}; /*<*/new P().render/*>*/;`, "?"},
		{`/*<*/P.create/*>*/;`, "?"},
		{`const r = f(1); /*<*/r/*>*/;`, "?"},
		{`/*<*/U/*>*/;`, "?"},
		{`const h = {}; for (const s of [P, f]) h[s.name] = s; /*<*/h.x/*>*/;`, "class:e fn:o"},
		{`function g(a){ /*<*/a/*>*/ } f(g);`, "?"},
		{`const t = f.toString(); /*<*/t/*>*/;`, "?"},
		{`const t = "(" + f + ")()"; /*<*/t/*>*/;`, ""},
		{`const o = {render: 1}; class K extends P {} /*<*/new K().render/*>*/;`, "?"},
	} {
		src := blank + c.src
		prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
		if err != nil {
			t.Fatal(err)
		}
		var imports []scope.ImportBinding
		for _, name := range []string{"P", "f", "U"} {
			imports = append(imports, scope.ImportBinding{Name: name, Pos: strings.Index(head, " as "+name) + 4})
		}
		sc := scope.Build(prg, scope.Options{Module: true, Imports: imports})
		nf := names.Analyze(prg, sc, names.Options{DefaultExport: -1, Linked: linked})
		if got := describeMarked(t, nf, src); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
		if len(nf.Funcs) > 0 && nf.Funcs[0].Linked != nil {
			t.Errorf("%s: a linked function is in Funcs", c.src)
		}
	}
}

// ShippedSource: a concatenation of a function makes its source text,
// unless the operand also holds data (a field-based mix of a list's
// elements), which is no evidence that a function is written into code.
func TestShippedSourceConcatenatedData(t *testing.T) {
	nf := analyze(t, `function job() { return helper(); }
function helper() { return 1; }
var items = [job, { a: 1 }];
function text(k) { return "(" + k + ")"; }
var direct = "(" + job + ")";
new Function("return [" + items.map(text).join(",") + "]");
new Function("return " + direct);`)
	if got, want := shippedToNew(nf), []string{"", "job"}; !slices.Equal(got, want) {
		t.Errorf("shipped %q, want %q", got, want)
	}
}

// TestShippedSourceOverflowedOperand: a conversion whose operand's set
// overflowed the bound made texts of whatever reached it first; none of
// them is evidence that the program ships a function's source (web3's
// fetch polyfill, String(input)). A conversion of a function its operand
// still holds is.
func TestShippedSourceOverflowedOperand(t *testing.T) {
	var b strings.Builder
	b.WriteString("class A {}\nclass B {}\nfunction describe(x) { return String(x); }\ndescribe(A); describe(B);\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, "describe({k%d: %d});\n", i, i)
	}
	b.WriteString(`function job() { return 1; }
function pack(fn) { return String(fn); }
new Blob([describe("self.onmessage = () => 1")]);
new Blob([pack(job)]);`)
	nf := analyze(t, b.String())
	if got, want := shippedToNew(nf), []string{"", "job"}; !slices.Equal(got, want) {
		t.Errorf("shipped %q, want %q", got, want)
	}
}

// shippedToNew returns, per new expression with one argument, the
// functions whose source text that argument ships, comma-separated.
func shippedToNew(nf *names.Facts) []string {
	var got []string
	nf.Inspect(func(n ast.Node, stack []ast.Node) bool {
		if ne, ok := n.(*ast.NewExpression); ok && len(ne.ArgumentList) == 1 {
			var fns []string
			for _, sh := range nf.ShippedSource(ne.ArgumentList[0], stack) {
				fns = append(fns, sh.Fn.Runtime)
			}
			got = append(got, strings.Join(fns, ","))
		}
		return true
	})
	return got
}
