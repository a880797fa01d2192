package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
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
other branch.

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
	Run: runStackNames,
}

func runStackNames(p *analyzer.Pass) {
	ix := newFuncIndex(p.File.Names)
	inspectProgram(p, func(n ast.Node, stack []ast.Node) bool {
		var src ast.Expression
		what := "the stack trace"
		switch x := n.(type) {
		case *ast.DotExpression:
			if x.Identifier.Name == "stack" {
				src = x
			}
		case *ast.CallExpression:
			if d, ok := x.Callee.(*ast.DotExpression); ok && len(x.ArgumentList) == 0 {
				switch d.Identifier.Name {
				case "getFunctionName", "getMethodName", "getTypeName":
					src, what = x, "a call site's "+d.Identifier.Name.String()+"()"
				}
			}
		}
		if src == nil {
			return true
		}
		strs, res := searchedFor(src, stack)
		for _, s := range strs {
			if msg := judgeStack(ix, s, nil); msg != "" {
				p.Report(analyzer.Diagnostic{Pos: startOf(src), Message: fmt.Sprintf("%s: %s is searched for %q, %s", p.Text(src, 40), what, s, msg), Name: s})
				return true
			}
		}
		for _, re := range res {
			// /at bootstrap/: the identifiers a pattern spells out are
			// names it looks for.
			for _, w := range patternWords(re) {
				if msg := judgeStack(ix, w, nil); msg != "" {
					p.Report(analyzer.Diagnostic{Pos: startOf(src), Message: fmt.Sprintf("%s: %s is matched with /%s/, which looks for %q, %s", p.Text(src, 40), what, re, w, msg), Name: w})
					return true
				}
			}
			re := re
			if msg := judgeStack(ix, "", &re); msg != "" {
				p.Report(analyzer.Diagnostic{Pos: startOf(src), Message: fmt.Sprintf("%s: %s is matched with /%s/, %s", p.Text(src, 40), what, re, msg)})
				return true
			}
		}
		return true
	})
}

// searchedFor follows a stack string up through string operations to the
// strings or regular expressions it is searched for.
func searchedFor(e ast.Expression, stack []ast.Node) (strs []string, res []string) {
	cur := ast.Node(e)
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.DotExpression:
			if p.Left != cur || i == 0 {
				return
			}
			call, ok := stack[i-1].(*ast.CallExpression)
			if !ok || call.Callee != p {
				return
			}
			switch p.Identifier.Name.String() {
			case "split", "slice", "substring", "substr", "toString", "trim", "replace", "toLowerCase", "join", "filter", "find", "map":
				cur = call
				i--
				continue
			case "includes", "indexOf", "startsWith", "endsWith", "lastIndexOf", "match", "search", "some":
				for _, a := range call.ArgumentList {
					if s, ok := constString(a); ok {
						strs = append(strs, s)
					} else if re, ok := a.(*ast.RegExpLiteral); ok {
						res = append(res, re.Pattern)
					}
				}
			}
			return
		case *ast.BracketExpression:
			if p.Left != cur {
				return
			}
		case *ast.CallExpression:
			// /re/.test(stack)
			if d, ok := p.Callee.(*ast.DotExpression); ok && (d.Identifier.Name == "test" || d.Identifier.Name == "exec") {
				if re, ok := d.Left.(*ast.RegExpLiteral); ok {
					res = append(res, re.Pattern)
				}
			}
			return
		case *ast.BinaryExpression:
			if p.Operator == token.STRICT_EQUAL || p.Operator == token.EQUAL || p.Operator == token.NOT_EQUAL || p.Operator == token.STRICT_NOT_EQUAL {
				other := p.Right
				if other == cur {
					other = p.Left
				}
				if s, ok := constString(other); ok {
					strs = append(strs, s)
				}
			}
			return
		case *ast.ConditionalExpression, *ast.SequenceExpression:
		default:
			return
		}
		cur = stack[i]
	}
	return
}

// judgeStack says why searching a stack for s (or matching it with re)
// fails after minification, or "".
func judgeStack(ix *funcIndex, s string, re *string) string {
	nf, m := ix.nf, exactMatch()
	if re != nil {
		r, err := regexp.Compile(*re)
		if err != nil {
			return ""
		}
		m = nameMatch{key: "/" + *re, match: func(name, _ string) bool { return r.MatchString(name) }}
	} else if !identifierLike(s) || builtins[s] {
		return ""
	}
	if renamed := ix.renamedAway(m, s); len(renamed) > 0 {
		fn := renamed[0]
		return fmt.Sprintf("but %s renamed %s %s to %q, so stack frames never show that name. Pass the information explicitly or keep function names (esbuild keepNames, terser keep_fnames).",
			renamer(nf), fn.Kind(), fn.Original, fn.Runtime)
	}
	if re == nil && nf.SourceDecl(s).Function {
		// Compression may have inlined the function away entirely.
		if !ix.carried(m, s) {
			return fmt.Sprintf("but no function in this bundle is called %q any more (the source's function %s was renamed or inlined), so stack frames never show it. Pass the information explicitly or keep function names (esbuild keepNames, terser keep_fnames).", s, s)
		}
	}
	if nf.HasMap || !nf.Minified || re != nil {
		return ""
	}
	if ix.carried(m, s) || !ix.anyMangled() || len(nf.Scope.Globals[s]) > 0 || len(s) < 3 {
		return ""
	}
	return fmt.Sprintf("but no function in this minified bundle is named %q, so stack frames never show it. Pass the information explicitly or keep function names (esbuild keepNames, terser keep_fnames).", s)
}

// patternWords returns the identifiers a regular expression spells out
// literally (escapes like \s and character classes removed), three
// characters or more: "at bootstrap" gives bootstrap.
func patternWords(re string) []string {
	var clean strings.Builder
	for i := 0; i < len(re); i++ {
		switch c := re[i]; {
		case c == '\\':
			i++ // \s, \d, \(: not part of a word
			clean.WriteByte(' ')
		case c == '[':
			for i < len(re) && re[i] != ']' {
				i++
			}
			clean.WriteByte(' ')
		default:
			clean.WriteByte(c)
		}
	}
	var out []string
	for _, w := range identWordRE.FindAllString(clean.String(), -1) {
		if len(w) >= 3 {
			out = append(out, w)
		}
	}
	return out
}
