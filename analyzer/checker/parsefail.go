package checker

import (
	"errors"
	"fmt"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/analyzer/policy"
	"github.com/manglecheck/manglecheck/analyzer/sniff"
)

// parseFailed is the result of a bundle that could not be parsed: the
// error in its FileResult, which fails the run (exit 2), and a parse-error
// finding at the syntax error, so that reports made of findings (SARIF
// results, annotations, baselines) show the file instead of skipping it.
// With Options.AllowParseErrors the error is a warning of the file and
// the finding a warning: the run no longer fails because of it.
func parseFailed(fr FileResult, err error, src string, opts Options, p *policy.Policy) (FileResult, []analyzer.Finding) {
	msg := err.Error()
	if opts.AllowParseErrors {
		fr.Warnings = append(fr.Warnings, "not analyzed: "+msg)
	} else {
		fr.Error = &msg
	}
	if p.Disabled(analyzer.ParseError.ID) {
		return fr, nil
	}
	text, off := msg, 0
	var pe *parse.Error
	if errors.As(err, &pe) {
		text, off = pe.Msg, max(pe.Offset, 0)
	}
	var notJS *sniff.Error
	isNotJS := errors.As(err, &notJS)
	li := lines.New(src)
	line, col := li.Position(off)
	sev, tail := analyzer.Error, "If the build truncated it or it is not JavaScript, fix the build; if it is valid code the parser does not support, exclude it or pass --allow-parse-errors."
	if opts.AllowParseErrors {
		sev, tail = analyzer.Warning, "Allowed by --allow-parse-errors."
	}
	message := fmt.Sprintf("cannot parse the bundle, so nothing in it was checked: %s. %s", text, tail)
	if isNotJS {
		// Not JavaScript at all (a source map, a page): a plain sentence,
		// no parser error at 1:1.
		message = notJS.Why + "."
		if opts.AllowParseErrors {
			message += " " + tail
		}
	}
	f := analyzer.Finding{
		Rule:     analyzer.ParseError.ID,
		Severity: p.Level(analyzer.ParseError.ID, sev),
		Message:  message,
		Bundle:   analyzer.Position{Path: fr.Path, Line: line + 1, Column: col + 1},
		Offset:   off,
		Excerpt:  excerpt(li.Line(line), off-li.LineStart(line)),
	}
	f.Fingerprint = p.File(policy.Bundle{Path: fr.Path, Src: src, Lines: li}).Fingerprint(&f)
	return fr, []analyzer.Finding{f}
}

// mapLimit is the largest source map read for a bundle of bundleLen bytes:
// up to the file size limit whatever the bundle's size (a small chunk's
// map carries whole sources: a 21 KB Rollup chunk of the real-world
// fixtures has a 2.4 MB map), beyond it up to 32 times the bundle, and
// never more than 16 times the limit. A map decodes into up to ~12 times
// its size (100 MB of one-character segments take 1.1 GB), so a small
// bundle cannot make the engine load an arbitrarily large one.
func mapLimit(bundleLen int, opts Options) int64 {
	limit := maxFileSize(opts)
	return min(16*limit, max(limit, 32*int64(bundleLen)))
}
