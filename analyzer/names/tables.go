package names

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// TableMiss is a lookup of a table keyed by literals (`{Point, Line}`,
// `{circle: Circle}`) with a runtime name: the table maps Key to Func,
// but the lookup's key is Func's runtime name, which is not Key. Object
// keys survive minification, so the evidence is in the bundle with or
// without a map.
type TableMiss struct {
	// Node is the lookup (table[k]); Pos its key's byte offset.
	Node ast.Node
	Pos  int
	// Table is the object literal, Key the key that holds Func.
	Table ast.Node
	Key   string
	Func  *Func
	// Holds is set when the table holds Func itself under Key ({Point,
	// Line}); otherwise Key is Func's name in the source and the table
	// holds something else for it ({Invoice: {no: "invoiceNumber"}}).
	Holds bool
	// Literals is set when the table is a Set or Map built from string
	// literals (new Set(["loadRoutes"])) rather than an object literal.
	Literals bool
	// Func is nil for a miss seen without a map: the table holds an entry
	// under Key that the derivation of no candidate's runtime name makes
	// (Looked lists the keys they make), in a minified bundle whose
	// candidates all have short, unpinned names.
	//
	// When the lookup's key is a string made from the runtime name
	// (Via.Derived(): "store:" + C.name), Looked is that key as it is
	// built at runtime in this build, and Key the literal key the store
	// holds the entry under (the same derivation of the source name).
	Looked string
	// Via is the use the name came from: the lookup's own key (a
	// .name read), or a write of the name into data under the property
	// Tag ({type: C.name} serialized, then table[data.type]).
	Via *Use
	Tag string
}

// TableMisses returns the table lookups that miss, in source order.
func (f *Facts) TableMisses() []*TableMiss { return f.tableMisses }

// findTables finds lookups of literal-keyed tables of functions or
// classes by runtime names: directly (table[x.constructor.name]) or
// through data that carried the name under a property (a type tag
// written with C.name, read back as table[rec.type]).
func (f *Facts) findTables() {
	v := f.vals
	if v == nil || v.s.Truncated {
		return
	}
	direct := map[ast.Node]*Use{}
	tags := map[string][]*Use{}
	for _, u := range f.Uses {
		if u.Derived() || u.Read.Candidates == nil || u.Read.Kind == RecvProperty {
			continue
		}
		switch u.Kind {
		case UseKey:
			if !u.Assign {
				direct[u.Node] = u
			}
		case UseArg:
			// list.includes(C.name): a lookup in the list's elements.
			if c, ok := u.Node.(*ast.CallExpression); ok && len(c.ArgumentList) > 0 {
				if d, ok := c.Callee.(*ast.DotExpression); ok && listLookups[d.Identifier.Name.String()] {
					direct[u.Node] = u
				}
			}
		case UseSerialize, UseStore:
			if u.Key != "" {
				tags[u.Key] = append(tags[u.Key], u)
			}
		}
	}
	f.derivedLookups()
	if len(direct) == 0 && len(tags) == 0 {
		return
	}
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		if c, ok := n.(*ast.CallExpression); ok {
			if u := direct[c]; u != nil {
				f.literalSetLookup(c, u)
			}
			return true
		}
		x, ok := n.(*ast.BracketExpression)
		if !ok || isWriteTarget(x, top(stack)) {
			return true
		}
		if _, ok := f.constString(x.Member); ok {
			return true
		}
		var uses []*Use
		tag := ""
		if u := direct[x]; u != nil {
			uses = []*Use{u}
		} else if p := f.keyProperty(x.Member); p != "" {
			uses, tag = tags[p], p
		}
		if len(uses) == 0 {
			return true
		}
		for _, t := range v.of(x.Left, stack) {
			f.tableLookup(x, t, uses, tag)
		}
		return true
	})
	sort.SliceStable(f.tableMisses, func(i, j int) bool { return f.tableMisses[i].Pos < f.tableMisses[j].Pos })
}

// tableLookup checks one lookup against one table value.
func (f *Facts) tableLookup(x *ast.BracketExpression, t flow.Value, uses []*Use, tag string) {
	v := f.vals
	a := v.vals[t]
	lit, ok := a.node.(*ast.ObjectLiteral)
	if a.kind != vkObj || !ok {
		return
	}
	// key → the functions and classes the table holds there.
	holds := map[*Func]string{}
	keys := map[string]bool{}
	for _, fl := range v.obj(t).fields {
		k := fl.key
		if k == elemKey || !v.isWritten(t, k) {
			continue
		}
		keys[v.keyName[k]] = true
		for _, val := range v.s.Values(v.fieldIfAny(t, k)) {
			if va := v.vals[val]; va.kind == vkFunc {
				if _, seen := holds[va.fn]; !seen {
					holds[va.fn] = v.keyName[k]
				}
			}
		}
	}
	seen := map[*Func]bool{}
	for _, u := range uses {
		for _, fn := range u.Read.Candidates {
			key, held := holds[fn]
			if !held && fn.Renamed() && keys[fn.Original] {
				// Keyed by the name the source gave fn: the lookup hit
				// before minification.
				key = fn.Original
			} else if !held {
				continue
			}
			if seen[fn] || !fn.RuntimeKnown || fn.Runtime == key || keys[fn.Runtime] {
				continue
			}
			seen[fn] = true
			f.tableMisses = append(f.tableMisses, &TableMiss{
				Node: x, Pos: walk.Start(x.Member), Table: lit, Key: key, Func: fn, Via: u, Tag: tag, Holds: held,
			})
		}
	}
}

// keyProperty returns the property a lookup key was read from: `rec.type`
// or a binding destructured from .type; "" otherwise.
func (f *Facts) keyProperty(e ast.Expression) string {
	switch x := e.(type) {
	case *ast.DotExpression:
		return x.Identifier.Name.String()
	case *ast.Identifier:
		if b := f.Scope.Resolve(x); b != nil {
			return f.vals.propOf[b]
		}
	}
	return ""
}

// literalSetLookup checks s.has(C.name) / m.get(C.name) on a Set or Map
// built from an array literal of string keys (new Set(["loadRoutes"]),
// new Map([["Invoice", …]])): string literals survive minification, so a
// renamed function whose source name is one of the keys is not found.
func (f *Facts) literalSetLookup(c *ast.CallExpression, u *Use) {
	d, ok := c.Callee.(*ast.DotExpression)
	if !ok {
		return
	}
	m := d.Identifier.Name.String()
	if m != "has" && m != "get" && !listLookups[m] {
		return
	}
	v := f.vals
	for _, t := range v.of(d.Left, nil) {
		a := v.vals[t]
		var table ast.Node
		var keys map[string]bool
		switch n := a.node.(type) {
		case *ast.NewExpression:
			if a.kind != vkSet && a.kind != vkMap || listLookups[m] || len(n.ArgumentList) != 1 {
				continue
			}
			keys, ok = f.literalKeys(n.ArgumentList[0], a.kind == vkMap)
			table = n
		case *ast.ArrayLiteral:
			// ["Migration2024…", …].includes(M.name): the elements are
			// the keys.
			if a.kind != vkArr || !listLookups[m] || len(c.ArgumentList) == 0 || !isArg(c.ArgumentList[0], u) {
				continue
			}
			keys, ok = f.literalKeys(n, false)
			table = n
		default:
			continue
		}
		if !ok || len(keys) == 0 {
			continue
		}
		if !f.HasMap {
			// The source names are unknown; identifiers among the keys
			// that no candidate carries at runtime are the evidence.
			f.unmatchedKeys(u, table, keys)
			continue
		}
		for _, fn := range u.Read.Candidates {
			if fn.Renamed() && keys[fn.Original] && !keys[fn.Runtime] {
				f.tableMisses = append(f.tableMisses, &TableMiss{
					Node: c, Pos: walk.Start(c.ArgumentList[0]), Table: table, Key: fn.Original, Func: fn, Via: u, Literals: true,
				})
			}
		}
	}
}

// listLookups are the array methods that look a value up among the
// elements.
var listLookups = map[string]bool{"includes": true, "indexOf": true, "lastIndexOf": true}

// isArg reports whether the use's name read is the expression a (the
// lookup's first argument) itself.
func isArg(a ast.Expression, u *Use) bool { return ast.Node(a) == u.Read.Node }

// literalKeys returns the keys of the array literals e may be, when
// every one of them lists only string literals (or, for a Map, pairs
// whose first element is one).
func (f *Facts) literalKeys(e ast.Expression, pairs bool) (map[string]bool, bool) {
	v := f.vals
	vals := v.of(e, nil)
	if len(vals) == 0 {
		return nil, false
	}
	keys := map[string]bool{}
	for _, o := range vals {
		lit, ok := v.vals[o].node.(*ast.ArrayLiteral)
		if v.vals[o].kind != vkArr || !ok {
			return nil, false
		}
		for _, el := range lit.Value {
			if pairs {
				p, ok := el.(*ast.ArrayLiteral)
				if !ok || len(p.Value) == 0 {
					return nil, false
				}
				el = p.Value[0]
			}
			k, ok := f.constString(el)
			if !ok {
				return nil, false
			}
			keys[k] = true
		}
	}
	return keys, true
}

// TableKeys returns the keys of the object literals a key read u
// indexes, when the bundle shows them in full (no write under a computed
// key): what the lookup can find, before minification and after it.
func (f *Facts) TableKeys(u *Use) (map[string]bool, bool) {
	v, vals := f.vals, f.keyValues(u)
	if len(vals) == 0 {
		return nil, false
	}
	keys := map[string]bool{}
	for _, t := range vals {
		a := v.vals[t]
		if _, lit := a.node.(*ast.ObjectLiteral); a.kind != vkObj || !lit {
			return nil, false
		}
		written, computed := v.writtenKeys(t)
		if computed {
			return nil, false // written under computed keys too
		}
		for _, k := range written {
			keys[k] = true
		}
	}
	return keys, true
}

// derivedLookups finds lookups of a store by a key made from a runtime
// name ("store:" + this.constructor.name, `${M.name}:v2`, or the name
// itself in a Map filled with set("Name", …)) when the store holds an
// entry under a literal key that the same derivation of a candidate's
// source name gives, and not under what its runtime name gives: the
// lookup found that entry before minification and misses it now. It
// needs the source names, so a map.
func (f *Facts) derivedLookups() {
	v := f.vals
	var lookups []*Use
	for _, u := range f.Uses {
		if u.Kind != UseKey || u.Assign || u.Read.Candidates == nil {
			continue
		}
		if !u.Derivation.Known() {
			continue
		}
		lookups = append(lookups, u)
	}
	if len(lookups) == 0 {
		return
	}
	setKeys := f.mapSetKeys()
	for _, u := range lookups {
		for _, o := range f.keyValues(u) {
			a := v.vals[o]
			var keys map[string]bool
			switch a.kind {
			case vkMap:
				keys = setKeys[o]
				if ne, ok := a.node.(*ast.NewExpression); ok && len(ne.ArgumentList) == 1 && u.Derived() {
					if init, ok := f.literalKeys(ne.ArgumentList[0], true); ok {
						keys = mergeKeys(keys, init)
					}
				}
			case vkObj:
				if !u.Derived() {
					continue // tableLookup's
				}
				keys = map[string]bool{}
				written, _ := v.writtenKeys(o)
				for _, k := range written {
					keys[k] = true
				}
			}
			if len(keys) == 0 {
				continue
			}
			if !f.HasMap {
				f.unmatchedKeys(u, a.node, keys)
				continue
			}
			for _, fn := range u.Read.Candidates {
				if !fn.Renamed() {
					continue
				}
				was, _ := u.Derivation.Apply(fn.Original)
				now, _ := u.Derivation.Apply(fn.Runtime)
				if !keys[was] || keys[now] || was == now {
					continue
				}
				f.tableMisses = append(f.tableMisses, &TableMiss{
					Node: u.Node, Pos: walk.Start(u.Node), Table: a.node, Key: was, Func: fn, Via: u,
					Literals: true, Looked: now,
				})
			}
		}
	}
}

// mapSetKeys returns, per Map value, the string literal keys the program
// sets on it (m.set("CartStore", …)).
func (f *Facts) mapSetKeys() map[flow.Value]map[string]bool {
	v := f.vals
	out := map[flow.Value]map[string]bool{}
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		c, ok := n.(*ast.CallExpression)
		if !ok || len(c.ArgumentList) < 2 {
			return true
		}
		d, ok := c.Callee.(*ast.DotExpression)
		if !ok || d.Identifier.Name != "set" {
			return true
		}
		k, ok := f.constString(c.ArgumentList[0])
		if !ok {
			return true
		}
		for _, o := range v.of(d.Left, stack) {
			if v.vals[o].kind == vkMap {
				if out[o] == nil {
					out[o] = map[string]bool{}
				}
				out[o][k] = true
			}
		}
		return true
	})
	return out
}

func mergeKeys(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// unmatchedKeys is derivedLookups without a map: the source names are
// unknown, but a literal key of the table that has the derivation's
// constant parts around an identifier no candidate carries at runtime is
// an entry the lookup cannot reach, when every candidate's runtime name
// is a short one the minifier gave (two characters at most, not pinned).
// Only affixes are inverted (a case change is not).
func (f *Facts) unmatchedKeys(u *Use, table ast.Node, keys map[string]bool) {
	if !f.Minified {
		return
	}
	prefix, suffix, ok := u.Derivation.Affixes()
	if !ok {
		return
	}
	runtime := map[string]bool{}
	var looked []string
	for _, fn := range u.Read.Candidates {
		if !fn.RuntimeKnown || len(fn.Runtime) > 2 || fn.Pin != NotPinned {
			return
		}
		if !runtime[fn.Runtime] {
			runtime[fn.Runtime] = true
			key := fmt.Sprintf("%q", prefix+fn.Runtime+suffix)
			if key == `""` {
				key = `"" (the name of anonymous functions)`
			}
			looked = append(looked, key)
		}
	}
	sort.Strings(looked)
	var lits []string
	for k := range keys {
		lits = append(lits, k)
	}
	sort.Strings(lits)
	for _, k := range lits {
		if len(k) < len(prefix)+len(suffix) || !strings.HasPrefix(k, prefix) || !strings.HasSuffix(k, suffix) {
			continue
		}
		x := k[len(prefix) : len(k)-len(suffix)]
		if len(x) < 3 || !isIdentifier(x) || runtime[x] {
			continue
		}
		f.tableMisses = append(f.tableMisses, &TableMiss{
			Node: u.Node, Pos: walk.Start(u.Node), Table: table, Key: k, Via: u,
			Literals: true, Looked: strings.Join(looked, ", "),
		})
	}
}
