package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// KeepNamesGap flags names the code relies on that a partial keep-names
// configuration missed, and functions compression left anonymous.
var KeepNamesGap = &analyzer.Rule{
	ID:       "keep-names-gap",
	Title:    "Name relied on but missed by the bundle's keep-names configuration",
	Severity: analyzer.Warning,
	Doc: `The bundle keeps some names — esbuild --keep-names' __name() helper,
Object.defineProperty(fn, "name", …), or terser keep_fnames/keep_classnames
with a RegExp that matches some functions — so someone configured the
minifier to preserve names. But a function or class whose name the code
relies on (compared, used as a key) is not among them: the configuration has
a gap, typically a RegExp that does not cover a newly added class.

A second gap: compression can move a function out of the position that
gives it its name. var Foo = function () {} inlined into its single use
becomes an anonymous function, so Foo.name is "" even with keep_fnames
(terser issue 1484 and similar); keep_fnames only keeps names a function
still has.

Fix the configuration (extend the RegExp, or use esbuild keepNames, which
covers every function), or give the function a name that does not depend on
its position: a function declaration, or an explicit static name.`,
	Fix: `terser: extend the keep_fnames / keep_classnames RegExp to cover the names listed
esbuild: keepNames: true covers every function and class
code: use a function declaration or an explicit static name = "X"`,
	Bad: `export class Registered {}
export class Forgotten {}
const keep = (fn, name) => Object.defineProperty(fn, "name", { value: name, configurable: true });
keep(Registered, "Registered");
export function isForgotten(x) {
  return x.constructor === Forgotten || Forgotten.name === "Forgotten";
}
console.log(isForgotten(new Registered()));`,
	Good: `export class Registered {}
export class Forgotten {}
const keep = (fn, name) => Object.defineProperty(fn, "name", { value: name, configurable: true });
keep(Registered, "Registered");
keep(Forgotten, "Forgotten");
export function isForgotten(x) {
  return x.constructor === Forgotten || Forgotten.name === "Forgotten";
}
console.log(isForgotten(new Registered()));`,
	Run: runKeepNamesGap,
}

func runKeepNamesGap(p *analyzer.Pass) {
	nf := p.File.Names
	partial := keepsSomeNames(nf)
	// Functions relied on by name, by the reads that rely on them.
	relied := map[*names.Func][]*names.Read{}
	var order []*names.Func
	for _, u := range nf.Uses {
		if u.Kind != names.UseCompare && u.Kind != names.UseKey {
			continue
		}
		if st := nf.StoreOf(u); st != nil && st.Sound() {
			continue // a closed round trip works with any names
		}
		for _, fn := range u.Read.Candidates {
			if u.Read.Partial && !(fn.Renamed() && fn.Runtime == "") {
				continue
			}
			if _, seen := relied[fn]; !seen {
				order = append(order, fn)
			}
			relied[fn] = append(relied[fn], u.Read)
		}
	}
	for _, fn := range order {
		reads := relied[fn]
		switch {
		case partial != "" && fn.Renamed() && fn.Runtime == "" && fn.Pin == names.NotPinned:
			// Named in the source, anonymous in the bundle, though the
			// bundle keeps names: compression moved it out of the position
			// that named it.
			p.Report(analyzer.Diagnostic{
				Pos: reads[0].Pos,
				Message: fmt.Sprintf("%s reads the name of %s %s, which is anonymous in this bundle: compression moved it out of the position that named it, so its name is \"\" although this bundle keeps names (%s). "+
					"Keep it a declaration the minifier cannot inline (or disable inlining: terser compress.inline/reduce_funcs), or give it an explicit name.",
					p.Text(reads[0].Node, 60), fn.Kind(), fn.Original, partial),
				Name: fn.Original,
			})
		case partial != "" && fn.Pin == names.NotPinned && fn.Runtime != "" && nf.Mangled(fn):
			// (An anonymous function is no gap in a keep-names
			// configuration: the other rules judge what its "" breaks.)
			p.Report(analyzer.Diagnostic{
				Pos: fn.Pos,
				Message: fmt.Sprintf("%s %s is relied on by name (%s) but %s; this bundle keeps other names (%s), so the keep-names configuration misses this one. "+
					"Extend the keep_fnames/keep_classnames RegExp, or use esbuild keepNames.",
					fn.Kind(), fn.SourceName(), relianceList(p, reads), describeMangled(nf, []*names.Func{fn}), partial),
				Name: fn.SourceName(),
			})
		}
	}
}

// keepsSomeNames describes the evidence that the bundle was built to keep
// some names, or returns "".
func keepsSomeNames(nf *names.Facts) string {
	if nf.NumPinned > 0 {
		return fmt.Sprintf("%d pinned by a naming helper", nf.NumPinned)
	}
	if !nf.Minified {
		return ""
	}
	// terser keep_fnames/keep_classnames with a RegExp: nested declarations
	// that kept long names next to nested ones that were mangled.
	var kept []string
	seen := map[string]bool{} // not appendUnique: quadratic in kept names
	short := 0
	for _, fn := range nf.Funcs {
		b := fn.Binding
		if b == nil || b.Scope.IsTop() || fn.Dynamic || (b.Kind != scope.Function && b.Kind != scope.Class) {
			continue
		}
		if names.LooksMangled(fn.Runtime) {
			short++
		} else if !seen[fn.Runtime] {
			seen[fn.Runtime] = true
			kept = append(kept, fn.Runtime)
		}
	}
	if len(kept) >= 2 && (short >= 2 || short == 0) {
		// Some nested names kept next to mangled ones (a RegExp), or all
		// of them in an otherwise minified bundle (keep_fnames: true).
		sort.Strings(kept)
		if len(kept) > 3 {
			kept = append(kept[:3], "…")
		}
		return "kept: " + strings.Join(kept, ", ")
	}
	return ""
}

func relianceList(p *analyzer.Pass, reads []*names.Read) string {
	var parts []string
	for _, r := range reads {
		parts = appendUnique(parts, p.Text(r.Node, 40))
	}
	if len(parts) > 3 {
		parts = append(parts[:3], "…")
	}
	return strings.Join(parts, ", ")
}
