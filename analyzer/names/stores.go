package names

import (
	"sort"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// Store is one object or Map that code keys by runtime names
// (registry[C.name] = C, map.set(fn.name, fn), {[C.name]: C}), with
// everything the bundle shows of how it is read: the evidence a verdict
// on it rests on.
type Store struct {
	// Node is the allocation site (object literal, new Map(...),
	// Object.create(null)); Pos its byte offset.
	Node ast.Node
	Pos  int
	// Map is set for stores keyed through methods (Map, WeakMap, Set,
	// WeakSet: get/set/has/add/delete), Set for the Sets among them.
	Map, Set bool
	// Writes are the name-keyed writes (key uses with Assign), Candidates
	// the union of the functions and classes whose names they write.
	Writes     []*Use
	Candidates []*Func
	// Complete is set when every write's candidate set is complete and
	// every runtime name is known: the store's name keys are exactly
	// the runtime names of Candidates.
	Complete bool
	// Open says why other keys may be in the store ("" when none can):
	// a computed write whose key is not a name, or the store reaching
	// code outside the bundle.
	Open string
	// Keys are the fixed keys the bundle writes (literal keys, o.k = v,
	// m.set("k", v)).
	Keys map[string]bool
	// Lookups are the reads with a fixed key (store.k, store["k"],
	// "k" in store, store.get("k"), hasOwnProperty.call(store, "k")).
	Lookups []*Lookup
	// NameReads counts the reads keyed by a runtime name (the other half
	// of a closed round trip); OtherReads the reads keyed by something
	// else (a parameter, configuration, JSON).
	NameReads, OtherReads int
	// NameKeys and OtherKeys are the keys of the first of those reads
	// (maxOtherKeys), in source order: where the store is read by
	// runtime names, and by names from elsewhere (JSON, configuration).
	NameKeys, OtherKeys []ast.Expression
	// Collisions are groups of distinct candidates that share one
	// runtime name: at runtime one entry overwrites the other.
	Collisions [][]*Func
}

// Lookup is a fixed-key read of a Store.
type Lookup struct {
	Node ast.Node
	Pos  int
	Key  string
	// Missing is set when no key the bundle stores is Key: the runtime
	// names of a complete candidate set, and the fixed keys, of a store
	// nothing else writes to.
	Missing bool
	// ambiguous: the looked-up expression may also be another object.
	ambiguous bool
}

// Closed reports whether the store is a closed round trip: written and
// read only through runtime names, so minification cannot break it. A
// store nothing in the bundle reads is not: its keys are for someone
// else.
func (s *Store) Closed() bool {
	return s.Open == "" && s.NameReads > 0 && len(s.Lookups) == 0 && s.OtherReads == 0
}

// Sound reports whether the bundle shows the store working whatever the
// names are: no fixed-key lookup misses, no two values share a key, and
// it is either a closed round trip or complete, closed to other writers
// and read only with fixed keys it holds.
func (s *Store) Sound() bool {
	if len(s.Collisions) > 0 {
		return false
	}
	for _, l := range s.Lookups {
		if l.Missing {
			return false
		}
	}
	return s.Closed() || s.Complete && s.Open == "" && s.OtherReads == 0 && len(s.Lookups) > 0
}

// NoFixedKeys reports whether every object a key read indexes is one the
// bundle allocates and never gives a fixed key: an empty object literal,
// or a Map or Set built empty and filled only under computed keys. A
// runtime name looked up there finds what the program itself stored
// under keys it computed; nothing in the bundle shows a break.
func (f *Facts) NoFixedKeys(u *Use) bool {
	v, vals := f.vals, f.keyValues(u)
	if len(vals) == 0 {
		return false
	}
	for _, o := range vals {
		a := v.vals[o]
		switch a.kind {
		case vkObj:
			lit, ok := a.node.(*ast.ObjectLiteral)
			if !ok || len(lit.Value) > 0 {
				return false
			}
			if keys, _ := v.writtenKeys(o); len(keys) > 0 {
				return false
			}
		case vkMap, vkSet:
			n, ok := a.node.(*ast.NewExpression)
			if !ok || len(n.ArgumentList) > 0 || f.constKeyed()[o] {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// constKeyed returns the Maps and Sets some call gives a fixed key
// (m.set("k", v), s.add("k")), built on first use.
func (f *Facts) constKeyed() map[flow.Value]bool {
	if f.fixedKeyed != nil {
		return f.fixedKeyed
	}
	f.fixedKeyed = map[flow.Value]bool{}
	f.Inspect(func(n ast.Node, _ []ast.Node) bool {
		x, ok := n.(*ast.CallExpression)
		if !ok || len(x.ArgumentList) == 0 {
			return true
		}
		d, ok := x.Callee.(*ast.DotExpression)
		if !ok || d.Identifier.Name != "set" && d.Identifier.Name != "add" {
			return true
		}
		if _, ok := f.constString(x.ArgumentList[0]); ok {
			for _, o := range f.vals.of(d.Left, nil) {
				f.fixedKeyed[o] = true
			}
		}
		return true
	})
	return f.fixedKeyed
}

// Stores returns the name-keyed stores of the file, in source order.
func (f *Facts) Stores() []*Store { return f.stores }

// StoreOf returns the store a key use writes to or reads from, or nil.
func (f *Facts) StoreOf(u *Use) *Store { return f.storeOfUse[u] }

// objectPrototype are the keys every object has.
var objectPrototype = map[string]bool{
	"toString": true, "valueOf": true, "hasOwnProperty": true, "constructor": true, "isPrototypeOf": true,
	"propertyIsEnumerable": true, "toLocaleString": true, "__proto__": true,
}

// mapMethods are the Map and WeakMap members that are not keys.
var mapMethods = map[string]bool{
	"get": true, "set": true, "has": true, "delete": true, "clear": true, "forEach": true, "keys": true,
	"values": true, "entries": true, "size": true, "add": true,
}

// findStores groups the name-keyed writes by the object or Map they
// write to, then reads the program once more for every other access to
// those objects.
func (f *Facts) findStores() {
	v := f.vals
	f.storeOfUse = map[*Use]*Store{}
	if v == nil {
		return
	}
	f.entries = v.entryStores()
	sc := &storeScan{f: f, v: v, byVal: map[flow.Value]*Store{}, nameUse: map[ast.Node]*Use{},
		derived: map[flow.Value]bool{}, ambiguous: map[ast.Node]bool{}}
	for _, u := range f.Uses {
		sc.addKeyUse(u)
	}
	if len(sc.byVal) == 0 {
		return
	}
	for o, st := range sc.byVal {
		if sc.derived[o] {
			st.Complete = false
		}
	}
	sc.attachReads()
	for o, st := range sc.byVal {
		sc.settle(o, st)
	}
	f.Inspect(sc.visit)
	for _, st := range sc.byVal {
		if st.Open == "" && st.Complete {
			markMissing(st)
		}
		f.stores = append(f.stores, st)
	}
	sort.Slice(f.stores, func(i, j int) bool { return f.stores[i].Pos < f.stores[j].Pos })
}

// storeScan is what findStores knows while it builds the stores.
type storeScan struct {
	f *Facts
	v *values
	// byVal is the store of each allocation a name-keyed write writes to.
	byVal map[flow.Value]*Store
	// nameUse is the key use (read or write) at each node.
	nameUse map[ast.Node]*Use
	// reads are the key uses that read.
	reads []*Use
	// derived are the allocations written with derived keys
	// (C.name.toLowerCase()).
	derived map[flow.Value]bool
	// ambiguous marks the expressions that may be a store and also
	// something else (another object, Unknown): a fixed key such an
	// expression lacks proves nothing.
	ambiguous map[ast.Node]bool
}

// addKeyUse files one key use: a read to match with its store later, a
// write into the stores of the object it indexes.
func (sc *storeScan) addKeyUse(u *Use) {
	f := sc.f
	if u.Kind != UseKey {
		return
	}
	base, ok := f.keyBase(u)
	if !ok {
		return
	}
	sc.nameUse[u.Node] = u
	if !u.Assign {
		sc.reads = append(sc.reads, u)
		return
	}
	if u.Read.Kind == RecvProperty {
		if e, ok := u.Read.Receiver.(ast.Expression); !ok || !f.reachedByInstance(e, u.Read.Candidates) {
			// x.name where classes set .name from their own names,
			// but nothing shows x to be one of their instances
			// (a registry keyed by descriptors' name strings).
			return
		}
	}
	if u.Derived() {
		// Derived keys (C.name.toLowerCase()) are the name-derived
		// rule's: such a store's keys are not the runtime names
		// themselves, but they still come from names.
		for _, o := range f.storeValues(base) {
			sc.derived[o] = true
		}
		return
	}
	sc.addWrite(u, base)
}

// addWrite records the name-keyed write u into each store base may be,
// making the store on its first write.
func (sc *storeScan) addWrite(u *Use, base ast.Node) {
	v := sc.v
	_, viaMap := u.Node.(*ast.CallExpression)
	_, entry := u.Node.(*ast.ArrayLiteral)
	for _, o := range sc.f.storeValues(base) {
		if k := v.vals[o].kind; !entry && (k == vkMap || k == vkSet) != viaMap {
			continue // m.set(k) and s.add(k) write Maps and Sets, o[k] = v objects
		}
		st := sc.byVal[o]
		if st == nil {
			a := v.vals[o]
			st = &Store{Node: a.node, Pos: walk.Start(a.node), Map: a.kind == vkMap || a.kind == vkSet, Set: a.kind == vkSet,
				Keys: map[string]bool{}, Complete: true}
			sc.byVal[o] = st
		}
		st.Writes = append(st.Writes, u)
		sc.f.storeOfUse[u] = st
		if u.Read.Candidates == nil || u.Read.Partial || u.Derived() || u.Mixed() {
			st.Complete = false
		}
		for _, fn := range u.Read.Candidates {
			if !fn.RuntimeKnown {
				st.Complete = false
			}
		}
		st.Candidates = append(st.Candidates, u.Read.Candidates...)
	}
}

// attachReads points each name-keyed read at the store it reads.
func (sc *storeScan) attachReads() {
	for _, u := range sc.reads {
		if base, ok := sc.f.keyBase(u); ok {
			for _, o := range sc.f.storeValues(base) {
				if st := sc.byVal[o]; st != nil {
					sc.f.storeOfUse[u] = st
				}
			}
		}
	}
}

// settle fills in what a store's writes alone decide: its distinct
// candidates and their collisions, whether it is open, and the fixed
// keys written into it.
func (sc *storeScan) settle(o flow.Value, st *Store) {
	v := sc.v
	st.Candidates = dedupe(st.Candidates)
	st.Collisions = Collisions(st.Candidates)
	if v.s.Truncated {
		st.Open = "the analysis stopped early"
	} else if ob := v.objIfAny(o); ob != nil && ob.escaped {
		st.Open = "it reaches code outside the bundle"
	}
	if lit, ok := st.Node.(*ast.ObjectLiteral); ok {
		for _, p := range lit.Value {
			if k, ok := PropertyKey(p); ok {
				st.Keys[k] = true
			}
		}
	}
	keys, _ := v.writtenKeys(o)
	for _, k := range keys {
		st.Keys[k] = true
	}
}

// markMissing marks the lookups of a complete, closed store whose key is
// neither a candidate's runtime name nor a fixed key written into it.
func markMissing(st *Store) {
	keys := map[string]bool{}
	for _, fn := range st.Candidates {
		keys[fn.Runtime] = true
	}
	for _, l := range st.Lookups {
		l.Missing = !keys[l.Key] && !st.Keys[l.Key] && !l.ambiguous
	}
}

// at returns the stores an expression may be, marking it ambiguous when
// it may also be something else.
func (sc *storeScan) at(e ast.Expression) []*Store {
	var out []*Store
	all := sc.v.of(e, nil)
	for _, o := range all {
		if st := sc.byVal[o]; st != nil {
			out = append(out, st)
		}
	}
	if len(out) > 0 && len(out) < len(all) {
		for _, o := range all {
			if sc.byVal[o] == nil && !sc.v.keyless(o) {
				sc.ambiguous[e] = true
				break
			}
		}
	}
	return out
}

// lookup records a read of key from each of sts at n (base is the
// expression read from).
func (sc *storeScan) lookup(sts []*Store, base ast.Node, n ast.Node, pos int, key string) {
	for _, st := range sts {
		sc.lookupIn(st, base, n, pos, key)
	}
}

// lookupIn records a read of key from st, unless key is one every object
// has and st is no Map.
func (sc *storeScan) lookupIn(st *Store, base ast.Node, n ast.Node, pos int, key string) {
	if !st.Map && objectPrototype[key] {
		return
	}
	st.Lookups = append(st.Lookups, &Lookup{Node: n, Pos: pos, Key: key, ambiguous: sc.ambiguous[base]})
}

// visit is findStores' walk of the program: every member access, `in`
// test and call that may touch a store.
func (sc *storeScan) visit(n ast.Node, stack []ast.Node) bool {
	switch x := n.(type) {
	case *ast.DotExpression:
		sc.dot(x, top(stack))
	case *ast.BracketExpression:
		sc.bracket(x, top(stack))
	case *ast.BinaryExpression:
		if x.Operator == token.IN {
			sc.in(x)
		}
	case *ast.CallExpression:
		sc.call(x)
	}
	return true
}

// dot classifies store.k: a fixed-key lookup unless it is written or
// names a Map method.
func (sc *storeScan) dot(x *ast.DotExpression, parent ast.Node) {
	sts := sc.at(x.Left)
	if len(sts) == 0 {
		return
	}
	key := x.Identifier.Name.String()
	if isWriteTarget(x, parent) {
		return // a fixed key written: the solver marked it
	}
	for _, st := range sts {
		if st.Map && mapMethods[key] {
			continue
		}
		sc.lookupIn(st, x.Left, x, memberPos(x), key)
	}
}

// bracket classifies store[k]: a fixed-key lookup, a read or write
// keyed by a runtime name, or one keyed by something else.
func (sc *storeScan) bracket(x *ast.BracketExpression, parent ast.Node) {
	f := sc.f
	sts := sc.at(x.Left)
	if len(sts) == 0 {
		return
	}
	write := isWriteTarget(x, parent)
	if k, ok := f.constString(x.Member); ok {
		if !write {
			sc.lookup(sts, x.Left, x, memberPos(x), k)
		}
		return
	}
	if !write {
		f.keyedRead(sts, x, x.Member)
		if k, ok := f.fallbackString(x.Member); ok {
			sc.lookup(sts, x.Left, x, memberPos(x), k)
		}
	}
	if _, ok := sc.nameUse[x]; ok || f.nameish(x.Member, 0) {
		if !write {
			for _, st := range sts {
				st.nameRead(x.Member)
			}
		} else if !ok {
			for _, st := range sts {
				st.Complete = false
			}
		}
		return
	}
	sc.otherKey(sts, x.Member, write)
}

// otherKey records an access of sts keyed by something other than a
// runtime name: a write opens the stores, a read is counted.
func (sc *storeScan) otherKey(sts []*Store, key ast.Expression, write bool) {
	for _, st := range sts {
		if write {
			if st.Open == "" {
				st.Open = "other code writes computed keys into it"
			}
		} else {
			sc.f.countRead(st, key)
		}
	}
}

// in classifies `k in store`.
func (sc *storeScan) in(x *ast.BinaryExpression) {
	sts := sc.at(x.Right)
	if len(sts) == 0 {
		return
	}
	if k, ok := sc.f.constString(x.Left); ok {
		sc.lookup(sts, x.Right, x, walk.Start(x.Left), k)
	} else if _, ok := sc.nameUse[x]; ok {
		for _, st := range sts {
			st.nameRead(x.Left)
		}
	} else {
		for _, st := range sts {
			sc.f.countRead(st, x.Left)
		}
	}
}

// call classifies the calls that touch a store: Map get/has/set/
// delete, and hasOwnProperty checks.
func (sc *storeScan) call(x *ast.CallExpression) {
	f := sc.f
	d, ok := x.Callee.(*ast.DotExpression)
	if !ok {
		return
	}
	m := d.Identifier.Name.String()
	var sts []*Store
	var base, keyArg ast.Expression
	write := false
	switch {
	case m == "call" && len(x.ArgumentList) == 2:
		// hasOwnProperty.call(store, "k"), Object.prototype.hasOwnProperty.call(...)
		if inner, ok := d.Left.(*ast.DotExpression); ok && inner.Identifier.Name == "hasOwnProperty" ||
			isIdent(d.Left, "hasOwnProperty") {
			base, keyArg = x.ArgumentList[0], x.ArgumentList[1]
			sts = sc.at(base)
		}
	case (m == "hasOwn" || m == "has") && len(x.ArgumentList) == 2 && (isIdent(d.Left, "Object") || isIdent(d.Left, "Reflect")):
		base, keyArg = x.ArgumentList[0], x.ArgumentList[1]
		sts = sc.at(base)
	case m == "hasOwnProperty" && len(x.ArgumentList) == 1:
		base, keyArg = d.Left, x.ArgumentList[0]
		sts = sc.at(base)
	case (m == "get" || m == "has" || m == "delete" || m == "set" || m == "add") && len(x.ArgumentList) >= 1:
		base = d.Left
		for _, st := range sc.at(base) {
			if st.Set && m != "get" && m != "set" || st.Map && !st.Set && m != "add" {
				sts = append(sts, st)
			}
		}
		keyArg, write = x.ArgumentList[0], m == "set" || m == "add"
	}
	if len(sts) == 0 || keyArg == nil {
		return
	}
	if k, ok := f.constString(keyArg); ok {
		if write {
			for _, st := range sts {
				st.Keys[k] = true
			}
			return
		}
		sc.lookup(sts, base, x, walk.Start(keyArg), k)
		return
	}
	if !write && (m == "get" || m == "has") && len(x.ArgumentList) == 1 {
		f.keyedRead(sts, x, keyArg)
		if k, ok := f.fallbackString(keyArg); ok {
			// views.get(param || "GridView"): read with the literal
			// whenever the parameter is missing.
			sc.lookup(sts, base, x, walk.Start(keyArg), k)
		}
	}
	if _, ok := sc.nameUse[x]; ok || f.carriesName(keyArg) || f.nameish(keyArg, 0) {
		if !write {
			for _, st := range sts {
				st.nameRead(keyArg)
			}
		}
		return
	}
	sc.otherKey(sts, keyArg, write)
}

// keyedRead records a read of the stores sts at n with the computed key
// key (store[k], store.get(k), store.has(k)), for the verdicts that judge
// such reads once the stores are complete (findInstanceNameLookups).
func (f *Facts) keyedRead(sts []*Store, n ast.Node, key ast.Expression) {
	for _, st := range sts {
		f.keyedReads = append(f.keyedReads, keyedRead{st, n, key})
	}
}

// keyedRead is a read of a store with a computed key.
type keyedRead struct {
	st  *Store
	n   ast.Node
	key ast.Expression
}

// countRead counts a read of st keyed by something other than a runtime
// name in place: a type tag read back from data (handlers.get(msg.tag))
// is still one when the program writes that property only with runtime
// names that st stores (a closed round trip through serialized data).
func (f *Facts) countRead(st *Store, key ast.Expression) {
	if f.tagRoundTrip(st, key) {
		st.nameRead(key)
		f.tagClosed[f.keyProperty(key)]++
		return
	}
	st.OtherReads++
	if len(st.OtherKeys) < maxOtherKeys {
		st.OtherKeys = append(st.OtherKeys, key)
	}
}

// nameRead counts a read of st keyed by a runtime name, key.
func (st *Store) nameRead(key ast.Expression) {
	st.NameReads++
	if len(st.NameKeys) < maxOtherKeys {
		st.NameKeys = append(st.NameKeys, key)
	}
}

// maxOtherKeys is the most Store.OtherKeys (and NameKeys) kept.
const maxOtherKeys = 3

// tagRoundTrip reports whether key reads a data property that carries
// only runtime names st holds as keys.
func (f *Facts) tagRoundTrip(st *Store, key ast.Expression) bool {
	p := f.keyProperty(key)
	uses := f.tagChannels()[p]
	if p == "" || len(uses) == 0 || !st.Complete {
		return false
	}
	stored := map[string]bool{}
	for _, fn := range st.Candidates {
		stored[fn.Runtime] = true
	}
	for _, u := range uses {
		for _, fn := range u.Read.Candidates {
			if !fn.RuntimeKnown || !stored[fn.Runtime] && !st.Keys[fn.Runtime] {
				return false
			}
		}
	}
	return true
}

// tupleTag is the pseudo-property of the first element of a tuple: the
// name written as [C.name, data] and read back as ([tag, data]) => ….
const tupleTag = "[0]"

// TagClosed reports whether u writes a runtime name into data under a
// property that every read of the program uses as the key of a closed
// round trip (handlers.get(msg.tag) on a Map keyed by the same names):
// the tag comes back to the names it was written from.
func (f *Facts) TagClosed(u *Use) bool {
	if u.Key == "" || len(f.tagChannels()[u.Key]) == 0 {
		return false
	}
	n := f.tagReads[u.Key]
	return n > 0 && f.tagClosed[u.Key] == n
}

// tagChannels returns, per property name, the uses that write runtime
// names into data under it ({tag: req.constructor.name},
// this.type = C.name), for the properties the program writes in no other
// way: a read of such a property yields one of those names.
func (f *Facts) tagChannels() map[string][]*Use {
	if f.tags != nil {
		return f.tags
	}
	f.tags = map[string][]*Use{}
	f.tagReads, f.tagClosed = map[string]int{}, map[string]int{}
	mixed := map[string]bool{}
	tagNode := map[ast.Node]bool{}
	for _, u := range f.Uses {
		key := u.Key
		if _, tuple := u.Node.(*ast.ArrayLiteral); tuple && u.Kind == UseKey && f.storeOfUse[u] == nil {
			// [op.constructor.name, {...op}] building no store: a tuple
			// whose first element carries the name into data.
			key = tupleTag
		} else if (u.Kind != UseSerialize && u.Kind != UseStore) || key == "" {
			continue
		}
		if u.Derived() || u.Read.Candidates == nil || u.Read.Partial {
			mixed[key] = true
			continue
		}
		f.tags[key] = append(f.tags[key], u)
		tagNode[u.Node] = true
	}
	if len(f.tags) == 0 {
		return f.tags
	}
	other := func(k string, n ast.Node) {
		if len(f.tags[k]) > 0 && !tagNode[n] {
			mixed[k] = true
		}
	}
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		switch x := n.(type) {
		case *ast.DotExpression:
			if k := x.Identifier.Name.String(); len(f.tags[k]) > 0 && !isWriteTarget(x, top(stack)) {
				f.tagReads[k]++
			}
		case *ast.ObjectPattern:
			for _, p := range x.Properties {
				switch p := p.(type) {
				case *ast.PropertyShort:
					f.tagReads[p.Name.Name.String()]++
				case *ast.PropertyKeyed:
					if k, ok := propName(p.Key, p.Computed); ok {
						f.tagReads[k]++
					}
				}
			}
			return true
		case *ast.PropertyKeyed:
			if k, ok := propName(x.Key, x.Computed); ok {
				other(k, x)
			}
		case *ast.PropertyShort:
			other(x.Name.Name.String(), x)
		case *ast.AssignExpression:
			switch l := x.Left.(type) {
			case *ast.DotExpression:
				other(l.Identifier.Name.String(), x)
			case *ast.BracketExpression:
				if k, ok := f.constString(l.Member); ok {
					other(k, x)
				}
			}
		}
		return true
	})
	for k := range mixed {
		delete(f.tags, k)
	}
	return f.tags
}

// keyValues returns the values the flows see reach the object a key use
// indexes (none when they cannot say).
func (f *Facts) keyValues(u *Use) []flow.Value {
	base, ok := f.keyBase(u)
	e, isExpr := base.(ast.Expression)
	if !ok || !isExpr || f.vals == nil {
		return nil
	}
	return f.vals.of(e, nil)
}

// keyBase returns the object expression a key use indexes.
func (f *Facts) keyBase(u *Use) (ast.Node, bool) {
	switch n := u.Node.(type) {
	case *ast.BracketExpression:
		return n.Left, true
	case *ast.CallExpression:
		if d, ok := n.Callee.(*ast.DotExpression); ok {
			return d.Left, true
		}
	case *ast.BinaryExpression:
		return n.Right, true
	case *ast.PropertyKeyed, *ast.ArrayLiteral:
		return n, true
	}
	return nil, false
}

// storeValues returns the objects and Maps an expression (or, for a
// computed property, its object literal) may be.
func (f *Facts) storeValues(n ast.Node) []flow.Value {
	v := f.vals
	var vals []flow.Value
	if o, ok := v.propObj[n]; ok {
		vals = []flow.Value{o}
	} else if _, ok := n.(*ast.ArrayLiteral); ok {
		vals = f.entries[n]
	} else if e, ok := n.(ast.Expression); ok {
		vals = v.of(e, nil)
	}
	var out []flow.Value
	for _, o := range vals {
		switch v.vals[o].kind {
		case vkObj, vkMap, vkSet:
			if v.vals[o].node != nil {
				out = append(out, o)
			}
		}
	}
	return out
}

// Collisions groups the functions of fns (distinct ones) that share a
// known runtime name, in the order the names first appear.
func Collisions(fns []*Func) [][]*Func {
	by := map[string][]*Func{}
	var order []string
	for _, fn := range fns {
		if !fn.RuntimeKnown {
			continue
		}
		if _, ok := by[fn.Runtime]; !ok {
			order = append(order, fn.Runtime)
		}
		by[fn.Runtime] = append(by[fn.Runtime], fn)
	}
	var out [][]*Func
	for _, name := range order {
		if group := by[name]; len(group) > 1 && !oneSlot(group) {
			out = append(out, group)
		}
	}
	return out
}

// oneSlot reports whether every function of a group takes its name from
// one variable: a variable reused for several values (uglify-js assigns
// a class and later an arrow to one var) holds one at a time, so the
// flows, which do not follow time, bring both where only one can be.
// That is no evidence of two values under one name.
func oneSlot(group []*Func) bool {
	b := group[0].NameBinding
	if b == nil {
		return false
	}
	for _, fn := range group[1:] {
		if fn.NameBinding != b {
			return false
		}
	}
	return true
}

// carriesName reports whether an expression holds a name value: a .name
// read, or a binding a name flowed into.
func (f *Facts) carriesName(e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.Identifier:
		if b := f.Scope.Resolve(x); b != nil {
			_, ok := f.flows.bindings[b]
			return ok
		}
	case *ast.DotExpression, *ast.BracketExpression:
		if f.readNodes == nil {
			// Built once: a scan of every read per key would be
			// quadratic on a bundle with many of both.
			f.readNodes = make(map[ast.Node]bool, len(f.Reads))
			for _, r := range f.Reads {
				f.readNodes[r.Node] = true
			}
		}
		return f.readNodes[e]
	}
	return false
}

// nameish reports a key that is some function's name even where the
// flows cannot say whose: `x.name`, `x.name + ""`, `String(x.name)`, or
// a binding set once to one (lodash keys realNames by the names of its
// own functions this way). Such keys neither open a store nor count as
// reads by other keys.
func (f *Facts) nameish(e ast.Expression, depth int) bool {
	if depth > 4 {
		return false
	}
	switch x := e.(type) {
	case *ast.DotExpression:
		return x.Identifier.Name == "name" && f.mayBeFunction(x.Left)
	case *ast.BracketExpression:
		s, ok := x.Member.(*ast.StringLiteral)
		return ok && s.Value == "name" && f.mayBeFunction(x.Left)
	case *ast.BinaryExpression:
		if x.Operator == token.PLUS {
			if s, ok := x.Right.(*ast.StringLiteral); ok && s.Value == "" {
				return f.nameish(x.Left, depth+1)
			}
		}
	case *ast.CallExpression:
		if isIdent(x.Callee, "String") && len(x.ArgumentList) == 1 {
			return f.nameish(x.ArgumentList[0], depth+1)
		}
	case *ast.Identifier:
		init := f.Scope.Resolve(x).Constant()
		if init == nil {
			return false
		}
		return f.nameish(init, depth+1)
	}
	return false
}

// maySet reports whether the flows see a Set reach e.
func (f *Facts) maySet(e ast.Expression) bool {
	v := f.vals
	if v == nil {
		return false
	}
	for _, x := range v.of(e, nil) {
		if v.vals[x].kind == vkSet {
			return true
		}
	}
	return false
}

// mayBeFunction reports whether e may be a function as far as the flows
// tell: they see one reach it, or only values they cannot see. `user.name`
// where an object with a name property reaches user is data.
func (f *Facts) mayBeFunction(e ast.Expression) bool {
	v := f.vals
	vals := v.of(e, nil)
	unknown, data := len(vals) == 0, false
	nameKey, named := v.keys["name"]
	for _, x := range vals {
		switch v.vals[x].kind {
		case vkFunc:
			return true
		case vkUnknown:
			unknown = true
		default:
			if named && v.isWritten(x, nameKey) {
				data = true
			}
		}
	}
	return unknown && !data
}

// GlobalKey reports whether a key use indexes the global object only
// (window[fn.name] = fn): a registry other scripts and HTML reach.
func (f *Facts) GlobalKey(u *Use) bool {
	vals := f.keyValues(u)
	for _, x := range vals {
		if f.vals.vals[x].kind != vkGlobal {
			return false
		}
	}
	return len(vals) > 0
}
