package names_test

import (
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
)

// A variable that minifiers reuse for values whose lifetimes do not
// overlap is split into versions: each read sees the assignment that
// last ran before it. A conditional assignment adds to the version it
// may replace; a read in a nested function sees every version; an
// assignment in a loop or a nested function, or by destructuring, keeps
// one variable.
func TestVersions(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // what each read of x holds (Describe), in order
	}{
		{"straight line", `function f(t) { var x = class A {}; use(x); x = class B {}; use(x); x = JSON.parse(t); use(x); }`,
			[]string{"class:A", "class:B", "?"}},
		{"right side first", `function f() { var x = class A {}; x = [x]; use(x); use(x[0]); }`,
			[]string{"arr", "? class:A"}}, // the array holds the class, not itself
		{"redeclared", `function f() { var x = class A {}; use(x); var x = class B extends x {}; use(x); }`,
			[]string{"class:A", "class:B"}},
		{"conditional", `function f(c) { var x = class A {}; if (c) x = class B {}; use(x); c && (x = class C {}); use(x); }`,
			[]string{"class:A class:B class:C", "class:A class:B class:C"}},
		{"closure reads all", `function f() { var x = class A {}; g(() => use(x)); x = class B {}; }`,
			[]string{"class:A class:B"}},
		{"loop keeps one", `function f(l) { var x = class A {}; use(x); for (const y of l) x = class B {}; use(x); }`,
			[]string{"class:A class:B", "class:A class:B"}},
		{"closure write keeps one", `function f() { var x = class A {}; use(x); g(() => { x = class B {}; }); x = class C {}; use(x); }`,
			[]string{"class:A class:B class:C", "class:A class:B class:C"}},
		{"destructuring keeps one", `function f(o) { var x = class A {}; use(x); ({x} = o); x = class C {}; use(x); }`,
			[]string{"class:A class:C", "class:A class:C"}},
	} {
		nf := analyze(t, c.src)
		var got []string
		nf.Inspect(func(n ast.Node, stack []ast.Node) bool {
			call, ok := n.(*ast.CallExpression)
			if !ok {
				return true
			}
			if id, ok := call.Callee.(*ast.Identifier); ok && id.Name == "use" {
				got = append(got, nf.Describe(call.ArgumentList[0], append(stack, call)))
			}
			return true
		})
		if strings.Join(got, " | ") != strings.Join(c.want, " | ") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
