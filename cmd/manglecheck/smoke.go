package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer/report"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
	"github.com/manglecheck/manglecheck/rules"
)

const smokeHint = "Run 'manglecheck smoke --help' for usage."

func (m *command) smokeCommand() *cli.Command {
	return &cli.Command{
		Name:      "smoke",
		Usage:     "run each bundle's startup in a sandbox and report what throws",
		ArgsUsage: "BUNDLE...",
		Description: "Runs each bundle's top level, then its timers, animation frames and page-load\n" +
			"events, in goja's JavaScript runtime with a minimal browser or Node.js\n" +
			"environment and no access to files, network, processes or the environment,\n" +
			"and reports an uncaught exception, an unhandled rejection, a timeout, the\n" +
			"memory limit or a stack overflow as a startup-error finding, with the stack\n" +
			"mapped through the source map ('manglecheck explain startup-error').\n\n" +
			"BUNDLE is a file, directory or glob, as for check. ES module bundles are\n" +
			"linked with the chunks they import (from their own directory) by esbuild;\n" +
			"a chunk another input imports is run as part of that entry only.\n\n" +
			"--env auto picks node when CommonJS/Node markers (module.exports, exports.x,\n" +
			"require(, process.env, __dirname, a #! line) outnumber browser ones (window,\n" +
			"document., navigator., localStorage, addEventListener(, customElements), and\n" +
			"runs a bundle again in the other one when its top level fails on one of that\n" +
			"environment's globals (\"ReferenceError: module is not defined\").\n" +
			"Each bundle runs in a sandbox process of its own (empty environment, OS\n" +
			"limits on memory, CPU and files); one that dies is reported for that bundle as\n" +
			"\"the sandbox stopped: REASON\". --timeout covers compiling and running it;\n" +
			"--max-memory bounds how far the heap grows during the run.\n\n" +
			"Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n" +
			"2 usage error or a bundle that could not be run.",
		OnUsageError: onUsageError("manglecheck smoke --help"),
		Flags: flags([]cli.Flag{
			&cli.StringFlag{Name: "env", Value: "auto", Usage: "environment `ENV`: auto, browser or node"},
			&cli.DurationFlag{Name: "timeout", Value: sandbox.DefaultTimeout, Usage: "wall-clock budget per bundle (`DURATION`, e.g. 5s)"},
			&cli.StringFlag{Name: "max-memory", Value: "512MiB", Usage: "stop a run whose heap grows by more than `SIZE` (bytes, or with KiB, MiB, GiB)"},
			&cli.BoolFlag{Name: "console", Usage: "print what each bundle logged to stderr"},
		}, checkReportFlags(), []cli.Flag{sourceMapFlag(), colorFlag(), maxFileSizeFlag()}),
		Action: m.smoke,
	}
}

func (m *command) smoke(c *cli.Context) error {
	env := sandbox.Env(c.String("env"))
	switch env {
	case "auto":
		env = sandbox.Auto
	case sandbox.Browser, sandbox.Node:
	default:
		return &usageError{fmt.Sprintf("invalid --env %q (want auto, browser or node)", c.String("env")), smokeHint}
	}
	timeout := c.Duration("timeout")
	if timeout <= 0 {
		return &usageError{fmt.Sprintf("invalid --timeout %s (want a positive duration, e.g. 5s)", timeout), smokeHint}
	}
	maxMemory, err := parseSize(c.String("max-memory"))
	if err != nil {
		return &usageError{fmt.Sprintf("invalid --max-memory %q (want bytes, or a number with KiB, MiB or GiB)", c.String("max-memory")), smokeHint}
	}
	// smoke takes neither --rule, --disable nor --jobs: no rule is left
	// out (the configuration's level for startup-error applies) and
	// Workers stays 0.
	r, err := m.setupAnalysis(c, smokeHint)
	if err != nil {
		return err
	}
	if r.opts.SourceMap, err = singleSourceMap(c, r, false); err != nil {
		return err
	}
	if r.opts.Baseline, err = loadBaseline(r, "manglecheck check "); err != nil {
		return err
	}
	opts := sandbox.Options{
		Env:    env,
		Limits: sandbox.Limits{Timeout: timeout, MaxMemory: maxMemory},
		Check:  r.opts,
	}
	if c.Bool("console") {
		opts.Console = func(bundle string, lines []string) {
			for _, l := range lines {
				// The bundle's own text: escaped like the text report's.
				fmt.Fprintf(m.stderr, "%s: console.%s\n", report.Clean(bundle), report.Clean(l))
			}
		}
	}
	res, err := sandbox.Smoke(c.Context, r.inputs, rules.StartupError, opts)
	if err != nil {
		return &usageError{err.Error(), smokeHint}
	}
	if err := m.report(r, res); err != nil {
		return err
	}
	switch {
	case res.Failed():
		return exitError(exitTrouble)
	case r.failsOn(res):
		return exitError(exitFindings)
	}
	return nil
}

// parseSize reads a byte count: "536870912", "512MiB", "1GiB", "64KiB".
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<50)/mult {
		return 0, fmt.Errorf("bad size")
	}
	return n * mult, nil
}
