// Package suggest works out, from a check's findings and the bundles'
// name facts, the smallest minifier configuration that fixes them — per
// minifier (esbuild, terser, swc, uglify-js), with what each option can
// and cannot keep and what it costs — and the code change that fixes each
// finding without any configuration.
//
// What each option keeps was measured on the minifiers pinned in
// fixtures/minifiers (esbuild 0.28.2, terser 5.51.4, @swc/core 1.16.22,
// uglify-js 3.19.3):
//
//   - esbuild keepNames pins every function and class name with a
//     __name(fn, "X") call, whatever the code looks like.
//   - terser keep_classnames / keep_fnames take a RegExp tested on the
//     name in terser's input. keep_classnames keeps a class's own name
//     only: `var X = class {}` (how esbuild bundles a class) keeps
//     nothing. keep_fnames keeps function declarations, named function
//     expressions and anonymous functions in a var/let/const declarator.
//   - swc's keep_classnames / keep_fnames are booleans (no RegExp), and
//     keep what terser's keep.
//   - uglify-js has keep_fnames only, a boolean (a RegExp is just truthy:
//     lib/scope.js tests `options.keep_fnames`), which keeps declared
//     functions and classes, not anonymous ones in a declarator.
//   - mangle.reserved (terser, swc, uglify-js) keeps the listed names from
//     being mangled, and so the names of anonymous functions and classes
//     those variables hold; compression may still inline a variable used
//     once, which leaves the class anonymous.
package suggest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// Suggestion is the configuration and code changes that fix a Result's
// findings.
type Suggestion struct {
	// Findings counts the findings considered; Files the bundles.
	Findings, Files int
	// Names are the function and class names the findings rely on,
	// sorted by name.
	Names []Name
	// Unknown counts functions findings rely on whose original name no
	// source map gave: no configuration can name them.
	Unknown int
	// Globals are names looked up on the global object (global-lookup),
	// Properties property names reached by a string after property
	// mangling (mangled-property); both sorted.
	Globals, Properties []string
	// Minifiers is the advice per minifier: esbuild, terser, swc,
	// uglify-js.
	Minifiers []Advice
	// Code is the code-side fix of each finding, in the findings' order.
	Code []CodeFix
	// Failed are the files that could not be analyzed: path and why.
	Failed [][2]string
}

// Name is a function or class name findings rely on.
type Name struct {
	Name string
	// Kind is "class", "function" or "" when no fact says which (no map):
	// then it goes into both keep options.
	Kind string
	// Runtime is the name it has in the bundle.
	Runtime string
	// NamedBy says where its runtime name comes from (the worst of its
	// occurrences for keeping it: see keepability).
	NamedBy bundlefacts.NamedBy
	// Source is where the map puts it, nil without a map.
	Source *analyzer.Original
	// Rules and Bundles are the rules that rely on it and the bundles it
	// is relied on in, sorted.
	Rules, Bundles []string
}

// CodeFix is the code-side fix of one finding.
type CodeFix struct {
	Rule     string
	Severity analyzer.Severity
	Bundle   analyzer.Position
	Original *analyzer.Original
	// Names are the names it relies on (original where known).
	Names []string
	Fix   string
}

// nameRules are the rules whose findings a kept function or class name
// fixes; the key says how a finding names what it relies on: "name" by
// its Name (one per compared literal or searched string), "read" by the
// functions the name read at its offset may read.
var nameRules = map[string]string{
	"name-compare":   "name",
	"stack-names":    "name",
	"name-key":       "read",
	"name-derived":   "read",
	"name-message":   "read",
	"callee-name":    "read",
	"keep-names-gap": "read",
}

// Suggest works out the suggestion for res. res should come from a check
// with Options.Facts set: without facts, names come from the findings
// alone (their kind unknown, their cost unknown).
func Suggest(res checker.Result) *Suggestion {
	c := &collector{s: &Suggestion{Files: len(res.Files)}, facts: map[string]*bundlefacts.Facts{}, names: map[string]*Name{}}
	s := c.s
	for _, f := range res.Files {
		if f.Facts != nil {
			c.facts[f.Path] = f.Facts
		}
		if f.Error != nil {
			s.Failed = append(s.Failed, [2]string{f.Path, *f.Error})
		}
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Rule == "unused-suppression" || f.Rule == "suppression-without-reason" {
			continue
		}
		s.Findings++
		s.Code = append(s.Code, c.codeFix(f))
	}
	for _, n := range c.names {
		s.Names = append(s.Names, *n)
	}
	sort.Slice(s.Names, func(i, j int) bool {
		a, b := s.Names[i], s.Names[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Kind < b.Kind
	})
	s.Minifiers = []Advice{
		esbuildAdvice(s, res, c.facts),
		terserAdvice(s),
		swcAdvice(s),
		uglifyAdvice(s),
	}
	return s
}

// collector gathers a Suggestion from the findings: the names relied
// on, by name + "\x00" + kind, and the bundles' facts by path.
type collector struct {
	s     *Suggestion
	facts map[string]*bundlefacts.Facts
	names map[string]*Name
}

// codeFix is the code change that fixes f, recording the names,
// globals and properties it relies on.
func (c *collector) codeFix(f *analyzer.Finding) CodeFix {
	fix := CodeFix{Rule: f.Rule, Severity: f.Severity, Bundle: f.Bundle, Original: f.Original}
	switch {
	case nameRules[f.Rule] != "":
		c.reliedNames(f, &fix)
	case f.Rule == "global-lookup":
		if n := findingName(f); n != "" {
			c.s.Globals = appendSorted(c.s.Globals, n)
			fix.Names = []string{n}
		}
		fix.Fix = globalFix(fix.Names)
	case f.Rule == "mangled-property":
		if n := findingName(f); n != "" {
			c.s.Properties = appendSorted(c.s.Properties, n)
			fix.Names = []string{n}
		}
		fix.Fix = propertyFix(fix.Names)
	case f.Rule == "param-names":
		if n := findingName(f); n != "" {
			fix.Names = []string{n}
		}
		fix.Fix = "annotate the dependencies explicitly: the array notation [\"$scope\", \"$http\", function ($scope, $http) {…}], fn.$inject = [\"$scope\", \"$http\"], or ng-annotate / babel-plugin-angularjs-annotate before minifying; for your own injector, pass the names instead of parsing fn.toString(). No keep-names option fixes this: they keep function names, not parameter names"
	case f.Rule == "startup-error":
		fix.Fix = "find the static finding at this line (manglecheck check) and fix it as that rule says; a startup error with none is not about names"
	default:
		fix.Fix = "see manglecheck explain " + f.Rule
	}
	return fix
}

// reliedNames fills in the fix of a finding of a rule about function and
// class names, recording each name it relies on.
func (c *collector) reliedNames(f *analyzer.Finding, fix *CodeFix) {
	var kinds []string
	rs := relied(f, c.facts[f.Bundle.Path])
	if len(rs) == 0 {
		// The read's function is not known statically (fn.caller,
		// an unresolved receiver): only keeping every name helps.
		c.s.Unknown++
		fix.Names = appendUnique(fix.Names, "a function the engine cannot name")
	}
	for _, r := range rs {
		if r.name == "" {
			c.s.Unknown++
			fix.Names = appendUnique(fix.Names, fmt.Sprintf("runtime %q", r.fact.Runtime))
			continue
		}
		c.addName(f, r.name, r.kind, r.fact)
		fix.Names = appendUnique(fix.Names, r.name)
		if r.fact != nil {
			kinds = appendUnique(kinds, kindOf(r.fact))
		}
	}
	fix.Fix = nameFix(f.Rule, fix.Names, kinds)
}

// addName records that f relies on name (of kind, from fact when the
// bundle's facts know it), keeping the worst way it is named.
func (c *collector) addName(f *analyzer.Finding, name, kind string, fact *bundlefacts.NameFact) {
	n := Name{Name: name, Kind: kind}
	if fact != nil {
		n.Kind = kindOf(fact)
		n.Runtime = fact.Runtime
		n.NamedBy = fact.NamedBy
		n.Source = fact.Source
	}
	key := n.Name + "\x00" + n.Kind
	have := c.names[key]
	if have == nil {
		have = &n
		c.names[key] = have
	} else if fact != nil && worse(n.NamedBy, have.NamedBy, n.Kind) {
		have.NamedBy, have.Runtime = n.NamedBy, n.Runtime
	}
	if have.Source == nil {
		have.Source = n.Source
	}
	have.Rules = appendSorted(have.Rules, f.Rule)
	have.Bundles = appendSorted(have.Bundles, f.Bundle.Path)
}

// relied is one function or class a finding relies on: its original
// name ("" when unknown) and, when the facts know it, the function.
type reliedOn struct {
	name string
	fact *bundlefacts.NameFact
	// kind is the kind when no fact says it ("" unknown).
	kind string
}

// relied finds what a name finding relies on. Findings that name what
// they compare (name-compare, stack-names) are matched with the functions
// of that original name; the others with the functions the name read at
// the finding's offset may read, those the minifier mangled.
func relied(f *analyzer.Finding, bf *bundlefacts.Facts) []reliedOn {
	name := findingName(f)
	if nameRules[f.Rule] == "name" && name != "" {
		out := byName(name, bf)
		if len(out) == 1 && out[0].fact == nil {
			// No map names it: the compared function is one the read
			// may read (a no-map finding names its literal).
			if read := readFuncs(f, bf); len(read) > 0 {
				out[0].fact = read[0].fact
			} else if f.Rule == "stack-names" {
				// Compression inlined it away; stack frames are functions.
				out[0].kind = "function"
			}
		}
		return out
	}
	out := readFuncs(f, bf)
	if len(out) == 0 && name != "" {
		return byName(name, bf)
	}
	return out
}

// readFuncs are the mangled functions the name read at the finding's
// offset may read (for keep-names-gap, also the function it is reported
// at), sorted by name.
func readFuncs(f *analyzer.Finding, bf *bundlefacts.Facts) []reliedOn {
	var out []reliedOn
	if bf != nil {
		seen := map[int]bool{}
		add := func(i int) {
			fn := &bf.Funcs[i]
			if seen[i] || !mangled(fn) {
				return
			}
			seen[i] = true
			n := ""
			if fn.OriginalKnown {
				n = fn.Original
			}
			out = append(out, reliedOn{name: n, fact: fn})
		}
		for _, r := range bf.Reads {
			if r.Offset == f.Offset {
				for _, i := range r.Funcs {
					add(i)
				}
			}
		}
		if len(out) == 0 && f.Rule == "keep-names-gap" {
			// Reported at the function itself.
			for i := range bf.Funcs {
				if bf.Funcs[i].Offset == f.Offset {
					add(i)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// byName finds the functions of an original name, the renamed ones
// first; none found is the name alone.
func byName(name string, bf *bundlefacts.Facts) []reliedOn {
	var renamed, other []reliedOn
	if bf != nil {
		for i := range bf.Funcs {
			fn := &bf.Funcs[i]
			if sourceName(fn) != name || fn.NamedBy == bundlefacts.NamedByKey {
				continue
			}
			if mangled(fn) {
				renamed = append(renamed, reliedOn{name: name, fact: fn})
			} else {
				other = append(other, reliedOn{name: name, fact: fn})
			}
		}
	}
	switch {
	case len(renamed) > 0:
		return renamed
	case len(other) > 0:
		return other[:1]
	}
	return []reliedOn{{name: name}}
}

// sourceName is the name a function had in the source: a pin states it
// (esbuild's map may call the class itself "_X"), else the map's.
func sourceName(fn *bundlefacts.NameFact) string {
	if fn.Pin != "" && fn.RuntimeKnown && fn.Runtime != "" {
		return fn.Runtime
	}
	if fn.OriginalKnown {
		return fn.Original
	}
	return ""
}

// mangled reports whether a function's runtime name is not its source
// name: the map says so, or, without a map, the name is one to three
// characters and nothing pins it (as the rules judge it).
func mangled(fn *bundlefacts.NameFact) bool {
	if fn.Renamed {
		return true
	}
	if fn.OriginalKnown || fn.Pin != "" || fn.Dynamic || !fn.RuntimeKnown {
		return false
	}
	return fn.Runtime != "" && len(fn.Runtime) <= 3
}

func findingName(f *analyzer.Finding) string {
	if f.Name != "" {
		return f.Name
	}
	if f.Original != nil {
		return f.Original.Name
	}
	return ""
}

// kindOf is "class" or "function" (arrow functions are functions to every
// keep option).
func kindOf(fn *bundlefacts.NameFact) string {
	if fn.Kind == "class" {
		return "class"
	}
	return "function"
}

// worse reports whether a occurrence named by a is harder to keep than
// one named by b: it decides which occurrence a Name reports.
func worse(a, b bundlefacts.NamedBy, kind string) bool {
	return keepRank(a, kind) > keepRank(b, kind)
}

func keepRank(n bundlefacts.NamedBy, kind string) int {
	switch n {
	case bundlefacts.NamedBySelf:
		return 0
	case bundlefacts.NamedByVariable:
		if kind == "class" {
			return 2
		}
		return 1
	case bundlefacts.NamedByAssignment:
		return 2
	case bundlefacts.Unnamed:
		if kind == "class" {
			return 3
		}
		return 1
	}
	return 0
}

func appendSorted(list []string, s string) []string {
	i, found := slices.BinarySearch(list, s)
	if found {
		return list
	}
	return slices.Insert(list, i, s)
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// jsRegexpAlternation is the anchored RegExp source matching exactly
// names: "^(?:A|B)$", sorted, RegExp syntax escaped ($ in identifiers).
func jsRegexpAlternation(names []string) string {
	if len(names) == 0 {
		return ""
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	esc := make([]string, len(sorted))
	for i, n := range sorted {
		var b strings.Builder
		for _, r := range n {
			if strings.ContainsRune(`\^$.*+?()[]{}|/-`, r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		esc[i] = b.String()
	}
	return "^(?:" + strings.Join(esc, "|") + ")$"
}
