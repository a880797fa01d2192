package names

import (
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// The value flows of a bundle: which functions, classes, instances and
// objects every variable, parameter, property and element may hold,
// computed once per file by package flow's solver and read by every rule
// (through Read.Candidates and the stores of stores.go).
//
// Abstract values are named by allocation site: a function or class by
// its node, the instances of a class by the class, an object, array, Map
// or Set by the expression that creates it. Properties are
// field-sensitive (a field per value and property name); computed keys
// and elements share one field, elemKey. Calls bind arguments to the
// parameters of every function the callee may be, returns flow back, and
// methods get their receiver as `this`. Code the bundle does not contain
// (host objects, globals, callbacks handed to the DOM) is Unknown, and a
// function that escapes to it gets Unknown parameters.

// valKind says what an abstract value is.
type valKind uint8

const (
	vkUnknown valKind = iota
	vkFunc            // a function or class (Func)
	vkInst            // the instances of a class or constructor function
	vkObj             // an object literal or Object.create(...)
	vkArr             // an array literal, rest parameter, arguments, Array.from(...)
	vkMap             // new Map / new WeakMap
	vkSet             // new Set / new WeakSet
	vkPair            // the [key, value] entries of a Map or of Object.entries
	vkGlobal          // the global object (window, globalThis, self)
	vkBuiltin         // a built-in function or namespace the flows model
	vkSource          // a string holding the source text of a function (values_source.go)
	vkStack           // a string holding a stack trace or a call site's function name (values_stack.go)
	vkPackage         // a value of a package the bundle imports and does not contain (packages.go)
)

// absValue is one abstract value.
type absValue struct {
	kind valKind
	fn   *Func       // vkFunc, vkInst
	node ast.Node    // allocation site (vkObj, vkArr, vkMap, vkSet, vkPair); where a vkSource or vkStack was made
	bi   builtin     // vkBuiltin
	pkg  *packageRef // vkPackage
	// pairOf is the value whose entries a vkPair is (it shares that
	// value's element field).
	pairOf flow.Value
}

// builtin names a modelled built-in.
type builtin uint8

const (
	biNone builtin = iota
	biObject
	biReflect
	biArray
	biPromise
	biJSON
	biMap
	biWeakMap
	biSet
	biWeakSet
	biDefineProperty
	biGetPrototypeOf
	biCreate
	biAssign
	biValues
	biEntries
	biFromEntries
	biFreeze
	biArrayFrom
	biArrayOf
	biConstruct
	biApply
	biResolve
	biAll
	biParse
	biInert // a built-in whose calls neither return our values nor call them
)

var globalBuiltins = map[string]builtin{
	"Object": biObject, "Reflect": biReflect, "Array": biArray, "Promise": biPromise, "JSON": biJSON,
	"Map": biMap, "WeakMap": biWeakMap, "Set": biSet, "WeakSet": biWeakSet,
	"String": biInert, "Number": biInert, "Boolean": biInert, "Math": biInert, "Symbol": biInert,
	"parseInt": biInert, "parseFloat": biInert, "isNaN": biInert, "encodeURIComponent": biInert,
	"decodeURIComponent": biInert, "Date": biInert, "RegExp": biInert, "Error": biInert, "TypeError": biInert,
	"RangeError": biInert, "console": biInert,
}

var memberBuiltins = map[builtin]map[string]builtin{
	biObject: {"defineProperty": biDefineProperty, "getPrototypeOf": biGetPrototypeOf, "create": biCreate,
		"assign": biAssign, "values": biValues, "entries": biEntries, "fromEntries": biFromEntries,
		"freeze": biFreeze, "seal": biFreeze, "setPrototypeOf": biFreeze, "keys": biInert,
		"getOwnPropertyNames": biInert, "defineProperties": biFreeze, "is": biInert,
		// Tests and reads that neither keep nor call what they are given
		// (webpack's runtime checks hasOwn before defining a namespace).
		"hasOwn": biInert, "getOwnPropertyDescriptor": biInert, "getOwnPropertyDescriptors": biInert,
		"getOwnPropertySymbols": biInert, "isFrozen": biInert, "isSealed": biInert, "isExtensible": biInert,
		"preventExtensions": biFreeze},
	biReflect: {"construct": biConstruct, "apply": biApply, "getPrototypeOf": biGetPrototypeOf,
		"defineProperty": biInert, "ownKeys": biInert, "has": biInert, "get": biInert, "set": biInert,
		"getMetadata": biInert, "defineMetadata": biInert, "metadata": biInert},
	biArray:   {"from": biArrayFrom, "of": biArrayOf, "isArray": biInert},
	biPromise: {"resolve": biResolve, "all": biAll, "allSettled": biAll, "race": biAll, "any": biAll},
	biJSON:    {"parse": biParse, "stringify": biInert},
}

// Constraint kinds (flow.Constraint.Kind).
const (
	cLoad    uint8 = iota + 1 // Dst ⊇ value.Key (and the elements field, the prototype chain)
	cLoadAll                  // Dst ⊇ every field of value
	cStore                    // value.Key ⊇ Aux (a Var)
	cCall                     // call site Aux with value as callee
	cMethod                   // call site Aux, value is the receiver of method Key
	cForOf                    // Dst ⊇ what iterating value yields
	cEscape                   // value reaches code the bundle does not contain
	cCopy                     // every field of value is copied into each value of Aux (a Var)
	cSuper                    // value is a superclass of class Aux (a Func index)
	cText                     // Dst ⊇ the text of value: a function's source, or the text itself
	cDefine                   // value is a descriptor's get or value for property Key of the objects of Dst (values_solve.go defineProperty)
	cTexts                    // Dst ⊇ value when it is a text or Unknown (narrowed.go)
)

// elemKey is the field of elements and computed keys.
const elemKey int32 = 0

// callSite is one call or new expression.
type callSite struct {
	node   ast.Node
	args   []flow.Var
	spread []bool
	this   flow.Var // receiver of a method call, or NoVar
	result flow.Var
	isNew  bool
	// super is set for super(...) calls: the callee's instance is the
	// caller's this.
	super bool
	// alloc is the value this site allocates (Object.values(x), new
	// Map...), made on first use.
	alloc flow.Value
	// escaped is set once the arguments were sent to Unknown.
	escaped bool
	// resolved is set when some callee value other than Unknown reached
	// the site.
	resolved bool
}

// funcState is what the flows know of one function or class.
type funcState struct {
	params []flow.Var // one per position (destructured ones too)
	rest   flow.Var   // the rest parameter's array, or NoVar
	this   flow.Var
	ret    flow.Var
	args   flow.Value // the arguments object, once used (0: none)
	arrow  bool
	// ctor is set for a class with a constructor of its own; one without
	// passes its arguments and its instance on to its superclass's.
	ctor bool
	fn   *Func
	// escaped is set once code outside the bundle may call the function.
	escaped bool
}

// objState is what the flows know of one object value.
type objState struct {
	// fields are the value's fields in creation order; index finds one
	// by key once there are more than fieldScan.
	fields []objField
	index  map[int32]flow.Var
	// written marks the keys a store or an object literal writes (a
	// setter writes one without making its field).
	written map[int32]bool
	// all takes every field (NoVar until some code reads them all);
	// copies are variables whose values take a copy of every field.
	all     flow.Var
	copies  []flow.Var
	escaped bool
}

// objField is one field of an object value: its key and variable.
type objField struct {
	key int32
	x   flow.Var
}

// fieldScan is the most fields of one value looked up by scanning; past
// it they are indexed (a class's instances can have hundreds).
const fieldScan = 16

// lookup returns the variable of field key, or NoVar.
func (o *objState) lookup(key int32) flow.Var {
	if o.index != nil {
		if x, ok := o.index[key]; ok {
			return x
		}
		return flow.NoVar
	}
	for _, fl := range o.fields {
		if fl.key == key {
			return fl.x
		}
	}
	return flow.NoVar
}

// addField records field key's variable x.
func (o *objState) addField(key int32, x flow.Var) {
	o.fields = append(o.fields, objField{key, x})
	switch {
	case o.index != nil:
		o.index[key] = x
	case len(o.fields) > fieldScan:
		o.index = make(map[int32]flow.Var, 2*len(o.fields))
		for _, fl := range o.fields {
			o.index[fl.key] = fl.x
		}
	}
}

// values is the solved value flow of one file.
type values struct {
	// pkgVals are the values of modelled packages (packages.go),
	// pkgCalls the package values each call site was found to call, in
	// pkgCallOrder.
	pkgVals      map[packageKey]flow.Value
	pkgCalls     map[*callSite][]flow.Value
	pkgCallOrder []*callSite
	// verVars are the variables of the versions of split bindings
	// (versions.go), by binding and version.
	verVars map[*scope.Binding][]flow.Var

	f       *Facts
	s       *flow.Solver
	vals    []absValue
	bindVar []flow.Var
	// objs are the object states by value (nil: none yet).
	objs    []*objState
	keys    map[string]int32
	keyName []string
	// perFunc is what the flows know of each function or class, by
	// Func.id.
	perFunc []funcFlows
	// homeOf caches home(val, k) for keys other than the constructor
	// (0: not computed yet).
	homeOf []flow.Value
	srcVal map[srcKey]flow.Value
	// textAt are the expressions cText constraints make text at (Aux).
	textAt []ast.Node
	allocs map[ast.Node]flow.Value
	calls  []*callSite
	global flow.Value
	escape flow.Var
	// biVals are the built-ins' values (0: not made yet).
	biVals [biInert + 1]flow.Value
	// exprs remembers the variable of expressions rules ask about again:
	// member bases of keyed stores and reads (see stores.go).
	exprs map[ast.Node]flow.Var
	// cur is the function whose body the generator is in (nil at top
	// level); curThis the variable `this` is there.
	cur     *funcState
	curThis flow.Var
	// dynStores are the computed-key writes obj[k] = v, for stores.go.
	dynStores []*ast.AssignExpression
	// propObj is the object literal of each property.
	propObj   map[ast.Node]flow.Value
	pairs     map[flow.Value]flow.Value
	sitePairs map[*callSite]flow.Value
	unknown   flow.Var
	// notCode marks the concatenations and templates that make no code
	// of a function (dataText).
	notCode map[ast.Node]bool
	ctorKey int32
	// storable marks the keys (by id) some code may store a tracked
	// value under (findStorable).
	storable []bool
	// entryInits are the Maps and objects built from entry lists.
	entryInits []entryInit
	// propOf is the property a binding was destructured from
	// (`({type}) => …` binds type from .type).
	propOf map[*scope.Binding]string
	// loads are the variables of the loads made, by object variable and
	// key: obj.k holds the same values wherever it is read (the flows are
	// flow-insensitive), so the reads share one variable and one
	// constraint (three.js: a third of the loads repeat one, most of
	// them this.k).
	loads map[loadKey]flow.Var
	// narrowed are the bindings a type test shows to be primitives in
	// the statements the generator is in, texts the variables that keep
	// only the texts of theirs (narrowed.go).
	narrowed map[*scope.Binding]bool
	texts    map[flow.Var]flow.Var
}

// funcFlows are the values and state of one function or class: its
// value, its instances' value (0 until made) and its funcState (nil until
// made).
type funcFlows struct {
	val, inst flow.Value
	st        *funcState
	// supers are the classes its extends clause may be, superSites its
	// super(...) calls, bound again to each superclass that becomes
	// known.
	supers     []*Func
	superSites []*callSite
	// superVar holds what the extends clause evaluates to; NoVar for a
	// class without one (0 until the class is generated).
	superVar flow.Var
	// insts holds the instances of the class and of its subclasses
	// (allInstances; 0 until made).
	insts flow.Var
	// sites are the call sites bound to it (bindCall), for
	// Facts.PassedAt.
	sites []*callSite
}

// setBound is the largest value set kept; past it a set is Unknown.
const setBound = 48

// The solver's work is bounded by the program's size: stepsPerNode
// propagations per AST node, plus a floor for small programs. Real
// bundles take 1-100 steps per node (three.js 14, react-dom 59, vue 94);
// a program past the bound keeps the engine's answers without the flows
// (Facts.of answers nothing), so the time a check takes stays linear.
const (
	stepsPerNode = 24
	stepsFloor   = 2_000_000
)

// buildValues builds and solves the value flows of the program.
func (f *Facts) buildValues(prg *ast.Program) *values {
	v := &values{
		f:       f,
		keys:    map[string]int32{"[]": elemKey},
		keyName: []string{"[]"},
		perFunc: make([]funcFlows, len(f.Funcs)+len(f.linked)),
		srcVal:  map[srcKey]flow.Value{},
		allocs:  map[ast.Node]flow.Value{},
		// About one node in 25 is a member base other than an
		// identifier or a text rules ask about (three.js: 78,000 of 2
		// million): sized once, not grown.
		exprs:     make(map[ast.Node]flow.Var, f.preorder.n/24),
		propObj:   map[ast.Node]flow.Value{},
		pairs:     map[flow.Value]flow.Value{},
		sitePairs: map[*callSite]flow.Value{},
		unknown:   flow.NoVar,
		propOf:    map[*scope.Binding]string{},
		loads:     make(map[loadKey]flow.Var, f.preorder.n/16),
	}
	v.ctorKey = v.key("constructor")
	v.s = flow.New(v, setBound)
	v.s.Limit = stepsFloor + stepsPerNode*f.preorder.n
	v.vals = append(v.vals, absValue{kind: vkUnknown})
	v.global = v.newValue(absValue{kind: vkGlobal})
	v.escape = v.s.NewVar()
	v.s.Attach(v.escape, flow.Constraint{Kind: cEscape})
	v.bindVar = make([]flow.Var, len(f.Scope.Bindings))
	for i := range v.bindVar {
		v.bindVar[i] = flow.NoVar
	}
	v.curThis = flow.NoVar
	vs := f.newVersionScan()
	shims := v.findStorable(vs)
	if vs != nil {
		vs.finish()
	}
	f.findRequireShims(shims)
	// An import binding holds what the module it names exports: what
	// another chunk checked with this one exports (linked.go), else
	// something this file does not show.
	if f.Scope.Root.Kind == scope.Module { // only modules import
		linked := map[*scope.Binding]bool{}
		for _, l := range f.linkedTo {
			v.s.Add(v.binding(l.b), v.funcValue(l.fn))
			linked[l.b] = true
		}
		for _, b := range f.Scope.Root.Bindings() {
			if b.Kind == scope.Import && !linked[b] {
				v.s.Add(v.binding(b), flow.Unknown)
				v.importPackage(b)
			}
		}
	}
	for _, st := range prg.Body {
		v.stmt(st)
	}
	for _, b := range f.exported {
		v.s.Edge(v.binding(b), v.escape)
	}
	v.s.Solve()
	// Calls whose callee no value reached are calls into code the bundle
	// does not contain (a host API, a parameter nobody passes): their
	// arguments escape. Escaping gives parameters Unknown, which can
	// resolve more callees to Unknown: a few rounds settle it.
	for round := 0; round < 4 && !v.s.Truncated; round++ {
		changed := false
		for _, c := range v.calls {
			if !c.resolved && !c.escaped && !v.missingMethod(c) {
				v.escapeArgs(c)
				changed = true
			}
		}
		if !changed {
			break
		}
		v.s.Solve()
	}
	v.s.Release()
	return v
}

// missingMethod reports whether c calls a method its receiver does not
// have: every value the receiver may be is an object literal, array, Map,
// Set, function or instance whose members the flows know, and none of
// them holds the method.
// Such a call throws, or sits behind a test (Array.isArray(x) &&
// x.map(cb)) that keeps it from running; either way no code outside the
// bundle gets the arguments. An object that escaped, or that took a
// spread of Unknown, has Unknown among its fields: the method load then
// reached the site and resolved it.
func (v *values) missingMethod(c *callSite) bool {
	if c.this == flow.NoVar || c.super {
		return false
	}
	recv := v.s.Values(c.this)
	if len(recv) == 0 {
		return false
	}
	for _, x := range recv {
		switch a := v.vals[x]; a.kind {
		case vkArr, vkMap, vkSet, vkPair:
		case vkObj:
			if _, ok := a.node.(*ast.ObjectLiteral); !ok || v.mayHaveMore(x) {
				return false
			}
		case vkInst, vkFunc:
			// A function's own methods are call, apply and bind, which
			// resolve the site; its static members, and a class's
			// inherited ones, are what the flows store on it.
			if !v.knownPrototype(a.fn, 0) || v.mayHaveMore(x) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// mayHaveMore reports whether the object val may have members the flows
// do not show: it reached code outside the bundle, or took a spread or
// Object.assign of Unknown. (A load of a key nobody stores is not made,
// so such members never reach a call site.)
func (v *values) mayHaveMore(val flow.Value) bool {
	val = v.home(val, elemKey)
	if o := v.objIfAny(val); o != nil && o.escaped {
		return true
	}
	if x := v.fieldIfAny(val, elemKey); x != flow.NoVar {
		return slices.Contains(v.s.Values(x), flow.Unknown)
	}
	return false
}

// knownPrototype reports whether every member the instances of fn can
// have comes from code the flows see: a class whose extends clause is
// absent or only classes of the bundle of which the same holds, or a
// function whose prototype nothing replaces (F.prototype = …, the
// helpers of TypeScript's and Babel's class lowering) and whose
// instances get no __proto__. A class extending Unknown (HTMLElement, a
// package's base class) inherits methods that may call back.
func (v *values) knownPrototype(fn *Func, depth int) bool {
	if depth > 8 {
		return false
	}
	ff := &v.perFunc[fn.id]
	if fn.IsClass {
		if ff.superVar == 0 {
			return false // not generated
		}
		if ff.superVar == flow.NoVar {
			return true
		}
		sups := v.s.Values(ff.superVar)
		if len(sups) == 0 {
			return false
		}
		for _, x := range sups {
			if a := v.vals[x]; a.kind != vkFunc || !v.knownPrototype(a.fn, depth+1) {
				return false
			}
		}
		return true
	}
	return !fn.IsArrow && !v.holds(ff.val, "prototype") && !v.holds(ff.inst, "__proto__")
}

// holds reports whether the field key of val (0: none made) holds a
// value.
func (v *values) holds(val flow.Value, key string) bool {
	k, ok := v.keys[key]
	if val == 0 || !ok {
		return false
	}
	x := v.fieldIfAny(val, k)
	return x != flow.NoVar && len(v.s.Values(x)) > 0
}

func (v *values) newValue(a absValue) flow.Value {
	v.vals = append(v.vals, a)
	return flow.Value(len(v.vals) - 1)
}

func (v *values) key(name string) int32 {
	if k, ok := v.keys[name]; ok {
		return k
	}
	k := int32(len(v.keyName))
	v.keys[name] = k
	v.keyName = append(v.keyName, name)
	return k
}

// constVar returns a fresh variable holding one value.
func (v *values) constVar(val flow.Value) flow.Var {
	x := v.s.NewVar()
	v.s.Add(x, val)
	return x
}

// binding returns the variable of a binding.
func (v *values) binding(b *scope.Binding) flow.Var {
	if b == nil {
		return flow.NoVar
	}
	id := b.ID()
	if x := v.bindVar[id]; x != flow.NoVar {
		return x
	}
	x := v.s.NewVar()
	v.bindVar[id] = x
	return x
}

// refVar returns the variable a reference of binding b reads or writes:
// its version's when the binding is split (versions.go), else the
// binding's. A version flows into the binding, which holds them all.
func (v *values) refVar(id *ast.Identifier, b *scope.Binding) flow.Var {
	k, ok := v.f.versionOf[id]
	if !ok || b == nil {
		return v.binding(b)
	}
	vs := v.verVars[b]
	for int(k) >= len(vs) {
		x := v.s.NewVar()
		v.s.Edge(x, v.binding(b))
		vs = append(vs, x)
	}
	if v.verVars == nil {
		v.verVars = map[*scope.Binding][]flow.Var{}
	}
	v.verVars[b] = vs
	return vs[k]
}

// markWritten records that code writes value val's property key.
func (v *values) markWritten(val flow.Value, key int32) {
	o := v.obj(val)
	if o.written[key] {
		return
	}
	if o.written == nil {
		o.written = map[int32]bool{}
	}
	o.written[key] = true
}

// isWritten reports whether code writes value val's property key.
func (v *values) isWritten(val flow.Value, key int32) bool {
	o := v.objIfAny(val)
	return o != nil && o.written[key]
}

// home returns the value whose field key holds val's: the instances of
// a class hierarchy share their fields (but their constructor), so a
// load through `this` in a base class method, which holds the instances
// of every subclass, reads one field, not one per subclass.
func (v *values) home(val flow.Value, key int32) flow.Value {
	a := v.vals[val]
	if a.kind != vkInst || key == v.ctorKey {
		return val
	}
	if int(val) < len(v.homeOf) && v.homeOf[val] != 0 {
		return v.homeOf[val]
	}
	h := val
	root := a.fn
	for i := 0; i < 32 && root.Super != nil && root.Super != root; i++ {
		root = root.Super
	}
	if root != a.fn {
		h = v.instValue(root)
	}
	for int(val) >= len(v.homeOf) {
		v.homeOf = append(v.homeOf, 0)
	}
	v.homeOf[val] = h
	return h
}

// field returns the variable of value val's property key.
func (v *values) field(val flow.Value, key int32) flow.Var {
	val = v.home(val, key)
	o := v.obj(val)
	if x := o.lookup(key); x != flow.NoVar {
		return x
	}
	x := v.s.NewVar()
	// Recorded before the inherited members are linked: the extends
	// graph may lead back here.
	o.addField(key, x)
	a := v.vals[val]
	switch a.kind {
	case vkGlobal:
		// A global can be set, and called, by code outside the bundle.
		if bi, ok := globalBuiltins[v.keyName[key]]; ok {
			v.s.Add(x, v.builtinValue(bi))
		} else {
			v.s.Add(x, flow.Unknown)
		}
		v.s.Edge(x, v.escape)
	case vkInst, vkFunc:
		if a.fn.Linked != nil {
			// Defined in another chunk: what its members hold is not
			// seen here (the instances' constructor is the class).
			if a.kind == vkFunc || key != v.ctorKey {
				v.s.Add(x, flow.Unknown)
			}
			break
		}
		// Members are inherited along the extends chain.
		if key != v.ctorKey {
			for _, sup := range v.perFunc[a.fn.id].supers {
				from := v.funcValue(sup)
				if a.kind == vkInst {
					from = v.instValue(sup)
				}
				v.s.Edge(v.field(from, key), x)
			}
		}
	}
	if o.all != flow.NoVar {
		v.s.Edge(x, o.all)
	}
	for _, dst := range o.copies {
		v.s.Attach(dst, flow.Constraint{Kind: cStore, Key: key, Aux: int32(x)})
	}
	if o.escaped {
		v.s.Edge(x, v.escape)
	}
	return x
}

func (v *values) obj(val flow.Value) *objState {
	for int(val) >= len(v.objs) {
		v.objs = append(v.objs, nil)
	}
	o := v.objs[val]
	if o == nil {
		o = &objState{all: flow.NoVar}
		v.objs[val] = o
	}
	return o
}

// objIfAny returns val's object state, or nil when it has none.
func (v *values) objIfAny(val flow.Value) *objState {
	if int(val) < len(v.objs) {
		return v.objs[val]
	}
	return nil
}

// fieldIfAny returns the variable of a field that exists, or NoVar.
func (v *values) fieldIfAny(val flow.Value, key int32) flow.Var {
	if o := v.objIfAny(v.home(val, key)); o != nil {
		return o.lookup(key)
	}
	return flow.NoVar
}

// memoValue returns m[k], making it from a when absent; made says it
// was new.
func memoValue[K comparable](v *values, m map[K]flow.Value, k K, a absValue) (val flow.Value, made bool) {
	if val, ok := m[k]; ok {
		return val, false
	}
	val = v.newValue(a)
	m[k] = val
	return val, true
}

// alloc returns the value allocated at node n (one per site).
func (v *values) alloc(n ast.Node, kind valKind) flow.Value {
	val, _ := memoValue(v, v.allocs, n, absValue{kind: kind, node: n})
	return val
}

func (v *values) funcValue(fn *Func) flow.Value {
	ff := &v.perFunc[fn.id]
	if ff.val == 0 {
		ff.val = v.newValue(absValue{kind: vkFunc, fn: fn})
	}
	return ff.val
}

// allInstances returns the variable that holds the instances of the
// class fn and of every class that extends it (handleSuper links them).
func (v *values) allInstances(fn *Func) flow.Var {
	ff := &v.perFunc[fn.id]
	if ff.insts == 0 {
		ff.insts = v.s.NewVar()
		v.s.Add(ff.insts, v.instValue(fn))
	}
	return ff.insts
}

func (v *values) instValue(fn *Func) flow.Value {
	if val := v.perFunc[fn.id].inst; val != 0 {
		return val
	}
	val := v.newValue(absValue{kind: vkInst, fn: fn})
	v.perFunc[fn.id].inst = val
	// The instances' constructor property is the class.
	v.s.Add(v.field(val, v.ctorKey), v.funcValue(fn))
	return val
}

// funcValIfAny returns fn's value when the flows made one (fn may be
// nil).
func (v *values) funcValIfAny(fn *Func) (flow.Value, bool) {
	if fn == nil || v.perFunc[fn.id].val == 0 {
		return 0, false
	}
	return v.perFunc[fn.id].val, true
}

// instValIfAny returns the value of fn's instances when the flows made
// one.
func (v *values) instValIfAny(fn *Func) (flow.Value, bool) {
	if v.perFunc[fn.id].inst == 0 {
		return 0, false
	}
	return v.perFunc[fn.id].inst, true
}

// stateIfAny returns fn's state when the flows made one (fn may be nil).
func (v *values) stateIfAny(fn *Func) *funcState {
	if fn == nil {
		return nil
	}
	return v.perFunc[fn.id].st
}

func (v *values) builtinValue(b builtin) flow.Value {
	if v.biVals[b] == 0 {
		v.biVals[b] = v.newValue(absValue{kind: vkBuiltin, bi: b})
	}
	return v.biVals[b]
}

func (v *values) state(fn *Func) *funcState {
	if st := v.perFunc[fn.id].st; st != nil {
		return st
	}
	st := &funcState{rest: flow.NoVar, this: v.s.NewVar(), ret: v.s.NewVar(), arrow: fn.IsArrow, fn: fn}
	v.perFunc[fn.id].st = st
	return st
}

// union returns a variable holding the values of both.
func (v *values) union(a, b flow.Var) flow.Var {
	switch {
	case a == flow.NoVar:
		return b
	case b == flow.NoVar:
		return a
	}
	x := v.s.NewVar()
	v.s.Edge(a, x)
	v.s.Edge(b, x)
	return x
}

// load returns a variable holding obj.key.
func (v *values) load(obj flow.Var, key int32) flow.Var {
	if obj == flow.NoVar || int(key) >= len(v.storable) || !v.storable[key] {
		// No code stores a function, class or object under this key:
		// loading it can only give data (or Unknown, which an untracked
		// expression stands for as well).
		return flow.NoVar
	}
	k := loadKey{obj, key}
	if x, ok := v.loads[k]; ok {
		return x
	}
	x := v.s.NewVar()
	v.s.Attach(obj, flow.Constraint{Kind: cLoad, Key: key, Dst: x})
	v.loads[k] = x
	return x
}

// loadKey names a load: the object's variable and the key.
type loadKey struct {
	obj flow.Var
	key int32
}

// loadAll returns a variable holding every field of obj.
func (v *values) loadAll(obj flow.Var) flow.Var {
	if obj == flow.NoVar {
		return flow.NoVar
	}
	x := v.s.NewVar()
	v.s.Attach(obj, flow.Constraint{Kind: cLoadAll, Dst: x})
	return x
}

func (v *values) store(obj flow.Var, key int32, src flow.Var) {
	if obj == flow.NoVar || src == flow.NoVar {
		return
	}
	v.s.Attach(obj, flow.Constraint{Kind: cStore, Key: key, Aux: int32(src)})
}

// ---- statements ----

func (v *values) stmts(list []ast.Statement) {
	var narrowed []*scope.Binding
	for _, s := range list {
		v.stmt(s)
		if b := v.primitiveAfter(s); b != nil && !v.narrowed[b] {
			if v.narrowed == nil {
				v.narrowed = map[*scope.Binding]bool{}
			}
			v.narrowed[b] = true
			narrowed = append(narrowed, b)
		}
	}
	for _, b := range narrowed {
		delete(v.narrowed, b)
	}
}

// stmt generates the constraints of the statement s.
func (v *values) stmt(s ast.Statement) {
	switch s := s.(type) {
	case nil:
	case *ast.ExpressionStatement:
		v.expr(s.Expression)
	case *ast.BlockStatement:
		v.stmts(s.List)
	case *ast.VariableStatement:
		v.declareAll(s.List)
	case *ast.LexicalDeclaration:
		v.declareAll(s.List)
	case *ast.FunctionDeclaration:
		if s.Function != nil {
			v.declared(v.expr(s.Function), s.Function.Name)
		}
	case *ast.ClassDeclaration:
		if s.Class != nil {
			v.declared(v.expr(s.Class), s.Class.Name)
		}
	case *ast.ReturnStatement:
		r := v.expr(s.Argument)
		if v.cur != nil {
			v.s.Edge(r, v.cur.ret)
		}
	case *ast.IfStatement:
		v.expr(s.Test)
		v.stmt(s.Consequent)
		v.stmt(s.Alternate)
	case *ast.ForOfStatement:
		v.forOf(s)
	case *ast.ForInStatement:
		v.expr(s.Source)
		v.forInto(s.Into, flow.NoVar)
		v.stmt(s.Body)
	case *ast.ForStatement:
		v.forLoop(s)
	case *ast.WhileStatement:
		v.expr(s.Test)
		v.stmt(s.Body)
	case *ast.DoWhileStatement:
		v.expr(s.Test)
		v.stmt(s.Body)
	case *ast.SwitchStatement:
		v.expr(s.Discriminant)
		for _, c := range s.Body {
			v.expr(c.Test)
			v.stmts(c.Consequent)
		}
	case *ast.TryStatement:
		v.try(s)
	case *ast.ThrowStatement:
		v.s.Edge(v.expr(s.Argument), v.escape)
	case *ast.LabelledStatement:
		v.stmt(s.Statement)
	case *ast.WithStatement:
		v.expr(s.Object)
		v.stmt(s.Body)
	default:
		v.children(s)
	}
}

// declared binds the function or class value x to the name its
// declaration gives it, when it has one.
func (v *values) declared(x flow.Var, name *ast.Identifier) {
	if name != nil {
		v.s.Edge(x, v.binding(v.f.Scope.Declared(name)))
	}
}

// declareAll generates the declarations of a var, let or const
// statement.
func (v *values) declareAll(list []*ast.Binding) {
	for _, b := range list {
		v.declare(b)
	}
}

// forOf generates for (x of src): x holds the elements of src.
func (v *values) forOf(s *ast.ForOfStatement) {
	src := v.expr(s.Source)
	elem := flow.NoVar
	if src != flow.NoVar {
		elem = v.s.NewVar()
		v.s.Attach(src, flow.Constraint{Kind: cForOf, Dst: elem})
	}
	v.forInto(s.Into, elem)
	v.stmt(s.Body)
}

// forLoop generates for (init; test; update) body.
func (v *values) forLoop(s *ast.ForStatement) {
	switch in := s.Initializer.(type) {
	case *ast.ForLoopInitializerExpression:
		v.expr(in.Expression)
	case *ast.ForLoopInitializerVarDeclList:
		v.declareAll(in.List)
	case *ast.ForLoopInitializerLexicalDecl:
		v.declareAll(in.LexicalDeclaration.List)
	}
	v.expr(s.Test)
	v.expr(s.Update)
	v.stmt(s.Body)
}

// try generates a try statement; the caught value is unknown.
func (v *values) try(s *ast.TryStatement) {
	v.stmt(s.Body)
	if s.Catch != nil {
		if s.Catch.Parameter != nil {
			v.bindTarget(s.Catch.Parameter, v.constVar(flow.Unknown))
		}
		v.stmt(s.Catch.Body)
	}
	if s.Finally != nil {
		v.stmt(s.Finally)
	}
}

// children visits the children of a node the generator does not model.
func (v *values) children(n ast.Node) {
	walk.Children(n, func(c ast.Node) {
		switch c := c.(type) {
		case ast.Statement:
			v.stmt(c)
		case ast.Expression:
			v.expr(c)
		default:
			v.children(c)
		}
	})
}

func (v *values) declare(b *ast.Binding) {
	if b == nil {
		return
	}
	if b.Initializer == nil {
		v.bindTarget(b.Target, flow.NoVar)
		return
	}
	v.bindTarget(b.Target, v.expr(b.Initializer))
}

func (v *values) forInto(into ast.ForInto, elem flow.Var) {
	switch in := into.(type) {
	case *ast.ForIntoVar:
		if in.Binding != nil {
			v.bindTarget(in.Binding.Target, elem)
		}
	case *ast.ForDeclaration:
		v.bindTarget(in.Target, elem)
	case *ast.ForIntoExpression:
		v.assignTo(in.Expression, elem)
	}
}

// bindTarget binds a declaration target (identifier or pattern) to src.
func (v *values) bindTarget(t ast.Node, src flow.Var) {
	switch t := t.(type) {
	case *ast.Identifier:
		if src != flow.NoVar {
			v.s.Edge(src, v.refVar(t, v.f.Scope.Declared(t)))
		}
	default:
		v.pattern(t, src, true)
	}
}

// pattern destructures src into a pattern; decl says the identifiers
// are declared there (else assigned).
func (v *values) pattern(t ast.Node, src flow.Var, decl bool) {
	target := func(n ast.Node, x flow.Var) {
		if decl {
			v.bindTarget(n, x)
		} else {
			v.assignTo(n, x)
		}
	}
	switch t := t.(type) {
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				x := v.load(src, v.key(p.Name.Name.String()))
				if p.Initializer != nil {
					x = v.union(x, v.expr(p.Initializer))
				}
				v.destructured(&p.Name, p.Name.Name.String(), decl)
				target(&p.Name, x)
			case *ast.PropertyKeyed:
				var x flow.Var
				if k, ok := propName(p.Key, p.Computed); ok {
					x = v.load(src, v.key(k))
					if id, ok := p.Value.(*ast.Identifier); ok {
						v.destructured(id, k, decl)
					}
				} else if id, ok := p.Key.(*ast.Identifier); ok && !p.Computed {
					x = v.load(src, v.key(id.Name.String()))
					if vid, ok := p.Value.(*ast.Identifier); ok {
						v.destructured(vid, id.Name.String(), decl)
					}
				} else {
					v.expr(p.Key)
					x = v.loadAll(src)
				}
				target(p.Value, x)
			}
		}
		if t.Rest != nil {
			target(t.Rest, src)
		}
	case *ast.ArrayPattern:
		elem := v.load(src, elemKey)
		for i, el := range t.Elements {
			if el != nil {
				if id, ok := el.(*ast.Identifier); ok && i == 0 {
					// [tag, fields]: the first element of a tuple (see
					// tupleTag).
					v.destructured(id, tupleTag, decl)
				}
				target(el, elem)
			}
		}
		if t.Rest != nil {
			target(t.Rest, src)
		}
	case *ast.AssignExpression:
		// a default: `{a = f}` / `[x = g]`
		target(t.Left, v.union(src, v.expr(t.Right)))
	case *ast.Binding:
		x := src
		if t.Initializer != nil {
			x = v.union(x, v.expr(t.Initializer))
		}
		target(t.Target, x)
	case ast.Expression:
		if !decl {
			v.assignTo(t, src)
		}
	}
}

// destructured records the property a declared identifier takes its
// value from.
func (v *values) destructured(id *ast.Identifier, prop string, decl bool) {
	if !decl {
		return
	}
	if b := v.f.Scope.Declared(id); b != nil {
		v.propOf[b] = prop
	}
}

// assignTo writes src to an assignment target.
func (v *values) assignTo(t ast.Node, src flow.Var) {
	switch t := t.(type) {
	case *ast.Identifier:
		if src == flow.NoVar {
			return
		}
		if b := v.f.Scope.Resolve(t); b != nil {
			v.s.Edge(src, v.refVar(t, b))
		} else {
			v.s.Edge(src, v.field(v.global, v.key(t.Name.String())))
		}
	case *ast.DotExpression:
		obj := v.expr(t.Left)
		v.store(obj, v.key(t.Identifier.Name.String()), src)
	case *ast.PrivateDotExpression:
		obj := v.expr(t.Left)
		v.store(obj, v.key("#"+t.Identifier.Name.String()), src)
	case *ast.BracketExpression:
		obj := v.expr(t.Left)
		if k, ok := v.f.constString(t.Member); ok {
			v.store(obj, v.key(k), src)
		} else {
			v.expr(t.Member)
			v.store(obj, elemKey, src)
		}
	case *ast.ObjectPattern, *ast.ArrayPattern:
		v.pattern(t, src, false)
	default:
		if e, ok := t.(ast.Expression); ok {
			v.expr(e)
		}
	}
}

// ---- expressions ----

// expr generates the constraints of e and returns the variable of its
// value (NoVar when it cannot hold a function, class or object).
func (v *values) expr(e ast.Expression) flow.Var {
	switch e := e.(type) {
	case nil:
		return flow.NoVar
	case *ast.Identifier:
		return v.ident(e)
	case *ast.ThisExpression:
		return v.curThis
	case *ast.FunctionLiteral:
		return v.functionLiteral(e)
	case *ast.ArrowFunctionLiteral:
		return v.arrowFunction(e)
	case *ast.ClassLiteral:
		return v.class(e)
	case *ast.ObjectLiteral:
		return v.object(e)
	case *ast.ArrayLiteral:
		return v.array(e)
	case *ast.DotExpression:
		return v.dot(e)
	case *ast.PrivateDotExpression:
		return v.load(v.expr(e.Left), v.key("#"+e.Identifier.Name.String()))
	case *ast.BracketExpression:
		return v.bracket(e)
	case *ast.CallExpression:
		if t := v.f.pinTarget(e); t != nil {
			// A naming helper (__name(fn, "X")) returns its argument:
			// modelled as the argument itself, so the helper's one
			// parameter does not merge every function it names.
			return v.expr(t)
		}
		return v.call(e, e.Callee, e.ArgumentList, false)
	case *ast.NewExpression:
		return v.call(e, e.Callee, e.ArgumentList, true)
	case *ast.AssignExpression:
		return v.assign(e)
	case *ast.ConditionalExpression:
		v.expr(e.Test)
		return v.union(v.expr(e.Consequent), v.expr(e.Alternate))
	case *ast.BinaryExpression:
		return v.binary(e)
	case *ast.SequenceExpression:
		last := flow.NoVar
		for _, x := range e.Sequence {
			last = v.expr(x)
		}
		return last
	case *ast.UnaryExpression:
		v.expr(e.Operand)
		return flow.NoVar
	case *ast.AwaitExpression:
		// Promises are transparent: await p holds what p resolves to,
		// which the flows keep on p itself.
		return v.expr(e.Argument)
	case *ast.OptionalChain:
		return v.expr(e.Expression)
	case *ast.Optional:
		return v.expr(e.Expression)
	case *ast.TemplateLiteral:
		return v.template(e)
	case *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral, *ast.RegExpLiteral:
		return flow.NoVar
	case *ast.SpreadElement:
		return v.expr(e.Expression)
	}
	v.children(e)
	return flow.NoVar
}

// functionLiteral generates a function expression or declaration's
// function.
func (v *values) functionLiteral(e *ast.FunctionLiteral) flow.Var {
	return v.function(e, e.ParameterList, func() {
		if e.Body != nil {
			v.stmts(e.Body.List)
		}
	})
}

// arrowFunction generates an arrow function; an expression body is its
// return value.
func (v *values) arrowFunction(e *ast.ArrowFunctionLiteral) flow.Var {
	return v.function(e, e.ParameterList, func() {
		switch b := e.Body.(type) {
		case *ast.BlockStatement:
			v.stmts(b.List)
		case *ast.ExpressionBody:
			r := v.expr(b.Expression)
			if v.cur != nil {
				v.s.Edge(r, v.cur.ret)
			}
		}
	})
}

// array allocates an array literal; its elements (spread ones' too) all
// go to its one element field.
func (v *values) array(e *ast.ArrayLiteral) flow.Var {
	arr := v.alloc(e, vkArr)
	elems := v.field(arr, elemKey)
	for _, el := range e.Value {
		if sp, ok := el.(*ast.SpreadElement); ok {
			v.s.Edge(v.load(v.expr(sp.Expression), elemKey), elems)
			continue
		}
		v.s.Edge(v.expr(el), elems)
	}
	return v.constVar(arr)
}

// dot loads o.k (super.k from the superclass; e.stack is a text of its
// own).
func (v *values) dot(e *ast.DotExpression) flow.Var {
	if _, ok := e.Left.(*ast.SuperExpression); ok {
		return v.superLoad(v.key(e.Identifier.Name.String()))
	}
	obj := v.expr(e.Left)
	v.remember(e.Left, obj)
	r := v.load(obj, v.key(e.Identifier.Name.String()))
	if e.Identifier.Name == "stack" {
		r = v.stackText(e, r)
	}
	return r
}

// bracket loads o[k]: the key k when it is a fixed string, the element
// field for a number, every field otherwise.
func (v *values) bracket(e *ast.BracketExpression) flow.Var {
	obj := v.expr(e.Left)
	v.remember(e.Left, obj)
	if k, ok := v.f.constString(e.Member); ok {
		return v.load(obj, v.key(k))
	}
	v.expr(e.Member)
	if _, ok := e.Member.(*ast.NumberLiteral); ok {
		return v.load(obj, elemKey)
	}
	return v.loadAll(obj)
}

// assign generates an assignment; `x ||= v` and the like may keep the
// old value, other compound assignments yield no tracked value.
func (v *values) assign(e *ast.AssignExpression) flow.Var {
	r := v.expr(e.Right)
	switch e.Operator {
	case token.ASSIGN:
		v.assignTo(e.Left, r)
		return r
	case token.LOGICAL_OR, token.LOGICAL_AND, token.COALESCE:
		v.assignTo(e.Left, r)
		return v.union(r, v.expr(e.Left))
	}
	v.expr(e.Left)
	return flow.NoVar
}

// binary generates a binary expression: a logical one holds either
// side, a concatenation with a string is a text.
func (v *values) binary(e *ast.BinaryExpression) flow.Var {
	l, r := v.expr(e.Left), v.expr(e.Right)
	switch e.Operator {
	case token.LOGICAL_OR, token.LOGICAL_AND, token.COALESCE:
		return v.union(l, r)
	case token.PLUS:
		if stringy(e.Left) || stringy(e.Right) {
			if !codeLike(v.f.textPieces(e, nil, 0)) {
				v.dataText(e)
			}
			x := v.concat(e, l, r)
			v.remember(e, x) // a text rules ask about (Facts.ShippedSource)
			return x
		}
	}
	return flow.NoVar
}

// template generates a template literal: untagged, a text made of its
// parts.
func (v *values) template(e *ast.TemplateLiteral) flow.Var {
	v.expr(e.Tag)
	parts := make([]flow.Var, 0, len(e.Expressions))
	for _, x := range e.Expressions {
		parts = append(parts, v.expr(x))
	}
	if e.Tag != nil {
		return flow.NoVar
	}
	if !codeLike(v.f.textPieces(e, nil, 0)) {
		v.dataText(e)
	}
	x := v.concat(e, parts...)
	v.remember(e, x)
	return x
}

// remember keeps the variable of a member base for stores.go. An
// identifier's is not kept: it is its binding's (or the global field's,
// or the global object itself), which identOf finds without the map, and
// two member bases in three are identifiers.
func (v *values) remember(e ast.Node, x flow.Var) {
	if _, ok := e.(*ast.Identifier); ok {
		return
	}
	if x != flow.NoVar {
		v.exprs[e] = x
	}
}

func (v *values) ident(id *ast.Identifier) flow.Var {
	b := v.f.Scope.Resolve(id)
	if b != nil {
		if b.Kind == scope.Arguments {
			return v.arguments(b)
		}
		if v.narrowed[b] {
			return v.textsOf(v.refVar(id, b))
		}
		return v.refVar(id, b)
	}
	switch name := id.Name.String(); name {
	case "window", "globalThis", "self", "global":
		return v.constVar(v.global)
	default:
		return v.field(v.global, v.key(name))
	}
}

// arguments returns the variable of a function's arguments object.
func (v *values) arguments(b *scope.Binding) flow.Var {
	x := v.binding(b)
	fn := v.f.byNode[b.Scope.Node]
	if fn == nil {
		return x
	}
	st := v.state(fn)
	if st.args == 0 {
		st.args = v.alloc(b.Scope.Node.(ast.Expression), vkArr)
		// allocs is keyed by node: the function node names the arguments
		// object, which is no other value's site.
		v.s.Add(x, st.args)
	}
	return x
}

// function generates a function literal: its parameters, then its body.
func (v *values) function(n ast.Node, pl *ast.ParameterList, body func()) flow.Var {
	fn := v.f.byNode[n]
	if fn == nil {
		body()
		return flow.NoVar
	}
	st := v.state(fn)
	saved, savedThis, savedNarrowed := v.cur, v.curThis, v.narrowed
	v.cur, v.narrowed = st, nil // a function may run before the tests around it
	if !st.arrow {
		v.curThis = st.this
	}
	v.params(st, pl)
	body()
	v.cur, v.curThis, v.narrowed = saved, savedThis, savedNarrowed
	x := v.constVar(v.funcValue(fn))
	if fl, ok := n.(*ast.FunctionLiteral); ok && fl.Name != nil {
		// A named function expression's own name, visible inside it.
		if b := v.f.Scope.Declared(fl.Name); b != nil && b.Kind == scope.FuncSelf {
			v.s.Edge(x, v.binding(b))
		}
	}
	return x
}

func (v *values) params(st *funcState, pl *ast.ParameterList) {
	if pl == nil {
		return
	}
	for _, p := range pl.List {
		var x flow.Var
		if id, ok := p.Target.(*ast.Identifier); ok {
			x = v.binding(v.f.Scope.Declared(id))
		} else {
			x = v.s.NewVar()
			v.pattern(p.Target, x, true)
		}
		if p.Initializer != nil {
			v.s.Edge(v.expr(p.Initializer), x)
		}
		st.params = append(st.params, x)
	}
	if pl.Rest != nil {
		arr := v.alloc(pl, vkArr)
		st.rest = v.field(arr, elemKey)
		v.bindTarget(pl.Rest, v.constVar(arr))
	}
}

// class generates a class: its methods and fields become fields of the
// class (static) or of its instances.
func (v *values) class(c *ast.ClassLiteral) flow.Var {
	fn := v.f.byNode[c]
	if fn == nil {
		v.children(c)
		return flow.NoVar
	}
	cls := v.funcValue(fn)
	clsVar := v.constVar(cls)
	if c.Name != nil {
		// The inner self-binding.
		if b := v.f.Scope.Declared(c.Name); b != nil {
			v.s.Edge(clsVar, v.binding(b))
		}
	}
	superVar := flow.NoVar
	if c.SuperClass != nil {
		if superVar = v.expr(c.SuperClass); superVar != flow.NoVar {
			v.s.Attach(superVar, flow.Constraint{Kind: cSuper, Aux: int32(cls)})
		} else {
			// extends something the flows do not follow: it may have
			// any member.
			superVar = v.unknownVar()
		}
	}
	v.perFunc[fn.id].superVar = superVar
	st := v.state(fn)
	inst := v.instValue(fn)
	v.s.Add(st.this, inst)
	for _, el := range c.Body {
		switch el := el.(type) {
		case *ast.MethodDefinition:
			if el.Body != nil {
				v.classMethod(el, st, cls, inst)
			}
		case *ast.FieldDefinition:
			v.classField(el, st, cls, inst)
		case *ast.ClassStaticBlock:
			saved, savedThis := v.cur, v.curThis
			v.cur, v.curThis = st, v.constVar(cls)
			if el.Block != nil {
				v.stmts(el.Block.List)
			}
			v.cur, v.curThis = saved, savedThis
		}
	}
	return clsVar
}

// classMethod generates a method of the class cls (st is the class's
// function state, inst its instances): the constructor's body is the
// class's own, other methods and getters become fields of the class
// (static) or of its instances.
func (v *values) classMethod(el *ast.MethodDefinition, st *funcState, cls, inst flow.Value) {
	k, static := "", el.Static
	if s, ok := propName(el.Key, el.Computed); ok {
		k = s
	} else {
		v.expr(el.Key)
	}
	if k == "constructor" && !static {
		// The constructor's parameters are the class's.
		st.ctor = true
		saved, savedThis := v.cur, v.curThis
		v.cur, v.curThis = st, st.this
		v.params(st, el.Body.ParameterList)
		if el.Body.Body != nil {
			v.stmts(el.Body.Body.List)
		}
		v.cur, v.curThis = saved, savedThis
		return
	}
	m := v.expr(el.Body)
	target := inst
	if static {
		target = cls
	}
	mfn := v.f.byNode[el.Body]
	if mfn != nil {
		v.s.Add(v.state(mfn).this, target)
		if accessor := el.Kind == ast.PropertyKindGet || el.Kind == ast.PropertyKindSet; accessor && !static {
			// An accessor runs on the instances of subclasses too, with
			// no call site that would pass them as this.
			v.s.Edge(v.allInstances(st.fn), v.state(mfn).this)
		}
	}
	key := elemKey
	if k != "" {
		key = v.key(k)
	}
	switch el.Kind {
	case ast.PropertyKindGet:
		if mfn != nil {
			v.s.Edge(v.state(mfn).ret, v.field(target, key))
		}
	case ast.PropertyKindSet:
	default:
		v.s.Edge(m, v.field(target, key))
	}
}

// classField generates a field of the class cls (static) or of its
// instances inst; its initializer runs with this the class or the
// instance.
func (v *values) classField(el *ast.FieldDefinition, st *funcState, cls, inst flow.Value) {
	target, this := inst, st.this
	if el.Static {
		target, this = cls, v.constVar(cls)
	}
	key := elemKey
	if s, ok := propName(el.Key, el.Computed); ok {
		key = v.key(s)
	} else {
		v.expr(el.Key)
	}
	saved, savedThis := v.cur, v.curThis
	v.cur, v.curThis = st, this
	x := v.expr(el.Initializer)
	v.cur, v.curThis = saved, savedThis
	v.s.Edge(x, v.field(target, key))
}

func (v *values) object(o *ast.ObjectLiteral) flow.Var {
	obj := v.alloc(o, vkObj)
	ov := v.constVar(obj)
	for _, p := range o.Value {
		switch p := p.(type) {
		case *ast.PropertyShort:
			x := v.ident(&p.Name)
			key := v.key(p.Name.Name.String())
			v.markWritten(obj, key)
			v.s.Edge(x, v.field(obj, key))
		case *ast.PropertyKeyed:
			key := elemKey
			if k, ok := propName(p.Key, p.Computed); ok {
				key = v.key(k)
			} else if id, ok := p.Key.(*ast.Identifier); ok && !p.Computed {
				key = v.key(id.Name.String())
			} else {
				v.expr(p.Key)
			}
			if key != elemKey {
				v.markWritten(obj, key)
			} else {
				v.propObj[p] = obj
			}
			x := v.expr(p.Value)
			mfn := v.f.byNode[p.Value]
			if mfn != nil && !mfn.IsArrow {
				v.s.Add(v.state(mfn).this, obj)
			}
			switch p.Kind {
			case ast.PropertyKindGet:
				if mfn != nil {
					v.s.Edge(v.state(mfn).ret, v.field(obj, key))
				}
			case ast.PropertyKindSet:
			default:
				v.s.Edge(x, v.field(obj, key))
			}
		case *ast.SpreadElement:
			src := v.expr(p.Expression)
			if src != flow.NoVar {
				v.s.Attach(src, flow.Constraint{Kind: cCopy, Aux: int32(ov)})
			}
		}
	}
	return ov
}

// superLoad is super.key inside a method: the superclass's member.
func (v *values) superLoad(key int32) flow.Var {
	if v.curThis == flow.NoVar {
		return flow.NoVar
	}
	// this holds instances of the class and its subclasses; loading
	// through it follows the prototype chain, which includes the
	// superclass's members.
	return v.load(v.curThis, key)
}

// call generates a call or new expression.
func (v *values) call(n ast.Node, callee ast.Expression, args []ast.Expression, isNew bool) flow.Var {
	site := &callSite{node: n, this: flow.NoVar, isNew: isNew,
		args: make([]flow.Var, 0, len(args)), spread: make([]bool, 0, len(args))}
	fnVar, method := v.callee(site, callee)
	for _, a := range args {
		if sp, ok := a.(*ast.SpreadElement); ok {
			site.args = append(site.args, v.expr(sp.Expression))
			site.spread = append(site.spread, true)
			continue
		}
		site.args = append(site.args, v.expr(a))
		site.spread = append(site.spread, false)
	}
	site.result = v.s.NewVar()
	if spec, ok := v.requireSpec(callee, args); ok {
		v.s.Add(site.result, v.packageValue(spec, nil, nil))
	}
	v.callText(site, callee, method)
	idx := int32(len(v.calls))
	v.calls = append(v.calls, site)
	if site.super {
		// super(...): the constructor of each superclass of the class
		// whose constructor this is.
		if v.cur != nil {
			fn := v.cur.fn
			for _, sup := range v.perFunc[fn.id].supers {
				v.bindCall(site, sup)
			}
			v.perFunc[fn.id].superSites = append(v.perFunc[fn.id].superSites, site)
		}
		site.resolved = true
		return site.result
	}
	if method != "" && site.this != flow.NoVar {
		v.s.Attach(site.this, flow.Constraint{Kind: cMethod, Key: v.key(method), Aux: idx})
	}
	if fnVar != flow.NoVar {
		v.s.Attach(fnVar, flow.Constraint{Kind: cCall, Aux: idx})
	}
	return site.result
}

// callee generates the callee of a call site: it returns the variable of
// the function called and, for o.m(…) and o["m"](…), the method name m,
// and sets the site's receiver (and super for super(…)).
func (v *values) callee(site *callSite, callee ast.Expression) (fnVar flow.Var, method string) {
	switch c := callee.(type) {
	case *ast.SuperExpression:
		site.super = true
		site.this = v.curThis
	case *ast.DotExpression:
		if _, ok := c.Left.(*ast.SuperExpression); ok {
			site.this = v.curThis
			return v.superLoad(v.key(c.Identifier.Name.String())), ""
		}
		recv := v.expr(c.Left)
		v.remember(c.Left, recv)
		method = c.Identifier.Name.String()
		site.this = recv
		return v.load(recv, v.key(method)), method
	case *ast.BracketExpression:
		recv := v.expr(c.Left)
		v.remember(c.Left, recv)
		site.this = recv
		if k, ok := v.f.constString(c.Member); ok {
			return v.load(recv, v.key(k)), k
		}
		v.expr(c.Member)
		return v.loadAll(recv), ""
	default:
		return v.expr(callee), ""
	}
	return flow.NoVar, ""
}

// callText makes the result of a call that yields text the text it is
// (String(x), fn.toString(), new Error().stack…), and remembers the
// results of calls rules may ask about.
func (v *values) callText(site *callSite, callee ast.Expression, method string) {
	n := site.node
	if len(site.args) == 1 && !site.isNew {
		if id, ok := callee.(*ast.Identifier); ok && id.Name == "String" && v.f.Scope.Resolve(id) == nil {
			v.textOf(site.args[0], site.result, n)
		}
		if IsFunctionToStringCall(callee) {
			// What it does is known: no callee value needs to reach it.
			site.resolved = true
			v.textOf(site.args[0], site.result, n)
		}
	}
	if len(site.args) == 0 && frameMethods[method] {
		v.stackCall(n, site.result)
	}
	if textMethods[method] || stackMethods[method] || method == "join" || len(site.args) == 1 && isTextCall(callee) {
		v.remember(n, site.result) // a text rules may ask about
	}
}

// findStorable marks the property keys the program may store a function,
// class or object under: object literal and class members, assignments
// to o.k whose value is not a primitive, Object.defineProperty keys, and
// the keys the model itself reads (elements, prototype, constructor,
// then). Loads of other keys are not generated: most member reads of a
// bundle (this.x of numbers, Math.floor, .length) never see a tracked
// value, and skipping them keeps the constraint graph small.
//
// The same walk gives vs (when not nil) the references of the bindings
// that may be split into versions (versions.go), and returns the offsets
// of the string literals that mark a require shim (packages.go).
func (v *values) findStorable(vs *versionScan) (shims []int) {
	mark := func(name string) {
		k := v.key(name)
		for int(k) >= len(v.storable) {
			v.storable = append(v.storable, false)
		}
		v.storable[k] = true
	}
	// hasOwnProperty: Object.prototype.hasOwnProperty.call(o, k), a
	// bundler runtime's test before it defines a namespace, is a built-in
	// that keeps nothing (untracked, the call would send o to Unknown).
	for _, k := range []string{"[]", "prototype", "constructor", "then", "default", "exports", "value", "get", "hasOwnProperty"} {
		mark(k)
	}
	for _, members := range memberBuiltins {
		for k := range members {
			mark(k)
		}
	}
	for _, members := range modelledPackages {
		for _, k := range members {
			mark(k)
		}
	}
	markKey := func(key ast.Expression, computed bool) {
		if k, ok := propName(key, computed); ok {
			mark(k)
		} else if id, ok := key.(*ast.Identifier); ok && !computed {
			mark(id.Name.String())
		}
	}
	v.f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		if vs != nil {
			vs.visit(n, stack)
		}
		switch x := n.(type) {
		case *ast.PropertyKeyed:
			if !primitive(x.Value) {
				markKey(x.Key, x.Computed)
			}
		case *ast.PropertyShort:
			mark(x.Name.Name.String())
		case *ast.MethodDefinition:
			markKey(x.Key, x.Computed)
		case *ast.FieldDefinition:
			if !primitive(x.Initializer) {
				markKey(x.Key, x.Computed)
			}
		case *ast.AssignExpression:
			if primitive(x.Right) {
				return true
			}
			switch l := x.Left.(type) {
			case *ast.DotExpression:
				mark(l.Identifier.Name.String())
			case *ast.PrivateDotExpression:
				mark("#" + l.Identifier.Name.String())
			case *ast.BracketExpression:
				if k, ok := v.f.constString(l.Member); ok {
					mark(k)
				}
			}
		case *ast.CallExpression:
			// Object.defineProperty(o, "k", {...}), Reflect.set(o, "k", v)
			if len(x.ArgumentList) >= 2 {
				if d, ok := x.Callee.(*ast.DotExpression); ok && (d.Identifier.Name == "defineProperty" || d.Identifier.Name == "set") {
					if k, ok := v.f.constString(x.ArgumentList[1]); ok {
						mark(k)
					}
				}
			}
		case *ast.StringLiteral:
			if strings.HasPrefix(x.Value.String(), requireShimText) {
				shims = append(shims, int(x.Idx0())-1)
			}
		}
		return true
	})
	return shims
}

// primitive reports an expression that can only be a primitive value.
func primitive(e ast.Expression) bool {
	switch x := e.(type) {
	case nil:
		return true
	case *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral, *ast.RegExpLiteral:
		return true
	case *ast.TemplateLiteral:
		return x.Tag == nil
	case *ast.UnaryExpression:
		return true
	case *ast.BinaryExpression:
		switch x.Operator {
		case token.LOGICAL_OR, token.LOGICAL_AND, token.COALESCE:
			return primitive(x.Left) && primitive(x.Right)
		}
		return true
	}
	return false
}
