package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
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
			"Without PATH, the \"include\" globs of the configuration file are checked.\n" +
			"The configuration file is --config, or manglecheck.json (or .manglecheck.json)\n" +
			"in the working directory or the nearest parent that has one; flags override it.\n\n" +
			"Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n" +
			"2 usage error, bad configuration or baseline, or a file that could not be analyzed.",
		OnUsageError: onUsageError("manglecheck check --help"),
		Flags: flags(checkReportFlags(), []cli.Flag{
			baselineFlag("report only findings not recorded in"),
			&cli.StringFlag{Name: "write-baseline", Usage: "record the current findings in baseline `FILE` (then report against it, or --baseline)"},
			sourceMapFlag(), jobsFlag(), colorFlag(),
		}, ruleFlags("run only"), []cli.Flag{
			maxFileSizeFlag(),
			&cli.StringFlag{Name: "memory-budget", Usage: "plan the analysis to fit `SIZE` of memory (bytes, or with KiB, MiB, GiB): files are admitted by their estimated cost; also GOMEMLIMIT unless set", DefaultText: "3/4 of the machine's memory"},
			&cli.BoolFlag{Name: "confirm", Usage: "run bundles with findings in the sandbox (as smoke does) and mark the .name reads that ran and produced a renamed name [confirmed]"},
			&cli.BoolFlag{Name: "skip-missing", Usage: "when no PATH exists yet (no build made), say so and exit 0 instead of failing: for hooks that run before the first build"},
			&cli.BoolFlag{Name: "allow-parse-errors", Usage: "report bundles that cannot be parsed as parse-error warnings instead of failing with exit status 2"},
		}),
		Action: m.check,
	}
}

func (m *command) check(c *cli.Context) error {
	r, err := m.setupAnalysis(c, checkHint)
	if err != nil {
		return err
	}
	if c.Bool("skip-missing") && noneExists(r.inputs) {
		// A hook run before the first build: say so plainly, do not block.
		fmt.Fprintf(m.stderr, "manglecheck: no build to check yet: %s does not exist; run the build (e.g. npm run build), then manglecheck check again. Nothing was checked.\n", strings.Join(r.inputs, ", "))
		return nil
	}
	sourceMap, err := singleSourceMap(c, r, true)
	if err != nil {
		return err
	}
	r.opts.SourceMap = sourceMap
	r.opts.AllowParseErrors = c.Bool("allow-parse-errors")
	if b := c.String("memory-budget"); b != "" {
		n, err := parseSize(b)
		if err != nil {
			return &usageError{fmt.Sprintf("invalid --memory-budget %q (want bytes, or a number with KiB, MiB or GiB)", b), checkHint}
		}
		r.opts.MemoryBudget = n
		if m.getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(n)
		}
	}

	res, err := m.analyze(c.Context, r)
	if err != nil {
		return err
	}
	if c.Bool("confirm") {
		sandbox.Confirm(c.Context, &res, sandbox.Options{Check: r.opts})
	}
	if err := m.report(r, res); err != nil {
		return err
	}
	if len(res.Files) == 0 {
		// Only include/exclude can leave nothing (a path that names
		// nothing is an error for that path): a mistyped glob must not
		// pass CI having checked nothing (ESLint exits 2 there too).
		fmt.Fprintf(m.stderr, "manglecheck: no file left to check: %s\n", filteredOut(r))
		return exitError(exitTrouble)
	}
	m.hintMissingMaps(r, res, sourceMap)
	confirmed := confirmedBreaks(res)
	if confirmed > 0 {
		fmt.Fprintf(m.stderr, "manglecheck: --confirm: %s confirmed by running the bundle: it breaks at runtime\n", report.Plural(confirmed, "finding", "findings"))
	}
	switch {
	case res.Failed():
		return exitError(exitTrouble)
	case r.failsOn(res) || (r.failOn != 0 && confirmed > 0):
		// A break seen at runtime fails the run whatever its
		// severity; only --fail-on never lets it pass.
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

// failsOn reports whether res has a finding at or above --fail-on.
func (r *checkRun) failsOn(res checker.Result) bool {
	return r.failOn != 0 && res.HasFindingAtLeast(r.failOn)
}

// color decides --color for stdout. auto colours only a terminal, and
// NO_COLOR (https://no-color.org) set to anything non-empty turns it off.
func (m *command) color(mode string) (bool, error) { return m.colorFor(mode, m.stdout) }

// colorFor decides --color for the report's writer (stdout or --output).
func (m *command) colorFor(mode string, w io.Writer) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return m.getenv("NO_COLOR") == "" && m.isTTY(w), nil
	}
	return false, &usageError{fmt.Sprintf("invalid --color %q (want auto, always or never)", mode), checkHint}
}

// isTerminal reports whether w is a terminal (golang.org/x/term: a
// character device such as /dev/null is not one).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
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
				return nil, &usageError{fmt.Sprintf("unknown rule %q in --%s%s", id, flag, didYouMean(id, m.knownIDs())), "Run 'manglecheck rules' for the list of rules."}
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
