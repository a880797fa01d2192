package checker

import (
	"context"
	"maps"
	"slices"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/load"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/analyzer/policy"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// Runtime findings come from running a bundle (package sandbox, the smoke
// command) instead of from a rule reading the AST. The sandbox knows where
// things happened as byte offsets in bundle files; Runtime positions them
// the way Check positions rule findings (lines, UTF-16 columns, the
// bundle's source map, excerpts, code frames, fingerprints) and applies
// the same configuration (severities, disabled rules, suppression
// comments, source root, baseline), so every reporter prints them alike.

// RuntimeReport is one problem a run found.
type RuntimeReport struct {
	Rule    *analyzer.Rule
	Message string
	// Path is the bundle file it happened in, Pos the byte offset there;
	// Pos is -1 when the run gave no position (the finding is then put at
	// the start of Path).
	Path string
	Pos  int
	// Name is the original name of the function it happened in, when the
	// sandbox could map it.
	Name string
	// Stack is the call stack, innermost call first.
	Stack []RuntimeFrame
}

// RuntimeFrame is one call of a RuntimeReport's stack.
type RuntimeFrame struct {
	// Func is the function's original name when the sandbox could map
	// it, else its runtime name; "" for top-level code.
	Func string
	// Path and Pos locate the call in a bundle file (byte offset); Path
	// is "" for built-in functions and eval code.
	Path string
	Pos  int
}

// RuntimeFile is one bundle file a run covered: the bundles that were run
// and the files (code-split chunks) they loaded.
type RuntimeFile struct {
	Path string
	// Program is goja's AST of the file's own text when the caller has
	// it (a script the sandbox compiled as it is): Runtime then does not
	// parse the file again to tell whether it looks minified.
	Program *ast.Program
	// Error is why the file could not be run; "" when it was.
	Error string
	// Warnings are problems that did not stop the run.
	Warnings []string
}

// Bundles lists the bundle files Check would analyze for inputs (see
// package load), filtered by Options.Include and Exclude. Inputs that
// match nothing or cannot be read come back as failed FileResults; the
// error is for usage problems only.
func Bundles(inputs []string, opts Options) ([]string, []FileResult, error) {
	paths, failed, err := expandInputs(inputs)
	if err != nil {
		return nil, nil, err
	}
	p, err := policy.New(opts.policyConfig())
	if err != nil {
		return nil, nil, err
	}
	var out []string
	for _, path := range paths {
		if p.Selected(path) {
			out = append(out, path)
		}
	}
	return out, failed, nil
}

// Runtime positions the reports of a run over files and returns them as a
// Result, sorted like Check's. It reads every file again (at most
// Options.MaxFileSize bytes) and its source map as Options.SourceMap says.
// Reports of a rule in Options.Disable are dropped. failed are inputs that
// could not even be listed (from Bundles). The error is for usage
// problems only.
func Runtime(ctx context.Context, files []RuntimeFile, failed []FileResult, reports []RuntimeReport, opts Options) (Result, error) {
	p, err := policy.New(opts.policyConfig())
	if err != nil {
		return Result{}, err
	}
	rt := &runtimeFiles{opts: opts, p: p, byPath: map[string]*runtimeFile{}, programs: map[string]*ast.Program{}}
	res := Result{Files: failed}
	for _, f := range files {
		rt.programs[f.Path] = f.Program
	}
	for _, f := range files {
		rf := rt.file(f.Path)
		if f.Error != "" {
			msg := f.Error
			rf.fr.Error = &msg
		}
		rf.fr.Warnings = append(rf.fr.Warnings, f.Warnings...)
		rf.listed = true
	}
	byFile := map[*runtimeFile][]analyzer.Finding{}
	for _, r := range reports {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if r.Rule == nil || p.Disabled(r.Rule.ID) {
			continue
		}
		rf := rt.file(r.Path)
		f := rf.finding(r.Pos)
		f.Rule, f.Severity, f.Message, f.Name = r.Rule.ID, r.Rule.Severity, r.Message, r.Name
		if f.Original != nil && r.Name != "" {
			f.Original.Name = r.Name
		}
		for _, fr := range r.Stack {
			fm := analyzer.Frame{Func: fr.Func}
			if fr.Path != "" {
				at := rt.file(fr.Path).finding(fr.Pos)
				b := at.Bundle
				fm.Bundle, fm.Original = &b, at.Original
				if fm.Original != nil {
					fm.Original.Name = fr.Func
				}
			}
			f.Stack = append(f.Stack, fm)
		}
		byFile[rf] = append(byFile[rf], f)
	}
	for _, path := range slices.Sorted(maps.Keys(rt.byPath)) {
		rf := rt.byPath[path]
		if rf.listed || len(byFile[rf]) > 0 {
			res.Files = append(res.Files, rf.fr)
		}
		if fs := byFile[rf]; len(fs) > 0 {
			fc := p.File(policy.Bundle{Path: rf.fr.Path, Src: rf.src, Lines: rf.lines, Map: rf.sm, MapPath: rf.where, MaxSize: maxFileSize(opts)})
			res.Findings = append(res.Findings, fc.Apply(fs)...)
		}
	}
	sortFiles(res.Files)
	sortFindings(res.Findings)
	if opts.Baseline != nil {
		res.Findings, res.Baselined = opts.Baseline.Apply(res.Findings)
	}
	return res, nil
}

type runtimeFiles struct {
	opts     Options
	p        *policy.Policy
	byPath   map[string]*runtimeFile
	programs map[string]*ast.Program
}

// runtimeFile is a bundle file read for positioning, with its map.
type runtimeFile struct {
	fr     FileResult
	src    string
	lines  *lines.Index
	sm     *sourcemap.Map
	where  string
	listed bool // named in Runtime's files
	root   string
}

// file reads path and its map once. A file that cannot be read keeps
// its error in the FileResult; its findings get no line or column.
func (rt *runtimeFiles) file(path string) *runtimeFile {
	if rf := rt.byPath[path]; rf != nil {
		return rf
	}
	rf := &runtimeFile{fr: FileResult{Path: path}, root: rt.p.SourceRoot()}
	rt.byPath[path] = rf
	data, err := load.ReadFile(path, maxFileSize(rt.opts))
	if err != nil {
		msg := err.Error()
		rf.fr.Error = &msg
		rf.lines = lines.New("")
		return rf
	}
	rf.fr.Bytes = int64(len(data))
	rf.src = string(data)
	rf.lines = lines.New(rf.src)
	// Module and Minified as Check reports them; a bundle goja cannot
	// parse was still run (after linking or lowering), so it is no error.
	if prg := rt.programs[path]; prg != nil {
		rf.fr.Minified = looksMinified(rf.src, rf.lines, scope.Build(prg, scope.Options{}))
	} else if parsed, err := parse.Parse(path, rf.src); err == nil {
		rf.fr.Module = parsed.Module != nil
		sc := scope.Build(parsed.Program, scope.Options{Module: parsed.Module != nil})
		rf.fr.Minified = looksMinified(rf.src, rf.lines, sc)
	}
	sm, where, warn := loadMap(path, data, rt.opts)
	if warn != "" {
		rf.fr.Warnings = append(rf.fr.Warnings, warn)
	}
	if sm != nil {
		rf.sm, rf.where = sm, where
		rf.fr.SourceMap = &where
	}
	return rf
}

// finding is a Finding positioned at byte offset off of the file, with
// its excerpt and original position; off < 0 is the start of the file.
func (rf *runtimeFile) finding(off int) analyzer.Finding {
	off = max(0, min(off, len(rf.src)))
	line, col := rf.lines.Position(off)
	f := analyzer.Finding{
		Bundle:  analyzer.Position{Path: rf.fr.Path, Line: line + 1, Column: col + 1},
		Offset:  off,
		Excerpt: excerpt(rf.lines.Line(line), off-rf.lines.LineStart(line)),
	}
	if rf.sm != nil {
		if m, ok := rf.sm.Find(line, col); ok && m.SourceIndex >= 0 {
			f.Original = &analyzer.Original{Source: load.OriginalPath(rf.fr.Path, rf.where, m.Source, rf.root), Line: m.OrigLine + 1, Column: m.OrigCol + 1}
			if m.HasName {
				f.Original.Name = m.Name
			}
			if f.Dependency = load.Dependency(m.Source); f.Dependency != "" {
				f.Message = "in dependency " + f.Dependency + ": " + f.Message
			}
		}
	}
	return f
}
