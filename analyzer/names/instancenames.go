package names

import (
	"sort"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// InstanceNameMiss is a lookup of a registry keyed by the runtime names
// of classes (known.set(Ctor.name, Ctor)) with the name their instances
// carry (known.get(data.name)): the classes set that name explicitly
// (this.name = "QuotaError", as error classes do), equal to the class
// name in the source, so serialized instances found their class before
// minification; now the registry's keys are the runtime names.
type InstanceNameMiss struct {
	// Node is the lookup; Pos its key's byte offset.
	Node ast.Node
	Pos  int
	// Store is the registry.
	Store *Store
	// Func is a class of the registry whose instances are named Instance
	// while the class is Func.Runtime at runtime.
	Func     *Func
	Instance string
}

// InstanceNameMisses returns the lookups by instance name that miss, in
// source order.
func (f *Facts) InstanceNameMisses() []*InstanceNameMiss { return f.instanceMisses }

// findInstanceNameLookups fills f.instanceMisses.
func (f *Facts) findInstanceNameLookups() {
	v := f.vals
	if v == nil || v.s.Truncated || len(f.stores) == 0 {
		return
	}
	byVal := map[flow.Value]*Store{}
	for _, st := range f.stores {
		if st.Complete && len(st.Candidates) > 0 {
			if val, ok := v.allocs[st.Node]; ok {
				byVal[val] = st
			}
		}
	}
	if len(byVal) == 0 {
		return
	}
	read := map[ast.Node]bool{}
	for _, r := range f.Reads {
		// err.name where classes set this.name = this.constructor.name
		// is an instance's name too (RecvProperty): only a function's
		// own .name is the runtime name itself.
		if r.Kind != RecvProperty {
			read[r.Node] = true
		}
	}
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		var recv, key ast.Expression
		switch x := n.(type) {
		case *ast.CallExpression:
			if d, ok := x.Callee.(*ast.DotExpression); ok && len(x.ArgumentList) == 1 {
				switch d.Identifier.Name {
				case "get", "has":
					recv, key = d.Left, x.ArgumentList[0]
				}
			}
		case *ast.BracketExpression:
			if !isWriteTarget(x, top(stack)) {
				recv, key = x.Left, x.Member
			}
		}
		if recv == nil || f.keyProperty(key) != "name" {
			return true
		}
		if read[key] {
			return true // C.name: the runtime name itself
		}
		for _, o := range v.of(recv, stack) {
			st := byVal[o]
			if st == nil {
				continue
			}
			for _, fn := range st.Candidates {
				inst, ok := f.instanceName(fn, 0)
				if !ok || inst == fn.Runtime || !f.namedInSource(fn, inst) {
					continue
				}
				f.instanceMisses = append(f.instanceMisses, &InstanceNameMiss{Node: n, Pos: walk.Start(key), Store: st, Func: fn, Instance: inst})
			}
		}
		return true
	})
	sort.SliceStable(f.instanceMisses, func(i, j int) bool { return f.instanceMisses[i].Pos < f.instanceMisses[j].Pos })
}

// namedInSource reports whether inst is what fn was called in the source:
// the map says so, or (without one) fn's runtime name is a short one the
// minifier gave and inst an identifier of three characters or more.
func (f *Facts) namedInSource(fn *Func, inst string) bool {
	if fn.OriginalKnown {
		return fn.Original == inst && fn.Renamed()
	}
	return !f.HasMap && f.Minified && fn.RuntimeKnown && fn.Pin == NotPinned && len(fn.Runtime) <= 2 && len(inst) >= 3 && isIdentifier(inst)
}

// instanceName returns the string literal a class's instances carry as
// their name: `this.name = "X"` in its constructor or a class field
// `name = "X"`, or else its superclass's.
func (f *Facts) instanceName(fn *Func, depth int) (string, bool) {
	cls, ok := fn.Node.(*ast.ClassLiteral)
	if !ok || depth > 8 {
		return "", false
	}
	for _, el := range cls.Body {
		switch m := el.(type) {
		case *ast.FieldDefinition:
			if k, _ := propName(m.Key, m.Computed); k == "name" && !m.Static {
				return LiteralString(m.Initializer)
			}
		case *ast.MethodDefinition:
			if k, _ := propName(m.Key, m.Computed); k != "constructor" || m.Static || m.Body == nil || m.Body.Body == nil {
				continue
			}
			for _, st := range m.Body.Body.List {
				if s, ok := thisNameLiteral(st); ok {
					return s, true
				}
			}
		}
	}
	if fn.Super != nil {
		return f.instanceName(fn.Super, depth+1)
	}
	return "", false
}

// thisNameLiteral matches `this.name = "X"` (also inside a comma
// sequence, as minifiers join statements).
func thisNameLiteral(st ast.Statement) (string, bool) {
	es, ok := st.(*ast.ExpressionStatement)
	if !ok {
		return "", false
	}
	exprs := []ast.Expression{es.Expression}
	if seq, ok := es.Expression.(*ast.SequenceExpression); ok {
		exprs = seq.Sequence
	}
	for _, e := range exprs {
		as, ok := e.(*ast.AssignExpression)
		if !ok || as.Operator != token.ASSIGN {
			continue
		}
		d, ok := as.Left.(*ast.DotExpression)
		if !ok || d.Identifier.Name != "name" {
			continue
		}
		if _, ok := d.Left.(*ast.ThisExpression); !ok {
			continue
		}
		return LiteralString(as.Right)
	}
	return "", false
}

// DynamicName reports whether the bundle may give some function or class
// the runtime name s through a name it defines from a parameter: a class
// factory that runs Object.defineProperty(C, "name", {value: name}) with
// its own parameter name (zod's $constructor), called here with the
// string s.
func (f *Facts) DynamicName(s string) bool { return f.dynamicNames[s] }

// findDynamicNames fills f.dynamicNames (see DynamicName).
func (f *Facts) findDynamicNames() {
	v := f.vals
	if v == nil {
		return
	}
	type param struct {
		fn  *Func
		idx int
	}
	var params []param
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		c, ok := n.(*ast.CallExpression)
		if !ok || len(c.ArgumentList) != 3 {
			return true
		}
		d, ok := c.Callee.(*ast.DotExpression)
		if !ok || d.Identifier.Name != "defineProperty" {
			return true
		}
		if k, ok := f.constString(c.ArgumentList[1]); !ok || k != "name" {
			return true
		}
		desc, ok := c.ArgumentList[2].(*ast.ObjectLiteral)
		if !ok {
			return true
		}
		for _, p := range desc.Value {
			var val ast.Expression
			switch p := p.(type) {
			case *ast.PropertyKeyed:
				if k, _ := propName(p.Key, p.Computed); k == "value" {
					val = p.Value
				}
			case *ast.PropertyShort:
				if p.Name.Name == "value" {
					val = &p.Name
				}
			}
			id, ok := val.(*ast.Identifier)
			if !ok {
				continue
			}
			if b := f.Scope.Resolve(id); b != nil && b.Kind == scope.Param {
				if fn, idx := f.paramOf(b); fn != nil {
					params = append(params, param{fn, idx})
				}
			}
		}
		return true
	})
	if len(params) == 0 {
		return
	}
	f.dynamicNames = map[string]bool{}
	for _, p := range params {
		for _, site := range v.sitesOf[p.fn] {
			c, ok := site.node.(*ast.CallExpression)
			if !ok || p.idx >= len(c.ArgumentList) {
				continue
			}
			if s, ok := f.constString(c.ArgumentList[p.idx]); ok {
				f.dynamicNames[s] = true
			}
		}
	}
}
