package rules

import (
	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// inspectStack walks n depth first, giving f each node and its ancestors
// (outermost first). f returns false to skip the node's children.
func inspectStack(n ast.Node, f func(n ast.Node, stack []ast.Node) bool) {
	v := &stackVisitor{f: f}
	walk.Walk(v, n)
}

// inspectProgram visits the whole program of a pass through the shared
// preorder list (names.Facts.Inspect), cheaper than walking the tree.
func inspectProgram(p *analyzer.Pass, f func(n ast.Node, stack []ast.Node) bool) {
	p.File.Names.Inspect(f)
}

type stackVisitor struct {
	f     func(ast.Node, []ast.Node) bool
	stack []ast.Node
}

func (v *stackVisitor) Enter(n ast.Node) bool {
	if !v.f(n, v.stack) {
		return false
	}
	v.stack = append(v.stack, n)
	return true
}

func (v *stackVisitor) Leave(ast.Node) { v.stack = v.stack[:len(v.stack)-1] }

// constString returns a string literal's value (or a no-substitution
// template's).
func constString(e ast.Expression) (string, bool) {
	switch x := e.(type) {
	case *ast.StringLiteral:
		return x.Value.String(), true
	case *ast.TemplateLiteral:
		if x.Tag == nil && len(x.Expressions) == 0 && len(x.Elements) == 1 {
			return x.Elements[0].Parsed.String(), true
		}
	}
	return "", false
}

// startOf is the byte offset where n starts.
func startOf(n ast.Node) int { return walk.Start(n) }
