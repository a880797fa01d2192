package names

import (
	"maps"
	"slices"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// The chunks of a code-split build import functions and classes from
// each other. When they are checked together, the checker analyzes a
// chunk after the chunks it imports from, reads what their exports hold
// (Facts.ExportedFuncs) and hands it to the importer (Options.Linked):
// each imported function or class becomes a Func of the importer,
// marked Linked, whose value the import binding holds. The flows then
// carry it into arrays, registries and comparisons like a local one,
// with the runtime name it has in the chunk that defines it.
//
// A linked Func has no body here: calling it sends the arguments to code
// this file does not contain (as for Unknown), `new` makes its
// instances, and its properties hold Unknown.

// Exported is a function or class a chunk exports, as the chunks that
// import it see it.
type Exported struct {
	// Path is the file that defines it and Pos the byte offset there.
	Path string
	Pos  int
	// The function's facts in the file that defines it (see Func).
	IsClass, IsArrow bool
	Runtime          string
	RuntimeKnown     bool
	Pin              Pin
	Original         string
	OriginalKnown    bool
}

// Linked says where a function or class imported from another chunk of
// the same build is defined.
type Linked struct {
	Path string
	Pos  int
}

// ExportedFuncs returns the functions and classes the top-level binding
// local may hold, as another chunk importing it sees them (defined in
// path, or where the chunk imported them from); nil unless every value
// the binding may hold is one.
func (f *Facts) ExportedFuncs(path, local string) []Exported {
	if f.vals == nil || f.vals.s.Truncated {
		return nil
	}
	b := f.Scope.Root.Lookup(local)
	if b == nil || b.ID() >= len(f.vals.bindVar) || f.vals.bindVar[b.ID()] == flow.NoVar {
		return nil
	}
	fns, complete, other := f.vals.funcsIn(f.vals.s.Values(f.vals.bindVar[b.ID()]))
	if !complete || other || len(fns) == 0 {
		return nil
	}
	out := make([]Exported, 0, len(fns))
	for _, fn := range fns {
		e := Exported{Path: path, Pos: fn.Pos, IsClass: fn.IsClass, IsArrow: fn.IsArrow, Runtime: fn.Runtime,
			RuntimeKnown: fn.RuntimeKnown, Pin: fn.Pin, Original: fn.Original, OriginalKnown: fn.OriginalKnown}
		if fn.Linked != nil {
			e.Path, e.Pos = fn.Linked.Path, fn.Linked.Pos
		}
		out = append(out, e)
	}
	return out
}

// linkImports makes the Funcs of what the import bindings hold (see
// Options.Linked), one per definition however often it is imported; they
// are numbered after the file's own Funcs and kept in f.linked.
func (f *Facts) linkImports() {
	if len(f.opts.Linked) == 0 {
		return
	}
	made := map[Linked]*Func{}
	for _, name := range slices.Sorted(maps.Keys(f.opts.Linked)) {
		b := f.Scope.Root.Lookup(name)
		if b == nil || b.Kind != scope.Import {
			continue
		}
		for _, e := range f.opts.Linked[name] {
			at := Linked{Path: e.Path, Pos: e.Pos}
			fn := made[at]
			if fn == nil {
				fn = &Func{
					// The import binding stands for the function here.
					Node: &ast.Identifier{Name: "", Idx: file.Idx(b.Pos + 1)}, Pos: b.Pos, NamePos: -1,
					IsClass: e.IsClass, IsArrow: e.IsArrow, Runtime: e.Runtime, Emitted: e.Runtime,
					RuntimeKnown: e.RuntimeKnown, Pin: e.Pin, Original: e.Original, OriginalKnown: e.OriginalKnown,
					Linked: &at, Binding: b, id: int32(len(f.Funcs) + len(f.linked)),
				}
				made[at] = fn
				f.linked = append(f.linked, fn)
			}
			f.linkedTo = append(f.linkedTo, linkedImport{b, fn})
		}
	}
}

// linkedImport is an import binding and one function it holds.
type linkedImport struct {
	b  *scope.Binding
	fn *Func
}
