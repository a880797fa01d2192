package names

import (
	"slices"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
	"github.com/manglecheck/manglecheck/analyzer/flow"

	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// ReceiverKind says how the engine knows a .name read is a function's.
type ReceiverKind uint8

const (
	// RecvFunc: a binding or literal that holds one known function/class.
	RecvFunc ReceiverKind = iota + 1
	// RecvConstructor: x.constructor, this.constructor,
	// Object.getPrototypeOf(x).constructor.
	RecvConstructor
	// RecvNewTarget: new.target.
	RecvNewTarget
	// RecvCallee: arguments.callee.
	RecvCallee
	// RecvCaller: fn.caller.
	RecvCaller
	// RecvParam: a parameter that known call sites pass functions or
	// classes to, or that the body uses as one.
	RecvParam
	// RecvStaticThis: this inside a static member, which is the class.
	RecvStaticThis
	// RecvProperty: a property some code stored a name into
	// (this.name = this.constructor.name), read back elsewhere.
	RecvProperty
)

func (k ReceiverKind) String() string {
	return [...]string{"", "function", "constructor", "new.target", "arguments.callee", "caller", "parameter", "static this", "property"}[k]
}

// Read is one place where code reads the runtime name of a function or
// class.
type Read struct {
	// Node is the member expression (`x.name` or `x["name"]`), or for
	// RecvProperty the property read.
	Node ast.Expression
	// Pos is the byte offset of the property name in Node (the `name` of
	// `x.name`): after inlining, the receiver may map to a call site while
	// the property still maps to the line that reads it.
	Pos      int
	Receiver ast.Expression
	Kind     ReceiverKind
	// Candidates are the functions and classes whose name this may be;
	// nil means any function or class (the receiver is not resolved).
	Candidates []*Func
	// Property is the property name for RecvProperty reads.
	Property string
	// Partial is set when Candidates come from the call sites the engine
	// can see (a parameter), so other values may reach the read too.
	Partial bool
	// Shared is set for a RecvProperty read of a property the bundle
	// also writes elsewhere than where the name is stored into it: the
	// value read may be what those writes put there (video.js stores a
	// tech's class name in name_, and every other component's name from
	// its options).
	Shared bool
}

// UseKind classifies what code does with a name value.
type UseKind uint8

const (
	// UseCompare: compared with strings (===, switch/case, includes,
	// startsWith, a regex test...).
	UseCompare UseKind = iota + 1
	// UseKey: a property, object or Map key (reg[C.name] = C,
	// map.set(x.constructor.name, ...), {[C.name]: ...}, name in obj).
	UseKey
	// UseStore: stored into a property (this.type = C.name).
	UseStore
	// UseSerialize: an object literal value (a type tag) or JSON.stringify.
	UseSerialize
	// UseMessage: log or error message text.
	UseMessage
	// UseArg: passed to a function the engine does not know.
	UseArg
)

func (k UseKind) String() string {
	return [...]string{"", "compare", "key", "store", "serialize", "message", "argument"}[k]
}

// Use is one thing code does with a name value.
type Use struct {
	Kind UseKind
	// Read is where the value came from.
	Read *Read
	// Node is the using construct (the comparison, the member expression,
	// the call); Pos is its byte offset.
	Node ast.Node
	Pos  int
	// Strings are the literals a comparison tests against, Regexps the
	// regular expression sources.
	Strings []string
	Regexps []string
	// Derivation says how the value was transformed first (concatenated,
	// templated, case-converted), step by step; empty when it was not.
	Derivation Derivation
	// Key is the property name of a store or the object key of a
	// serialized value; Callee the called function's text for messages and
	// arguments (e.g. "console.log", "customElements.define").
	Key    string
	Callee string
	// Assign is set for keys written to (reg[C.name] = C).
	Assign bool
	// Fallback is set for a lookup that falls back to its key when it
	// misses (labels[k] ?? k, labels[k] || k): a display table, whose
	// miss shows the name itself; only a table that holds a source name
	// shows something else after minification.
	Fallback bool
	// Guards are the classes C of reference tests that decide what a
	// comparison does (x instanceof C || x.constructor.name === "C",
	// instanceGuards): the name test only matters for another copy of C.
	Guards []*Func
	// GuardNames are the property names of the guards' classes the flows
	// do not resolve (e instanceof errors.DelayedError).
	GuardNames []string
}

// Derived reports whether the value was transformed before this use.
func (u *Use) Derived() bool {
	return slices.ContainsFunc(u.Derivation, func(st Step) bool { return st.Op != StepOther && st.Op != StepOtherReturn })
}

// Mixed reports whether what is used may also be a value other than the
// name: it went through a conditional or a logical operator whose other
// branch is something else (`typeof t == "string" ? t : t.name`), or a
// function that also returns something else.
func (u *Use) Mixed() bool {
	return slices.ContainsFunc(u.Derivation, func(st Step) bool { return st.Op == StepOther || st.Op == StepOtherReturn })
}

// ReturnsOther reports whether what is used may be another string a
// function returns beside the name (StepOtherReturn).
func (u *Use) ReturnsOther() bool {
	return slices.ContainsFunc(u.Derivation, func(st Step) bool { return st.Op == StepOtherReturn })
}

// flows are the things that carry a name value beyond one expression.
type flows struct {
	bindings map[*scope.Binding]flowSrc
	funcs    map[*Func]flowSrc
	props    map[string]flowSrc
	done     map[ast.Node]bool
}

type flowSrc struct {
	read *Read
	d    Derivation
}

// findReads walks the program until no new flows appear (a few rounds at
// most: values flow through variables, parameters, returns and
// properties).
func (f *Facts) findReads(prg *ast.Program) {
	f.flows = &flows{
		bindings: map[*scope.Binding]flowSrc{},
		funcs:    map[*Func]flowSrc{},
		props:    map[string]flowSrc{},
		done:     map[ast.Node]bool{},
	}
	for round := 0; round < 4; round++ {
		before := len(f.flows.bindings) + len(f.flows.funcs) + len(f.flows.props)
		f.readRound(prg)
		if len(f.flows.bindings)+len(f.flows.funcs)+len(f.flows.props) == before {
			break
		}
	}
}

func (f *Facts) readRound(prg *ast.Program) {
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		// A cheap filter first: this runs on every node of the bundle.
		var e ast.Expression
		switch x := n.(type) {
		case *ast.DotExpression:
			if x.Identifier.Name == "name" || len(f.flows.props) > 0 {
				e = x
			}
		case *ast.BracketExpression:
			if s, ok := x.Member.(*ast.StringLiteral); ok && s.Value == "name" {
				e = x
			}
		case *ast.Identifier:
			if len(f.flows.bindings) > 0 {
				e = x
			}
		case *ast.CallExpression:
			if len(f.flows.funcs) > 0 {
				e = x
			}
		}
		if e != nil && !f.flows.done[n] {
			if src, d, ok := f.valueAt(e, stack); ok {
				f.flows.done[n] = true
				f.flowUp(e, stack, src, d)
			}
		}
		return true
	})
}

// valueAt reports whether e (whose ancestors are stack) is a name value:
// a .name read of a function, or a reference to something a name flowed
// into.
func (f *Facts) valueAt(e ast.Expression, stack []ast.Node) (*Read, Derivation, bool) {
	parent := top(stack)
	if isWriteTarget(e, parent) {
		return nil, nil, false
	}
	switch x := e.(type) {
	case *ast.DotExpression:
		if x.Identifier.Name == "name" {
			if r := f.nameRead(x, x.Left, stack); r != nil {
				return r, nil, true
			}
		}
		if src, ok := f.flows.props[x.Identifier.Name.String()]; ok {
			holds, unseen := f.propertyHoldsName(x, src.read.Candidates)
			if !holds {
				break
			}
			// A receiver the flows do not see may be an object from
			// outside, whose property holds something else (a
			// DOMException's name): the candidates are a sample.
			r := &Read{Node: x, Pos: memberPos(x), Receiver: x.Left, Kind: RecvProperty,
				Candidates: src.read.Candidates, Property: x.Identifier.Name.String(), Partial: src.read.Partial || unseen,
				Shared: f.PropertyUse(x.Identifier.Name.String()).Writes > 1}
			f.Reads = append(f.Reads, r)
			return r, src.d, true
		}
	case *ast.BracketExpression:
		if s, ok := x.Member.(*ast.StringLiteral); ok && s.Value == "name" {
			if r := f.nameRead(x, x.Left, stack); r != nil {
				return r, nil, true
			}
		}
	case *ast.Identifier:
		if b := f.Scope.Resolve(x); b != nil {
			if src, ok := f.flows.bindings[b]; ok {
				return src.read, src.d, true
			}
		}
	case *ast.CallExpression:
		if fns := f.callees(x.Callee, stack); len(fns) > 0 {
			for _, fn := range fns {
				if src, ok := f.flows.funcs[fn]; ok {
					return src.read, src.d, true
				}
			}
		} else if d, ok := x.Callee.(*ast.DotExpression); ok {
			if ms := f.methods[d.Identifier.Name.String()]; len(ms) == 1 {
				if src, ok := f.flows.funcs[ms[0]]; ok {
					return src.read, src.d, true
				}
			}
		}
	}
	return nil, nil, false
}

func top(stack []ast.Node) ast.Node {
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

// isWriteTarget reports whether e is written, not read, by its parent.
func isWriteTarget(e ast.Expression, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.AssignExpression:
		return p.Left == e
	case *ast.UnaryExpression:
		return isUpdate(p.Operator)
	case *ast.ForIntoExpression:
		return true
	}
	return false
}

// isElementType reports x.type (or x.type.displayName's x.type): the type
// of a React-style element.
func isElementType(recv ast.Expression) bool {
	d, ok := recv.(*ast.DotExpression)
	return ok && d.Identifier.Name == "type"
}

// nameRead classifies the receiver of a .name read and records the read;
// nil when the receiver is plain data as far as the engine can tell.
func (f *Facts) nameRead(node, recv ast.Expression, stack []ast.Node) *Read {
	kind, cands, ok := f.receiver(recv, stack)
	partial := kind == RecvParam || kind == RecvConstructor && isParamRef(f, recv)
	// The value flows know more than the receiver's shape whenever the
	// receiver is not one binding holding one function: arrays and
	// for-of, objects, calls, Maps, promises. They also say whether the
	// set is complete (no value from code outside the bundle).
	// A partial set adds candidates only where the receiver's shape
	// already says it is a function (a parameter fed functions, x.constructor):
	// on its own, a set mixed with values from outside the bundle is no
	// evidence that .name is a function's (three.js reads the
	// constructor name of image data that may be anything).
	// An element's type (el.type.name, the first argument of
	// createElement, h or jsx) is a component by what it is for: a
	// partial set counts there too.
	// x.constructor of a class's own this is the class or a subclass: a
	// complete set from the flows that holds the class's family counts
	// over the extends clauses the bundle spells (uglify-js reuses the
	// variable of a superclass for other values, hiding its subclasses).
	fk, fc, fpartial, fok := f.flowReceiver(recv, stack)
	widen := ok && kind == RecvConstructor && fok && !fpartial && len(fc) > len(cands) && containsAll(fc, cands)
	if fok && (widen || (!ok || cands == nil || partial) && (!fpartial || ok || isElementType(recv))) {
		if !ok {
			kind = fk
		}
		cands, partial, ok = fc, fpartial, true
	}
	if !ok || f.deadDefault(node, stack) {
		return nil
	}
	r := &Read{Node: node, Pos: memberPos(node), Receiver: recv, Kind: kind, Candidates: cands, Partial: partial}
	f.Reads = append(f.Reads, r)
	return r
}

// deadDefault reports whether node (whose ancestors are stack) is in the
// default value of a parameter that every known call of its function
// passes: svg.js's register(element, name = element.name) is called as
// register(Box, "Box") everywhere in the bundle, so the default never
// names anything. A call that leaves the argument out (or passes
// undefined, or spreads) keeps it.
func (f *Facts) deadDefault(node ast.Node, stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 1; i-- {
		b, ok := stack[i].(*ast.Binding)
		if !ok {
			continue
		}
		pl, ok := stack[i-1].(*ast.ParameterList)
		if !ok || i < 2 || b.Initializer == nil {
			return false
		}
		at := slices.Index(pl.List, b)
		fn := f.byNode[stack[i-2]]
		if at < 0 || fn == nil || f.vals == nil {
			return false
		}
		sites := f.vals.perFunc[fn.id].sites
		if len(sites) == 0 {
			return false
		}
		for _, site := range sites {
			var args []ast.Expression
			switch c := site.node.(type) {
			case *ast.CallExpression:
				args = c.ArgumentList
			case *ast.NewExpression:
				args = c.ArgumentList
			default:
				return false
			}
			if len(args) <= at || slices.ContainsFunc(args[:at+1], func(a ast.Expression) bool { _, ok := a.(*ast.SpreadElement); return ok }) || undefinedValue(args[at]) {
				return false
			}
		}
		return true
	}
	return false
}

// undefinedValue reports undefined and void 0.
func undefinedValue(e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.Identifier:
		return x.Name == "undefined"
	case *ast.UnaryExpression:
		return x.Operator == token.VOID
	}
	return false
}

// containsAll reports whether every function of sub is in set.
func containsAll(set, sub []*Func) bool {
	for _, fn := range sub {
		if !slices.Contains(set, fn) {
			return false
		}
	}
	return true
}

// maxFlowCandidates is the largest candidate set the flows give a read:
// a larger one (three.js's image.data.constructor reaching the instances
// of 46 classes through context-insensitive calls) is more likely the
// analysis's imprecision than a registry of that many classes.
const maxFlowCandidates = 16

// flowReceiver resolves a .name receiver through the value flows: ok
// when it holds functions or classes and nothing else the flows know of;
// partial when it may also hold values from outside the bundle.
func (f *Facts) flowReceiver(recv ast.Expression, stack []ast.Node) (ReceiverKind, []*Func, bool, bool) {
	fns, complete, other := f.vals.funcsIn(f.vals.withoutNameless(f.vals.of(recv, stack)))
	if len(fns) == 0 || other || len(fns) > maxFlowCandidates {
		return 0, nil, false, false
	}
	kind := RecvFunc
	switch x := recv.(type) {
	case *ast.DotExpression:
		if x.Identifier.Name == "constructor" {
			kind = RecvConstructor
		}
	case *ast.Identifier:
		if b := f.Scope.Resolve(x); b != nil && b.Kind == scope.Param {
			kind = RecvParam
		}
	}
	return kind, dedupe(fns), !complete, true
}

// withoutNameless drops from vals the arrays, Maps and Sets no code
// writes a "name" field on: their .name is undefined, so they add no
// name to a read (uglify-js reuses one variable for a class and, later,
// an array of results: e.name still names only the class).
func (v *values) withoutNameless(vals []flow.Value) []flow.Value {
	name, ok := v.keys["name"]
	var out []flow.Value
	for i, x := range vals {
		switch v.vals[x].kind {
		case vkArr, vkMap, vkSet:
			if !ok || !v.isWritten(x, name) {
				if out == nil {
					out = append(make([]flow.Value, 0, len(vals)), vals[:i]...)
				}
				continue
			}
		}
		if out != nil {
			out = append(out, x)
		}
	}
	if out == nil {
		return vals
	}
	return out
}

// receiver resolves what a .name receiver is. ok is false for plain data.
func (f *Facts) receiver(recv ast.Expression, stack []ast.Node) (ReceiverKind, []*Func, bool) {
	switch x := recv.(type) {
	case *ast.Identifier:
		b := f.Scope.Resolve(x)
		if b == nil {
			return 0, nil, false
		}
		if fn := f.values[b]; fn != nil {
			return RecvFunc, []*Func{fn}, true
		}
		if b.Kind == scope.Param {
			if args := f.paramArgs[b]; len(args) > 0 {
				return RecvParam, dedupe(args), true
			}
			if f.funcLike[b] {
				return RecvParam, nil, true
			}
		}
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
		return RecvFunc, []*Func{f.byNode[x]}, true
	case *ast.ThisExpression:
		if c := enclosingStaticClass(f, stack); c != nil {
			return RecvStaticThis, c.Family(), true
		}
		if c := staticMethodClass(f, stack); c != nil {
			return RecvStaticThis, c.Family(), true
		}
	case *ast.MetaProperty:
		if x.Meta != nil && x.Meta.Name == "new" {
			fn, cls := enclosingFunction(f, stack)
			switch {
			case cls != nil:
				return RecvNewTarget, cls.Family(), true
			case fn != nil:
				return RecvNewTarget, []*Func{fn}, true
			}
			return RecvNewTarget, nil, true
		}
	case *ast.DotExpression:
		switch x.Identifier.Name {
		case "constructor":
			return RecvConstructor, f.instanceOf(x.Left, stack), true
		case "callee":
			if id, ok := x.Left.(*ast.Identifier); ok {
				if b := f.Scope.Resolve(id); b != nil && b.Kind == scope.Arguments {
					if fn := f.byNode[b.Scope.Node]; fn != nil {
						return RecvCallee, []*Func{fn}, true
					}
				}
			}
		case "caller":
			return RecvCaller, nil, true
		case "prototype":
			// X.prototype.name is a property of the prototype, not a name.
		}
	case *ast.CallExpression:
		// __name(class {...}, "X").name and similar.
		if fn := f.Resolve(x); fn != nil {
			return RecvFunc, []*Func{fn}, true
		}
	}
	return 0, nil, false
}

// isParamRef reports whether x.constructor's x is a parameter.
func isParamRef(f *Facts, recv ast.Expression) bool {
	d, ok := recv.(*ast.DotExpression)
	if !ok {
		return false
	}
	id, ok := d.Left.(*ast.Identifier)
	if !ok {
		return false
	}
	b := f.Scope.Resolve(id)
	return b != nil && b.Kind == scope.Param
}

// instanceOf returns the classes whose instance x is, for x.constructor;
// nil when unknown (any class).
func (f *Facts) instanceOf(x ast.Expression, stack []ast.Node) []*Func {
	switch x := x.(type) {
	case *ast.ThisExpression:
		if c := instanceClass(f, stack); c != nil {
			return c.Family()
		}
	case *ast.Identifier:
		if c := f.newOf(x); c != nil {
			return []*Func{c}
		}
		// A parameter that every known call site passes an instance of a
		// known class.
		if b := f.Scope.Resolve(x); b != nil && b.Kind == scope.Param {
			if inst := f.paramInstances[b]; len(inst) > 0 && len(inst) == f.paramCalls[b] {
				return dedupe(inst)
			}
		}
	case *ast.NewExpression:
		if fn := f.Resolve(x.Callee); fn != nil {
			return []*Func{fn}
		}
	case *ast.DotExpression:
		// X.prototype.constructor is X.
		if x.Identifier.Name == "prototype" {
			if fn := f.Resolve(x.Left); fn != nil {
				return []*Func{fn}
			}
		}
	case *ast.CallExpression:
		// Object.getPrototypeOf(this).constructor
		if d, ok := x.Callee.(*ast.DotExpression); ok && d.Identifier.Name == "getPrototypeOf" && len(x.ArgumentList) == 1 {
			return f.instanceOf(x.ArgumentList[0], stack)
		}
	}
	return nil
}

// instanceClass returns the class whose instance `this` is at the top of
// stack (inside a non-static method, constructor or instance field), or nil.
func instanceClass(f *Facts, stack []ast.Node) *Func {
	for i := len(stack) - 1; i > 0; i-- {
		switch n := stack[i].(type) {
		case *ast.ArrowFunctionLiteral:
			continue
		case *ast.FunctionLiteral:
			if m, ok := stack[i-1].(*ast.MethodDefinition); ok && !m.Static && i >= 2 {
				if c, ok := stack[i-2].(*ast.ClassLiteral); ok {
					return f.byNode[c]
				}
			}
			return nil
		case *ast.FieldDefinition:
			if c, ok := stack[i-1].(*ast.ClassLiteral); ok && !n.Static {
				return f.byNode[c]
			}
			return nil
		case *ast.ClassStaticBlock, *ast.ClassLiteral:
			return nil
		}
	}
	return nil
}

// staticMethodClass returns the class whose static method the top of
// stack is in, or nil.
func staticMethodClass(f *Facts, stack []ast.Node) *Func {
	for i := len(stack) - 1; i > 0; i-- {
		switch stack[i].(type) {
		case *ast.ArrowFunctionLiteral:
			continue
		case *ast.FunctionLiteral:
			if m, ok := stack[i-1].(*ast.MethodDefinition); ok && m.Static && i >= 2 {
				if c, ok := stack[i-2].(*ast.ClassLiteral); ok {
					return f.byNode[c]
				}
			}
			return nil
		case *ast.ClassLiteral, *ast.FieldDefinition, *ast.ClassStaticBlock:
			return nil
		}
	}
	return nil
}

// enclosingFunction returns the innermost non-arrow function around the
// top of stack, and the class when that function is a class constructor.
func enclosingFunction(f *Facts, stack []ast.Node) (*Func, *Func) {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FunctionLiteral:
			if i >= 2 {
				if m, ok := stack[i-1].(*ast.MethodDefinition); ok {
					if k, _ := propName(m.Key, m.Computed); k == "constructor" && !m.Static {
						if c, ok := stack[i-2].(*ast.ClassLiteral); ok {
							return f.byNode[n], f.byNode[c]
						}
					}
				}
			}
			return f.byNode[n], nil
		case *ast.ClassLiteral:
			return nil, nil
		}
	}
	return nil, nil
}

func dedupe(fs []*Func) []*Func {
	seen := make(map[*Func]bool, len(fs))
	out := fs[:0:0]
	for _, fn := range fs {
		if !seen[fn] {
			seen[fn] = true
			out = append(out, fn)
		}
	}
	return out
}

// isEquality reports ===, ==, !== and !=.
func isEquality(op token.Token) bool {
	switch op {
	case token.STRICT_EQUAL, token.EQUAL, token.STRICT_NOT_EQUAL, token.NOT_EQUAL:
		return true
	}
	return false
}

// memberPos is the byte offset of a member expression's property.
func memberPos(n ast.Expression) int {
	switch x := n.(type) {
	case *ast.DotExpression:
		return scope.Offset(x.Identifier.Idx)
	case *ast.BracketExpression:
		return walk.Start(x.Member)
	}
	return walk.Start(n)
}

// propertyHoldsName reports whether the property read x may read the
// name the classes cands stored in that property (this.name =
// this.constructor.name, cl.prototype.name = cl.name): the flows see an
// instance of one of them reach the receiver, or they cannot follow it
// and it is a catch parameter or a parameter (a caught error, an error
// handed to a handler; also through an assignment, uglify-js's
// (e=r).name) that no instance of another class reaches. Anything else
// is no evidence: an instance of another class reads its own data
// (pixi.js's extension descriptors with name: "rectangle"), and a value a
// call returned may come from the host (pixi.js read WebGL's
// gl.getActiveAttrib(…).name). unseen says the receiver was accepted
// without the flows seeing it: an object from outside may be there too.
func (f *Facts) propertyHoldsName(x *ast.DotExpression, cands []*Func) (holds, unseen bool) {
	vals := f.vals.of(x.Left, nil)
	unknown, other := len(vals) == 0, false
	for _, val := range vals {
		switch a := f.vals.vals[val]; a.kind {
		case vkUnknown:
			unknown = true
		case vkInst:
			if slices.Contains(cands, a.fn) {
				return true, false
			}
			other = true
		}
	}
	holds = unknown && !other && f.caughtOrParam(x.Left)
	return holds, holds
}

// caughtOrParam reports whether e is a catch parameter or a parameter,
// read directly or as the value of a plain assignment ((e=r).name).
func (f *Facts) caughtOrParam(e ast.Expression) bool {
	for {
		a, ok := e.(*ast.AssignExpression)
		if !ok || a.Operator != token.ASSIGN {
			break
		}
		e = a.Right
	}
	id, ok := e.(*ast.Identifier)
	if !ok {
		return false
	}
	b := f.Scope.Resolve(id)
	return b != nil && (b.Kind == scope.Catch || b.Kind == scope.Param)
}

// reachedByInstance reports whether the flows see an instance of one of
// cands reach e.
func (f *Facts) reachedByInstance(e ast.Expression, cands []*Func) bool {
	for _, x := range f.vals.of(e, nil) {
		if a := f.vals.vals[x]; a.kind == vkInst && slices.Contains(cands, a.fn) {
			return true
		}
	}
	return false
}
