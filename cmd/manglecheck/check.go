package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/report"
)

const checkHint = "Run 'manglecheck check --help' for usage."

func (m *command) checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "analyze bundles and report code that depends on renamed names",
		ArgsUsage: "PATH...",
		Description: "PATH is a file (taken whatever its extension), a directory (searched\n" +
			"recursively for .js, .mjs and .cjs files, skipping node_modules and hidden\n" +
			"directories) or a glob (quote it; ** matches any number of directories).\n\n" +
			"Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n" +
			"2 usage error or a file that could not be analyzed.",
		OnUsageError: onUsageError("manglecheck check --help"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text or json"},
			&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 on findings at or above `SEVERITY`: error, warning, info or never"},
			&cli.StringFlag{Name: "sourcemap", Usage: "source map `PATH` for the single input, or none to ignore maps", DefaultText: "discover"},
			&cli.IntFlag{Name: "jobs", Usage: "analyze `N` files at once", DefaultText: "one per core"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour the text output: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never"},
			&cli.StringSliceFlag{Name: "rule", Usage: "run only rule `ID` (repeatable)"},
			&cli.StringSliceFlag{Name: "disable", Usage: "do not run rule `ID` (repeatable)"},
			&cli.Int64Flag{Name: "max-file-size", Value: 64 << 20, Usage: "refuse files larger than `BYTES` (an error for that file)", DefaultText: "67108864 = 64 MiB"},
		},
		Action: m.check,
	}
}

// reporter is what the report package's Text and JSON have in common.
type reporter interface {
	Report(analyzer.Result) error
}

func (m *command) check(c *cli.Context) error {
	paths := c.Args().Slice()
	if len(paths) == 0 {
		return &usageError{"no paths to check", checkHint}
	}
	failOn, err := parseFailOn(c.String("fail-on"))
	if err != nil {
		return err
	}
	color, err := m.color(c.String("color"))
	if err != nil {
		return err
	}
	var rep reporter
	switch f := c.String("format"); f {
	case "text":
		rep = report.Text{W: m.stdout, Color: color}
	case "json":
		rep = report.JSON{W: m.stdout}
	default:
		return &usageError{fmt.Sprintf("invalid --format %q (want text or json)", f), checkHint}
	}
	rules, err := m.selectRules(c.StringSlice("rule"), c.StringSlice("disable"))
	if err != nil {
		return err
	}
	jobs := c.Int("jobs")
	if jobs < 0 {
		return &usageError{fmt.Sprintf("invalid --jobs %d (want 1 or more)", jobs), checkHint}
	}
	maxSize := c.Int64("max-file-size")
	if maxSize <= 0 {
		return &usageError{fmt.Sprintf("invalid --max-file-size %d (want a number of bytes)", maxSize), checkHint}
	}
	sourceMap := c.String("sourcemap")
	if sourceMap != "" && sourceMap != "none" && len(paths) != 1 {
		return &usageError{"--sourcemap PATH needs exactly one input bundle", "Leave it out to find each bundle's map, or use --sourcemap none."}
	}

	res, err := analyzer.Check(c.Context, paths, analyzer.Options{
		Rules:       rules,
		SourceMap:   sourceMap,
		Workers:     jobs,
		MaxFileSize: maxSize,
	})
	if err != nil {
		// Check's error is for usage problems only.
		return &usageError{err.Error(), checkHint}
	}
	if err := rep.Report(res); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	switch {
	case res.Failed():
		return exitError(exitTrouble)
	case failOn != 0 && hasFindingAtLeast(res, failOn):
		return exitError(exitFindings)
	}
	return nil
}

// parseFailOn reads --fail-on; 0 means never.
func parseFailOn(s string) (analyzer.Severity, error) {
	if s == "never" {
		return 0, nil
	}
	sev, err := analyzer.ParseSeverity(s)
	if err != nil {
		return 0, &usageError{fmt.Sprintf("invalid --fail-on %q (want error, warning, info or never)", s), checkHint}
	}
	return sev, nil
}

func hasFindingAtLeast(res analyzer.Result, min analyzer.Severity) bool {
	for _, f := range res.Findings {
		if f.Severity >= min {
			return true
		}
	}
	return false
}

// color decides --color. auto colours only a terminal, and NO_COLOR
// (https://no-color.org) set to anything non-empty turns it off.
func (m *command) color(mode string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return m.getenv("NO_COLOR") == "" && isTerminal(m.stdout), nil
	}
	return false, &usageError{fmt.Sprintf("invalid --color %q (want auto, always or never)", mode), checkHint}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// selectRules applies --rule and --disable to the registry, keeping its
// order. An unknown ID in either is a usage error: a typo must not
// silently turn a check off.
func (m *command) selectRules(only, disable []string) ([]*analyzer.Rule, error) {
	byID := make(map[string]*analyzer.Rule, len(m.rules))
	for _, r := range m.rules {
		byID[r.ID] = r
	}
	set := func(flag string, ids []string) (map[string]bool, error) {
		out := map[string]bool{}
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if byID[id] == nil {
				return nil, &usageError{fmt.Sprintf("unknown rule %q in --%s", id, flag), "Run 'manglecheck rules' for the list of rules."}
			}
			out[id] = true
		}
		return out, nil
	}
	onlySet, err := set("rule", only)
	if err != nil {
		return nil, err
	}
	disableSet, err := set("disable", disable)
	if err != nil {
		return nil, err
	}
	var out []*analyzer.Rule
	for _, r := range m.rules {
		if (len(onlySet) == 0 || onlySet[r.ID]) && !disableSet[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}
