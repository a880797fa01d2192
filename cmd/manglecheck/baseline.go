package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/policy"
)

// analyze runs the engine and applies the baselines: --write-baseline
// records every finding; the baseline applied is --baseline (or the
// configuration's) when given, else the one just written.
func (m *command) analyze(ctx context.Context, r *checkRun) (checker.Result, error) {
	base, err := loadBaseline(r, "")
	if err != nil {
		return checker.Result{}, err
	}
	opts := r.opts
	if r.writeBaseline == "" {
		opts.Baseline = base
	}
	if bar := m.progressBar(r); bar != nil {
		opts.Progress = bar.update
		defer bar.finish()
	}
	res, err := checker.Check(ctx, r.inputs, opts)
	if err != nil {
		return res, &usageError{err.Error(), checkHint}
	}
	if r.writeBaseline != "" {
		written := policy.NewBaseline(res.Findings)
		if err := m.writeFile(r.writeBaseline, written.Write); err != nil {
			return res, fmt.Errorf("writing the baseline: %w", err)
		}
		if base == nil {
			base = written
		}
		kept, removed := base.Apply(res.Findings)
		res.Findings, res.Baselined = kept, res.Baselined+removed
	}
	return res, nil
}

// loadBaseline reads the baseline r applies; nil when there is none, or
// when the file does not exist yet and --write-baseline is about to
// create it. writer is the command line that writes baselines, for the
// hint ("" when it is the command's own --write-baseline).
func loadBaseline(r *checkRun, writer string) (*policy.Baseline, error) {
	if r.baseline == "" {
		return nil, nil
	}
	b, err := readBaseline(r.baseline)
	switch {
	case errors.Is(err, fs.ErrNotExist) && r.writeBaseline != "":
		return nil, nil // being written for the first time
	case errors.Is(err, fs.ErrNotExist):
		return nil, &usageError{fmt.Sprintf("baseline %s: no such file", r.baseline), "Create it with " + writer + "--write-baseline " + r.baseline + "."}
	case err != nil:
		return nil, &usageError{err.Error(), "Rewrite it with " + writer + "--write-baseline."}
	}
	return b, nil
}

func readBaseline(path string) (*policy.Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return policy.ReadBaseline(path, f)
}

// writeFile writes a file through write, reporting the first error of
// writing or closing it.
func (m *command) writeFile(path string, write func(io.Writer) error) error {
	f, err := m.createOutput(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
