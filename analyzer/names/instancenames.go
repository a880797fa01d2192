package names

import (
	"sort"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

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

// findInstanceNameLookups fills f.instanceMisses from the store reads
// findStores recorded.
func (f *Facts) findInstanceNameLookups() {
	defer func() { f.keyedReads = nil }()
	if f.vals == nil || f.vals.s.Truncated {
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
	for _, kr := range f.keyedReads {
		st := kr.st
		if !st.Complete || len(st.Candidates) == 0 || f.keyProperty(kr.key) != "name" || read[kr.key] {
			continue
		}
		for _, fn := range st.Candidates {
			inst, ok := f.instanceName(fn, 0)
			if !ok || inst == fn.Runtime || !f.namedInSource(fn, inst) {
				continue
			}
			f.instanceMisses = append(f.instanceMisses, &InstanceNameMiss{Node: kr.n, Pos: walk.Start(kr.key), Store: st, Func: fn, Instance: inst})
		}
	}
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
