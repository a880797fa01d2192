package names

import (
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
)

// The source text of functions, as a string value of the flows: what
// fn.toString(), String(fn), Function.prototype.toString.call(fn),
// "" + fn and `${fn}` make, and the strings derived from it (concatenated,
// trimmed, replaced, joined with others). A vkSource value stands for
// "text that contains the source of fn"; it reaches the places the text
// is evaluated (new Function, eval, a Blob a worker runs), where a rule
// reads which functions' text is shipped (Facts.ShippedSource).

// srcKey names a source text value: the function, and the expression
// that turned it into text.
type srcKey struct {
	fn *Func
	at ast.Node
}

// sourceValue returns the value "the source text of fn, made at at".
func (v *values) sourceValue(fn *Func, at ast.Node) flow.Value {
	val, _ := memoValue(v, v.srcVal, srcKey{fn, at}, absValue{kind: vkSource, fn: fn, node: at})
	return val
}

// textOf makes dst take the source text of the functions src holds (made
// at the expression at) and the texts src holds: a string conversion or
// a part of a concatenation.
func (v *values) textOf(src flow.Var, dst flow.Var, at ast.Node) {
	if src != flow.NoVar && dst != flow.NoVar {
		// Recorded first: a solver already running hands the constraint
		// the values src holds at once.
		v.textAt = append(v.textAt, at)
		v.s.Attach(src, flow.Constraint{Kind: cText, Dst: dst, Aux: int32(len(v.textAt) - 1)})
	}
}

// handleText is cText: a function becomes its source text, a text stays.
func (v *values) handleText(a absValue, val flow.Value, dst flow.Var, at int32) {
	switch a.kind {
	case vkFunc:
		if v.notCode[v.textAt[at]] {
			break // a message or a path, not code
		}
		if a.fn.Linked == nil { // its text is in the chunk that defines it
			v.s.Add(dst, v.sourceValue(a.fn, v.textAt[at]))
		}
	case vkSource, vkStack:
		v.s.Add(dst, val)
	}
}

// concat returns the variable of a string concatenation or template
// literal whose parts have the variables parts, or NoVar when no part
// is tracked.
func (v *values) concat(at ast.Node, parts ...flow.Var) flow.Var {
	r := flow.NoVar
	for _, p := range parts {
		if p == flow.NoVar {
			continue
		}
		if r == flow.NoVar {
			r = v.s.NewVar()
		}
		v.textOf(p, r, at)
	}
	return r
}

// dataText marks the concatenation or template at as text that is no
// code: a function that reaches it is not made its source text (xlsx
// joins paths, FP[j] + "/" + FP[i], from arrays the field-based flows let
// functions into; "cannot call " + fn is a message).
func (v *values) dataText(at ast.Node) {
	if v.notCode == nil {
		v.notCode = map[ast.Node]bool{}
	}
	v.notCode[at] = true
}

// codeLike reports whether the literal parts of a text may be code around
// a function's source: each is empty (the "" + fn conversion) or holds a
// character of code ("(" + fn + ")()", "self.onmessage = " + fn).
func codeLike(pieces []string) bool {
	for _, s := range pieces {
		if s != "" && !strings.ContainsAny(s, "(){};=\n") {
			return false
		}
	}
	return true
}

// stringy reports whether e is certainly a string: a string literal, an
// untagged template, a concatenation with one, or a conversion to text.
// Only then does `a + b` take the text of a function operand (an
// addition of numbers is not tracked).
func stringy(e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.StringLiteral:
		return true
	case *ast.TemplateLiteral:
		return x.Tag == nil
	case *ast.BinaryExpression:
		return x.Operator == token.PLUS && (stringy(x.Left) || stringy(x.Right))
	case *ast.CallExpression:
		if d, ok := x.Callee.(*ast.DotExpression); ok {
			switch d.Identifier.Name {
			case "toString", "join", "trim", "replace", "replaceAll", "slice", "substring", "concat":
				return true
			}
		}
		if id, ok := x.Callee.(*ast.Identifier); ok && id.Name == "String" {
			return true
		}
	}
	return false
}

// textMethods are the string methods whose result still contains the
// text of the receiver (or a part of it).
var textMethods = map[string]bool{
	"toString": true, "trim": true, "trimStart": true, "trimEnd": true, "replace": true, "replaceAll": true,
	"slice": true, "substring": true, "substr": true, "concat": true, "padStart": true, "padEnd": true,
	"valueOf": true, "normalize": true,
}

// handleTextMethod is a method called on a function or a text value:
// fn.toString() is fn's source, and a text method keeps the text.
func (v *values) handleTextMethod(site *callSite, a absValue, val flow.Value, m string) {
	switch {
	case a.kind == vkFunc && m == "toString" && len(site.args) == 0:
		site.resolved = true
		if a.fn.Linked != nil { // its text is in the chunk that defines it
			v.s.Add(site.result, flow.Unknown)
			return
		}
		v.s.Add(site.result, v.sourceValue(a.fn, site.node))
	case (a.kind == vkSource || a.kind == vkStack) && textMethods[m]:
		site.resolved = true
		v.s.Add(site.result, val)
		if m == "concat" {
			for _, x := range site.args {
				v.textOf(x, site.result, site.node)
			}
		}
	case a.kind == vkSource && (m == "split" || m == "match" || m == "matchAll"):
		// Pieces of the text: an array whose elements are the text (the
		// parameter names an injector splits out of a function's source
		// and looks up).
		site.resolved = true
		arr := v.alloc(site.node, vkArr)
		v.s.Add(site.result, arr)
		v.s.Add(v.field(arr, elemKey), val)
	case a.kind == vkStack && stackMethods[m]:
		v.handleStackMethod(site, val, m)
	case a.kind == vkSource || a.kind == vkStack:
		site.resolved = true
	}
}

// isTextCall reports String(x) and Function.prototype.toString.call(x).
func isTextCall(callee ast.Expression) bool {
	if id, ok := callee.(*ast.Identifier); ok && id.Name == "String" {
		return true
	}
	return IsFunctionToStringCall(callee)
}

// IsFunctionToStringCall reports whether callee is
// Function.prototype.toString.call (called with the function to read).
func IsFunctionToStringCall(callee ast.Expression) bool {
	d, ok := callee.(*ast.DotExpression)
	if !ok || d.Identifier.Name != "call" {
		return false
	}
	ts, ok := d.Left.(*ast.DotExpression)
	if !ok || ts.Identifier.Name != "toString" {
		return false
	}
	pr, ok := ts.Left.(*ast.DotExpression)
	if !ok || pr.Identifier.Name != "prototype" {
		return false
	}
	id, ok := pr.Left.(*ast.Identifier)
	return ok && id.Name == "Function"
}

// maxShipped is the most functions whose text one expression is taken to
// ship. Programs ship a function or a few to a worker or new Function; a
// text the flows find may hold the source of dozens is their field-based
// approximation of a compiler building code from its input (AngularJS's
// $parse escapes every .value it meets, and .value is a field of every
// descriptor), the way a set past the bound is: no evidence of anything.
const maxShipped = 8

// Shipped is a function whose source text a value holds.
type Shipped struct {
	Fn *Func
	// At is the expression that turned it into text (fn.toString(),
	// "(" + fn + ")", String(fn)).
	At ast.Node
}

// ShippedSource returns the functions whose source text expression e
// (whose ancestors are stack) may hold, directly or as an element of an
// array it holds (the parts of a Blob), in the order of their text's
// position; not those a concatenation made of an operand that holds data
// too (concatsData), nor those no operand of the expression that made
// them still holds (madeFrom).
func (f *Facts) ShippedSource(e ast.Expression, stack []ast.Node) []Shipped {
	v := f.vals
	if v == nil {
		return nil
	}
	vals := v.of(e, stack)
	vals = append(slices.Clone(vals), v.member(vals, "[]")...)
	var out []Shipped
	data := map[ast.Node]bool{}
	for _, x := range vals {
		if a := v.vals[x]; a.kind == vkSource {
			sh := Shipped{a.fn, a.node}
			if slices.Contains(out, sh) {
				continue
			}
			d, ok := data[a.node]
			if !ok {
				d = v.concatsData(a.node)
				data[a.node] = d
			}
			if !d {
				out = append(out, sh)
			}
		}
	}
	if fns := map[*Func]bool{}; len(out) > maxShipped {
		for _, sh := range out {
			fns[sh.Fn] = true
		}
		if len(fns) > maxShipped {
			return nil
		}
	}
	// Dropped after the count: the texts that overflowed a set still
	// show how many functions the flows let into this one.
	out = slices.DeleteFunc(out, func(sh Shipped) bool { return !v.madeFrom(sh.Fn, sh.At) })
	slices.SortFunc(out, func(a, b Shipped) int {
		if d := int(a.At.Idx0()) - int(b.At.Idx0()); d != 0 {
			return d
		}
		return a.Fn.Pos - b.Fn.Pos
	})
	return out
}

// textOperands returns the operands the expression at turned into text:
// both sides of a concatenation, a template's expressions, the argument
// of String(x) and of Function.prototype.toString.call(x), the function
// of fn.toString(); elems is set for list.join(…), whose operand's
// elements are the text.
func textOperands(at ast.Node) (operands []ast.Expression, elems bool) {
	switch x := at.(type) {
	case *ast.BinaryExpression:
		return []ast.Expression{x.Left, x.Right}, false
	case *ast.TemplateLiteral:
		return x.Expressions, false
	case *ast.CallExpression:
		if isTextCall(x.Callee) {
			if len(x.ArgumentList) == 1 {
				return x.ArgumentList[:1], false
			}
			return nil, false
		}
		if d, ok := x.Callee.(*ast.DotExpression); ok {
			switch d.Identifier.Name {
			case "toString":
				return []ast.Expression{d.Left}, false
			case "join":
				return []ast.Expression{d.Left}, true
			case "concat":
				return append([]ast.Expression{d.Left}, x.ArgumentList...), false
			}
		}
	}
	return nil, false
}

// madeFrom reports whether the text of fn that at made comes from an
// operand that holds fn once the flows are solved. A set past the bound
// is Unknown, but what it held before went on to the texts made of it:
// fn may have reached at only through such a set (a fetch polyfill's
// String(input), whose input every class reaches through the helpers
// the flows share), and then nothing shows that the program converts
// fn. Which values get through before a set overflows depends on the
// order of solving, so without this test small changes to the solver
// make and unmake findings. Operands the flows do not know keep the
// text.
func (v *values) madeFrom(fn *Func, at ast.Node) bool {
	operands, elems := textOperands(at)
	if len(operands) == 0 {
		return true
	}
	val, ok := v.funcValIfAny(fn)
	if !ok {
		return false
	}
	for _, e := range operands {
		vals := v.of(e, nil)
		if elems {
			vals = v.member(vals, "[]")
		}
		if slices.Contains(vals, val) {
			return true
		}
		for _, x := range vals {
			// An operand may hold the text already made of fn (a
			// concatenation of a concatenation).
			if a := v.vals[x]; a.kind == vkSource && a.fn == fn {
				return true
			}
		}
	}
	return false
}

// concatsData reports whether at, a concatenation or template that
// turned a function into text, concatenates an operand the flows also
// see holding data: objects, arrays, instances, Maps or Sets. Such an
// operand is a field-based mix (msgpackr's key + ":r()" over the keys of
// a record structure, whose elements the flows share with everything the
// decoder reads), not a function written into code.
func (v *values) concatsData(at ast.Node) bool {
	switch at.(type) {
	case *ast.BinaryExpression, *ast.TemplateLiteral:
	default:
		return false
	}
	operands, _ := textOperands(at)
	for _, e := range operands {
		for _, val := range v.of(e, nil) {
			switch v.vals[val].kind {
			case vkObj, vkArr, vkMap, vkSet, vkInst, vkPair:
				return true
			}
		}
	}
	return false
}

// ShippedPieces returns the constant strings that travel with the source
// text expression e holds (whose ancestors are stack) to where it is
// evaluated: the literal elements of the arrays e holds (a Blob's parts:
// [fn.toString(), "self.onmessage = …"]) and the literal parts of the
// concatenation, template or join e is, or a constant binding of it is
// initialized with. The code they hold runs next to the shipped
// functions and calls them by the names written there.
func (f *Facts) ShippedPieces(e ast.Expression, stack []ast.Node) []string {
	var out []string
	if v := f.vals; v != nil {
		for _, x := range v.of(e, stack) {
			if a := v.vals[x]; a.kind == vkArr {
				if arr, ok := a.node.(*ast.ArrayLiteral); ok {
					for _, el := range arr.Value {
						out = f.textPieces(el, out, 1)
					}
				}
			}
		}
	}
	return f.textPieces(e, out, 0)
}

// textPieces appends the constant parts of the text expression e.
func (f *Facts) textPieces(e ast.Expression, out []string, depth int) []string {
	if depth > 8 {
		return out
	}
	switch x := e.(type) {
	case *ast.StringLiteral:
		return append(out, x.Value.String())
	case *ast.TemplateLiteral:
		if x.Tag != nil {
			return out
		}
		for _, el := range x.Elements {
			out = append(out, el.Parsed.String())
		}
		for _, sub := range x.Expressions {
			out = f.textPieces(sub, out, depth+1)
		}
	case *ast.BinaryExpression:
		if x.Operator == token.PLUS {
			out = f.textPieces(x.Left, out, depth+1)
			out = f.textPieces(x.Right, out, depth+1)
		}
	case *ast.CallExpression:
		// [a, b].join(sep)
		if d, ok := x.Callee.(*ast.DotExpression); ok && d.Identifier.Name == "join" {
			if arr, ok := d.Left.(*ast.ArrayLiteral); ok {
				for _, el := range arr.Value {
					out = f.textPieces(el, out, depth+1)
				}
			}
		}
	case *ast.Identifier:
		if b := f.Scope.Resolve(x); b != nil && b.Init != nil && len(b.Assigns) == 0 && !b.Mutated {
			out = f.textPieces(b.Init, out, depth+1)
		}
	}
	return out
}

// TextEscapes reports whether the source text made at at (of any
// function), a string derived from it, or an array holding it reaches
// code the bundle does not contain (a caller outside, a host API).
func (f *Facts) TextEscapes(at ast.Node) bool {
	v := f.vals
	if v == nil {
		return true // no flows: nothing says it stays inside
	}
	texts := map[flow.Value]bool{}
	for k, val := range v.srcVal {
		if k.at == at {
			texts[val] = true
		}
	}
	// The arrays holding it (the names split out of it).
	holders := map[flow.Value]bool{}
	for val := range texts {
		holders[val] = true
	}
	for i := range v.vals {
		if v.vals[i].kind != vkArr {
			continue
		}
		if o := v.objIfAny(flow.Value(i)); o != nil &&
			slices.ContainsFunc(v.s.Values(o.lookup(elemKey)), func(x flow.Value) bool { return texts[x] }) {
			holders[flow.Value(i)] = true
		}
	}
	for val := range holders {
		if o := v.objIfAny(val); o != nil && o.escaped {
			return true
		}
	}
	// Returned by a function code outside the bundle calls.
	for _, pf := range v.perFunc {
		if st := pf.st; st != nil && st.escaped &&
			slices.ContainsFunc(v.s.Values(st.ret), func(x flow.Value) bool { return holders[x] }) {
			return true
		}
	}
	return false
}
