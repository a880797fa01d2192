package checker

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/policy"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// Source is one bundle handed to CheckFiles, on disk or in memory.
type Source struct {
	// Path names the bundle in findings (slash-separated, relative to the
	// working directory for readable output). The file is read from it
	// when Contents is nil.
	Path string
	// Contents is the bundle's text; nil to read Path.
	Contents []byte
	// Map is the text of the bundle's source map; nil to find it as Check
	// does (sourceMappingURL, including data: URLs, then a sibling
	// "<Path>.map" on disk), or not at all with Options.SourceMap "none".
	Map []byte
	// MapPath is where Map would live: the map's relative sources are
	// resolved against its directory. Default "<Path>.map".
	MapPath string
}

// CheckFiles analyzes bundles the caller already has, in memory or on disk
// (a bundler plugin's output files, say), with the same per-file pipeline,
// configuration, suppressions and baseline as Check. Include and Exclude
// apply to the Paths. Findings come back sorted by (file, offset, rule).
func CheckFiles(ctx context.Context, files []Source, opts Options) (Result, error) {
	if len(files) == 0 {
		return Result{}, fmt.Errorf("no input files")
	}
	p, err := policy.New(opts.policyConfig())
	if err != nil {
		return Result{}, err
	}
	var keep []Source
	for _, f := range files {
		if p.Selected(f.Path) {
			keep = append(keep, f)
		}
	}
	return checkSources(ctx, keep, nil, opts, p), nil
}

// checkSources runs the per-file pipeline over files in parallel, then does
// what needs every file: unused-suppression diagnostics, the baseline and
// the final sort. failed are inputs that could not even be listed.
func checkSources(ctx context.Context, files []Source, failed []FileResult, opts Options, p *policy.Policy) Result {
	opts.Rules = p.Rules()
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	type out struct {
		file     FileResult
		findings []analyzer.Finding
	}
	outs := make([]out, len(files))
	prog := &progress{fn: opts.Progress, total: len(files)}
	cpu := newCores()
	mem := newAdmission(MemoryBudget(opts.MemoryBudget))
	// Chunks that import from each other are analyzed in levels (see
	// link.go); otherwise all files form one.
	lk := newLinker(files)
	levels := [][]int{nil}
	if lk != nil {
		levels = lk.levels
	} else {
		for i := range files {
			levels[0] = append(levels[0], i)
		}
	}
	for _, level := range levels {
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < min(workers, len(level)); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					cost := sourceCost(files[i])
					mem.acquire(cost)
					cpu.busy()
					fr, fs := checkSource(ctx, files[i], opts, p, cpu, lk)
					cpu.done()
					mem.release(cost)
					outs[i] = out{fr, fs}
					prog.step()
				}
			}()
		}
		for _, i := range level {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	res := Result{Files: failed}
	for _, o := range outs {
		res.Files = append(res.Files, o.file)
		res.Findings = append(res.Findings, o.findings...)
	}
	res.Findings = append(res.Findings, p.SuppressionFindings()...)
	res.Suppressed = p.Suppressed()
	sortFiles(res.Files)
	sortFindings(res.Findings)
	if opts.Baseline != nil {
		res.Findings, res.Baselined = opts.Baseline.Apply(res.Findings)
	}
	return res
}

// progress calls Options.Progress once per finished file, one call at a
// time, so the callback needs no locking of its own.
type progress struct {
	fn          func(done, total int)
	mu          sync.Mutex
	done, total int
}

func (p *progress) step() {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.fn(p.done, p.total)
}

// loadSourceMap is loadMap for a Source whose map the caller may have
// handed over.
func loadSourceMap(in Source, data []byte, opts Options) (*sourcemap.Map, string, string) {
	if in.Map == nil || opts.SourceMap == "none" {
		return loadMap(in.Path, data, opts)
	}
	where := in.MapPath
	if where == "" {
		where = in.Path + ".map"
	}
	if limit := mapLimit(len(data), opts); int64(len(in.Map)) > limit {
		return nil, "", fmt.Sprintf("source map %s not used: %d bytes is over the %d byte limit for this bundle (--max-file-size)", where, len(in.Map), limit)
	}
	m, err := sourcemap.Parse(in.Map)
	if err != nil {
		return nil, "", fmt.Sprintf("source map %s not used: %v", where, err)
	}
	return m, where, ""
}
