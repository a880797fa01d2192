// Package scope resolves every identifier of a goja AST to its binding:
// var/let/const/function/class/parameter/catch/import bindings with
// hoisting, block scopes, shadowing and the self-bindings of class and named
// function expressions. Unresolved names are globals. Scopes that contain a
// direct eval or a with statement are dynamic: minifiers do not rename names
// visible there, because code can reach them by their string.
package scope

import (
	"cmp"
	"slices"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
)

// Kind says how a binding was declared.
type Kind uint8

const (
	Var Kind = iota + 1
	Let
	Const
	Function  // function declaration
	Class     // class declaration
	Param     // function parameter
	Catch     // catch clause parameter
	Import    // ES module import (recorded by the ESM lowering)
	ClassSelf // the inner name of a class, visible in its body
	FuncSelf  // the name of a named function expression, visible inside it
	Arguments // the implicit arguments object of a non-arrow function
)

var kindNames = [...]string{"", "var", "let", "const", "function", "class", "param", "catch", "import", "class-self", "func-self", "arguments"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// ScopeKind says what introduced a scope.
type ScopeKind uint8

const (
	Global    ScopeKind = iota + 1 // script top level: declarations are global object properties
	Module                         // ES module top level
	Func                           // function body and parameters
	Arrow                          // arrow function: no own this/arguments
	Block                          // block, switch, for head, catch
	ClassBody                      // the scope holding a class's self-binding
	FuncName                       // the scope holding a named function expression's self-binding
)

// Binding is one declared name.
type Binding struct {
	Name  string
	Scope *Scope
	// Ident is the declaring identifier; nil for Arguments and imports.
	Ident *ast.Identifier
	// Decl is the declaring node: the *ast.FunctionLiteral or
	// *ast.ClassLiteral of a declaration or self-binding, the *ast.Binding
	// of a var/let/const or parameter, the *ast.CatchStatement of a catch
	// parameter.
	Decl ast.Node
	// Init is the initializer when the declaration is a plain identifier
	// target (`var x = init`, a parameter default), else nil.
	Init ast.Expression
	// Assigns are the plain and logical assignments (`x = v`, `x ||= v`)
	// whose target is this binding.
	Assigns []*ast.AssignExpression
	// Pos is the byte offset of the declaring identifier (-1 for Arguments).
	Pos int
	// Index is a parameter's position in its function's list (the
	// function is Scope.Node), -1 for any other binding.
	Index int
	// Uses counts the references to this binding (reads and writes); the
	// declaring identifier is not one.
	Uses int

	next *Binding // the next binding of the same scope
	seq  int32    // index in Info.Bindings
	id   int32    // interned Name
	Kind Kind
	// Mutated is set by any other write: compound assignment, ++/--,
	// destructuring, for-in/of targets.
	Mutated bool
}

// Constant returns the initializer of a binding nothing reassigns or
// otherwise writes (for a parameter, its default), or nil.
func (b *Binding) Constant() ast.Expression {
	if b == nil || b.Mutated || len(b.Assigns) > 0 {
		return nil
	}
	return b.Init
}

// ID is the binding's index in Info.Bindings: a dense key for tables
// indexed by binding.
func (b *Binding) ID() int { return int(b.seq) }

// Scope is one lexical scope.
type Scope struct {
	Kind ScopeKind
	// Dynamic is set when the scope or one inside it contains a direct
	// eval, or a with statement: its names may be looked up by string.
	Dynamic bool
	n       int32 // number of bindings
	Parent  *Scope
	// Node is what introduced the scope (*ast.Program, a function or class
	// literal, a block, ...).
	Node ast.Node
	// The bindings are a list (most scopes have a few), indexed by a map
	// once there are more than indexAt; names are interned ids (ids).
	first *Binding
	index map[int32]*Binding
	ids   *interner
}

// indexAt is the number of bindings past which a scope indexes them by
// name: below it a scan of int32 ids is faster than a map.
const indexAt = 8

// find returns the binding of the interned name id in this scope only.
func (s *Scope) find(id int32) *Binding {
	if s.index != nil {
		return s.index[id]
	}
	for b := s.first; b != nil; b = b.next {
		if b.id == id {
			return b
		}
	}
	return nil
}

// add links a new binding into the scope.
func (s *Scope) add(b *Binding) {
	b.next, s.first = s.first, b
	s.n++
	switch {
	case s.index != nil:
		s.index[b.id] = b
	case s.n > indexAt:
		s.index = make(map[int32]*Binding, 2*s.n)
		for x := s.first; x != nil; x = x.next {
			s.index[x.id] = x
		}
	}
}

// Lookup finds name in this scope only.
func (s *Scope) Lookup(name string) *Binding {
	id, ok := s.ids.lookup(name)
	if !ok {
		return nil
	}
	return s.find(id)
}

// Bindings returns the scope's bindings in declaration order, in a new
// slice on each call.
func (s *Scope) Bindings() []*Binding {
	out := make([]*Binding, s.n)
	i := len(out)
	for b := s.first; b != nil; b = b.next { // newest first
		i--
		out[i] = b
	}
	return out
}

// FuncScope returns the nearest enclosing function, module or global scope.
func (s *Scope) FuncScope() *Scope {
	for s.Parent != nil && s.Kind != Func && s.Kind != Arrow && s.Kind != Global && s.Kind != Module {
		s = s.Parent
	}
	return s
}

// IsTop reports whether the scope is the program's top level.
func (s *Scope) IsTop() bool { return s.Kind == Global || s.Kind == Module }

// Info is the resolution of one program.
type Info struct {
	Root *Scope
	// Bindings lists every binding in declaration order.
	Bindings []*Binding
	// Globals maps each unresolved name to its references.
	Globals map[string][]*ast.Identifier
	// DirectEval lists the direct eval calls.
	DirectEval []*ast.CallExpression

	// refs and decls map identifier offsets to bindings, sorted by
	// offset: far cheaper than maps for the million identifiers of a big
	// bundle. A binding index of -1 in refs is a global reference.
	refs  []entry
	decls []entry
	// scopes lists the scopes that have a Node (but the root), sorted by
	// nodeStart: a binary search is cheaper than a map of 45k interfaces.
	scopes []*Scope
}

// binding returns the binding an entry refers to (nil for a global).
func (in *Info) binding(e entry) *Binding {
	if e.b < 0 {
		return nil
	}
	return in.Bindings[e.b]
}

// Resolve returns the binding a reference refers to, or nil for a global
// (or for an identifier that is not a reference, like a property name).
func (in *Info) Resolve(id *ast.Identifier) *Binding {
	e, _ := find(in.refs, id)
	return in.binding(e)
}

// Declared returns the binding an identifier declares, or nil.
func (in *Info) Declared(id *ast.Identifier) *Binding {
	e, _ := find(in.decls, id)
	return in.binding(e)
}

// IsGlobal reports whether id is a reference to an undeclared global.
func (in *Info) IsGlobal(id *ast.Identifier) bool {
	e, ok := find(in.refs, id)
	return ok && e.b < 0
}

// IsRef reports whether id is a reference (resolved or global), as opposed
// to a declaration, a property name or a label.
func (in *Info) IsRef(id *ast.Identifier) bool {
	_, ok := find(in.refs, id)
	return ok
}

// ScopeOf returns the scope a node introduced (a function or class
// literal, a block, the program), or nil.
func (in *Info) ScopeOf(n ast.Node) *Scope {
	if in.Root != nil && n == in.Root.Node {
		return in.Root
	}
	x, ok := nodeStart(n)
	if !ok {
		return nil
	}
	i, _ := slices.BinarySearchFunc(in.scopes, x, func(s *Scope, x file.Idx) int {
		y, _ := nodeStart(s.Node)
		return cmp.Compare(y, x)
	})
	// Several nodes may start at one offset (a block and the for
	// statement around it do not, but synthetic nodes might): the first
	// scope opened for n wins.
	for ; i < len(in.scopes); i++ {
		s := in.scopes[i]
		if y, _ := nodeStart(s.Node); y != x {
			break
		}
		if s.Node == n {
			return s
		}
	}
	return nil
}

// nodeStart returns where a node that may introduce a scope starts
// (ast.Node.Idx0 without an interface call), ok false for other nodes,
// nil pointers and the program.
func nodeStart(n ast.Node) (x file.Idx, ok bool) {
	switch n := n.(type) {
	case *ast.FunctionLiteral:
		if n != nil {
			return n.Function, true
		}
	case *ast.ArrowFunctionLiteral:
		if n != nil {
			return n.Start, true
		}
	case *ast.ClassLiteral:
		if n != nil {
			return n.Class, true
		}
	case *ast.BlockStatement:
		if n != nil {
			return n.LeftBrace, true
		}
	case *ast.ForStatement:
		if n != nil {
			return n.For, true
		}
	case *ast.ForInStatement:
		if n != nil {
			return n.For, true
		}
	case *ast.ForOfStatement:
		if n != nil {
			return n.For, true
		}
	case *ast.SwitchStatement:
		if n != nil {
			return n.Switch, true
		}
	case *ast.CatchStatement:
		if n != nil {
			return n.Catch, true
		}
	case *ast.WithStatement:
		if n != nil {
			return n.With, true
		}
	case *ast.FieldDefinition:
		if n != nil {
			return n.Idx, true
		}
	case *ast.ClassStaticBlock:
		if n != nil {
			return n.Static, true
		}
	}
	return 0, false
}

// sortScopes orders scopes by where their node starts (the builder opens
// them in that order but for oddities), keeping the opening order of ties.
func sortScopes(list []*Scope) []*Scope {
	less := func(a, b *Scope) int {
		x, _ := nodeStart(a.Node)
		y, _ := nodeStart(b.Node)
		return cmp.Compare(x, y)
	}
	if !slices.IsSortedFunc(list, less) {
		slices.SortStableFunc(list, less)
	}
	return list
}

// Offset converts goja's 1-based file.Idx to a byte offset.
func Offset(idx file.Idx) int { return int(idx) - 1 }

// entry ties the identifier at a file.Idx to a binding, by its index in
// Info.Bindings (-1 for a global): 8 bytes and no pointer, so the
// garbage collector does not scan the tables.
type entry struct {
	idx int32
	b   int32
}

// find looks an identifier up by its position.
func find(list []entry, id *ast.Identifier) (entry, bool) {
	if id == nil {
		return entry{b: -1}, false
	}
	x := int32(id.Idx)
	i, j := 0, len(list)
	for i < j {
		h := int(uint(i+j) >> 1)
		if list[h].idx < x {
			i = h + 1
		} else {
			j = h
		}
	}
	if i < len(list) && list[i].idx == x {
		return list[i], true
	}
	return entry{b: -1}, false
}

// sortEntries orders entries by position (the builder appends them almost
// in order: hoisting and class heritage are the exceptions), keeping the
// first of duplicates.
func sortEntries(list []entry) []entry {
	sorted := true
	for i := 1; i < len(list); i++ {
		if list[i].idx < list[i-1].idx {
			sorted = false
			break
		}
	}
	if !sorted {
		slices.SortStableFunc(list, func(a, b entry) int { return cmp.Compare(a.idx, b.idx) })
	}
	out := list[:0]
	for i, e := range list {
		if i > 0 && e.idx == list[i-1].idx {
			continue
		}
		out = append(out, e)
	}
	return out
}

// trim copies list to a right-sized array when much of its capacity is
// unused: the tables live as long as the Info.
func trim[T any](list []T) []T {
	if cap(list)-len(list) <= len(list)/8 {
		return list
	}
	return slices.Clone(list)
}

// interner interns identifier names as int32 ids. Most names of minified
// code are one or two ASCII characters: in a big program those are
// looked up in a table rather than hashed (hashing was a tenth of Build).
type interner struct {
	short []int32 // id+1 by shortKey, 0 for none; nil for small programs
	long  map[string]int32
	n     int32
}

func newInterner(size int) *interner {
	ns := &interner{long: map[string]int32{}}
	if size > 1<<16 {
		ns.short = make([]int32, 128+128*128)
	}
	return ns
}

// shortKey maps a name of one or two ASCII bytes to an index in
// interner.short.
func shortKey(name string) (int, bool) {
	switch len(name) {
	case 1:
		if name[0] < 128 {
			return int(name[0]), true
		}
	case 2:
		if name[0] < 128 && name[1] < 128 {
			return 128 + int(name[0])<<7 | int(name[1]), true
		}
	}
	return 0, false
}

func (ns *interner) lookup(name string) (int32, bool) {
	if ns.short != nil {
		if k, ok := shortKey(name); ok {
			id := ns.short[k] - 1
			return id, id >= 0
		}
	}
	id, ok := ns.long[name]
	return id, ok
}

func (ns *interner) intern(name string) int32 {
	if id, ok := ns.lookup(name); ok {
		return id
	}
	id := ns.n
	ns.n++
	if k, ok := shortKey(name); ok && ns.short != nil {
		ns.short[k] = id + 1
	} else {
		ns.long[name] = id
	}
	return id
}
