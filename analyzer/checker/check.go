package checker

import (
	"context"
	"fmt"
	"sort"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/load"
	"github.com/manglecheck/manglecheck/analyzer/policy"
)

// Options configure a Check.
type Options struct {
	// Rules to run. The engine runs nothing by default; see rules.All.
	Rules []*analyzer.Rule
	// SourceMap is "" to discover each bundle's map, "none" to analyze
	// without maps, or a path to the map of the single input.
	SourceMap string
	// Workers is the number of files analyzed at once; 0 means one per core.
	Workers int
	// MemoryBudget is the memory the analysis may plan to use, in bytes:
	// files are admitted by their estimated cost (size times a measured
	// factor, see fileCost) while it fits, so a run needs at most the
	// budget plus one file; 0 means MemoryBudget(0), from the machine.
	MemoryBudget int64
	// MaxFileSize is the largest bundle analyzed, in bytes, read from disk
	// or handed to CheckFiles; 0 means DefaultMaxFileSize. A larger one is an error for
	// that file. It also bounds source maps (see mapLimit): up to
	// MaxFileSize, or 32 times the bundle, and at most 16 times MaxFileSize.
	MaxFileSize int64
	// AllowParseErrors makes a bundle that cannot be parsed a warning (in
	// FileResult.Warnings, and a parse-error finding of level warning)
	// instead of an error that fails the run.
	AllowParseErrors bool

	// Disable lists rule IDs not to run, engine diagnostics
	// (EngineRules) included. Pass the whole registry in Rules and the
	// rest here: a suppression comment naming a rule in neither is then
	// reported as naming no rule.
	Disable []string
	// Severity overrides the severity of every finding of a rule, by ID
	// (engine diagnostics included).
	Severity map[string]analyzer.Severity
	// Include and Exclude select bundles by their path: with Include set,
	// only paths matching one of its globs are analyzed; paths matching an
	// Exclude glob never are. Globs are slash-separated, matched against
	// the whole path (relative to the working directory, or absolute when
	// the glob is), path.Match per segment plus "**" for any number of
	// directories.
	Include, Exclude []string
	// Pinned are names known to be kept by the minifier (a reserved-names
	// list, a static name property the engine cannot see): findings about
	// a function or class whose name, original or runtime, is pinned are
	// dropped. The engine matches the name a rule reported the finding
	// about (Diagnostic.Name) and the map's original name at the finding.
	Pinned []string
	// SourceRoot is the directory original source paths are reported
	// relative to (see Original.Source); "" means the working directory.
	SourceRoot string
	// Baseline, when set, removes the findings it records (see Baseline).
	Baseline *policy.Baseline
	// Progress, when set, is called after each file with the number of
	// files done and the total, one call at a time.
	Progress func(done, total int)
	// Facts keeps each analyzed file's name facts in FileResult.Facts.
	Facts bool
}

// policyConfig is the part of the options the policy applies.
func (o Options) policyConfig() policy.Config {
	return policy.Config{
		Rules:      o.Rules,
		Disable:    o.Disable,
		Severity:   o.Severity,
		Include:    o.Include,
		Exclude:    o.Exclude,
		Pinned:     o.Pinned,
		SourceRoot: o.SourceRoot,
	}
}

// Check analyzes the files named by inputs (files, directories, globs) and
// returns findings sorted by (file, offset, rule). The error is for usage
// problems only; a file that cannot be analyzed is reported in its
// FileResult and the others are still analyzed.
func Check(ctx context.Context, inputs []string, opts Options) (Result, error) {
	paths, failed, err := expandInputs(inputs)
	if err != nil {
		return Result{}, err
	}
	p, err := policy.New(opts.policyConfig())
	if err != nil {
		return Result{}, err
	}
	files := make([]Source, 0, len(paths))
	for _, path := range paths {
		if p.Selected(path) {
			files = append(files, Source{Path: path})
		}
	}
	return checkSources(ctx, files, failed, opts, p), nil
}

// SortFindings sorts findings as the engine's output is sorted: by
// (bundle, offset, rule, message).
func SortFindings(fs []analyzer.Finding) { sortFindings(fs) }

func sortFindings(fs []analyzer.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Bundle.Path != b.Bundle.Path {
			return a.Bundle.Path < b.Bundle.Path
		}
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// expandInputs finds the files named by inputs (see package load). A path
// that matches nothing or cannot be read comes back as a failed FileResult,
// so the other files are still analyzed; only no inputs at all is an error.
func expandInputs(inputs []string) ([]string, []FileResult, error) {
	if len(inputs) == 0 {
		return nil, nil, fmt.Errorf("no input files")
	}
	found, errs := load.Expand(inputs, load.Options{})
	paths := make([]string, len(found))
	for i, in := range found {
		paths[i] = in.Path
	}
	var failed []FileResult
	for _, e := range errs {
		msg := e.Error()
		failed = append(failed, FileResult{Path: e.Path, Error: &msg})
	}
	return paths, failed, nil
}

func sortFiles(fs []FileResult) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
}
