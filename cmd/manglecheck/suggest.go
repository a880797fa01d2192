package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/suggest"
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
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text or json"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the suggestion to `FILE` instead of stdout"},
			&cli.StringFlag{Name: "config", Usage: "configuration `FILE`", DefaultText: "manglecheck.json found from the working directory up"},
			&cli.StringFlag{Name: "source-root", Usage: "report original sources relative to `DIR`", DefaultText: "the working directory"},
			&cli.StringFlag{Name: "baseline", Usage: "leave out findings recorded in baseline `FILE` (none: ignore the configuration's)"},
			&cli.StringFlag{Name: "sourcemap", Usage: "source map `PATH` for the single input, or none to ignore maps", DefaultText: "discover"},
			&cli.IntFlag{Name: "jobs", Usage: "analyze `N` files at once", DefaultText: "one per core"},
			&cli.StringSliceFlag{Name: "rule", Usage: "consider only rule `ID` (repeatable)"},
			&cli.StringSliceFlag{Name: "disable", Usage: "do not run rule `ID` (repeatable)"},
			&cli.Int64Flag{Name: "max-file-size", Value: analyzer.DefaultMaxFileSize, Usage: "refuse files larger than `BYTES` (an error for that file)", DefaultText: "16777216 = 16 MiB"},
		},
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
	sourceMap := c.String("sourcemap")
	if sourceMap != "" && sourceMap != "none" && len(r.inputs) != 1 {
		return &usageError{"--sourcemap PATH needs exactly one input bundle", "Leave it out to find each bundle's map, or use --sourcemap none."}
	}
	r.opts.SourceMap = sourceMap
	r.opts.Facts = true
	res, err := m.analyze(c.Context, r)
	if err != nil {
		return err
	}
	s := suggest.Suggest(res)
	err = m.writeReport(r, func(w io.Writer) error {
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
