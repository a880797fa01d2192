package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/funcindex"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// StackNames flags stack traces searched for function names.
var StackNames = &analyzer.Rule{
	ID:       "stack-names",
	Title:    "Stack trace searched for function names the minifier renamed",
	Severity: analyzer.Warning,
	Doc: `Some code finds out who called it by reading a stack trace:
new Error().stack (or Error.captureStackTrace, or V8's call-site API with
getFunctionName()) searched for a function name — stack.includes("render"),
/at bootstrap/.test(err.stack). In the minified bundle every frame reads
"at t (app.js:1:48213)", so the search never matches and the code takes the
other branch. The trace is followed wherever the value flows take it:
into variables, split into lines, sliced, joined, passed to helpers. A
pattern searches for a name only where a frame can show one: /at render/
does, /^Error created at/ (the message line of a V8 trace) does not.

It is an error when no function of the bundle carries the name searched
for at runtime: the map shows the source's function of that name was
renamed or inlined, or (without a map) every function of the bundle was
renamed and none is called that. A search frame by frame in a loop, the
way a trace is cleaned for display, is a warning: the frame it meant to
drop stays, which changes what is shown.

Fix: pass the information explicitly (a flag or parameter), compare function
references instead of names, or keep names (esbuild keepNames, terser
keep_fnames).`,
	Fix: `code: pass the caller's identity explicitly instead of parsing stacks
esbuild: keepNames; terser/swc: keep_fnames (a RegExp of the names searched for)`,
	Bad: `export function bootstrap() {
  return isInBootstrap();
}
function isInBootstrap() {
  return new Error().stack.includes("bootstrap");
}
console.log(bootstrap());`,
	Good: `export function bootstrap() {
  return isInBootstrap(true);
}
function isInBootstrap(flag) {
  return flag === true;
}
console.log(bootstrap());`,
	Requires: []*analyzer.Analysis{funcindex.Analysis},
	Run:      runStackNames,
}

func runStackNames(p *analyzer.Pass) {
	ix := funcindex.Of(p)
	nf := p.File.Names
	inspectProgram(p, func(n ast.Node, stack []ast.Node) bool {
		texts, strs, res := stackSearch(nf, n, stack)
		if len(texts) == 0 {
			return true
		}
		text := texts[0]
		local := readHere(texts, stack)
		what := "the stack trace"
		if c, ok := text.(*ast.CallExpression); ok {
			what = "a call site's " + c.Callee.(*ast.DotExpression).Identifier.Name.String() + "()"
		}
		report := func(msg string, sev analyzer.Severity, name string) {
			if sev == analyzer.Error && frameLoop(stack) {
				// A search per frame in a loop over the lines is how a
				// trace is cleaned for display: the frame it meant to drop
				// stays, which changes what is shown, not what runs.
				sev = analyzer.Warning
				msg += " (Searched frame by frame in a loop, as a trace is cleaned for display: the frame stays in it.)"
			} else if sev == analyzer.Error && !local {
				// The trace comes from another function (a parameter, a
				// helper's result, a field): the flows, which do not tell
				// one call of a helper from another, may bring it where
				// only other text is searched (Sentry's string helper
				// returns traces and meta tag names alike).
				sev = analyzer.Warning
				msg += " (The trace is read in another function and reaches this search through calls or fields.)"
			}
			p.Report(analyzer.Diagnostic{Pos: startOf(n), Severity: sev, Message: msg, Name: name})
		}
		for _, s := range strs {
			if msg, sev := judgeStack(ix, s, nil); msg != "" {
				report(fmt.Sprintf("%s: %s is searched for %q, %s", p.Text(text, 40), what, s, msg), sev, s)
				return true
			}
		}
		for _, pat := range res {
			re := pat.src
			r, rerr := regexp.Compile(pat.goSource())
			// /at bootstrap/: the identifiers a pattern spells out are
			// names it looks for, where a trace can show them.
			for _, w := range patternWords(re) {
				if rerr == nil && !seesName(r, w) {
					continue
				}
				if msg, sev := judgeStack(ix, w, nil); msg != "" {
					report(fmt.Sprintf("%s: %s is matched with /%s/, which looks for %q, %s", p.Text(text, 40), what, re, w, msg), sev, w)
					return true
				}
			}
			if msg, sev := judgeStack(ix, "", &re); msg != "" {
				report(fmt.Sprintf("%s: %s is matched with /%s/, %s", p.Text(text, 40), what, re, msg), sev, "")
				return true
			}
		}
		return true
	})
}

// stackSearch matches n as a search of stack text for literal names:
// text.includes("x") (indexOf, startsWith, endsWith, lastIndexOf, match,
// search), /re/.test(text) (exec), and err.stack === "x". It returns where the
// searched text was read (a .stack or getFunctionName() the flows bring
// to the searched operand), with the strings and patterns searched for.
func stackSearch(nf *names.Facts, n ast.Node, stack []ast.Node) (texts []ast.Node, strs []string, res []stackPattern) {
	var operand ast.Expression
	switch x := n.(type) {
	case *ast.CallExpression:
		d, ok := x.Callee.(*ast.DotExpression)
		if !ok {
			return nil, nil, nil
		}
		switch d.Identifier.Name {
		case "includes", "indexOf", "startsWith", "endsWith", "lastIndexOf", "match", "search":
			for _, a := range x.ArgumentList {
				if s, ok := constString(a); ok {
					strs = append(strs, s)
				} else if re, ok := a.(*ast.RegExpLiteral); ok {
					res = append(res, stackPattern{re.Pattern, re.Flags})
				}
			}
			operand = d.Left
		case "test", "exec":
			if re, ok := d.Left.(*ast.RegExpLiteral); ok && len(x.ArgumentList) == 1 {
				res = append(res, stackPattern{re.Pattern, re.Flags})
				operand = x.ArgumentList[0]
			}
		}
	case *ast.BinaryExpression:
		switch x.Operator {
		case token.STRICT_EQUAL, token.EQUAL, token.NOT_EQUAL, token.STRICT_NOT_EQUAL:
			if s, ok := constString(x.Right); ok {
				strs, operand = append(strs, s), x.Left
			} else if s, ok := constString(x.Left); ok {
				strs, operand = append(strs, s), x.Right
			}
		}
	}
	if operand == nil || len(strs)+len(res) == 0 {
		return nil, nil, nil
	}
	if _, ok := n.(*ast.BinaryExpression); ok {
		// A comparison takes the trace from its own operand only: a
		// minifier that reuses one variable for the trace and for a
		// string compared later (uglify-js) would make every
		// comparison of that variable a search of the trace.
		if read := names.StackShape(operand); len(read) > 0 {
			return read, strs, res
		}
		return nil, nil, nil
	}
	if fileField(operand) {
		return nil, nil, nil
	}
	read := nf.StackText(operand, stack)
	if len(read) == 0 {
		return nil, nil, nil
	}
	return read, strs, res
}

// fileField reports whether e reads a field that holds a frame's file
// name or URL (frame.filename, f.abs_path, loc.url): the part of a frame
// parsed from a trace that shows no function, whatever words it has
// (Sentry looks for "sentry" and "helpers" in a frame's file name).
func fileField(e ast.Expression) bool {
	var name string
	switch x := e.(type) {
	case *ast.DotExpression:
		name = x.Identifier.Name.String()
	case *ast.BracketExpression:
		s, ok := constString(x.Member)
		if !ok {
			return false
		}
		name = s
	default:
		return false
	}
	l := strings.ToLower(name)
	return strings.Contains(l, "file") || strings.Contains(l, "url") || l == "path" || l == "abs_path" || l == "abspath"
}

// stackPattern is a regular expression literal a trace is matched with:
// its source and its flags.
type stackPattern struct{ src, flags string }

// goSource is the pattern for package regexp, with the flags it shares
// with JavaScript (i, m, s) inline.
func (p stackPattern) goSource() string {
	var fl strings.Builder
	for _, f := range "ims" {
		if strings.ContainsRune(p.flags, f) {
			fl.WriteRune(f)
		}
	}
	if fl.Len() == 0 {
		return p.src
	}
	return "(?" + fl.String() + ")" + p.src
}

// framesOf returns texts in which a trace shows a function named w: the
// name alone (a call site's getFunctionName()), a frame as V8 prints it
// (plain, as a method, a constructor, async) and as SpiderMonkey and
// JavaScriptCore print it, and whole traces holding such a frame.
func framesOf(w string) []string {
	const at = " (https://example.com/app.js:1:2)"
	v8 := []string{"    at " + w + at, "    at Object." + w + at, "    at " + w + ".run" + at,
		"    at new " + w + at, "    at async " + w + at}
	sm := []string{w + "@https://example.com/app.js:1:2", w + "/<@https://example.com/app.js:1:2"}
	out := append([]string{w}, v8...)
	out = append(out, sm...)
	for _, l := range v8 {
		out = append(out, "Error: failed\n"+l+"\n    at https://example.com/app.js:3:4")
	}
	for _, l := range sm {
		out = append(out, l+"\n@https://example.com/app.js:3:4")
	}
	return out
}

// mangledFrames are the frames of a function the minifier named t.
var mangledFrames = framesOf("t")

// seesName reports whether matching a trace with r can tell a function
// named w from one the minifier renamed: on some text a trace shows, the
// match changes when w becomes a mangled name. A pattern can spell out a
// word where no frame shows a name: /^Error created at/ reads the first
// line of a V8 trace (the message), /^(og|twitter):/ a meta tag's name
// that a helper shared with traces returns.
func seesName(r *regexp.Regexp, w string) bool {
	named := framesOf(w)
	for i := range named {
		if r.MatchString(named[i]) != r.MatchString(mangledFrames[i]) {
			return true
		}
	}
	return false
}

// readHere reports whether one of the places texts were read (a .stack,
// a frame's getFunctionName()) is in the function that holds the search
// (stack: its ancestors), or the search is at the top level.
func readHere(texts []ast.Node, stack []ast.Node) bool {
	var fn ast.Node
	for i := len(stack) - 1; i >= 0 && fn == nil; i-- {
		switch stack[i].(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			fn = stack[i]
		}
	}
	for _, t := range texts {
		if fn == nil || t.Idx0() >= fn.Idx0() && t.Idx1() <= fn.Idx1() {
			return true
		}
	}
	return false
}

// frameLoop reports whether the search at the top of stack runs in a
// loop, or in the callback of an array method (lines.filter(l => …)),
// inside the function that holds it.
func frameLoop(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.ForStatement, *ast.ForOfStatement, *ast.ForInStatement, *ast.WhileStatement, *ast.DoWhileStatement:
			return true
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			if i == 0 {
				return false
			}
			call, ok := stack[i-1].(*ast.CallExpression)
			if !ok || !slices.ContainsFunc(call.ArgumentList, func(a ast.Expression) bool { return ast.Node(a) == stack[i] }) {
				return false
			}
			d, ok := call.Callee.(*ast.DotExpression)
			return ok && names.ArrayCallback(d.Identifier.Name.String())
		}
	}
	return false
}

// judgeStack says why searching a stack for s (or matching it with re)
// fails after minification, or "", and how sure that is: an error when
// no function of the bundle carries the name at runtime while the
// source's function of that name was renamed (the map says so) or every
// function of the bundle was renamed (the name then comes from nowhere);
// a warning when some function still carries it.
func judgeStack(ix *funcindex.Index, s string, re *string) (string, analyzer.Severity) {
	nf, m := ix.Facts(), funcindex.Exact()
	if re != nil {
		r, err := regexp.Compile(*re)
		if err != nil || matchesAnyWord(r) {
			return "", 0
		}
		m = funcindex.Match{Key: "/" + *re, Fn: func(name, _ string) bool { return r.MatchString(name) }}
	} else if !identifierLike(s) || builtins[s] {
		return "", 0
	}
	const fix = "Pass the information explicitly or keep function names (esbuild keepNames, terser keep_fnames)."
	if renamed := ix.RenamedAway(m, s); len(renamed) > 0 {
		fn := renamed[0]
		if ix.Carried(m, s) {
			return fmt.Sprintf("but %s renamed %s %s to %q, so its frames no longer show that name (another function still carries it). %s",
				renamer(nf), fn.Kind(), fn.Original, fn.Runtime, fix), analyzer.Warning
		}
		return fmt.Sprintf("but %s renamed %s %s to %q and no function of the bundle carries that name, so stack frames never show it. %s",
			renamer(nf), fn.Kind(), fn.Original, fn.Runtime, fix), analyzer.Error
	}
	if re == nil && nf.SourceDecl(s).Function && !ix.Carried(m, s) {
		// Compression may have inlined the function away entirely.
		return fmt.Sprintf("but no function in this bundle is called %q any more (the source's function %s was renamed or inlined), so stack frames never show it. %s", s, s, fix), analyzer.Error
	}
	if nf.HasMap || !nf.Minified || re != nil {
		return "", 0
	}
	if ix.Carried(m, s) || !ix.AnyMangled() || len(nf.Scope.Globals[s]) > 0 || len(s) < 3 {
		return "", 0
	}
	return fmt.Sprintf("but no function in this minified bundle is named %q, so stack frames never show it. %s", s, fix), analyzer.Error
}

// frameWords are the words of a stack line that name no function of the
// program: reserved words no function can be called, and what V8 and
// SpiderMonkey print around names (/at (?:new )?(\S+)/, "at async …",
// "eval at", "<anonymous>", "native").
var frameWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`new async eval native anonymous await function class this
		return typeof instanceof delete void var let const yield static super null true false
		file http https line column`) {
		m[w] = true
	}
	return m
}()

// patternWords returns the identifiers a regular expression spells out
// literally (escapes like \s and character classes removed), three
// characters or more and no frameWords: "at bootstrap" gives bootstrap.
// A word of a URL or a path (next to . / - ? = or &, escaped or not:
// reactjs\.org\/docs\/error-decoder) names a file, not a function.
func patternWords(re string) []string {
	var clean strings.Builder
	for i := 0; i < len(re); i++ {
		switch c := re[i]; {
		case c == '\\':
			i++ // \s, \d, \(: not part of a word
			if i < len(re) && strings.IndexByte(urlChars, re[i]) >= 0 {
				clean.WriteByte(re[i]) // \. and \/ stay: a URL's
			} else {
				clean.WriteByte(' ')
			}
		case c == '[':
			for i < len(re) && re[i] != ']' {
				i++
			}
			clean.WriteByte(' ')
		default:
			clean.WriteByte(c)
		}
	}
	text := clean.String()
	var out []string
	for _, loc := range identWordRE.FindAllStringIndex(text, -1) {
		w := text[loc[0]:loc[1]]
		if len(w) < 3 || frameWords[w] {
			continue
		}
		if loc[0] > 0 && strings.IndexByte(urlChars, text[loc[0]-1]) >= 0 ||
			loc[1] < len(text) && strings.IndexByte(urlChars, text[loc[1]]) >= 0 {
			continue
		}
		out = append(out, w)
	}
	return out
}

// urlChars are the characters around the words of a URL or a path.
const urlChars = "./-?=&"

// anyWords are identifiers of every shape a function may be given.
var anyWords = []string{"a", "Z", "foo", "BarBaz", "qux"}

// matchesAnyWord reports whether a pattern matches every word of
// anyWords: it reads the parts of a stack line (p5's
// /(.+?)(?::(\d+))?(?::(\d+))?$/ splits a frame into file, line and
// column; date.js's /^[a-zA-Z]+/ takes a word of the text it parses), it
// looks for no function. Only an anonymous function fails it, and that
// is no name anybody searched for.
func matchesAnyWord(r *regexp.Regexp) bool {
	for _, w := range anyWords {
		if !r.MatchString(w) {
			return false
		}
	}
	return true
}
