package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// The code shipped next to a function's source text calls it by the name
// its author wrote ([fn.toString(), "self.onmessage = e =>
// postMessage(computeStats(e.data))"]): the shipped text declares the
// function under its runtime name, so after minification the call names
// nothing there and throws ReferenceError (issue 11, verdict f).

// codeCallRE finds calls by a name in code text (callsIn keeps those
// not after a dot).
var codeCallRE = regexp.MustCompile(`[A-Za-z_$][\w$]*\s*\(`)

// callsIn returns the names code calls as plain identifiers, in order.
func callsIn(code string, out []string) []string {
	for _, loc := range codeCallRE.FindAllStringIndex(code, -1) {
		if loc[0] > 0 {
			if c := code[loc[0]-1]; c == '.' || c == '$' || c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' {
				continue
			}
		}
		name := strings.TrimRight(code[loc[0]:loc[1]-1], " \t\n\r")
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// codeWords are keywords a call pattern also matches (if (…), function (…)).
var codeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`if for while switch catch function return typeof new await yield with do
		else void delete in of instanceof class super import export throw case var let const async get set`) {
		m[w] = true
	}
	return m
}()

// reportShippedCalls reports the calls in the code shipped through sk
// that name a shipped function by a name it no longer has. provided are
// the names the place the text runs in has; published the globals the
// page publishes.
func reportShippedCalls(p *analyzer.Pass, sk textSink, provided map[string]bool, published map[string][]ast.Expression) {
	nf := p.File.Names
	declared := map[string]bool{}
	var called []string
	for _, piece := range sk.pieces {
		if strings.Contains(piece, "importScripts") || strings.Contains(piece, "import(") || strings.Contains(piece, "require(") {
			return // the text loads code of its own: what it declares is unknown
		}
		for _, m := range codeDeclRE.FindAllStringSubmatch(piece, -1) {
			declared[m[1]] = true
		}
		called = callsIn(piece, called)
	}
	for _, name := range called {
		if declared[name] || provided[name] || codeWords[name] || builtins[name] ||
			slices.ContainsFunc(sk.shipped, func(sh names.Shipped) bool { return textName(sh.Fn) == name }) {
			continue
		}
		msg := judgeShippedCall(nf, sk, name, published)
		if msg == "" {
			continue
		}
		pos := startOf(sk.n)
		if sk.sink == "a Blob" {
			pos = textPos(sk.shipped[0].At)
		}
		p.Report(analyzer.Diagnostic{
			Pos: pos,
			Message: fmt.Sprintf("the code shipped through %s with the source text of %s calls %s(…), but %s, so the call throws ReferenceError there. "+
				"Ship the function under the name the code calls (\"const %s = \" + fn.toString()) or keep function names (esbuild keepNames, terser/swc keep_fnames).",
				sk.sink, shippedNames(sk.shipped), name, msg, name),
			Name: name,
		})
	}
}

// judgeShippedCall says why the shipped text has no function called name
// ("" when that is not certain).
func judgeShippedCall(nf *names.Facts, sk textSink, name string, published map[string][]ast.Expression) string {
	// The map, or a keep-names pin, says a shipped function is the one
	// called: its text declares it under another name (a pin keeps .name,
	// not the identifier the text is written with).
	for _, sh := range sk.shipped {
		fn := sh.Fn
		if fn.OriginalKnown && fn.Original == name || fn.Pin != names.NotPinned && fn.Runtime == name {
			return fmt.Sprintf("the shipped text declares %s %s %s", fn.Kind(), name, declaredAs(fn))
		}
	}
	// Without either: every shipped function is declared under a
	// mangled name or none, and nothing else could provide the name.
	if !nf.Minified || len(name) < 3 || len(nf.Scope.Globals[name]) > 0 || len(published[name]) > 0 {
		return ""
	}
	var as []string
	for _, sh := range sk.shipped {
		tn := textName(sh.Fn)
		if sh.Fn.OriginalKnown || tn != "" && !names.LooksMangled(tn) {
			return ""
		}
		as = appendUnique(as, declaredAs(sh.Fn))
	}
	return fmt.Sprintf("nothing in the shipped text declares %s: in this minified bundle the functions shipped are declared %s", name, strings.Join(as, ", "))
}

// textName is the name a function's source text declares it under: its
// own identifier as it stands in the bundle, "" for an anonymous
// function or an arrow (whatever .name the language gives it).
func textName(fn *names.Func) string {
	switch n := fn.Node.(type) {
	case *ast.FunctionLiteral:
		if n.Name != nil {
			return n.Name.Name.String()
		}
	case *ast.ClassLiteral:
		if n.Name != nil {
			return n.Name.Name.String()
		}
	}
	return ""
}

// declaredAs says how a function's text declares it: as "a", or
// anonymously.
func declaredAs(fn *names.Func) string {
	if tn := textName(fn); tn != "" {
		return fmt.Sprintf("as %q", tn)
	}
	return "anonymously"
}

// shippedNames names the shipped functions for a message.
func shippedNames(shipped []names.Shipped) string {
	var parts []string
	for _, sh := range shipped {
		parts = appendUnique(parts, kindAndName(sh.Fn))
	}
	if len(parts) > 3 {
		parts = append(parts[:3], "…")
	}
	return strings.Join(parts, ", ")
}
