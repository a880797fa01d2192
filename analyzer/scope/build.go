package scope

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// ImportBinding is a name an ES module import declares. The ESM lowering
// blanks import statements, so the scope pass gets them from it.
type ImportBinding struct {
	Name string
	Pos  int // byte offset of the local name
}

// Options configure Build.
type Options struct {
	// Module makes the top level a module scope (declarations are not
	// global object properties).
	Module  bool
	Imports []ImportBinding
}

// Build resolves prg.
func Build(prg *ast.Program, opts Options) *Info {
	in := &Info{
		Globals: map[string][]*ast.Identifier{},
	}
	// Minified code has about one reference every 19 bytes and one
	// declaration every 72 (three.js): sized from that, the position
	// tables are rarely regrown, and trimmed at the end if they were
	// oversized (readable code is sparser).
	// (prg.Idx1 indexes the last statement: not for an empty program.)
	if n := programEnd(prg); n > 0 {
		in.refs = make([]entry, 0, n/16+16)
		in.decls = make([]entry, 0, n/64+16)
	}
	b := &builder{in: in, ids: newInterner(programEnd(prg))}
	b.argID = b.intern("arguments")
	// One declaration every 72 bytes, one scope every 165 (three.js
	// minified): the first slabs are sized from that.
	b.bindings = slab[Binding]{next: programEnd(prg)/64 + 8, max: 1024}
	b.scopes = slab[Scope]{next: programEnd(prg)/128 + 8, max: 512}
	in.Bindings = make([]*Binding, 0, b.bindings.next)
	in.scopes = make([]*Scope, 0, b.scopes.next)
	kind := Global
	if opts.Module {
		kind = Module
	}
	root := b.open(kind, prg)
	in.Root = root
	for _, im := range opts.Imports {
		b.declare(root, im.Name, Import, nil, im.Pos, nil, nil)
	}
	b.hoistVars(prg.DeclarationList)
	b.hoistLexical(prg.Body)
	for _, s := range prg.Body {
		b.node(s)
	}
	b.close()
	in.refs = trim(sortEntries(in.refs))
	in.decls = trim(sortEntries(in.decls))
	in.Bindings = trim(in.Bindings)
	in.scopes = trim(sortScopes(in.scopes))
	return in
}

type builder struct {
	in    *Info
	cur   *Scope
	ids   *interner // interned names
	argID int32     // the id of "arguments"
	// Bindings and scopes are allocated in slabs, not one by one: a big
	// bundle has a hundred thousand of each.
	bindings slab[Binding]
	scopes   slab[Scope]
}

// slab hands out elements of chunks of Ts; the first chunk holds next
// elements (when under max), the others max.
type slab[T any] struct {
	buf       []T
	next, max int
}

func (s *slab[T]) new() *T {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]T, 0, min(s.next, s.max))
		s.next = s.max
	}
	s.buf = s.buf[:len(s.buf)+1]
	return &s.buf[len(s.buf)-1]
}

func (b *builder) intern(name string) int32 { return b.ids.intern(name) }

func (b *builder) newBinding() *Binding { return b.bindings.new() }

func (b *builder) newScope() *Scope { return b.scopes.new() }

func (b *builder) open(kind ScopeKind, n ast.Node) *Scope {
	s := b.newScope()
	*s = Scope{Kind: kind, Parent: b.cur, Node: n, ids: b.ids}
	b.cur = s
	if _, ok := nodeStart(n); ok {
		b.in.scopes = append(b.in.scopes, s)
	}
	return s
}

func (b *builder) close() { b.cur = b.cur.Parent }

func (b *builder) declare(s *Scope, name string, kind Kind, id *ast.Identifier, pos int, decl ast.Node, init ast.Expression) *Binding {
	nid := b.intern(name)
	if old := s.find(nid); old != nil {
		// Redeclaration (var twice, var over a parameter or function):
		// one binding, several declarations. A function declaration wins
		// the value, as it does at runtime.
		if id != nil {
			b.in.decls = append(b.in.decls, entry{int32(id.Idx), old.seq})
		}
		if kind == Function {
			old.Kind, old.Decl, old.Init = Function, decl, nil
			old.Mutated = true
		} else if init != nil || (kind == Var && old.Kind != Param) {
			old.Mutated = true
		}
		return old
	}
	bd := b.newBinding()
	*bd = Binding{Name: name, Kind: kind, seq: int32(len(b.in.Bindings)), id: nid, Scope: s, Ident: id, Pos: pos, Decl: decl, Init: init, Index: -1}
	s.add(bd)
	if id != nil {
		// A class declaration's name declares both the outer binding and
		// the inner self-binding; the outer one is what callers want.
		b.in.decls = append(b.in.decls, entry{int32(id.Idx), bd.seq})
	}
	b.in.Bindings = append(b.in.Bindings, bd)
	return bd
}

func (b *builder) declareIdent(s *Scope, id *ast.Identifier, kind Kind, decl ast.Node, init ast.Expression) *Binding {
	return b.declare(s, id.Name.String(), kind, id, Offset(id.Idx), decl, init)
}

// hoistVars declares a function's (or the program's) var bindings, which
// goja collects per function in DeclarationList.
func (b *builder) hoistVars(list []*ast.VariableDeclaration) {
	fs := b.cur
	for _, d := range list {
		for _, bd := range d.List {
			b.declarePattern(fs, bd.Target, Var, bd, bd.Initializer)
		}
	}
}

// hoistLexical declares the let/const/class/function declarations that
// appear directly in a statement list, before any of it runs (TDZ aside).
func (b *builder) hoistLexical(list []ast.Statement) {
	s := b.cur
	for _, st := range list {
		switch st := st.(type) {
		case *ast.LexicalDeclaration:
			kind := Let
			if st.Token == token.CONST {
				kind = Const
			}
			for _, bd := range st.List {
				b.declarePattern(s, bd.Target, kind, bd, bd.Initializer)
			}
		case *ast.ClassDeclaration:
			if st.Class.Name != nil {
				b.declareIdent(s, st.Class.Name, Class, st.Class, nil)
			}
		case *ast.FunctionDeclaration:
			fn := st.Function
			if fn.Name == nil {
				continue
			}
			b.declareIdent(s, fn.Name, Function, fn, nil)
			// Annex B: in sloppy code a function declared in a block is
			// also a var of the enclosing function.
			if fs := s.FuncScope(); fs != s && fs.find(b.intern(fn.Name.Name.String())) == nil {
				bd := b.declare(fs, fn.Name.Name.String(), Function, nil, Offset(fn.Name.Idx), fn, nil)
				bd.Ident = fn.Name
			}
		case *ast.LabelledStatement:
			// `l: function f(){}` is a (sloppy) declaration too.
			if fd, ok := st.Statement.(*ast.FunctionDeclaration); ok {
				b.hoistLexical([]ast.Statement{fd})
			}
		}
	}
}

// declarePattern declares every identifier in a binding target. Defaults
// and computed keys inside it are resolved later by bindingTarget.
func (b *builder) declarePattern(s *Scope, target ast.Node, kind Kind, decl ast.Node, init ast.Expression) {
	switch t := target.(type) {
	case *ast.Identifier:
		b.declareIdent(s, t, kind, decl, init)
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				b.declareIdent(s, &p.Name, kind, decl, nil)
			case *ast.PropertyKeyed:
				b.declarePattern(s, p.Value, kind, decl, nil)
			case *ast.SpreadElement:
				b.declarePattern(s, p.Expression, kind, decl, nil)
			}
		}
		if t.Rest != nil {
			b.declarePattern(s, t.Rest, kind, decl, nil)
		}
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			if e != nil {
				b.declarePattern(s, e, kind, decl, nil)
			}
		}
		if t.Rest != nil {
			b.declarePattern(s, t.Rest, kind, decl, nil)
		}
	case *ast.AssignExpression: // element with a default: [a = 1]
		b.declarePattern(s, t.Left, kind, decl, nil)
	case *ast.Binding:
		b.declarePattern(s, t.Target, kind, decl, nil)
	case *ast.SpreadElement:
		b.declarePattern(s, t.Expression, kind, decl, nil)
	}
}

// bindingTarget resolves what a declaring pattern evaluates: defaults and
// computed keys. The declared identifiers themselves are not references.
func (b *builder) bindingTarget(target ast.Node) {
	switch t := target.(type) {
	case *ast.Identifier, nil:
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				b.expr(p.Initializer)
			case *ast.PropertyKeyed:
				if p.Computed {
					b.expr(p.Key)
				}
				b.bindingTarget(p.Value)
			case *ast.SpreadElement:
				b.bindingTarget(p.Expression)
			}
		}
		b.bindingTarget(t.Rest)
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			b.bindingTarget(e)
		}
		b.bindingTarget(t.Rest)
	case *ast.AssignExpression:
		b.bindingTarget(t.Left)
		b.expr(t.Right)
	case *ast.SpreadElement:
		b.bindingTarget(t.Expression)
	default:
		b.node(target)
	}
}

// assignTarget resolves the target of an assignment or for-in/of head:
// identifiers in it are writes.
func (b *builder) assignTarget(target ast.Node, as *ast.AssignExpression) {
	switch t := target.(type) {
	case nil:
	case *ast.Identifier:
		bd := b.ref(t)
		if bd != nil {
			if as != nil {
				bd.Assigns = append(bd.Assigns, as)
			} else {
				bd.Mutated = true
			}
		}
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				b.assignTarget(&p.Name, nil)
				b.expr(p.Initializer)
			case *ast.PropertyKeyed:
				if p.Computed {
					b.expr(p.Key)
				}
				b.assignTarget(p.Value, nil)
			case *ast.SpreadElement:
				b.assignTarget(p.Expression, nil)
			}
		}
		b.assignTarget(t.Rest, nil)
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			b.assignTarget(e, nil)
		}
		b.assignTarget(t.Rest, nil)
	case *ast.AssignExpression: // destructuring default
		b.assignTarget(t.Left, nil)
		b.expr(t.Right)
	case *ast.SpreadElement:
		b.assignTarget(t.Expression, nil)
	default:
		b.node(target)
	}
}

// ref resolves one reference.
func (b *builder) ref(id *ast.Identifier) *Binding {
	name := id.Name.String()
	// A name never declared (yet) can only be a global, or arguments.
	if nid, ok := b.ids.lookup(name); ok {
		for s := b.cur; s != nil; s = s.Parent {
			if bd := s.find(nid); bd != nil {
				b.in.refs = append(b.in.refs, entry{int32(id.Idx), bd.seq})
				bd.Uses++
				return bd
			}
			if nid != b.argID || s.Kind != Func {
				continue
			}
			bd := b.declare(s, name, Arguments, nil, -1, s.Node, nil)
			b.in.refs = append(b.in.refs, entry{int32(id.Idx), bd.seq})
			bd.Uses++
			return bd
		}
	}
	b.in.refs = append(b.in.refs, entry{int32(id.Idx), -1})
	b.in.Globals[name] = append(b.in.Globals[name], id)
	return nil
}

func (b *builder) expr(e ast.Expression) {
	if e != nil {
		b.node(e)
	}
}

func (b *builder) stmts(list []ast.Statement) {
	for _, s := range list {
		b.node(s)
	}
}

// markDynamic flags s and every scope around it: a direct eval or with can
// name any binding visible from there.
func markDynamic(s *Scope) {
	for ; s != nil && !s.Dynamic; s = s.Parent {
		s.Dynamic = true
	}
}

// node resolves the references in n and below it, opening a scope for
// each construct that has one. The commonest nodes are visited here
// directly; the others' bodies are methods of their own.
func (b *builder) node(n ast.Node) {
	switch n := n.(type) {
	case nil:
		return
	case *ast.Identifier:
		if n != nil {
			b.ref(n)
		}
	case *ast.DotExpression:
		b.node(n.Left) // n.Identifier is a property name
	case *ast.PrivateDotExpression:
		b.node(n.Left)
	case *ast.MetaProperty, *ast.BranchStatement:
		// new.target, import.meta, labels: no references.

	// The commonest nodes of minified code, visited here in
	// walk.Children's order rather than through its callback.
	case *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral,
		*ast.ThisExpression, *ast.RegExpLiteral, *ast.EmptyStatement:
	case *ast.BinaryExpression:
		b.node(n.Left)
		b.node(n.Right)
	case *ast.BracketExpression:
		b.node(n.Left)
		b.node(n.Member)
	case *ast.ConditionalExpression:
		b.node(n.Test)
		b.node(n.Consequent)
		b.node(n.Alternate)
	case *ast.SequenceExpression:
		for _, e := range n.Sequence {
			b.node(e)
		}
	case *ast.ObjectLiteral:
		for _, p := range n.Value {
			b.node(p)
		}
	case *ast.ArrayLiteral:
		for _, e := range n.Value {
			b.node(e)
		}
	case *ast.NewExpression:
		b.node(n.Callee)
		for _, a := range n.ArgumentList {
			b.node(a)
		}
	case *ast.ExpressionStatement:
		b.node(n.Expression)
	case *ast.ReturnStatement:
		b.node(n.Argument)
	case *ast.ThrowStatement:
		b.node(n.Argument)
	case *ast.IfStatement:
		b.node(n.Test)
		b.node(n.Consequent)
		b.node(n.Alternate)
	case *ast.LabelledStatement:
		b.node(n.Statement)
	case *ast.PropertyShort: // in an object literal: {a} reads a
		b.ref(&n.Name)
		b.expr(n.Initializer)
	case *ast.PropertyKeyed:
		if n.Computed {
			b.expr(n.Key)
		}
		b.expr(n.Value)
	case *ast.AssignExpression:
		b.assign(n)
	case *ast.UnaryExpression:
		if n.Operator == token.INCREMENT || n.Operator == token.DECREMENT {
			b.assignTarget(n.Operand, nil)
			return
		}
		b.expr(n.Operand)
	case *ast.CallExpression:
		b.call(n)
	default:
		b.declarationOrBlock(n)
	}
}

// declarationOrBlock is node for the rest: class members, functions,
// classes, declarations and the statements that open a scope; anything
// else has its children visited.
func (b *builder) declarationOrBlock(n ast.Node) {
	switch n := n.(type) {
	case *ast.FieldDefinition:
		b.field(n)
	case *ast.MethodDefinition:
		if n.Computed {
			b.expr(n.Key)
		}
		b.function(n.Body, false)
	case *ast.ClassStaticBlock:
		b.open(Func, n)
		b.hoistVars(n.DeclarationList)
		b.block(n.Block, false)
		b.close()
	case *ast.FunctionLiteral:
		b.function(n, true)
	case *ast.ArrowFunctionLiteral:
		b.arrow(n)
	case *ast.ClassLiteral:
		b.class(n)
	case *ast.FunctionDeclaration:
		b.function(n.Function, false)
	case *ast.ClassDeclaration:
		b.class(n.Class)
	case *ast.VariableStatement:
		b.declarations(n.List)
	case *ast.LexicalDeclaration:
		b.declarations(n.List)
	case *ast.BlockStatement:
		b.block(n, true)
	case *ast.SwitchStatement:
		b.switchStatement(n)
	case *ast.ForStatement:
		b.forLoop(n)
	case *ast.ForInStatement:
		b.forInOf(n, n.Into, n.Source, n.Body)
	case *ast.ForOfStatement:
		b.forInOf(n, n.Into, n.Source, n.Body)
	case *ast.TryStatement:
		b.try(n)
	case *ast.WithStatement:
		b.expr(n.Object)
		b.open(Block, n)
		markDynamic(b.cur)
		b.node(n.Body)
		b.close()
	default:
		walk.Children(n, b.node)
	}
}

// field resolves a class field's computed key and initializer.
func (b *builder) field(n *ast.FieldDefinition) {
	if n.Computed {
		b.expr(n.Key)
	}
	if n.Initializer != nil {
		// A field initializer runs like a method body: its own this,
		// no arguments (an early error), so an arrow-like scope.
		b.open(Arrow, n)
		b.expr(n.Initializer)
		b.close()
	}
}

// assign resolves an assignment: the target is written (and read too by
// a compound assignment), the value read.
func (b *builder) assign(n *ast.AssignExpression) {
	// goja stores `x op= v` with the binary operator: `||=` is
	// LOGICAL_OR, `+=` is PLUS; only `=` is ASSIGN.
	if IsNamingAssign(n) {
		b.assignTarget(n.Left, n)
	} else {
		// Compound assignment reads and writes.
		b.assignTarget(n.Left, nil)
	}
	b.expr(n.Right)
}

// call resolves a call and records a direct eval, which makes every
// enclosing scope dynamic.
func (b *builder) call(n *ast.CallExpression) {
	isEval := false
	if id, ok := n.Callee.(*ast.Identifier); ok && id.Name == "eval" {
		isEval = b.ref(id) == nil // the global eval, not a binding named eval
	} else {
		b.expr(n.Callee)
	}
	for _, a := range n.ArgumentList {
		b.expr(a)
	}
	if isEval {
		b.in.DirectEval = append(b.in.DirectEval, n)
		markDynamic(b.cur)
	}
}

// declarations resolves the targets and initializers of a var, let or
// const declaration (the declared names are no references).
func (b *builder) declarations(list []*ast.Binding) {
	for _, bd := range list {
		b.bindingTarget(bd.Target)
		b.expr(bd.Initializer)
	}
}

// switchStatement resolves a switch: its cases share one block scope.
func (b *builder) switchStatement(n *ast.SwitchStatement) {
	b.expr(n.Discriminant)
	b.open(Block, n)
	for _, c := range n.Body {
		b.hoistLexical(c.Consequent)
	}
	for _, c := range n.Body {
		b.expr(c.Test)
		b.stmts(c.Consequent)
	}
	b.close()
}

// forLoop resolves for (init; test; update) body in the block scope of
// its let and const declarations.
func (b *builder) forLoop(n *ast.ForStatement) {
	b.open(Block, n)
	switch in := n.Initializer.(type) {
	case *ast.ForLoopInitializerLexicalDecl:
		b.hoistLexical([]ast.Statement{&in.LexicalDeclaration})
		b.node(&in.LexicalDeclaration)
	case *ast.ForLoopInitializerVarDeclList:
		b.declarations(in.List)
	case *ast.ForLoopInitializerExpression:
		b.expr(in.Expression)
	}
	b.expr(n.Test)
	b.expr(n.Update)
	b.node(n.Body)
	b.close()
}

// try resolves a try statement; the catch parameter is declared in a
// block scope of its own around the catch body.
func (b *builder) try(n *ast.TryStatement) {
	b.block(n.Body, true)
	if c := n.Catch; c != nil {
		b.open(Block, c)
		if c.Parameter != nil {
			b.declarePattern(b.cur, c.Parameter, Catch, c, nil)
			b.bindingTarget(c.Parameter)
		}
		b.block(c.Body, true)
		b.close()
	}
	if n.Finally != nil {
		b.block(n.Finally, true)
	}
}

func (b *builder) forInOf(n ast.Node, into ast.ForInto, source ast.Expression, body ast.Statement) {
	b.open(Block, n)
	switch in := into.(type) {
	case *ast.ForDeclaration:
		kind := Let
		if in.IsConst {
			kind = Const
		}
		b.declarePattern(b.cur, in.Target, kind, in, nil)
		if bd, ok := in.Target.(*ast.Identifier); ok {
			if x := b.declaredSoFar(bd); x != nil {
				x.Mutated = true
			}
		}
		b.bindingTarget(in.Target)
	case *ast.ForIntoVar:
		if id, ok := in.Binding.Target.(*ast.Identifier); ok {
			b.assignTarget(id, nil)
		} else {
			b.bindingTarget(in.Binding.Target)
		}
		b.expr(in.Binding.Initializer)
	case *ast.ForIntoExpression:
		b.assignTarget(in.Expression, nil)
	}
	b.expr(source)
	b.node(body)
	b.close()
}

// block opens a block scope (unless the caller already opened the scope
// the block belongs to) and resolves its statements.
func (b *builder) block(n *ast.BlockStatement, own bool) {
	if n == nil {
		return
	}
	// Most blocks of minified code declare nothing: give them no scope
	// of their own (a big bundle has hundreds of thousands).
	own = own && declaresLexically(n.List)
	if own {
		b.open(Block, n)
	}
	b.hoistLexical(n.List)
	b.stmts(n.List)
	if own {
		b.close()
	}
}

// function resolves a function literal. expr is true for function
// expressions, whose name is bound in a scope of its own around the body.
func (b *builder) function(fn *ast.FunctionLiteral, expr bool) {
	if fn == nil {
		return
	}
	if expr && fn.Name != nil {
		b.open(FuncName, nil)
		b.declareIdent(b.cur, fn.Name, FuncSelf, fn, nil)
		defer b.close()
	}
	b.open(Func, fn)
	b.params(fn, fn.ParameterList)
	b.hoistVars(fn.DeclarationList)
	b.block(fn.Body, false)
	b.close()
}

func (b *builder) arrow(fn *ast.ArrowFunctionLiteral) {
	b.open(Arrow, fn)
	b.params(fn, fn.ParameterList)
	b.hoistVars(fn.DeclarationList)
	switch body := fn.Body.(type) {
	case *ast.BlockStatement:
		b.block(body, false)
	case *ast.ExpressionBody:
		b.expr(body.Expression)
	}
	b.close()
}

func (b *builder) params(fn ast.Node, pl *ast.ParameterList) {
	if pl == nil {
		return
	}
	s := b.cur
	for i, p := range pl.List {
		n := len(b.in.Bindings)
		b.declarePattern(s, p.Target, Param, p, p.Initializer)
		for _, bd := range b.in.Bindings[n:] {
			bd.Index = i
		}
	}
	if pl.Rest != nil {
		n := len(b.in.Bindings)
		b.declarePattern(s, pl.Rest, Param, pl, nil)
		for _, bd := range b.in.Bindings[n:] {
			bd.Index = len(pl.List)
		}
	}
	for _, p := range pl.List {
		b.bindingTarget(p.Target)
		b.expr(p.Initializer)
	}
	b.bindingTarget(pl.Rest)
}

func (b *builder) class(c *ast.ClassLiteral) {
	if c == nil {
		return
	}
	// The heritage is evaluated in the class scope (it can see the name,
	// in TDZ), so open it first.
	b.open(ClassBody, c)
	if c.Name != nil {
		b.declareIdent(b.cur, c.Name, ClassSelf, c, nil)
	}
	b.expr(c.SuperClass)
	for _, el := range c.Body {
		b.node(el)
	}
	b.close()
}

// IsNamingAssign reports whether an assignment gives an anonymous function
// on its right its target's name: `=`, `||=`, `&&=` and `??=` do
// (NamedEvaluation), compound arithmetic ones do not.
func IsNamingAssign(n *ast.AssignExpression) bool {
	switch n.Operator {
	case token.ASSIGN, token.LOGICAL_OR, token.LOGICAL_AND, token.COALESCE:
		return true
	}
	return false
}

// declaredSoFar finds the binding an identifier declared, during the build
// (before decls is sorted): the last entries are the recent ones.
func (b *builder) declaredSoFar(id *ast.Identifier) *Binding {
	for i := len(b.in.decls) - 1; i >= 0 && i >= len(b.in.decls)-64; i-- {
		if b.in.decls[i].idx == int32(id.Idx) {
			return b.in.binding(b.in.decls[i])
		}
	}
	return nil
}

// declaresLexically reports whether a statement list declares anything
// block-scoped.
func declaresLexically(list []ast.Statement) bool {
	for _, st := range list {
		switch st := st.(type) {
		case *ast.LexicalDeclaration, *ast.ClassDeclaration, *ast.FunctionDeclaration:
			return true
		case *ast.LabelledStatement:
			if _, ok := st.Statement.(*ast.FunctionDeclaration); ok {
				return true
			}
		}
	}
	return false
}

// programEnd is the offset just past the program's last statement, 0 for
// an empty program (ast.Program.Idx1 panics on one).
func programEnd(prg *ast.Program) int {
	if len(prg.Body) == 0 {
		return 0
	}
	return int(prg.Idx1())
}
