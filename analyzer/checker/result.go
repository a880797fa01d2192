package checker

import (
	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/bundler"
)

// FileResult describes one analyzed input file.
type FileResult struct {
	Path  string
	Bytes int64
	// SourceMap is where the map came from (a path, or "inline"); nil when
	// the file was analyzed without one.
	SourceMap *string
	Minified  bool
	// Error is why the file could not be analyzed; nil when it was.
	Error *string
	// Warnings are problems that did not stop analysis (a bad source map).
	Warnings []string
	// Module is true when the file was parsed as an ES module.
	Module bool
	// Bundler is the bundler and minifier recognised from the bundle, its
	// map's sources and the project's configuration file; nil when none
	// was. Messages give that tool's keep-names option.
	Bundler *bundler.Info
	// Facts are the bundle's name facts, kept when Options.Facts is set
	// (manglecheck diff and suggest read them); nil otherwise.
	Facts *bundlefacts.Facts
}

// Result is everything one Check produced, sorted deterministically.
type Result struct {
	Files    []FileResult
	Findings []analyzer.Finding
	// Suppressed counts findings removed by suppression comments,
	// Baselined those removed by Options.Baseline.
	Suppressed, Baselined int
}

// HasFindingAtLeast reports whether a finding has severity min or above.
func (r *Result) HasFindingAtLeast(min analyzer.Severity) bool {
	for _, f := range r.Findings {
		if f.Severity >= min {
			return true
		}
	}
	return false
}

// Failed reports whether any file could not be analyzed.
func (r *Result) Failed() bool {
	for _, f := range r.Files {
		if f.Error != nil {
			return true
		}
	}
	return false
}
