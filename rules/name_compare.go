package rules

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/funcindex"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// NameCompare flags comparisons of a runtime function or class name with a
// string that cannot match after minification.
var NameCompare = &analyzer.Rule{
	ID:       "name-compare",
	Title:    "Runtime name compared with a string the minifier made unreachable",
	Severity: analyzer.Error,
	Doc: `Code compares the runtime .name of a function or class with a string literal:
x.constructor.name === "UserService", switch (fn.name) { case "Foo": ... },
["A", "B"].includes(C.name). Minifiers rename functions and classes (esbuild,
terser, swc and uglify-js all do by default), so in the bundle the class is
called "t" and the comparison is always false: the branch that should run never
does, usually without an error.

A string made from the name (` + "`${C.name}:v2`" + `, "kind:" +
C.name.toLowerCase()) and compared with literals breaks the same way: the
engine evaluates the derivation on the names involved.

The finding is certain when the source map says which class was renamed from
the compared name. Without a map, manglecheck flags a comparison in a minified
bundle when no function or class left in the bundle carries the compared name,
and a regular expression test (/^(\w+)Controller$/.exec(C.name)) when every
class it can be has a mangled name and the expression needs a word in the name
that none of them has. When some of the classes it can be kept their names, an
object key that holds a renamed one under the compared name ({Shape: r}, a
namespace object: object keys survive minification) is the evidence.

A package can make the name for you: type-graphql and @nestjs/graphql name a
GraphQL type after its class when @ObjectType() gives no name, so a response's
__typename is the runtime name. Comparing __typename with a literal that no
such type carries once minified is an error too.

Fix it by comparing by reference (x instanceof UserService, x.constructor ===
UserService), by giving the class a name that survives minification (static
name = "UserService", or an explicit static tag you own), or by telling the
minifier to keep names: esbuild keepNames, terser keep_classnames/keep_fnames
(a RegExp of just the names you rely on), swc keep_classnames/keep_fnames.`,
	Fix: keepNamesFix,
	Bad: `class UserService {}
function isService(x) {
  return x.constructor.name === "UserService";
}
console.log(isService(new UserService()));`,
	Good: `class UserService {}
function isService(x) {
  return x instanceof UserService;
}
console.log(isService(new UserService()));`,
	Requires: []*analyzer.Analysis{funcindex.Analysis},
	Run:      runNameCompare,
}

func runNameCompare(p *analyzer.Pass) {
	nf := p.File.Names
	ix := funcindex.Of(p)
	reportPackageTypenames(p)
	for _, u := range nf.Uses {
		if lit, msg, name := derivedCompareBreaks(ix, u); msg != "" {
			how := fmt.Sprintf("is compared with %q", lit)
			if u.Callee != "" {
				how = fmt.Sprintf("is tested with .%s(%q)", u.Callee, lit)
			}
			p.Report(analyzer.Diagnostic{
				Pos:     u.Read.Pos,
				Message: fmt.Sprintf("%s is turned into a string that %s, %s", p.Text(u.Read.Node, 60), how, msg),
				Name:    name,
				Related: passedHere(p, u.Read),
			})
			continue
		}
		if u.Kind != names.UseCompare || u.Derived() || isCalleeRead(u.Read) {
			continue
		}
		// One finding per comparison: a list of literals (a switch, a
		// membership test) that none can match is one break.
		match := matcher(u.Callee)
		var failed []string
		var first, firstName string
		for _, lit := range u.Strings {
			if slices.ContainsFunc(u.Guards, func(fn *names.Func) bool { return guardCovers(ix, fn, lit) }) ||
				slices.Contains(u.GuardNames, lit) && len(ix.RenamedAway(funcindex.Exact(), lit)) <= 1 {
				continue
			}
			if msg, name := judgeCompare(ix, u, lit, match); msg != "" {
				if first == "" {
					first, firstName = msg, name
				}
				failed = append(failed, fmt.Sprintf("%q", lit))
			}
		}
		if first != "" {
			how := "is compared with " + quotedList(failed)
			if u.Callee != "" {
				how = fmt.Sprintf("is tested with .%s(%s)", u.Callee, strings.Join(failed, ", "))
			}
			p.Report(analyzer.Diagnostic{
				Pos:     u.Read.Pos,
				Message: fmt.Sprintf("%s %s, %s", p.Text(u.Read.Node, 60), how, first),
				Name:    firstName,
				Related: passedHere(p, u.Read),
			})
		}
		for _, src := range u.Regexps {
			re, err := regexp.Compile(src)
			if err != nil {
				continue
			}
			m := funcindex.Match{Key: "/" + src, Fn: func(name, _ string) bool { return re.MatchString(name) }}
			msg, name := judgeCompare(ix, u, "", m)
			if msg == "" {
				msg, name = judgeRegexp(nf, u.Read, re)
			}
			if msg != "" {
				p.Report(analyzer.Diagnostic{
					Pos:     u.Read.Pos,
					Message: fmt.Sprintf("%s is tested with /%s/, %s", p.Text(u.Read.Node, 60), src, msg),
					Name:    name,
					Related: passedHere(p, u.Read),
				})
			}
		}
	}
}

// matcher returns how a comparison matches a name against a literal.
func matcher(callee string) funcindex.Match {
	switch callee {
	case "startsWith":
		return funcindex.Match{Key: callee, Fn: strings.HasPrefix}
	case "endsWith":
		return funcindex.Match{Key: callee, Fn: strings.HasSuffix}
	case "includes", "indexOf", "lastIndexOf", "search", "match", "matchAll":
		return funcindex.Match{Key: "includes", Fn: strings.Contains}
	}
	return funcindex.Exact()
}

// judgeCompare returns why comparing the name used by u with lit cannot
// work after minification ("" when it can), and the original name involved.
func judgeCompare(ix *funcindex.Index, u *names.Use, lit string, m funcindex.Match) (string, string) {
	nf, match, r := ix.Facts(), m.Fn, u.Read
	if _, ok := r.Receiver.(*ast.FunctionLiteral); ok {
		// (function something() {}).name === "something": a probe of
		// whether the engine names functions (core-js), which a
		// minifier's answer changes on purpose, not a lookup.
		return "", ""
	}
	// Candidates from call sites (a parameter) are a sample of what
	// reaches the read: a literal naming one of them is evidence, a
	// literal naming some other function of the bundle is a coincidence
	// (react-dom compares element tags like "track" with values that also
	// carry component names).
	exhaustive := r.Candidates != nil && !r.Partial
	// With a map: a candidate that was renamed away from the literal.
	if renamed, blocked := renamedAwayFrom(ix, r, lit, m); blocked {
		return "", ""
	} else if len(renamed) > 0 {
		fn := renamed[0]
		return fmt.Sprintf("but %s renamed %s: it is %q at runtime, so the comparison never matches. %s",
			renamer(nf), renames(renamed), fn.Runtime, compareFix(fn)), fn.Original
	}
	if !nf.Minified || lit == "" || !identifierLike(lit) || platformName(lit) {
		return "", ""
	}
	if nf.HasMap && r.Candidates == nil {
		// The map named every renamed function of this file above; a
		// literal that is none of their original names is about something
		// else — unless the source imports a class of that name from
		// another chunk of a code-split build, whose names this build
		// mangles like this chunk's (Vite, Rollup, esbuild --splitting).
		if nf.SourceDecl(lit).Imported && nf.NumPinned == 0 && ix.AnyMangled() && importsFromChunk(ix, lit) {
			return fmt.Sprintf("but %s is imported from another chunk of this minified build, where the minifier renames it like the classes here, so the comparison never matches. %s",
				lit, compareFix(nil)), lit
		}
		return "", ""
	}
	// Without map knowledge: a known receiver whose name is mangled.
	if r.Candidates != nil {
		if u.ReturnsOther() {
			// What is compared may be another string the function
			// returns (see judgeDerivedCompare).
			return "", ""
		}
		if r.Kind == names.RecvProperty && r.Shared {
			// The property is written elsewhere too: the literal may
			// be what those writes store (a component's name from its
			// options), and nothing shows the name is compared.
			return "", ""
		}
		if r.Kind == names.RecvProperty && r.Partial && (domErrorNames[lit] || !capitalised(lit) || strings.ToUpper(lit) == lit || ix.NameWritten(lit)) {
			// err.name on an error the flows do not see: one of the
			// classes that store their name there, or an error of the
			// browser, which carries this name (Auth0's SPA SDK compares
			// a DOMException's name with "AbortError"). Or any object
			// with a name of its own: a literal that is no class name
			// (esprima's key.name === "__proto__", objection's
			// op.name === "returning") is about those, and so is an error
			// code in capitals (Firefox's NS_ERROR_DOM_QUOTA_REACHED) or a
			// name the bundle writes ({name: "ID"}: GraphQL's scalar
			// types).
			return "", ""
		}
		var short []*names.Func
		for _, fn := range r.Candidates {
			if fn.OriginalKnown {
				// The map knows this one and it was not renamed away
				// from lit.
				return "", ""
			}
			if exhaustive && fn.RuntimeKnown && fn.Runtime == "" && !fn.Helper {
				// Anonymous at runtime (compression dropped the name):
				// it matches no identifier either.
				short = append(short, fn)
				continue
			}
			if match(fn.Runtime, lit) {
				return "", ""
			}
			if !nf.Mangled(fn) {
				// A name the minifier kept: the literal may be meant for
				// one of the renamed candidates only if the bundle says
				// so (keyedAs).
				if msg := keyedAway(ix, r.Candidates, lit, exhaustive); msg != "" {
					return msg, lit
				}
				return "", ""
			}
			short = append(short, fn)
		}
		if len(short) == 0 {
			return "", ""
		}
		// Anonymous candidates alone could have been anonymous in the
		// source too, unless the code names them: a literal no function
		// of this bundle carries, compared with every value the read can
		// be, in a bundle whose other names are mangled.
		if !anyShortName(short) && (!exhaustive || !ix.AnyMangled() || ix.Carried(m, lit)) {
			return "", ""
		}
		return fmt.Sprintf("but in this minified bundle %s, so the comparison never matches. %s",
			runtimeNames(short), compareFix(nil)), lit
	}
	// Unknown receiver, no map: the literal names nothing left in the
	// bundle, and the bundle shows mangled names.
	if len(lit) < 3 {
		return "", ""
	}
	if r.Kind == names.RecvConstructor && !capitalised(lit) {
		// A constructor's name that is no class name: the placeholder
		// compilers give anonymous classes (loupe prints "_class" as
		// <Anonymous Class>), or a probe of something else.
		return "", ""
	}
	if ix.Carried(m, lit) || !ix.AnyMangled() || len(nf.Scope.Globals[lit]) > 0 || nf.DynamicName(lit) || ix.OnlyRead(lit) {
		// Kept, a global, made at runtime, or a property the bundle
		// only reads (a host class: e.webkitAudioContext).
		return "", ""
	}
	if nf.LoadsPackages() {
		// The literal may name a class of a module the bundle loads
		// (Node's AssertionError, the driver's ReadPreference), whose
		// name this build does not change.
		return "", ""
	}
	return fmt.Sprintf("but no function or class in this minified bundle is named %q at runtime (its names are mangled), so the comparison never matches. %s",
		lit, compareFix(nil)), lit
}

// guardCovers reports whether the reference test next to a comparison
// with lit (x instanceof guard) already decides it in this bundle: guard
// is the bundle's function named lit in the source, and no other function
// of the bundle was. The name test then only matches instances of a copy
// of the class outside the bundle, whose name this build does not change
// (asn1.js: e instanceof DecoderBuffer || e.constructor.name ===
// "DecoderBuffer"). A guard whose source name the map does not give
// counts unless the map or an object key says another function was named
// lit.
func guardCovers(ix *funcindex.Index, fn *names.Func, lit string) bool {
	if fn.OriginalKnown && fn.Original != lit {
		return false
	}
	// Another function the map or an object key says was named lit: a
	// second copy, whose instances fail both tests, or the class the
	// test is really about.
	for _, other := range ix.RenamedAway(funcindex.Exact(), lit) {
		if other != fn {
			return false
		}
	}
	for _, other := range ix.KeyedAs(lit) {
		if other != fn {
			return false
		}
	}
	return true
}

// keyedAway reports a comparison with lit among candidates some of which
// kept their names, when an object key of the bundle says a renamed one
// was named lit in the source ({Shape: r}, funcindex.KeyedAs) and no
// candidate carries lit: the comparison was meant for it and never
// matches.
func keyedAway(ix *funcindex.Index, cands []*names.Func, lit string, exhaustive bool) string {
	if !exhaustive {
		return ""
	}
	for _, fn := range cands {
		if fn.RuntimeKnown && fn.Runtime == lit {
			return ""
		}
	}
	nf := ix.Facts()
	for _, fn := range ix.KeyedAs(lit) {
		if slices.Contains(cands, fn) && nf.Mangled(fn) && fn.Runtime != lit {
			return fmt.Sprintf("but the bundle keys %s as %q ({%s: %s}: object keys survive minification) and it is %q at runtime, so the comparison never matches. %s",
				kindAndName(fn), lit, lit, fn.Runtime, fn.Runtime, compareFix(nil))
		}
	}
	return ""
}

// renamedAwayFrom returns the functions a comparison of r's name with
// lit (matched by m) is about that the map says were renamed away from
// it: among the candidates, or the bundle's functions for an unknown
// receiver. blocked is set when the receiver is not exhaustive and a
// function of the bundle still carries lit: the comparison may be meant
// for it.
func renamedAwayFrom(ix *funcindex.Index, r *names.Read, lit string, m funcindex.Match) (renamed []*names.Func, blocked bool) {
	if r.Candidates == nil {
		renamed = ix.RenamedAway(m, lit)
		if !m.Exact && r.Kind == names.RecvConstructor && !constructorFamily(ix, m, lit) {
			renamed = nil
		}
	}
	for _, fn := range r.Candidates {
		if fn.Renamed() && m.Fn(fn.Original, lit) && !m.Fn(fn.Runtime, lit) {
			renamed = append(renamed, fn)
		}
	}
	exhaustive := r.Candidates != nil && !r.Partial
	return renamed, len(renamed) > 0 && !exhaustive && (ix.Carried(m, lit) || builtinCarries(m, lit))
}

// constructorFamily reports whether every function of the file whose
// source name m matches with lit makes instances: a pattern tested on the
// constructor of a value the flows do not see (a caught error) names a
// family of classes (err.constructor.name.startsWith("Http")), not a
// pattern some helpers match by chance (mquery's /ObjectI[dD]$/ also
// matches mongoose's castObjectId and formatObjectId, while the ObjectId
// class it means comes from outside the bundle).
func constructorFamily(ix *funcindex.Index, m funcindex.Match, lit string) bool {
	nf := ix.Facts()
	for _, fn := range nf.Funcs {
		name := fn.Runtime
		if fn.OriginalKnown {
			name = fn.Original
		}
		if m.Fn(name, lit) && !nf.Constructs(fn) {
			return false
		}
	}
	return true
}

// domErrorNames are the names of the errors browsers throw as
// DOMException.
var domErrorNames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`AbortError TimeoutError NotSupportedError OperationError NotFoundError
		NotAllowedError SecurityError InvalidStateError NetworkError DataError QuotaExceededError
		InvalidAccessError TransactionInactiveError ReadOnlyError VersionError ConstraintError
		EncodingError NotReadableError UnknownError DataCloneError HierarchyRequestError
		IndexSizeError InvalidCharacterError InvalidModificationError NamespaceError
		NoModificationAllowedError TypeMismatchError WrongDocumentError`) {
		m[s] = true
	}
	return m
}()

// builtinCarries reports whether a built-in constructor's name matches
// lit: a value the flows do not see (a native Map, a TypeError) carries
// it whatever the minifier did, so a class of the bundle renamed away
// from it is no evidence when such values may reach the read
// (reflect-metadata's Map polyfill, a class named Map, beside Babel's
// iterable helper testing constructor.name === "Map").
func builtinCarries(m funcindex.Match, lit string) bool {
	if builtins[lit] {
		return m.Fn(lit, lit)
	}
	for name := range builtins {
		if m.Fn(name, lit) {
			return true
		}
	}
	return false
}

// anyShortName reports whether one of fns has a mangled-looking runtime
// name: the evidence that the bundle's names were minified (anonymous
// ones alone could be anonymous in the source too).
func anyShortName(fns []*names.Func) bool {
	for _, fn := range fns {
		if names.LooksMangled(fn.Runtime) {
			return true
		}
	}
	return false
}

// importsFromChunk reports whether the bundle itself imports a binding
// that the map calls lit, or one the map does not name, or requires a
// file beside it (a CommonJS chunk: require("./barrel-B3Ia.js")): only
// then can lit's class live in another chunk. A one-file bundle has every
// class it uses inside (the map named those renamed away from lit); a
// name the sources import may also belong to a class that sets its own
// name (static name, defineProperty) or that tree shaking dropped.
func importsFromChunk(ix *funcindex.Index, lit string) bool {
	nf := ix.Facts()
	for _, b := range nf.Scope.Root.Bindings() {
		if b.Kind != scope.Import {
			continue
		}
		if orig, ok := nf.OriginalAt(b.Pos, b.Name); !ok || orig == lit {
			return true
		}
	}
	return ix.RequiresSibling()
}

func compareFix(fn *names.Func) string {
	if fn != nil && fn.IsClass {
		return fmt.Sprintf("Compare by reference (instanceof %s), add static name = %q, or keep class names (esbuild keepNames, terser/swc keep_classnames).", fn.Original, fn.Original)
	}
	if fn != nil {
		return fmt.Sprintf("Compare by reference (=== %s), or keep function names (esbuild keepNames, terser/swc keep_fnames).", fn.Original)
	}
	return "Compare by reference (instanceof), add an explicit static name, or keep names (esbuild keepNames, terser/swc keep_classnames and keep_fnames)."
}

// judgeRegexp is judgeCompare for a regular expression without map
// knowledge: every candidate is known and mangled, none matches, and the
// expression needs a word of at least four letters in the name
// (/^(\w+)Controller$/), which no minified name of this bundle has.
func judgeRegexp(nf *names.Facts, r *names.Read, re *regexp.Regexp) (string, string) {
	if !nf.Minified || r.Candidates == nil || r.Partial {
		return "", ""
	}
	word := requiredWord(re.String())
	if len(word) < 4 {
		return "", ""
	}
	for _, fn := range r.Candidates {
		if fn.OriginalKnown || !fn.RuntimeKnown || re.MatchString(fn.Runtime) || fn.Runtime != "" && !nf.Mangled(fn) {
			return "", ""
		}
	}
	if !anyShortName(r.Candidates) {
		return "", ""
	}
	return fmt.Sprintf("but in this minified bundle %s, and none contains %q, so the test never matches. %s",
		runtimeNames(r.Candidates), word, compareFix(nil)), word
}

// requiredWord returns the longest run of letters a match of the regular
// expression src must contain ("" when there is none): a literal of the
// expression's top-level sequence, outside groups that may be skipped.
func requiredWord(src string) string {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return ""
	}
	re = re.Simplify()
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	best := ""
	for _, p := range parts {
		if p.Op != syntax.OpLiteral || p.Flags&syntax.FoldCase != 0 {
			continue
		}
		run := ""
		for _, c := range p.Rune {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				run += string(c)
				continue
			}
			if len(run) > len(best) {
				best = run
			}
			run = ""
		}
		if len(run) > len(best) {
			best = run
		}
	}
	return best
}

// quotedList joins quoted literals for a message, the last with "or".
func quotedList(qs []string) string {
	if len(qs) > 5 {
		qs = append(qs[:5:5], fmt.Sprintf("%d more", len(qs)-5))
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return strings.Join(qs[:len(qs)-1], ", ") + " or " + qs[len(qs)-1]
}
