package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/config"
)

// checkRun is everything `check` decided from its flags and the
// configuration file, before analyzing anything. Flags win over the file.
type checkRun struct {
	inputs []string
	opts   checker.Options
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
// found from the working directory up) and merges it with the flags;
// rules are the rules to run.
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
	m.selectForEngine(&r.opts, rules)
	failOn, sourceRoot := "error", ""
	if cfg != nil {
		failOn, sourceRoot = r.merge(cfg, wd, noBaseline)
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
	if err := r.setSourceRoot(sourceRoot, wd); err != nil {
		return nil, err
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

// selectForEngine gives the engine the whole registry, and what not to
// run: it then knows every rule ID a suppression comment may name.
func (m *command) selectForEngine(opts *checker.Options, rules []*analyzer.Rule) {
	opts.Rules = m.rules
	selected := map[string]bool{}
	for _, rule := range rules {
		selected[rule.ID] = true
	}
	for _, rule := range m.rules {
		if !selected[rule.ID] {
			opts.Disable = append(opts.Disable, rule.ID)
		}
	}
}

// merge applies the configuration file: its rule settings, its baseline
// (unless --baseline named one or none) and its include globs (when no
// path was named). It returns the file's failOn (default error) and its
// source root, which the flags may still override.
func (r *checkRun) merge(cfg *config.Config, wd string, noBaseline bool) (failOn, sourceRoot string) {
	cfg.Apply(&r.opts, wd)
	failOn = "error"
	if cfg.FailOn != "" {
		failOn = cfg.FailOn
	}
	if r.baseline == "" && !noBaseline {
		r.baseline = cfg.Abs(cfg.Baseline)
	}
	if len(r.inputs) == 0 {
		r.inputs = cfg.Globs(cfg.Include, wd)
	}
	return failOn, cfg.Abs(cfg.SourceRoot)
}

// setSourceRoot makes sourceRoot ("" for none) absolute, checks it is a
// directory and records where the working directory is inside it.
func (r *checkRun) setSourceRoot(sourceRoot, wd string) error {
	if sourceRoot == "" {
		return nil
	}
	abs, err := existingDir(sourceRoot, "source root", checkHint)
	if err != nil {
		return err
	}
	r.opts.SourceRoot = abs
	if rel, err := filepath.Rel(abs, wd); err == nil {
		r.dir = filepath.ToSlash(rel)
	}
	return nil
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

// existingDir is dir made absolute; an error when it is not a directory,
// named what in the message (with hint).
func existingDir(dir, what, hint string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return "", &usageError{fmt.Sprintf("%s %s is not a directory", what, dir), hint}
	}
	return abs, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
