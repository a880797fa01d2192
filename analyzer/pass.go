package analyzer

import (
	"fmt"
	"slices"
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

	report func(Diagnostic)
}

// NewPass returns the pass of rule r over file, whose diagnostics go to
// report. Drivers call it, after file.Prepare for r's requirements; rules
// never do.
func NewPass(r *Rule, file *File, report func(Diagnostic)) *Pass {
	return &Pass{Rule: r, File: file, report: report}
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

	// results are the analyses rules required (Prepare), by analysis.
	results map[*Analysis]any
}

// Report records a diagnostic for the pass's rule.
func (p *Pass) Report(d Diagnostic) { p.report(d) }

// ResultOf returns the result of an analysis the pass's rule requires
// (Rule.Requires). Reading one the rule did not declare panics: the
// driver computes only what rules declare.
func (p *Pass) ResultOf(a *Analysis) any {
	if !slices.Contains(p.Rule.Requires, a) {
		panic(fmt.Sprintf("rule %s reads analysis %s without requiring it", p.Rule.ID, a.Name))
	}
	return p.File.results[a]
}

// Text returns the bundle text of a node, cut to max bytes (with "…").
func (p *Pass) Text(n ast.Node, max int) string {
	from, to := walk.Start(n), scope.Offset(n.Idx1())
	if from < 0 || to > len(p.File.Src) || from > to {
		return ""
	}
	s := p.File.Src[from:to]
	// goja starts (new Error).stack at `new`: restore the parentheses the
	// node's range cut in half (a ")" in a string, s.indexOf(")"), is
	// none of them).
	if open, closed := strings.Count(s, "("), strings.Count(s, ")"); closed > open && from > 0 && p.File.Src[from-1] == '(' {
		s = strings.Repeat("(", closed-open) + s
	}
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
