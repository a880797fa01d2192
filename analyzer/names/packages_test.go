package names_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// The flows follow the exports of a modelled package from require (the
// global one and esbuild's shim) through member loads, parameters and
// calls: each call of a package value is recorded with its path, and a
// decorator factory's call knows the class its decorator is applied to,
// however many classes the decorator helper mixes (its own call site
// sees them all). A package nobody
// models, and members nobody models, stay Unknown.
func TestPackageCalls(t *testing.T) {
	const helper = `var dec = (ds, target) => { for (var i = ds.length - 1; i >= 0; i--) target = ds[i](target) || target; return target; };`
	for _, c := range []struct {
		name, src string
		want      string // "member path @ first argument -> decorated classes", in order
	}{
		{"global require", helper + `
var o = require("typeorm");
var A = class {}; A = dec([(0, o.Entity)("a"), (0, o.OneToMany)("B", "x")], A);
var B = class {}; B = dec([o.Entity()], B);`,
			`Entity () @ A,B; OneToMany () @ A,B; Entity () @ A,B; Entity @ "a" -> A; OneToMany @ "B" -> A; Entity @  -> B`},
		{"shim and parameters", helper + `
var req = ((f) => typeof require < "u" ? require : f)(function (x) { throw Error('Dynamic require of "' + x + '" is not supported'); });
(function (orm) {
  var C = class {}; C = dec([orm.Entity()], C);
})(req("typeorm"));`,
			`Entity () @ C; Entity @  -> C`},
		{"unmodelled package", helper + `var o = require("left-pad"); var A = class {}; A = dec([o.Entity()], A);`, ``},
		{"unmodelled member", helper + `var o = require("typeorm"); var A = class {}; A = dec([o.Column()], A);`, ``},
		{"local require", helper + `function require(x) { return {}; } var o = require("typeorm"); var A = class {}; A = dec([o.Entity()], A);`, ``},
	} {
		prg, err := parser.ParseFile(nil, "t.js", c.src, 0, parser.WithDisableSourceMaps)
		if err != nil {
			t.Fatal(err)
		}
		nf := names.Analyze(prg, scope.Build(prg, scope.Options{}), names.Options{DefaultExport: -1})
		calls := nf.PackageCalls()
		var got []string
		for _, pc := range calls {
			s := strings.Join(pc.Path, " ") + " @ "
			if len(pc.Node.ArgumentList) > 0 {
				s += c.src[pc.Node.ArgumentList[0].Idx0()-1 : pc.Node.ArgumentList[0].Idx1()-1]
			}
			if pc.Applied() {
				fns, _ := nf.ArgFuncs(pc, 0)
				// The helper's call site, where every class it decorates
				// meets every decorator.
				s = strings.Join(pc.Path, " ") + " @ " + runtimeNames(fns)
			} else if pc.Decorates != nil {
				s += " -> " + runtimeNames(pc.Decorates)
			}
			got = append(got, s)
		}
		if g := strings.Join(got, "; "); g != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, g, c.want)
		}
	}
}

func runtimeNames(fns []*names.Func) string {
	var out []string
	for _, fn := range fns {
		out = append(out, fmt.Sprint(fn.Runtime))
	}
	return strings.Join(out, ",")
}
