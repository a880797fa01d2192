package analyzer

// Diagnostic is what a rule reports: a position in the analyzed text and a
// message. The engine turns it into a Finding.
type Diagnostic struct {
	// Pos is the byte offset of the flagged expression in the analyzed
	// text (the Program the rule walked); the engine maps it to the
	// bundle, which differs only where the esbuild fallback rewrote an
	// ES module.
	Pos int
	// Severity overrides the rule's default when set.
	Severity Severity
	Message  string
	// Name is the original identifier the finding is about, when known
	// (e.g. the pre-minification class name).
	Name string
	// Related are other places the finding is about: where the value came
	// from (the call that passed the class to a library, the read of the
	// name a lookup in another function receives).
	Related []Related
}

// Related is a second place of a diagnostic: Pos is an offset in the
// analyzed text, like Diagnostic.Pos; Message says what happens there.
type Related struct {
	Pos     int
	Message string
}

// Finding is one reported problem, positioned for output. The JSON
// reports are built from it by analyzer/report, whose types spell out
// their shape (the engine's types carry no JSON tags).
type Finding struct {
	Rule     string
	Severity Severity
	Message  string
	Bundle   Position
	// Original is where the source map says the flagged code came from, or
	// nil without a map (or where the map has no segment).
	Original *Original
	// Offset is the byte offset in the bundle.
	Offset int
	// Excerpt is a short, single-line window of the bundle around the column.
	Excerpt string
	// Dependency names the npm package the original source belongs to
	// (from a node_modules path in the map), if any.
	Dependency string
	// Fingerprint identifies the finding across rebuilds (baselines, SARIF
	// partialFingerprints): hex, from the rule, the original source and
	// name and the original line's text, never offsets or mangled names.
	Fingerprint string
	// Name is the original name the finding is about (Diagnostic.Name),
	// kept when there is no map to put it in Original.
	Name string
	// Stack is the JavaScript stack of a finding produced by running the
	// bundle (startup-error, package sandbox), innermost call first; nil
	// for the findings of rules.
	Stack []Frame
	// Related are the other places the finding is about (Diagnostic.Related),
	// positioned like the finding.
	Related []Location
	// Confirmed is set by check --confirm: true when running the bundle
	// executed the flagged read and it produced a renamed name; false when
	// it ran but produced only other values (the original name, a
	// built-in's name); nil when it never ran or could not be instrumented.
	Confirmed *bool
}

// Location is a related place of a finding: what happens there, where it
// is in the bundle and, with a map, in the original source.
type Location struct {
	Message  string
	Bundle   Position
	Original *Original
}

// Frame is one call of a runtime stack trace.
type Frame struct {
	// Func is the function's original name when the source map knows it,
	// else its runtime name; "" for top-level code.
	Func string
	// Bundle is where the call is in a bundle; nil for built-in functions
	// and code with no place in a bundle (eval).
	Bundle *Position
	// Original is where the source map says that code came from, or nil.
	Original *Original
}

// Position is a place in a bundle. Line and Column are 1-based; Column
// counts UTF-16 code units, like source maps and editors do. Both are 0
// for an engine diagnostic about an original source that has no place in
// the bundle (an unused suppression comment): Original says where.
type Position struct {
	Path   string
	Line   int
	Column int
}

// Original is a place in an original source file, from a source map.
// Line and Column are 1-based; Column counts UTF-16 code units.
type Original struct {
	// Source is the path relative to checker.Options.SourceRoot (slashes, bundler
	// prefixes like webpack://app/ removed, ".." resolved).
	Source string
	Line   int
	Column int
	Name   string
	// Lines are the source lines ending at Line (up to three: a code
	// frame), when the map has sourcesContent or the file is on disk.
	Lines []string
}
