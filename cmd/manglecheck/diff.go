package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/diff"
	"github.com/manglecheck/manglecheck/analyzer/report"
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
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text, json, sarif (GitHub code scanning) or github (Actions annotations)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of stdout"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "report only new errors (the exit status still follows --fail-on)"},
			&cli.StringFlag{Name: "fail-on", Value: "error", Usage: "exit 1 when NEW adds findings at or above `SEVERITY`: error, warning, info or never", DefaultText: "error, or failOn in the configuration"},
			&cli.StringFlag{Name: "config", Usage: "configuration `FILE`", DefaultText: "manglecheck.json found from the working directory up"},
			&cli.StringFlag{Name: "source-root", Usage: "report NEW's original sources relative to `DIR`", DefaultText: "the working directory"},
			&cli.StringFlag{Name: "old-source-root", Usage: "OLD's source root `DIR`", DefaultText: "inferred from the build directories"},
			&cli.Float64Flag{Name: "min-similarity", Value: diff.DefaultMinSimilarity, Usage: "pair renamed bundles whose sources (or strings) are at least this similar (`0-1`, Jaccard)"},
			&cli.StringFlag{Name: "sourcemap", Usage: "none to ignore source maps", DefaultText: "discover"},
			&cli.IntFlag{Name: "jobs", Usage: "analyze `N` files at once", DefaultText: "one per core"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour the text output: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never"},
			&cli.StringSliceFlag{Name: "rule", Usage: "run only rule `ID` (repeatable)"},
			&cli.StringSliceFlag{Name: "disable", Usage: "do not run rule `ID` (repeatable)"},
			&cli.Int64Flag{Name: "max-file-size", Value: analyzer.DefaultMaxFileSize, Usage: "refuse files larger than `BYTES` (an error for that file)", DefaultText: "16777216 = 16 MiB"},
		},
		Action: m.diff,
	}
}

func (m *command) diff(c *cli.Context) error {
	if c.NArg() != 2 {
		return &usageError{fmt.Sprintf("diff takes two builds, OLD and NEW (got %d paths)", c.NArg()), diffHint}
	}
	r, err := m.setupAnalysis(c, diffHint)
	if err != nil {
		return err
	}
	if _, err := m.color(r.color); err != nil {
		return err
	}
	sourceMap := c.String("sourcemap")
	if sourceMap != "" && sourceMap != "none" {
		return &usageError{"--sourcemap takes only none here: each bundle's map is found next to it", diffHint}
	}
	minSim := c.Float64("min-similarity")
	if minSim <= 0 || minSim > 1 {
		return &usageError{fmt.Sprintf("invalid --min-similarity %g (want more than 0, at most 1)", minSim), diffHint}
	}
	r.opts.SourceMap = sourceMap
	opts := diff.Options{Check: r.opts, MinSimilarity: minSim}
	if dir := c.String("old-source-root"); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return &usageError{fmt.Sprintf("old source root %s is not a directory", dir), diffHint}
		}
		opts.OldSourceRoot = abs
	}
	args := c.Args().Slice()
	res, err := diff.Run(c.Context, args[0], args[1], opts)
	if err != nil {
		return &usageError{err.Error(), diffHint}
	}

	// The report is a check report of the findings NEW adds; files that
	// could not be analyzed in OLD are listed too (they make the exit
	// status 2).
	added := analyzer.Result{Files: append([]analyzer.FileResult{}, res.New.Files...), Findings: res.NewFindings, Suppressed: res.New.Suppressed}
	for _, f := range res.Old.Files {
		if f.Error != nil {
			added.Files = append(added.Files, f)
		}
	}
	if r.quiet && r.format != "text" {
		added.Findings = errorsOnly(added.Findings)
	}
	err = m.writeReport(r, func(w io.Writer) error {
		switch r.format {
		case "text":
			rep, err := m.reporter(r, w)
			if err != nil {
				return err
			}
			if err := rep.Report(added); err != nil {
				return err
			}
			fmt.Fprintln(w)
			return diff.Summary{W: w}.Report(res)
		case "json":
			var buf bytes.Buffer
			if err := (report.JSON{W: &buf}).Report(added); err != nil {
				return err
			}
			return spliceJSON(w, buf.Bytes(), "diff", diff.NewJSON(res))
		}
		rep, err := m.reporter(r, w)
		if err != nil {
			return err
		}
		return rep.Report(added)
	})
	if err != nil {
		return err
	}
	switch {
	case res.Failed():
		return exitError(exitTrouble)
	case r.failOn != 0 && hasFindingAtLeast(added, r.failOn):
		return exitError(exitFindings)
	}
	return nil
}

// writeReport writes through write to stdout or --output.
func (m *command) writeReport(r *checkRun, write func(io.Writer) error) error {
	out := io.Writer(m.stdout)
	var file *atomicFile
	if r.output != "" && r.output != "-" {
		f, err := m.createOutput(r.output)
		if err != nil {
			return &usageError{fmt.Sprintf("--output: %v", err), ""}
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

// spliceJSON writes the JSON object doc (as report.JSON wrote it: indented
// by two spaces, ending in "}\n") with one more member, key: value, at its
// end, indented alike. The check report's shape stays exactly as it is.
func spliceJSON(w io.Writer, doc []byte, key string, value any) error {
	body := bytes.TrimRight(doc, "\n")
	if !bytes.HasSuffix(body, []byte("}")) {
		return fmt.Errorf("not a JSON object")
	}
	body = bytes.TrimRight(body[:len(body)-1], "\n ")
	var v bytes.Buffer
	enc := json.NewEncoder(&v)
	enc.SetIndent("  ", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err != nil {
		return err
	}
	k, _ := json.Marshal(key)
	var out bytes.Buffer
	out.Write(body)
	out.WriteString(",\n  ")
	out.Write(k)
	out.WriteString(": ")
	out.Write(bytes.TrimRight(v.Bytes(), "\n"))
	out.WriteString("\n}\n")
	_, err := w.Write(out.Bytes())
	return err
}
