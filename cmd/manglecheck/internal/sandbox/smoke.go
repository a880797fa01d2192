package sandbox

import (
	"context"
	"fmt"
	iofs "io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/lines"
)

// Smoke runs each bundle named by inputs (files, directories, globs, as
// Check takes them) and reports what goes wrong during its startup — an
// uncaught exception, an unhandled rejection, a timeout, the memory or
// stack limit — as findings of rule, positioned through the bundle's
// source map with the JavaScript stack. ES module chunks that another
// input imports are run only as part of the entry that imports them.
// The error is for usage problems only; a bundle that cannot be run is
// reported in its FileResult.
func Smoke(ctx context.Context, inputs []string, rule *analyzer.Rule, opts Options) (checker.Result, error) {
	paths, failed, err := checker.Bundles(inputs, opts.Check)
	if err != nil {
		return checker.Result{}, err
	}
	fs := newFiles(opts, paths)
	var (
		runFiles []checker.RuntimeFile
		reports  []checker.RuntimeReport
	)
	type input struct {
		file   *bundleFile
		module bool
		err    error
	}
	ins := make([]input, len(paths))
	imported := map[string]bool{}
	for i, p := range paths {
		f, err := fs.open(p)
		if err != nil {
			ins[i].err = err
			continue
		}
		mod, m, err := isModule(f.text)
		ins[i] = input{file: f, module: mod, err: err}
		if mod {
			for _, spec := range moduleImports(f.text, m) {
				if strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") {
					imported[filepath.Join(filepath.Dir(f.abs), filepath.FromSlash(spec))] = true
				}
			}
		}
	}
	for i, in := range ins {
		if err := ctx.Err(); err != nil {
			return checker.Result{}, err
		}
		rf := checker.RuntimeFile{Path: filepath.ToSlash(paths[i])}
		switch {
		case in.err != nil:
			rf.Error = in.err.Error()
		case in.module && imported[in.file.abs]:
			// A chunk: it runs as part of the entry that imports it.
		default:
			rs, warns, ferr := smokeChild(ctx, fs, in.file, in.module, rule, opts)
			reports = append(reports, rs...)
			rf.Warnings = warns
			rf.Error = ferr
		}
		runFiles = append(runFiles, rf)
	}
	return checker.Runtime(ctx, runFiles, failed, reports, opts.Check)
}

// smokeChild runs one bundle in a sandbox process (see ChildCommand).
// ferr is why it could not be run, or why the sandbox stopped.
func smokeChild(ctx context.Context, fs *files, f *bundleFile, module bool, rule *analyzer.Rule, opts Options) (reports []checker.RuntimeReport, warns []string, ferr string) {
	req := fs.request("smoke", f, module)
	resp, stopped := spawn(ctx, req, runSize(f, module, fs.maxSize()), opts)
	if resp == nil {
		return nil, nil, fmt.Sprintf("%s: the sandbox stopped: %s; startup was not checked", f.path, stopped)
	}
	if opts.Console != nil && len(resp.Console) > 0 {
		opts.Console(f.path, resp.Console)
	}
	for _, r := range resp.Reports {
		reports = append(reports, checker.RuntimeReport{Rule: rule, Message: r.Message, Path: r.Path, Pos: r.Pos, Name: r.Name, Stack: r.Stack})
	}
	return reports, resp.Warnings, resp.Error
}

// runSize is how many bytes of JavaScript a run of f may compile: f, and
// for an ES module entry the JavaScript files under its directory that
// esbuild may link in (at most 16 times the file size limit).
func runSize(f *bundleFile, module bool, maxSize int64) int64 {
	n := int64(len(f.text))
	if !module {
		return n
	}
	budget, files := 16*maxSize, 0
	_ = filepath.WalkDir(f.root, func(p string, d iofs.DirEntry, err error) error {
		if err != nil || files > 4096 || n >= budget {
			return filepath.SkipAll
		}
		files++
		if d.Type().IsRegular() && p != f.abs && isJSName(p) {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return min(n, budget)
}

// smokeJob is the sandbox process's side of smoke: compile, run, and map
// what happened through the source maps. ready is called once the
// environment is set up, before the bundle is compiled; it returns the
// deadline.
func smokeJob(req childRequest, ready func() time.Time) childResponse {
	fs := req.files()
	f, err := fs.openAbs(req.Abs, req.Path)
	if err != nil {
		ready()
		return childResponse{Error: err.Error()}
	}
	var resp childResponse
	opts := fs.opts
	opts.Console = func(_ string, lines []string) { resp.Console = lines }
	reports, warns, ferr := smokeOne(context.Background(), fs, f, req.Module, opts, ready)
	for _, r := range reports {
		resp.Reports = append(resp.Reports, childReport{Message: r.Message, Path: r.Path, Pos: r.Pos, Name: r.Name, Stack: r.Stack})
	}
	resp.Warnings, resp.Error = warns, ferr
	return resp
}

// smokeOne runs one bundle, in this process (the sandbox process). ferr
// is why it could not be run.
func smokeOne(ctx context.Context, fs *files, f *bundleFile, module bool, opts Options, ready func() time.Time) (reports []checker.RuntimeReport, warns []string, ferr string) {
	env := opts.Env
	if env == Auto {
		env = DetectEnv(f.text)
	}
	units := map[string]*unit{}
	cfg := Config{Env: env, Limits: opts.Limits, MainName: scriptName(f.path), Require: requirer(fs, f, units)}
	r := newRun(cfg)
	// The budget starts here: compiling the bundle is part of it.
	deadline := ready()
	main, err := prepare(fs, f, module, units, func(abs string) (string, error) {
		lf, err := fs.load(f.root, abs, true)
		if err != nil {
			return "", err
		}
		return lf.text, nil
	})
	if err != nil {
		return nil, nil, fmt.Sprintf("%s: cannot run in the sandbox: %v", f.path, err)
	}
	out := r.exec(ctx, main.script, deadline)
	if opts.Env == Auto {
		if other, ok := wrongEnv(out, env); ok && time.Now().Before(deadline) {
			// The guess was wrong: the top level reached for the other
			// environment's globals first thing (a CommonJS bundle full
			// of DOM code, say). Run it there instead, within what is
			// left of the same budget. When it fails there on the first
			// environment's globals too, neither fits: the first run
			// stands.
			cfg.Env = other
			second := newRun(cfg).exec(ctx, main.script, deadline)
			if _, back := wrongEnv(second, other); !back {
				out = second
			}
		}
	}
	if opts.Console != nil && len(out.Console) > 0 {
		opts.Console(f.path, out.Console)
	}
	return toReports(fs, f, units, out, nil)
}

// wrongEnv reports whether a run's top level failed on a global only the
// other environment has, and which environment that is.
func wrongEnv(out Outcome, env Env) (Env, bool) {
	if len(out.Errors) == 0 || out.Errors[0].Phase != "top level" {
		return "", false
	}
	msg := out.Errors[0].Message
	globals, other := []string{"module", "exports", "require", "process", "global", "__dirname", "__filename"}, Node
	if env == Node {
		globals, other = []string{"window", "document", "self", "navigator", "location", "localStorage"}, Browser
	}
	for _, g := range globals {
		if msg == "ReferenceError: "+g+" is not defined" {
			return other, true
		}
	}
	return "", false
}

// prepare turns a bundle into the unit a run executes: the bundle itself
// when goja can compile it, else esbuild's linked or lowered version.
// read supplies the text of every file the link step reads.
func prepare(fs *files, f *bundleFile, module bool, units map[string]*unit, read reader) (*unit, error) {
	name := scriptName(f.path)
	if !module {
		text := f.text
		if s, err := Compile(name, text); err == nil {
			u := &unit{script: s, text: text, lines: f.lines, file: f}
			units[name] = u
			return u, nil
		} else if _, ok := err.(interface{ Unwrap() error }); ok && strings.Contains(err.Error(), "nesting too deep") {
			return nil, err
		}
		l, err := lowerScript(name, text)
		if err != nil {
			return nil, err
		}
		s, err := Compile(name, l.text)
		if err != nil {
			return nil, err
		}
		u := &unit{script: s, text: l.text, lines: lines.New(l.text), link: l, linkFiles: []*bundleFile{f}}
		units[name] = u
		return u, nil
	}
	var firstErr error
	for _, lower := range []bool{false, true} {
		l, err := link(f.abs, read, lower)
		if err != nil {
			return nil, err
		}
		s, err := Compile(name, l.text)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		u := &unit{script: s, text: l.text, lines: lines.New(l.text), link: l}
		for _, p := range l.files {
			var lf *bundleFile
			if p != "" {
				lf = fs.byAbs[p]
			}
			u.linkFiles = append(u.linkFiles, lf)
		}
		units[name] = u
		return u, nil
	}
	return nil, firstErr
}

// scriptName is how stacks name a bundle: its base name, without the
// characters goja's stack format uses as separators.
func scriptName(path string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ':', '(', ')', ' ', '\t', '\n', '\r':
			return '_'
		}
		return r
	}, filepath.Base(path))
}

// The CommonJS wrapper a required file runs in.
const (
	cjsPrefix = "(function (exports, require, module, __filename, __dirname) {\n"
	cjsSuffix = "\n})"
)

// requirer resolves the Node environment's require() of the bundle's own
// files (relative specifiers, inside its directory).
func requirer(fs *files, main *bundleFile, units map[string]*unit) func(spec, from string) (*Script, error) {
	return func(spec, from string) (*Script, error) {
		notAvailable := fmt.Errorf("module %q is not available in the sandbox", spec)
		if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
			return nil, notAvailable
		}
		dir := main.root
		if u := units[from]; u != nil && u.file != nil {
			dir = filepath.Dir(u.file.abs)
		}
		base := filepath.Join(dir, filepath.FromSlash(spec))
		var f *bundleFile
		var first error
		for _, cand := range []string{base, base + ".js", base + ".cjs", filepath.Join(base, "index.js")} {
			lf, err := fs.load(main.root, cand, false)
			if err == nil {
				f = lf
				break
			}
			if first == nil {
				first = err
			}
		}
		if f == nil {
			return nil, fmt.Errorf("module %q is not available in the sandbox (%v)", spec, first)
		}
		rel, _ := filepath.Rel(main.root, f.abs)
		name := scriptName(strings.ReplaceAll(filepath.ToSlash(rel), "/", "_"))
		if u := units[name]; u != nil {
			return u.script, nil
		}
		text := cjsPrefix + f.text + cjsSuffix
		s, err := Compile(name, text)
		if err != nil {
			return nil, fmt.Errorf("module %q could not be compiled: %v", spec, err)
		}
		units[name] = &unit{script: s, text: text, lines: lines.New(text), file: f, prefix: len(cjsPrefix)}
		return s, nil
	}
}

// toReports turns a run's outcome into findings and file notes.
func toReports(fs *files, f *bundleFile, units map[string]*unit, out Outcome, rule *analyzer.Rule) (reports []checker.RuntimeReport, warns []string, ferr string) {
	warns = append(warns, out.Notes...)
	all := out.Errors
	if out.Stop != nil {
		all = append(all[:len(all):len(all)], *out.Stop)
	}
	for _, e := range all {
		if e.Kind == Internal {
			ferr = fmt.Sprintf("%s: %s", f.path, e.Message)
			continue
		}
		r, where := report(fs, f, units, e, rule)
		if e.Limit || isLimitMessage(e.Message) {
			// The sandbox's doing (no network, no such module), not the
			// bundle's bug; but what came after it was not checked.
			if where != "" {
				where = " at " + where
			}
			if e.Phase == "top level" && e.Kind == Uncaught {
				ferr = fmt.Sprintf("%s: the top level stopped at a limit of the sandbox%s, so startup was not checked: %s", f.path, where, e.Message)
			} else {
				warns = append(warns, fmt.Sprintf("%s stopped at a limit of the sandbox%s (not necessarily a bug; what depends on it was not checked): %s", e.Phase, where, e.Message))
			}
			continue
		}
		reports = append(reports, r)
	}
	if out.Pending > 0 {
		warns = append(warns, fmt.Sprintf("the run stopped after %d timer callbacks and %s of virtual time with %d timers still pending (a setInterval never cleared, or a polling loop); startup was taken as done", out.Callbacks, out.VirtualTime, out.Pending))
	}
	if out.Abandoned {
		warns = append(warns, "the run was stuck inside a built-in function and was abandoned")
	}
	return reports, warns, ferr
}

// isLimitMessage recognises the sandbox's own errors by their text too
// (a module the link step could not provide throws an ordinary Error).
func isLimitMessage(msg string) bool {
	// esbuild's __require shim, when the environment has no require:
	// the bundle asks for a module the sandbox does not provide.
	if strings.Contains(msg, "Dynamic require of \"") && strings.HasSuffix(msg, "\" is not supported") {
		return true
	}
	return strings.Contains(msg, "is not available in the sandbox") ||
		strings.Contains(msg, "network disabled in the manglecheck sandbox") ||
		strings.Contains(msg, "not available in the manglecheck sandbox")
}

// report builds the finding of one error: its message (with goja's
// terse TypeErrors said as V8 says them, naming the original identifiers)
// and its stack mapped to bundle files.
// where is the bundle position of the innermost located frame,
// "path:line:col", or "".
func report(fs *files, f *bundleFile, units map[string]*unit, e Error, rule *analyzer.Rule) (r checker.RuntimeReport, where string) {
	r = checker.RuntimeReport{Rule: rule, Path: f.path, Pos: -1}
	var last checker.RuntimeFrame
	first := true
	var top *unit
	topAt := 0
	for _, rf := range e.Frames {
		fr := checker.RuntimeFrame{Func: rf.Func}
		if u := units[rf.Script]; u != nil {
			at := u.lines.LineStart(max(0, rf.Line-1)) + rf.Col - 1
			bf, o, ok := u.locate(rf.Line, rf.Col)
			if !ok {
				// Code esbuild added to link or lower the bundle (the
				// IIFE around linked modules, helpers): not the bundle's.
				continue
			}
			fr.Path, fr.Pos = bf.path, o
			if where == "" {
				l, c := bf.lines.Position(o)
				where = fmt.Sprintf("%s:%d:%d", bf.path, l+1, c+1)
			}
			if u.script != nil {
				if np, ok := funcName(u.script.ast, at); ok {
					if bf, o, ok := u.locateOffset(np); ok {
						if n := fs.nameAt(bf, o); n != "" {
							fr.Func = n
						}
					}
				}
			}
			if top == nil {
				top, topAt = u, at
			}
		}
		if fr.Path != "" && r.Pos < 0 {
			r.Path, r.Pos, r.Name = fr.Path, fr.Pos, fr.Func
		}
		// Recursion repeats a frame thousands of times: once is enough.
		if !first && fr == last {
			continue
		}
		first, last = false, fr
		if len(r.Stack) < 12 {
			r.Stack = append(r.Stack, fr)
		}
	}
	msg := e.Message
	if top != nil && (e.Kind == Uncaught || e.Kind == Rejection) {
		msg = v8Message(fs, top, topAt, msg)
	}
	r.Message = describeError(e, msg)
	return r, where
}

// v8Message rewords goja's TypeErrors for calls and `new` the way V8 says
// them, with the callee's original name from the map: goja says "Value is
// not an object: undefined" where node says "plugin is not a constructor".
func v8Message(fs *files, u *unit, at int, msg string) string {
	const prefix = "TypeError: "
	body, ok := strings.CutPrefix(msg, prefix)
	if !ok || u.script == nil {
		return msg
	}
	if !strings.HasPrefix(body, "Value is not an object") && !strings.HasPrefix(body, "Object has no member") &&
		!strings.Contains(body, "is not a function") && !strings.Contains(body, "is not a constructor") {
		return msg
	}
	callee, isNew := callAt(u.script.ast, at)
	if callee == nil {
		return msg
	}
	name := calleeText(fs, u, callee, 3)
	if name == "" {
		return msg
	}
	if isNew {
		return prefix + name + " is not a constructor"
	}
	return prefix + name + " is not a function"
}

// calleeText renders a callee with original names: plugin, a.b.c; ""
// for anything more complex.
func calleeText(fs *files, u *unit, e ast.Expression, depth int) string {
	if depth == 0 {
		return ""
	}
	switch e := e.(type) {
	case *ast.Identifier:
		if bf, o, ok := u.locateOffset(off(e.Idx)); ok {
			if n := fs.nameAt(bf, o); n != "" {
				return n
			}
		}
		return e.Name.String()
	case *ast.DotExpression:
		left := calleeText(fs, u, e.Left, depth-1)
		if left == "" {
			return ""
		}
		return left + "." + e.Identifier.Name.String()
	case *ast.BracketExpression:
		left := calleeText(fs, u, e.Left, depth-1)
		if left == "" {
			return ""
		}
		switch m := e.Member.(type) {
		case *ast.StringLiteral:
			return left + "[" + strconv.Quote(m.Value.String()) + "]"
		case *ast.NumberLiteral:
			return left + "[" + m.Literal + "]"
		}
		if inner := calleeText(fs, u, e.Member, depth-1); inner != "" {
			return left + "[" + inner + "]"
		}
		return left + "[…]"
	case *ast.ThisExpression:
		return "this"
	}
	return ""
}

// describeError is the finding's message: what happened, when, and what
// to do about it.
func describeError(e Error, msg string) string {
	when := "during startup"
	if e.Phase != "" {
		when = "during startup (" + e.Phase + ")"
	}
	const hint = " If only the minified build fails, a name the minifier changed is the likely cause: see manglecheck check, or rebuild with keep-names (esbuild keepNames, terser keep_classnames and keep_fnames) to confirm."
	switch e.Kind {
	case Uncaught:
		return "uncaught " + msg + " " + when + "." + hint
	case Rejection:
		return strings.Replace(msg, "unhandled promise rejection: ", "unhandled promise rejection ", 1) + " " + when + "." + hint
	case Timeout:
		return msg + " (wall clock; --timeout) " + when + ": an endless loop, or more startup work than the budget allows."
	case Memory:
		return msg + " " + when + ": unbounded allocation, or a bundle that needs more (raise --max-memory)."
	case StackOverflow:
		return msg + " " + when + ": endless recursion, or recursion deeper than a browser allows."
	case Exit:
		return msg + " " + when + "."
	}
	return msg
}
