package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/bundler"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// filteredOut says which globs left no file to check.
func filteredOut(r *checkRun) string {
	list := func(globs []string) string {
		if len(globs) == 0 {
			return "none"
		}
		return strings.Join(globs, ", ")
	}
	return fmt.Sprintf("include/exclude filtered out every file of %s (include: %s; exclude: %s); fix the globs, or name the bundles on the command line",
		strings.Join(r.inputs, ", "), list(r.opts.Include), list(r.opts.Exclude))
}

// noneExists reports whether no input names an existing path (a glob
// counts as existing: it is the engine's to say it matched nothing).
func noneExists(inputs []string) bool {
	for _, in := range inputs {
		if strings.ContainsAny(in, "*?[") {
			return false
		}
		if _, err := os.Stat(in); err == nil {
			return false
		}
	}
	return true
}

// confirmedBreaks counts the findings --confirm saw happen at runtime.
func confirmedBreaks(res checker.Result) int {
	n := 0
	for _, f := range res.Findings {
		if f.Confirmed != nil && *f.Confirmed {
			n++
		}
	}
	return n
}

// hintMissingMaps prints one line when minified bundles were checked
// without a source map (findings then point into minified code), saying
// how to turn maps on in the project's bundler. Not when --sourcemap none
// asked for it.
func (m *command) hintMissingMaps(r *checkRun, res checker.Result, sourceMap string) {
	if sourceMap == "none" {
		return
	}
	var paths []string
	var built bundler.Tool // what the engine recognised from the first such bundle
	for _, f := range res.Files {
		if f.Error == nil && f.Minified && f.SourceMap == nil {
			paths = append(paths, f.Path)
			if built == "" && f.Bundler != nil {
				built = f.Bundler.Bundler
			}
		}
	}
	if len(paths) == 0 {
		return
	}
	p := bundler.FindProject(filepath.Dir(paths[0]))
	if p.Tool == "" {
		p.Tool = built
	}
	what := paths[0] + " is minified and has no source map"
	if len(paths) > 1 {
		what = fmt.Sprintf("%d minified bundles have no source map (%s, …)", len(paths), paths[0])
	}
	fmt.Fprintf(m.stderr, "manglecheck: hint: %s, so findings point into minified code: %s\n", what, bundler.MapHint(p.Tool, rel(p.Config)))
}

// rel is path relative to the working directory when that is shorter.
func rel(path string) string {
	if path == "" {
		return ""
	}
	if wd, err := filepath.Abs("."); err == nil {
		if r, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(path)
}
