package names

import (
	"slices"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// of returns the values expression e (whose ancestors are stack) may
// evaluate to, from the solved flows: nil when the flows do not track it.
func (v *values) of(e ast.Expression, stack []ast.Node) []flow.Value {
	if v == nil || v.s.Truncated {
		return nil
	}
	if x, ok := v.exprs[e]; ok {
		return v.s.Values(x)
	}
	switch x := e.(type) {
	case *ast.Identifier:
		return v.identOf(x)
	case *ast.ThisExpression:
		return v.thisOf(stack)
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
		if val, ok := v.funcValIfAny(v.f.byNode[x]); ok {
			return []flow.Value{val}
		}
	case *ast.ArrayLiteral, *ast.ObjectLiteral:
		if val, ok := v.allocs[x]; ok {
			return []flow.Value{val}
		}
	case *ast.DotExpression:
		return v.member(v.of(x.Left, stack), x.Identifier.Name.String())
	case *ast.BracketExpression:
		if k, ok := v.f.constString(x.Member); ok {
			return v.member(v.of(x.Left, stack), k)
		}
		if _, ok := x.Member.(*ast.NumberLiteral); ok {
			return v.member(v.of(x.Left, stack), "[]")
		}
	case *ast.NewExpression:
		return v.newOf(x, stack)
	case *ast.CallExpression:
		if t := v.f.pinTarget(x); t != nil {
			return v.of(t, stack)
		}
		// Object.getPrototypeOf(x) is x: prototypes are folded into
		// instances.
		if d, ok := x.Callee.(*ast.DotExpression); ok && d.Identifier.Name == "getPrototypeOf" && len(x.ArgumentList) == 1 {
			return v.of(x.ArgumentList[0], stack)
		}
	case *ast.SequenceExpression:
		if len(x.Sequence) > 0 {
			return v.of(x.Sequence[len(x.Sequence)-1], stack)
		}
	case *ast.AssignExpression:
		if x.Operator == token.ASSIGN {
			return v.of(x.Right, stack)
		}
	case *ast.ConditionalExpression:
		return sortValues(append(slices.Clone(v.of(x.Consequent, stack)), v.of(x.Alternate, stack)...))
	case *ast.BinaryExpression:
		switch x.Operator {
		case token.LOGICAL_OR, token.LOGICAL_AND, token.COALESCE:
			return sortValues(append(slices.Clone(v.of(x.Left, stack)), v.of(x.Right, stack)...))
		}
	case *ast.OptionalChain:
		return v.of(x.Expression, stack)
	case *ast.Optional:
		return v.of(x.Expression, stack)
	}
	return nil
}

// identOf returns the values of a variable; an unbound name is a
// property of the global object (window, globalThis, self and global
// are that object).
func (v *values) identOf(x *ast.Identifier) []flow.Value {
	b := v.f.Scope.Resolve(x)
	if b == nil {
		switch x.Name.String() {
		case "window", "globalThis", "self", "global":
			return []flow.Value{v.global}
		}
		return v.s.Values(v.fieldIfAny(v.global, v.keys[x.Name.String()]))
	}
	if k, ok := v.f.versionOf[x]; ok {
		if vs := v.verVars[b]; int(k) < len(vs) {
			return v.s.Values(vs[k])
		}
	}
	if id := b.ID(); id < len(v.bindVar) {
		return v.s.Values(v.bindVar[id])
	}
	return nil
}

// newOf returns the instances new C(…) may make: those of the classes
// and functions that reach C, and Unknown when Unknown does.
func (v *values) newOf(x *ast.NewExpression, stack []ast.Node) []flow.Value {
	var out []flow.Value
	for _, c := range v.of(x.Callee, stack) {
		switch a := v.vals[c]; a.kind {
		case vkFunc:
			if inst, ok := v.instValIfAny(a.fn); ok {
				out = append(out, inst)
			}
		case vkUnknown:
			out = append(out, flow.Unknown)
		}
	}
	return sortValues(out)
}

// member returns what property key of the given values holds.
func (v *values) member(objs []flow.Value, key string) []flow.Value {
	k, ok := v.keys[key]
	if !ok {
		if slices.Contains(objs, flow.Unknown) {
			return []flow.Value{flow.Unknown}
		}
		return nil
	}
	var out []flow.Value
	for _, o := range objs {
		a := v.vals[o]
		if (a.kind == vkFunc && key != "prototype" || a.kind == vkInst && k != v.ctorKey) && a.fn.Linked != nil {
			// Defined in another chunk (see field).
			out = append(out, flow.Unknown)
			continue
		}
		switch a.kind {
		case vkUnknown:
			out = append(out, flow.Unknown)
			continue
		case vkFunc:
			if key == "prototype" {
				if inst, ok := v.instValIfAny(a.fn); ok {
					out = append(out, inst)
				}
				continue
			}
		case vkObj:
			out = append(out, v.s.Values(v.fieldIfAny(o, elemKey))...)
		case vkArr, vkMap, vkSet:
			if k == v.ctorKey {
				// The built-in (handleLoad); Unknown stands for it where
				// no load made its value while solving.
				if b := v.biVals[collectionCtor[a.kind]]; b != 0 {
					out = append(out, b)
				} else {
					out = append(out, flow.Unknown)
				}
			}
		}
		x := v.fieldIfAny(o, k)
		if x == flow.NoVar && (a.kind == vkFunc || a.kind == vkInst) && k != v.ctorKey && v.inheritsLinked(a.fn) {
			out = append(out, flow.Unknown)
		}
		out = append(out, v.s.Values(x)...)
	}
	return sortValues(out)
}

// inheritsLinked reports whether a class extends, directly or not, one
// another chunk defines: members it does not define itself may be that
// class's.
func (v *values) inheritsLinked(fn *Func) bool {
	if len(v.f.linked) == 0 {
		return false
	}
	seen := map[*Func]bool{}
	var walk func(fn *Func, depth int) bool
	walk = func(fn *Func, depth int) bool {
		if fn.Linked != nil {
			return true
		}
		if seen[fn] || depth > 32 {
			return false
		}
		seen[fn] = true
		return slices.ContainsFunc(v.perFunc[fn.id].supers, func(s *Func) bool { return walk(s, depth+1) })
	}
	return walk(fn, 0)
}

// thisOf returns the values `this` may be at the top of stack.
func (v *values) thisOf(stack []ast.Node) []flow.Value {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.ArrowFunctionLiteral:
			continue
		case *ast.FunctionLiteral:
			if i >= 2 {
				if m, ok := stack[i-1].(*ast.MethodDefinition); ok && !m.Static {
					if k, _ := propName(m.Key, m.Computed); k == "constructor" {
						if st := v.stateIfAny(v.f.byNode[stack[i-2]]); st != nil {
							return v.s.Values(st.this)
						}
					}
				}
			}
			if st := v.stateIfAny(v.f.byNode[n]); st != nil {
				return v.s.Values(st.this)
			}
			return nil
		case *ast.FieldDefinition:
			if i >= 1 {
				if c := v.f.byNode[stack[i-1]]; c != nil {
					if n.Static {
						return v.classValue(c)
					}
					if st := v.stateIfAny(c); st != nil {
						return v.s.Values(st.this)
					}
				}
			}
			return nil
		case *ast.ClassStaticBlock:
			if i >= 1 {
				if c := v.f.byNode[stack[i-1]]; c != nil {
					return v.classValue(c)
				}
			}
			return nil
		}
	}
	return nil
}

// classValue returns class c's value as a set (static this): nil when
// the flows made none.
func (v *values) classValue(c *Func) []flow.Value {
	val, ok := v.funcValIfAny(c)
	if !ok {
		return nil
	}
	return []flow.Value{val}
}

func sortValues(vs []flow.Value) []flow.Value {
	slices.Sort(vs)
	return slices.Compact(vs)
}

// funcsIn splits a value set into the functions and classes it holds;
// complete is false when it also holds Unknown, other is set when it
// holds other values (objects, instances).
func (v *values) funcsIn(vals []flow.Value) (fns []*Func, complete, other bool) {
	complete = !v.s.Truncated
	for _, x := range vals {
		switch a := v.vals[x]; a.kind {
		case vkFunc:
			fns = append(fns, a.fn)
		case vkUnknown, vkPackage:
			// A package value travels beside Unknown (packages.go).
			complete = false
		case vkBuiltin:
			// A native collection's constructor (handleLoad) is a
			// function the bundle does not contain, whose name no
			// minifier touches: like a value from outside.
			if a.bi == biArray || a.bi == biMap || a.bi == biSet {
				complete = false
			} else {
				other = true
			}
		default:
			other = true
		}
	}
	return fns, complete, other
}

// FuncsOf returns the functions and classes expression e (whose
// ancestors are stack) may hold according to the value flows, sorted by
// position; complete is false when it may also hold a value the flows do
// not see (Unknown) or the flows were not solved.
func (f *Facts) FuncsOf(e ast.Expression, stack []ast.Node) (fns []*Func, complete bool) {
	if f.vals == nil {
		return nil, false
	}
	vals := f.vals.of(e, stack)
	if vals == nil {
		return nil, false
	}
	fns, complete, _ = f.vals.funcsIn(vals)
	slices.SortFunc(fns, func(a, b *Func) int { return a.Pos - b.Pos })
	return fns, complete
}

// Describe renders the values expression e may hold, for tests and
// debugging: sorted, one word per value ("fn:Name", "class:Name",
// "new:Name", "obj@offset", "arr@offset", "map@…", "set@…", "pair",
// "src:Name" (a text holding the function's source), "global",
// "builtin", "?").
func (f *Facts) Describe(e ast.Expression, stack []ast.Node) string {
	v := f.vals
	var out []string
	for _, x := range v.of(e, stack) {
		a := v.vals[x]
		var s string
		switch a.kind {
		case vkUnknown:
			s = "?"
		case vkFunc:
			s = "fn:" + a.fn.Runtime
			if a.fn.IsClass {
				s = "class:" + a.fn.Runtime
			}
		case vkInst:
			s = "new:" + a.fn.Runtime
		case vkObj, vkArr, vkMap, vkSet:
			s = [...]string{vkObj: "obj", vkArr: "arr", vkMap: "map", vkSet: "set"}[a.kind]
		case vkPair:
			s = "pair"
		case vkSource:
			s = "src:" + a.fn.Runtime
		case vkStack:
			s = "stack"
		case vkGlobal:
			s = "global"
		case vkBuiltin:
			s = "builtin"
		case vkPackage:
			s = "pkg:" + a.pkg.spec + ":" + strings.Join(a.pkg.path, ".")
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// PassedAt returns the calls that pass the functions or classes a name
// read may be the name of to the parameter it reads (`target.name` in a
// decorator or a library's register(target)): where the app hands the
// class over, a second place worth showing. At most max calls, in source
// order; none when the receiver is no parameter.
func (f *Facts) PassedAt(r *Read, max int) []ast.Node {
	v := f.vals
	id, ok := r.Receiver.(*ast.Identifier)
	if v == nil || v.s.Truncated || !ok || len(r.Candidates) == 0 {
		return nil
	}
	b := f.Scope.Resolve(id)
	if b == nil || b.Kind != scope.Param {
		return nil
	}
	fn, idx := f.paramOf(b)
	if fn == nil {
		return nil
	}
	want := map[flow.Value]bool{}
	for _, c := range r.Candidates {
		if val, ok := v.funcValIfAny(c); ok {
			want[val] = true
		}
	}
	var out []ast.Node
	for _, site := range v.perFunc[fn.id].sites {
		if site.node == nil /* a callback's call by a built-in */ || idx >= len(site.args) || idx >= len(site.spread) || slices.Contains(site.spread[:idx+1], true) {
			continue
		}
		if walk.Start(site.node) <= r.Pos && r.Pos < scope.Offset(site.node.Idx1()) {
			continue // the read is inside the call (a callback): nothing new to show
		}
		if slices.ContainsFunc(v.s.Values(site.args[idx]), func(x flow.Value) bool { return want[x] }) &&
			!slices.Contains(out, site.node) {
			out = append(out, site.node)
		}
	}
	slices.SortFunc(out, func(a, b ast.Node) int { return int(a.Idx0()) - int(b.Idx0()) })
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// paramOf returns the function that declares parameter b, and its
// position.
func (f *Facts) paramOf(b *scope.Binding) (*Func, int) {
	p := f.params[b]
	return p.fn, p.idx
}

// indexParams fills f.params (Analyze, before rules run: they query it
// concurrently).
func (f *Facts) indexParams() {
	f.params = map[*scope.Binding]paramPos{}
	for _, fn := range f.Funcs {
		for i, p := range fn.Params {
			if p != nil {
				f.params[p] = paramPos{fn, i}
			}
		}
	}
}

// paramPos is a parameter's function and position.
type paramPos struct {
	fn  *Func
	idx int
}

// writtenKeys returns the property names the program writes on object o
// under a fixed key (a literal key, o.k = v, o["k"] = v), in creation
// order, and whether it also writes computed keys.
func (v *values) writtenKeys(o flow.Value) (keys []string, computed bool) {
	ob := v.objIfAny(o)
	if ob == nil {
		return nil, false
	}
	for _, fl := range ob.fields {
		k := fl.key
		switch {
		case !v.isWritten(o, k):
		case k == elemKey:
			computed = true
		default:
			keys = append(keys, v.keyName[k])
		}
	}
	return keys, computed
}

// keyless reports whether val is an object no key is ever put into: an
// empty object literal nothing writes to and no code outside the bundle
// sees (the seed {} of reduce((acc, fn) => ({...acc, [fn.name]: fn}), {})).
// A lookup on it finds nothing, before and after minification.
func (v *values) keyless(val flow.Value) bool {
	a := v.vals[val]
	if a.kind != vkObj {
		return false
	}
	lit, ok := a.node.(*ast.ObjectLiteral)
	if !ok || len(lit.Value) > 0 {
		return false
	}
	o := v.objIfAny(val)
	return o == nil || len(o.written) == 0 && !o.escaped
}

// paramStrings returns the strings a parameter e holds when every call of
// its function passes a string literal there (catchIf("TimeoutError", h)
// compared inside with err.constructor.name): the function is called
// only where the bundle shows, never reassigns the parameter, and each
// call passes the argument plainly (no spread, no .call/.apply).
func (f *Facts) paramStrings(e ast.Expression) ([]string, bool) {
	id, ok := e.(*ast.Identifier)
	if !ok || f.vals == nil {
		return nil, false
	}
	b := f.Scope.Resolve(id)
	if b == nil || len(b.Assigns) > 0 || b.Mutated {
		return nil, false
	}
	fn, idx := f.paramOf(b)
	if fn == nil {
		return nil, false
	}
	v := f.vals
	if st := v.stateIfAny(fn); st == nil || st.escaped || v.s.Truncated {
		return nil, false
	}
	sites := v.perFunc[fn.id].sites
	if len(sites) == 0 {
		return nil, false
	}
	var out []string
	for _, site := range sites {
		call, ok := site.node.(*ast.CallExpression)
		if !ok || len(call.ArgumentList) != len(site.args) || idx >= len(call.ArgumentList) || slices.Contains(site.spread, true) {
			return nil, false
		}
		s, ok := f.constString(call.ArgumentList[idx])
		if !ok {
			return nil, false
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, true
}

// ElementObjects returns the object literals the elements of the arrays
// held by field key of the object expression obj (whose ancestors are
// stack) may be, in source order: obj.key[i] for a subTypes option
// written as [A, B].map(…), which has no variable of its own. complete is
// false when an element may be something else, or the field may hold
// something other than an array the flows see.
func (f *Facts) ElementObjects(obj ast.Expression, key string, stack []ast.Node) (objs []*ast.ObjectLiteral, complete bool) {
	v := f.vals
	if v == nil {
		return nil, false
	}
	arrs := v.member(v.of(obj, stack), key)
	if len(arrs) == 0 {
		return nil, false
	}
	complete = true
	for _, x := range arrs {
		if v.vals[x].kind != vkArr {
			complete = false
		}
	}
	for _, x := range v.member(arrs, "[]") {
		o, ok := v.vals[x].node.(*ast.ObjectLiteral)
		if !ok || v.vals[x].kind != vkObj {
			complete = false
			continue
		}
		if !slices.Contains(objs, o) {
			objs = append(objs, o)
		}
	}
	slices.SortFunc(objs, func(a, b *ast.ObjectLiteral) int { return int(a.Idx0()) - int(b.Idx0()) })
	return objs, complete && len(objs) > 0
}

// Constructs reports whether fn makes instances: a class, or a function
// the bundle calls with new, reads the prototype of or whose body uses
// this (the flows gave it an instance value).
func (f *Facts) Constructs(fn *Func) bool {
	if fn.IsClass {
		return true
	}
	if f.vals == nil {
		return false
	}
	_, ok := f.vals.instValIfAny(fn)
	return ok
}
