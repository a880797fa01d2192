package names

import (
	"sync"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// Options configure Analyze.
type Options struct {
	// OriginalAt returns the original name the source map records for the
	// identifier emitted at byte offset pos: (name, true) when a segment
	// starts exactly there — its name, or emitted itself when the segment
	// carries none (esbuild only records names it changed) — and
	// ("", false) when no segment starts there or there is no map.
	OriginalAt func(pos int, emitted string) (string, bool)
	// Origin returns the original source text the code emitted at byte
	// offset pos came from, when the map carries sourcesContent; nil
	// without.
	Origin func(pos int) (Origin, bool)
	// SourceDecls returns the names declared (functions, classes,
	// variables, at the start of a line) in the original sources, from the
	// map's sourcesContent; nil without.
	SourceDecls func() map[string]Decl
	// HasMap reports whether a source map is in use.
	HasMap bool
	// Minified reports whether the bundle looks minified.
	Minified bool
	// DefaultExport is the byte offset of the expression of an anonymous
	// `export default` rewritten by the ESM lowering, or -1.
	DefaultExport int
	// Exported are the top-level bindings an ES module exports: code
	// outside the bundle may call them and read what they hold.
	Exported []string
	// Linked are the functions and classes other chunks of the build
	// export, by the local name of the import binding that holds them
	// (see linked.go).
	Linked map[string][]Exported
	// PackageImports are the import bindings of an ES module that name
	// a package the bundle does not contain, by local name (see
	// packages.go).
	PackageImports map[string]PackageImport
}

// PackageImport is what an import binding imports from a package.
type PackageImport struct {
	Package string // the bare specifier
	Name    string // the imported name, "default", or "*"
}

// SourceText is one original source file from the map's sourcesContent.
type SourceText struct {
	Lines *lines.Index
	// Module is set when the source has import or export statements: its
	// top-level declarations were never globals.
	Module bool
}

// Decl says how the original sources declare a name.
type Decl struct {
	Any       bool // declared somewhere (function, class, var, let, const)
	Function  bool // declared as a function
	ScriptTop bool // declared at the top level of a script (not a module): a global
	Imported  bool // bound by an import declaration (defined in another module)
}

// Origin is a position in an original source: the text of its line and
// the byte index in it.
type Origin struct {
	Source *SourceText
	Line   string
	At     int
	// LineNo is the index of Line in Source (0-based).
	LineNo int
}

// Facts are the name facts of one file, shared by every rule.
type Facts struct {
	Scope    *scope.Info
	Minified bool
	HasMap   bool
	// Funcs are all functions and classes, in source order.
	Funcs []*Func
	// Reads are the places where a function's .name is read.
	Reads []*Read
	// Uses are what happens to the values those reads produce.
	Uses []*Use
	// NumPinned is the number of functions whose name a helper pins to
	// a constant (a name computed at runtime does not count): a bundle
	// built with keep-names has many.
	NumPinned int

	// params maps each parameter binding to its function and position.
	params map[*scope.Binding]paramPos
	// closedDerived are the derived key uses of closed round trips
	// (ClosedDerived).
	closedDerived map[*Use]bool
	// keyedReads are the store reads with computed keys (findStores).
	keyedReads []keyedRead
	// instanceMisses are the lookups by instance names that miss.
	instanceMisses []*InstanceNameMiss
	// dynamicNames are the strings a class factory may name a class
	// (DynamicName).
	dynamicNames map[string]bool

	opts    Options
	byNode  map[ast.Node]*Func
	values  map[*scope.Binding]*Func
	naming  map[ast.Node]naming
	helpers map[*scope.Binding]bool
	defProp map[*scope.Binding]bool
	// paramArgs are the functions passed, at known call sites, to each
	// parameter binding.
	paramArgs map[*scope.Binding][]*Func
	// paramCalls counts the known call sites that reach a parameter.
	paramCalls map[*scope.Binding]int
	// paramInstances are the classes whose instances (new C()) known call
	// sites pass to each parameter.
	paramInstances map[*scope.Binding][]*Func
	// funcLike marks parameters used as functions or classes (called,
	// constructed, .prototype read, right of instanceof).
	funcLike map[*scope.Binding]bool
	methods  map[string][]*Func
	recorded *recorded
	// preorder is the program in preorder with each node's depth: the walk
	// every later stage and rule reuses (Inspect) instead of walking the
	// tree again.
	preorder preorder
	// nameFlows are bindings, properties and functions that carry a name
	// value (see flow.go).
	flows *flows
	// props is how the program uses each property name (properties.go),
	// counted on first use: rules ask while others run.
	propsOnce sync.Once
	props     map[string]PropertyUse
	// vals are the value flows of the program (values.go).
	vals *values
	// latePins are name pins the flows settle (flowPins).
	latePins []*ast.CallExpression
	// stores are the name-keyed objects and Maps (stores.go).
	stores      []*Store
	storeOfUse  map[*Use]*Store
	tableMisses []*TableMiss
	// readNodes indexes the nodes of Reads (carriesName).
	readNodes map[ast.Node]bool
	// tags are the data properties written only with runtime names
	// (tagChannels), built on first use.
	tags map[string][]*Use
	// tagReads counts the reads of each such property, tagClosed those
	// that key a closed round trip (countRead).
	tagReads, tagClosed map[string]int
	// fixedKeyed are the Maps and Sets given a fixed key (constKeyed).
	fixedKeyed map[flow.Value]bool
	// entries maps each [key, value] literal to the Maps and objects
	// built from lists holding it (stores.go).
	entries map[ast.Node][]flow.Value
	// exported are the bindings an ES module exports: code outside the
	// bundle may call them.
	exported []*scope.Binding
	// linked are the Funcs of what other chunks export and this one
	// imports, linkedTo the import bindings holding them (linked.go).
	linked   []*Func
	linkedTo []linkedImport
	// requireShims are the bindings holding a bundler's require shim
	// (packages.go).
	requireShims map[*scope.Binding]bool
	// loadsPackages is set when the bundle loads modules it does not
	// contain (LoadsPackages).
	loadsPackages bool
	// versionOf numbers the version each reference of a split binding
	// reads or writes (versions.go).
	versionOf map[*ast.Identifier]int32
	// packageCalls are the calls of modelled package values
	// (packages.go).
	packageCalls []*PackageCall
}

type naming struct {
	name string
	pos  int
	ok   bool // false: named, but by a key whose value is not static
	// ident is the variable the name comes from (var a = class {},
	// a = () => …), nil for a key or a function's own name.
	ident *ast.Identifier
}

// FuncOf returns the function or class a node is, or nil.
func (f *Facts) FuncOf(n ast.Node) *Func { return f.byNode[n] }

// ValueOf returns the function or class a binding holds for its whole
// life, or nil when it holds something else or is reassigned.
func (f *Facts) ValueOf(b *scope.Binding) *Func {
	if b == nil {
		return nil
	}
	return f.values[b]
}

// Resolve returns the function or class an expression evaluates to when
// that is statically certain: a literal, or a reference to a binding that
// holds one.
func (f *Facts) Resolve(e ast.Expression) *Func {
	for i := 0; i < 8 && e != nil; i++ {
		switch x := e.(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
			return f.byNode[x]
		case *ast.Identifier:
			return f.values[f.Scope.Resolve(x)]
		case *ast.CallExpression:
			// __name(fn, "x") returns fn.
			if t := f.pinTarget(x); t != nil {
				e = t
				continue
			}
			return nil
		case *ast.SequenceExpression:
			if len(x.Sequence) == 0 {
				return nil
			}
			e = x.Sequence[len(x.Sequence)-1]
		case *ast.AssignExpression:
			// (o = function(){…}).toString(): the value is the right side.
			if x.Operator != token.ASSIGN {
				return nil
			}
			e = x.Right
		default:
			return nil
		}
	}
	return nil
}

// Analyze computes the name facts of a parsed, resolved program:
// Collect(prg).Analyze(sc, opts).
func Analyze(prg *ast.Program, sc *scope.Info, opts Options) *Facts {
	return Collect(prg).Analyze(sc, opts)
}

// Collected is the first stage of the analysis: one walk of the program
// that needs no scopes, so it can run while scope.Build does.
type Collected struct {
	f   *Facts
	prg *ast.Program
}

// Collect walks the program once, creating a Func for every function and
// class and recording the nodes the later stages need.
func Collect(prg *ast.Program) *Collected {
	f := &Facts{
		byNode:         map[ast.Node]*Func{},
		values:         map[*scope.Binding]*Func{},
		naming:         map[ast.Node]naming{},
		helpers:        map[*scope.Binding]bool{},
		defProp:        map[*scope.Binding]bool{},
		paramArgs:      map[*scope.Binding][]*Func{},
		paramCalls:     map[*scope.Binding]int{},
		paramInstances: map[*scope.Binding][]*Func{},
		funcLike:       map[*scope.Binding]bool{},
		methods:        map[string][]*Func{},
	}
	f.collectFuncs(prg)
	return &Collected{f: f, prg: prg}
}

// Analyze computes the name facts from what Collect found, with the
// program's scopes (scope.Build). It may be called once.
func (c *Collected) Analyze(sc *scope.Info, opts Options) *Facts {
	if opts.OriginalAt == nil {
		opts.OriginalAt = func(int, string) (string, bool) { return "", false }
	}
	f, prg := c.f, c.prg
	c.f = nil
	f.Scope, f.Minified, f.HasMap, f.opts = sc, opts.Minified, opts.HasMap, opts
	f.resolveFuncs()
	for _, fn := range f.Funcs {
		fn.Emitted = fn.Runtime
		if opts.DefaultExport >= 0 && fn.Pos == opts.DefaultExport && fn.NamePos >= 0 {
			// `export default function(){}` lowered to a declaration
			// named by a synthesized identifier: the spec names it
			// "default", and the map knows nothing of that identifier.
			fn.Runtime, fn.Emitted, fn.NamePos = "default", "", -1
		}
	}
	f.bindValues()
	f.findHelpers()
	f.scanCalls()
	f.linkClasses()
	for _, name := range opts.Exported {
		if b := sc.Root.Lookup(name); b != nil {
			f.exported = append(f.exported, b)
		}
	}
	f.linkImports()
	f.vals = f.buildValues(prg)
	f.loadsPackages = f.findPackageLoads()
	f.findPackageCalls()
	f.indexParams()
	f.flowPins()
	f.originals()
	f.findReads(prg)
	f.findStores()
	f.findTables()
	f.findClosedDerived()
	f.findInstanceNameLookups()
	// Computed here, not on a rule's first TagClosed: rules run
	// concurrently.
	f.tagChannels()
	f.naming = nil
	return f
}

// collectFuncs creates a Func for every function and class, with the name
// NamedEvaluation gives it.
func (f *Facts) collectFuncs(prg *ast.Program) {
	f.recorded = &recorded{}
	var stack []ast.Node
	walk.Walk(visitor{
		enter: func(n ast.Node) bool {
			f.nameChildren(n)
			f.record(n, stack)
			f.preorder.add(n, len(stack))
			stack = append(stack, n)
			parents := stack[:len(stack)-1]
			switch n := n.(type) {
			case *ast.FunctionLiteral:
				fn := f.newFunc(n, n.Name, parents)
				fn.params = n.ParameterList
				f.add(fn)
			case *ast.ArrowFunctionLiteral:
				fn := f.newFunc(n, nil, parents)
				fn.IsArrow = true
				fn.params = n.ParameterList
				f.add(fn)
			case *ast.ClassLiteral:
				fn := f.newFunc(n, n.Name, parents)
				fn.IsClass = true
				f.staticName(fn, n)
				for _, el := range n.Body {
					if m, ok := el.(*ast.MethodDefinition); ok && !m.Static && m.Kind == ast.PropertyKindMethod {
						if k, ok := propName(m.Key, m.Computed); ok && k == "constructor" {
							fn.params = m.Body.ParameterList
						}
					}
				}
				f.add(fn)
			}
			return true
		},
		leave: func(ast.Node) { stack = stack[:len(stack)-1] },
	}, prg)
}

// newFunc makes the Func of function or class node n, whose ancestors are
// parents: named by its own identifier (own; nil when it has none) or by
// NamedEvaluation, and whether it is called where it stands.
func (f *Facts) newFunc(n ast.Node, own *ast.Identifier, parents []ast.Node) *Func {
	fn := &Func{Node: n, Pos: scope.Offset(n.Idx0()), RuntimeKnown: true, NamePos: -1, Invoked: invokedWhereItStands(n, parents)}
	if own != nil {
		fn.Runtime, fn.NamePos = own.Name.String(), scope.Offset(own.Idx)
	} else if nm, ok := f.naming[n]; ok {
		fn.Runtime, fn.NamePos, fn.RuntimeKnown, fn.nameIdent = nm.name, nm.pos, nm.ok, nm.ident
	}
	return fn
}

// invokedWhereItStands reports whether function node n, whose ancestors
// are stack, is called where it stands: the callee of a call, directly or
// through .call/.apply. (Not of new: new class{…}(…) is what a minifier
// makes of a class it inlined into its one use, rarely what an author
// writes.)
func invokedWhereItStands(n ast.Node, stack []ast.Node) bool {
	if len(stack) == 0 {
		return false
	}
	callee := ast.Expression(nil)
	switch p := stack[len(stack)-1].(type) {
	case *ast.CallExpression:
		callee = p.Callee
	case *ast.DotExpression:
		// (function(){…}).call(this)
		if m := p.Identifier.Name; (m == "call" || m == "apply") && len(stack) >= 2 {
			if c, ok := stack[len(stack)-2].(*ast.CallExpression); ok && c.Callee == ast.Expression(p) {
				return p.Left == n
			}
		}
		return false
	default:
		return false
	}
	return callee == n
}

// resolveFuncs completes the Funcs with what the scopes tell: parameter
// bindings, the variable a name comes from, and whether direct eval or
// with can see them.
func (f *Facts) resolveFuncs() {
	for _, fn := range f.Funcs {
		fn.Params, fn.params = f.paramBindings(fn.params), nil
		if id := fn.nameIdent; id != nil {
			// a declaration (var a = …) or a reference (a = …)
			if fn.NameBinding = f.Scope.Declared(id); fn.NameBinding == nil {
				fn.NameBinding = f.Scope.Resolve(id)
			}
			fn.nameIdent = nil
		}
		if s := f.Scope.ScopeOf(fn.Node); s != nil && s.Dynamic {
			fn.Dynamic = true
		}
	}
}

func (f *Facts) add(fn *Func) {
	fn.id = int32(len(f.Funcs))
	f.byNode[fn.Node] = fn
	f.Funcs = append(f.Funcs, fn)
}

func (f *Facts) paramBindings(pl *ast.ParameterList) []*scope.Binding {
	if pl == nil {
		return nil
	}
	var out []*scope.Binding
	for _, p := range pl.List {
		if id, ok := p.Target.(*ast.Identifier); ok {
			out = append(out, f.Scope.Declared(id))
		} else {
			out = append(out, nil)
		}
	}
	return out
}

// nameChildren records the name each anonymous function child of n gets
// from its position (NamedEvaluation), before the children are visited.
func (f *Facts) nameChildren(n ast.Node) {
	nameAs := func(e ast.Expression, nm naming) {
		switch e.(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
			f.naming[e] = nm
		}
	}
	set := func(e ast.Expression, name string, pos int, ok bool) {
		nameAs(e, naming{name: name, pos: pos, ok: ok})
	}
	byIdent := func(target ast.Node, init ast.Expression) {
		if id, ok := target.(*ast.Identifier); ok {
			nameAs(init, naming{name: id.Name.String(), pos: scope.Offset(id.Idx), ok: true, ident: id})
		}
	}
	switch n := n.(type) {
	case *ast.Binding: // var/let/const, parameters with defaults
		byIdent(n.Target, n.Initializer)
	case *ast.AssignExpression:
		if scope.IsNamingAssign(n) {
			byIdent(n.Left, n.Right)
		}
	case *ast.PropertyShort: // {a = function(){}} in a pattern
		set(n.Initializer, n.Name.Name.String(), scope.Offset(n.Name.Idx), true)
	case *ast.PropertyKeyed:
		name, ok := propName(n.Key, n.Computed)
		set(n.Value, accessorName(n.Kind, name), keyPos(n.Key), ok)
	case *ast.FieldDefinition:
		name, ok := propName(n.Key, n.Computed)
		set(n.Initializer, name, keyPos(n.Key), ok)
	case *ast.MethodDefinition:
		name, ok := propName(n.Key, n.Computed)
		set(n.Body, accessorName(n.Kind, name), keyPos(n.Key), ok)
	case *ast.VariableStatement:
		// The ESM lowering turns `export default <anonymous>` into
		// `var _$default= <anonymous>`; the spec names it "default".
		if f.opts.DefaultExport >= 0 {
			for _, b := range n.List {
				if b.Initializer != nil && walk.Start(b.Initializer) == f.opts.DefaultExport {
					f.naming[b.Initializer] = naming{name: "default", pos: -1, ok: true}
				}
			}
		}
	}
	if f.opts.DefaultExport >= 0 {
		if b, ok := n.(*ast.Binding); ok && b.Initializer != nil && walk.Start(b.Initializer) == f.opts.DefaultExport {
			switch b.Initializer.(type) {
			case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
				f.naming[b.Initializer] = naming{name: "default", pos: -1, ok: true}
			}
		}
	}
}

// staticName applies a class's own `static name` member, which overrides
// the name SetFunctionName gave it (and which esbuild respects: it emits no
// __name for such a class).
func (f *Facts) staticName(fn *Func, c *ast.ClassLiteral) {
	for _, el := range c.Body {
		switch el := el.(type) {
		case *ast.FieldDefinition:
			if k, ok := propName(el.Key, el.Computed); ok && el.Static && k == "name" {
				fn.Pin = PinStatic
				if s, ok := LiteralString(el.Initializer); ok {
					fn.Runtime, fn.RuntimeKnown = s, true
				} else {
					fn.RuntimeKnown = false
				}
			}
		case *ast.MethodDefinition:
			if k, ok := propName(el.Key, el.Computed); ok && el.Static && k == "name" {
				fn.Pin = PinStatic
				fn.RuntimeKnown = false
				if el.Kind == ast.PropertyKindGet {
					if s, ok := returnedString(el.Body); ok {
						fn.Runtime, fn.RuntimeKnown = s, true
					}
				}
			}
		}
	}
}

// returnedString returns the literal a function body only returns.
func returnedString(fn *ast.FunctionLiteral) (string, bool) {
	if fn == nil {
		return "", false
	}
	if r := ReturnedBy(fn); r != nil {
		return LiteralString(r)
	}
	return "", false
}

// bindValues records which bindings hold one function or class for their
// whole life.
func (f *Facts) bindValues() {
	var aliases []*scope.Binding
	for _, b := range f.Scope.Bindings {
		switch b.Kind {
		case scope.Function, scope.Class, scope.ClassSelf, scope.FuncSelf:
			if fn := f.byNode[b.Decl]; fn != nil && len(b.Assigns) == 0 && !b.Mutated {
				f.values[b] = fn
			}
		case scope.Var, scope.Let, scope.Const:
			if b.Mutated {
				continue
			}
			var rhs ast.Expression
			switch {
			case b.Init != nil && (len(b.Assigns) == 0 || allDecorateSelf(b)):
				rhs = b.Init
			case b.Init == nil && len(b.Assigns) == 1:
				// esbuild hoists `var Foo;` and assigns later.
				rhs = b.Assigns[0].Right
			default:
				continue
			}
			if fn := f.literal(rhs); fn != nil {
				f.values[b] = fn
			} else if _, ok := rhs.(*ast.Identifier); ok {
				aliases = append(aliases, b)
			}
		}
	}
	for _, b := range f.Scope.Bindings {
		if fn := f.values[b]; fn != nil && fn.Binding == nil && b.Kind != scope.ClassSelf && b.Kind != scope.FuncSelf {
			fn.Binding = b
		}
	}
	// `var a = b` where b holds a function: a holds it too. Chains of
	// aliases settle within a few rounds.
	for round := 0; round < 4; round++ {
		changed := false
		for _, b := range aliases {
			if f.values[b] != nil {
				continue
			}
			rhs := b.Init
			if rhs == nil {
				rhs = b.Assigns[0].Right
			}
			if fn := f.values[f.Scope.Resolve(rhs.(*ast.Identifier))]; fn != nil {
				f.values[b] = fn
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

// literal unwraps a function or class literal, possibly wrapped in a
// naming helper call (resolved later, so recognised by shape here).
func (f *Facts) literal(e ast.Expression) *Func {
	switch x := e.(type) {
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
		return f.byNode[x]
	case *ast.CallExpression:
		if len(x.ArgumentList) == 2 {
			if _, ok := LiteralString(x.ArgumentList[1]); ok {
				if fn := f.literal(x.ArgumentList[0]); fn != nil {
					if id, ok := x.Callee.(*ast.Identifier); ok && f.isHelperShape(f.Scope.Resolve(id)) {
						return fn
					}
				}
			}
		}
	}
	return nil
}

// isObjectDefineProperty reports whether e is Object.defineProperty or a
// binding that holds it (`var t=Object.defineProperty`).
func (f *Facts) isObjectDefineProperty(e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.DotExpression:
		id, ok := x.Left.(*ast.Identifier)
		return ok && id.Name == "Object" && x.Identifier.Name == "defineProperty" && f.Scope.IsGlobal(id)
	case *ast.Identifier:
		b := f.Scope.Resolve(x)
		if b == nil {
			return false
		}
		if v, ok := f.defProp[b]; ok {
			return v
		}
		f.defProp[b] = false // cycle guard
		v := b.Init != nil && len(b.Assigns) == 0 && !b.Mutated && f.isObjectDefineProperty(b.Init)
		f.defProp[b] = v
		return v
	}
	return false
}

// isHelperShape recognises esbuild's __name helper by what it does, since
// minification renames it: `(r, n) => t(r, "name", {value: n, configurable: true})`.
func (f *Facts) isHelperShape(b *scope.Binding) bool {
	if b != nil && b.Kind == scope.Import {
		// esbuild --keep-names --splitting: chunks import the helper from
		// a shared chunk (see importedHelpers).
		return f.helpers[b]
	}
	if b == nil || b.Init == nil || len(b.Assigns) != 0 || b.Mutated {
		return false
	}
	if v, ok := f.helpers[b]; ok {
		return v
	}
	v := f.helperBody(b.Init)
	f.helpers[b] = v
	return v
}

func (f *Facts) helperBody(e ast.Expression) bool {
	var pl *ast.ParameterList
	switch fn := e.(type) {
	case *ast.ArrowFunctionLiteral:
		pl = fn.ParameterList
	case *ast.FunctionLiteral:
		pl = fn.ParameterList
	}
	body := ReturnedBy(e)
	if pl == nil || len(pl.List) != 2 || body == nil {
		return false
	}
	p0, ok0 := pl.List[0].Target.(*ast.Identifier)
	p1, ok1 := pl.List[1].Target.(*ast.Identifier)
	call, ok := body.(*ast.CallExpression)
	if !ok0 || !ok1 || !ok || len(call.ArgumentList) != 3 || !f.isObjectDefineProperty(call.Callee) {
		return false
	}
	if a, ok := call.ArgumentList[0].(*ast.Identifier); !ok || a.Name != p0.Name {
		return false
	}
	if k, ok := LiteralString(call.ArgumentList[1]); !ok || k != "name" {
		return false
	}
	desc, ok := call.ArgumentList[2].(*ast.ObjectLiteral)
	if !ok {
		return false
	}
	for _, p := range desc.Value {
		if kv, ok := p.(*ast.PropertyKeyed); ok {
			if k, _ := propName(kv.Key, kv.Computed); k == "value" {
				if v, ok := kv.Value.(*ast.Identifier); ok && v.Name == p1.Name {
					return true
				}
			}
		}
	}
	return false
}

// ReturnedBy returns what a function or arrow whose body is one return
// statement (or an arrow's expression) returns, or nil.
func ReturnedBy(fn ast.Node) ast.Expression {
	var b *ast.BlockStatement
	switch f := fn.(type) {
	case *ast.FunctionLiteral:
		b = f.Body
	case *ast.ArrowFunctionLiteral:
		switch body := f.Body.(type) {
		case *ast.ExpressionBody:
			return body.Expression
		case *ast.BlockStatement:
			b = body
		}
	}
	if b == nil || len(b.List) != 1 {
		return nil
	}
	if r, ok := b.List[0].(*ast.ReturnStatement); ok {
		return r.Argument
	}
	return nil
}

func (f *Facts) findHelpers() {
	for _, b := range f.Scope.Bindings {
		if b.Init != nil {
			switch b.Init.(type) {
			case *ast.ArrowFunctionLiteral, *ast.FunctionLiteral:
				if f.isHelperShape(b) {
					if fn := f.byNode[b.Init]; fn != nil {
						fn.Helper = true
					}
				}
			}
		}
	}
}

// pinTarget returns the function expression a naming helper call pins,
// or nil when call is not one.
func (f *Facts) pinTarget(call *ast.CallExpression) ast.Expression {
	if len(call.ArgumentList) != 2 {
		return nil
	}
	if _, ok := LiteralString(call.ArgumentList[1]); !ok {
		return nil
	}
	id, ok := call.Callee.(*ast.Identifier)
	if !ok || !f.isHelperShape(f.Scope.Resolve(id)) {
		return nil
	}
	return call.ArgumentList[0]
}

// visitor adapts two funcs to walk.Visitor.
type visitor struct {
	enter func(ast.Node) bool
	leave func(ast.Node)
}

func (v visitor) Enter(n ast.Node) bool { return v.enter(n) }
func (v visitor) Leave(n ast.Node) {
	if v.leave != nil {
		v.leave(n)
	}
}

// isUpdate reports whether an operator is ++ or --.
func isUpdate(op token.Token) bool { return op == token.INCREMENT || op == token.DECREMENT }

// allDecorateSelf reports whether every assignment to b is TypeScript's
// `C = __decorate([...], C)`, which returns the class itself unless a
// decorator replaces it.
func allDecorateSelf(b *scope.Binding) bool {
	for _, as := range b.Assigns {
		call, ok := as.Right.(*ast.CallExpression)
		if !ok || len(call.ArgumentList) < 2 {
			return false
		}
		if _, ok := call.ArgumentList[0].(*ast.ArrayLiteral); !ok {
			return false
		}
		id, ok := call.ArgumentList[1].(*ast.Identifier)
		if !ok || id.Name.String() != b.Name {
			return false
		}
	}
	return true
}

// Inspect calls visit for every node of the program in source order with
// its ancestors (outermost first; the slice is reused, copy it to keep
// it). visit returns false to skip the node's children. It iterates the
// preorder list the first walk recorded, so it is much cheaper than a
// walk of the tree.
func (f *Facts) Inspect(visit func(n ast.Node, stack []ast.Node) bool) {
	f.preorder.inspect(visit)
}

// accessorName is SetFunctionName's prefix for getters and setters.
func accessorName(kind ast.PropertyKind, name string) string {
	switch kind {
	case ast.PropertyKindGet:
		return "get " + name
	case ast.PropertyKindSet:
		return "set " + name
	}
	return name
}
