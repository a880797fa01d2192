package rules

import (
	"fmt"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// NameKey flags runtime names used as keys, type tags or serialized
// values: after minification they are short, meaningless, and collide.
var NameKey = &analyzer.Rule{
	ID:       "name-key",
	Title:    "Runtime name used as a registry key or type tag",
	Severity: analyzer.Warning,
	Doc: `Code uses the runtime .name of a function or class as a key or a tag:
registry[Cls.name] = Cls, map.set(x.constructor.name, handler),
{type: this.constructor.name}, JSON.stringify(C.name). After minification the
names are short and meaningless ("t", "n"), so stored data, messages between
bundles and lookups by the original name no longer agree; and since minifiers
reuse short names in different scopes, two classes can end up with the same
name, so one registration silently overwrites the other.

Fix it with an explicit key that you own (a static id or tag on the class, a
string constant), or keep names in the minifier: esbuild keepNames, terser
keep_classnames/keep_fnames (a RegExp of the names used as keys), swc
keep_classnames/keep_fnames.`,
	Fix: keepNamesFix,
	Bad: `class Circle {}
class Square {}
const shapes = {};
function register(cls) { shapes[cls.name] = cls; }
register(Circle);
register(Square);
console.log(Object.keys(shapes));`,
	Good: `class Circle { static id = "circle"; }
class Square { static id = "square"; }
const shapes = {};
function register(cls) { shapes[cls.id] = cls; }
register(Circle);
register(Square);
console.log(Object.keys(shapes));`,
	Run: runNameKey,
}

// tagKeys are object keys that mark a serialized type tag.
var tagKeys = map[string]bool{
	"type": true, "kind": true, "tag": true, "__type": true, "_type": true, "$type": true,
	"__typename": true, "typename": true, "typeName": true, "className": true, "class": true,
	"constructorName": true, "entity": true, "entityName": true, "model": true, "modelName": true,
	"table": true, "tableName": true, "component": true, "componentName": true, "action": true,
	"@type": true, "__class": true, "klass": true,
}

func runNameKey(p *analyzer.Pass) {
	nf := p.File.Names
	for _, u := range nf.Uses {
		if u.Derived {
			continue
		}
		var what string
		switch u.Kind {
		case names.UseKey:
			what = "as a key"
			if u.Assign {
				what = "as a registry key"
			}
		case names.UseSerialize:
			if u.Key != "" && !tagKeys[u.Key] {
				continue
			}
			what = "as a serialized value"
			if u.Key != "" {
				what = fmt.Sprintf("as the %q tag of an object", u.Key)
			}
		case names.UseStore:
			if !tagKeys[u.Key] {
				continue
			}
			what = fmt.Sprintf("as the %q tag", u.Key)
		default:
			continue
		}
		if u.Read.Kind == names.RecvProperty || isCalleeRead(u.Read) {
			continue // the store itself was reported; callee-name owns those
		}
		msg, name := judgeKey(nf, u.Read)
		if msg == "" {
			continue
		}
		p.Report(analyzer.Diagnostic{
			Pos:     u.Read.Pos,
			Message: fmt.Sprintf("%s is used %s, %s", p.Text(u.Read.Node, 60), what, msg),
			Name:    name,
		})
	}
}

// judgeKey says why a name read makes a poor key after minification, or "".
func judgeKey(nf *names.Facts, r *names.Read) (string, string) {
	var bad []*names.Func
	for _, fn := range r.Candidates {
		if mangled(nf, fn) {
			bad = append(bad, fn)
		}
	}
	const fix = "Use an explicit key you own (a static id), or keep names (esbuild keepNames, terser/swc keep_classnames and keep_fnames)."
	if r.Candidates != nil {
		if len(bad) == 0 {
			return "", ""
		}
		msg := ""
		if nf.HasMap && bad[0].OriginalKnown {
			msg = fmt.Sprintf("but %s renamed %s", renamer(nf), renames(bad))
		} else {
			msg = "but in this minified bundle " + runtimeNames(bad)
		}
		if c := collisions(bad); c != "" {
			msg += fmt.Sprintf(" — keys collide: %s, so one entry silently overwrites another", c)
		}
		return msg + ". " + fix, bad[0].SourceName()
	}
	// Unknown receiver (x.constructor of anything): it may well be a
	// builtin (three.js tags typed arrays with array.constructor.name,
	// which survives minification), so nothing is certain enough to say.
	return "", ""
}
