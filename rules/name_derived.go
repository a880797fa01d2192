package rules

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/funcindex"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// NameDerived flags identifiers built from runtime names: table and entity
// names, GraphQL types, custom-element tags, action types, event names,
// storage keys.
var NameDerived = &analyzer.Rule{
	ID:       "name-derived",
	Title:    "Identifier derived from a runtime name (table, tag, event or storage key)",
	Severity: analyzer.Warning,
	Doc: `Code turns a function's or class's runtime name into another identifier:
C.name.toLowerCase() as a table or entity name, ` + "`${C.name}Provider`" + ` as a
registry key, a kebab-cased class name as a custom-element tag, an action
type, an event name or a localStorage key. After minification every derived
identifier is built from "t" or "n": database tables and GraphQL types change
name, custom elements fail to register ("t" is not a valid tag), events and
stored data no longer match what other code (or the previous release) uses,
and different classes collide. A store keyed that way and accessed only
through the same derivation of runtime names (written with
C.name + ":v2" and read with it, never listed or read by a fixed key) is a
closed round trip that works after minification, and is not reported. A
derived string compared with literals that no class can produce any more
is a name-compare error instead.

TypeORM derives a table name this way itself: @Entity() without a name
makes the table the class's name in snake case (User → "user"), "a" once
minified, in a package the bundle imports. The renamed table is a warning;
SQL text in the bundle that names the table the source class gives (FROM
"user"), which no entity has in this build, is an error.

Fix it with an explicit identifier on the class (static tableName = "users",
static tag = "my-widget"), or keep names (esbuild keepNames, terser
keep_classnames/keep_fnames with a RegExp of the classes involved).`,
	Fix: `code: an explicit identifier (static tableName = "users"; static tag = "x-widget")
` + keepNamesFix,
	Bad: `export class UserProfile {}
const tables = {};
export function entity(cls) {
  tables[cls.name.toLowerCase()] = cls;
}
entity(UserProfile);
console.log(tables);`,
	Good: `export class UserProfile {
  static tableName = "user_profile";
}
const tables = {};
export function entity(cls) {
  tables[cls.tableName] = cls;
}
entity(UserProfile);
console.log(tables);`,
	Requires: []*analyzer.Analysis{funcindex.Analysis},
	Run:      runNameDerived,
}

// identifierSinks are calls whose argument becomes an identifier other
// code or data depends on.
var identifierSinks = map[string]string{
	"customElements.define":        "a custom-element tag",
	"window.customElements.define": "a custom-element tag",
	"localStorage.setItem":         "a storage key",
	"localStorage.getItem":         "a storage key",
	"localStorage.removeItem":      "a storage key",
	"sessionStorage.setItem":       "a storage key",
	"sessionStorage.getItem":       "a storage key",
	"sessionStorage.removeItem":    "a storage key",
	"CustomEvent":                  "an event name",
	"Event":                        "an event name",
	"document.createElement":       "an element tag",
}

func sinkOf(callee string) string {
	if s, ok := identifierSinks[callee]; ok {
		return s
	}
	switch {
	case strings.HasSuffix(callee, ".addEventListener"), strings.HasSuffix(callee, ".removeEventListener"),
		strings.HasSuffix(callee, ".emit"), strings.HasSuffix(callee, ".on"), strings.HasSuffix(callee, ".once"),
		strings.HasSuffix(callee, ".off"), strings.HasSuffix(callee, ".dispatch"):
		return "an event or action name"
	case strings.HasSuffix(callee, "customElements.define"):
		return "a custom-element tag"
	}
	return ""
}

func runNameDerived(p *analyzer.Pass) {
	nf := p.File.Names
	ix := funcindex.Of(p)
	reportTypeORMTables(p)
	missed := map[*names.Use]bool{} // name-key reports these as errors
	for _, m := range nf.TableMisses() {
		missed[m.Via] = true
	}
	for _, u := range nf.Uses {
		r := u.Read
		if isCalleeRead(r) || r.Kind == names.RecvProperty || missed[u] {
			continue
		}
		if _, msg, _ := derivedCompareBreaks(ix, u); msg != "" {
			continue // name-compare reports it as an error
		}
		var what string
		switch {
		case u.Kind == names.UseArg || u.Kind == names.UseMessage:
			what = sinkOf(u.Callee)
		case !u.Derived():
			continue
		case u.Kind == names.UseKey && nf.ClosedDerived(u):
			continue // written and read only through the same derivation
		case u.Kind == names.UseKey:
			what = "a key"
		case (u.Kind == names.UseSerialize || u.Kind == names.UseStore) && tagKeys[u.Key]:
			what = fmt.Sprintf("the %q tag", u.Key)
		case u.Kind == names.UseCompare && len(u.Strings) == 0 && !slices.ContainsFunc(u.Regexps, regexpSeesNames):
			continue // tests punctuation the name never holds
		case u.Kind == names.UseCompare:
			what = "a string compared with literals"
		}
		if what == "" {
			continue
		}
		bad := certainlyMangled(nf, r)
		if len(bad) == 0 {
			continue
		}
		p.Report(analyzer.Diagnostic{
			Pos: r.Pos,
			Message: fmt.Sprintf("%s is turned into %s, but %s, so the derived identifier is built from the mangled name. "+
				"Give the class an explicit identifier (a static field) or keep names (esbuild keepNames, terser keep_classnames).",
				p.Text(r.Node, 60), what, describeMangled(nf, bad)),
			Name:    firstOriginal(bad),
			Related: passedHere(p, r),
		})
	}
}

// regexpSeesNames reports whether a regular expression's match on a
// derived string can depend on the identifier in it: unless it only ever
// matches punctuation and spaces, and needs at least one of them
// (Angular's message formatter tests r.match(/[.,;!?\n]$/) to decide
// whether to add a full stop), renaming the class can change its result.
// What Go cannot parse counts as seeing names.
func regexpSeesNames(src string) bool {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return true
	}
	consumes, blind := blindToNames(re)
	return !consumes || !blind
}

// blindToNames walks a parsed regular expression: consumes reports that
// every match takes at least one character, blind that no character it
// takes can be part of an identifier.
func blindToNames(re *syntax.Regexp) (consumes, blind bool) {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return false, true
	case syntax.OpLiteral:
		return len(re.Rune) > 0, !slices.ContainsFunc(re.Rune, identRune)
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if rangeHasIdent(re.Rune[i], re.Rune[i+1]) {
				return true, false
			}
		}
		return true, true
	case syntax.OpCapture, syntax.OpPlus:
		return blindToNames(re.Sub[0])
	case syntax.OpRepeat:
		c, b := blindToNames(re.Sub[0])
		return c && re.Min > 0, b
	case syntax.OpConcat:
		blind := true
		for _, sub := range re.Sub {
			c, b := blindToNames(sub)
			consumes = consumes || c
			blind = blind && b
		}
		return consumes, blind
	case syntax.OpAlternate:
		consumes, blind = true, true
		for _, sub := range re.Sub {
			c, b := blindToNames(sub)
			consumes = consumes && c
			blind = blind && b
		}
		return consumes, blind
	}
	// Any character, word boundaries, optional parts, empty matches.
	return false, false
}

// identRune reports whether r can be part of an identifier: ASCII
// letters, digits, _ and $, and anything past ASCII.
func identRune(r rune) bool {
	return r >= 0x80 || r == '_' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// rangeHasIdent reports whether the rune range lo-hi holds an identifier
// character.
func rangeHasIdent(lo, hi rune) bool {
	for _, r := range [][2]rune{{'0', '9'}, {'A', 'Z'}, {'a', 'z'}, {'_', '_'}, {'$', '$'}, {0x80, 0x10FFFF}} {
		if lo <= r[1] && hi >= r[0] {
			return true
		}
	}
	return false
}
