// Package names works out, for every function and class in a bundle, the
// .name it has at runtime (ECMAScript SetFunctionName / NamedEvaluation,
// plus the helpers bundlers use to pin names) and the name it had in the
// source (from the source map), then finds where code reads those names
// and where the values flow.
package names

import (
	"strconv"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// Pin says what fixed a function's runtime name, if anything did.
type Pin uint8

const (
	NotPinned Pin = iota
	// PinHelper: esbuild --keep-names' __name(fn, "Orig") helper,
	// recognised by shape because minification renames it too.
	PinHelper
	// PinDefineProperty: Object.defineProperty(fn, "name", {value: "X"}),
	// which webpack uses for anonymous default exports.
	PinDefineProperty
	// PinStatic: a class's own `static name = "X"` or `static get name()`.
	PinStatic
)

func (p Pin) String() string {
	return [...]string{"", "__name helper", "Object.defineProperty", "static name"}[p]
}

// Func is one function or class value in the bundle.
type Func struct {
	// Node is the *ast.FunctionLiteral, *ast.ArrowFunctionLiteral or
	// *ast.ClassLiteral.
	Node ast.Node
	// Pos is the byte offset where the function or class starts.
	Pos     int
	IsClass bool
	IsArrow bool
	// Runtime is the value of .name at runtime ("" for anonymous).
	Runtime string
	// RuntimeKnown is false when a getter or computed key makes the
	// runtime name unknowable statically.
	RuntimeKnown bool
	// NamePos is the byte offset of the identifier (or key) the runtime
	// name comes from; -1 when there is none.
	NamePos int
	// Emitted is the identifier text at NamePos as it stands in the bundle
	// (differs from Runtime when a pin or static name overrides it).
	Emitted string
	Pin     Pin
	// Original is the name in the original source, from the source map at
	// NamePos; OriginalKnown says whether the map had a segment there.
	Original      string
	OriginalKnown bool
	// NameBinding is the variable whose identifier gives the runtime name
	// (var a = class {}, a = () => …); nil when the name comes from
	// elsewhere. Minifiers that reuse variables (uglify-js) give two
	// functions one NameBinding: they share a name because they share a
	// slot, not because both exist side by side.
	NameBinding *scope.Binding
	// nameIdent is NameBinding's identifier between Collect and Analyze.
	nameIdent *ast.Identifier
	// Invoked is set for a function called where it stands: the callee
	// of a call ((function(){…})(), !function(){…}(), a bundler's module
	// wrapper), also through .call/.apply. Such a function has no name in
	// the source either.
	Invoked bool
	// Binding is the binding that holds this function, if any.
	Binding *scope.Binding
	// Super is the resolved superclass when it is a class of the bundle.
	Super *Func
	// Subs are the classes of the bundle that extend this one directly.
	Subs []*Func
	// Params are the parameter bindings (plain identifiers only), in order;
	// for classes, the constructor's.
	Params []*scope.Binding
	// params is the parameter list Params is resolved from, between
	// Collect and Analyze.
	params *ast.ParameterList
	// Injected is set when the function carries an explicit dependency
	// annotation ($inject, array notation, "ngInject").
	Injected bool
	// Dynamic is set when the function sits in a scope with direct eval or
	// with, where minifiers keep names.
	Dynamic bool
	// Helper is set for a naming helper itself (esbuild's __name): its own
	// short name says nothing about whether the build keeps names.
	Helper bool
	// Linked is set for a function or class another chunk of the build
	// defines and this one imports (see linked.go); it is not in
	// Facts.Funcs, and Node is a stand-in at the import.
	Linked *Linked
	// id is the function's index in Facts.Funcs (after them for Linked).
	id int32
}

// Kind returns "class", "function" or "arrow function".
func (f *Func) Kind() string {
	switch {
	case f.IsClass:
		return "class"
	case f.IsArrow:
		return "arrow function"
	}
	return "function"
}

// Renamed reports whether the map says this function's runtime name is not
// the name it had in the source.
func (f *Func) Renamed() bool {
	// A pinned name (static name, defineProperty, keep-names' helper) is
	// the author's or the build's choice, not the minifier's renaming.
	return f.OriginalKnown && f.RuntimeKnown && f.Original != "" && f.Original != f.Runtime && f.Pin == NotPinned
}

// SourceName is the best name to call the function by in a message: the
// original name when known, else the runtime one.
func (f *Func) SourceName() string {
	if f.OriginalKnown && f.Original != "" {
		return f.Original
	}
	return f.Runtime
}

// propName returns the static string of a property key, as
// SetFunctionName would see it.
func propName(key ast.Expression, computed bool) (string, bool) {
	switch k := key.(type) {
	case *ast.StringLiteral:
		return k.Value.String(), true
	case *ast.NumberLiteral:
		switch v := k.Value.(type) {
		case int64:
			return strconv.FormatInt(v, 10), true
		case float64:
			return strconv.FormatFloat(v, 'g', -1, 64), true
		}
		return k.Literal, true
	case *ast.PrivateIdentifier:
		return "#" + k.Name.String(), true
	case *ast.TemplateLiteral:
		if computed && k.Tag == nil && len(k.Expressions) == 0 && len(k.Elements) == 1 {
			return k.Elements[0].Parsed.String(), true
		}
	}
	return "", false
}

// PropertyKey returns the key an object literal member writes when the
// source spells it out ({a}, {a: x}, {"a": x}, {[`a`]: x}): property
// keys survive minification.
func PropertyKey(prop ast.Property) (string, bool) {
	switch p := prop.(type) {
	case *ast.PropertyShort:
		return p.Name.Name.String(), true
	case *ast.PropertyKeyed:
		if k, ok := propName(p.Key, p.Computed); ok {
			return k, true
		}
		if id, ok := p.Key.(*ast.Identifier); ok && !p.Computed {
			return id.Name.String(), true
		}
	}
	return "", false
}

// keyPos is the byte offset of a property key.
func keyPos(key ast.Expression) int { return scope.Offset(key.Idx0()) }
