package names

import (
	"slices"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/flow"
)

// Handle interprets the constraints of values.go for one value reaching
// the variable they are attached to (flow.Handler).
func (v *values) Handle(s *flow.Solver, c flow.Constraint, val flow.Value) {
	a := v.vals[val]
	switch c.Kind {
	case cText:
		v.handleText(a, val, c.Dst, c.Aux)
		return
	case cTexts:
		if a.kind == vkUnknown || a.kind == vkSource || a.kind == vkStack {
			s.Add(c.Dst, val)
		}
		return
	}
	if a.kind == vkSource || a.kind == vkStack {
		// A string: only its methods (handleTextMethod) mean anything.
		if c.Kind == cMethod {
			v.handleTextMethod(v.calls[c.Aux], a, val, v.keyName[c.Key])
		}
		return
	}
	switch c.Kind {
	case cLoad:
		v.handleLoad(a, val, c.Key, c.Dst)
	case cLoadAll:
		v.handleLoadAll(s, a, val, c.Dst)
	case cStore:
		v.handleStore(s, a, val, c.Key, flow.Var(c.Aux))
	case cCall:
		if a.kind == vkPackage {
			v.handlePackageCall(v.calls[c.Aux], val, a.pkg)
			break
		}
		v.handleCall(v.calls[c.Aux], a)
	case cMethod:
		v.handleMethod(v.calls[c.Aux], a, val, v.keyName[c.Key])
	case cForOf:
		v.handleForOf(s, a, val, c.Dst)
	case cEscape:
		v.escapeValue(a, val)
	case cCopy:
		v.handleCopy(s, a, val, flow.Var(c.Aux))
	case cSuper:
		if a.kind == vkFunc {
			v.handleSuper(s, v.vals[c.Aux].fn, a.fn)
		}
	case cDefine:
		v.handleDefine(a, val, c.Dst, c.Key)
	}
}

// handleDefine is val under a computed key of a property descriptor,
// "get" or "value" ({[k]: t[n]} in Rspack's runtime, where one helper
// defines the getters and the values of a namespace, passing the field
// name): a parameterless arrow is what bundlers write for a getter
// (() => x); any other value is the property's value.
func (v *values) handleDefine(a absValue, val flow.Value, obj flow.Var, key int32) {
	if a.kind == vkFunc && a.fn.IsArrow {
		if arrow, ok := a.fn.Node.(*ast.ArrowFunctionLiteral); ok && len(arrow.ParameterList.List) == 0 && arrow.ParameterList.Rest == nil {
			v.store(obj, key, v.callWith(nil, v.constVar(val), obj))
			return
		}
	}
	v.store(obj, key, v.constVar(val))
}

// handleLoadAll is o[k] with a key nobody knows: every field of val
// reaches dst.
func (v *values) handleLoadAll(s *flow.Solver, a absValue, val flow.Value, dst flow.Var) {
	switch a.kind {
	case vkUnknown, vkGlobal:
		s.Add(dst, flow.Unknown)
	case vkBuiltin, vkPackage:
	default:
		s.Edge(v.allFields(val), dst)
		if h := v.home(val, elemKey); h != val {
			s.Edge(v.fieldIfAny(val, v.ctorKey), dst)
		}
	}
}

// handleStore is o.key = src for the object val: what the bundle stores
// into Unknown escapes.
func (v *values) handleStore(s *flow.Solver, a absValue, val flow.Value, key int32, src flow.Var) {
	switch a.kind {
	case vkUnknown:
		s.Edge(src, v.escape)
	case vkBuiltin, vkPackage:
	default:
		v.markWritten(v.home(val, key), key)
		s.Edge(src, v.field(val, key))
	}
}

// handleCall is the callee value a reaching a call site: Unknown gets the
// arguments, a function binds them, a built-in is modelled.
func (v *values) handleCall(site *callSite, a absValue) {
	switch a.kind {
	case vkUnknown:
		site.resolved = true
		v.escapeArgs(site)
	case vkFunc:
		site.resolved = true
		if a.fn.Linked != nil {
			v.callLinked(site, a.fn)
			return
		}
		v.bindCall(site, a.fn)
	case vkBuiltin:
		site.resolved = true
		v.builtinCall(site, a.bi)
	}
}

// handleForOf is for (x of val): x gets the elements (a Map's entries
// are pairs).
func (v *values) handleForOf(s *flow.Solver, a absValue, val flow.Value, dst flow.Var) {
	switch a.kind {
	case vkUnknown, vkGlobal:
		s.Add(dst, flow.Unknown)
	case vkMap:
		s.Add(dst, v.pair(val))
	case vkBuiltin, vkFunc, vkPackage:
	default:
		s.Edge(v.field(val, elemKey), dst)
	}
}

// handleCopy is {...val} into the object of dst: every field of val, and
// those it gets later, are stored into dst.
func (v *values) handleCopy(s *flow.Solver, a absValue, val flow.Value, dst flow.Var) {
	switch a.kind {
	case vkUnknown, vkGlobal:
		s.Attach(dst, flow.Constraint{Kind: cStore, Key: elemKey, Aux: int32(v.unknownVar())})
	case vkBuiltin, vkPackage:
	default:
		val = v.home(val, elemKey)
		o := v.obj(val)
		o.copies = append(o.copies, dst)
		for i := 0; i < len(o.fields); i++ {
			k := o.fields[i].key
			s.Attach(dst, flow.Constraint{Kind: cStore, Key: k, Aux: int32(v.fieldIfAny(val, k))})
		}
	}
}

// handleSuper records that class sup is a superclass of sub: sub's
// super(...) calls reach sup's constructor, and sub's members inherit
// sup's.
func (v *values) handleSuper(s *flow.Solver, sub, sup *Func) {
	ff := &v.perFunc[sub.id]
	for _, x := range ff.supers {
		if x == sup {
			return
		}
	}
	ff.supers = append(ff.supers, sup)
	s.Edge(v.allInstances(sub), v.allInstances(sup))
	for _, site := range ff.superSites {
		v.bindArgs(site, sup)
		v.s.Edge(site.this, v.state(sup).this)
	}
	if !v.state(sub).ctor {
		// new sub(…) made before sup was known runs sup's constructor.
		for _, site := range ff.sites {
			if site.isNew {
				v.inherit(site, sub, sup)
				v.bindArgsIn(site, sup, []*Func{sub})
			}
		}
	}
	// Members the subclass's values already have inherit the
	// superclass's; fields made later do so in field().
	for _, pair := range [2][2]flow.Value{{v.instValue(sub), v.instValue(sup)}, {v.funcValue(sub), v.funcValue(sup)}} {
		o := v.obj(pair[0])
		for i := 0; i < len(o.fields); i++ {
			if k := o.fields[i].key; k != v.ctorKey {
				s.Edge(v.field(pair[1], k), v.fieldIfAny(pair[0], k))
			}
		}
	}
}

// allFields returns a variable every field of val flows into.
func (v *values) allFields(val flow.Value) flow.Var {
	val = v.home(val, elemKey)
	o := v.obj(val)
	if o.all == flow.NoVar {
		o.all = v.s.NewVar()
		for _, fl := range o.fields {
			v.s.Edge(v.fieldIfAny(val, fl.key), o.all)
		}
	}
	return o.all
}

func (v *values) unknownVar() flow.Var {
	if v.unknown == flow.NoVar {
		v.unknown = v.constVar(flow.Unknown)
	}
	return v.unknown
}

func (v *values) handleLoad(a absValue, val flow.Value, key int32, dst flow.Var) {
	s := v.s
	switch a.kind {
	case vkUnknown:
		s.Add(dst, flow.Unknown)
	case vkPackage:
		v.handlePackageLoad(a.pkg, v.keyName[key], dst)
	case vkBuiltin:
		if m, ok := memberBuiltins[a.bi][v.keyName[key]]; ok {
			s.Add(dst, v.builtinValue(m))
		} else {
			s.Add(dst, v.builtinValue(biInert))
		}
	case vkFunc:
		switch v.keyName[key] {
		case "prototype":
			// Prototypes are folded into the instances: C.prototype.m = f
			// makes m a member of new C().
			s.Add(dst, v.instValue(a.fn))
		case "name", "length", "call", "apply", "bind":
		default:
			s.Edge(v.field(val, key), dst)
		}
	case vkObj:
		s.Edge(v.field(val, key), dst)
		s.Edge(v.field(val, elemKey), dst)
	case vkArr, vkMap, vkSet:
		// A native collection's constructor is the built-in (Babel's
		// iterable helper tests r.constructor.name === "Map").
		if key == v.ctorKey {
			s.Add(dst, v.builtinValue(collectionCtor[a.kind]))
		}
		s.Edge(v.field(val, key), dst)
	default:
		s.Edge(v.field(val, key), dst)
	}
}

// collectionCtor is the built-in constructor of a native collection.
var collectionCtor = map[valKind]builtin{vkArr: biArray, vkMap: biMap, vkSet: biSet}

// pair returns the [key, value] entry value of a Map (or of an object's
// entries): its elements are the Map's values.
func (v *values) pair(of flow.Value) flow.Value {
	p, made := memoValue(v, v.pairs, of, absValue{kind: vkPair, pairOf: of})
	if made {
		x := v.field(of, elemKey)
		v.obj(p).addField(elemKey, x)
	}
	return p
}

// view returns an array value whose elements are those of val (a Map's
// values(), an entries() list of pairs when entries is set).
func (v *values) view(site *callSite, val flow.Value, entries bool) flow.Value {
	arr := v.alloc(site.node, vkArr)
	if entries {
		v.s.Add(v.field(arr, elemKey), v.pair(val))
	} else {
		v.s.Edge(v.field(val, elemKey), v.field(arr, elemKey))
	}
	return arr
}

// callLinked is a call of a function or class another chunk defines:
// the arguments go to code this file does not contain, and new makes its
// instances.
func (v *values) callLinked(site *callSite, fn *Func) {
	v.escapeOnly(site)
	if site.isNew {
		v.s.Add(site.result, v.instValue(fn))
	} else {
		v.s.Add(site.result, flow.Unknown)
	}
}

// bindCall binds a call site to one function or class it may call.
func (v *values) bindCall(site *callSite, fn *Func) {
	st := v.state(fn)
	if !site.super {
		v.perFunc[fn.id].sites = append(v.perFunc[fn.id].sites, site)
	}
	v.bindArgs(site, fn)
	switch {
	case site.isNew:
		v.s.Add(site.result, v.instValue(fn))
	case site.super:
		v.s.Edge(site.this, st.this)
	default:
		if site.this != flow.NoVar && !st.arrow {
			v.s.Edge(site.this, st.this)
		}
		v.s.Edge(st.ret, site.result)
	}
}

// inherit gives the constructor of sup the instance a class without a
// constructor of its own makes at site: new cls(…) runs sup's
// constructor on an instance of cls, and so does super(…) of a subclass
// of cls on the subclass's.
func (v *values) inherit(site *callSite, cls, sup *Func) {
	switch {
	case site.isNew:
		v.s.Add(v.state(sup).this, v.instValue(cls))
	case site.super:
		v.s.Edge(site.this, v.state(sup).this)
	}
}

// bindArgs passes a site's arguments to fn's parameters (a class without
// a constructor passes them on to its superclass's).
func (v *values) bindArgs(site *callSite, fn *Func) {
	var seen [4]*Func
	v.bindArgsIn(site, fn, seen[:0])
}

// bindArgsIn is bindArgs along the extends graph, each class once: the
// flows can give a class many superclasses, and each other as one. seen
// are the classes bound so far; it returns them with fn and those it
// bound.
func (v *values) bindArgsIn(site *callSite, fn *Func, seen []*Func) []*Func {
	seen = append(seen, fn)
	if fn.Linked != nil {
		// super(…) of a class another chunk defines.
		v.escapeOnly(site)
		return seen
	}
	st := v.state(fn)
	if fn.IsClass && len(st.params) == 0 && st.rest == flow.NoVar {
		for _, sup := range v.perFunc[fn.id].supers {
			if !slices.Contains(seen, sup) {
				if !st.ctor {
					v.inherit(site, seen[0], sup)
				}
				seen = v.bindArgsIn(site, sup, seen)
			}
		}
	}
	for i, a := range site.args {
		if a == flow.NoVar {
			continue
		}
		if site.spread[i] {
			el := v.load(a, elemKey)
			for j := i; j < len(st.params); j++ {
				v.s.Edge(el, st.params[j])
			}
			v.s.Edge(el, st.rest)
			if st.args != 0 {
				v.s.Edge(el, v.field(st.args, elemKey))
			}
			continue
		}
		switch {
		case i < len(st.params):
			v.s.Edge(a, st.params[i])
		case st.rest != flow.NoVar:
			v.s.Edge(a, st.rest)
		}
		if st.args != 0 {
			v.s.Edge(a, v.field(st.args, elemKey))
		}
	}
	return seen
}

// callWith makes a synthetic call of the functions in cb with the given
// arguments (a callback a built-in calls); it returns the result
// variable.
func (v *values) callWith(node any, cb flow.Var, this flow.Var, args ...flow.Var) flow.Var {
	// resolved: a callback no value reaches is no call into unknown code
	// (an Unknown callback escapes its arguments in Handle).
	site := &callSite{this: this, result: v.s.NewVar(), args: args, spread: make([]bool, len(args)), resolved: true}
	idx := int32(len(v.calls))
	v.calls = append(v.calls, site)
	v.s.Attach(cb, flow.Constraint{Kind: cCall, Aux: idx})
	return site.result
}

func (v *values) arg(site *callSite, i int) flow.Var {
	if i < len(site.args) && !site.spread[i] {
		return site.args[i]
	}
	return flow.NoVar
}

// builtinCall models a call of a built-in.
func (v *values) builtinCall(site *callSite, b builtin) {
	s := v.s
	switch b {
	case biCreate:
		if v.arg(site, 0) == flow.NoVar {
			// Object.create(null): a fresh dictionary.
			s.Add(site.result, v.alloc(site.node, vkObj))
			return
		}
		s.Edge(v.arg(site, 0), site.result)
	case biDefineProperty:
		v.defineProperty(site)
	case biFreeze, biGetPrototypeOf, biResolve, biAll:
		// Object.defineProperty(o, …) and friends return o; prototypes
		// are folded into instances, so getPrototypeOf(x) is x, and
		// promises are transparent.
		s.Edge(v.arg(site, 0), site.result)
	case biAssign:
		t := v.arg(site, 0)
		s.Edge(t, site.result)
		for i := 1; i < len(site.args); i++ {
			if src := site.args[i]; src != flow.NoVar && t != flow.NoVar {
				s.Attach(src, flow.Constraint{Kind: cCopy, Aux: int32(t)})
			}
		}
	case biValues:
		arr := v.alloc(site.node, vkArr)
		s.Edge(v.loadAll(v.arg(site, 0)), v.field(arr, elemKey))
		s.Add(site.result, arr)
	case biEntries:
		arr := v.alloc(site.node, vkArr)
		pair := v.pairAt(site)
		s.Edge(v.loadAll(v.arg(site, 0)), v.field(pair, elemKey))
		s.Add(v.field(arr, elemKey), pair)
		s.Add(site.result, arr)
	case biFromEntries:
		obj := v.alloc(site.node, vkObj)
		pairs := v.load(v.arg(site, 0), elemKey)
		s.Edge(v.load(pairs, elemKey), v.field(obj, elemKey))
		s.Add(site.result, obj)
		v.entryInits = append(v.entryInits, entryInit{obj, pairs})
	case biArrayFrom, biArrayOf:
		v.arrayFrom(site, b == biArrayOf)
	case biConstruct:
		// Reflect.construct(C, args)
		v.spreadCall(site, v.arg(site, 0), flow.NoVar, v.arg(site, 1), true)
	case biApply:
		// Reflect.apply(f, this, args)
		v.spreadCall(site, v.arg(site, 0), v.arg(site, 1), v.arg(site, 2), false)
	case biParse:
		s.Add(site.result, flow.Unknown)
	case biMap, biWeakMap, biSet, biWeakSet:
		if site.isNew {
			v.newCollection(site, b == biSet || b == biWeakSet)
		}
	}
}

// defineProperty models Object.defineProperty(o, k, {value: v} or
// {get: g}): o.k holds v, or what g returns (how esbuild's __export and
// webpack's __webpack_require__.d define a namespace's members).
func (v *values) defineProperty(site *callSite) {
	o, desc := v.arg(site, 0), v.arg(site, 2)
	v.s.Edge(o, site.result)
	if o == flow.NoVar || desc == flow.NoVar {
		return
	}
	key := elemKey
	if call, ok := site.node.(*ast.CallExpression); ok && len(call.ArgumentList) > 1 {
		if k, ok := v.f.constString(call.ArgumentList[1]); ok {
			key = v.key(k)
		}
	}
	if call, ok := site.node.(*ast.CallExpression); ok && len(call.ArgumentList) > 2 && v.getOrValue(call.ArgumentList[2]) {
		if x := v.load(desc, elemKey); x != flow.NoVar {
			v.s.Attach(x, flow.Constraint{Kind: cDefine, Key: key, Dst: o})
		}
		return
	}
	v.store(o, key, v.load(desc, v.key("value")))
	if get := v.load(desc, v.key("get")); get != flow.NoVar {
		v.store(o, key, v.callWith(site.node, get, o))
	}
}

// getOrValue reports whether e is a descriptor literal whose only
// accessor or value is under a key computed at runtime: what it holds is
// its "get" or its "value" (the only descriptor fields that carry one).
func (v *values) getOrValue(e ast.Expression) bool {
	lit, ok := e.(*ast.ObjectLiteral)
	if !ok {
		return false
	}
	found := false
	for _, p := range lit.Value {
		kp, ok := p.(*ast.PropertyKeyed)
		if !ok {
			return false
		}
		if k, ok := PropertyKey(kp); ok {
			if k == "get" || k == "set" || k == "value" {
				return false
			}
			continue
		}
		if _, ok := v.f.constString(kp.Key); ok {
			return false
		}
		found = true
	}
	return found
}

// arrayFrom models Array.of(…) (of is set), whose elements are its
// arguments, and Array.from(src, fn), whose elements are src's or what
// fn returns for them.
func (v *values) arrayFrom(site *callSite, of bool) {
	s := v.s
	arr := v.alloc(site.node, vkArr)
	el := v.field(arr, elemKey)
	if of {
		for i := range site.args {
			s.Edge(v.arg(site, i), el)
		}
	} else {
		src := v.load(v.arg(site, 0), elemKey)
		if fn := v.arg(site, 1); fn != flow.NoVar {
			s.Edge(v.callWith(site.node, fn, flow.NoVar, src), el)
		} else {
			s.Edge(src, el)
		}
	}
	s.Add(site.result, arr)
}

// newCollection models new Map(entries) and new WeakMap(entries), or
// with set new Set(values) and new WeakSet(values).
func (v *values) newCollection(site *callSite, set bool) {
	s := v.s
	kind := vkMap
	if set {
		kind = vkSet
	}
	m := v.alloc(site.node, kind)
	s.Add(site.result, m)
	if init := v.arg(site, 0); init != flow.NoVar {
		el := v.load(init, elemKey)
		if kind == vkMap {
			v.entryInits = append(v.entryInits, entryInit{m, el})
			el = v.load(el, elemKey)
		}
		s.Edge(el, v.field(m, elemKey))
	}
}

// entryInit is a Map or object built from a list of [key, value]
// entries: pairs holds the entries.
type entryInit struct {
	store flow.Value
	pairs flow.Var
}

// entryStores returns, for each [key, value] array literal, the Maps and
// objects built from lists that hold it.
func (v *values) entryStores() map[ast.Node][]flow.Value {
	out := map[ast.Node][]flow.Value{}
	for _, e := range v.entryInits {
		for _, p := range v.s.Values(e.pairs) {
			if a := v.vals[p]; a.kind == vkArr {
				if _, ok := a.node.(*ast.ArrayLiteral); ok {
					out[a.node] = append(out[a.node], e.store)
				}
			}
		}
	}
	return out
}

// spreadCall calls the functions in fn with the elements of args (a
// Reflect.construct or Reflect.apply), its result that of site.
func (v *values) spreadCall(site *callSite, fn, this, args flow.Var, isNew bool) {
	inner := &callSite{node: site.node, this: this, result: site.result, isNew: isNew, resolved: true}
	if args != flow.NoVar {
		inner.args, inner.spread = []flow.Var{args}, []bool{true}
	}
	idx := int32(len(v.calls))
	v.calls = append(v.calls, inner)
	v.s.Attach(fn, flow.Constraint{Kind: cCall, Aux: idx})
}

// pairAt is the entry value made at a site (Object.entries).
func (v *values) pairAt(site *callSite) flow.Value {
	p, _ := memoValue(v, v.sitePairs, site, absValue{kind: vkPair, node: site.node})
	return p
}

var arrayCallbacks = map[string]bool{
	"forEach": true, "map": true, "filter": true, "find": true, "findLast": true, "some": true,
	"every": true, "flatMap": true, "findIndex": true, "findLastIndex": true,
}

// ArrayCallback reports whether the array method m calls a callback per
// element (reduce and reduceRight too).
func ArrayCallback(m string) bool { return arrayCallbacks[m] || m == "reduce" || m == "reduceRight" }

// handleMethod models methods of built-in values: arrays, Maps, Sets,
// functions (call/apply/bind) and promises (then).
func (v *values) handleMethod(site *callSite, a absValue, val flow.Value, m string) {
	if m == "join" && a.kind == vkArr {
		v.textOf(v.field(val, elemKey), site.result, site.node)
	}
	switch a.kind {
	case vkFunc:
		v.handleTextMethod(site, a, val, m)
		if m == "call" || m == "apply" || m == "bind" {
			site.resolved = true
			v.functionMethod(site, a.fn, val, m)
		}
	case vkArr:
		site.resolved = true
		v.arrayMethod(site, val, m)
	case vkMap:
		site.resolved = true
		v.mapMethod(site, val, m)
	case vkSet:
		site.resolved = true
		v.setMethod(site, val, m)
	case vkBuiltin:
		if a.bi == biInert && (m == "call" || m == "apply") {
			// Object.prototype.hasOwnProperty.call(o, k): a built-in
			// that keeps and calls nothing, borrowed for a receiver.
			site.resolved = true
		}
	}
	if m == "then" && a.kind != vkUnknown && a.kind != vkGlobal && a.kind != vkBuiltin && a.kind != vkPackage {
		// Promises are transparent: the callback gets what the promise
		// holds, which the flows keep on the promise itself.
		if len(v.s.Values(v.fieldIfAny(val, v.key("then")))) == 0 {
			site.resolved = true
			r := v.callWith(site.node, v.arg(site, 0), flow.NoVar, v.constVar(val))
			v.s.Edge(r, site.result)
		}
	}
	if (m == "catch" || m == "finally") && a.kind != vkUnknown {
		site.resolved = true
		v.s.Add(site.result, val)
	}
}

// functionMethod models fn.call(this, …), fn.apply(this, args) and
// fn.bind(this, …) of the function fn (its value val): a call of fn with
// the arguments shifted, and for bind the same function back.
func (v *values) functionMethod(site *callSite, fn *Func, val flow.Value, m string) {
	inner := &callSite{node: site.node, this: v.arg(site, 0), result: site.result, resolved: true}
	switch m {
	case "call", "bind":
		if len(site.args) > 1 {
			inner.args, inner.spread = site.args[1:], site.spread[1:]
		}
	case "apply":
		if x := v.arg(site, 1); x != flow.NoVar {
			inner.args, inner.spread = []flow.Var{x}, []bool{true}
		}
	}
	if m == "bind" {
		v.bindArgs(inner, fn)
		v.s.Add(site.result, val)
		return
	}
	v.bindCall(inner, fn)
}

// arrayMethod models the methods of the array val: those that add
// elements, return the array or one of its elements, or call back with
// them.
func (v *values) arrayMethod(site *callSite, val flow.Value, m string) {
	s := v.s
	switch m {
	case "push", "unshift":
		for i, x := range site.args {
			if site.spread[i] {
				s.Edge(v.load(x, elemKey), v.field(val, elemKey))
			} else {
				s.Edge(x, v.field(val, elemKey))
			}
		}
	case "splice":
		for i := 2; i < len(site.args); i++ {
			s.Edge(v.arg(site, i), v.field(val, elemKey))
		}
		s.Add(site.result, val)
	case "concat":
		for _, x := range site.args {
			if x != flow.NoVar {
				s.Attach(x, flow.Constraint{Kind: cForOf, Dst: v.field(val, elemKey)})
			}
		}
		s.Add(site.result, val)
	case "filter", "slice", "sort", "reverse", "toSorted", "toReversed", "values", "fill", "copyWithin", "flat":
		s.Add(site.result, val)
		if m == "sort" || m == "toSorted" {
			v.callWith(site.node, v.arg(site, 0), flow.NoVar, v.field(val, elemKey), v.field(val, elemKey))
		}
	case "find", "findLast", "at", "pop", "shift":
		s.Edge(v.field(val, elemKey), site.result)
	case "reduce", "reduceRight":
		acc := v.union(v.arg(site, 1), v.s.NewVar())
		r := v.callWith(site.node, v.arg(site, 0), flow.NoVar, acc, v.field(val, elemKey))
		s.Edge(r, acc)
		s.Edge(acc, site.result)
	}
	if arrayCallbacks[m] {
		r := v.callWith(site.node, v.arg(site, 0), v.arg(site, 1), v.field(val, elemKey), flow.NoVar, v.constVar(val))
		switch m {
		case "map", "flatMap":
			arr := v.alloc(site.node, vkArr)
			if m == "map" {
				s.Edge(r, v.field(arr, elemKey))
			} else {
				s.Attach(r, flow.Constraint{Kind: cForOf, Dst: v.field(arr, elemKey)})
			}
			s.Add(site.result, arr)
		}
	}
}

// mapMethod models the methods of the Map val (its values are its one
// element field).
func (v *values) mapMethod(site *callSite, val flow.Value, m string) {
	s := v.s
	switch m {
	case "set":
		s.Edge(v.arg(site, 1), v.field(val, elemKey))
		s.Add(site.result, val)
	case "get":
		s.Edge(v.field(val, elemKey), site.result)
	case "forEach":
		v.callWith(site.node, v.arg(site, 0), v.arg(site, 1), v.field(val, elemKey), flow.NoVar, v.constVar(val))
	case "values":
		s.Add(site.result, v.view(site, val, false))
	case "entries":
		s.Add(site.result, v.view(site, val, true))
	}
}

// setMethod models the methods of the Set val (its members are its one
// element field).
func (v *values) setMethod(site *callSite, val flow.Value, m string) {
	s := v.s
	switch m {
	case "add":
		s.Edge(v.arg(site, 0), v.field(val, elemKey))
		s.Add(site.result, val)
	case "forEach":
		v.callWith(site.node, v.arg(site, 0), v.arg(site, 1), v.field(val, elemKey), v.field(val, elemKey), v.constVar(val))
	case "values", "keys":
		s.Add(site.result, val)
	}
}

// escapeArgs sends a call's arguments to code outside the bundle.
func (v *values) escapeArgs(site *callSite) {
	if site.escaped {
		return
	}
	site.escaped = true
	v.escapeOnly(site)
	v.s.Add(site.result, flow.Unknown)
}

// escapeOnly sends a call's arguments to code the bundle does not
// contain.
func (v *values) escapeOnly(site *callSite) {
	for i, a := range site.args {
		if a == flow.NoVar {
			continue
		}
		v.s.Edge(a, v.escape)
		if site.spread[i] {
			v.s.Edge(v.load(a, elemKey), v.escape)
		}
	}
}

// escapeValue records that a value reached code outside the bundle: a
// function's parameters may then hold anything, an object may gain any
// key, and what the value holds escapes too.
func (v *values) escapeValue(a absValue, val flow.Value) {
	switch a.kind {
	case vkUnknown, vkGlobal, vkBuiltin, vkPackage:
		return
	case vkFunc:
		st := v.state(a.fn)
		if !st.escaped {
			st.escaped = true
			for _, p := range st.params {
				v.s.Add(p, flow.Unknown)
			}
			v.s.Add(st.rest, flow.Unknown)
			if !st.arrow {
				v.s.Add(st.this, flow.Unknown)
			}
			if st.args != 0 {
				v.s.Add(v.field(st.args, elemKey), flow.Unknown)
			}
		}
	}
	val = v.home(val, elemKey)
	o := v.obj(val)
	if o.escaped {
		return
	}
	o.escaped = true
	for i := 0; i < len(o.fields); i++ {
		v.s.Edge(v.fieldIfAny(val, o.fields[i].key), v.escape)
	}
	switch a.kind {
	case vkObj, vkArr, vkMap, vkSet:
		v.s.Add(v.field(val, elemKey), flow.Unknown)
	case vkFunc:
		v.s.Edge(v.constVar(v.instValue(a.fn)), v.escape)
	}
}
