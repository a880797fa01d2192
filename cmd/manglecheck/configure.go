package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/config"
	"github.com/manglecheck/manglecheck/analyzer/report"
)

// checkRun is everything `check` decided from its flags and the
// configuration file, before analyzing anything. Flags win over the file.
type checkRun struct {
	inputs []string
	opts   analyzer.Options
	failOn analyzer.Severity // 0: never fail on findings
	format string
	output string // "" or "-": stdout
	color  string
	quiet  bool
	// baseline is the file to compare with ("" for none), and
	// writeBaseline the file to record the findings in.
	baseline, writeBaseline string
	// dir is the working directory relative to the source root, for
	// reporters whose paths are relative to the source root.
	dir string
}

var formats = []string{"text", "json", "sarif", "github"}

// configure reads the configuration file (--config, or manglecheck.json
// found from the working directory up) and merges it with the flags.
func (m *command) configure(c *cli.Context, rules []*analyzer.Rule) (*checkRun, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	r := &checkRun{
		inputs:        c.Args().Slice(),
		format:        c.String("format"),
		output:        c.String("output"),
		color:         c.String("color"),
		quiet:         c.Bool("quiet"),
		baseline:      c.String("baseline"),
		writeBaseline: c.String("write-baseline"),
	}
	noBaseline := r.baseline == "none"
	if noBaseline {
		r.baseline = ""
	}
	if !contains(formats, r.format) {
		return nil, &usageError{fmt.Sprintf("invalid --format %q (want text, json, sarif or github)", r.format), checkHint}
	}
	cfg, err := m.loadConfig(c.String("config"), wd)
	if err != nil {
		return nil, err
	}

	// The engine gets the whole registry, and what not to run: it then
	// knows every rule ID a suppression comment may name.
	r.opts.Rules = m.rules
	selected := map[string]bool{}
	for _, rule := range rules {
		selected[rule.ID] = true
	}
	for _, rule := range m.rules {
		if !selected[rule.ID] {
			r.opts.Disable = append(r.opts.Disable, rule.ID)
		}
	}

	failOn, sourceRoot := "error", ""
	if cfg != nil {
		cfg.Apply(&r.opts, wd)
		if cfg.FailOn != "" {
			failOn = cfg.FailOn
		}
		sourceRoot = cfg.Abs(cfg.SourceRoot)
		if r.baseline == "" && !noBaseline {
			r.baseline = cfg.Abs(cfg.Baseline)
		}
		if len(r.inputs) == 0 {
			r.inputs = cfg.Globs(cfg.Include, wd)
		}
	}
	if c.IsSet("fail-on") {
		failOn = c.String("fail-on")
	}
	if r.failOn, err = parseFailOn(failOn); err != nil {
		return nil, err
	}
	if c.IsSet("source-root") {
		sourceRoot = c.String("source-root")
	}
	if sourceRoot != "" {
		abs, err := filepath.Abs(sourceRoot)
		if err != nil {
			return nil, err
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return nil, &usageError{fmt.Sprintf("source root %s is not a directory", sourceRoot), checkHint}
		}
		r.opts.SourceRoot = abs
		if rel, err := filepath.Rel(abs, wd); err == nil {
			r.dir = filepath.ToSlash(rel)
		}
	}
	if len(r.inputs) == 0 {
		hint := checkHint
		if cfg != nil {
			hint = fmt.Sprintf("Name them, or list them in \"include\" in %s.", cfg.Path)
		}
		return nil, &usageError{"no paths to check", hint}
	}
	return r, nil
}

// loadConfig loads the file named by --config, or the one found from wd
// up; nil when there is none.
func (m *command) loadConfig(explicit, wd string) (*config.Config, error) {
	path := explicit
	if path == "" {
		found, err := config.Find(wd, m.getenv("HOME"))
		if err != nil {
			return nil, &usageError{err.Error(), ""}
		}
		if found == "" {
			return nil, nil
		}
		path = found
		if filepath.Dir(found) != filepath.Clean(wd) {
			// Not the working directory's: say which file applies.
			fmt.Fprintf(m.stderr, "manglecheck: using the configuration %s\n", found)
		}
	}
	cfg, err := config.Load(path)
	if errors.Is(err, fs.ErrNotExist) && explicit != "" {
		return nil, &usageError{fmt.Sprintf("--config %s: no such file", explicit), checkHint}
	}
	if err == nil {
		err = cfg.Validate(m.knownIDs())
	}
	if err != nil {
		return nil, &usageError{err.Error(), "The README's \"Configuration\" section lists the keys and values."}
	}
	return cfg, nil
}

// knownIDs are the IDs a configuration may set: the rules and the
// engine's diagnostics.
func (m *command) knownIDs() []string {
	var ids []string
	for _, r := range m.allRules() {
		ids = append(ids, r.ID)
	}
	return ids
}

func isEngineID(id string) bool {
	for _, r := range analyzer.EngineRules() {
		if r.ID == id {
			return true
		}
	}
	return false
}

// allRules are the rules and then the engine diagnostics, as `rules`,
// `explain` and SARIF describe them.
func (m *command) allRules() []*analyzer.Rule {
	return append(append([]*analyzer.Rule{}, m.rules...), analyzer.EngineRules()...)
}

// analyze runs the engine and applies the baselines: --write-baseline
// records every finding; the baseline applied is --baseline (or the
// configuration's) when given, else the one just written.
func (m *command) analyze(ctx context.Context, r *checkRun) (analyzer.Result, error) {
	var base *analyzer.Baseline
	if r.baseline != "" {
		b, err := readBaseline(r.baseline)
		switch {
		case errors.Is(err, fs.ErrNotExist) && r.writeBaseline != "":
			// Being written for the first time.
		case errors.Is(err, fs.ErrNotExist):
			return analyzer.Result{}, &usageError{fmt.Sprintf("baseline %s: no such file", r.baseline), "Create it with --write-baseline " + r.baseline + "."}
		case err != nil:
			return analyzer.Result{}, &usageError{err.Error(), "Rewrite it with --write-baseline."}
		default:
			base = b
		}
	}
	opts := r.opts
	if r.writeBaseline == "" {
		opts.Baseline = base
	}
	if bar := m.progressBar(r); bar != nil {
		opts.Progress = bar.update
		defer bar.finish()
	}
	res, err := analyzer.Check(ctx, r.inputs, opts)
	if err != nil {
		return res, &usageError{err.Error(), checkHint}
	}
	if r.writeBaseline != "" {
		written := analyzer.NewBaseline(res.Findings)
		if err := m.writeFile(r.writeBaseline, written.Write); err != nil {
			return res, fmt.Errorf("writing the baseline: %w", err)
		}
		if base == nil {
			base = written
		}
		res = base.Apply(res)
	}
	return res, nil
}

func readBaseline(path string) (*analyzer.Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return analyzer.ReadBaseline(path, f)
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

// report writes res in the chosen format to stdout or --output.
func (m *command) report(r *checkRun, res analyzer.Result) error {
	out := io.Writer(m.stdout)
	var file *atomicFile
	if r.output != "" && r.output != "-" {
		f, err := m.createOutput(r.output)
		if err != nil {
			return &usageError{fmt.Sprintf("--output: %v", err), checkHint}
		}
		file, out = f, f
	}
	rep, err := m.reporter(r, out)
	if err == nil {
		if r.quiet && r.format != "text" {
			res.Findings = errorsOnly(res.Findings)
		}
		err = rep.Report(res)
	}
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

func (m *command) reporter(r *checkRun, w io.Writer) (reporter, error) {
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

func errorsOnly(fs []analyzer.Finding) []analyzer.Finding {
	var out []analyzer.Finding
	for _, f := range fs {
		if f.Severity >= analyzer.Error {
			out = append(out, f)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// setupAnalysis does what check, diff and suggest share: rule selection
// (--rule, --disable, which also takes the engine's diagnostics), the
// configuration, and --jobs and --max-file-size. hint is the command's
// usage hint for errors.
func (m *command) setupAnalysis(c *cli.Context, hint string) (*checkRun, error) {
	var disable, engineOff []string
	for _, id := range c.StringSlice("disable") {
		if isEngineID(id) {
			engineOff = append(engineOff, id)
		} else {
			disable = append(disable, id)
		}
	}
	rules, err := m.selectRules(c.StringSlice("rule"), disable)
	if err != nil {
		return nil, err
	}
	r, err := m.configure(c, rules)
	if err != nil {
		return nil, err
	}
	r.opts.Disable = append(r.opts.Disable, engineOff...)
	jobs := c.Int("jobs")
	if jobs < 0 {
		return nil, &usageError{fmt.Sprintf("invalid --jobs %d (want 1 or more)", jobs), hint}
	}
	maxSize := c.Int64("max-file-size")
	if maxSize <= 0 {
		return nil, &usageError{fmt.Sprintf("invalid --max-file-size %d (want a number of bytes)", maxSize), hint}
	}
	r.opts.Workers = jobs
	r.opts.MaxFileSize = maxSize
	return r, nil
}
