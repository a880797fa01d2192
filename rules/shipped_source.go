package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// ShippedSource flags a function whose source text is evaluated somewhere
// its free variables do not exist: new Function, a global eval, a string
// timer, a Blob a worker runs.
var ShippedSource = &analyzer.Rule{
	ID:       "shipped-source",
	Title:    "Function source shipped as text refers to bindings the minifier renamed",
	Severity: analyzer.Error,
	Doc: `Some code turns a function back into text and runs the text elsewhere: a
worker built from a Blob of fn.toString(), new Function(...names, "return (" +
fn + ")"), a global eval of stored plugin source, setTimeout with a string.
The text runs in another scope (the global one, or the worker's), so every
name it uses must be provided there under the name the text spells: a
parameter of the new function, a global the host publishes, a prelude of the
worker. In the source those names match (the function calls clamp, the new
function has a parameter clamp). The minifier renames the function's free
variables (clamp becomes e) but not the strings that provide them (Object.keys
of {clamp, lerp} still says "clamp"), and a keep-names build inserts calls to
its own __name helper into the function: the shipped text throws
ReferenceError where it runs.

manglecheck follows the text through the value flows (toString, String(fn),
concatenation, templates, join, object fields, calls) to where it is
evaluated, and reports each free variable of the shipped function that refers
to a binding of the bundle and that the place it runs does not provide under
that name. With a source map the message names the original binding.

The code shipped next to the function's text is checked too: a worker built
from [fn.toString(), "self.onmessage = e => postMessage(computeStats(e.data))"]
calls the function by the name its author wrote, but the text declares it
under its minified name ("function t(e){…}"; esbuild's keepNames pins .name
and still declares it as t). Without a map the call is reported when every
shipped function is declared under a mangled name or none and nothing else
provides the called name.

A minifier may also inline the bundle's own functions of a prelude's names
into the shipped function (main-thread stand-ins of notify and complete, each
called once): the text then calls neither name and runs the bundle's copies.
No free variable is left; with a source map, the function's original text
shows the calls the minified text lost, and they are reported.

Fix: pass the function's dependencies explicitly (as arguments, or through
the worker's messages), keep the shipped function self-contained, or keep the
shipped code out of the minifier (a separate file loaded as a worker script).`,
	Fix: `code: make the shipped function self-contained, or pass what it uses as arguments
build: ship worker code as its own file (new Worker(new URL("./worker.js", import.meta.url)))
esbuild keepNames / terser keep_fnames: do not fix it (keep-names inserts its own helper calls)`,
	Bad: `function clamp(x, lo, hi) { return Math.min(hi, Math.max(lo, x)); }
const api = { clamp };
function job(v) { return clamp(v, 0, 10); }
const run = new Function(...Object.keys(api), "return (" + job.toString() + ");");
console.log(run(...Object.values(api))(42));`,
	Good: `function job(v) {
  const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
  return clamp(v, 0, 10);
}
const run = new Function("return (" + job.toString() + ");");
console.log(run()(42));`,
	KeepNamesUnfixed: true,
	Run:              runShippedSource,
}

// codeDeclRE finds the names a string of code declares (a worker's
// prelude, "function notify(v) {…}").
var codeDeclRE = regexp.MustCompile(`(?:\bfunction\s*\*?\s*|\b(?:var|let|const|class)\s+)([A-Za-z_$][\w$]*)`)

func runShippedSource(p *analyzer.Pass) {
	// One walk: the places text is evaluated that some function's text
	// reaches (rare), and the strings that may be code (a worker's
	// prelude declares names for the text shipped next to it).
	sc := &shippedScan{p: p}
	inspectProgram(p, sc.visit)
	if len(sc.sinks) == 0 {
		return
	}
	sc.dropGuardedTexts()
	if len(sc.sinks) == 0 {
		return
	}
	prelude := declaredIn(sc.code)
	published := publishedGlobals(p)
	for _, sk := range sc.sinks {
		provided := sk.provided
		if sk.global {
			for k := range published {
				provided[k] = true
			}
		}
		for _, sh := range sk.shipped {
			// Functions shipped together see each other, by the names
			// their text declares (a keep-names pin is not one).
			if tn := textName(sh.Fn); tn != "" {
				provided[tn] = true
			}
		}
		for name := range prelude {
			provided[name] = true
		}
		declared := declaredIn(sk.pieces)
		for _, sh := range sk.shipped {
			if !reportShipped(p, sk, sh, provided) {
				reportLostPreludeCalls(p, sk, sh, declared)
			}
		}
		reportShippedCalls(p, sk, provided, published)
	}
}

// declaredIn returns the names the code texts declare.
func declaredIn(texts []string) map[string]bool {
	out := map[string]bool{}
	for _, text := range texts {
		for _, m := range codeDeclRE.FindAllStringSubmatch(text, -1) {
			out[m[1]] = true
		}
	}
	return out
}

// shippedScan is what runShippedSource gathers in its walk.
type shippedScan struct {
	p *analyzer.Pass
	// sinks are the places that evaluate the text of some function.
	sinks []textSink
	// code are the strings that may be code.
	code []string
}

// textSink is a place that evaluates text (eval, new Function, a
// worker's Blob) that the source of functions of the bundle reaches.
type textSink struct {
	n        ast.Node
	sink     string          // what evaluates the text ("a Blob"…, see shippedSink)
	provided map[string]bool // the names the sink provides to the text
	global   bool            // the sink also sees the globals the page publishes
	shipped  []names.Shipped // the functions whose text reaches it
	// codeSink is set when a type test lets only strings reach the sink
	// (setImmediate polyfills: typeof cb != "function" && (cb = new
	// Function("" + cb))): a function given there is called, not made
	// into text.
	codeSink bool
	// pieces are the constant strings shipped with the functions' text
	// (names.Facts.ShippedPieces).
	pieces []string
}

// visit is runShippedSource's walk: string literals and template parts
// are kept as possible code, calls and new expressions are checked for
// a sink that function text reaches.
func (sc *shippedScan) visit(n ast.Node, stack []ast.Node) bool {
	var args []ast.Expression
	var callee ast.Expression
	isNew := false
	switch x := n.(type) {
	case *ast.StringLiteral:
		sc.code = appendCode(sc.code, x.Value.String())
		return true
	case *ast.TemplateElement:
		sc.code = appendCode(sc.code, x.Parsed.String())
		return true
	case *ast.CallExpression:
		callee, args = x.Callee, x.ArgumentList
	case *ast.NewExpression:
		callee, args, isNew = x.Callee, x.ArgumentList, true
	default:
		return true
	}
	if len(args) == 0 {
		return true
	}
	sink, body, provided, global := shippedSink(sc.p, callee, args, isNew)
	if sink == "" {
		return true
	}
	shipped := sc.p.File.Names.ShippedSource(body, stack)
	shipped = slices.DeleteFunc(shipped, func(sh names.Shipped) bool { return notAFunctionHere(sc.p, n, sh.At, stack) })
	if len(shipped) > 0 {
		pieces := sc.p.File.Names.ShippedPieces(body, stack)
		sc.sinks = append(sc.sinks, textSink{n: n, sink: sink, provided: provided, global: global, shipped: shipped, pieces: pieces,
			codeSink: notAFunctionHere(sc.p, n, body, stack)})
	}
	return true
}

// dropGuardedTexts drops the shipped texts made outside their sink
// where a type test shows the value is no function: msgpackr turns map
// keys into strings with `if (typeof k == "number" || typeof k ==
// "boolean" || …) return k.toString()`, and the flows, which follow no
// tests, give that text every function a key may be. One more walk finds
// where those texts are made, only when a sink has one.
func (sc *shippedScan) dropGuardedTexts() {
	stacks := map[ast.Node][]ast.Node{}
	for _, sk := range sc.sinks {
		for _, sh := range sk.shipped {
			if outside(sh.At, sk.n) {
				stacks[sh.At] = nil
			}
		}
	}
	if len(stacks) == 0 {
		return
	}
	inspectProgram(sc.p, func(n ast.Node, stack []ast.Node) bool {
		if _, ok := stacks[n]; ok {
			stacks[n] = slices.Clone(stack)
		}
		return true
	})
	sinks := sc.sinks[:0]
	for _, sk := range sc.sinks {
		sk.shipped = slices.DeleteFunc(sk.shipped, func(sh names.Shipped) bool {
			if !outside(sh.At, sk.n) {
				return false
			}
			return notAFunctionHere(sc.p, sh.At, sh.At, stacks[sh.At]) ||
				sk.codeSink && !stringifiesFunctions(sc.p, sh.At, stacks[sh.At])
		})
		if len(sk.shipped) > 0 {
			sinks = append(sinks, sk)
		}
	}
	sc.sinks = sinks
}

// stringifiesFunctions reports whether at turns a value the flows see
// holding functions only into text (job.toString(), String(job), "(" +
// job + ")"). A sink that only strings reach gets a function's text
// from elsewhere only when a caller made it on purpose; a value that may
// also be something the flows do not see is some string: whatwg-fetch's
// String(name) of a header name, which the flows, through the setImmediate
// polyfill web3 bundles, brought to new Function with the functions
// they confuse with it.
func stringifiesFunctions(p *analyzer.Pass, at ast.Node, stack []ast.Node) bool {
	var operands []ast.Expression
	switch x := at.(type) {
	case *ast.CallExpression:
		if d, ok := x.Callee.(*ast.DotExpression); ok {
			operands = append(operands, d.Left)
		} else if len(x.ArgumentList) > 0 {
			operands = append(operands, x.ArgumentList[0])
		}
	case *ast.BinaryExpression:
		operands = append(operands, x.Left, x.Right)
	case *ast.TemplateLiteral:
		operands = x.Expressions
	}
	nf := p.File.Names
	for _, op := range operands {
		if _, ok := nf.ConstString(op); ok {
			continue
		}
		if fns, complete := nf.FuncsOf(op, stack); len(fns) == 0 || !complete {
			return false
		}
	}
	return len(operands) > 0
}

// outside reports whether node at lies outside node n.
func outside(at, n ast.Node) bool { return at.Idx0() < n.Idx0() || at.Idx1() > n.Idx1() }

// notAFunctionHere reports whether the text made at at, inside the sink
// n (whose ancestors are stack), is made only of a value that is not a
// function: a test of its type guards the sink (typeof cb != "function" &&
// (cb = new Function("" + cb)), as setImmediate polyfills accept code as
// a string), so the flow-insensitive flows' functions never get there.
func notAFunctionHere(p *analyzer.Pass, n, at ast.Node, stack []ast.Node) bool {
	if outside(at, n) {
		return false // made elsewhere: the guards around n say nothing of it
	}
	// The bindings the text is made of.
	var made []*scope.Binding
	walk.Inspect(at, func(x ast.Node) bool {
		if id, ok := x.(*ast.Identifier); ok {
			if b := p.File.Scope.Resolve(id); b != nil {
				made = append(made, b)
			}
		}
		return true
	})
	if len(made) != 1 {
		return false
	}
	child := n
	for i := len(stack) - 1; i >= 0; i-- {
		switch x := stack[i].(type) {
		case *ast.BinaryExpression:
			if x.Operator == token.LOGICAL_AND && x.Right == child && excludesFunctions(p, x.Left, made[0], true) {
				return true
			}
		case *ast.ConditionalExpression:
			if x.Consequent == child && excludesFunctions(p, x.Test, made[0], true) ||
				x.Alternate == child && excludesFunctions(p, x.Test, made[0], false) {
				return true
			}
		case *ast.IfStatement:
			if x.Consequent == child && excludesFunctions(p, x.Test, made[0], true) ||
				x.Alternate == child && excludesFunctions(p, x.Test, made[0], false) {
				return true
			}
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			return false
		}
		child = stack[i]
	}
	return false
}

// excludesFunctions reports whether test, when it holds (or fails,
// when holds is false), shows b is not a function: typeof b !=
// "function", typeof b == "string" (or the negation, for holds false),
// and || and && of such tests (typeof b == "number" || typeof b ==
// "boolean").
func excludesFunctions(p *analyzer.Pass, test ast.Expression, b *scope.Binding, holds bool) bool {
	cmp, ok := test.(*ast.BinaryExpression)
	if !ok {
		return false
	}
	switch cmp.Operator {
	case token.LOGICAL_OR, token.LOGICAL_AND:
		// a || b holds when one does (each must exclude), fails when both
		// do (one excluding is enough); a && b the other way round.
		l, r := excludesFunctions(p, cmp.Left, b, holds), excludesFunctions(p, cmp.Right, b, holds)
		if (cmp.Operator == token.LOGICAL_OR) == holds {
			return l && r
		}
		return l || r
	}
	typeOf, lit := cmp.Left, cmp.Right
	if _, ok := p.File.Names.ConstString(typeOf); ok {
		typeOf, lit = lit, typeOf
	}
	u, ok := typeOf.(*ast.UnaryExpression)
	if !ok || u.Operator != token.TYPEOF {
		return false
	}
	operand := u.Operand
	if a, ok := operand.(*ast.AssignExpression); ok && a.Operator == token.ASSIGN {
		operand = a.Left // typeof (cb = function () {…}): the call inlined
	}
	id, ok := operand.(*ast.Identifier)
	if !ok || p.File.Scope.Resolve(id) != b {
		return false
	}
	s, ok := p.File.Names.ConstString(lit)
	if !ok {
		return false
	}
	equal := false
	switch cmp.Operator {
	case token.EQUAL, token.STRICT_EQUAL:
		equal = true
	case token.NOT_EQUAL, token.STRICT_NOT_EQUAL:
	default:
		return false
	}
	if !holds {
		equal = !equal
	}
	// equal: the test says typeof b == s; else typeof b != s.
	return equal && s != "function" || !equal && s == "function"
}

// reportShipped reports the function text sh that runs through sk
// without the free variables it needs (provided are the names the place
// it runs in has), and reports whether it did.
func reportShipped(p *analyzer.Pass, sk textSink, sh names.Shipped, provided map[string]bool) bool {
	// A worker has a global object of its own: the page's globals
	// are not there either.
	free := freeBindings(p, sh.Fn, provided, sk.sink == "a Blob")
	if len(free) == 0 {
		return false
	}
	pos := startOf(sk.n)
	if sk.sink == "a Blob" {
		pos = textPos(sh.At) // where the text was made: the Blob is often a library's
	}
	p.Report(analyzer.Diagnostic{
		Pos: pos,
		Message: fmt.Sprintf("the source text of %s runs through %s, where its free variables %s do not exist: they are bindings of the bundle, renamed or private to it, and nothing there provides them under these names. "+
			"It throws ReferenceError there. Make the function self-contained or pass what it uses explicitly.",
			kindAndName(sh.Fn), sk.sink, describeFree(p.File.Names, free)),
		Name: sh.Fn.SourceName(),
	})
	return true
}

// appendCode keeps a string that may be code declaring names.
func appendCode(code []string, text string) []string {
	if strings.ContainsAny(text, "({;=") && (strings.Contains(text, "function") || strings.Contains(text, "var ") ||
		strings.Contains(text, "let ") || strings.Contains(text, "const ") || strings.Contains(text, "class ")) {
		code = append(code, text)
	}
	return code
}

// shippedSink recognises where text is evaluated: new Function / Function
// (the body, with the parameter names it provides), a global eval
// (aliased eval, (0, eval), window.eval), setTimeout/setInterval with a
// string, and new Blob(parts). It returns how to call the sink ("" when
// n is none), the expression holding the text, the names the sink
// provides to it, and whether it also sees the page's published globals.
func shippedSink(p *analyzer.Pass, callee ast.Expression, args []ast.Expression, isNew bool) (string, ast.Expression, map[string]bool, bool) {
	nf := p.File.Names
	provided := map[string]bool{}
	global := func(name string) bool {
		id, ok := callee.(*ast.Identifier)
		return ok && id.Name.String() == name && nf.Scope.IsGlobal(id)
	}
	switch {
	case global("Function"):
		for _, a := range args[:len(args)-1] {
			if s, ok := nf.ConstString(a); ok {
				for _, name := range strings.Split(s, ",") {
					provided[strings.TrimSpace(name)] = true
				}
				continue
			}
			if sp, ok := a.(*ast.SpreadElement); ok {
				keys, ok := objectKeysOf(p, sp.Expression)
				if !ok {
					return "", nil, nil, false // parameters we cannot read
				}
				for _, k := range keys {
					provided[k] = true
				}
				continue
			}
			return "", nil, nil, false
		}
		return "new Function", args[len(args)-1], provided, true
	case isNew && global("Blob"):
		return "a Blob", args[0], provided, false
	case !isNew && isGlobalEval(p, callee):
		return "a global eval", args[0], provided, true
	case !isNew && (global("setTimeout") || global("setInterval") || isGlobalMember(p, callee, "setTimeout") || isGlobalMember(p, callee, "setInterval")):
		return "a string timer", args[0], provided, true
	}
	return "", nil, nil, false
}

// isGlobalEval reports an indirect eval: a binding that holds only the
// global eval, (0, eval), or window.eval / globalThis.eval. A direct
// eval sees the caller's scope and is not one.
func isGlobalEval(p *analyzer.Pass, callee ast.Expression) bool {
	nf := p.File.Names
	switch c := callee.(type) {
	case *ast.Identifier:
		b := nf.Scope.Resolve(c)
		if b == nil || b.Mutated || len(b.Assigns) != 0 {
			return false
		}
		id, ok := b.Init.(*ast.Identifier)
		return ok && id.Name == "eval" && nf.Scope.IsGlobal(id)
	case *ast.SequenceExpression:
		if len(c.Sequence) == 2 {
			id, ok := c.Sequence[1].(*ast.Identifier)
			return ok && id.Name == "eval" && nf.Scope.IsGlobal(id)
		}
	}
	return isGlobalMember(p, callee, "eval")
}

// isGlobalMember reports window.name, globalThis.name or self.name.
func isGlobalMember(p *analyzer.Pass, e ast.Expression, name string) bool {
	d, ok := e.(*ast.DotExpression)
	if !ok || d.Identifier.Name.String() != name {
		return false
	}
	id, ok := d.Left.(*ast.Identifier)
	return ok && globalObjects[id.Name.String()] && p.File.Names.Scope.IsGlobal(id)
}

// objectKeysOf reads Object.keys(o) where o is an object literal (or a
// constant binding of one): the keys survive minification.
func objectKeysOf(p *analyzer.Pass, e ast.Expression) ([]string, bool) {
	call, ok := e.(*ast.CallExpression)
	if !ok || len(call.ArgumentList) != 1 {
		return nil, false
	}
	d, ok := call.Callee.(*ast.DotExpression)
	if !ok || d.Identifier.Name != "keys" {
		return nil, false
	}
	if id, ok := d.Left.(*ast.Identifier); !ok || id.Name != "Object" {
		return nil, false
	}
	obj := call.ArgumentList[0]
	if id, ok := obj.(*ast.Identifier); ok {
		b := p.File.Names.Scope.Resolve(id)
		if b == nil || b.Mutated || len(b.Assigns) != 0 {
			return nil, false
		}
		obj = b.Init
	}
	lit, ok := obj.(*ast.ObjectLiteral)
	if !ok {
		return nil, false
	}
	var keys []string
	for _, prop := range lit.Value {
		k, ok := names.PropertyKey(prop)
		if !ok {
			return nil, false // a spread or computed key: the keys are not all known
		}
		keys = append(keys, k)
	}
	return keys, true
}

// publishedGlobals maps the names the program puts on the global object
// under a literal name (window.X = …, globalThis["X"] = …,
// Object.assign(window, {X})) to the values it assigns there.
func publishedGlobals(p *analyzer.Pass) map[string][]ast.Expression {
	nf := p.File.Names
	out := map[string][]ast.Expression{}
	global := func(e ast.Expression) bool {
		id, ok := e.(*ast.Identifier)
		return ok && globalObjects[id.Name.String()] && nf.Scope.IsGlobal(id)
	}
	inspectProgram(p, func(n ast.Node, _ []ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignExpression:
			switch t := x.Left.(type) {
			case *ast.DotExpression:
				if global(t.Left) {
					k := t.Identifier.Name.String()
					out[k] = append(out[k], x.Right)
				}
			case *ast.BracketExpression:
				if k, ok := nf.ConstString(t.Member); ok && global(t.Left) {
					out[k] = append(out[k], x.Right)
				}
			}
		case *ast.CallExpression:
			d, ok := x.Callee.(*ast.DotExpression)
			if !ok || d.Identifier.Name != "assign" || len(x.ArgumentList) < 2 || !global(x.ArgumentList[0]) {
				return true
			}
			for _, a := range x.ArgumentList[1:] {
				lit, ok := a.(*ast.ObjectLiteral)
				if !ok {
					continue
				}
				for _, prop := range lit.Value {
					k, ok := names.PropertyKey(prop)
					if !ok {
						continue
					}
					var v ast.Expression
					switch pr := prop.(type) {
					case *ast.PropertyShort:
						v = &pr.Name
					case *ast.PropertyKeyed:
						v = pr.Value
					}
					out[k] = append(out[k], v)
				}
			}
		}
		return true
	})
	return out
}

// freeBindings returns the bindings of the bundle fn's body refers to
// that are declared outside it, sorted by name, leaving out script
// globals when the text runs in this realm (the global object has them),
// references under typeof, and names the sink provides.
func freeBindings(p *analyzer.Pass, fn *names.Func, provided map[string]bool, otherRealm bool) []*scope.Binding {
	sc := p.File.Scope
	lo, hi := int(fn.Node.Idx0())-1, int(fn.Node.Idx1())-1
	var out []*scope.Binding
	walk.Inspect(fn.Node, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpression); ok && u.Operator == token.TYPEOF {
			if _, isID := u.Operand.(*ast.Identifier); isID {
				return false
			}
		}
		id, ok := n.(*ast.Identifier)
		if !ok {
			return true
		}
		b := sc.Resolve(id)
		if b == nil || b.Kind == scope.Arguments || (b.Pos >= lo && b.Pos < hi) || b.Decl == fn.Node || b.Scope.Kind == scope.Global && !otherRealm {
			return true
		}
		if provided[b.Name] || slices.Contains(out, b) {
			return true
		}
		out = append(out, b)
		return true
	})
	slices.SortFunc(out, func(a, b *scope.Binding) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// textPos is where a text of a function's source was made, as a map
// places it: the toString of fn.toString(), else the first operand of a
// concatenation that is no string literal (a map often has no segment
// at a literal).
func textPos(at ast.Node) int {
	switch x := at.(type) {
	case *ast.CallExpression:
		if d, ok := x.Callee.(*ast.DotExpression); ok {
			return scope.Offset(d.Identifier.Idx)
		}
	case *ast.BinaryExpression:
		if _, lit := x.Left.(*ast.StringLiteral); lit {
			return textPos(x.Right)
		}
		return textPos(x.Left)
	case *ast.TemplateLiteral:
		if len(x.Expressions) > 0 {
			return textPos(x.Expressions[0])
		}
	}
	return startOf(at)
}

// describeFree lists free bindings with their original names when the
// map knows them: "e (clamp), n (lerp)".
func describeFree(nf *names.Facts, free []*scope.Binding) string {
	const most = 4
	var parts []string
	for i, b := range free {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(free)-most))
			break
		}
		s := b.Name
		if fn := nf.ValueOf(b); fn != nil && fn.Helper {
			s += " (the bundler's keep-names helper, __name)"
		} else if orig, ok := nf.OriginalAt(b.Pos, b.Name); ok && orig != b.Name {
			s += " (" + orig + " in the source)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
