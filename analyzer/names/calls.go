package names

import (
	"regexp"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/jstoken"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// scanCalls finds name pins (helper calls, defineProperty), what known
// call sites pass to each parameter, parameters used as functions, and
// dependency-injection annotations.
func (f *Facts) scanCalls() {
	r := f.recorded
	for _, n := range r.methods {
		if k, ok := propName(n.Key, n.Computed); ok && n.Kind == ast.PropertyKindMethod && !n.Computed {
			if fn := f.byNode[n.Body]; fn != nil {
				f.methods[k] = append(f.methods[k], fn)
			}
		}
	}
	for _, n := range r.props {
		if k, ok := propName(n.Key, n.Computed); ok && !n.Computed {
			if fn := f.byNode[n.Value]; fn != nil && !fn.IsClass {
				f.methods[k] = append(f.methods[k], fn)
			}
		}
	}
	for _, c := range r.injectFields {
		if fn := f.byNode[c]; fn != nil {
			fn.Injected = true
		}
	}
	for _, n := range r.funcs {
		if hasDirective(n.Body, "ngInject") {
			if fn := f.byNode[n]; fn != nil {
				fn.Injected = true
			}
		}
	}
	f.importedHelpers()
	for _, c := range r.calls {
		f.pinCall(c.call, c.staticClass)
	}
	for _, n := range r.assigns {
		// fn.$inject = [...]
		if d, ok := n.Left.(*ast.DotExpression); ok && d.Identifier.Name == "$inject" {
			if fn := f.Resolve(d.Left); fn != nil {
				fn.Injected = true
			}
		}
	}
	for _, e := range r.funcLike {
		f.markFuncLike(e)
	}
	// Call sites need the methods table complete.
	for _, c := range r.calls {
		f.markFuncLike(c.call.Callee)
		f.callSite(c.call.Callee, c.call.ArgumentList, false)
		f.decorateCall(c.call)
	}
	for _, n := range r.news {
		f.markFuncLike(n.Callee)
		f.callSite(n.Callee, n.ArgumentList, true)
	}
	f.recorded = nil
}

// recorded are the nodes collectFuncs notes on its walk for the later
// stages, which then need no walk of their own.
type recorded struct {
	methods      []*ast.MethodDefinition
	props        []*ast.PropertyKeyed
	injectFields []*ast.ClassLiteral // classes with a static $inject field
	funcs        []*ast.FunctionLiteral
	calls        []recordedCall
	news         []*ast.NewExpression
	assigns      []*ast.AssignExpression
	funcLike     []ast.Expression // instanceof right sides, X of X.prototype/.call/.apply/.bind
}

type recordedCall struct {
	call *ast.CallExpression
	// staticClass is the class whose static block or field the call is
	// in (where `this` is the class), for __name(this, "X").
	staticClass *ast.ClassLiteral
}

// record notes n (whose ancestors are stack) for scanCalls.
func (f *Facts) record(n ast.Node, stack []ast.Node) {
	r := f.recorded
	switch n := n.(type) {
	case *ast.MethodDefinition:
		r.methods = append(r.methods, n)
	case *ast.PropertyKeyed:
		r.props = append(r.props, n)
	case *ast.FieldDefinition:
		if k, ok := propName(n.Key, n.Computed); ok && n.Static && k == "$inject" && len(stack) > 0 {
			if c, ok := stack[len(stack)-1].(*ast.ClassLiteral); ok {
				r.injectFields = append(r.injectFields, c)
			}
		}
	case *ast.FunctionLiteral:
		r.funcs = append(r.funcs, n)
	case *ast.CallExpression:
		rc := recordedCall{call: n}
		if len(n.ArgumentList) > 0 {
			if _, ok := n.ArgumentList[0].(*ast.ThisExpression); ok {
				rc.staticClass = staticClassOf(stack)
			}
		}
		r.calls = append(r.calls, rc)
	case *ast.NewExpression:
		r.news = append(r.news, n)
	case *ast.AssignExpression:
		r.assigns = append(r.assigns, n)
	case *ast.BinaryExpression:
		if n.Operator == token.INSTANCEOF {
			r.funcLike = append(r.funcLike, n.Right)
		}
	case *ast.DotExpression:
		switch n.Identifier.Name {
		case "prototype", "call", "apply", "bind":
			r.funcLike = append(r.funcLike, n.Left)
		}
	}
}

func hasDirective(b *ast.BlockStatement, d string) bool {
	if b == nil {
		return false
	}
	for _, st := range b.List {
		es, ok := st.(*ast.ExpressionStatement)
		if !ok {
			return false
		}
		s, ok := es.Expression.(*ast.StringLiteral)
		if !ok {
			return false
		}
		if s.Value.String() == d {
			return true
		}
	}
	return false
}

func (f *Facts) markFuncLike(e ast.Expression) {
	if id, ok := e.(*ast.Identifier); ok {
		if b := f.Scope.Resolve(id); b != nil && b.Kind == scope.Param {
			f.funcLike[b] = true
		}
	}
}

// callSite records the functions passed as arguments to a known callee.
func (f *Facts) callSite(callee ast.Expression, args []ast.Expression, isNew bool) {
	var targets []*Func
	if fn := f.Resolve(callee); fn != nil {
		targets = []*Func{fn}
	} else if d, ok := callee.(*ast.DotExpression); ok {
		// obj.register(Foo): a method of that name, if only one in the
		// bundle has it.
		if ms := f.methods[d.Identifier.Name.String()]; len(ms) == 1 {
			targets = ms
		}
	}
	for _, t := range targets {
		if t.IsClass != isNew {
			continue
		}
		for i, p := range t.Params {
			if p == nil || i >= len(args) {
				continue
			}
			f.paramCalls[p]++
			if a := f.Resolve(args[i]); a != nil {
				f.paramArgs[p] = append(f.paramArgs[p], a)
			} else if c := f.newOf(args[i]); c != nil {
				f.paramInstances[p] = append(f.paramInstances[p], c)
			}
		}
	}
}

// pinCall applies esbuild's __name helper and Object.defineProperty(fn,
// "name", {value: "X"}) to the function they name.
func (f *Facts) pinCall(call *ast.CallExpression, staticClass *ast.ClassLiteral) {
	var target ast.Expression
	var name string
	var pin Pin
	if t := f.pinTarget(call); t != nil {
		target, pin = t, PinHelper
		name, _ = LiteralString(call.ArgumentList[1])
	} else if len(call.ArgumentList) == 3 && f.isObjectDefineProperty(call.Callee) {
		if k, ok := LiteralString(call.ArgumentList[1]); !ok || k != "name" {
			return
		}
		desc, ok := call.ArgumentList[2].(*ast.ObjectLiteral)
		if !ok {
			return
		}
		for _, p := range desc.Value {
			if kv, ok := p.(*ast.PropertyKeyed); ok {
				if k, _ := propName(kv.Key, kv.Computed); k == "value" {
					// The value may be a literal or, after compression
					// inlined a helper, a variable holding one.
					if v, ok := f.constString(kv.Value); ok {
						target, name, pin = call.ArgumentList[0], v, PinDefineProperty
					}
				}
			}
		}
		if target == nil || f.Resolve(target) == nil {
			// A name set to a value known only at runtime, or on a
			// function the flows must find (a factory's class):
			// flowPins settles it once the flows are solved.
			f.latePins = append(f.latePins, call)
			return
		}
	} else {
		return
	}
	var fn *Func
	if _, ok := target.(*ast.ThisExpression); ok {
		// class X { static { __name(this, "X") } }
		if staticClass != nil {
			fn = f.byNode[staticClass]
		}
	} else {
		fn = f.Resolve(target)
	}
	if fn == nil || fn.Pin == PinStatic {
		return
	}
	fn.Runtime, fn.RuntimeKnown, fn.Pin = name, true, pin
	f.NumPinned++
}

// flowPins applies the Object.defineProperty(x, "name", {value: v}) calls
// pinCall left: the functions and classes x may hold get the name v, or
// an unknown name when v is not a constant (a model factory naming its
// classes after a parameter). The naming helper's own body (esbuild's
// __name) is no such call.
func (f *Facts) flowPins() {
	for _, call := range f.latePins {
		target := call.ArgumentList[0]
		if id, ok := target.(*ast.Identifier); ok {
			if b := f.Scope.Resolve(id); b != nil && b.Kind == scope.Param {
				if h := f.byNode[b.Scope.Node]; h != nil && h.Helper {
					continue
				}
			}
		}
		name, known := "", false
		if desc, ok := call.ArgumentList[2].(*ast.ObjectLiteral); ok {
			for _, p := range desc.Value {
				var value ast.Expression
				switch p := p.(type) {
				case *ast.PropertyKeyed:
					if k, _ := propName(p.Key, p.Computed); k == "value" {
						value = p.Value
					}
				case *ast.PropertyShort:
					if p.Name.Name == "value" {
						value = &p.Name
					}
				}
				if value != nil {
					name, known = f.constString(value)
					if !known {
						f.dynamicName(value)
					}
				}
			}
		}
		fns, _, _ := f.vals.funcsIn(f.vals.of(target, nil))
		for _, fn := range fns {
			if fn.Pin == PinStatic || fn.Helper {
				continue
			}
			fn.Runtime, fn.RuntimeKnown, fn.Pin = name, known, PinDefineProperty
			if known {
				// A name computed at runtime (NestJS names its mixins
				// with random ids) keeps no name of the source: no sign
				// of a keep-names configuration.
				f.NumPinned++
			}
		}
	}
	f.latePins = nil
}

// DynamicName reports whether the bundle may give some function or class
// the runtime name s through a name it defines from a parameter: a class
// factory that runs Object.defineProperty(C, "name", {value: name}) with
// its own parameter name (zod's $constructor), called here with the
// string s.
func (f *Facts) DynamicName(s string) bool { return f.dynamicNames[s] }

// dynamicName records the strings a name set from value may be: when
// value is a parameter of a function (a class factory's name), the
// string literals the calls the flows bound to that function pass in its
// place.
func (f *Facts) dynamicName(value ast.Expression) {
	id, ok := value.(*ast.Identifier)
	if !ok || f.vals == nil {
		return
	}
	b := f.Scope.Resolve(id)
	if b == nil || b.Kind != scope.Param {
		return
	}
	fn, idx := f.paramOf(b)
	if fn == nil {
		return
	}
	for _, site := range f.vals.perFunc[fn.id].sites {
		c, ok := site.node.(*ast.CallExpression)
		if !ok || idx >= len(c.ArgumentList) {
			continue
		}
		if s, ok := f.constString(c.ArgumentList[idx]); ok {
			if f.dynamicNames == nil {
				f.dynamicNames = map[string]bool{}
			}
			f.dynamicNames[s] = true
		}
	}
}

// enclosingStaticClass returns the class whose static block or static
// field the top of stack is in (where `this` is the class), or nil.
func enclosingStaticClass(f *Facts, stack []ast.Node) *Func {
	if c := staticClassOf(stack); c != nil {
		return f.byNode[c]
	}
	return nil
}

// staticClassOf returns the class literal whose static block or static
// field the top of stack is in, or nil.
func staticClassOf(stack []ast.Node) *ast.ClassLiteral {
	for i := len(stack) - 1; i > 0; i-- {
		switch n := stack[i].(type) {
		case *ast.ClassStaticBlock:
			if c, ok := stack[i-1].(*ast.ClassLiteral); ok {
				return c
			}
			return nil
		case *ast.FieldDefinition:
			if c, ok := stack[i-1].(*ast.ClassLiteral); ok && n.Static {
				return c
			}
			return nil
		case *ast.FunctionLiteral, *ast.ClassLiteral:
			return nil
		}
	}
	return nil
}

// linkClasses resolves each class's superclass within the bundle.
func (f *Facts) linkClasses() {
	for _, fn := range f.Funcs {
		c, ok := fn.Node.(*ast.ClassLiteral)
		if !ok || c.SuperClass == nil {
			continue
		}
		if s := f.Resolve(c.SuperClass); s != nil && s.IsClass && s != fn {
			fn.Super = s
			s.Subs = append(s.Subs, fn)
		}
	}
}

// originals looks up each function's original name in the source map.
func (f *Facts) originals() {
	for _, fn := range f.Funcs {
		if fn.NamePos < 0 || fn.Emitted == "" {
			if fn.Runtime == "" && fn.RuntimeKnown && f.opts.Origin != nil {
				f.lostName(fn)
			}
			continue
		}
		fn.Original, fn.OriginalKnown = f.opts.OriginalAt(fn.NamePos, fn.Emitted)
		if fn.OriginalKnown && f.opts.Origin != nil {
			f.checkMapName(fn)
		}
		if fn.NamePos < fn.Pos && f.opts.Origin != nil {
			f.ownName(fn)
		}
		if !fn.OriginalKnown && fn.NamePos != fn.Pos && f.opts.Origin != nil {
			// Named by what it is assigned to (r=class extends Error{}),
			// where the map has no segment: the source may declare it
			// under a name of its own.
			f.declaredName(fn)
		}
	}
}

// checkMapName corrects the name the map gives fn when the source
// declares fn under another and the map's name is not the source's: a
// map composed through an input that was minified already with a map
// without names (esbuild bundling ExcelJS's dist/exceljs.min.js, whose
// class f maps to `class MergeValue {` with no name, which reads as "f
// was kept"). The map's name is taken as wrong only when its segment has
// none (the emitted name) or the source line does not hold it.
func (f *Facts) checkMapName(fn *Func) {
	x, line := "", ""
	if o, ok := f.opts.Origin(fn.NamePos); ok && o.At < len(o.Line) && declaredBeforeRE.MatchString(o.Line[:o.At]) && jstoken.IdentStart(o.Line, o.At) {
		x, line = o.Line[o.At:jstoken.ScanIdent(o.Line, o.At)], o.Line
	} else if o, ok := f.opts.Origin(fn.Pos); ok {
		// The declaration's start (class MergeValue {), where the map
		// has no segment at the name.
		if m := declaredNameRE.FindStringSubmatch(o.Line[o.At:]); m != nil {
			x, line = m[1], o.Line
		}
	}
	if x == "" || x == fn.Original || x == "extends" {
		return
	}
	if fn.Original == fn.Emitted || !containsWord(line, fn.Original) {
		fn.Original = x
	}
}

// ownName gives fn the name the source declares it under when the
// bundle names it by what it is assigned to (n = class extends t {…})
// and the source expression has a name of its own (newConstructor =
// class ioc_wrapper extends source {…}): a class or function expression's
// own name is its name at runtime, whatever holds it. typescript-ioc
// tests source.name !== "ioc_wrapper", and the map's name for n is the
// variable's.
func (f *Facts) ownName(fn *Func) {
	if o, ok := f.opts.Origin(fn.Pos); ok {
		if name, ok := declaredAt(o); ok {
			fn.Original, fn.OriginalKnown = name, true
		}
	}
}

// declaredAt returns the name of the declaration the source text starts
// with at o (class TimeoutError …, async function load(…)).
func declaredAt(o Origin) (string, bool) {
	if m := declaredNameRE.FindStringSubmatch(o.Line[o.At:]); m != nil && m[1] != "extends" {
		return m[1], true
	}
	return "", false
}

// containsWord reports whether identifier w occurs in s as a whole word.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(w)
		if (at == 0 || !jstoken.IsIdentPart(s[at-1])) && (end == len(s) || !jstoken.IsIdentPart(s[end])) {
			return true
		}
		i = at + 1
	}
}

// declaredName takes the name the source declares fn under, when the
// map places fn's start on a declaration (class TimeoutError …, function
// load(…)) or on the name of one.
func (f *Facts) declaredName(fn *Func) {
	o, ok := f.opts.Origin(fn.Pos)
	if !ok {
		return
	}
	if name, ok := declaredAt(o); ok {
		fn.Original, fn.OriginalKnown = name, true
		return
	}
	// terser maps the class keyword to the name after it.
	if declaredBeforeRE.MatchString(o.Line[:o.At]) && jstoken.IdentStart(o.Line, o.At) {
		if n := o.Line[o.At:jstoken.ScanIdent(o.Line, o.At)]; n != "extends" {
			fn.Original, fn.OriginalKnown = n, true
		}
		return
	}
	// An anonymous class or function the source assigns to a variable
	// (var User = class {…}, as TypeScript's decorator lowering writes
	// it) is named after the variable.
	if anonymousRE.MatchString(o.Line[o.At:]) {
		if m := assignedToRE.FindStringSubmatch(o.Line[:o.At]); m != nil {
			fn.Original, fn.OriginalKnown = m[1], true
		}
	}
}

// declaredBeforeRE matches text that ends right before a declared name.
var declaredBeforeRE = regexp.MustCompile(`(?:^|[^\w$.])(?:function\s*\*?|class)\s+$`)

// anonymousRE matches an anonymous class or function expression.
var anonymousRE = regexp.MustCompile(`^(?:async\s+)?(?:class\s*(?:\{|extends\b)|function\s*\*?\s*\()`)

// assignedToRE matches text that ends with an assignment to a plain
// variable (a declaration or not; not a property).
var assignedToRE = regexp.MustCompile(`(?:^|[^\w$.\s]|\b(?:var|let|const))\s*([A-Za-z_$][\w$]*)\s*=\s*$`)

var declaredNameRE = regexp.MustCompile(`^(?:async\s+)?(?:function\s*\*?|class)\s*([A-Za-z_$][A-Za-z0-9_$]*)`)

// lostName finds the name an anonymous function had in the source: a
// terser or webpack compression that inlines `function onLoad(){}` into
// its only use leaves it anonymous, and keep_fnames cannot help (the name
// is gone, not mangled; terser#1484).
func (f *Facts) lostName(fn *Func) {
	if o, ok := f.opts.Origin(fn.Pos); ok {
		if name, ok := declaredAt(o); ok {
			fn.Original, fn.OriginalKnown = name, true
		}
		return
	}
	// uglify-js maps no segment at a class it inlined into an
	// expression ([class{up(e){…}}, …]), but maps its first member: the
	// source text right before that member opens the class's body.
	c, ok := fn.Node.(*ast.ClassLiteral)
	if !ok || len(c.Body) == 0 {
		return
	}
	var first ast.Node = c.Body[0]
	if m, ok := first.(*ast.MethodDefinition); ok && m.Key != nil {
		first = m.Key
	} else if fd, ok := first.(*ast.FieldDefinition); ok && fd.Key != nil {
		first = fd.Key
	}
	if o, ok := f.opts.Origin(walk.Start(first)); ok {
		if name, ok := classHeaderBefore(o); ok {
			fn.Original, fn.OriginalKnown = name, true
		}
	}
}

// classHeaderRE matches source text that ends by opening the body of a
// named class (an export keyword, type parameters, extends and
// implements clauses allowed).
var classHeaderRE = regexp.MustCompile(`(?:^|[\s;{}])(?:export\s+(?:default\s+)?)?(?:abstract\s+)?class\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?:<[^{};]*>)?(?:\s+extends\s+[^{};]+?)?(?:\s+implements\s+[^{};]+?)?\s*\{\s*$`)

// classHeaderBefore returns the name of the class whose body opens right
// before o: its member is the first thing in the body. It looks back
// three lines at most.
func classHeaderBefore(o Origin) (string, bool) {
	var b strings.Builder
	for n := max(0, o.LineNo-3); n < o.LineNo; n++ {
		b.WriteString(o.Source.Lines.Line(n))
		b.WriteByte('\n')
	}
	b.WriteString(o.Line[:o.At])
	m := classHeaderRE.FindStringSubmatch(b.String())
	if m == nil || m[1] == "extends" || m[1] == "implements" {
		return "", false
	}
	return m[1], true
}

// ParamOriginal returns the original name of a parameter binding from the
// map, and whether the map knew it.
func (f *Facts) ParamOriginal(b *scope.Binding) (string, bool) {
	if b == nil || b.Pos < 0 {
		return "", false
	}
	return f.opts.OriginalAt(b.Pos, b.Name)
}

// Family returns the class and every class of the bundle that extends it,
// transitively: the classes `this.constructor` can be inside its methods.
func (f *Func) Family() []*Func {
	out := []*Func{f}
	seen := map[*Func]bool{f: true}
	for i := 0; i < len(out); i++ {
		for _, s := range out[i].Subs {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// ParamArgs returns the functions known call sites pass to a parameter.
func (f *Facts) ParamArgs(b *scope.Binding) []*Func { return dedupe(f.paramArgs[b]) }

// newOf returns the class an expression is certainly an instance of:
// `new C()`, or a binding initialised with it and never reassigned.
func (f *Facts) newOf(e ast.Expression) *Func {
	if id, ok := e.(*ast.Identifier); ok {
		b := f.Scope.Resolve(id)
		if b == nil || b.Mutated || b.Kind == scope.Param {
			return nil
		}
		switch {
		case len(b.Assigns) == 0:
			e = b.Init
		case b.Init == nil && len(b.Assigns) == 1:
			// o=new e, after compression hoisted the declaration
			e = b.Assigns[0].Right
		default:
			return nil
		}
	}
	if ne, ok := e.(*ast.NewExpression); ok {
		return f.Resolve(ne.Callee)
	}
	return nil
}

// OriginalAt returns what the source map says the identifier emitted at
// byte offset pos was called in the source (see Options.OriginalAt).
func (f *Facts) OriginalAt(pos int, emitted string) (string, bool) {
	return f.opts.OriginalAt(pos, emitted)
}

// decorateCall handles TypeScript's legacy decorator helper (tslib's
// __decorate, esbuild's __decorateClass), renamed by minification and so
// recognised by its arguments: an array of decorators and a class. Each
// decorator's first parameter receives the class — where entity and
// injection decorators read target.name.
func (f *Facts) decorateCall(call *ast.CallExpression) {
	if len(call.ArgumentList) < 2 {
		return
	}
	arr, ok := call.ArgumentList[0].(*ast.ArrayLiteral)
	if !ok {
		return
	}
	cls := f.Resolve(call.ArgumentList[1])
	if cls == nil || !cls.IsClass {
		return
	}
	for _, el := range arr.Value {
		var dec *Func
		if c, ok := el.(*ast.CallExpression); ok {
			// @Entity() — the factory returns the decorator.
			if factory := f.Resolve(c.Callee); factory != nil {
				dec = f.returnedFunc(factory)
			}
		} else {
			dec = f.Resolve(el)
		}
		if dec == nil || len(dec.Params) == 0 || dec.Params[0] == nil {
			continue
		}
		p := dec.Params[0]
		f.paramCalls[p]++
		f.paramArgs[p] = append(f.paramArgs[p], cls)
	}
}

// returnedFunc returns the function literal a function returns directly
// (return function(target){…}, or an arrow whose body is one).
func (f *Facts) returnedFunc(fn *Func) *Func {
	switch n := fn.Node.(type) {
	case *ast.FunctionLiteral:
		if n.Body == nil {
			return nil
		}
		for _, st := range n.Body.List {
			if r, ok := st.(*ast.ReturnStatement); ok {
				return f.literal(r.Argument)
			}
		}
	case *ast.ArrowFunctionLiteral:
		switch b := n.Body.(type) {
		case *ast.ExpressionBody:
			return f.literal(b.Expression)
		case *ast.BlockStatement:
			for _, st := range b.List {
				if r, ok := st.(*ast.ReturnStatement); ok {
					return f.literal(r.Argument)
				}
			}
		}
	}
	return nil
}

// SourceDecl says how the original sources declare name, as far as the
// map's sourcesContent tells (declarations at the start of a line).
func (f *Facts) SourceDecl(name string) Decl {
	if f.opts.SourceDecls == nil {
		return Decl{}
	}
	return f.opts.SourceDecls()[name]
}

// HasSourceText reports whether the map carries the original sources.
func (f *Facts) HasSourceText() bool {
	return f.opts.SourceDecls != nil && len(f.opts.SourceDecls()) > 0
}

// OriginAt returns the original source position of the code emitted at
// byte offset pos (see Options.Origin).
func (f *Facts) OriginAt(pos int) (Origin, bool) {
	if f.opts.Origin == nil {
		return Origin{}, false
	}
	return f.opts.Origin(pos)
}

// importedHelpers recognises esbuild's __name helper when a code-split
// chunk imports it from a shared chunk (esbuild --keep-names --splitting),
// where its definition is out of sight and the map does not map imports:
// an imported function called as h(this, "Local") in a class's static
// block, or as h(fn, "orig") with the name the map gives fn.
func (f *Facts) importedHelpers() {
	for _, c := range f.recorded.calls {
		call := c.call
		id, ok := call.Callee.(*ast.Identifier)
		if !ok || len(call.ArgumentList) != 2 {
			continue
		}
		b := f.Scope.Resolve(id)
		if b == nil || b.Kind != scope.Import || f.helpers[b] {
			continue
		}
		lit, ok := call.ArgumentList[1].(*ast.StringLiteral)
		if !ok {
			continue
		}
		if _, isThis := call.ArgumentList[0].(*ast.ThisExpression); isThis && c.staticClass != nil {
			f.helpers[b] = true
			continue
		}
		if fn := f.Resolve(call.ArgumentList[0]); fn != nil && fn.NamePos >= 0 {
			if orig, ok := f.opts.OriginalAt(fn.NamePos, fn.Emitted); ok && orig == lit.Value.String() {
				f.helpers[b] = true
			}
		}
	}
}
