package analyzer

import (
	"context"
	"fmt"

	"runtime"
	"sort"
	"sync"

	"github.com/manglecheck/manglecheck/analyzer/load"
)

// Options configure a Check.
type Options struct {
	// Rules to run. The engine runs nothing by default; see rules.All.
	Rules []*Rule
	// SourceMap is "" to discover each bundle's map, "none" to analyze
	// without maps, or a path to the map of the single input.
	SourceMap string
	// Workers is the number of files analyzed at once; 0 means one per core.
	Workers int
	// MaxFileSize is the largest bundle read, in bytes; 0 means 64 MiB.
	MaxFileSize int64
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
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	type out struct {
		file     FileResult
		findings []Finding
	}
	outs := make([]out, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fr, fs := checkFile(ctx, paths[i], opts)
				outs[i] = out{fr, fs}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	res := Result{Files: failed}
	for _, o := range outs {
		res.Files = append(res.Files, o.file)
		res.Findings = append(res.Findings, o.findings...)
	}
	sortFiles(res.Files)
	sortFindings(res.Findings)
	return res, nil
}

func sortFindings(fs []Finding) {
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
