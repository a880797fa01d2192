package names

import (
	"slices"
	"strings"
	"unicode"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
)

// A Derivation records how a string was made from a runtime name, step
// by step, so that it can be evaluated on a concrete name: the source
// name (what the program produced before minification) and the runtime
// name (what it produces now). `"store:" + C.name` is one step (prefix
// "store:"), `${C.name}:v2`.toLowerCase() two (suffix ":v2", lower).
// A step the engine cannot evaluate (slice, replace, a non-constant
// operand) is opaque: the derivation then says only that the string
// comes from the name.
type Derivation []Step

// Step is one operation of a Derivation.
type Step struct {
	Op StepOp
	// S is the constant a prefix or suffix step adds.
	S string
}

// StepOp is what a Step does.
type StepOp uint8

const (
	StepOpaque StepOp = iota // an operation the engine does not evaluate
	StepPrefix               // S + s
	StepSuffix               // s + S
	StepLower                // s.toLowerCase()
	StepUpper                // s.toUpperCase()
	StepSame                 // trim, toString, valueOf, normalize: a name is unchanged
	// StepOther: the name, or another value (the other branch of a
	// conditional, the other operand of || or &&). It leaves the name
	// unchanged, but what holds it may hold other strings too.
	StepOther
	// StepOtherReturn: the name, or another string the function that
	// returns it returns elsewhere (a table's entry, a field), which
	// nothing in the expression shows: no evidence of what is compared
	// without a map.
	StepOtherReturn
)

// Apply evaluates the derivation on name; false when a step is opaque.
func (d Derivation) Apply(name string) (string, bool) {
	for _, st := range d {
		switch st.Op {
		case StepPrefix:
			name = st.S + name
		case StepSuffix:
			name += st.S
		case StepLower:
			name = strings.ToLower(name)
		case StepUpper:
			name = strings.ToUpper(name)
		case StepSame, StepOther, StepOtherReturn:
		default:
			return "", false
		}
	}
	return name, true
}

// Known reports whether every step can be evaluated (Apply succeeds).
func (d Derivation) Known() bool {
	_, ok := d.Apply("")
	return ok
}

// Affixes returns the constant text the derivation puts before and after
// the name, when it does nothing else to it (no case change, nothing
// opaque): what lets a literal key be read back as prefix + name + suffix.
func (d Derivation) Affixes() (prefix, suffix string, ok bool) {
	for _, st := range d {
		switch st.Op {
		case StepPrefix:
			prefix = st.S + prefix
		case StepSuffix:
			suffix += st.S
		case StepSame, StepOther, StepOtherReturn:
		default:
			return "", "", false
		}
	}
	return prefix, suffix, true
}

// then returns d followed by steps (a copy: derivations are shared by
// the uses that branch from them).
func (d Derivation) then(steps ...Step) Derivation {
	out := make(Derivation, 0, len(d)+len(steps))
	return append(append(out, d...), steps...)
}

// concatStep is the step of `a + b` where cur is one operand: a prefix
// or suffix when the other is a constant string, else opaque.
func (f *Facts) concatStep(b *ast.BinaryExpression, cur ast.Node) Step {
	if ast.Node(b.Right) == cur {
		if s, ok := f.constString(b.Left); ok {
			return Step{Op: StepPrefix, S: s}
		}
	} else if s, ok := f.constString(b.Right); ok {
		return Step{Op: StepSuffix, S: s}
	}
	return Step{Op: StepOpaque}
}

// templateStep is the steps of a template literal that interpolates cur:
// the text around it, when every other part is constant.
func (f *Facts) templateStep(t *ast.TemplateLiteral, cur ast.Node) []Step {
	at := -1
	for i, e := range t.Expressions {
		if ast.Node(e) == cur {
			at = i
		}
	}
	if at < 0 || len(t.Elements) != len(t.Expressions)+1 {
		return []Step{{Op: StepOpaque}}
	}
	var pre, post strings.Builder
	for i, el := range t.Elements {
		text := el.Parsed.String()
		if i <= at {
			pre.WriteString(text)
		} else {
			post.WriteString(text)
		}
		if i < len(t.Expressions) && i != at {
			s, ok := f.constString(t.Expressions[i])
			if !ok {
				return []Step{{Op: StepOpaque}}
			}
			if i < at {
				pre.WriteString(s)
			} else {
				post.WriteString(s)
			}
		}
	}
	return []Step{{Op: StepPrefix, S: pre.String()}, {Op: StepSuffix, S: post.String()}}
}

// methodStep is the step of a string method called on a name.
func methodStep(m string, call *ast.CallExpression) Step {
	switch m {
	case "toLowerCase", "toLocaleLowerCase":
		return Step{Op: StepLower}
	case "toUpperCase", "toLocaleUpperCase":
		return Step{Op: StepUpper}
	case "trim", "trimStart", "trimEnd", "toString", "valueOf", "normalize":
		if len(call.ArgumentList) == 0 {
			return Step{Op: StepSame}
		}
	}
	return Step{Op: StepOpaque}
}

// isIdentifier reports whether s is a JavaScript identifier name.
func isIdentifier(s string) bool {
	for i, r := range s {
		switch {
		case r == '_' || r == '$' || unicode.IsLetter(r):
		case i > 0 && unicode.IsDigit(r):
		default:
			return false
		}
	}
	return s != ""
}

// ClosedDerived reports whether the key use u is a string derived from
// a runtime name (`${C.name}:v2`) indexing a store that every access
// keys the same way: written and read only through the same derivation
// of runtime names, it works after minification (a closed round trip).
func (f *Facts) ClosedDerived(u *Use) bool { return f.closedDerived[u] }

// findClosedDerived fills f.closedDerived (see ClosedDerived).
func (f *Facts) findClosedDerived() {
	v := f.vals
	if v == nil || v.s.Truncated {
		return
	}
	ds := &derivedScan{f: f, v: v, byStore: map[flow.Value][]*Use{}, useAt: map[ast.Node][]*Use{}, open: map[flow.Value]bool{}}
	for _, u := range f.Uses {
		if u.Kind == UseKey && u.Derived() && u.Derivation.Known() {
			ds.add(u)
		}
	}
	if len(ds.byStore) == 0 {
		return
	}
	for o, us := range ds.byStore {
		ds.openByWrites(o, us)
	}
	f.Inspect(ds.visit)
	f.closedDerived = map[*Use]bool{}
	for o, us := range ds.byStore {
		if !ds.open[o] && sameDerivation(us) {
			for _, u := range us {
				f.closedDerived[u] = true
			}
		}
	}
	// A use that also reaches an open store is not closed.
	for o, us := range ds.byStore {
		if ds.open[o] {
			for _, u := range us {
				delete(f.closedDerived, u)
			}
		}
	}
}

// derivedScan is what findClosedDerived knows while it reads the
// program.
type derivedScan struct {
	f *Facts
	v *values
	// byStore are the derived key uses of each Map or object they index.
	byStore map[flow.Value][]*Use
	// useAt are the derived key uses at each node.
	useAt map[ast.Node][]*Use
	// open marks the stores whose keys something other than the
	// derived key uses sees or writes.
	open map[flow.Value]bool
}

// add files a derived key use under the Maps and objects it indexes.
func (ds *derivedScan) add(u *Use) {
	ds.useAt[u.Node] = append(ds.useAt[u.Node], u)
	for _, o := range ds.f.keyValues(u) {
		if k := ds.v.vals[o].kind; k == vkMap || k == vkObj {
			ds.byStore[o] = append(ds.byStore[o], u)
		}
	}
}

// openByWrites opens the store o (whose derived key uses are us) when
// code outside the bundle sees it, an object has fixed keys too, or its
// keys are only written or only read.
func (ds *derivedScan) openByWrites(o flow.Value, us []*Use) {
	v := ds.v
	if ob := v.objIfAny(o); ob != nil && ob.escaped {
		ds.open[o] = true // code outside the bundle sees the keys
	}
	if keys, _ := v.writtenKeys(o); len(keys) > 0 && v.vals[o].kind == vkObj {
		ds.open[o] = true // literal keys too
	}
	// A round trip writes and reads: keys only written are for
	// whoever lists them.
	if !slices.ContainsFunc(us, func(u *Use) bool { return u.Assign }) || !slices.ContainsFunc(us, func(u *Use) bool { return !u.Assign }) {
		ds.open[o] = true
	}
}

// listed opens the stores e may be: their keys are listed (m.keys(),
// Object.keys(o), for…in, spread).
func (ds *derivedScan) listed(e ast.Expression, stack []ast.Node) {
	for _, o := range ds.v.of(e, stack) {
		if _, ok := ds.byStore[o]; ok {
			ds.open[o] = true
		}
	}
}

// visit is findClosedDerived's walk of the program: listings and
// fixed-key reads open a store, and so does a keyed access (get, set,
// has, delete, o[k], k in o) that is not one of its derived key uses
// with the same derivation.
func (ds *derivedScan) visit(n ast.Node, stack []ast.Node) bool {
	var recv ast.Expression
	switch x := n.(type) {
	case *ast.CallExpression:
		if d, ok := x.Callee.(*ast.DotExpression); ok {
			switch d.Identifier.Name {
			case "get", "set", "has", "delete":
				recv = d.Left
			case "keys", "entries", "values", "forEach":
				// The keys listed: m.keys(), Object.keys(o).
				ds.listed(d.Left, stack)
				for _, a := range x.ArgumentList {
					ds.listed(a, stack)
				}
			}
		}
	case *ast.DotExpression:
		// o.orders: a fixed key read (Map methods are calls, above).
		if c, call := top(stack).(*ast.CallExpression); !call || c.Callee != ast.Expression(x) {
			for _, o := range ds.v.of(x.Left, stack) {
				if _, ok := ds.byStore[o]; ok && ds.v.vals[o].kind == vkObj {
					ds.open[o] = true
				}
			}
		}
	case *ast.ForInStatement:
		ds.listed(x.Source, stack)
	case *ast.ForOfStatement:
		ds.listed(x.Source, stack)
	case *ast.SpreadElement:
		ds.listed(x.Expression, stack)
	case *ast.BracketExpression:
		recv = x.Left
	case *ast.BinaryExpression:
		if x.Operator == token.IN {
			recv = x.Right
		}
	}
	if recv == nil {
		return true
	}
	for _, o := range ds.v.of(recv, stack) {
		us, ok := ds.byStore[o]
		if !ok || ds.open[o] {
			continue
		}
		if !slices.ContainsFunc(ds.useAt[n], func(x *Use) bool { return slices.Equal(x.Derivation, us[0].Derivation) }) {
			ds.open[o] = true
		}
	}
	return true
}

// sameDerivation reports whether the uses all derive their keys the same
// way.
func sameDerivation(us []*Use) bool {
	same := true
	for _, u := range us {
		same = same && slices.Equal(u.Derivation, us[0].Derivation)
	}
	return same
}
