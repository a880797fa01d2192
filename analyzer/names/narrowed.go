package names

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// The flows follow no tests, with one exception: a statement that leaves
// the statement list unless a type test shows a binding to be a
// primitive,
//
//	if (typeof s !== "string") { …; return build(s) }
//	body.push(s)
//
// lets only strings past it. protobufjs's code generator takes either a
// format string or, to finish, a scope object whose values are
// functions; without the test the functions reached the lines it joins
// into code, and shipped-source took them for shipped source. In the rest
// of the list (not in functions written there: those may run before the
// test) the binding's reads keep only texts and Unknown (cTexts).

// textsOf returns a variable that holds the texts and Unknown that x
// holds.
func (v *values) textsOf(x flow.Var) flow.Var {
	if x == flow.NoVar {
		return x
	}
	if t, ok := v.texts[x]; ok {
		return t
	}
	if v.texts == nil {
		v.texts = map[flow.Var]flow.Var{}
	}
	t := v.s.NewVar()
	v.s.Attach(x, flow.Constraint{Kind: cTexts, Dst: t})
	v.texts[x] = t
	return t
}

// primitiveAfter returns the binding that statement s shows to be a
// primitive in the statements after it: an if without else whose
// consequent always leaves the list, and whose test, when false, gives
// the binding a primitive type. Nil when there is none.
func (v *values) primitiveAfter(s ast.Statement) *scope.Binding {
	is, ok := s.(*ast.IfStatement)
	if !ok || is.Alternate != nil || !leaves(is.Consequent) {
		return nil
	}
	b, t := v.typeWhenFalse(is.Test)
	if b == nil || !t.primitive() {
		return nil
	}
	return b
}

// leaves reports whether s always leaves the statement list it is in.
func leaves(s ast.Statement) bool {
	switch s := s.(type) {
	case *ast.ReturnStatement, *ast.ThrowStatement, *ast.BranchStatement:
		return true
	case *ast.BlockStatement:
		return len(s.List) > 0 && leaves(s.List[len(s.List)-1])
	case *ast.IfStatement:
		return s.Alternate != nil && leaves(s.Consequent) && leaves(s.Alternate)
	}
	return false
}

// typeFacts is what a failed test says of a binding's type: it is one
// of the primitive types, or it is no function, or no object.
type typeFacts struct {
	prim, noFunc, noObj bool
}

func (t typeFacts) primitive() bool { return t.prim || t.noFunc && t.noObj }

// primitiveTypes are the typeof results of values the flows never hold
// (strings made of a function's source or a trace aside).
var primitiveTypes = map[string]bool{"string": true, "number": true, "boolean": true, "bigint": true, "symbol": true, "undefined": true}

// typeWhenFalse reads a test made of typeof comparisons of one binding,
// joined by || and &&: the binding and what the test failing says of
// its type.
func (v *values) typeWhenFalse(test ast.Expression) (*scope.Binding, typeFacts) {
	cmp, ok := test.(*ast.BinaryExpression)
	if !ok {
		return nil, typeFacts{}
	}
	switch cmp.Operator {
	case token.LOGICAL_OR, token.LOGICAL_AND:
		lb, l := v.typeWhenFalse(cmp.Left)
		rb, r := v.typeWhenFalse(cmp.Right)
		if lb == nil || lb != rb {
			return nil, typeFacts{}
		}
		if cmp.Operator == token.LOGICAL_OR {
			// Both sides failed.
			return lb, typeFacts{l.prim || r.prim, l.noFunc || r.noFunc, l.noObj || r.noObj}
		}
		// One side failed: only what both say holds.
		return lb, typeFacts{l.primitive() && r.primitive(), l.noFunc && r.noFunc, l.noObj && r.noObj}
	}
	typeOf, lit := cmp.Left, cmp.Right
	if _, ok := v.f.constString(typeOf); ok {
		typeOf, lit = lit, typeOf
	}
	u, ok := typeOf.(*ast.UnaryExpression)
	if !ok || u.Operator != token.TYPEOF {
		return nil, typeFacts{}
	}
	id, ok := u.Operand.(*ast.Identifier)
	if !ok {
		return nil, typeFacts{}
	}
	b := v.f.Scope.Resolve(id)
	str, ok := v.f.constString(lit)
	if b == nil || !ok {
		return nil, typeFacts{}
	}
	switch cmp.Operator {
	case token.NOT_EQUAL, token.STRICT_NOT_EQUAL:
		// Failing: typeof b == str.
		return b, typeFacts{prim: primitiveTypes[str]}
	case token.EQUAL, token.STRICT_EQUAL:
		// Failing: typeof b != str.
		return b, typeFacts{noFunc: str == "function", noObj: str == "object"}
	}
	return nil, typeFacts{}
}
