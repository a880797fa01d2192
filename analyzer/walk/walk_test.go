package walk_test

import (
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// Every identifier of a program that uses most of the syntax is visited
// (property keys are string literals, not identifiers),
// in source order, and nothing is nil.
func TestInspectVisitsEverything(t *testing.T) {
	src := `label: for (const [a, {b = c}] of d) { if (e) break label; else continue label }
class F extends G { #h = i; static { j } k(l = m, ...n) { return o?.[p] ?? q` + "`${r}`" + ` } get s() { return new.target } }
try { t } catch ({u}) { v } finally { w }
switch (x) { case y: z; default: }
var aa = async function* bb(cc) { yield* await dd; }, ee = (ff) => gg, hh = {ii, jj: kk, [ll]: mm, nn() {}};
with (oo) pp; do qq; while (rr); for (ss in tt) uu; for (vv = 0; vv < ww; vv++) xx;
yy = zz ? ab : ac, ad(...ae), af[ag] = ah, ai.aj, -ak, al++, am instanceof an, ao in ap;`
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	last := -1
	walk.Inspect(prg, func(n ast.Node) bool {
		if n == nil {
			t.Fatal("nil node")
		}
		if id, ok := n.(*ast.Identifier); ok {
			got = append(got, id.Name.String())
			if int(id.Idx) < last {
				t.Errorf("%s visited out of source order", id.Name)
			}
			last = int(id.Idx)
		}
		return true
	})
	all := strings.Join(got, " ")
	for _, want := range strings.Fields("a b c d e F G i j l m n o p q r t u v w x y z aa bb cc dd ee ff gg hh ii kk ll mm oo pp qq rr ss tt uu vv ww xx yy zz ab ac ad ae af ag ah ai aj ak al am an ao ap") {
		if !strings.Contains(" "+all+" ", " "+want+" ") {
			t.Errorf("identifier %s not visited (got %s)", want, all)
		}
	}
}

// Start corrects goja's missing position for new.target.
func TestStartNewTarget(t *testing.T) {
	src := `function f(){ return new.target.name }`
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatal(err)
	}
	walk.Inspect(prg, func(n ast.Node) bool {
		if d, ok := n.(*ast.DotExpression); ok && d.Identifier.Name == "name" {
			if got, want := walk.Start(d), strings.Index(src, "new.target"); got != want {
				t.Errorf("Start(new.target.name) = %d, want %d", got, want)
			}
		}
		return true
	})
}
