package rules

import (
	"fmt"
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
