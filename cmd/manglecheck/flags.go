package main

import (
	"fmt"
	"os"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/urfave/cli/v2"
)

// The flags the analysing commands (check, smoke, diff, suggest) share,
// each defined once here; a command lists the ones it takes in the order
// its --help shows them. Where the usage text differs by command, the
// part that differs is a parameter. setupAnalysis (with configure) and
// singleSourceMap parse them, once for all.

// reportFlags are the flags of the commands that write a check report:
// --format, --output, --quiet, --fail-on, --config and --source-root.
// quiet says what --quiet keeps ("errors"), failOn when --fail-on exits 1
// ("on findings at or above") and sources whose positions --source-root
// makes relative ("original sources").
func reportFlags(quiet, failOn, sources string) []cli.Flag {
	return []cli.Flag{
		formatFlag("text, json, sarif (GitHub code scanning) or github (Actions annotations)"),
		outputFlag("report"),
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "report only " + quiet + " (the exit status still follows --fail-on)"},
		&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 " + failOn + " `SEVERITY`: error, warning, info or never", DefaultText: "error, or failOn in the configuration"},
		configFlag(),
		sourceRootFlag(sources),
	}
}

// checkReportFlags are reportFlags as check and smoke word them.
func checkReportFlags() []cli.Flag {
	return reportFlags("errors", "on findings at or above", "original sources")
}

func formatFlag(formats string) cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: " + formats}
}

func outputFlag(what string) cli.Flag {
	return &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the " + what + " to `FILE` instead of stdout"}
}

func configFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Usage: "configuration `FILE`", DefaultText: "manglecheck.json found from the working directory up"}
}

func sourceRootFlag(sources string) cli.Flag {
	return &cli.StringFlag{Name: "source-root", Usage: "report " + sources + " relative to `DIR`", DefaultText: "the working directory"}
}

// baselineFlag is --baseline; what says what the command does with the
// findings it records ("report only findings not recorded in").
func baselineFlag(what string) cli.Flag {
	return &cli.StringFlag{Name: "baseline", Usage: what + " baseline `FILE` (none: ignore the configuration's)"}
}

// sourceMapFlag is --sourcemap as check, smoke and suggest take it: a map
// for the single input, or none.
func sourceMapFlag() cli.Flag {
	return &cli.StringFlag{Name: "sourcemap", Usage: "source map `PATH` for the single input, or none to ignore maps", DefaultText: "discover"}
}

func jobsFlag() cli.Flag {
	return &cli.IntFlag{Name: "jobs", Usage: "analyze `N` files at once", DefaultText: "one per core"}
}

func colorFlag() cli.Flag {
	return &cli.StringFlag{Name: "color", Value: "auto", Usage: "colour the text output: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never"}
}

// ruleFlags are --rule and --disable; only says what --rule does with
// the rules it names ("run only").
func ruleFlags(only string) []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "rule", Usage: only + " rule `ID` (repeatable)"},
		&cli.StringSliceFlag{Name: "disable", Usage: "do not run rule `ID` (repeatable)"},
	}
}

func maxFileSizeFlag() cli.Flag {
	return &cli.Int64Flag{Name: "max-file-size", Value: checker.DefaultMaxFileSize, Usage: "refuse files larger than `BYTES` (an error for that file)", DefaultText: "16777216 = 16 MiB"}
}

// flags joins lists of flags.
func flags(lists ...[]cli.Flag) []cli.Flag {
	var out []cli.Flag
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// setupAnalysis parses what the analysing commands share: rule selection
// (--rule, --disable, which also takes the engine's diagnostics), the
// configuration and the flags it merges with (configure), --color, and
// --jobs and --max-file-size. hint is the command's usage hint for
// errors. A flag the command does not take reads as its zero value.
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
	if r.color != "" {
		if _, err := m.color(r.color); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// singleSourceMap reads --sourcemap as check, smoke and suggest take it:
// "", none, or the map of the one input (which must exist when mustExist).
func singleSourceMap(c *cli.Context, r *checkRun, mustExist bool) (string, error) {
	sourceMap := c.String("sourcemap")
	if sourceMap == "" || sourceMap == "none" {
		return sourceMap, nil
	}
	if len(r.inputs) != 1 {
		return "", &usageError{"--sourcemap PATH needs exactly one input bundle", "Leave it out to find each bundle's map, or use --sourcemap none."}
	}
	if mustExist {
		if st, err := os.Stat(sourceMap); err != nil || !st.Mode().IsRegular() {
			return "", &usageError{fmt.Sprintf("--sourcemap %s: no such file", sourceMap), "Leave it out to find the bundle's map, or use --sourcemap none."}
		}
	}
	return sourceMap, nil
}
