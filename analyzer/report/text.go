// Package report prints a Result: Text for people, JSON for tools.
// Reporters are tiny structs around an io.Writer; they only format what the
// engine computed, already sorted.
package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/manglecheck/manglecheck/analyzer"
)

// ANSI SGR sequences used when Text.Color is set.
const (
	reset  = "\x1b[0m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
)

// Text writes one block per finding, in the file:line:col form editors
// and terminals link to:
//
//	dist/app.js:1:45: error: message [rule-id]
//	  src/user.ts:12:5 UserService
//	  …onstructor.name==="UserService"}…
//
// then the files that could not be analyzed or had warnings, then a summary.
type Text struct {
	W io.Writer
	// Color enables ANSI colours; the caller decides (terminal, NO_COLOR).
	Color bool
}

// Report writes res.
func (t Text) Report(res analyzer.Result) error {
	w := bufio.NewWriter(t.W)
	paint := func(code, s string) string {
		if !t.Color {
			return s
		}
		return code + s + reset
	}
	for _, f := range res.Findings {
		fmt.Fprintf(w, "%s: %s: %s %s\n",
			paint(bold, fmt.Sprintf("%s:%d:%d", clean(f.Bundle.Path), f.Bundle.Line, f.Bundle.Column)),
			paint(severityColor(f.Severity), f.Severity.String()),
			clean(f.Message),
			paint(dim, "["+f.Rule+"]"))
		if o := f.Original; o != nil {
			loc := fmt.Sprintf("%s:%d:%d", clean(o.Source), o.Line, o.Column)
			if o.Name != "" {
				loc += " " + clean(o.Name)
			}
			fmt.Fprintf(w, "  %s\n", paint(cyan, loc))
		}
		if f.Excerpt != "" {
			fmt.Fprintf(w, "  %s\n", paint(dim, clean(f.Excerpt)))
		}
	}
	for _, f := range res.Files {
		path := clean(f.Path)
		if f.Error != nil {
			fmt.Fprintf(w, "%s: %s: %s\n", paint(bold, path), paint(red, "error"), clean(trimPath(*f.Error, f.Path)))
		}
		for _, warn := range f.Warnings {
			fmt.Fprintf(w, "%s: %s: %s\n", paint(bold, path), paint(yellow, "warning"), clean(trimPath(warn, f.Path)))
		}
	}
	fmt.Fprintln(w, summary(res))
	return w.Flush()
}

func severityColor(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return bold + red
	case analyzer.Warning:
		return bold + yellow
	}
	return bold + cyan
}

// summary is the last line: "3 findings (1 error, 2 warnings) in 4 files;
// 1 file could not be analyzed".
func summary(res analyzer.Result) string {
	var count [analyzer.Error + 1]int
	for _, f := range res.Findings {
		if f.Severity <= analyzer.Error {
			count[f.Severity]++
		}
	}
	var b strings.Builder
	b.WriteString(plural(len(res.Findings), "finding", "findings"))
	var parts []string
	if n := count[analyzer.Error]; n > 0 {
		parts = append(parts, plural(n, "error", "errors"))
	}
	if n := count[analyzer.Warning]; n > 0 {
		parts = append(parts, plural(n, "warning", "warnings"))
	}
	if n := count[analyzer.Info]; n > 0 {
		parts = append(parts, plural(n, "info", "info"))
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, " in %s", plural(len(res.Files), "file", "files"))
	failed := 0
	for _, f := range res.Files {
		if f.Error != nil {
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(&b, "; %s could not be analyzed", plural(failed, "file", "files"))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// trimPath drops a leading "path: " from msg: errors are wrapped with the
// file name, which the reporter already prints in front.
func trimPath(msg, path string) string {
	if rest, ok := strings.CutPrefix(msg, path+": "); ok {
		return rest
	}
	return msg
}

// clean makes s safe to print on one terminal line: bundles and source maps
// are untrusted input, and an excerpt carrying "\x1b[2J" or a newline must
// not clear the screen or forge a line of output.
func clean(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if isControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func isControl(r rune) bool {
	// Also the bidi overrides used to make text read other than it runs
	// (CVE-2021-42574, "Trojan Source").
	return unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}
