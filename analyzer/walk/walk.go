// Package walk traverses goja's AST. goja has no ast.Walk; a type switch is
// ~12× faster than a reflection-based walker (measured on a 2 M node bundle),
// so every node type is listed here by hand.
package walk

import "github.com/dop251/goja/ast"

// Visitor is called on the way down (Enter) and up (Leave). Enter returns
// false to skip the node's children; Leave is then not called either.
type Visitor interface {
	Enter(n ast.Node) bool
	Leave(n ast.Node)
}

// Inspect calls f for n and every node below it, depth first, in source
// order. f returns false to skip a node's children.
func Inspect(n ast.Node, f func(ast.Node) bool) {
	Walk(inspector(f), n)
}

type inspector func(ast.Node) bool

func (f inspector) Enter(n ast.Node) bool { return f(n) }
func (inspector) Leave(ast.Node)          {}

// Walk traverses n with v. Nil nodes (including typed nils) are skipped.
func Walk(v Visitor, n ast.Node) {
	if isNil(n) || !v.Enter(n) {
		return
	}
	Children(n, func(c ast.Node) { Walk(v, c) })
	v.Leave(n)
}

// Children calls f for each direct child of n in source order. Nil children
// are skipped. Pointer-free embedded values (DotExpression.Identifier,
// PropertyShort.Name) are passed by address so identities are stable.
func Children(n ast.Node, f func(ast.Node)) {
	visit := func(c ast.Node) {
		if !isNil(c) {
			f(c)
		}
	}
	exprs := func(list []ast.Expression) {
		for _, e := range list {
			visit(e)
		}
	}
	stmts := func(list []ast.Statement) {
		for _, s := range list {
			visit(s)
		}
	}
	bindings := func(list []*ast.Binding) {
		for _, b := range list {
			visit(b)
		}
	}
	switch n := n.(type) {
	case *ast.Program:
		stmts(n.Body)

	// Expressions.
	case *ast.ArrayLiteral:
		exprs(n.Value)
	case *ast.ArrayPattern:
		exprs(n.Elements)
		visit(n.Rest)
	case *ast.AssignExpression:
		visit(n.Left)
		visit(n.Right)
	case *ast.AwaitExpression:
		visit(n.Argument)
	case *ast.BinaryExpression:
		visit(n.Left)
		visit(n.Right)
	case *ast.Binding:
		visit(n.Target)
		visit(n.Initializer)
	case *ast.BracketExpression:
		visit(n.Left)
		visit(n.Member)
	case *ast.CallExpression:
		visit(n.Callee)
		exprs(n.ArgumentList)
	case *ast.ClassLiteral:
		if n.Name != nil {
			visit(n.Name)
		}
		visit(n.SuperClass)
		for _, e := range n.Body {
			visit(e)
		}
	case *ast.ConditionalExpression:
		visit(n.Test)
		visit(n.Consequent)
		visit(n.Alternate)
	case *ast.DotExpression:
		visit(n.Left)
		f(&n.Identifier)
	case *ast.PrivateDotExpression:
		visit(n.Left)
		f(&n.Identifier)
	case *ast.FunctionLiteral:
		if n.Name != nil {
			visit(n.Name)
		}
		visit(n.ParameterList)
		visit(n.Body)
	case *ast.ArrowFunctionLiteral:
		visit(n.ParameterList)
		visit(n.Body)
	case *ast.ExpressionBody:
		visit(n.Expression)
	case *ast.NewExpression:
		visit(n.Callee)
		exprs(n.ArgumentList)
	case *ast.ObjectLiteral:
		for _, p := range n.Value {
			visit(p)
		}
	case *ast.ObjectPattern:
		for _, p := range n.Properties {
			visit(p)
		}
		visit(n.Rest)
	case *ast.ParameterList:
		bindings(n.List)
		visit(n.Rest)
	case *ast.PropertyShort:
		f(&n.Name)
		visit(n.Initializer)
	case *ast.PropertyKeyed:
		visit(n.Key)
		visit(n.Value)
	case *ast.SpreadElement:
		visit(n.Expression)
	case *ast.OptionalChain:
		visit(n.Expression)
	case *ast.Optional:
		visit(n.Expression)
	case *ast.SequenceExpression:
		exprs(n.Sequence)
	case *ast.TemplateLiteral:
		visit(n.Tag)
		// Elements and expressions interleave in source: e0 ${x0} e1 ${x1} e2.
		for i, el := range n.Elements {
			visit(el)
			if i < len(n.Expressions) {
				visit(n.Expressions[i])
			}
		}
		for i := len(n.Elements); i < len(n.Expressions); i++ {
			visit(n.Expressions[i])
		}
	case *ast.UnaryExpression:
		visit(n.Operand)
	case *ast.YieldExpression:
		visit(n.Argument)
	case *ast.MetaProperty:
		visit(n.Meta)
		visit(n.Property)

	// Class elements.
	case *ast.FieldDefinition:
		visit(n.Key)
		visit(n.Initializer)
	case *ast.MethodDefinition:
		visit(n.Key)
		visit(n.Body)
	case *ast.ClassStaticBlock:
		visit(n.Block)

	// Statements.
	case *ast.BlockStatement:
		stmts(n.List)
	case *ast.BranchStatement:
		if n.Label != nil {
			visit(n.Label)
		}
	case *ast.CaseStatement:
		visit(n.Test)
		stmts(n.Consequent)
	case *ast.CatchStatement:
		visit(n.Parameter)
		visit(n.Body)
	case *ast.DoWhileStatement:
		visit(n.Body)
		visit(n.Test)
	case *ast.ExpressionStatement:
		visit(n.Expression)
	case *ast.ForInStatement:
		visit(n.Into)
		visit(n.Source)
		visit(n.Body)
	case *ast.ForOfStatement:
		visit(n.Into)
		visit(n.Source)
		visit(n.Body)
	case *ast.ForStatement:
		visit(n.Initializer)
		visit(n.Test)
		visit(n.Update)
		visit(n.Body)
	case *ast.IfStatement:
		visit(n.Test)
		visit(n.Consequent)
		visit(n.Alternate)
	case *ast.LabelledStatement:
		visit(n.Label)
		visit(n.Statement)
	case *ast.ReturnStatement:
		visit(n.Argument)
	case *ast.SwitchStatement:
		visit(n.Discriminant)
		for _, c := range n.Body {
			visit(c)
		}
	case *ast.ThrowStatement:
		visit(n.Argument)
	case *ast.TryStatement:
		visit(n.Body)
		visit(n.Catch)
		visit(n.Finally)
	case *ast.VariableStatement:
		bindings(n.List)
	case *ast.LexicalDeclaration:
		bindings(n.List)
	case *ast.WhileStatement:
		visit(n.Test)
		visit(n.Body)
	case *ast.WithStatement:
		visit(n.Object)
		visit(n.Body)
	case *ast.FunctionDeclaration:
		visit(n.Function)
	case *ast.ClassDeclaration:
		visit(n.Class)

	// For-loop heads.
	case *ast.ForLoopInitializerExpression:
		visit(n.Expression)
	case *ast.ForLoopInitializerVarDeclList:
		bindings(n.List)
	case *ast.ForLoopInitializerLexicalDecl:
		f(&n.LexicalDeclaration)
	case *ast.ForIntoVar:
		visit(n.Binding)
	case *ast.ForDeclaration:
		visit(n.Target)
	case *ast.ForIntoExpression:
		visit(n.Expression)

		// Leaves: Identifier, PrivateIdentifier, literals, This, Super,
		// TemplateElement, Bad*, Empty, Debugger.
	}
}

// isNil reports whether n is nil or a typed nil pointer, which goja's AST
// stores in interface fields (a missing Alternate is a nil Statement, but a
// missing function name is a nil *Identifier).
func isNil(n ast.Node) bool {
	if n == nil {
		return true
	}
	switch n := n.(type) {
	case *ast.Identifier:
		return n == nil
	case *ast.BlockStatement:
		return n == nil
	case *ast.FunctionLiteral:
		return n == nil
	case *ast.ClassLiteral:
		return n == nil
	case *ast.ParameterList:
		return n == nil
	case *ast.CatchStatement:
		return n == nil
	case *ast.Binding:
		return n == nil
	case *ast.CaseStatement:
		return n == nil
	case *ast.TemplateElement:
		return n == nil
	}
	return false
}

// Start returns the byte offset where n starts. It is n.Idx0()-1, except
// that goja leaves MetaProperty.Idx unset for new.target (so Idx0 is 0 for
// it and for every expression that starts with it).
func Start(n ast.Node) int {
	switch x := n.(type) {
	case *ast.MetaProperty:
		if x.Idx == 0 && x.Meta != nil {
			return int(x.Meta.Idx) - 1
		}
	case *ast.DotExpression:
		return Start(x.Left)
	case *ast.PrivateDotExpression:
		return Start(x.Left)
	case *ast.BracketExpression:
		return Start(x.Left)
	case *ast.CallExpression:
		return Start(x.Callee)
	case *ast.BinaryExpression:
		return Start(x.Left)
	case *ast.AssignExpression:
		return Start(x.Left)
	case *ast.ConditionalExpression:
		return Start(x.Test)
	case *ast.OptionalChain:
		return Start(x.Expression)
	case *ast.Optional:
		return Start(x.Expression)
	case *ast.SequenceExpression:
		if len(x.Sequence) > 0 {
			return Start(x.Sequence[0])
		}
	case *ast.UnaryExpression:
		if x.Postfix {
			return Start(x.Operand)
		}
	}
	return int(n.Idx0()) - 1
}
