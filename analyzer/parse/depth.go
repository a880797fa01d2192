package parse

import (
	"fmt"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// CheckDepth is the bound Parse puts on the syntax tree's depth, for
// callers that parse src with goja themselves (the sandbox compiles what
// it runs): an *Error wrapping esm.ErrTooDeep when prg is deeper than
// MaxDepth. goja's compiler recurses like the engine's walkers, and is
// quadratic on a long a+a+…+a chain besides.
func CheckDepth(path, src string, prg *ast.Program) error {
	return checkDepth(path, src, &Result{Program: prg})
}

// checkDepth returns an *Error wrapping esm.ErrTooDeep when res's syntax
// tree is deeper than MaxDepth, positioned at the first node (in a
// depth-first walk) past the limit. It walks with a stack of its own:
// recursing is what the limit protects against.
func checkDepth(path, src string, res *Result) error {
	n := deepNode(res.Program, MaxDepth)
	if n == nil {
		return nil
	}
	off := Offset(n.Idx0())
	if res.Remap != nil {
		if o, ok := res.Remap(off); ok {
			off = o
		} else {
			off = -1
		}
	}
	line, col := position(src, off)
	msg := fmt.Sprintf("syntax tree nested deeper than %d levels (a chain like a+a+…+a or a.b.c… this long)", MaxDepth)
	return &Error{Path: path, Offset: off, Line: line, Col: col, Msg: msg,
		Err: &esm.Error{Offset: off, Msg: msg, Err: esm.ErrTooDeep}}
}

// deepNode returns the first node (in source order) deeper than max below
// root (root is at depth 1), or nil.
func deepNode(root ast.Node, max int) ast.Node {
	n, _ := depthWalk(root, max)
	return n
}

// maxDepth returns the depth of the deepest node below root (root is at
// depth 1), or the depth of the first node over limit.
func maxDepth(root ast.Node, limit int) int {
	_, d := depthWalk(root, limit)
	return d
}

// depthWalk walks the tree below root depth first in source order, with a
// stack of its own (recursing is what MaxDepth protects against). It
// returns the first node deeper than limit and its depth, or nil and the
// depth of the deepest node.
func depthWalk(root ast.Node, limit int) (ast.Node, int) {
	type item struct {
		n     ast.Node
		depth int
	}
	stack := []item{{root, 1}}
	var kids []ast.Node
	deepest := 0
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth > limit {
			return it.n, it.depth
		}
		deepest = max(deepest, it.depth)
		kids = kids[:0]
		walk.Children(it.n, func(c ast.Node) { kids = append(kids, c) })
		for i := len(kids) - 1; i >= 0; i-- { // first child on top: source order
			stack = append(stack, item{kids[i], it.depth + 1})
		}
	}
	return nil, deepest
}
