package esm

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Each case is lowered, checked by checkLowering (same length, line
// terminators kept, goja parses it, identifiers in place) and compared
// with the exact expected text.
var lowerCases = []struct {
	name, src, want string
}{
	// Rollup output.
	{"rollup export clause", "export { a as b, c as default };", "                                "},
	{"rollup namespace import", "import * as ns from './x.js';\nns.f()", "                             \nns.f()"},
	{"rollup re-export", "export { u as util } from './util-jwIpUMpt.js';\nf()", "                                               \nf()"},
	{"anonymous default class", "export default class extends Base {}", "class _$dflt         extends Base {}"},
	{"anonymous default function, no semicolon", "export default function(){}foo()", "function _$dflt        (){}foo()"},
	{"anonymous default function, call on next line", "export default function(){}\n(foo)", "function _$dflt        (){}\n(foo)"},
	{"anonymous async generator", "export default async function*(){}", "async function* _$dflt        (){}"},
	{"default expression", "export default 1+2;", "var    _$dflt= 1+2;"},
	{"default arrow", "export default async () => {}", "var    _$dflt= async () => {}"},
	{"default with comment and newline", "export  /* c */ default\n(1)", "var             _$dflt=\n(1)"},
	{"default function after a line break", "export\ndefault function(){}", "var   \n_$dflt= function(){}"},
	{"default object literal", "export default {a: /re/}", "var    _$dflt= {a: /re/}"},
	{"named default function", "export default function named(){}", "               function named(){}"},
	{"named default class", "export default class K extends B{}", "               class K extends B{}"},
	// esbuild code splitting, minified.
	{"esbuild chunk", `import{a as b,c}from"./chunk-ABC.js";export{x as a,y as b};`, strings.Repeat(" ", 59)},
	// Declarations keep everything but `export`.
	{"declarations", "export async function f(){}export function* g(){}export class C{}", "       async function f(){}       function* g(){}       class C{}"},
	{"variables", "export let a, b = 1, {c, d: [e]} = f;", "       let a, b = 1, {c, d: [e]} = f;"},
	{"star exports", `export * from "a"; export * as ns from "b"; export * as "s-s" from "c";`, strings.Repeat(" ", 71)},
	{"import attributes", "import x from \"a\" with { type: \"json\" };\nimport y from \"b\" assert { type: \"json\" }", strings.Repeat(" ", 40) + "\n" + strings.Repeat(" ", 41)},
	{"side-effect imports", `import "side-effect";import"x"`, strings.Repeat(" ", 30)},
	{"string names", `import {default as x, "a-b" as y} from "m";export {x as "a-b"}`, strings.Repeat(" ", 62)},
	{"import.meta and import()", "new URL(\"x\", import.meta.url);import(`./${x}.js`);import /* c */ (\"x\");import . meta",
		"new URL(\"x\", _$imp_meta_.url);_$impo(`./${x}.js`);_$impo /* c */ (\"x\");_$impo . meta"},
	{"top-level await", "await x;const a = await b;for await (const x of y) {}\nasync function f(){ await g(); for await (const z of w); }\nawait\nfoo()",
		"void  x;const a = void  b;for       (const x of y) {}\nasync function f(){ await g(); for       (const z of w); }\nvoid \nfoo()"},
	{"await in template and class method", "const t = `${await x}`; class A { async m() { await y } }; x = { async f() { return await z } }",
		"const t = `${void  x}`; class A { async m() { await y } }; x = { async f() { return await z } }"},
	{"await in arrow expression bodies", "const f = async x => await g(x), h = async () => x ? await a : await b; await f; k = a ? async () => await c : await d\nawait e",
		"const f = async x => await g(x), h = async () => x ? await a : await b; void  f; k = a ? async () => await c : void  d\nvoid  e"},
	{"await in arrow body", "export const f = async () => { await g(); }, h = async () => { for await (const x of y); }",
		"       const f = async () => { await g(); }, h = async () => { for       (const x of y); }"},
	{"CRLF", "import a from \"a\";\r\nexport {a};\r\n", "                  \r\n           \r\n"},
	{"U+2028 in a blanked comment", "export /*\u2028*/ {a};", "         \u2028       "},
	{"hashbang", "#!/usr/bin/env node\nimport x from \"y\"", "#!/usr/bin/env node\n                 "},
	{"multi-line clause", "import {\n  a,\n  b as c,\n} from 'x'\nexport {\n  a,\n}\n", "        \n    \n         \n          \n        \n    \n \n"},
	// webpack output.module (experiments.outputModule), minified.
	{"webpack", `var t={};import*as s from"./184.mjs";e.C(s);let o=e.O(void 0,[184],()=>e(550));const n=o.f$,a=o.Ay;export{n as AdminStore,a as default};`,
		`var t={};` + sp(`import*as s from"./184.mjs";`) + `e.C(s);let o=e.O(void 0,[184],()=>e(550));const n=o.f$,a=o.Ay;` + sp(`export{n as AdminStore,a as default};`)},
	{"webpack esm chunk", `export const __webpack_esm_ids__=[480];export const __webpack_esm_modules__={480(t,e,n){n.d(e,{default:()=>o});class o{#t=!1;get m(){return this.#t}}}};`,
		`       const __webpack_esm_ids__=[480];       const __webpack_esm_modules__={480(t,e,n){n.d(e,{default:()=>o});class o{#t=!1;get m(){return this.#t}}}};`},
	{"webpack public path", `var r;"string"==typeof import.meta.url&&(r=import.meta.url);export{};`,
		`var r;"string"==typeof _$imp_meta_.url&&(r=_$imp_meta_.url);         `},
	// Regexes, templates and comments that contain module keywords.
	{"regex after if", "if(x)/import(a)/.test(y);export{x}", "if(x)/import(a)/.test(y);         "},
	{"regex after block", "function f(){}/export {a}/.test(y);export{f}", "function f(){}/export {a}/.test(y);         "},
	{"division after object literal", "x=({}/1/import.meta);", "x=({}/1/_$imp_meta_);"},
	{"division after function expression", "x=function(){}/2/import.meta", "x=function(){}/2/_$imp_meta_"},
	{"division after call", "x=f(a)/2/import.meta", "x=f(a)/2/_$imp_meta_"},
	{"division after ++", "x=a++/2/import.meta", "x=a++/2/_$imp_meta_"},
	{"regex after return", "function f(){return/import(a)/}export{f}", "function f(){return/import(a)/}         "},
	{"template nesting", "x=`a${`b${import.meta}c`}d${'`'}`+import.meta", "x=`a${`b${_$imp_meta_}c`}d${'`'}`+_$imp_meta_"},
	{"keywords as property names", "export{x};x.import(\"a\");x?.await;x.export;({export: 1, import: 2, await: 3});class A { import() {} await() {} static export = 1; #import }",
		"          x.import(\"a\");x?.await;x.export;({export: 1, import: 2, await: 3});class A { import() {} await() {} static export = 1; #import }"},
	{"keywords in strings and comments", "export{s};s = \"import x from 'y'\" + `export ${a} default` + /import(x)/.source // import x from \"y\"\n/* export default 1 */",
		"          s = \"import x from 'y'\" + `export ${a} default` + /import(x)/.source // import x from \"y\"\n/* export default 1 */"},
	{"unicode identifiers", "const café = 1, \\u0061wait = 2; export {café}", "const café = 1, \\u0061wait = 2; " + sp("export {café}")},
	{"numbers", "x = 1_000n / .5e-3 / 0x1Fn + 1e+5; export {x}", "x = 1_000n / .5e-3 / 0x1Fn + 1e+5; " + sp("export {x}")},
}

// sp is a blank as long as s.
func sp(s string) string { return strings.Repeat(" ", len(s)) }

func TestLower(t *testing.T) {
	for _, c := range lowerCases {
		t.Run(c.name, func(t *testing.T) {
			out, m := checkLowering(t, c.name+".js", c.src)
			if m == nil {
				t.Fatalf("no module syntax found")
			}
			if out != c.want {
				t.Errorf("Lower(%q)\n got %q\nwant %q", c.src, out, c.want)
			}
		})
	}
}

func TestLowerScripts(t *testing.T) {
	for _, src := range []string{
		"",
		"var a = 1;",
		"x.import(\"a\"); x?.await; ({export: 1, import: 2, await: 3})",
		"class A { import() {} await() {} static export = 1 }",
		"s = \"import x from 'y'\" + `export ${a} default` + /import(x)/.source // import x from \"y\"\n/* export default 1 */",
		"var await = 1; await = 2; f(await, await); x = await",
		"function f(){ return await(1) }", // await called inside a function of a script
		"async function f(){ await x; for (const y of z); }",
		"const f = async x => await g(x), h = (async () => [await a, await b]);\nvar k = async y => y ? await y : 0",
		"f(async x => await x, async y => await y)",
		"\\u0061wait(x)",
	} {
		out, m, err := Lower(src)
		if err != nil || m != nil || out != src {
			t.Errorf("Lower(%q) = %q, %+v, %v; want it unchanged", src, out, m, err)
		}
	}
}

func TestLowerRecords(t *testing.T) {
	src := `import a, {b as c, "d-e" as f, default as g} from "./x.js";import * as ns from './y.js'
import source s from "wasm"; import defer * as lazy from "l"; import from from "f";
export { a as b, c as default, f as "x-y" };
export { k as "kk", default } from "./re.js";
export * from "star"; export * as sn from "star2";
export const {x, y: [z, ...w] = q} = obj, v = await import("m")
export function fn(){} export class Cl{}
export default class extends Base {}
`
	_, m := checkLowering(t, "records.js", src)
	wantImports := []Import{
		{"a", strings.Index(src, "a,"), "default", "./x.js"},
		{"c", strings.Index(src, "c,"), "b", "./x.js"},
		{"f", strings.Index(src, "f,"), "d-e", "./x.js"},
		{"g", strings.Index(src, "g}"), "default", "./x.js"},
		{"ns", strings.Index(src, "ns "), "*", "./y.js"},
		{"s", strings.Index(src, "source s") + 7, "default", "wasm"},
		{"lazy", strings.Index(src, "lazy"), "*", "l"},
		{"from", strings.Index(src, "from from"), "default", "f"},
	}
	if !reflect.DeepEqual(m.Imports, wantImports) {
		t.Errorf("Imports\n got %+v\nwant %+v", m.Imports, wantImports)
	}
	at := func(s string) int { return strings.Index(src, s) }
	wantExports := []Export{
		{Local: "a", LocalPos: at("a as b"), Exported: "b", ExportedPos: at("a as b") + 5},
		{Local: "c", LocalPos: at("c as default"), Exported: "default", ExportedPos: at("c as default") + 5},
		{Local: "f", LocalPos: at(`f as "x-y"`), Exported: "x-y", ExportedPos: at(`"x-y"`)},
		{LocalPos: -1, Exported: "kk", ExportedPos: at(`"kk"`), Imported: "k", Source: "./re.js"},
		{LocalPos: -1, Exported: "default", ExportedPos: at(`default }`), Imported: "default", Source: "./re.js"},
		{LocalPos: -1, Exported: "*", ExportedPos: at(`* from "star"`), Imported: "*", Source: "star"},
		{LocalPos: -1, Exported: "sn", ExportedPos: at("sn"), Imported: "*", Source: "star2"},
		{Local: "x", LocalPos: at("x, y"), Exported: "x", ExportedPos: at("x, y")},
		{Local: "z", LocalPos: at("z,"), Exported: "z", ExportedPos: at("z,")},
		{Local: "w", LocalPos: at("w]"), Exported: "w", ExportedPos: at("w]")},
		{Local: "v", LocalPos: at("v ="), Exported: "v", ExportedPos: at("v =")},
		{Local: "fn", LocalPos: at("fn("), Exported: "fn", ExportedPos: at("fn(")},
		{Local: "Cl", LocalPos: at("Cl{"), Exported: "Cl", ExportedPos: at("Cl{")},
		{Local: "_$dflt", LocalPos: at("export default class") + len("class "), Exported: "default", ExportedPos: at("default class")},
	}
	if !reflect.DeepEqual(m.Exports, wantExports) {
		t.Errorf("Exports\n got %+v\nwant %+v", m.Exports, wantExports)
	}
	if want := at("export default class"); m.DefaultExpr != want || m.DefaultVar != "_$dflt" {
		t.Errorf("DefaultExpr, DefaultVar = %d, %q; want %d, _$dflt", m.DefaultExpr, m.DefaultVar, want)
	}
	if want := []int{at(`import("m")`)}; !reflect.DeepEqual(m.DynamicImports, want) || !m.TopLevelAwait {
		t.Errorf("DynamicImports, TopLevelAwait = %v, %v; want %v, true", m.DynamicImports, m.TopLevelAwait, want)
	}
}

func TestLowerVarsWithASI(t *testing.T) {
	// Without semicolons the declarator walk must stop where ASI does, and
	// the next export must still be lowered.
	src := "export const a = b\nexport let c = d\n(e)\nexport var {f} = g\nconst h = 1\nexport default h\n"
	out, m := checkLowering(t, "asi.js", src)
	var got []string
	for _, e := range m.Exports {
		got = append(got, e.Local+">"+e.Exported)
	}
	if want := []string{"a>a", "c>c", "f>f", "_$dflt>default"}; !reflect.DeepEqual(got, want) {
		t.Errorf("exports %v, want %v\n%s", got, want, out)
	}
}

func TestLowerFreshNames(t *testing.T) {
	src := "var _$dflt=1,_$impo=2;export default _$dflt+_$impo;import('x')"
	out, m := checkLowering(t, "fresh.js", src)
	if m.DefaultVar == "_$dflt" || len(m.DefaultVar) != 6 {
		t.Errorf("DefaultVar %q clashes", m.DefaultVar)
	}
	if strings.HasPrefix(out[m.DynamicImports[0]:], "_$impo") {
		t.Errorf("dynamic import name clashes: %q", out)
	}
}

func TestLowerErrors(t *testing.T) {
	for _, src := range []string{
		"import {a from 'x'",
		"import a 'x'",
		"import * from 'x'",
		"export =",
		"export {a b}",
		"export {\"a\"}",
		"export * from x",
		"export default;",
		"export function(){}",
		"import x from 'y' with type",
		"import x from 'unterminated",
	} {
		out, m, err := Lower(src)
		var e *Error
		if !errors.As(err, &e) || m != nil || out != src {
			t.Errorf("Lower(%q) = %q, %v, %v; want *Error", src, out, m, err)
			continue
		}
		if e.Offset < 0 || e.Offset > len(src) || errors.Is(err, ErrTooDeep) {
			t.Errorf("Lower(%q): bad error %#v", src, e)
		}
	}
}

// regexes lists the regular expression literals the tokenizer finds.
func regexes(src string) []string {
	s := newScanner(src, Options{})
	var out []string
	for t := s.next(); t.kind != tkEOF; t = s.next() {
		if t.kind == tkRegex {
			out = append(out, src[t.start:t.end])
		}
	}
	return out
}

func TestRegexOrDivision(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{"a = b / c / d", nil},
		{"x = (a) / 2 / 3", nil},
		{"if(x)/re/.test(y)", []string{"/re/"}},
		{"while(a)/x/g.exec(s)", []string{"/x/g"}},
		{"for(;;)/a/", []string{"/a/"}},
		{"for(const x of /re/.exec(s));", []string{"/re/"}},
		{"with(o)/a/", []string{"/a/"}},
		{"function f(){}/re/.test(s)", []string{"/re/"}},
		{"async function f(){}/re/.test(s)", []string{"/re/"}},
		{"x = function(){} / 2 / 1", nil},
		{"x = async function(){} / 2 / 1", nil},
		{"x = {} / 2 / 1", nil},
		{"{}/re/", []string{"/re/"}},
		{"if (a) {} /re/.test(s)", []string{"/re/"}},
		{"class A {}/re/", []string{"/re/"}},
		{"x = class {} / 2 / 1", nil},
		{"x = () => {}\n/re/.test(s)", []string{"/re/"}},
		{"return /re/; typeof /re/; void /a/; case /re/: x in /re/; throw /t/", []string{"/re/", "/re/", "/a/", "/re/", "/re/", "/t/"}},
		{"a++ / 2 / 1; a-- / 2 / 1", nil},
		{"`${a}/${b}` / 2 / 1", nil},
		{"x = a ? /re/ : /re2/", []string{"/re/", "/re2/"}},
		{"x = {a: b ? c : d} / 2 / 1", nil},
		{"l: /re/", []string{"/re/"}},
		{"switch(x){case 1: /a/; default: /b/}", []string{"/a/", "/b/"}},
		{"class A { static x = /re/ }", []string{"/re/"}},
		{"a = b.return / 2 / 1; c = d.typeof / 2 / 1", nil},
		{"of / 2 / 1; for (of of of) of / 2 / 1", nil},
		{"x = async / 2 / 1", nil},
		{"let f = y => /re/", []string{"/re/"}},
		{"this / 2 / 1; x = \")\" / 2 / 1; a = [] / 2 / 1; a = ({}) / 2 / 1", nil},
		{"do /re/.test(s); while(0)", []string{"/re/"}},
		{"x = y /* c */ / 2 / 1", nil},
		{"x = /[/]/.source / 2", []string{"/[/]/"}},
		{"x = /\\//g", []string{"/\\//g"}},
		{"x = a\n/b/g", nil},
		{"x = `${ {a: 1} / 2 / 1 }`", nil},
		{"x = { m() {} }; /re/", []string{"/re/"}},
		{"class A { m() {} static { /re/ } }", []string{"/re/"}},
		{"x = this.#a / 2 / 1", nil},
		{"x = y?.z / 2 / 1; x = y ?.5:1/2/1", nil},
		{"else /re/", []string{"/re/"}},
		{"yield /re/; await /re/", []string{"/re/", "/re/"}},
		{"x = [a] / 2 / 1; x = a[0] / 2 / 1", nil},
		{"x = 1 / 2 / 1; x = 1n / 2n / 1n; x = .5 / 2 / 1", nil},
		{"x = /a/ / /b/", []string{"/a/", "/b/"}},
		{"x = a / /=/", []string{"/=/"}},
		{"x /= 2 / 1", nil},
		{"x = y\n/2/1", nil},
		{"x = 'a' / 2 / 1", nil},
		{"if (a) b = c\n/re/.test(d)", nil},
		{"new.target / 2 / 1", nil},
		{"x = super.y / 2 / 1", nil},
		{"x = a => a / 2 / 1", nil},
	} {
		if got := regexes(c.src); !reflect.DeepEqual(got, c.want) {
			t.Errorf("regexes in %q = %q, want %q", c.src, got, c.want)
		}
	}
}

func TestLowerLimits(t *testing.T) {
	opts := Options{MaxNesting: 100, MaxChain: 100}
	deep := func(open, body, close string, n int) string {
		return strings.Repeat(open, n) + body + strings.Repeat(close, n)
	}
	ok := []string{
		deep("(", "a", ")", 100),
		deep("[", "", "]", 100),
		deep("{", "", "}", 100),
		deep("`${", "", "}`", 50),
		deep("function f(){", "", "}", 100),
		`"` + strings.Repeat("(", 1000) + `"`,
		"/*" + strings.Repeat("[", 1000) + "*/",
		"`" + strings.Repeat("{", 1000) + "`",
		"x=/" + strings.Repeat(`\(`, 1000) + "/",
		"// " + strings.Repeat("{", 1000),
		strings.Repeat("!", 100) + "a",
		strings.Repeat("a=", 100) + "1",
		strings.Repeat("a?b:", 100) + "1",
		// Sequences, statements and binary operators do not nest.
		strings.Repeat("a=!b;", 1000),
		strings.Repeat("a=b,", 1000) + "c",
		strings.Repeat("!a&&", 1000) + "b",
		strings.Repeat("x=()=>{}\n", 1000),
		strings.Repeat("if(a)b;else ", 50) + "c", // else and the if head nest: 2 per else-if
		strings.Repeat("case 1:", 1000),
		// The limits are separate: 60 parentheses each holding one operator.
		strings.Repeat("(!", 60) + "a" + strings.Repeat(")", 60),
		"switch(x){" + strings.Repeat("case 1:", 1000) + "}",
	}
	for _, src := range ok {
		if _, _, err := LowerWith(src, opts); err != nil {
			t.Errorf("LowerWith(%.40q…): %v", src, err)
		}
	}
	tooDeep := []string{
		deep("(", "a", ")", 101),
		deep("[", "", "]", 101),
		deep("{", "", "}", 101),
		deep("`${", "", "}`", 101),
		deep("function f(){", "", "}", 101),
		deep("x=>{", "", "}", 101),
		strings.Repeat("!", 101) + "a",
		strings.Repeat("- ", 101) + "a",
		strings.Repeat("typeof ", 101) + "a",
		strings.Repeat("a=", 101) + "1",
		strings.Repeat("a?b:", 101) + "1",
		strings.Repeat("a=>", 101) + "1",
		strings.Repeat("a**", 101) + "1",
		strings.Repeat("l:", 11) + "1", // labels count ten
		strings.Repeat("if(a)", 101) + "1",
		strings.Repeat("if(a)b;else ", 51) + "c",
		strings.Repeat("if(a){}else ", 51) + "{}",
	}
	for _, src := range tooDeep {
		_, _, err := LowerWith(src, opts)
		var e *Error
		if !errors.Is(err, ErrTooDeep) || !errors.As(err, &e) || e.Offset <= 0 || e.Offset >= len(src) {
			t.Errorf("LowerWith(%.40q…) = %v, want ErrTooDeep at an offset inside", src, err)
		}
	}
}

// TestLowerLinear feeds inputs that would make a naive tokenizer
// quadratic: slashes that each start an unterminated "regex" to the end of
// a long line, closers with no opener under a deep stack, and many awaits
// and imports peeking past the same comment.
// pathological inputs that a tokenizer with backtracking or rescans would
// take quadratic time on. TestLowerPathological checks they lower
// correctly; BenchmarkLowerPathological measures them (speed is measured
// by benchmarks, never asserted by timed tests).
func pathological() map[string]string {
	const n = 200000
	return map[string]string{
		"unterminated regexes": strings.Repeat("(/[", n),
		"stray closers":        strings.Repeat("(", n) + strings.Repeat("]", n) + strings.Repeat("}", n),
		"mismatched closers":   strings.Repeat("[(", n) + strings.Repeat("]", 2*n),
		"awaits":               strings.Repeat("await/**/", n),
		"imports":              strings.Repeat("import/**/(a);", n),
		"unterminated comment": strings.Repeat("x=1;", n) + "/*" + strings.Repeat("(", n),
		"unterminated string":  strings.Repeat("'a\n", n),
		"templates":            strings.Repeat("`${", n) + strings.Repeat("}`", n),
	}
}

func TestLowerPathological(t *testing.T) {
	for name, src := range pathological() {
		if out, _, _ := Lower(src); len(out) != len(src) {
			t.Errorf("%s: len %d -> %d", name, len(src), len(out))
		}
	}
}

func BenchmarkLowerPathological(b *testing.B) {
	for name, src := range pathological() {
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for i := 0; i < b.N; i++ {
				Lower(src)
			}
		})
	}
}
