package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report"
)

// writeReport writes through write to stdout or to --output, which is
// replaced only when the whole report was written; hint is the usage
// hint for an --output that cannot be created. check, smoke, diff and
// suggest write their reports through it.
func (m *command) writeReport(r *checkRun, hint string, write func(io.Writer) error) error {
	out := io.Writer(m.stdout)
	var file *atomicFile
	if r.output != "" && r.output != "-" {
		f, err := m.createOutput(r.output)
		if err != nil {
			return &usageError{fmt.Sprintf("--output: %v", err), hint}
		}
		file, out = f, f
	}
	err := write(out)
	if file != nil {
		if err != nil {
			file.Abort()
		} else {
			err = file.Commit()
		}
	}
	if err != nil {
		var usage *usageError
		if errors.As(err, &usage) {
			return err
		}
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// report writes res in the chosen format to stdout or --output.
func (m *command) report(r *checkRun, res checker.Result) error {
	return m.writeReport(r, checkHint, func(w io.Writer) error {
		rep, err := m.reporter(r, w)
		if err != nil {
			return err
		}
		return rep.Report(r.shown(res))
	})
}

// reporter picks the reporter of --format, writing to w.
func (m *command) reporter(r *checkRun, w io.Writer) (report.Reporter, error) {
	switch r.format {
	case "json":
		return report.JSON{W: w}, nil
	case "sarif":
		return report.SARIF{W: w, Rules: m.allRules(), Version: version(), Dir: r.dir}, nil
	case "github":
		return report.GitHub{W: w, Dir: r.dir}, nil
	}
	color, err := m.colorFor(r.color, w)
	if err != nil {
		return nil, err
	}
	return report.Text{W: w, Color: color, Quiet: r.quiet}, nil
}

// shown is res as the report shows it: with --quiet, the formats other
// than text (which leaves out the rest itself, counting it) list the
// errors only. The exit status is decided on all of res.
func (r *checkRun) shown(res checker.Result) checker.Result {
	if !r.quiet || r.format == "text" {
		return res
	}
	var errs []analyzer.Finding
	for _, f := range res.Findings {
		if f.Severity >= analyzer.Error {
			errs = append(errs, f)
		}
	}
	res.Findings = errs
	return res
}
