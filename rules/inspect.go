package rules

import (
	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// inspectProgram visits the whole program of a pass through the shared
// preorder list (names.Facts.Inspect), cheaper than walking the tree.
func inspectProgram(p *analyzer.Pass, f func(n ast.Node, stack []ast.Node) bool) {
	p.File.Names.Inspect(f)
}

// constString returns a string literal's value (or a no-substitution
// template's).
func constString(e ast.Expression) (string, bool) { return names.LiteralString(e) }

// startOf is the byte offset where n starts.
func startOf(n ast.Node) int { return walk.Start(n) }

// endOf is the byte offset just past n.
func endOf(n ast.Node) int { return scope.Offset(n.Idx1()) }
