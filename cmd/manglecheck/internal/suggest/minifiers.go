package suggest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// Advice is one minifier's configuration for a Suggestion.
type Advice struct {
	// Minifier is "esbuild", "terser", "swc" or "uglify-js".
	Minifier string
	// Settings are the options as data: EsbuildSettings, TerserSettings,
	// SWCSettings or UglifySettings.
	Settings any
	// Snippets are copy-pasteable configuration (JS API options, CLI
	// flags, a .swcrc fragment).
	Snippets []Snippet
	// Notes say what the options cannot fix and why.
	Notes []string
	// Unkept are the relied-on names this minifier's keep options
	// (keep_classnames, keep_fnames) cannot keep, sorted; the notes say
	// why and what to do instead. Empty for esbuild, whose keepNames
	// keeps every name.
	Unkept []string
	// Cost is what esbuild's keepNames adds (nil for the others).
	Cost *Cost
}

// Snippet is one piece of configuration to paste somewhere.
type Snippet struct {
	// Label says where it goes ("JS API", "CLI", ".swcrc").
	Label, Text string
}

// Cost estimates what keeping every name adds to the bundles.
type Cost struct {
	// Pinned counts the functions and classes keepNames would pin (each
	// gets a __name call), Bundles the bundles they are in.
	Pinned, Bundles int
	// Bytes is roughly how many bytes it adds: len(name)+12 per __name
	// call and, per bundle that has none yet, ~80 for the helper.
	Bytes int
	// Already counts the bundles already built with keep-names (they have
	// __name pins): keepNames costs them nothing more.
	Already int
	// RuntimeNames is set when some bundle has no map, so its names are
	// counted as they stand (mangled, shorter than the real ones).
	RuntimeNames bool
}

// EsbuildSettings are esbuild options (BuildOptions / TransformOptions).
type EsbuildSettings struct {
	KeepNames bool `json:"keepNames"`
	// ReserveProps is the RegExp source for reserveProps / --reserve-props.
	ReserveProps string `json:"reserveProps,omitempty"`
}

// TerserSettings are terser minify() options. KeepClassnames and
// KeepFnames are RegExp sources ("^(?:A|B)$"), applied through the
// top-level options to compress and mangle alike.
type TerserSettings struct {
	KeepClassnames     string   `json:"keep_classnames,omitempty"`
	KeepFnames         string   `json:"keep_fnames,omitempty"`
	Reserved           []string `json:"reserved,omitempty"`
	PropertiesReserved []string `json:"propertiesReserved,omitempty"`
}

// SWCSettings are .swcrc jsc.minify options (booleans: swc takes no
// RegExp).
type SWCSettings struct {
	KeepClassnames bool `json:"keep_classnames,omitempty"`
	KeepFnames     bool `json:"keep_fnames,omitempty"`
	// NoInline sets compress.inline 0 and compress.reduce_funcs false:
	// keep_fnames does not stop swc from inlining a function into its
	// only caller, which takes its frame out of stack traces.
	NoInline           bool     `json:"noInline,omitempty"`
	Reserved           []string `json:"reserved,omitempty"`
	PropertiesReserved []string `json:"propertiesReserved,omitempty"`
}

// UglifySettings are uglify-js minify() options.
type UglifySettings struct {
	KeepFnames         bool     `json:"keep_fnames,omitempty"`
	Reserved           []string `json:"reserved,omitempty"`
	PropertiesReserved []string `json:"propertiesReserved,omitempty"`
}

const helperBytes = 80 // var t=Object.defineProperty;var e=(r,n)=>t(r,"name",{value:n,configurable:!0});

// groups splits the relied-on names by what the keep options can do.
type groups struct {
	classes, functions []string // for keep_classnames / keep_fnames (all of them)
	// varClasses are classes named by a variable or an assignment (no
	// keep option keeps them; mangle.reserved may), assignedFns functions
	// named by an assignment, varFns anonymous functions in a declarator
	// (terser and swc keep_fnames keep them; uglify-js does not).
	varClasses, assignedFns, varFns []string
	// inlined are classes compression left anonymous: no option keeps
	// them.
	inlined []string
}

func group(s *Suggestion) groups {
	var g groups
	for _, n := range s.Names {
		if n.Kind != "function" {
			g.classes = append(g.classes, n.Name)
		}
		if n.Kind != "class" {
			g.functions = append(g.functions, n.Name)
		}
		switch {
		case n.Kind == "class" && (n.NamedBy == bundlefacts.NamedByVariable || n.NamedBy == bundlefacts.NamedByAssignment):
			g.varClasses = append(g.varClasses, n.Name)
		case n.Kind == "class" && n.NamedBy == bundlefacts.Unnamed:
			g.inlined = append(g.inlined, n.Name)
		case n.Kind == "function" && n.NamedBy == bundlefacts.NamedByAssignment:
			g.assignedFns = append(g.assignedFns, n.Name)
		case n.Kind == "function" && n.NamedBy == bundlefacts.NamedByVariable:
			g.varFns = append(g.varFns, n.Name)
		}
	}
	return g
}

func sortedUnion(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func esbuildAdvice(s *Suggestion, res checker.Result, facts map[string]*bundlefacts.Facts) Advice {
	set := EsbuildSettings{KeepNames: len(s.Names) > 0 || s.Unknown > 0, ReserveProps: jsRegexpAlternation(s.Properties)}
	a := Advice{Minifier: "esbuild", Settings: set}
	var opts, cli []string
	if set.KeepNames {
		opts = append(opts, "keepNames: true")
		cli = append(cli, "--keep-names")
		cost := &Cost{}
		for _, f := range res.Files {
			bf := facts[f.Path]
			if bf == nil {
				continue
			}
			if f.SourceMap == nil {
				cost.RuntimeNames = true
			}
			n := 0
			for i := range bf.Funcs {
				fn := &bf.Funcs[i]
				name := sourceName(fn)
				if name == "" {
					name = fn.Runtime
				}
				// esbuild names no method (keys are not renamed) and emits
				// no __name for a class with its own static name.
				if name == "" || fn.NamedBy == bundlefacts.NamedByKey || fn.Pin == "static name" {
					continue
				}
				n++
				cost.Bytes += len(name) + 12
			}
			if n == 0 {
				continue
			}
			cost.Pinned += n
			cost.Bundles++
			if bf.NumPinned > 0 {
				cost.Already++
			} else {
				cost.Bytes += helperBytes
			}
		}
		a.Cost = cost
		if cost.Already > 0 {
			a.Notes = append(a.Notes, fmt.Sprintf("%d of these bundles already keep names (__name pins): their findings are about names keepNames does not cover.", cost.Already))
		}
	}
	if set.ReserveProps != "" {
		opts = append(opts, "reserveProps: /"+set.ReserveProps+"/")
		cli = append(cli, "--reserve-props="+shellQuote(set.ReserveProps))
	}
	if len(opts) > 0 {
		a.Snippets = append(a.Snippets,
			Snippet{"JS API", "{ " + strings.Join(opts, ", ") + " }"},
			Snippet{"CLI", strings.Join(cli, " ")})
	}
	if len(s.Globals) > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("esbuild has no option for %s, looked up on the global object: its bundle scope (IIFE or module) makes every top-level name local. Assign it explicitly (window.%s = %s).",
			list(s.Globals), s.Globals[0], s.Globals[0]))
	}
	return withCommonNotes(a, s)
}

func terserAdvice(s *Suggestion) Advice {
	g := group(s)
	set := TerserSettings{
		KeepClassnames:     jsRegexpAlternation(g.classes),
		KeepFnames:         jsRegexpAlternation(g.functions),
		Reserved:           sortedUnion(s.Globals, g.varClasses, g.assignedFns),
		PropertiesReserved: s.Properties,
	}
	a := Advice{Minifier: "terser", Settings: set, Unkept: sortedUnion(g.varClasses, g.assignedFns, g.inlined)}
	var top, mangle, compress []string
	if set.KeepClassnames != "" {
		top = append(top, "keep_classnames: /"+set.KeepClassnames+"/")
		compress = append(compress, "keep_classnames=/"+set.KeepClassnames+"/")
	}
	if set.KeepFnames != "" {
		top = append(top, "keep_fnames: /"+set.KeepFnames+"/")
		compress = append(compress, "keep_fnames=/"+set.KeepFnames+"/")
	}
	mangle = append(mangle, compress...)
	var mangleObj []string
	if len(set.Reserved) > 0 {
		mangleObj = append(mangleObj, "reserved: "+jsArray(set.Reserved))
		mangle = append(mangle, "reserved=["+strings.Join(set.Reserved, ",")+"]")
	}
	if len(set.PropertiesReserved) > 0 {
		mangleObj = append(mangleObj, "properties: { reserved: "+jsArray(set.PropertiesReserved)+" }")
	}
	if len(mangleObj) > 0 {
		top = append(top, "mangle: { "+strings.Join(mangleObj, ", ")+" }")
	}
	if len(top) > 0 {
		a.Snippets = append(a.Snippets, Snippet{"JS API (minify(); terser-webpack-plugin terserOptions; Vite build.terserOptions, which applies only with build.minify: 'terser' and the terser package installed: Vite 8 minifies with Oxc by default)", "{\n  " + strings.Join(top, ",\n  ") + ",\n}"})
		var cli []string
		if len(compress) > 0 {
			cli = append(cli, "--compress "+shellQuote(strings.Join(compress, ",")))
		}
		if len(mangle) > 0 {
			cli = append(cli, "--mangle "+shellQuote(strings.Join(mangle, ",")))
		}
		if len(set.PropertiesReserved) > 0 {
			cli = append(cli, "--mangle-props "+shellQuote("reserved=["+strings.Join(set.PropertiesReserved, ",")+"]"))
		}
		a.Snippets = append(a.Snippets, Snippet{"CLI", "terser IN.js -o OUT.js " + strings.Join(cli, " ")})
	}
	if len(g.varClasses) > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("terser cannot keep this name with keep_classnames: %s %s an anonymous class assigned to a variable here (var %s = class {}, which is how esbuild and Rolldown bundle a class), and keep_classnames keeps only a class's own name. mangle.reserved (above) keeps the variable's name, which the class takes, unless compression inlines the class into its only use. The sure fix: static name = %q in the class, or a class declaration (class %s {}) in terser's input.",
			list(g.varClasses), isAre(g.varClasses), g.varClasses[0], g.varClasses[0], g.varClasses[0]))
	}
	if len(g.assignedFns) > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("keep_fnames cannot keep %s: an anonymous function assigned to an existing variable (%s = function () {}) gets no name of its own; mangle.reserved (above) keeps the variable's.",
			list(g.assignedFns), g.assignedFns[0]))
	}
	return withCommonNotes(withInlined(withGlobals(a, s), g), s)
}

func swcAdvice(s *Suggestion) Advice {
	g := group(s)
	set := SWCSettings{
		KeepClassnames:     len(g.classes) > 0,
		KeepFnames:         len(g.functions) > 0,
		Reserved:           sortedUnion(s.Globals, g.varClasses, g.assignedFns),
		PropertiesReserved: s.Properties,
	}
	for _, n := range s.Names {
		if slices.Contains(n.Rules, "stack-names") {
			set.NoInline = true
		}
	}
	a := Advice{Minifier: "swc", Settings: set, Unkept: sortedUnion(g.varClasses, g.assignedFns, g.inlined)}
	var minify []string
	if set.NoInline {
		minify = append(minify, `"compress": { "inline": 0, "reduce_funcs": false }`)
	}
	if set.KeepClassnames {
		minify = append(minify, `"keep_classnames": true`)
	}
	if set.KeepFnames {
		minify = append(minify, `"keep_fnames": true`)
	}
	var mangle []string
	if len(set.Reserved) > 0 {
		mangle = append(mangle, `"reserved": `+jsonArray(set.Reserved))
	}
	if len(set.PropertiesReserved) > 0 {
		mangle = append(mangle, `"props": { "reserved": `+jsonArray(set.PropertiesReserved)+` }`)
	}
	if len(mangle) > 0 {
		minify = append(minify, `"mangle": { `+strings.Join(mangle, ", ")+` }`)
	}
	if len(minify) > 0 {
		a.Snippets = append(a.Snippets, Snippet{".swcrc", `{ "jsc": { "minify": { ` + strings.Join(minify, ", ") + ` } } }`})
	}
	if set.KeepClassnames || set.KeepFnames {
		a.Notes = append(a.Notes, "swc has no RegExp for keep_classnames / keep_fnames: true keeps every class (or function) name in the bundle, not just these. To keep only these names, drop them and list every name in jsc.minify.mangle.reserved instead; compression can still drop the name of a named function expression.")
	}
	if set.NoInline {
		a.Notes = append(a.Notes, "stack-names: keep_fnames keeps a name but does not stop swc from inlining the function into its only caller, which takes its frame out of stack traces; compress.inline 0 with reduce_funcs false keeps the frame.")
	}
	if len(g.varClasses) > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("keep_classnames does not keep %s (an anonymous class assigned to a variable, var %s = class {}): mangle.reserved (above) keeps the variable's name unless compression inlines the class; static name = %q always works.",
			list(g.varClasses), g.varClasses[0], g.varClasses[0]))
	}
	return withCommonNotes(withInlined(withGlobals(a, s), g), s)
}

func uglifyAdvice(s *Suggestion) Advice {
	g := group(s)
	reserved := sortedUnion(s.Globals, g.varClasses, g.assignedFns, g.varFns)
	keep := false
	for _, n := range s.Names {
		if !slices.Contains(reserved, n.Name) {
			keep = true
		}
	}
	set := UglifySettings{KeepFnames: keep, Reserved: reserved, PropertiesReserved: s.Properties}
	a := Advice{Minifier: "uglify-js", Settings: set, Unkept: sortedUnion(g.varClasses, g.assignedFns, g.varFns, g.inlined)}
	var top, cli []string
	if set.KeepFnames {
		top = append(top, "keep_fnames: true")
		cli = append(cli, "--keep-fnames")
	}
	var mangle []string
	if len(set.Reserved) > 0 {
		mangle = append(mangle, "reserved: "+jsArray(set.Reserved))
		cli = append(cli, "--mangle "+shellQuote("reserved=["+strings.Join(set.Reserved, ",")+"]"))
	}
	if len(set.PropertiesReserved) > 0 {
		mangle = append(mangle, "properties: { reserved: "+jsArray(set.PropertiesReserved)+" }")
		cli = append(cli, "--mangle-props "+shellQuote("reserved=["+strings.Join(set.PropertiesReserved, ",")+"]"))
	}
	if len(mangle) > 0 {
		top = append(top, "mangle: { "+strings.Join(mangle, ", ")+" }")
	}
	if len(top) > 0 {
		a.Snippets = append(a.Snippets,
			Snippet{"JS API (minify())", "{ " + strings.Join(top, ", ") + " }"},
			Snippet{"CLI", "uglifyjs IN.js -o OUT.js " + strings.Join(cli, " ")})
	}
	if set.KeepFnames {
		a.Notes = append(a.Notes, "uglify-js has no keep_classnames and no RegExp: keep_fnames is a boolean that keeps every declared function and class name (a RegExp is merely truthy and keeps them all too).")
	}
	if n := sortedUnion(g.varClasses, g.varFns); len(n) > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("keep_fnames does not keep %s (anonymous, named by a variable: var %s = …): mangle.reserved (above) keeps the variable's name unless compression inlines it.",
			list(n), n[0]))
	}
	return withCommonNotes(withInlined(withGlobals(a, s), g), s)
}

// withGlobals notes what mangle.reserved does for global lookups.
func withGlobals(a Advice, s *Suggestion) Advice {
	if len(s.Globals) > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("mangle.reserved keeps %s, looked up on the global object, only while it is a top-level declaration of a script minified with toplevel: true (or turn toplevel off); inside a bundler's IIFE or module scope it is local anyway: assign it explicitly (window.%s = %s).",
			list(s.Globals), s.Globals[0], s.Globals[0]))
	}
	return a
}

// withInlined notes the classes no option keeps.
func withInlined(a Advice, g groups) Advice {
	if len(g.inlined) > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("%s cannot keep %s: compression inlined it into its only use as an anonymous class (new class extends … {}), which no option names again. Use static name = %q in the code.",
			a.Minifier, list(g.inlined), g.inlined[0]))
	}
	return a
}

// withCommonNotes adds what no configuration of any minifier fixes.
func withCommonNotes(a Advice, s *Suggestion) Advice {
	if s.Unknown > 0 {
		a.Notes = append(a.Notes, fmt.Sprintf("%d relied-on functions have no known original name (no source map): the options above cannot list them; rerun with the bundles' maps.", s.Unknown))
	}
	for _, c := range s.Code {
		if c.Rule == "param-names" {
			a.Notes = append(a.Notes, "param-names: no keep-names option fixes code that reads parameter names from fn.toString(); annotate the dependencies (see the code fixes).")
			break
		}
	}
	return a
}

// list is "A", "A and B", "A, B and C", up to six names, then "and N
// more".
func list(names []string) string {
	const most = 6
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1:
		return names[0]
	case len(names) <= most:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:most], ", "), len(names)-most)
}

func isAre(names []string) string {
	if len(names) == 1 {
		return "is"
	}
	return "are each"
}

func jsArray(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func jsonArray(names []string) string { return jsArray(names) }

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-=,./:@", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
