// Package esbuildplugin runs manglecheck inside an esbuild build (Go API):
// when the build ends, it analyzes the output files with their source
// maps — from memory, so builds with Write: false work too — and fails
// the build when there are findings at or above a severity.
//
//	api.Build(api.BuildOptions{
//		…,
//		Plugins: []api.Plugin{esbuildplugin.New(esbuildplugin.Options{
//			Analyzer: checker.Options{Rules: rules.All()},
//			FailOn:   analyzer.Error,
//		})},
//	})
//
// Findings become esbuild messages located in the original source when
// the map resolves it (else in the bundle), with the rule ID as the
// message ID: errors fail the build, the rest are warnings.
package esbuildplugin

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// Name is the plugin's name in esbuild's messages.
const Name = "manglecheck"

// Options configure the plugin.
type Options struct {
	// Analyzer configures the analysis like the CLI's flags and
	// manglecheck.json do; Rules is required (rules.All()).
	Analyzer checker.Options
	// FailOn is the lowest severity reported as a build error; findings
	// below it are warnings. 0 never fails the build. A file manglecheck
	// cannot analyze is an error unless FailOn is 0: never "clean" by
	// accident.
	FailOn analyzer.Severity
	// Report, when set, gets the result of every build, e.g. to print it
	// with report.Text or write SARIF.
	Report func(checker.Result)
}

// New returns the plugin.
func New(opts Options) api.Plugin {
	return api.Plugin{
		Name: Name,
		Setup: func(b api.PluginBuild) {
			wd := b.InitialOptions.AbsWorkingDir
			b.OnEnd(func(res *api.BuildResult) (api.OnEndResult, error) {
				if len(res.Errors) > 0 {
					return api.OnEndResult{}, nil // nothing worth analyzing
				}
				return check(res.OutputFiles, wd, opts)
			})
		},
	}
}

func check(outputs []api.OutputFile, wd string, opts Options) (api.OnEndResult, error) {
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return api.OnEndResult{}, err
		}
	}
	sources := bundles(outputs, wd)
	if len(sources) == 0 {
		return api.OnEndResult{}, nil
	}
	res, err := checker.CheckFiles(context.Background(), sources, opts.Analyzer)
	if err != nil {
		return api.OnEndResult{}, fmt.Errorf("manglecheck: %w", err)
	}
	if opts.Report != nil {
		opts.Report(res)
	}
	var out api.OnEndResult
	for _, f := range res.Files {
		if f.Error == nil {
			continue
		}
		msg := api.Message{PluginName: Name, Text: "could not analyze " + f.Path + ": " + strings.TrimPrefix(*f.Error, f.Path+": ")}
		if opts.FailOn != 0 {
			out.Errors = append(out.Errors, msg)
		} else {
			out.Warnings = append(out.Warnings, msg)
		}
	}
	for _, f := range res.Findings {
		msg := message(f)
		if opts.FailOn != 0 && f.Severity >= opts.FailOn {
			out.Errors = append(out.Errors, msg)
		} else {
			out.Warnings = append(out.Warnings, msg)
		}
	}
	return out, nil
}

// bundles pairs the JavaScript outputs with their maps, named relative to
// the working directory.
func bundles(outputs []api.OutputFile, wd string) []checker.Source {
	maps := map[string][]byte{}
	for _, f := range outputs {
		if strings.HasSuffix(f.Path, ".map") {
			maps[strings.TrimSuffix(f.Path, ".map")] = f.Contents
		}
	}
	var out []checker.Source
	for _, f := range outputs {
		switch filepath.Ext(f.Path) {
		case ".js", ".mjs", ".cjs":
		default:
			continue
		}
		name := f.Path
		if rel, err := filepath.Rel(wd, f.Path); err == nil && !strings.HasPrefix(rel, "..") {
			name = rel
		}
		out = append(out, checker.Source{
			Path:     filepath.ToSlash(name),
			Contents: f.Contents,
			Map:      maps[f.Path],
			MapPath:  filepath.ToSlash(name) + ".map",
		})
	}
	return out
}

// message turns a finding into an esbuild message, at the original
// position when known. esbuild columns are 0-based bytes; ours count
// UTF-16 units from 1.
func message(f analyzer.Finding) api.Message {
	m := api.Message{ID: f.Rule, PluginName: Name, Text: f.Message}
	if o := f.Original; o != nil && o.Source != "" {
		line := ""
		if len(o.Lines) > 0 {
			line = o.Lines[len(o.Lines)-1]
		}
		m.Location = &api.Location{File: o.Source, Line: o.Line, Column: byteColumn(line, o.Column), LineText: line}
		if f.Bundle.Line > 0 {
			m.Notes = append(m.Notes, api.Note{Text: fmt.Sprintf("in the bundle at %s:%d:%d: %s", f.Bundle.Path, f.Bundle.Line, f.Bundle.Column, f.Excerpt)})
		}
	} else {
		m.Location = &api.Location{File: f.Bundle.Path, Line: f.Bundle.Line, Column: max(f.Bundle.Column-1, 0)}
	}
	m.Notes = append(m.Notes, api.Note{Text: fmt.Sprintf("manglecheck explain %s", f.Rule)})
	return m
}

// byteColumn converts a 1-based UTF-16 column of line to a 0-based byte
// offset (col-1 when the line is not known).
func byteColumn(line string, col int) int {
	if line == "" {
		return max(col-1, 0)
	}
	units := 0
	for i, r := range line {
		if units >= col-1 {
			return i
		}
		units += len(utf16.Encode([]rune{r}))
	}
	return len(line)
}
