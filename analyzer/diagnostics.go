package analyzer

// Engine diagnostics are findings the engine itself reports: about
// suppression comments, and about bundles it could not parse. They are
// documented like rules (so `manglecheck explain`, the README and SARIF
// describe them from one place), can be turned off or re-levelled by ID
// like rules, but are not run on the AST and are not in package rules:
// passing them in checker.Options.Rules does nothing. Suppression comments never
// suppress them.

// ParseError reports a bundle the engine could not parse. The file's
// FileResult carries the error too, and fails the run (exit 2) whatever
// this finding's level, unless checker.Options.AllowParseErrors.
var ParseError = &Rule{
	ID:       "parse-error",
	Title:    "Bundle that could not be parsed, so nothing in it was checked",
	Severity: Error,
	Doc: `The file is not JavaScript manglecheck can parse: a syntax error (a bundle truncated by a failed or interrupted build, a file that is not JavaScript at all, a template left unrendered), nesting deeper than the parser's limits (thousands of levels, which no real code reaches), or syntax the parser does not support yet.

Nothing in such a file is checked, so a finding is reported at the syntax error, and the run fails (exit code 2) even if this finding is turned off: a bundle that silently went unchecked would pass CI while it may well contain the very comparisons the other rules look for. The message quotes the parser, and the position is the syntax error's line and column in the bundle.`,
	Fix:  `Fix the build so it writes complete JavaScript, exclude files that are not bundles ("exclude" in manglecheck.json), or, for valid code the parser does not support, run with --allow-parse-errors: the finding becomes a warning and no longer fails the run.`,
	Bad:  `(()=>{class e{}function t(n){return n.constructor.name==="UserService"}console.log(t(new e)`,
	Good: `(()=>{class e{}function t(n){return n instanceof e}console.log(t(new e))})();`,
	Run:  func(*Pass) {},
}

// UnusedSuppression reports a suppression comment that suppresses nothing.
var UnusedSuppression = &Rule{
	ID:       "unused-suppression",
	Title:    "Suppression comment that suppresses nothing",
	Severity: Info,
	Doc: `A manglecheck-ignore-next-line or manglecheck-ignore-file comment whose rules reported nothing on the line (or in the file) it covers, in any analyzed bundle, or that names a rule that does not exist.

Stale suppressions hide the next real problem on that line, and a misspelled rule ID suppresses nothing while looking like it does. Only rules that ran are judged: a suppression for a rule turned off by the configuration or --disable is left alone.`,
	Fix: `Remove the comment, or correct the rule IDs it lists ("manglecheck rules" lists them).`,
	Bad: `// manglecheck-ignore-next-line name-compare -- legacy check
const kind = typeof value;`,
	Good: `const kind = typeof value;`,
	Run:  func(*Pass) {},
}

// SuppressionWithoutReason reports a suppression comment with no "-- reason".
var SuppressionWithoutReason = &Rule{
	ID:       "suppression-without-reason",
	Title:    "Suppression comment without a reason",
	Severity: Info,
	Doc: `A manglecheck-ignore-next-line or manglecheck-ignore-file comment without a reason after " -- ".

A suppression says "this name-dependent code is fine in the minified build"; the next reader needs to know why (a reserved name in the minifier config, a static name property, code that never runs minified). The suppression still applies.`,
	Fix: `Add the reason after two dashes: // manglecheck-ignore-next-line name-key -- keyed by static id in production`,
	Bad: `// manglecheck-ignore-next-line name-key
registry[Plugin.name] = Plugin;`,
	Good: `// manglecheck-ignore-next-line name-key -- plugins are registered by their static name property
registry[Plugin.name] = Plugin;`,
	Run: func(*Pass) {},
}

// EngineRules returns the engine's own diagnostics, in ID order. The slice
// is new on each call.
func EngineRules() []*Rule {
	return []*Rule{ParseError, SuppressionWithoutReason, UnusedSuppression}
}
