package analyzer

import (
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

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
	// Scope resolves every identifier of Program.
	Scope *scope.Info
	// Names are the runtime and original names of every function and
	// class, and where code reads them.
	Names *names.Facts
	// Minified reports whether the bundle looks minified.
	Minified bool
	// HasMap reports whether a source map is in use.
	HasMap bool
}

// Report records a diagnostic for the pass's rule.
func (p *Pass) Report(d Diagnostic) { p.report(p.Rule, d) }

// Text returns the bundle text of a node, cut to max bytes (with "…").
func (p *Pass) Text(n ast.Node, max int) string {
	from, to := walk.Start(n), scope.Offset(n.Idx1())
	if from < 0 || to > len(p.File.Src) || from > to {
		return ""
	}
	s := p.File.Src[from:to]
	// goja starts (new Error).stack at `new`: restore the parentheses the
	// node's range cut in half.
	if open, closed := strings.Count(s, "("), strings.Count(s, ")"); closed > open {
		s = strings.Repeat("(", closed-open) + s
	}
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
