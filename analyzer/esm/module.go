// Package esm lowers ES module syntax into same-length script syntax.
//
// goja's parser has no module goal: import/export declarations,
// import.meta, dynamic import() and top-level await are syntax errors (and
// `for await` is one anywhere, even in async functions), so an ESM bundle
// fails only at its final `export{…}`, after the whole parse has been paid.
// Rewriting the bundle through esbuild's CommonJS transform works but costs
// ~1.6 s on three.js×10 (7.5 MB) and renames colliding names. Lower instead
// rewrites only the module syntax, in place, with same-length text, so every
// byte offset, line and identifier of the bundle stays where it was.
//
// It needs a tokenizer, not a parser: like acorn's, it tells a regular
// expression from a division, and a block from an object literal, by the
// previous token and a stack of what each bracket opened (function bodies
// and arrow expression bodies included, so an await inside a function is
// never taken for a top-level one).
package esm

import (
	"errors"
	"fmt"
)

// Module describes the module syntax Lower removed or rewrote. All offsets
// are byte offsets into the input, which are also offsets into the output.
type Module struct {
	Imports []Import // one per imported local binding, in source order
	Exports []Export // in source order

	// DefaultExpr is the byte offset where the value of an anonymous
	// `export default` starts in the lowered text, else -1. Lower turns
	//   export default <expression>      into  var    <DefaultVar>=<expression>
	//   export default function(){}      into  function <DefaultVar>     (){}
	//   export default class extends B{} into  class <DefaultVar>        extends B{}
	// (the last two only when no line break sits inside `export … function`;
	// otherwise they take the var form). A function or class there has the
	// runtime .name "default", not DefaultVar; for the declaration forms
	// DefaultExpr is the offset of the rewritten `function`/`async`/`class`
	// keyword. Named `export default function f(){}` keeps its declaration
	// and leaves DefaultExpr at -1.
	DefaultExpr int
	// DefaultVar is the synthesized binding of an anonymous default export,
	// chosen not to occur in the input; "" when there is none.
	DefaultVar string

	DynamicImports []int // offsets of `import` keywords of import(…), rewritten to an identifier call
	ImportMeta     []int // offsets of `import` keywords of import.meta, rewritten to an identifier
	ForAwait       []int // offsets of the blanked await of every `for await (`, in or out of functions
	TopLevelAwait  bool  // an await or for await outside every function was rewritten
}

// Import is one local binding created by an import declaration.
type Import struct {
	Local    string // the local binding
	LocalPos int    // byte offset of Local
	Imported string // the imported name, "default", or "*" for a namespace
	Source   string // the module specifier, unescaped
}

// Export is one name a module exports.
type Export struct {
	Local       string // the local binding; "" for re-exports (export … from)
	LocalPos    int    // byte offset of Local (of the synthesized name for an anonymous default), -1 for re-exports
	Exported    string // the exported name, "default", or "*" for `export * from`
	ExportedPos int    // byte offset of the exported name (of `default` or `*`)
	Imported    string // re-exports only: the name taken from Source, "*" for a namespace
	Source      string // re-exports only: the module specifier, unescaped
}

// Options bound the nesting Lower accepts. goja's recursive-descent parser
// overflows the Go stack (a fatal, unrecoverable error) on about a million
// nested parentheses or prefix operators, so callers that hand the text to
// goja should set both limits. Zero means no limit.
type Options struct {
	// MaxNesting limits open (, [, {, and template ${ at any point.
	MaxNesting int
	// MaxChain limits right-recursive constructs pending at any point:
	// assignments, ?:, =>, **, yield, prefix operators (typeof, new, await…),
	// and nested statements (labels, else, if/for/while/with heads).
	MaxChain int
}

// ErrTooDeep is wrapped by the *Error Lower returns when Options are exceeded.
var ErrTooDeep = errors.New("nesting too deep")

// Error is a problem at a byte offset of the input: module syntax Lower
// cannot lower, or nesting beyond Options (then it wraps ErrTooDeep).
type Error struct {
	Offset int
	Msg    string
	Err    error
}

func (e *Error) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

func (e *Error) Unwrap() error { return e.Err }

// Lower rewrites module syntax into same-length script syntax goja parses,
// so every byte offset and every identifier of the bundle is unchanged.
// Removed statements become spaces; line terminators (\n, \r, U+2028,
// U+2029) are kept so line numbers do not move. It returns src unchanged and
// a nil *Module when src has nothing to lower: no module syntax, no
// import(…) and no `for await` (which goja cannot parse anywhere, so Lower
// blanks its await in scripts too).
func Lower(src string) (string, *Module, error) {
	return LowerWith(src, Options{})
}

// LowerWith is Lower with nesting limits. On error the returned text is src.
func LowerWith(src string, opts Options) (string, *Module, error) {
	return lower(src, opts, false)
}

// lower is LowerWith; slow (for tests) disables the scanner's fast paths.
func lower(src string, opts Options, slow bool) (string, *Module, error) {
	s := newScanner(src, opts)
	s.slow = slow
	if err := s.run(); err != nil {
		return src, nil, err
	}
	if s.mod == nil {
		return src, nil, nil
	}
	return s.finish(), s.mod, nil
}
