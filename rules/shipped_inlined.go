package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/jstoken"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// A function shipped as text next to code that declares its helpers (a
// worker's prelude: "function notify(v) { postMessage(v); }") calls them
// by the names that code declares. When the bundle also has functions of
// those names (main-thread stand-ins, imported so the code type-checks),
// the minifier may inline them into the shipped function: its text then
// runs the bundle's copy and never calls the prelude's. No free variable
// is left to report; the evidence is in the source map, whose original
// text of the function calls the names the minified text no longer does.

// maxOriginalTokens bounds the tokens read from an original function's
// text.
const maxOriginalTokens = 100_000

// reportLostPreludeCalls reports the function text sh shipped through sk
// when its original source calls names the code shipped with it declares
// (declared) and the minified text refers to none of them.
func reportLostPreludeCalls(p *analyzer.Pass, sk textSink, sh names.Shipped, declared map[string]bool) {
	nf := p.File.Names
	if !nf.HasMap || len(declared) == 0 {
		return
	}
	src, start, ok := originalHead(nf, sh.Fn)
	if !ok {
		return
	}
	var lost []string
	for _, name := range originalFreeCalls(src, start) {
		if declared[name] && !refersFree(nf.Scope, sh.Fn.Node, name) {
			lost = append(lost, name)
		}
	}
	if len(lost) == 0 {
		return
	}
	pos := startOf(sk.n)
	if sk.sink == "a Blob" {
		pos = textPos(sh.At)
	}
	p.Report(analyzer.Diagnostic{
		Pos: pos,
		Message: fmt.Sprintf("the source text of %s runs through %s together with code that declares %s, which the function calls in the source. "+
			"The minified text no longer calls %s: the minifier inlined (or renamed) the bundle's own functions of that name into it, so where the text runs it calls the bundle's copies instead of the ones shipped with it. "+
			"Make the function self-contained or pass what it uses explicitly.",
			kindAndName(sh.Fn), sk.sink, strings.Join(lost, ", "), pronounFor(len(lost))),
		Name: sh.Fn.SourceName(),
	})
}

// originalHead finds the original text of the function fn through the
// map: the source it is in, and an offset in its head (the function's
// start or, where the map has no segment there, its first parameter)
// from which originalFreeCalls reads.
func originalHead(nf *names.Facts, fn *names.Func) (string, int, bool) {
	at := []int{startOf(fn.Node)}
	if !fn.IsClass && len(fn.Params) > 0 && fn.Params[0] != nil { // a class's are its constructor's
		at = append(at, fn.Params[0].Pos)
	}
	for _, pos := range at {
		if o, ok := nf.OriginAt(pos); ok && o.Source != nil {
			return o.Source.Lines.Text(), o.Source.Lines.LineStart(o.LineNo) + o.At, true
		}
	}
	return "", 0, false
}

// pronounFor is "it" or "them".
func pronounFor(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// refersFree reports whether fn's minified text refers to name as a
// variable declared outside it (or nowhere in the bundle).
func refersFree(sc *scope.Info, fn ast.Node, name string) bool {
	lo, hi := int(fn.Idx0())-1, int(fn.Idx1())-1
	found := false
	walk.Inspect(fn, func(n ast.Node) bool {
		if found {
			return false
		}
		id, ok := n.(*ast.Identifier)
		if !ok || id.Name.String() != name || !sc.IsRef(id) {
			return true
		}
		b := sc.Resolve(id)
		found = b == nil || b.Pos < lo || b.Pos >= hi
		return true
	})
	return found
}

// originalFreeCalls reads the original text of a function that starts at
// byte offset start of src and returns, in order, the names its body
// calls as plain identifiers and uses no other way: never declared in it
// (a parameter, let, const, var, function or class), never read, written
// or used as a key. A name with any other use may be a local the
// minifier renamed.
func originalFreeCalls(src string, start int) []string {
	if start < 0 || start >= len(src) {
		return nil
	}
	lx := jstoken.NewLexer(src[start:], jstoken.Options{Fragment: true, Guess: jstoken.StartRegex})
	text := src[start:]
	var toks []jstoken.Token
	body := false
	for len(toks) < maxOriginalTokens {
		t := lx.Next()
		if t.Kind == jstoken.EOF || t.Kind == jstoken.Invalid {
			return nil // the function's end was not found
		}
		toks = append(toks, t)
		if t.Kind != jstoken.Punct {
			continue
		}
		switch text[t.Start:t.End] {
		case "{":
			if !body && lx.Depth() == 1 {
				body = true
				toks = append(toks, jstoken.Token{Kind: jstoken.EOF}) // marks where the body starts
			}
		case "}":
			if body && lx.Depth() == 0 {
				return freeCallsIn(text, toks)
			}
		}
	}
	return nil
}

// freeCallsIn is originalFreeCalls over the function's tokens: those
// before the EOF marker are its head (name and parameters), the rest its
// body.
func freeCallsIn(text string, toks []jstoken.Token) []string {
	word := func(i int) string {
		if i < 0 || i >= len(toks) || toks[i].Kind == jstoken.EOF {
			return ""
		}
		return text[toks[i].Start:toks[i].End]
	}
	declared := map[string]bool{}
	other := map[string]bool{}
	var calls []string
	inBody := false
	for i, t := range toks {
		if t.Kind == jstoken.EOF {
			inBody = true
			continue
		}
		if t.Kind != jstoken.Ident {
			continue
		}
		w := word(i)
		if codeWords[w] || w == "this" || w == "true" || w == "false" || w == "null" || w == "undefined" {
			continue
		}
		if !inBody {
			declared[w] = true
			continue
		}
		switch word(i - 1) {
		case ".", "?.":
			continue // a member
		case "let", "const", "var", "function", "class":
			declared[w] = true
			continue
		}
		if word(i+1) == "(" {
			if !slices.Contains(calls, w) {
				calls = append(calls, w)
			}
			continue
		}
		other[w] = true
	}
	out := calls[:0]
	for _, w := range calls {
		if !declared[w] && !other[w] {
			out = append(out, w)
		}
	}
	return out
}
