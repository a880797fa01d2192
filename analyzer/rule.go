package analyzer

// Rule is one check: its documentation and the function that runs it.
// Rules are values (see package rules); the engine never registers them
// itself, the caller passes the list in checker.Options.Rules.
type Rule struct {
	// ID is kebab-case, stable, and never reused for another check.
	ID string
	// Title is one line, no trailing period.
	Title string
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// Doc explains why the pattern breaks and how to fix it, in plain text
	// with blank lines between paragraphs (rendered by `explain`, the README
	// table and SARIF help).
	Doc string
	// Fix is the short, per-minifier fix, one line per minifier.
	Fix string
	// Bad is a source example that must produce a finding when minified.
	Bad string
	// Good is its corrected twin, which must produce none.
	Good string
	// KeepNamesUnfixed is set for rules whose findings a keep-names build
	// does not fix (parameter names, property names): the fixture harness
	// then expects the same findings from keep-names builds.
	KeepNamesUnfixed bool
	// Runtime is set for rules whose findings come from running the
	// bundle (package sandbox: manglecheck smoke), not from Run: their Run
	// does nothing, and their Bad and Good examples are checked by running
	// them, not by the static fixture harness.
	Runtime bool
	// Requires lists the analyses whose results Run reads through
	// Pass.ResultOf, each computed once per file whatever the number of
	// rules that require it.
	Requires []*Analysis
	// Run inspects one file and reports through the pass. It does no I/O.
	Run func(*Pass)
}
