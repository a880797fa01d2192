package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// ParamNames flags code that reads parameter names back from a function's
// source text, and AngularJS-style injection of functions whose parameters
// the minifier renamed.
var ParamNames = &analyzer.Rule{
	ID:       "param-names",
	Title:    "Parameter names read from function source after the minifier renamed them",
	Severity: analyzer.Error,
	Doc: `Some dependency-injection code finds out what a function wants by reading
its source: fn.toString() (or Function.prototype.toString.call(fn), "" + fn)
and a regular expression over the parameter list. AngularJS does it for every
controller, service, factory, directive, filter, provider, config and run
block that has no explicit annotation. Every minifier renames parameters, so
function($scope, $http) becomes function(a, b) and the injector looks for
providers named "a" and "b": the app fails at startup with "Unknown provider:
aProvider <- a".

For source parsed outside AngularJS, the finding is an error where the
bundle shows the names looking something up (an object's key, a Map's or a
container's get, has or resolve, an in test, a comparison with a literal,
or a pattern that spells a parameter, such as a test runner's done), a
warning where they leave the bundle (an API returns them), and nothing
where they only build a message (tsyringe names the parameter it could not
resolve) or are only tested for punctuation (mathjs looks for a rest
parameter).

No minifier option fixes this: keepNames and keep_fnames keep function
names, not parameter names. Annotate the dependencies explicitly: the array
notation ['$scope', '$http', function ($scope, $http) {...}], a static
$inject = ['$scope', '$http'], or run ng-annotate /
babel-plugin-angularjs-annotate before minifying. For your own injectors,
pass dependency names explicitly instead of parsing source.`,
	Fix: `code: annotate dependencies (['$scope', function ($scope) {}], fn.$inject = [...], static $inject)
build: ng-annotate or babel-plugin-angularjs-annotate before the minifier
terser/uglify-js: mangle.reserved lists every injected name (last resort; fragile)`,
	Bad: `angular.module("app", []).controller("MainCtrl", function ($scope, $http) {
  $scope.items = [];
  $http.get("/items");
});`,
	Good: `angular.module("app", []).controller("MainCtrl", ["$scope", "$http", function ($scope, $http) {
  $scope.items = [];
  $http.get("/items");
}]);`,
	KeepNamesUnfixed: true,
	Run:              runParamNames,
}

// angularRegistrations maps module methods to the argument holding the
// injectable function.
var angularRegistrations = map[string]int{
	"controller": 1, "service": 1, "factory": 1, "directive": 1, "filter": 1, "provider": 1,
	"decorator": 1, "animation": 1, "config": 0, "run": 0,
}

func runParamNames(p *analyzer.Pass) {
	nf := p.File.Names
	inspectProgram(p, func(n ast.Node, stack []ast.Node) bool {
		call, ok := n.(*ast.CallExpression)
		if !ok {
			return true
		}
		if d, ok := call.Callee.(*ast.DotExpression); ok {
			m := d.Identifier.Name.String()
			if idx, ok := angularRegistrations[m]; ok && isAngularModule(nf, d.Left, 0) && idx < len(call.ArgumentList) {
				checkInjectable(p, call.ArgumentList[idx], "AngularJS ."+m+"()")
			}
			if m == "component" && isAngularModule(nf, d.Left, 0) && len(call.ArgumentList) > 1 {
				if obj, ok := call.ArgumentList[1].(*ast.ObjectLiteral); ok {
					for _, prop := range obj.Value {
						if kv, ok := prop.(*ast.PropertyKeyed); ok {
							if k, _ := keyName(kv); k == "controller" {
								checkInjectable(p, kv.Value, "AngularJS component controller")
							}
						}
					}
				}
			}
			if (m == "invoke" || m == "instantiate") && isInjector(nf, d.Left) && len(call.ArgumentList) > 0 {
				checkInjectable(p, call.ArgumentList[0], "$injector."+m+"()")
			}
		}
		if target, ok := stringifiedFunction(nf, call); ok {
			checkSourceParse(p, call, target, stack)
		}
		return true
	})
}

func keyName(kv *ast.PropertyKeyed) (string, bool) {
	if s, ok := kv.Key.(*ast.StringLiteral); ok && !kv.Computed {
		return s.Value.String(), true
	}
	return "", false
}

// isAngularModule reports whether e is angular.module(...), a chain of
// registrations on it, or a binding that holds one.
func isAngularModule(nf *names.Facts, e ast.Expression, depth int) bool {
	if depth > 64 {
		return false
	}
	switch x := e.(type) {
	case *ast.CallExpression:
		d, ok := x.Callee.(*ast.DotExpression)
		if !ok {
			return false
		}
		if d.Identifier.Name == "module" {
			if id, ok := d.Left.(*ast.Identifier); ok && id.Name == "angular" && nf.Scope.IsGlobal(id) {
				return true
			}
		}
		switch d.Identifier.Name.String() {
		case "controller", "service", "factory", "directive", "filter", "provider", "decorator",
			"animation", "config", "run", "component", "constant", "value":
			return isAngularModule(nf, d.Left, depth+1)
		}
	case *ast.Identifier:
		if init := nf.Scope.Resolve(x).Constant(); init != nil {
			return isAngularModule(nf, init, depth+1)
		}
	}
	return false
}

// isInjector recognises $injector (a global, an injected parameter that
// kept its name, or angular.injector(...)).
func isInjector(nf *names.Facts, e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.Identifier:
		return x.Name == "$injector"
	case *ast.CallExpression:
		if d, ok := x.Callee.(*ast.DotExpression); ok && d.Identifier.Name == "injector" {
			id, ok := d.Left.(*ast.Identifier)
			return ok && id.Name == "angular"
		}
	}
	return false
}

// checkInjectable reports a function injected by parameter name whose
// parameters the minifier renamed.
func checkInjectable(p *analyzer.Pass, arg ast.Expression, where string) {
	nf := p.File.Names
	if _, ok := arg.(*ast.ArrayLiteral); ok {
		return // ['$scope', function(a){}]: annotated
	}
	fn := nf.Resolve(arg)
	if fn == nil || fn.Injected {
		return
	}
	renamed := renamedParams(nf, fn)
	if renamed == "" {
		return
	}
	p.Report(analyzer.Diagnostic{
		Pos: scope.Offset(arg.Idx0()),
		Message: fmt.Sprintf("%s injects this %s by its parameter names, but the minifier renamed them (%s): injection fails at startup with \"Unknown provider\". "+
			"Annotate it (['$scope', function ($scope) {…}] or $inject) or run ng-annotate before minifying; no keep-names option fixes parameters.",
			where, fn.Kind(), renamed),
		Name: fn.SourceName(),
	})
}

// renamedParams describes the renamed parameters of fn ("$scope → a,
// $http → b"), or "" when none is known to be renamed.
func renamedParams(nf *names.Facts, fn *names.Func) string {
	var parts []string
	unknown := 0
	for _, b := range fn.Params {
		if b == nil {
			continue
		}
		if orig, ok := nf.ParamOriginal(b); ok {
			if orig != b.Name {
				parts = append(parts, orig+" → "+b.Name)
			}
			continue
		}
		if nf.Minified && !fn.Dynamic && names.LooksMangled(b.Name) && !strings.HasPrefix(b.Name, "$") {
			unknown++
			parts = append(parts, b.Name)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if unknown == len(parts) {
		return "parameters " + strings.Join(parts, ", ") + " in a minified bundle"
	}
	return strings.Join(parts, ", ")
}

// stringifiedFunction recognises fn.toString(), String(fn) and
// Function.prototype.toString.call(fn) and returns fn.
func stringifiedFunction(nf *names.Facts, call *ast.CallExpression) (ast.Expression, bool) {
	switch c := call.Callee.(type) {
	case *ast.DotExpression:
		switch c.Identifier.Name {
		case "toString":
			if len(call.ArgumentList) == 0 {
				return c.Left, true
			}
		case "call":
			if names.IsFunctionToStringCall(c) && len(call.ArgumentList) == 1 {
				return call.ArgumentList[0], true
			}
		}
	case *ast.Identifier:
		if c.Name == "String" && nf.Scope.IsGlobal(c) && len(call.ArgumentList) == 1 {
			return call.ArgumentList[0], true
		}
	}
	return nil, false
}

// checkSourceParse reports fn.toString() followed by a parameter-list
// regular expression, when a function the value flows bring to it is
// known and its parameters were renamed. A generic helper whose argument
// is unknown (AngularJS's own annotate) is not reported: its callers are,
// and so are the functions the flows see reach it.
func checkSourceParse(p *analyzer.Pass, call *ast.CallExpression, target ast.Expression, stack []ast.Node) {
	nf := p.File.Names
	var fns []*names.Func
	if fn := nf.Resolve(target); fn != nil {
		fns = []*names.Func{fn}
	} else if id, ok := target.(*ast.Identifier); ok {
		if b := nf.Scope.Resolve(id); b != nil && b.Kind == scope.Param {
			fns = nf.ParamArgs(b)
		}
	}
	if flowed, _ := nf.FuncsOf(target, stack); len(flowed) > 0 {
		for _, fn := range flowed {
			if !slices.Contains(fns, fn) {
				fns = append(fns, fn)
			}
		}
	}
	if len(fns) == 0 {
		return
	}
	parse := parsesParams(p, call, stack)
	if parse == nil || namesUnread(p, parse, enclosingBody(p.File.Program, stack)) {
		return
	}
	// The function whose renamed parameters the text shows; only then is
	// the program searched for where the names go.
	var fn *names.Func
	renamed := ""
	for _, f := range fns {
		if !f.Injected {
			if renamed = renamedParams(nf, f); renamed != "" {
				fn = f
				break
			}
		}
	}
	if fn == nil {
		return
	}
	lookup := namesLookedUp(p, call)
	if lookup == nil && namedInPattern(p, parse) {
		lookup = parse // the pattern itself looks for a parameter (done)
	}
	severity := analyzer.Error
	related := []analyzer.Related{{Pos: startOf(parse), Message: "the parameter list is read from the text here: " + p.Text(parse, 60)}}
	where := ""
	switch {
	case lookup != nil:
		related = append(related, analyzer.Related{Pos: startOf(lookup), Message: "the names read from it look values up here: " + p.Text(lookup, 60)})
	case nf.TextEscapes(call):
		// They leave the bundle (an API returns them): what looks them up
		// is not here.
		severity = analyzer.Warning
		where = " The names leave the bundle (returned or passed to code outside it), which may look values up by them."
	default:
		return // the names stay in the bundle and look nothing up: a message
	}
	pos := startOf(call)
	if d, ok := call.Callee.(*ast.DotExpression); ok {
		pos = scope.Offset(d.Identifier.Idx) // .toString, where the source read it
	}
	p.Report(analyzer.Diagnostic{
		Pos:      pos,
		Severity: severity,
		Message: fmt.Sprintf("%s reads the source of %s to find its parameter names, but the minifier renamed them (%s).%s "+
			"Pass dependency names explicitly (an array or a static $inject); no keep-names option fixes parameters.",
			p.Text(call, 60), kindAndName(fn), renamed, where),
		Name:    fn.SourceName(),
		Related: related,
	})
}

// namesLookedUp returns where the text call made (a function's source),
// or a string derived from it, looks a value up: the key of o[k], the
// argument of a lookup method (get, has, resolve, invoke…),
// the left of in, or a side of a comparison with a literal. That is
// where renamed parameters break injection; names that only go into a
// message (tsyringe formats the parameter it could not resolve) break
// nothing. nil: nowhere the flows see.
func namesLookedUp(p *analyzer.Pass, call *ast.CallExpression) ast.Node {
	nf := p.File.Names
	holds := func(e ast.Expression, stack []ast.Node) bool {
		if e == nil {
			return false
		}
		if e == ast.Expression(call) {
			return true
		}
		return slices.ContainsFunc(nf.ShippedSource(e, stack), func(sh names.Shipped) bool { return sh.At == ast.Node(call) })
	}
	var found ast.Node
	inspectProgram(p, func(n ast.Node, stack []ast.Node) bool {
		if found != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.BracketExpression:
			if _, lit := names.LiteralString(x.Member); !lit && !holds(x.Left, stack) && holds(x.Member, stack) {
				found = x
			}
		case *ast.CallExpression:
			if d, ok := x.Callee.(*ast.DotExpression); ok && len(x.ArgumentList) > 0 && (lookupMethods[d.Identifier.Name.String()] || injectorMethods[d.Identifier.Name.String()]) &&
				holds(x.ArgumentList[0], stack) {
				found = x
			}
		case *ast.BinaryExpression:
			switch x.Operator {
			case token.IN:
				if holds(x.Left, stack) {
					found = x
				}
			case token.EQUAL, token.STRICT_EQUAL, token.NOT_EQUAL, token.STRICT_NOT_EQUAL:
				_, l := names.LiteralString(x.Left)
				_, r := names.LiteralString(x.Right)
				if l && holds(x.Right, stack) || r && holds(x.Left, stack) {
					found = x
				}
			}
		}
		return true
	})
	return found
}

// namedInPattern reports whether the regular expression of parse names
// a parameter: a word right after an escaped "(" (and optional
// whitespace), other than a keyword of function syntax (a test runner's
// /^(?:function\b[^(]*)?\(?\s*done\b/; not a CSS pattern's
// rgba?\( or var\(\s*--).
func namedInPattern(p *analyzer.Pass, parse *ast.CallExpression) bool {
	var re ast.Expression
	if d, ok := parse.Callee.(*ast.DotExpression); ok {
		re = d.Left
		if len(parse.ArgumentList) > 0 && d.Identifier.Name != "test" && d.Identifier.Name != "exec" {
			re = parse.ArgumentList[0]
		}
	}
	lit := regexpLiteral(p, re)
	if lit == nil {
		return false
	}
	pat := lit.Pattern
	for i := strings.Index(pat, `\(`); i >= 0; {
		j := i + 2
		j += len(pat[j:]) - len(strings.TrimLeft(pat[j:], "?"))
		for _, ws := range []string{`\s*`, `\s+`, `\s?`} {
			if strings.HasPrefix(pat[j:], ws) {
				j += len(ws)
				break
			}
		}
		k := j
		for k < len(pat) && (identStart(pat[k]) || k > j && pat[k] >= '0' && pat[k] <= '9') {
			k++
		}
		if word := pat[j:k]; word != "" && !functionSyntax[word] {
			return true
		}
		next := strings.Index(pat[i+2:], `\(`)
		if next < 0 {
			break
		}
		i += 2 + next
	}
	return false
}

func identStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// functionSyntax are the words a pattern for a parameter list may spell
// without naming a parameter.
var functionSyntax = map[string]bool{"function": true, "async": true, "constructor": true, "class": true,
	"static": true, "get": true, "set": true, "extends": true}

// injectorMethods look a value up by a key besides a container's
// (lookupMethods): a Map's has, an injector's invoke and instantiate.
var injectorMethods = map[string]bool{"has": true, "invoke": true, "instantiate": true, "hasOwnProperty": true}

// parsesParams returns the call by which the function around a
// stringification extracts a parameter list from the text (nil: none):
// it matches it against a regular
// expression for "(" and ")" or a parameter separator (text.match(re),
// re.exec(text), text.replace(re, …)), or searches it for a closing
// parenthesis (text.slice(text.indexOf("(") + 1, text.indexOf(")"))).
// Reading the name before "(" searches for no ")" and does not count,
// nor does a regular expression applied to some other string.
func parsesParams(p *analyzer.Pass, call *ast.CallExpression, stack []ast.Node) *ast.CallExpression {
	encl := enclosingBody(p.File.Program, stack)
	var found *ast.CallExpression
	walk.Inspect(encl, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		x, ok := n.(*ast.CallExpression)
		if !ok || len(x.ArgumentList) == 0 {
			return true
		}
		d, ok := x.Callee.(*ast.DotExpression)
		if !ok {
			return true
		}
		arg := x.ArgumentList[0]
		switch d.Identifier.Name {
		case "indexOf", "lastIndexOf", "split":
			if lit, ok := p.File.Names.ConstString(arg); ok && strings.Contains(lit, ")") && holdsText(p, d.Left, call) {
				found = x
				return false
			}
		}
		switch d.Identifier.Name {
		case "match", "matchAll", "replace", "replaceAll", "split", "search":
			if paramListRegexp(p, arg) && holdsText(p, d.Left, call) {
				found = x
			}
		case "exec", "test":
			if paramListRegexp(p, d.Left) && holdsText(p, arg, call) {
				found = x
			}
		}
		return true
	})
	return found
}

// namesUnread reports whether the parameter list that parse extracts is
// only tested for punctuation, which renaming does not change: the
// extracted text goes to a binding of body (var params = text.match(re),
// or t = t.match(re) where a minifier reuses a variable), and every use of
// it after that is /\.\.\./.test(params) or params.includes("..."), by
// a pattern or string without identifier characters; or parse is itself
// the argument of such a test (mathjs checks a callback for a rest
// parameter so).
func namesUnread(p *analyzer.Pass, parse *ast.CallExpression, body ast.Node) bool {
	sc := p.File.Scope
	var b *scope.Binding
	tested := false
	walk.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpression:
			if arg, re := punctuationTest(p, x); arg == ast.Expression(parse) && re {
				tested = true
			}
		case *ast.Binding:
			if id, ok := x.Target.(*ast.Identifier); ok && x.Initializer == ast.Expression(parse) {
				b = sc.Declared(id)
			}
		case *ast.AssignExpression:
			if id, ok := x.Left.(*ast.Identifier); ok && x.Operator == token.ASSIGN && x.Right == ast.Expression(parse) {
				b = sc.Resolve(id)
			}
		}
		return b == nil && !tested
	})
	if tested {
		return true
	}
	if b == nil {
		return false
	}
	// The uses after the extraction, and those that are punctuation
	// tests.
	end := scope.Offset(parse.Idx1())
	uses, tests := 0, 0
	walk.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Identifier:
			if scope.Offset(x.Idx) >= end && sc.Resolve(x) == b {
				uses++
			}
		case *ast.CallExpression:
			if arg, ok := punctuationTest(p, x); ok && scope.Offset(arg.Idx0()) >= end {
				if id, ok := arg.(*ast.Identifier); ok && sc.Resolve(id) == b {
					tests++
				}
			}
		}
		return true
	})
	return uses > 0 && tests == uses
}

// punctuationTest recognises re.test(arg) and arg.includes(s) where the
// pattern or string has no identifier characters, and returns arg.
func punctuationTest(p *analyzer.Pass, x *ast.CallExpression) (ast.Expression, bool) {
	d, ok := x.Callee.(*ast.DotExpression)
	if !ok || len(x.ArgumentList) != 1 {
		return nil, false
	}
	switch d.Identifier.Name {
	case "test":
		re, ok := d.Left.(*ast.RegExpLiteral)
		return x.ArgumentList[0], ok && punctuationOnly(re.Pattern)
	case "includes":
		lit, ok := p.File.Names.ConstString(x.ArgumentList[0])
		return d.Left, ok && punctuationOnly(lit)
	}
	return nil, false
}

// punctuationOnly reports whether a pattern or string matches no
// identifier characters: once its escapes are dropped (\. \s \(), none
// is left.
func punctuationOnly(pat string) bool {
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		if c == '\\' {
			i++
			continue
		}
		if c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			return false
		}
	}
	return true
}

// paramListRegexp reports whether e is a regular expression literal (or a
// binding initialised with one) that reads a parameter list.
func paramListRegexp(p *analyzer.Pass, e ast.Expression) bool {
	re := regexpLiteral(p, e)
	return re != nil && isParamListRegexp(re.Pattern)
}

// regexpLiteral returns e when it is a regular expression literal, or the
// literal a binding e names is initialised with; else nil.
func regexpLiteral(p *analyzer.Pass, e ast.Expression) *ast.RegExpLiteral {
	if id, ok := e.(*ast.Identifier); ok {
		if b := p.File.Scope.Resolve(id); b != nil {
			e = b.Init
		}
	}
	re, _ := e.(*ast.RegExpLiteral)
	return re
}

// holdsText reports whether e is the stringification call or holds the
// text it made, by the shared flows: a string derived from it (replace,
// trim, slice…), a binding, parameter or field it reached. The search is
// on the function's text, not on some other string of the same function.
func holdsText(p *analyzer.Pass, e ast.Expression, call *ast.CallExpression) bool {
	if e == nil {
		return false
	}
	if e == ast.Expression(call) {
		return true
	}
	return slices.ContainsFunc(p.File.Names.ShippedSource(e, nil), func(sh names.Shipped) bool { return sh.At == ast.Node(call) })
}

func isParamListRegexp(pat string) bool {
	return strings.Contains(pat, `\(`) && (strings.Contains(pat, `\)`) || strings.Contains(pat, `[^)]`) ||
		strings.Contains(pat, "=>") || strings.Contains(pat, "function"))
}

// enclosingBody returns the innermost function among a node's ancestors
// (stack), or the program.
func enclosingBody(prg *ast.Program, stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			return stack[i]
		}
	}
	return prg
}

// kindAndName is "function inject", or "an anonymous function" when the
// source gives it no name (it read "function  to find").
func kindAndName(fn *names.Func) string {
	if fn.SourceName() == "" {
		return "an anonymous " + fn.Kind()
	}
	return fn.Kind() + " " + fn.SourceName()
}
