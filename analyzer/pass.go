package analyzer

import "github.com/dop251/goja/ast"

// Pass is one rule's view of one analyzed file. Everything on it is shared,
// computed once per file, and must not be modified by rules.
type Pass struct {
	Rule *Rule
	File *File

	report func(*Rule, Diagnostic)
}

// File is a parsed bundle and the facts the engine derived from it.
type File struct {
	// Path is the bundle's path as given on the command line (slashes).
	Path string
	// Src is the analyzed text: the bundle itself, or for an ES module its
	// same-length script rewrite, so byte offsets agree with the bundle.
	Src string
	// Program is goja's AST of Src.
	Program *ast.Program
	// Minified reports whether the bundle looks minified.
	Minified bool
}

// Report records a diagnostic for the pass's rule.
func (p *Pass) Report(d Diagnostic) { p.report(p.Rule, d) }
