package names

import (
	"slices"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/flow"
)

// Stack text, as a string value of the flows: what err.stack and a V8
// call site's getFunctionName() (getMethodName, getTypeName) read, and
// the strings derived from it (split into lines, sliced, joined,
// lowercased, interpolated). A vkStack value stands for "text that shows
// function names as they run"; a rule matches the places it is searched
// for a name (Facts.StackText).

// frameMethods are the call-site methods (V8's structured stack trace
// API) whose result is a function's runtime name.
var frameMethods = map[string]bool{
	"getFunctionName": true, "getMethodName": true, "getTypeName": true,
}

// stackMethods are the string methods handleStackMethod models beyond
// textMethods: the ones that split a trace into lines or words, and
// changes of case.
var stackMethods = map[string]bool{
	"split": true, "match": true, "matchAll": true, "toLowerCase": true, "toUpperCase": true,
	"toLocaleLowerCase": true, "toLocaleUpperCase": true,
}

// stackText makes the variable of a .stack read: what the property holds
// in the flows (a field of that name written by the program) and the
// trace a host error carries.
func (v *values) stackText(e *ast.DotExpression, loaded flow.Var) flow.Var {
	r := v.union(loaded, v.constVar(v.alloc(e, vkStack)))
	v.remember(e, r)
	return r
}

// stackCall gives the result of frame.getFunctionName() (and its kin) the
// stack text made at that call.
func (v *values) stackCall(n ast.Node, result flow.Var) {
	v.s.Add(result, v.alloc(n, vkStack))
}

// handleStackMethod is split, match or a change of case on stack text:
// the lines, words and matches are still stack text, as elements of an
// array made at the call (which the array methods then carry on).
func (v *values) handleStackMethod(site *callSite, val flow.Value, m string) {
	site.resolved = true
	switch m {
	case "split", "match", "matchAll":
		arr := v.alloc(site.node, vkArr)
		v.s.Add(v.field(arr, elemKey), val)
		v.s.Add(site.result, arr)
	default:
		v.s.Add(site.result, val)
	}
}

// StackText returns where the stack text expression e (whose ancestors
// are stack) may hold was read: the .stack reads and getFunctionName()
// calls, directly or as the lines of an array e holds; nothing when e may
// hold an array or object the program stores there that holds no trace,
// or a function, instance or collection, which is no text at all.
// Without the flows
// (a program past their work bound) it answers from e's own shape: a
// .stack read, or a string method called on one.
func (f *Facts) StackText(e ast.Expression, stack []ast.Node) []ast.Node {
	v := f.vals
	if v == nil || v.s.Truncated {
		return StackShape(e)
	}
	vals := v.of(e, stack)
	structure := false
	for _, x := range vals {
		switch v.vals[x].kind {
		case vkFunc, vkInst, vkMap, vkSet, vkGlobal:
			// No text: a search on it throws, so the flows let it in
			// with the trace through a helper or field every kind of
			// value passes (react-dom's property names, whose set holds
			// functions, instances and collections beside a trace): no
			// evidence that the trace is what is searched.
			return nil
		case vkArr, vkObj:
			structure = true
		}
	}
	elems := v.member(vals, "[]")
	if structure && !slices.ContainsFunc(elems, func(x flow.Value) bool { return v.vals[x].kind == vkStack }) {
		// A field named stack that the program fills with a structure
		// of its own (htmlparser2's stack of open tags, searched with
		// includes("form")), not the lines of a trace.
		return nil
	}
	var out []ast.Node
	for _, x := range append(slices.Clone(vals), elems...) {
		if a := v.vals[x]; a.kind == vkStack && !slices.Contains(out, a.node) {
			out = append(out, a.node)
		}
	}
	return out
}

// StackShape is StackText without the flows: e is a .stack read or a
// frame method call, or a string method called on one.
func StackShape(e ast.Expression) []ast.Node {
	for {
		switch x := e.(type) {
		case *ast.DotExpression:
			if x.Identifier.Name == "stack" {
				return []ast.Node{x}
			}
			return nil
		case *ast.CallExpression:
			d, ok := x.Callee.(*ast.DotExpression)
			if !ok {
				return nil
			}
			m := d.Identifier.Name.String()
			if frameMethods[m] && len(x.ArgumentList) == 0 {
				return []ast.Node{x}
			}
			if !textMethods[m] && !stackMethods[m] && m != "join" {
				return nil
			}
			e = d.Left
		default:
			return nil
		}
	}
}
