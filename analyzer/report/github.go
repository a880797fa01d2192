package report

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// GitHub writes GitHub Actions workflow commands, which the runner turns
// into annotations on the pull request's files:
//
//	::error file=src/main.js,line=18,col=9,title=manglecheck name-compare::r.name is compared …%0Abundle: dist/app.js:1:422
//
// located in the original source when the map resolves it (relative to
// the source root: run from the repository root, as actions do), else in
// the bundle. error → ::error, warning → ::warning, info → ::notice. Files
// that could not be analyzed are ::error, their warnings ::warning; the
// summary is a plain log line.
type GitHub struct {
	W io.Writer
	// Dir is the working directory relative to the source root, put in
	// front of relative bundle paths (see SARIF.Dir).
	Dir string
}

// Report writes res.
func (g GitHub) Report(res checker.Result) error {
	w := bufio.NewWriter(g.W)
	for _, f := range res.Findings {
		props := []string{}
		bundle := g.bundlePath(f.Bundle.Path)
		if o := f.Original; o != nil && repoPath(o.Source) {
			props = append(props, "file="+escapeProperty(o.Source), fmt.Sprintf("line=%d", o.Line), fmt.Sprintf("col=%d", o.Column))
		} else {
			props = append(props, "file="+escapeProperty(bundle))
			if f.Bundle.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Bundle.Line), fmt.Sprintf("col=%d", f.Bundle.Column))
			}
		}
		props = append(props, "title="+escapeProperty("manglecheck "+f.Rule))
		// Untrusted text (messages quote the bundle) is cleaned of
		// control characters before our own newlines go in.
		msg := clean(f.Message)
		if f.Bundle.Line > 0 {
			msg += fmt.Sprintf("\nbundle: %s:%d:%d", clean(bundle), f.Bundle.Line, f.Bundle.Column)
		}
		if f.Excerpt != "" {
			msg += "\n" + clean(f.Excerpt)
		}
		fmt.Fprintf(w, "::%s %s::%s\n", ghCommand(f.Severity), strings.Join(props, ","), escapeData(msg))
	}
	for _, f := range res.Files {
		file := "file=" + escapeProperty(g.bundlePath(f.Path)) + ",title=" + escapeProperty("manglecheck")
		if f.Error != nil {
			fmt.Fprintf(w, "::error %s::%s\n", file, escapeData("could not be analyzed: "+clean(trimPath(*f.Error, f.Path))))
		}
		for _, warn := range f.Warnings {
			fmt.Fprintf(w, "::warning %s::%s\n", file, escapeData(clean(trimPath(warn, f.Path))))
		}
	}
	// A plain line; "::" at its start would make it a command.
	fmt.Fprintln(w, "manglecheck: "+clean(summary(res, 0)))
	return w.Flush()
}

func (g GitHub) bundlePath(p string) string {
	p = filepath.ToSlash(p)
	if path.IsAbs(p) {
		return p
	}
	return path.Join(dirOrDot(g.Dir), p)
}

func ghCommand(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData and escapeProperty follow @actions/core (toolkit
// packages/core/src/command.ts): the runner decodes %25, %0D and %0A in a
// command's message, and also %3A and %2C in its properties, where ':'
// and ',' are delimiters. Escaping newlines also keeps a message from
// starting a forged "::command" line of its own.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
