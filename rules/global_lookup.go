package rules

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// GlobalLookup flags top-level functions and variables looked up by their
// name as a string after top-level mangling renamed them.
var GlobalLookup = &analyzer.Rule{
	ID:       "global-lookup",
	Title:    "Top-level name looked up by string after top-level mangling renamed it",
	Severity: analyzer.Error,
	Doc: `A plain script's top-level functions and variables are properties of the
global object, so code (and other scripts, inline handlers, HTML) can reach
them by name: window["init"](), globalThis[name], self[...], top-level
this[...], an indirect eval("init()"), new Function("return init"),
setTimeout("init()", 0). Minifiers keep top-level names by default, but
terser and uglify-js with toplevel: true (and Closure Compiler ADVANCED)
rename them too: the lookup finds undefined and the app fails to start.
A bundle that wraps the script in a function (an IIFE) makes its top-level
names locals of the wrapper even where they keep their names (Oxc
keepNames, Rspack keep_fnames, an unminified esbuild IIFE).

manglecheck flags a lookup when the source map says the top-level binding
with that name was renamed, or now lives in the bundle's wrapper function.
Without a map it stays quiet: a string lookup of a global may just as well
be meant for another script's global.

Fix: export what must be reachable explicitly (window.init = init — property
names are not mangled), list the names in terser mangle.reserved, or turn
toplevel off for scripts whose globals are an API.`,
	Fix: `code: assign the API explicitly (window.init = init) instead of relying on implicit globals
terser/uglify-js: toplevel: false, or mangle.reserved: ["init", ...]
Closure Compiler: @export / goog.exportSymbol`,
	Bad: `function init() { return "started"; }
document.addEventListener("DOMContentLoaded", init);
window["init"]();`,
	// The Bad example bundled (IIFE) and minified: init is renamed inside
	// the wrapper and is no global at all.
	Good: `function init() { return "started"; }
window.init = init;
document.addEventListener("DOMContentLoaded", init);
window["init"]();`,
	KeepNamesUnfixed: true,
	Run:              runGlobalLookup,
}

var identWordRE = regexp.MustCompile(`[A-Za-z_$][A-Za-z0-9_$]*`)

var globalObjects = map[string]bool{"window": true, "self": true, "globalThis": true, "global": true, "frames": true, "top": true, "parent": true}

func runGlobalLookup(p *analyzer.Pass) {
	if !p.File.Names.HasMap {
		return // without a map nothing says what a binding was called
	}
	gs := &globalScan{p: p, nf: p.File.Names, explicit: explicitGlobals(p), bound: map[string]bool{}}
	gs.renamed, gs.wrapped = renamedTopLevel(p, gs.explicit)
	for _, b := range p.File.Scope.Bindings {
		switch b.Kind {
		case scope.FuncSelf, scope.ClassSelf, scope.Param, scope.Catch, scope.Arguments:
			// visible only inside the function: keep_fnames keeps
			// `function init(){}` inlined as an expression, still no global
		default:
			gs.bound[b.Name] = true
		}
	}
	inspectProgram(p, gs.visit)
}

// globalScan is what runGlobalLookup knows of the top-level names of the
// source and what became of them.
type globalScan struct {
	p  *analyzer.Pass
	nf *names.Facts
	// explicit are the names the bundle assigns as global object
	// properties (window.init = …).
	explicit map[string]bool
	// renamed are the bundle-top-level bindings the minifier renamed, by
	// their source name; wrapped the locals of a wrapper IIFE that kept
	// their names (see renamedTopLevel).
	renamed, wrapped map[string]*scope.Binding
	// bound are the names some binding of the bundle visible outside its
	// own function has.
	bound map[string]bool
}

// lost says what became of a global the source declared, or "".
func (gs *globalScan) lost(key string) string {
	p, nf := gs.p, gs.nf
	if b := gs.renamed[key]; b != nil {
		return fmt.Sprintf("the minifier renamed that binding to %q (and it is no global property under its old name)", b.Name)
	}
	if gs.wrapped[key] != nil && nf.SourceDecl(key).ScriptTop && len(p.File.Scope.Globals[key]) == 0 {
		return "the bundler moved that top-level declaration into its wrapper function, where it keeps its name but is no global property"
	}
	// Compression inlined it into its uses and dropped the binding:
	// the source declared it at the top level of a script, and nothing
	// in the bundle is called that any more.
	if d := nf.SourceDecl(key); d.ScriptTop && !gs.explicit[key] && !builtins[key] && !gs.bound[key] && len(p.File.Scope.Globals[key]) == 0 {
		return "the minifier inlined that top-level declaration of the source and dropped its name"
	}
	return ""
}

// report reports n looking up the global key that is lost (what says
// how), with the fix that applies.
func (gs *globalScan) report(n ast.Node, key, how, what string) {
	fix := fmt.Sprintf("Assign it explicitly (window.%s = …), reserve the name (terser mangle.reserved), or turn toplevel mangling off.", key)
	if gs.renamed[key] == nil && gs.wrapped[key] != nil {
		// No minifier option helps: the wrapper is the bundle format.
		fix = fmt.Sprintf("Assign it explicitly (window.%s = …).", key)
	}
	gs.p.Report(analyzer.Diagnostic{
		Pos:     nodePos(n),
		Message: fmt.Sprintf("%s looks up the top-level %s by its name %q, but %s, so the lookup finds undefined. %s", gs.p.Text(n, 60), how, key, what, fix),
		Name:    key,
	})
}

// reportInCode reports a lost global named in code text.
func (gs *globalScan) reportInCode(arg ast.Node, key, what string) {
	gs.report(arg, key, "binding named in code text", what)
}

// visit is runGlobalLookup's walk: global-object reads by a fixed name,
// and code text run by eval, setTimeout or Function.
func (gs *globalScan) visit(n ast.Node, stack []ast.Node) bool {
	p := gs.p
	switch x := n.(type) {
	case *ast.BracketExpression:
		if !isGlobalObject(p, x.Left, stack) || isAssignTarget(x, stack) {
			return true
		}
		if key, ok := stringValue(gs.nf, x.Member); ok {
			if what := gs.lost(key); what != "" {
				gs.report(x, key, "binding", what)
			}
		}
	case *ast.DotExpression:
		// window.init reads a global property just the same (and
		// esbuild's minifier turns window["init"] into it).
		if !isGlobalObject(p, x.Left, stack) || isAssignTarget(x, stack) {
			return true
		}
		if key := x.Identifier.Name.String(); gs.lost(key) != "" {
			gs.report(x, key, "binding", gs.lost(key))
		}
	case *ast.CallExpression:
		callee := calleeName(x.Callee)
		switch callee {
		case "eval", "(0, eval)", "setTimeout", "setInterval", "window.eval", "globalThis.eval", "window.setTimeout", "window.setInterval":
			if callee == "eval" && isDirectEval(p, x) {
				return true // direct eval: minifiers keep names visible to it
			}
		case "Function", "window.Function":
		default:
			return true
		}
		fn := callee == "Function" || callee == "window.Function"
		checkCodeString(gs.nf, x.ArgumentList, fn, gs.lost, gs.reportInCode)
	case *ast.NewExpression:
		if calleeName(x.Callee) == "Function" {
			checkCodeString(gs.nf, x.ArgumentList, true, gs.lost, gs.reportInCode)
		}
	}
	return true
}

// checkCodeString looks for renamed top-level names in string arguments
// that are evaluated as code.
// renamedTopLevel maps original names to the bundle-top-level bindings the
// minifier renamed away from them. The bundle's top level is the program's
// (a plain script, where they are globals) or the body of an IIFE wrapping
// the whole bundle (esbuild, Rollup and webpack iife output), where code
// that expected globals finds none. Names the bundle makes global
// explicitly (window.init = …) are left out.
//
// wrapped maps the names a wrapper IIFE's bindings kept (keep-names builds:
// Oxc's keepNames, Rspack's keep_fnames) to those bindings: kept, they are
// still locals of the wrapper, so a lookup on the global object misses them.
func renamedTopLevel(p *analyzer.Pass, explicit map[string]bool) (renamed, wrapped map[string]*scope.Binding) {
	nf := p.File.Names
	var tops []*scope.Scope
	tops = append(tops, p.File.Scope.Root) // a script's or a module's top level
	for _, st := range p.File.Program.Body {
		if fn := iifeBody(st); fn != nil {
			if s := p.File.Scope.ScopeOf(fn); s != nil {
				tops = append(tops, s)
			}
		}
	}
	renamed, wrapped = map[string]*scope.Binding{}, map[string]*scope.Binding{}
	for _, s := range tops {
		// In source order, so that of two bindings the map gives the same
		// original name, the first is the one reported, on every run.
		bs := s.Bindings()
		slices.SortStableFunc(bs, func(a, b *scope.Binding) int { return cmp.Compare(a.Pos, b.Pos) })
		for _, b := range bs {
			name := b.Name
			if b.Pos < 0 || b.Kind == scope.Param || b.Kind == scope.Arguments || b.Kind == scope.Import {
				continue
			}
			orig, ok := nf.OriginalAt(b.Pos, name)
			if !ok || explicit[orig] || builtins[orig] || p.File.Scope.Root.Lookup(orig) != nil {
				continue
			}
			// A top-level declaration of an ES module source was never a
			// global: window.AudioContext in three.js means the browser's,
			// not three's own module-scoped class of that name.
			if o, ok := nf.OriginAt(b.Pos); ok && o.Source.Module {
				continue
			} else if !ok && (s != p.File.Scope.Root || s.Kind != scope.Global) {
				// The source's text is unknown (a map without
				// sourcesContent, the file not at hand): the bundle's own
				// structure is the evidence. A binding in a bundler's
				// IIFE wrapper or at an ES module's top level is no global
				// of the bundle, and nothing says its source was a script
				// (echarts' module-scoped devicePixelRatio, built by
				// terser, against window.devicePixelRatio).
				continue
			}
			switch {
			case orig != name:
				if _, seen := renamed[orig]; !seen {
					renamed[orig] = b
				}
			case s != p.File.Scope.Root:
				if _, seen := wrapped[orig]; !seen {
					wrapped[orig] = b
				}
			}
		}
	}
	return renamed, wrapped
}

// iifeBody returns the function a top-level statement calls immediately
// ((function(){…})(), (()=>{…})(), !function(){…}()), or nil.
func iifeBody(st ast.Statement) ast.Node {
	es, ok := st.(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	e := es.Expression
	if u, ok := e.(*ast.UnaryExpression); ok {
		e = u.Operand
	}
	call, ok := e.(*ast.CallExpression)
	if !ok {
		return nil
	}
	callee := call.Callee
	if d, ok := callee.(*ast.DotExpression); ok && (d.Identifier.Name == "call" || d.Identifier.Name == "apply") {
		callee = d.Left
	}
	switch fn := callee.(type) {
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
		return fn
	}
	return nil
}

// explicitGlobals are the names the bundle assigns as global object
// properties (window.init = …, globalThis["x"] = …).
func explicitGlobals(p *analyzer.Pass) map[string]bool {
	out := map[string]bool{}
	inspectProgram(p, func(n ast.Node, stack []ast.Node) bool {
		as, ok := n.(*ast.AssignExpression)
		if !ok {
			return true
		}
		switch l := as.Left.(type) {
		case *ast.DotExpression:
			if isGlobalObject(p, l.Left, stack) {
				out[l.Identifier.Name.String()] = true
			}
		case *ast.BracketExpression:
			if isGlobalObject(p, l.Left, stack) {
				if s, ok := stringValue(p.File.Names, l.Member); ok {
					out[s] = true
				}
			}
		case *ast.Identifier:
			if p.File.Scope.IsGlobal(l) {
				out[l.Name.String()] = true
			}
		}
		return true
	})
	return out
}

// checkCodeString looks for renamed top-level names among the free
// variables of code text evaluated in the global scope: the string
// arguments of eval and setTimeout, or the body of new Function(p1, …,
// body), whose leading arguments name its parameters (pixi.js compiles
// shaders with new Function("r", "s", src): r and s are no lookups).
func checkCodeString(nf *names.Facts, args []ast.Expression, function bool, lost func(string) string, found func(arg ast.Node, key, what string)) {
	var params []string
	if function {
		if len(args) == 0 {
			return
		}
		for _, a := range args[:len(args)-1] {
			s, ok := stringValue(nf, a)
			if !ok {
				return // parameters not known: nor is what the body binds
			}
			params = append(params, s)
		}
		args = args[len(args)-1:]
	}
	for _, a := range args {
		s, ok := stringValue(nf, a)
		if !ok {
			continue
		}
		for _, w := range freeVariables(s, params, function) {
			if what := lost(w); what != "" {
				found(a, w, what) // at the code text, which maps to its line
				return
			}
		}
	}
}

// maxCodeText bounds the code text freeVariables parses: generated code
// (Handlebars templates, Ajv validators) is small; a longer string is not
// worth a parse per rule run.
const maxCodeText = 64 << 10

// freeVariables returns the names code refers to but does not declare, in
// order of first use: what it looks up in the global scope when run. As a
// Function body, params (each may be "a, b" or "...rest") are bound. Code
// that does not parse (or is too long) names nothing: it would throw
// before any lookup.
func freeVariables(code string, params []string, function bool) []string {
	if len(code) > maxCodeText {
		return nil
	}
	src := code
	if function {
		// The same wrapper the Function constructor builds (ECMA-262
		// CreateDynamicFunction), on one line so that nothing shifts.
		src = "(function anonymous(" + strings.Join(params, ",") + "\n) {\n" + code + "\n})"
	}
	res, err := parse.ParseWith("", src, parse.Options{Cores: 1})
	if err != nil {
		return nil
	}
	info := scope.Build(res.Program, scope.Options{})
	type use struct {
		name string
		pos  int
	}
	var uses []use
	for name, ids := range info.Globals {
		first := -1
		for _, id := range ids {
			if p := int(id.Idx); first < 0 || p < first {
				first = p
			}
		}
		uses = append(uses, use{name, first})
	}
	slices.SortFunc(uses, func(a, b use) int { return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.name, b.name)) })
	out := make([]string, len(uses))
	for i, u := range uses {
		out[i] = u.name
	}
	return out
}

func isDirectEval(p *analyzer.Pass, call *ast.CallExpression) bool {
	for _, c := range p.File.Scope.DirectEval {
		if c == call {
			return true
		}
	}
	return false
}

// isGlobalObject recognises window, self, globalThis, global and a
// top-level this.
func isGlobalObject(p *analyzer.Pass, e ast.Expression, stack []ast.Node) bool {
	switch x := e.(type) {
	case *ast.Identifier:
		return globalObjects[x.Name.String()] && p.File.Scope.IsGlobal(x)
	case *ast.ThisExpression:
		for _, n := range stack {
			switch n.(type) {
			case *ast.FunctionLiteral, *ast.ClassLiteral:
				return false
			}
		}
		return true
	}
	return false
}

// stringValue is a literal string or a const bound to one.
func stringValue(nf *names.Facts, e ast.Expression) (string, bool) { return nf.ConstString(e) }

func calleeName(e ast.Expression) string {
	switch x := e.(type) {
	case *ast.SequenceExpression:
		// (0, eval)(…): an indirect call of the last expression.
		if len(x.Sequence) > 0 {
			if n := calleeName(x.Sequence[len(x.Sequence)-1]); n == "eval" {
				return "(0, eval)"
			}
		}
	case *ast.Identifier:
		return x.Name.String()
	case *ast.DotExpression:
		if l := calleeName(x.Left); l != "" {
			return l + "." + x.Identifier.Name.String()
		}
	}
	return ""
}

func nodePos(n ast.Node) int { return startOf(n) }

// isAssignTarget reports whether n is written by its parent.
func isAssignTarget(n ast.Node, stack []ast.Node) bool {
	if len(stack) == 0 {
		return false
	}
	as, ok := stack[len(stack)-1].(*ast.AssignExpression)
	return ok && as.Left == n
}
