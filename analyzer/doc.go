// Package analyzer is the rule API of manglecheck, in the style of
// golang.org/x/tools/go/analysis: a Rule is a value with its
// documentation, examples and Run function; Run inspects one file through
// a Pass (the parsed bundle, its scopes and name facts, and the results of
// the analyses the rule requires) and reports Diagnostics. An Analysis is
// a result computed once per file for every rule that requires it.
//
// A driver (package checker) runs rules on bundles and turns their
// diagnostics into Findings: positioned in the bundle and, with a source
// map, in the original source. The engine's own diagnostics (a bundle
// that could not be parsed, suppression comments) are documented here as
// Rules too, so that every finding's ID has one description.
package analyzer
