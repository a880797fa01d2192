package scope_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// resolveAll returns, for every reference identifier in src, "name@offset ->
// kind@declOffset" or "name@offset -> global", sorted by offset.
func resolveAll(t *testing.T, src string, opts scope.Options) (*scope.Info, []string) {
	t.Helper()
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	info := scope.Build(prg, opts)
	var out []string
	walk.Inspect(prg, func(n ast.Node) bool {
		id, ok := n.(*ast.Identifier)
		if !ok || !info.IsRef(id) {
			return true
		}
		if bd := info.Resolve(id); bd != nil {
			out = append(out, fmt.Sprintf("%s@%d -> %s@%d", id.Name, scope.Offset(id.Idx), bd.Kind, bd.Pos))
		} else {
			out = append(out, fmt.Sprintf("%s@%d -> global", id.Name, scope.Offset(id.Idx)))
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return off(out[i]) < off(out[j]) })
	return info, out
}

func off(s string) int {
	var n int
	fmt.Sscanf(s[strings.Index(s, "@")+1:], "%d", &n)
	return n
}

// Each case marks references with their expected resolution, by the
// offset of the declaring identifier (found as the first occurrence of
// the marker text) or "global".
func TestResolve(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string
	}{
		{"hoisting", `f(); function f(){ return x } var x = 1;`, []string{
			"f@0 -> function@14", "x@26 -> var@34"}},
		{"shadowing", `let a=1;{let a=2;a}a`, []string{"a@17 -> let@13", "a@19 -> let@4"}},
		{"params and arguments", `function f(a,b){return a+b+arguments.length}`, []string{
			"a@23 -> param@11", "b@25 -> param@13", "arguments@27 -> arguments@-1"}},
		{"arrow has no arguments", `function f(){return ()=>arguments}`, []string{"arguments@24 -> arguments@-1"}},
		{"class self binding", `var C = class D { m(){ return D } }; D`, []string{
			"D@30 -> class-self@14", "D@37 -> global"}},
		{"class declaration", `class A { s(){ return A } } new A`, []string{
			"A@22 -> class-self@6", "A@32 -> class@6"}},
		{"named function expression", `var g = function h(){ return h }; h`, []string{
			"h@29 -> func-self@17", "h@34 -> global"}},
		{"param shadows fn name", `var g = function h(h){ return h }`, []string{"h@30 -> param@19"}},
		{"catch", `try{}catch(e){e}e`, []string{"e@14 -> catch@11", "e@16 -> global"}},
		{"destructuring", `const {a, b: [c = a], ...d} = o; a+c+d`, []string{
			"a@18 -> const@7", "o@30 -> global", "a@33 -> const@7", "c@35 -> const@14", "d@37 -> const@25"}},
		{"for let", `for(let i=0;i<1;i++){i} i`, []string{"i@12 -> let@8", "i@16 -> let@8", "i@21 -> let@8", "i@24 -> global"}},
		{"for of decl", `for (const k of ks) k`, []string{"ks@16 -> global", "k@20 -> const@11"}},
		{"block function annex B", `{ function f(){} } f`, []string{"f@19 -> function@11"}},
		{"shorthand property", `var a; ({a})`, []string{"a@9 -> var@4"}},
		{"property names are not refs", `var a; o.a; ({a: 1})`, []string{"o@7 -> global"}},
		{"default param sees earlier param", `function f(a, b = a){}`, []string{"a@18 -> param@11"}},
		{"switch block", `switch(x){case 1: let y; y}`, []string{"x@7 -> global", "y@25 -> let@22"}},
		{"static block", `class A { static { var z; z; A } }`, []string{"z@26 -> var@23", "A@29 -> class-self@6"}},
		{"field initializer", `class A { x = A; }`, []string{"A@14 -> class-self@6"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, got := resolveAll(t, c.src, scope.Options{})
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("src: %s\ngot:\n  %s\nwant:\n  %s", c.src, strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
			}
		})
	}
}

func TestAssignsAndMutations(t *testing.T) {
	info, _ := resolveAll(t, `var a = function(){}; a = class{}; var b; b++; var c; [c] = x; var d; d ||= 1;`, scope.Options{})
	get := func(n string) *scope.Binding { return info.Root.Lookup(n) }
	if a := get("a"); a.Init == nil || len(a.Assigns) != 1 || a.Mutated {
		t.Errorf("a: init=%v assigns=%d mutated=%v", a.Init, len(a.Assigns), a.Mutated)
	}
	if b := get("b"); !b.Mutated {
		t.Errorf("b++ should mutate")
	}
	if c := get("c"); !c.Mutated {
		t.Errorf("destructuring should mutate")
	}
	if d := get("d"); len(d.Assigns) != 1 {
		t.Errorf("||= should be an assign")
	}
}

func TestDynamic(t *testing.T) {
	info, _ := resolveAll(t, `function f(){ var a; function g(){ eval("a") } } function h(){ var b }`, scope.Options{})
	f := info.Root.Lookup("f").Decl
	h := info.Root.Lookup("h").Decl
	if !info.ScopeOf(f).Dynamic {
		t.Error("f contains a direct eval and must be dynamic")
	}
	if info.ScopeOf(h).Dynamic {
		t.Error("h must not be dynamic")
	}
	if !info.Root.Dynamic {
		t.Error("the program contains a direct eval")
	}
	info, _ = resolveAll(t, `function f(o){ with(o){ x } } function g(){ (0,eval)("y") }`, scope.Options{})
	if !info.ScopeOf(info.Root.Lookup("f").Decl).Dynamic {
		t.Error("with makes f dynamic")
	}
	if info.ScopeOf(info.Root.Lookup("g").Decl).Dynamic {
		t.Error("indirect eval is not dynamic")
	}
}

func TestImports(t *testing.T) {
	info, got := resolveAll(t, `                        ; foo()`, scope.Options{Module: true, Imports: []scope.ImportBinding{{Name: "foo", Pos: 9}}})
	if info.Root.Kind != scope.Module {
		t.Error("module scope expected")
	}
	if len(got) != 1 || got[0] != "foo@26 -> import@9" {
		t.Errorf("got %v", got)
	}
}

// Programs with no statements (only comments, or nothing) resolve too:
// ast.Program.Idx1 panics on them.
func TestEmptyPrograms(t *testing.T) {
	for _, src := range []string{"", "// only a comment\n", "/* a */", "\n\n"} {
		info, refs := resolveAll(t, src, scope.Options{})
		if info.Root == nil || len(refs) != 0 {
			t.Errorf("%q: root %v, refs %v", src, info.Root, refs)
		}
	}
}

// Scopes index their bindings by name past a few: lookups, redeclarations
// and Bindings must agree on both sides of that threshold.
func TestManyBindings(t *testing.T) {
	for _, n := range []int{1, 7, 8, 9, 30} {
		var params, vars, uses []string
		for i := 0; i < n; i++ {
			params = append(params, fmt.Sprintf("p%d", i))
			vars = append(vars, fmt.Sprintf("v%d", i))
			uses = append(uses, fmt.Sprintf("p%d+v%d", i, i))
		}
		src := fmt.Sprintf("function f(%s){var %s; var p0; return %s+arguments+g} function p0(){}",
			strings.Join(params, ","), strings.Join(vars, ","), strings.Join(uses, "+"))
		info, got := resolveAll(t, src, scope.Options{})
		f := info.ScopeOf(info.Root.Lookup("f").Decl)
		all := f.Bindings()
		if len(all) != 2*n+1 { // params, vars, arguments
			t.Errorf("n=%d: %d bindings, want %d", n, len(all), 2*n+1)
		}
		for _, b := range all {
			if f.Lookup(b.Name) != b || b.Scope != f {
				t.Errorf("n=%d: Lookup(%q) disagrees with Bindings", n, b.Name)
			}
		}
		if f.Lookup("g") != nil || f.Lookup("nope") != nil {
			t.Errorf("n=%d: undeclared names found", n)
		}
		p := f.Lookup(fmt.Sprintf("p%d", n-1))
		if p.Kind != scope.Param || p.Index != n-1 || p.Uses != 1 || p.Mutated {
			t.Errorf("n=%d: last param %+v", n, p)
		}
		// `var p0` over the parameter is the same binding, unchanged.
		if p0 := f.Lookup("p0"); p0.Kind != scope.Param || p0.Mutated || p0.Index != 0 || p0.Uses != 1 {
			t.Errorf("n=%d: p0 redeclared by var: %+v", n, p0)
		}
		if v := f.Lookup("v0"); v.Kind != scope.Var || v.Index != -1 {
			t.Errorf("n=%d: v0 %+v", n, v)
		}
		if len(got) != 2*n+2 || got[len(got)-1] != fmt.Sprintf("g@%d -> global", strings.LastIndex(src, "g}")) {
			t.Errorf("n=%d: refs %v", n, got)
		}
		if top := info.Root.Lookup("p0"); top == nil || top.Kind != scope.Function {
			t.Errorf("n=%d: top-level p0 %+v", n, top)
		}
	}
}

// ScopeOf finds the scope of every kind of node that opens one, by
// identity: nodes that open none, and nil pointers, have none.
func TestScopeOf(t *testing.T) {
	src := `function f(a){ { let b; } for (let i;;) {} for (const k in o) {} for (const v of o) {}
	switch (a) { case 1: let c; } try {} catch (e) {} with (o) {} }
	var g = function h(){}, k = () => 1;
	class C { x = 1; static { var s } m(){} }
	{ { let z } }`
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatal(err)
	}
	info := scope.Build(prg, scope.Options{})
	if info.ScopeOf(prg) != info.Root {
		t.Error("the program's scope is the root")
	}
	want := map[string]int{}
	got := map[string]int{}
	walk.Inspect(prg, func(n ast.Node) bool {
		typ := fmt.Sprintf("%T", n)
		switch n.(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral, *ast.ForStatement,
			*ast.ForInStatement, *ast.ForOfStatement, *ast.SwitchStatement, *ast.CatchStatement,
			*ast.WithStatement, *ast.FieldDefinition, *ast.ClassStaticBlock:
			want[typ]++
		}
		if s := info.ScopeOf(n); s != nil {
			if s.Node != n && n != ast.Node(prg) {
				t.Errorf("%T: scope of another node %T", n, s.Node)
			}
			got[typ]++
		}
		return true
	})
	// Blocks that declare something have a scope of their own: `{ let b }`,
	// the inner `{ let z }`, the for-let body does not.
	want["*ast.BlockStatement"] = 2
	want["*ast.Program"] = 1
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("scopes by node type:\n got %v\nwant %v", got, want)
	}
	if info.ScopeOf((*ast.FunctionLiteral)(nil)) != nil || info.ScopeOf(nil) != nil || info.ScopeOf(&ast.Identifier{}) != nil {
		t.Error("nil and non-scope nodes have no scope")
	}
}

// Big programs intern one- and two-byte ASCII names in a table, others in
// a map: both must resolve alike.
func TestInterning(t *testing.T) {
	decl := "var a=1,ab=2,é=3,$_=4,abc=5,éé=6;"
	for _, pad := range []int{0, 1 << 17} {
		src := decl + "/*" + strings.Repeat(" ", pad) + "*/a+ab+é+$_+abc+éé+zz+b"
		info, got := resolveAll(t, src, scope.Options{})
		if len(got) != 8 || got[6] != fmt.Sprintf("zz@%d -> global", len(src)-4) || got[7] != fmt.Sprintf("b@%d -> global", len(src)-1) {
			t.Errorf("pad %d: %v", pad, got)
		}
		for i, name := range []string{"a", "ab", "é", "$_", "abc", "éé"} {
			b := info.Root.Lookup(name)
			if b == nil || b.Name != name || !strings.HasSuffix(got[i], "-> var@"+fmt.Sprint(b.Pos)) {
				t.Errorf("pad %d: %s: %+v, ref %s", pad, name, b, got[i])
			}
		}
		if info.Root.Lookup("zz") != nil || info.Root.Lookup("b") != nil || info.Root.Lookup("") != nil {
			t.Errorf("pad %d: globals found in the root scope", pad)
		}
	}
}
