package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// Redux Toolkit's createSlice({ name, initialState, reducers }) prefixes
// its action types with the slice's name ("Project/upserted") and is
// usually keyed by it in the store's state. A slice named after a class
// (name: Model.name) takes the class's runtime name, while action types
// written out elsewhere (a replayed log, a test, another app) keep the
// name the author saw. Redux Toolkit is bundled with the app and renamed
// with it, so the slice options are recognised by their shape.

// actionTypeRE matches an action type "slice/reducer".
var actionTypeRE = regexp.MustCompile(`^([A-Za-z_$][\w$]*)/([A-Za-z_$][\w$]*)$`)

// slice is one createSlice options object named by a runtime name.
type slice struct {
	name *names.Read
	// reducers are the case reducers' keys (nil: not a literal, and no
	// action type is taken for one of its).
	reducers map[string]bool
}

// reportSliceActions reports action type literals whose slice part is a
// slice's name from the source (map), or a name no function of a mangled
// bundle carries, when the slice is named by a class's runtime name; each
// action type once.
func reportSliceActions(p *analyzer.Pass, sls []slice, lits *registryLiterals) {
	seen := map[string]bool{}
	for _, a := range lits.actions {
		if len(sls) == 0 || seen[a.value] {
			continue
		}
		seen[a.value] = true
		for _, s := range sls {
			if !s.reducers[a.reducer] {
				continue // not one of its actions ("text/html", "api/users")
			}
			if reportSliceAction(p, s, a.lit, a.value, a.name) {
				break
			}
		}
	}
}

// readSlice reads { name: X.name, initialState, reducers: {…} }.
func readSlice(obj *ast.ObjectLiteral, readAt map[ast.Node]*names.Read) (slice, bool) {
	var s slice
	hasState := false
	for _, prop := range obj.Value {
		kv, ok := prop.(*ast.PropertyKeyed)
		if !ok || kv.Computed {
			continue
		}
		switch k, _ := names.PropertyKey(kv); k {
		case "name":
			s.name = readAt[kv.Value]
		case "initialState":
			hasState = true
		case "reducers":
			if lit, ok := kv.Value.(*ast.ObjectLiteral); ok {
				s.reducers = map[string]bool{}
				for _, r := range lit.Value {
					k, ok := names.PropertyKey(r)
					if !ok {
						s.reducers = nil // a spread or computed key: not all known
						break
					}
					s.reducers[k] = true
				}
			}
		}
	}
	return s, hasState && s.name != nil && s.name.Candidates != nil
}

// reportSliceAction judges the action type action (the literal lit)
// whose slice part is name against s, and reports whether it reported.
func reportSliceAction(p *analyzer.Pass, s slice, lit ast.Expression, action, name string) bool {
	nf := p.File.Names
	for _, fn := range s.name.Candidates {
		if fn.Runtime == name {
			return false
		}
	}
	related := []analyzer.Related{{Pos: s.name.Pos, Message: "the slice is named by a class's runtime name here: " + p.Text(s.name.Node, 60)}}
	if fn := renamedFrom(s.name.Candidates, name); fn != nil {
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(lit),
			Severity: analyzer.Error,
			Message: fmt.Sprintf("the action type %q names the slice %q, which is named after class %s (%s), but the minifier renamed %s: the slice's actions are %q in this build, so this action matches no reducer. "+
				"Name the slice with a string you own (name: %q), %s.",
				action, name, fn.SourceName(), p.Text(s.name.Node, 40), renames([]*names.Func{fn}), fn.Runtime+strings.TrimPrefix(action, name), name, keepClassNames),
			Name:    fn.SourceName(),
			Related: related,
		})
		return true
	}
	if !strayClassName(nf, name, s.name.Candidates) {
		return false
	}
	p.Report(analyzer.Diagnostic{
		Pos:      startOf(lit),
		Severity: analyzer.Error,
		Message: fmt.Sprintf("the action type %q names the slice %q, but the slice is named by a class's runtime name (%s), and in this minified bundle %s: no slice is %q, so this action matches no reducer. "+
			"Name the slice with a string you own, %s.",
			action, name, p.Text(s.name.Node, 40), runtimeNames(s.name.Candidates), name, keepClassNames),
		Name:    name,
		Related: related,
	})
	return true
}
