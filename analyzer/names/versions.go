package names

import (
	"slices"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// Minifiers reuse variables: uglify-js (merge_vars, on by default) gives
// values whose lifetimes do not overlap one variable, so the namespace
// object a loop reads and the string the program prints later are both
// `e`. The flows are flow-insensitive: one variable per binding would
// mix them, and the loop's set would hold a string it never sees, which
// makes it incomplete. So a binding assigned in straight-line code is
// split into versions, one per assignment that always runs: a reference
// reads the version of the last such assignment before it, in the order
// the code runs (left to right, an assignment taking effect after its
// right side). An assignment that may not run (in a branch, on the right
// of && or ||) adds to the version it may replace. The binding itself
// holds every version, for references the order does not decide (in a
// nested function, which may run at any time) and for every question
// about the binding as a whole.
//
// Only what the order decides is split: a binding assigned in a loop or
// in a nested function, written by destructuring, compound assignment,
// ++/-- or a for-in/of head, a parameter, a global, or in a scope with
// eval or with keeps one variable. Declaring a var again with an
// initializer (var e = …; … var e = …, uglify-js does) assigns it.

// versionRef is one reference of a binding being split.
type versionRef struct {
	id  *ast.Identifier
	pos int // where it takes effect: a read at its start, a write after the assignment
	// always: an assignment that runs whenever the binding's scope does
	// (not in a branch).
	always bool
}

// versionScan finds the references of the bindings that may be split,
// visiting every node of the program (findStorable's walk).
type versionScan struct {
	f *Facts
	// maybe are the names of the bindings that may be assigned twice:
	// only identifiers named so are resolved.
	maybe map[string]bool
	refs  map[*scope.Binding][]versionRef
	skip  map[*scope.Binding]bool
}

// newVersionScan returns a scan, or nil when no binding can be split.
func (f *Facts) newVersionScan() *versionScan {
	maybe := map[string]bool{}
	for _, b := range f.Scope.Bindings {
		if (b.Kind == scope.Var || b.Kind == scope.Let) && b.Scope.Kind != scope.Global && !b.Scope.Dynamic &&
			(len(b.Assigns) >= 2 || len(b.Assigns) == 1 && b.Init != nil || b.Mutated) {
			maybe[b.Name] = true
		}
	}
	if len(maybe) == 0 {
		return nil
	}
	return &versionScan{f: f, maybe: maybe, refs: map[*scope.Binding][]versionRef{}, skip: map[*scope.Binding]bool{}}
}

// visit records n if it is a reference of a binding that may be split.
func (vs *versionScan) visit(n ast.Node, stack []ast.Node) {
	id, ok := n.(*ast.Identifier)
	if !ok || len(stack) == 0 || !vs.maybe[id.Name.String()] {
		return
	}
	b, def, other, at := vs.f.versionTarget(id, stack)
	if b == nil || vs.skip[b] {
		return
	}
	closure, loop, cond := placeIn(b, id, stack)
	switch {
	case other || def && (closure || loop):
		vs.skip[b] = true
		delete(vs.refs, b)
		return
	case closure:
		return // reads every version
	}
	r := versionRef{id: id, pos: int(id.Idx0()), always: def && !cond}
	if def {
		r.pos = at
	}
	vs.refs[b] = append(vs.refs[b], r)
}

// finish numbers the versions of the bindings assigned at least twice
// where the order decides (f.versionOf).
func (vs *versionScan) finish() {
	f := vs.f
	for _, rs := range vs.refs {
		always := 0
		for _, r := range rs {
			if r.always {
				always++
			}
		}
		if always < 2 {
			continue // one version: nothing to split
		}
		slices.SortStableFunc(rs, func(x, y versionRef) int { return x.pos - y.pos })
		if f.versionOf == nil {
			f.versionOf = map[*ast.Identifier]int32{}
		}
		cur := int32(0) // the version before any assignment: nothing
		for _, r := range rs {
			if r.always {
				cur++
			}
			f.versionOf[r.id] = cur
		}
	}
}

// versionTarget returns the binding a reference refers to when the
// binding may be split, whether the reference assigns it, and where an
// assignment takes effect. other is set for a write that is neither a
// plain (or logical) assignment nor a declaration's initializer: the
// binding keeps one variable.
func (f *Facts) versionTarget(id *ast.Identifier, stack []ast.Node) (b *scope.Binding, def, other bool, at int) {
	switch p := stack[len(stack)-1].(type) {
	case *ast.Binding:
		if p.Target != id {
			return nil, false, false, 0
		}
		b = f.Scope.Declared(id)
		if len(stack) > 1 {
			switch stack[len(stack)-2].(type) {
			case *ast.ForIntoVar, *ast.ForDeclaration:
				return b, false, true, 0 // written by each iteration
			}
		}
		if p.Initializer == nil {
			return nil, false, false, 0 // a declaration, not a reference
		}
		def, at = true, int(p.Idx1())
	case *ast.AssignExpression:
		b = f.Scope.Resolve(id)
		if p.Left == id {
			switch p.Operator {
			case token.ASSIGN, token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE:
				def, at = true, int(p.Idx1())
			default:
				return b, false, true, 0
			}
		}
	case *ast.UnaryExpression:
		b = f.Scope.Resolve(id)
		if p.Operator == token.INCREMENT || p.Operator == token.DECREMENT {
			return b, false, true, 0
		}
	case *ast.ForIntoExpression, *ast.ArrayPattern, *ast.ObjectPattern, *ast.PropertyShort, *ast.PropertyKeyed:
		// A for-in/of target, or (in a pattern) destructured into.
		b = f.Scope.Resolve(id)
		if b != nil && inPattern(stack) {
			return b, false, true, 0
		}
		if _, ok := p.(*ast.ForIntoExpression); ok {
			return b, false, true, 0
		}
	default:
		b = f.Scope.Resolve(id)
	}
	if b == nil || (b.Kind != scope.Var && b.Kind != scope.Let) || b.Scope.Dynamic || b.Scope.Kind == scope.Global {
		return nil, false, false, 0
	}
	return b, def, false, at
}

// inPattern reports whether the innermost object or array literal the
// reference is in is a destructuring pattern.
func inPattern(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.ArrayPattern, *ast.ObjectPattern:
			return true
		case *ast.ObjectLiteral, *ast.ArrayLiteral, ast.Statement:
			return false
		}
	}
	return false
}

// placeIn says where a reference of b lies relative to b's scope: in a
// nested function or class (closure), in a loop, or where it may not run
// (cond: a branch, the right side of a logical operator, a try block, a
// logical assignment).
func placeIn(b *scope.Binding, id *ast.Identifier, stack []ast.Node) (closure, loop, cond bool) {
	child := ast.Node(id)
	for i := len(stack) - 1; i >= 0; i-- {
		n := stack[i]
		if n == b.Scope.Node {
			break
		}
		switch n := n.(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			closure = true
		case *ast.ClassLiteral:
			// The superclass is evaluated where the class is; the body
			// runs later.
			closure = closure || child != n.SuperClass
		case *ast.ForStatement:
			if child != n.Initializer {
				loop = true
			}
		case *ast.ForInStatement, *ast.ForOfStatement, *ast.WhileStatement, *ast.DoWhileStatement:
			loop = true
		case *ast.IfStatement:
			cond = cond || child != n.Test
		case *ast.ConditionalExpression:
			cond = cond || child != n.Test
		case *ast.BinaryExpression:
			switch n.Operator {
			case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE:
				cond = cond || child == n.Right
			}
		case *ast.AssignExpression:
			switch n.Operator {
			case token.LOGICAL_AND, token.LOGICAL_OR, token.COALESCE:
				cond = true
			}
		case *ast.SwitchStatement:
			cond = cond || child != n.Discriminant
		case *ast.TryStatement, *ast.LabelledStatement, *ast.OptionalChain, *ast.Optional:
			cond = true
		}
		child = n
	}
	return closure, loop, cond
}
