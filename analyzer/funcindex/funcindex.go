// Package funcindex indexes the functions and classes of a file by name,
// once per file for every rule that requires it (Analysis): which were
// renamed away from a name, which runtime names exist, whether the build
// mangled any, and whether the file requires a chunk beside it.
//
// Scanning all functions for each read instead made a generated 5 MB
// bundle of 65,000 classes and as many `.name === "…"` comparisons take
// six minutes. Exact names are looked up in maps built once; other
// matches (startsWith, includes, a RegExp) still scan, once per distinct
// pattern, memoized under a lock because rules share the index while
// they run at the same time.
package funcindex

import (
	"strings"
	"sync"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// Analysis is the index as a shared analysis result: rules list it in
// Rule.Requires and read it with Of.
var Analysis = &analyzer.Analysis{
	Name: "funcindex",
	Doc:  "functions and classes of the file by original and runtime name",
	Run:  func(f *analyzer.File) any { return New(f.Names) },
}

// Of returns the index of the pass's file; the pass's rule must require
// Analysis.
func Of(p *analyzer.Pass) *Index { return p.ResultOf(Analysis).(*Index) }

// Index answers the questions rules ask about all the functions and
// classes of a file. Its methods are safe for concurrent use.
type Index struct {
	nf *names.Facts
	// renamedFrom lists, by original name, the functions the map says
	// were renamed (in nf.Funcs order).
	renamedFrom map[string][]*names.Func
	// carriers are the runtime names known at runtime.
	carriers map[string]bool
	// mangled: a function or class of the file itself is mangled, the
	// evidence that the build mangles and keeps no names. A chunk that
	// defines nothing cannot tell a keep-names build from a plain one
	// (esbuild emits it identically), so it stays quiet.
	mangled bool

	mu          sync.Mutex
	renamedMemo map[string][]*names.Func
	carriedMemo map[string]bool

	requiresOnce    sync.Once
	requiresSibling bool

	keyedOnce sync.Once
	keyed     map[string][]*names.Func

	namedOnce sync.Once
	named     map[string]bool
}

// New indexes the functions and classes of nf.
func New(nf *names.Facts) *Index {
	ix := &Index{
		nf:          nf,
		renamedFrom: map[string][]*names.Func{},
		carriers:    map[string]bool{},
		renamedMemo: map[string][]*names.Func{},
		carriedMemo: map[string]bool{},
	}
	for _, fn := range nf.Funcs {
		if fn.Renamed() {
			ix.renamedFrom[fn.Original] = append(ix.renamedFrom[fn.Original], fn)
		}
		if fn.RuntimeKnown {
			ix.carriers[fn.Runtime] = true
		}
		if !ix.mangled && nf.Mangled(fn) {
			ix.mangled = true
		}
	}
	return ix
}

// Facts returns the name facts the index was built from.
func (ix *Index) Facts() *names.Facts { return ix.nf }

// AnyMangled reports whether a function or class of the file is mangled.
func (ix *Index) AnyMangled() bool { return ix.mangled }

// Match is how a read name is matched with a string: exactly, or by Fn
// (a string method or a RegExp), which Key identifies among all the
// matches rules make (the memo is shared).
type Match struct {
	Exact bool
	Key   string
	Fn    func(name, lit string) bool
}

// Exact is the match of equal strings.
func Exact() Match { return exact }

var exact = Match{Exact: true, Key: "==", Fn: func(name, lit string) bool { return name == lit }}

// RenamedAway returns the file's functions renamed from a name m matches
// with lit to one it does not, in nf.Funcs order.
func (ix *Index) RenamedAway(m Match, lit string) []*names.Func {
	if m.Exact {
		var out []*names.Func
		for _, fn := range ix.renamedFrom[lit] {
			if fn.Runtime != lit {
				out = append(out, fn)
			}
		}
		return out
	}
	key := m.Key + "\x00" + lit
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if out, ok := ix.renamedMemo[key]; ok {
		return out
	}
	var out []*names.Func
	for _, fn := range ix.nf.Funcs {
		if fn.Renamed() && m.Fn(fn.Original, lit) && !m.Fn(fn.Runtime, lit) {
			out = append(out, fn)
		}
	}
	ix.renamedMemo[key] = out
	return out
}

// Carried reports whether some function of the file has, at runtime, a
// known name m matches with lit.
func (ix *Index) Carried(m Match, lit string) bool {
	if m.Exact {
		return ix.carriers[lit]
	}
	key := m.Key + "\x00" + lit
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if c, ok := ix.carriedMemo[key]; ok {
		return c
	}
	c := false
	for _, fn := range ix.nf.Funcs {
		if fn.RuntimeKnown && m.Fn(fn.Runtime, lit) {
			c = true
			break
		}
	}
	ix.carriedMemo[key] = c
	return c
}

// RequiresSibling reports whether the file requires a file beside it
// (a CommonJS chunk: require("./barrel-B3Ia.js")), found by one walk of
// the file on first use, however many rules and reads ask.
func (ix *Index) RequiresSibling() bool {
	ix.requiresOnce.Do(func() {
		ix.nf.Inspect(func(n ast.Node, _ []ast.Node) bool {
			if c, ok := n.(*ast.CallExpression); ok && len(c.ArgumentList) == 1 {
				id, isIdent := c.Callee.(*ast.Identifier)
				s, isString := names.LiteralString(c.ArgumentList[0])
				if isIdent && id.Name == "require" && isString && (strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")) {
					ix.requiresSibling = true
				}
			}
			return !ix.requiresSibling
		})
	})
	return ix.requiresSibling
}

// KeyedAs returns the functions and classes an object literal of the file
// holds under the key name ({Shape: r}; a bundler's namespace object keeps
// its exports' names): object keys survive minification, so the key is
// what the source called the value. Only a value that is one known
// function or class counts.
func (ix *Index) KeyedAs(name string) []*names.Func {
	ix.keyedOnce.Do(func() {
		ix.keyed = map[string][]*names.Func{}
		ix.nf.Inspect(func(n ast.Node, stack []ast.Node) bool {
			kv, ok := n.(*ast.PropertyKeyed)
			if !ok {
				return true
			}
			id, ok := kv.Value.(*ast.Identifier)
			if !ok {
				return true
			}
			key, ok := names.PropertyKey(kv)
			if !ok {
				return true
			}
			if fns, complete := ix.nf.FuncsOf(id, append(stack, kv)); complete && len(fns) == 1 {
				ix.keyed[key] = append(ix.keyed[key], fns[0])
			}
			return true
		})
	})
	return ix.keyed[name]
}

// NameWritten reports whether the file writes the string s as a name
// property: {name: "ID"}, x.name = "ID", a class field name = "ID". A
// .name property read may then hold s whatever the minifier did
// (GraphQL's scalar types are objects named by their configuration).
func (ix *Index) NameWritten(s string) bool {
	ix.namedOnce.Do(func() {
		ix.named = map[string]bool{}
		ix.nf.Inspect(func(n ast.Node, stack []ast.Node) bool {
			var value ast.Expression
			switch x := n.(type) {
			case *ast.PropertyKeyed:
				if key, ok := names.PropertyKey(x); ok && key == "name" {
					value = x.Value
				}
			case *ast.AssignExpression:
				if d, ok := x.Left.(*ast.DotExpression); ok && d.Identifier.Name == "name" && x.Operator == token.ASSIGN {
					value = x.Right
				}
			case *ast.FieldDefinition:
				if id, ok := x.Key.(*ast.Identifier); ok && id.Name == "name" {
					value = x.Initializer
				}
			}
			if value != nil {
				if v, ok := ix.nf.ConstString(value); ok {
					ix.named[v] = true
				}
			}
			return true
		})
	})
	return ix.named[s]
}

// OnlyRead reports whether the file reads a property named s (o.s,
// o["s"], "s" in o, o.hasOwnProperty("s")) and writes none: no
// assignment, object literal key, class member or defineProperty of
// that name. Such a property comes from outside the bundle: Tone.js's
// audio context reads window.webkitAudioContext through a parameter and
// compares the constructor's name with "webkitAudioContext", which is
// the browser's name for its class, not one the minifier gives.
func (ix *Index) OnlyRead(s string) bool {
	u := ix.nf.PropertyUse(s)
	return u.Reads > 0 && u.Writes == 0
}
