package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/diff"
)

const diffHint = "Run 'manglecheck diff --help' for usage."

func (m *command) diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "compare two builds: new findings, changed bundles, names that lost their pinning, products released",
		ArgsUsage: "OLD NEW",
		Description: "OLD and NEW are two builds of a project: files, directories or globs, as for\n" +
			"check. Bundles are paired by their path inside each build, else (content-\n" +
			"hashed chunk names change on every build) by identical content, by the sources\n" +
			"of their source maps (Jaccard similarity at least --min-similarity), without\n" +
			"maps by the strings and long words minifiers leave alone, and last by file\n" +
			"name with hashes blanked and the closest size.\n\n" +
			"The report lists the findings NEW adds (matched by fingerprint, counting\n" +
			"duplicates), in any --format, then, in text, a summary: bundles changed,\n" +
			"added and removed, the products the change releases (each entry bundle with\n" +
			"the chunks it imports) and the names that lost their pinning (kept in OLD,\n" +
			"mangled in NEW: both builds need source maps). --format json adds it as a\n" +
			"\"diff\" object.\n\n" +
			"Fingerprints hold original paths relative to the source root, so a build made\n" +
			"in another directory needs its own: --old-source-root, by default inferred\n" +
			"(for 'diff base/dist dist', base). The configuration's include, exclude and\n" +
			"baseline are not used: the old build is the baseline.\n\n" +
			"Exit status: 0 NEW adds no finding at or above --fail-on, 1 it does,\n" +
			"2 usage error or a file of either build that could not be analyzed.",
		OnUsageError: onUsageError("manglecheck diff --help"),
		Flags: flags(reportFlags("new errors", "when NEW adds findings at or above", "NEW's original sources"), []cli.Flag{
			&cli.StringFlag{Name: "old-source-root", Usage: "OLD's source root `DIR`", DefaultText: "inferred from the build directories"},
			&cli.Float64Flag{Name: "min-similarity", Value: diff.DefaultMinSimilarity, Usage: "pair renamed bundles whose sources (or strings) are at least this similar (`0-1`, Jaccard)"},
			// Each bundle's map is found next to it: no PATH here.
			&cli.StringFlag{Name: "sourcemap", Usage: "none to ignore source maps", DefaultText: "discover"},
			jobsFlag(), colorFlag(),
		}, ruleFlags("run only"), []cli.Flag{maxFileSizeFlag()}),
		Action: m.diff,
	}
}

func (m *command) diff(c *cli.Context) error {
	if c.NArg() != 2 {
		return &usageError{fmt.Sprintf("diff takes two builds, OLD and NEW (got %d paths)", c.NArg()), diffHint}
	}
	r, opts, err := m.diffOptions(c)
	if err != nil {
		return err
	}
	args := c.Args().Slice()
	res, err := diff.Run(c.Context, args[0], args[1], opts)
	if err != nil {
		return &usageError{err.Error(), diffHint}
	}
	// The report is a check report of the findings NEW adds.
	added := res.Added()
	if err := m.writeReport(r, "", func(w io.Writer) error { return m.diffReport(w, r, res, added) }); err != nil {
		return err
	}
	switch {
	case res.Failed():
		return exitError(exitTrouble)
	case r.failsOn(added):
		return exitError(exitFindings)
	}
	return nil
}

// diffOptions parses the flags of diff.
func (m *command) diffOptions(c *cli.Context) (*checkRun, diff.Options, error) {
	r, err := m.setupAnalysis(c, diffHint)
	if err != nil {
		return nil, diff.Options{}, err
	}
	sourceMap := c.String("sourcemap")
	if sourceMap != "" && sourceMap != "none" {
		return nil, diff.Options{}, &usageError{"--sourcemap takes only none here: each bundle's map is found next to it", diffHint}
	}
	minSim := c.Float64("min-similarity")
	if minSim <= 0 || minSim > 1 {
		return nil, diff.Options{}, &usageError{fmt.Sprintf("invalid --min-similarity %g (want more than 0, at most 1)", minSim), diffHint}
	}
	r.opts.SourceMap = sourceMap
	opts := diff.Options{Check: r.opts, MinSimilarity: minSim}
	if dir := c.String("old-source-root"); dir != "" {
		if opts.OldSourceRoot, err = existingDir(dir, "old source root", diffHint); err != nil {
			return nil, diff.Options{}, err
		}
	}
	return r, opts, nil
}

// diffReport writes the report of res: the check report of added in the
// chosen format, followed in text by the summary; JSON embeds the "diff"
// object in the check report.
func (m *command) diffReport(w io.Writer, r *checkRun, res *diff.Result, added checker.Result) error {
	shown := r.shown(added)
	if r.format == "json" {
		return report.WriteJSON(w, diff.NewDocument(res, shown))
	}
	rep, err := m.reporter(r, w)
	if err != nil {
		return err
	}
	if err := rep.Report(shown); err != nil || r.format != "text" {
		return err
	}
	fmt.Fprintln(w)
	return diff.Summary{W: w}.Report(res)
}
