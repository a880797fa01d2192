// Package bundlefacts exports a bundle's name facts in a stable form for
// the tools built on them (manglecheck diff and suggest): every function
// and class with its runtime and original name, what pins it, where its
// name comes from, and the places that read names.
package bundlefacts

import (
	"sort"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// Facts are what the engine learned about one bundle besides its
// findings: every function and class with its runtime and original name,
// and the places that read those names. The checker keeps them in
// checker.FileResult.Facts when checker.Options.Facts is set, for the tools that compare
// builds (manglecheck diff: which names lost their pinning) and that work
// out the configuration fixing the findings (manglecheck suggest).
type Facts struct {
	// MapSources are the map's sources as the map spells them (sourceRoot
	// applied, nothing else): relative to the map, so they are equal in
	// two builds of one project made in different directories. Sorted;
	// nil without a map.
	MapSources []string
	// Funcs are the bundle's functions and classes, in bundle order.
	Funcs []NameFact
	// Reads are the places that read a function's .name, in bundle order.
	Reads []NameRead
	// NumPinned counts the functions a naming helper pins (esbuild
	// --keep-names' __name): a bundle built with keep-names has many.
	NumPinned int
}

// NameFact is one function or class of a bundle and its names.
type NameFact struct {
	// Kind is "class", "function" or "arrow function".
	Kind string
	// Offset is the byte offset in the bundle where it starts.
	Offset int
	// Runtime is its .name at runtime ("" anonymous); RuntimeKnown is
	// false when a getter or computed key hides it.
	Runtime      string
	RuntimeKnown bool
	// Original is its name in the source, from the source map ("" when
	// the map does not say: then OriginalKnown is false).
	Original      string
	OriginalKnown bool
	// Renamed is set when the map says the runtime name is not the
	// original one.
	Renamed bool
	// Pin says what fixed the runtime name ("" nothing; "__name helper",
	// "Object.defineProperty", "static name").
	Pin string
	// NamedBy says where the runtime name comes from; minifiers' keep
	// options only keep some of these (see NamedBy).
	NamedBy NamedBy
	// Dynamic is set inside a scope with direct eval or with, where
	// minifiers keep names.
	Dynamic bool
	// Source is where the map puts the name (or, for an unnamed function,
	// its start) in the original sources; nil without a map segment.
	// MapSource is that source as the map spells it (see MapSources).
	Source    *analyzer.Original
	MapSource string
}

// NamedBy says where a function's runtime name comes from.
type NamedBy uint8

const (
	// NamedBySelf: the function's or class's own name (function f(){},
	// class C {}, a named function expression). Every keep-names option
	// keeps these.
	NamedBySelf NamedBy = iota
	// NamedByVariable: an anonymous function or class expression in a
	// var/let/const declarator, named by the variable (var C = class {},
	// how esbuild bundles `export class C`). terser keep_fnames keeps
	// such functions; keep_classnames keeps no such class.
	NamedByVariable
	// NamedByAssignment: an anonymous expression assigned to an
	// identifier (C = class {}); no keep option keeps it.
	NamedByAssignment
	// NamedByKey: a method, property or field key; minifiers do not
	// rename keys unless they mangle properties.
	NamedByKey
	// Unnamed: anonymous at runtime ("" or a pin's name), e.g. a function
	// compression moved out of the position that named it.
	Unnamed
)

func (n NamedBy) String() string {
	return [...]string{"own name", "variable", "assignment", "property key", "unnamed"}[n]
}

// NameRead is one place that reads a function's .name.
type NameRead struct {
	// Offset is the byte offset in the bundle of the property read (the
	// `name` of `x.name`): where the name rules report their findings.
	Offset int
	// Funcs index Facts.Funcs: the functions whose name this may
	// be. Any is set when the engine does not know (an unresolved
	// receiver), Partial when Funcs come from the call sites it can see.
	Funcs   []int
	Any     bool
	Partial bool
}

// New copies the engine's name facts into their exported form.
// toBundle maps an offset of the analyzed text to the bundle; locate maps
// a bundle offset through the source map (nil, "" without one).
func New(nf *names.Facts, mapSources []string, toBundle func(int) (int, bool), locate func(off int) (*analyzer.Original, string)) *Facts {
	bf := &Facts{NumPinned: nf.NumPinned}
	if mapSources != nil {
		bf.MapSources = append([]string{}, mapSources...)
		sort.Strings(bf.MapSources)
	}
	bundleOff := func(pos int) int {
		if off, ok := toBundle(pos); ok {
			return off
		}
		return 0
	}
	declared, assigned := namingIdents(nf.Scope)
	index := make(map[*names.Func]int, len(nf.Funcs))
	for i, fn := range nf.Funcs {
		index[fn] = i
		f := NameFact{
			Kind:          fn.Kind(),
			Offset:        bundleOff(fn.Pos),
			Runtime:       fn.Runtime,
			RuntimeKnown:  fn.RuntimeKnown,
			Original:      fn.Original,
			OriginalKnown: fn.OriginalKnown,
			Renamed:       fn.Renamed(),
			Pin:           fn.Pin.String(),
			NamedBy:       namedBy(fn, declared, assigned),
			Dynamic:       fn.Dynamic,
		}
		at := fn.Pos
		if fn.NamePos >= 0 {
			at = fn.NamePos
		}
		f.Source, f.MapSource = locate(bundleOff(at))
		bf.Funcs = append(bf.Funcs, f)
	}
	for _, r := range nf.Reads {
		nr := NameRead{Offset: bundleOff(r.Pos), Any: r.Candidates == nil, Partial: r.Partial}
		for _, fn := range r.Candidates {
			if i, ok := index[fn]; ok {
				nr.Funcs = append(nr.Funcs, i)
			}
		}
		bf.Reads = append(bf.Reads, nr)
	}
	sort.SliceStable(bf.Reads, func(i, j int) bool { return bf.Reads[i].Offset < bf.Reads[j].Offset })
	return bf
}

// namingIdents returns the offsets of the identifiers that declare a
// variable and of those a plain assignment writes to.
func namingIdents(sc *scope.Info) (declared, assigned map[int]bool) {
	declared, assigned = map[int]bool{}, map[int]bool{}
	for _, b := range sc.Bindings {
		switch b.Kind {
		case scope.Var, scope.Let, scope.Const:
			declared[b.Pos] = true
		}
		for _, as := range b.Assigns {
			if id, ok := as.Left.(*ast.Identifier); ok {
				assigned[scope.Offset(id.Idx)] = true
			}
		}
	}
	return declared, assigned
}

func namedBy(fn *names.Func, declared, assigned map[int]bool) NamedBy {
	switch n := fn.Node.(type) {
	case *ast.FunctionLiteral:
		if n.Name != nil {
			return NamedBySelf
		}
	case *ast.ClassLiteral:
		if n.Name != nil {
			return NamedBySelf
		}
	}
	switch {
	case fn.NamePos < 0:
		return Unnamed
	case declared[fn.NamePos]:
		return NamedByVariable
	case assigned[fn.NamePos]:
		return NamedByAssignment
	}
	return NamedByKey
}
