package sandbox

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"

	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// off converts a goja position to a byte offset in the parsed text (goja's
// file.Idx is the offset plus the file's base, 1 here).
func off(idx file.Idx) int { return int(idx) - 1 }

// funcName finds the innermost function or class whose text contains
// byte offset at, and returns the offset of the token its runtime name
// comes from: its own name, or the binding, property key or method key
// that names an anonymous one (ECMAScript NamedEvaluation). It reports
// false for top-level code and for functions nothing names.
func funcName(prg *ast.Program, at int) (int, bool) {
	if prg == nil {
		return 0, false
	}
	best, bestStart := -1, -1
	var stack []ast.Node
	consider := func(n ast.Node, namePos int) {
		from, to := off(n.Idx0()), off(n.Idx1())
		if from <= at && at < to && from >= bestStart {
			best, bestStart = namePos, from
		}
	}
	walk.Walk(visitor{
		enter: func(n ast.Node) bool {
			if from, to := off(n.Idx0()), off(n.Idx1()); (at < from || at >= to) && !isProgram(n) {
				return false
			}
			switch n := n.(type) {
			case *ast.FunctionLiteral:
				consider(n, namePosOf(n, n.Name, stack))
			case *ast.ArrowFunctionLiteral:
				consider(n, namePosOf(n, nil, stack))
			case *ast.ClassLiteral:
				consider(n, namePosOf(n, n.Name, stack))
			}
			stack = append(stack, n)
			return true
		},
		leave: func(ast.Node) { stack = stack[:len(stack)-1] },
	}, prg)
	return best, best >= 0
}

func isProgram(n ast.Node) bool {
	_, ok := n.(*ast.Program)
	return ok
}

// namePosOf returns where fn's name comes from, given its ancestors, or -1.
func namePosOf(fn ast.Node, name *ast.Identifier, stack []ast.Node) int {
	if name != nil {
		return off(name.Idx)
	}
	if len(stack) == 0 {
		return -1
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.Binding:
		if id, ok := p.Target.(*ast.Identifier); ok && p.Initializer == fn {
			return off(id.Idx)
		}
	case *ast.AssignExpression:
		if p.Right == fn {
			return targetPos(p.Left)
		}
	case *ast.PropertyKeyed:
		if p.Value == fn {
			return off(p.Key.Idx0())
		}
	case *ast.MethodDefinition:
		// A class's constructor runs under the class's name.
		if k, ok := p.Key.(*ast.StringLiteral); ok && k.Value == "constructor" && len(stack) >= 2 {
			if cls, ok := stack[len(stack)-2].(*ast.ClassLiteral); ok {
				return namePosOf(cls, cls.Name, stack[:len(stack)-2])
			}
		}
		return off(p.Key.Idx0())
	case *ast.FieldDefinition:
		if p.Initializer == fn {
			return off(p.Key.Idx0())
		}
	}
	return -1
}

// targetPos is where an assignment target's name is: x in `x = …`, b in
// `a.b = …`.
func targetPos(e ast.Expression) int {
	switch t := e.(type) {
	case *ast.Identifier:
		return off(t.Idx)
	case *ast.DotExpression:
		return off(t.Identifier.Idx)
	}
	return -1
}

// callAt returns the call or new expression goja reports an error of at
// byte offset at: a call's opening parenthesis, or the `new` keyword.
func callAt(prg *ast.Program, at int) (callee ast.Expression, isNew bool) {
	if prg == nil {
		return nil, false
	}
	walk.Inspect(prg, func(n ast.Node) bool {
		if callee != nil {
			return false
		}
		if from, to := off(n.Idx0()), off(n.Idx1()); (at < from || at >= to) && !isProgram(n) {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpression:
			if off(n.LeftParenthesis) == at {
				callee = n.Callee
			}
		case *ast.NewExpression:
			if off(n.New) == at {
				callee, isNew = n.Callee, true
			}
		}
		return true
	})
	return callee, isNew
}

type visitor struct {
	enter func(ast.Node) bool
	leave func(ast.Node)
}

func (v visitor) Enter(n ast.Node) bool { return v.enter(n) }
func (v visitor) Leave(n ast.Node)      { v.leave(n) }
