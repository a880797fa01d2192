package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/suggest"
)

const suggestHint = "Run 'manglecheck suggest --help' for usage."

func (m *command) suggestCommand() *cli.Command {
	return &cli.Command{
		Name:      "suggest",
		Usage:     "print the smallest minifier configuration (and the code changes) that fix the findings",
		ArgsUsage: "PATH...",
		Description: "Checks PATH as check does, then prints, per minifier, the options that fix\n" +
			"the findings and what they cannot fix: esbuild keepNames (with how many names\n" +
			"it pins and roughly how many bytes that adds) and reserveProps; terser\n" +
			"keep_classnames / keep_fnames as a RegExp of exactly the names relied on, and\n" +
			"mangle.reserved; swc's keep_classnames / keep_fnames (booleans: swc takes no\n" +
			"RegExp) and mangle.reserved; uglify-js keep_fnames (a boolean) and\n" +
			"mangle.reserved; property-mangling reserved lists. Then the code change that\n" +
			"fixes each finding with no configuration at all.\n\n" +
			"Which names an option keeps depends on how the bundle spells each function:\n" +
			"terser's keep_classnames keeps nothing for `var X = class {}` (how esbuild\n" +
			"bundles a class); the advice says so per name. Without source maps the\n" +
			"original names are unknown.\n\n" +
			"Exit status: 0, or 2 on a usage error or a file that could not be analyzed\n" +
			"(the suggestion for the others is still printed).",
		OnUsageError: onUsageError("manglecheck suggest --help"),
		Flags: flags([]cli.Flag{
			formatFlag("text or json"),
			outputFlag("suggestion"),
			configFlag(),
			sourceRootFlag("original sources"),
			baselineFlag("leave out findings recorded in"),
			sourceMapFlag(), jobsFlag(),
		}, ruleFlags("consider only"), []cli.Flag{maxFileSizeFlag()}),
		Action: m.suggest,
	}
}

func (m *command) suggest(c *cli.Context) error {
	format := c.String("format")
	if format != "text" && format != "json" {
		return &usageError{fmt.Sprintf("invalid --format %q (want text or json)", format), suggestHint}
	}
	r, err := m.setupAnalysis(c, suggestHint)
	if err != nil {
		return err
	}
	if r.opts.SourceMap, err = singleSourceMap(c, r, false); err != nil {
		return err
	}
	r.opts.Facts = true
	res, err := m.analyze(c.Context, r)
	if err != nil {
		return err
	}
	s := suggest.Suggest(res)
	err = m.writeReport(r, "", func(w io.Writer) error {
		if format == "json" {
			return suggest.JSON{W: w}.Report(s)
		}
		return suggest.Text{W: w}.Report(s)
	})
	if err != nil {
		return err
	}
	if res.Failed() {
		return exitError(exitTrouble)
	}
	return nil
}
