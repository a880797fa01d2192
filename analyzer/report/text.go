// Package report prints a checker.Result: Text for people, JSON for tools.
// Reporters are tiny structs around an io.Writer; they only format what the
// engine computed, already sorted.
package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundler"
	"github.com/manglecheck/manglecheck/analyzer/checker"
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
//	     11 |   check(x) {
//	   > 12 |     return x.constructor.name === "UserService";
//	        |            ^
//	  …onstructor.name==="UserService"}…
//
// (the code frame when the map has sourcesContent; then each related
// place, see related), then the files that
// could not be analyzed or had warnings, the findings per bundle when
// there are several files, what built the files (builtWith), and a
// summary. A diagnostic about an original
// source with no bundle position (an unused suppression comment) is headed
// by its source position instead.
type Text struct {
	W io.Writer
	// Color enables ANSI colours; the caller decides (terminal, NO_COLOR).
	Color bool
	// Quiet shows only error findings and files that could not be
	// analyzed; the summary says how many findings it left out.
	Quiet bool
}

// Report writes res.
func (t Text) Report(res checker.Result) error {
	w := bufio.NewWriter(t.W)
	paint := func(code, s string) string {
		if !t.Color {
			return s
		}
		return code + s + reset
	}
	hidden := 0
	if t.Quiet {
		shown := make([]analyzer.Finding, 0, len(res.Findings))
		for _, f := range res.Findings {
			if f.Severity >= analyzer.Error {
				shown = append(shown, f)
			}
		}
		hidden = len(res.Findings) - len(shown)
		res.Findings = shown
	}
	for _, f := range res.Findings {
		o := f.Original
		head := fmt.Sprintf("%s:%d:%d", clean(f.Bundle.Path), f.Bundle.Line, f.Bundle.Column)
		if f.Bundle.Line == 0 && o != nil {
			head = fmt.Sprintf("%s:%d:%d", clean(o.Source), o.Line, o.Column)
		}
		confirmed := ""
		if f.Confirmed != nil && *f.Confirmed {
			// check --confirm ran the read and saw the renamed name.
			confirmed = " " + paint(bold, "[confirmed]")
		}
		fmt.Fprintf(w, "%s: %s: %s %s%s\n",
			paint(bold, head),
			paint(severityColor(f.Severity), f.Severity.String()),
			clean(f.Message),
			paint(dim, "["+f.Rule+"]"),
			confirmed)
		if o != nil {
			if f.Bundle.Line == 0 {
				fmt.Fprintf(w, "  %s\n", paint(cyan, "in a source of "+clean(f.Bundle.Path)))
			} else {
				loc := fmt.Sprintf("%s:%d:%d", clean(o.Source), o.Line, o.Column)
				if o.Name != "" {
					loc += " " + clean(o.Name)
				}
				fmt.Fprintf(w, "  %s\n", paint(cyan, loc))
			}
			frame(w, o, paint, severityColor(f.Severity))
		}
		if f.Excerpt != "" {
			fmt.Fprintf(w, "  %s\n", paint(dim, clean(f.Excerpt)))
		}
		related(w, f.Related, paint)
		stack(w, f.Stack, paint)
	}
	for _, f := range res.Files {
		path := clean(f.Path)
		if f.Error != nil {
			fmt.Fprintf(w, "%s: %s: %s\n", paint(bold, path), paint(red, "error"), clean(trimPath(*f.Error, f.Path)))
		}
		if t.Quiet {
			continue
		}
		for _, warn := range f.Warnings {
			fmt.Fprintf(w, "%s: %s: %s\n", paint(bold, path), paint(yellow, "warning"), clean(trimPath(warn, f.Path)))
		}
	}
	if len(res.Files) > 1 {
		for _, b := range perBundle(res.Findings) {
			fmt.Fprintf(w, "%s: %s\n", paint(bold, clean(b.path)), counts(b.findings))
		}
	}
	if !t.Quiet {
		for _, g := range builtWith(res.Files) {
			fmt.Fprintf(w, "%s: %s\n", paint(bold, g.files), g.what)
		}
	}
	fmt.Fprintln(w, summary(res, hidden))
	return w.Flush()
}

// builtGroup is one "built with" line: the files and what built them.
type builtGroup struct{ files, what string }

// builtWith says what built the analyzed files (analyzer/bundler), one
// line per bundler and minifier, with how sure and from what:
//
//	dist/app.js: built with Vite 8 (Rolldown + Oxc); likely, from Oxc's backtick strings
//	all 50 files: built with webpack (terser); certain, from webpack's runtime
//
// A group of more than three files is counted rather than listed. Files
// nothing was recognised in get a line only when others were recognised.
func builtWith(files []checker.FileResult) []builtGroup {
	groups, unknown, analyzed := groupByBundler(files)
	if len(groups) == 0 {
		return nil
	}
	groups = mergeConfigOnly(groups)
	list := func(paths []string) string {
		switch {
		case len(paths) == analyzed && analyzed > 1:
			return fmt.Sprintf("all %d files", analyzed)
		case len(paths) > 3:
			return fmt.Sprintf("%s and %d more", strings.Join(paths[:3], ", "), len(paths)-3)
		}
		return strings.Join(paths, ", ")
	}
	var out []builtGroup
	for _, g := range groups {
		out = append(out, builtGroup{list(g.paths), g.line()})
	}
	if len(unknown) > 0 {
		out = append(out, builtGroup{list(unknown), "bundler not recognised"})
	}
	return out
}

// bundlerGroup is the analyzed files one bundler and minifier built.
type bundlerGroup struct {
	what       string // bundler.Info.String()
	tool       bundler.Tool
	minifier   string
	paths      []string // cleaned for the terminal
	signs      []string // what they were recognised from, each once
	confidence string   // certain unless one file is only likely
}

// groupByBundler groups the analyzed files by what built them, in the
// order of their first file; unknown are the files nothing was
// recognised in, analyzed how many files were analyzed.
func groupByBundler(files []checker.FileResult) (groups []*bundlerGroup, unknown []string, analyzed int) {
	byWhat := map[string]*bundlerGroup{}
	for _, f := range files {
		if f.Error != nil {
			continue
		}
		analyzed++
		if f.Bundler == nil || f.Bundler.String() == "" {
			unknown = append(unknown, clean(f.Path))
			continue
		}
		what := f.Bundler.String()
		g := byWhat[what]
		if g == nil {
			g = &bundlerGroup{what: what, tool: f.Bundler.Bundler, minifier: f.Bundler.Minifier, confidence: string(bundler.Certain)}
			byWhat[what] = g
			groups = append(groups, g)
		}
		g.paths = append(g.paths, clean(f.Path))
		if f.Bundler.Confidence != bundler.Certain {
			g.confidence = string(bundler.Likely)
		}
		if sign := clean(f.Bundler.Sign); sign != "" && !slices.Contains(g.signs, sign) {
			g.signs = append(g.signs, sign)
		}
	}
	return groups, unknown, analyzed
}

// mergeConfigOnly lets a file only the project's configuration file
// recognised (no minifier known) join the one group of the same bundler
// whose minifier its bundles show: small chunks carry fewer signs.
func mergeConfigOnly(groups []*bundlerGroup) []*bundlerGroup {
	var merged []*bundlerGroup
	for _, g := range groups {
		if g.minifier == "" {
			var into *bundlerGroup
			for _, h := range groups {
				if h != g && h.tool == g.tool && h.minifier != "" {
					if into != nil {
						into = nil
						break
					}
					into = h
				}
			}
			if into != nil {
				into.paths = append(into.paths, g.paths...)
				slices.Sort(into.paths)
				into.confidence = string(bundler.Likely)
				for _, sign := range g.signs {
					if !slices.Contains(into.signs, sign) {
						into.signs = append(into.signs, sign)
					}
				}
				continue
			}
		}
		merged = append(merged, g)
	}
	return merged
}

// line is what a "built with" line says of the group.
func (g *bundlerGroup) line() string {
	what := "built with " + g.what + "; " + g.confidence
	// A sign another one already says ("vite.config.ts" in "Oxc's
	// backtick strings and vite.config.ts") is left out.
	var signs []string
	for _, sign := range g.signs {
		if !slices.ContainsFunc(g.signs, func(o string) bool { return o != sign && strings.Contains(o, sign) }) {
			signs = append(signs, sign)
		}
	}
	if len(signs) > 0 {
		slices.Sort(signs)
		what += ", from " + strings.Join(signs, "; ")
	}
	return what
}

// stack prints a runtime finding's JavaScript stack the way V8 does,
// at original positions when the map has them:
//
//	at start (src/main.js:16:49)
//	at src/main.js:20:1
func stack(w io.Writer, frames []analyzer.Frame, paint func(code, s string) string) {
	for _, fr := range frames {
		loc := "built-in"
		switch {
		case fr.Original != nil:
			loc = fmt.Sprintf("%s:%d:%d", clean(fr.Original.Source), fr.Original.Line, fr.Original.Column)
		case fr.Bundle != nil:
			loc = fmt.Sprintf("%s:%d:%d", clean(fr.Bundle.Path), fr.Bundle.Line, fr.Bundle.Column)
		}
		if fr.Func == "" {
			fmt.Fprintf(w, "    %s\n", paint(dim, "at "+loc))
			continue
		}
		fmt.Fprintf(w, "    %s\n", paint(dim, "at "+clean(fr.Func)+" ("+loc+")"))
	}
}

type bundleCount struct {
	path     string
	findings []analyzer.Finding
}

// perBundle groups findings (sorted by bundle) by bundle.
func perBundle(fs []analyzer.Finding) []bundleCount {
	var out []bundleCount
	for _, f := range fs {
		if n := len(out); n > 0 && out[n-1].path == f.Bundle.Path {
			out[n-1].findings = append(out[n-1].findings, f)
			continue
		}
		out = append(out, bundleCount{f.Bundle.Path, []analyzer.Finding{f}})
	}
	return out
}

// related writes the other places of a finding, each with its position
// and code frame:
//
//	related: the class is passed here
//	dist/app.js:1:310 = src/main.ts:9:12
//	> 9 | register(UserService);
//	    |          ^
func related(w io.Writer, locs []analyzer.Location, paint func(code, s string) string) {
	for _, r := range locs {
		fmt.Fprintf(w, "  %s %s\n", paint(cyan, "related:"), clean(r.Message))
		loc := fmt.Sprintf("%s:%d:%d", clean(r.Bundle.Path), r.Bundle.Line, r.Bundle.Column)
		if o := r.Original; o != nil {
			loc += fmt.Sprintf(" = %s:%d:%d", clean(o.Source), o.Line, o.Column)
		}
		fmt.Fprintf(w, "  %s\n", paint(cyan, loc))
		if r.Original != nil {
			frame(w, r.Original, paint, cyan)
		}
	}
}

// frame prints the original source lines of o with a caret under the
// column, the way compilers show them:
//
//	  17 |   } catch (err) {
//	> 18 |     if (err.name === "ConfigError") {
//	     |         ^
func frame(w io.Writer, o *analyzer.Original, paint func(code, s string) string, caretColor string) {
	if len(o.Lines) == 0 || o.Line < len(o.Lines) {
		return
	}
	first := o.Line - len(o.Lines) + 1
	width := len(fmt.Sprint(o.Line))
	for i, line := range o.Lines {
		n := first + i
		text, caret := window(line, o.Column)
		marker := "  "
		if n == o.Line {
			marker = paint(bold, ">") + " "
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %s%s %s", marker, paint(dim, fmt.Sprintf("%*d |", width, n)), clean(text)), " "))
		if n == o.Line && caret >= 0 {
			fmt.Fprintf(w, "    %s %s%s\n", paint(dim, strings.Repeat(" ", width)+" |"), strings.Repeat(" ", caret), paint(caretColor, "^"))
		}
	}
}

// window cuts a long line to about 100 characters around col (1-based,
// UTF-16 code units) and returns it with the caret's position in it, in
// runes (-1 when col is past the end).
func window(line string, col int) (string, int) {
	runes := []rune(line)
	caret, units := -1, 0
	for i, r := range runes {
		if units >= col-1 {
			caret = i
			break
		}
		units++
		if r > 0xFFFF {
			units++
		}
	}
	if caret < 0 && units >= col-1 {
		caret = len(runes)
	}
	const max, before = 100, 40
	if len(runes) <= max {
		return line, caret
	}
	from := 0
	if caret > before {
		from = caret - before
	}
	to := min(len(runes), from+max)
	out := string(runes[from:to])
	if to < len(runes) {
		out += "…"
	}
	if from > 0 {
		out = "…" + out
		caret = caret - from + 1
	}
	return out, caret
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

// counts is "3 findings (1 error, 2 warnings)".
func counts(fs []analyzer.Finding) string {
	return Plural(len(fs), "finding", "findings") + Severities(fs)
}

// Severities is " (1 error, 2 warnings)": how many findings of fs have
// each severity, or "" for none.
func Severities(fs []analyzer.Finding) string {
	var count [analyzer.Error + 1]int
	for _, f := range fs {
		if f.Severity <= analyzer.Error {
			count[f.Severity]++
		}
	}
	var parts []string
	if n := count[analyzer.Error]; n > 0 {
		parts = append(parts, Plural(n, "error", "errors"))
	}
	if n := count[analyzer.Warning]; n > 0 {
		parts = append(parts, Plural(n, "warning", "warnings"))
	}
	if n := count[analyzer.Info]; n > 0 {
		parts = append(parts, Plural(n, "info", "info"))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// summary is the last line: "3 findings (1 error, 2 warnings) in 4 files;
// 1 file could not be analyzed; 2 suppressed; 5 in the baseline".
func summary(res checker.Result, hidden int) string {
	var b strings.Builder
	b.WriteString(counts(res.Findings))
	fmt.Fprintf(&b, " in %s", Plural(len(res.Files), "file", "files"))
	failed := 0
	for _, f := range res.Files {
		if f.Error != nil {
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(&b, "; %s could not be analyzed", Plural(failed, "file", "files"))
	}
	if hidden > 0 {
		fmt.Fprintf(&b, "; %d below error not shown (--quiet)", hidden)
	}
	if res.Suppressed > 0 {
		fmt.Fprintf(&b, "; %d suppressed by comments", res.Suppressed)
	}
	if res.Baselined > 0 {
		fmt.Fprintf(&b, "; %d in the baseline", res.Baselined)
	}
	return b.String()
}

// Plural is n with the singular or plural noun: "1 finding", "2 findings".
func Plural(n int, one, many string) string {
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
