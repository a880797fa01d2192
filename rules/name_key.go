package rules

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
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

When the bundle itself shows the break, the finding is an error: the
registry is read with a fixed key (registry.initConfig, map.get("Plugin"),
"X" in registry, or a key that falls back to one: map.get(param ||
"GridView")) that none of the runtime names stored in it carries; two
distinct functions or classes stored in it share one runtime name (often ""
once compression inlines them); or a table keyed by the names in the source
({Point, Line}: object keys survive minification) is looked up with a
runtime name, directly or through a serialized type tag; or a store holds
entries under literal keys ("store:CartStore", set by the program or saved
by the previous release) that a lookup's key, made from a runtime name
("store:" + this.constructor.name, M.name + ":v2"), matched with the
source names and cannot match with the runtime names; or a registry
keyed by the runtime names of classes whose instances carry an explicit
name (error classes: this.name = "QuotaError") is looked up with an
instance's name (known.get(data.name) on a deserialized error): the two
agreed in the source and no longer do. A registry (an
object, Map or Set) written and read only through the same runtime names
(a closed round trip) works after minification and is not reported; so
does one read with a type tag that the program writes into data only from
the runtime names the registry holds ({tag: req.constructor.name} sent and
read back as handlers.get(msg.tag)), and functions registered on window
under their runtime names for the inline handlers of HTML the program
builds from the same, distinct names.

Two more breaks a bundle shows by itself are errors, with or without a map:
functions published as globals under their runtime names (window[fn.name] =
fn) of which two share one runtime name, and code text built from a
function's runtime name as a call of a global (an inline handler in HTML or
setAttribute("onclick", fn.name + "(this)"), setTimeout(fn.name + "()"))
when no global of that name exists: the function is local to the bundle,
published, if at all, under a literal name of its own.

Some packages keep such registries themselves, in code the bundle imports
and does not contain. For those it models, the bundle shows both halves:
TypeORM knows entities by class name and resolves a relation whose target is
a string (@ManyToOne("Space")) among them; NestJS resolves a string injection
token (@Inject("MailerService"), exports: ["MailerService"]) among the
providers' tokens, which {provide: cls.name, useClass: cls} makes runtime
names; class-validator names a constraint after its class when
@ValidatorConstraint() gives no name, and a validation error's constraints
are keyed by that name. A literal that no registered class carries at
runtime is an error, and so is an entry of a table read by computed keys
that names a constraint class the minifier renamed: with a map, an entry
under the class's source name; without one, in a table keyed like
constraints (one of class-validator's own names, such as isEmail), an
entry under a class-like name no constraint carries while every
constraint named after its class is mangled, and no more such entries
than such classes.

class-transformer picks a nested object's class by a tag the data carries,
matched with the names of the discriminator's sub-types
({ discriminator: { property: "type", subTypes: [{ value: C, name: C.name }] } }).
The library is often bundled with the app, so the options are read where
they are written. A data object of the bundle whose tag is a sub-type
class's source name (with a map), or a name no sub-type carries in a bundle
whose classes are mangled, is an error. Redux Toolkit's createSlice({ name:
Model.name, initialState, reducers }) prefixes the slice's action types with
its name: an action type literal "Project/upserted" naming one of its
reducers, whose slice part is the class's source name (with a map) or a
capitalised name nothing in a mangled bundle carries, is an error too. So is
a dependency-injection container (inversify, tsyringe, awilix — bundled,
and renamed with the app) that one variable registers services with under
runtime names (container.bind(Service.name)) and is asked for a literal
(container.get("GreetingService")) that is a registered class's source name,
or a capitalised name nothing in a mangled bundle carries.

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
	broken := map[*names.Store]bool{}
	for _, st := range nf.Stores() {
		broken[st] = reportStore(p, st)
	}
	reportTables(p, nf.TableMisses())
	reportInstanceNames(p, nf.InstanceNameMisses())
	reportPackageKeys(p)
	reportBundledRegistries(p)
	inHTML := htmlNamed(nf)
	reportNamedInCode(p)
	tabled := map[*names.Use]bool{} // uses a table error already covers
	for _, m := range nf.TableMisses() {
		if m.Tag == "" {
			tabled[m.Via] = true // the lookup's own key, not a tag written elsewhere
		}
	}
	for _, u := range nf.Uses {
		if u.Derived() || tabled[u] || keyUseSettled(p, u, broken, inHTML) {
			continue
		}
		what, ok := keyUseRole(nf, u)
		if !ok {
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
			Related: append(passedHere(p, u.Read), otherLookups(p, nf.StoreOf(u))...),
		})
	}
}

// otherLookups relates the reads of the store st (nil: none) keyed by
// strings the bundle does not compute from the names it stores: data,
// configuration, a parameter. Where they come from names written before
// minification, the lookup is where the break shows.
func otherLookups(p *analyzer.Pass, st *names.Store) []analyzer.Related {
	if st == nil {
		return nil
	}
	var out []analyzer.Related
	for _, k := range st.OtherKeys {
		out = append(out, analyzer.Related{Pos: startOf(k), Message: "the registry is looked up here by a key that does not come from these names: " + p.Text(k, 60)})
	}
	return out
}

// nameLookups relates the reads of the store st keyed by runtime names:
// where one of the colliding entries is returned for another's name.
func nameLookups(p *analyzer.Pass, st *names.Store) []analyzer.Related {
	var out []analyzer.Related
	for _, k := range st.NameKeys {
		out = append(out, analyzer.Related{Pos: startOf(k), Message: "the registry is looked up here by runtime names: " + p.Text(k, 60)})
	}
	return out
}

// keyUseSettled reports whether the use u of a name needs no finding of
// its own: its store decides (broken are the stores already reported),
// a global collision was just reported for it, or the bundle shows no
// break (inHTML are the functions whose runtime names the program writes
// into code text, see htmlNamed).
func keyUseSettled(p *analyzer.Pass, u *names.Use, broken map[*names.Store]bool, inHTML map[*names.Func]bool) bool {
	nf := p.File.Names
	if st := nf.StoreOf(u); st != nil {
		// The store's evidence decides: an error was reported, or its
		// keys are written and read through the same runtime names
		// (a closed round trip), or every fixed key it is read with
		// is stored: minification cannot break it.
		return broken[st] || st.Sound()
	}
	switch {
	case u.Kind == names.UseKey && u.Assign && nf.GlobalKey(u) && reportGlobalCollision(p, u):
		return true
	case u.Kind == names.UseKey && u.Assign && nf.GlobalKey(u) && allIn(u.Read.Candidates, inHTML):
		// window[fn.name] = fn for the inline handlers of HTML the
		// program writes from the same runtime names: they call
		// exactly the keys it stored (a closed round trip).
		return true
	case u.Kind == names.UseKey && u.Fallback:
		// labels[k] ?? k: a miss shows the name itself (a display
		// table). A table keyed by a source name is judged with the
		// literal-keyed tables (its label changes); otherwise nothing
		// breaks.
		return true
	case u.Kind == names.UseKey && !u.Assign && (nf.NoFixedKeys(u) || missesEither(nf, u)):
		// Looked up in an object that only ever gets keys the
		// program computes, or in a table that holds neither name:
		// no evidence of a break.
		return true
	}
	// [C.name, C] that builds no store the flows see is data
	// ([op.constructor.name, fields] serialized): no evidence.
	_, entry := u.Node.(*ast.ArrayLiteral)
	return entry
}

// keyUseRole says what the use u makes of a name ("as a key", "as the
// "type" tag"…); ok is false for the uses this rule does not judge: other
// kinds, and tags under keys that are no type tags or that come back to
// the names they were written from.
func keyUseRole(nf *names.Facts, u *names.Use) (what string, ok bool) {
	switch u.Kind {
	case names.UseKey:
		if u.Assign {
			return "as a registry key", true
		}
		return "as a key", true
	case names.UseSerialize:
		if u.Key != "" && !tagKeys[u.Key] || nf.TagClosed(u) {
			return "", false
		}
		if u.Key != "" {
			return fmt.Sprintf("as the %q tag of an object", u.Key), true
		}
		return "as a serialized value", true
	case names.UseStore:
		if !tagKeys[u.Key] || nf.TagClosed(u) {
			return "", false
		}
		return fmt.Sprintf("as the %q tag", u.Key), true
	}
	return "", false
}

// htmlNamed returns the functions whose runtime names the program writes
// into code text, in strings built from them (el.innerHTML = '<a
// onclick="' + fn.name + '()">', insertAdjacentHTML, document.write,
// setAttribute("onclick", …), a string timer).
func htmlNamed(nf *names.Facts) map[*names.Func]bool {
	out := map[*names.Func]bool{}
	for _, u := range nf.Uses {
		if codeSink(nf, u) && u.Derived() {
			for _, fn := range u.Read.Candidates {
				out[fn] = true
			}
		}
	}
	return out
}

// allIn reports whether every function of fns is in set (and there is
// one), each with its own runtime name: two sharing one, or an anonymous
// "" (compression inlined them), leave handlers calling the wrong
// function or none.
func allIn(fns []*names.Func, set map[*names.Func]bool) bool {
	seen := map[string]bool{}
	for _, fn := range fns {
		if !set[fn] || !fn.RuntimeKnown || fn.Runtime == "" || seen[fn.Runtime] {
			return false
		}
		seen[fn.Runtime] = true
	}
	return len(fns) > 0
}

// missesEither reports whether a key read indexes a table that holds
// neither the source nor the runtime name of any renamed function the
// key may name: the lookup misses before minification and after it
// (zod's TypeDictionary[parsedType(x)] holds only primitive type names).
func missesEither(nf *names.Facts, u *names.Use) bool {
	keys, ok := nf.TableKeys(u)
	if !ok {
		return false
	}
	n := 0
	for _, fn := range u.Read.Candidates {
		if !nf.Mangled(fn) {
			continue // same name before and after
		}
		if !fn.Renamed() || keys[fn.Original] || keys[fn.Runtime] {
			return false
		}
		n++
	}
	return n > 0
}

// judgeKey says why a name read makes a poor key after minification, or "".
func judgeKey(nf *names.Facts, r *names.Read) (string, string) {
	var bad []*names.Func
	for _, fn := range r.Candidates {
		if nf.Mangled(fn) {
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

// reportStore reports the breaks a name-keyed store shows by itself: a
// fixed key no stored name carries (the lookup finds nothing once names
// are mangled), and distinct values that share a runtime name (one entry
// overwrites the other). It returns whether it reported any.
func reportStore(p *analyzer.Pass, st *names.Store) bool {
	nf := p.File.Names
	reported := false
	keyedBy := describeKeys(nf, st.Candidates)
	for _, l := range st.Lookups {
		if !l.Missing {
			continue
		}
		name := ""
		for _, fn := range st.Candidates {
			if fn.OriginalKnown && fn.Original == l.Key {
				name = fn.Original
			}
		}
		p.Report(analyzer.Diagnostic{
			Pos:      l.Pos,
			Severity: analyzer.Error,
			Message: fmt.Sprintf("%s looks up the key %q in a registry keyed by runtime names (%s): no stored key is %q, so the lookup finds nothing in this build. %s",
				p.Text(l.Node, 60), l.Key, keyedBy, l.Key, storeFix),
			Name: name,
		})
		reported = true
	}
	for _, group := range st.Collisions {
		w := firstWriteOf(st, group)
		if w == nil {
			continue
		}
		who, rt := describeGroup(group)
		p.Report(analyzer.Diagnostic{
			Pos:      w.Read.Pos,
			Severity: analyzer.Error,
			Message: fmt.Sprintf("%s is used as a registry key, but %s all have the runtime name %s in this build: their keys collide and one entry silently overwrites the other. %s",
				p.Text(w.Read.Node, 60), who, rt, storeFix),
			Name:    group[0].SourceName(),
			Related: append(append(passedHere(p, w.Read), nameLookups(p, st)...), otherLookups(p, st)...),
		})
		reported = true
	}
	return reported
}

const storeFix = "Key the registry by an explicit string you own (a static id), or keep names (esbuild keepNames, terser/swc keep_classnames and keep_fnames)."

// firstWriteOf returns the first write of st whose candidates include
// one of fns.
func firstWriteOf(st *names.Store, fns []*names.Func) *names.Use {
	for _, w := range st.Writes {
		for _, c := range w.Read.Candidates {
			for _, fn := range fns {
				if c == fn {
					return w
				}
			}
		}
	}
	return nil
}

// describeKeys says which names a store holds: `initConfig → "t", …`
// with a map, the runtime names without.
func describeKeys(nf *names.Facts, fns []*names.Func) string {
	var parts []string
	for _, fn := range fns {
		switch {
		case fn.OriginalKnown && fn.Original != "" && fn.Original != fn.Runtime:
			parts = appendUnique(parts, fmt.Sprintf("%s → %s", fn.Original, runtimeName(fn.Runtime)))
		default:
			parts = appendUnique(parts, runtimeName(fn.Runtime))
		}
	}
	sort.Strings(parts)
	if len(parts) > 6 {
		parts = append(parts[:6], fmt.Sprintf("and %d more", len(parts)-6))
	}
	// Functions another chunk of the build defines (linked imports):
	// their names come from there.
	var chunks []string
	for _, fn := range fns {
		if fn.Linked != nil {
			chunks = appendUnique(chunks, fn.Linked.Path)
		}
	}
	sort.Strings(chunks)
	if len(chunks) > 0 {
		return strings.Join(parts, ", ") + "; imported from " + strings.Join(chunks, ", ")
	}
	return strings.Join(parts, ", ")
}

// reportTables reports lookups of literal-keyed tables by runtime names,
// one diagnostic per lookup.
func reportTables(p *analyzer.Pass, misses []*names.TableMiss) {
	retried := retriedLookups(p, misses)
	for i := 0; i < len(misses); {
		j := i
		var parts, unreached []string
		var related []analyzer.Related
		looked := ""
		for ; j < len(misses) && misses[j].Node == misses[i].Node; j++ {
			m := misses[j]
			related = appendRead(p, related, m.Node, m.Via.Read)
			held := "holds it under"
			if !m.Holds {
				held = "keys its entry by its source name"
			}
			if m.Func == nil {
				unreached, looked = append(unreached, fmt.Sprintf("%q", m.Key)), m.Looked
				continue
			}
			if m.Via.Derived() {
				parts = appendUnique(parts, fmt.Sprintf("%s %s is %q at runtime, so the key is %q, but the table holds its entry under %q", m.Func.Kind(), m.Func.SourceName(), m.Func.Runtime, m.Looked, m.Key))
				continue
			}
			parts = appendUnique(parts, fmt.Sprintf("%s %s is %q at runtime but the table %s %q", m.Func.Kind(), m.Func.SourceName(), m.Func.Runtime, held, m.Key))
		}
		if len(unreached) > 0 {
			// Without a map: the keys no candidate's runtime name makes.
			parts = append(parts, fmt.Sprintf("the table holds entries under %s, but the keys the lookup makes in this build are %s", strings.Join(unreached, ", "), looked))
		}
		m := misses[i]
		via := ""
		if m.Tag != "" {
			via = fmt.Sprintf(" the %q tag that %s wrote,", m.Tag, p.Text(m.Via.Read.Node, 40))
		}
		if len(parts) > 3 {
			parts = append(parts[:3], fmt.Sprintf("and %d more", len(parts)-3))
		}
		survive := "object keys"
		if m.Literals {
			survive = "string literals"
		}
		looks := "a runtime name"
		if m.Via.Derived() {
			looks = "a key made from a runtime name"
		}
		sev, after := analyzer.Error, ""
		if again := retried[m.Node]; again != nil {
			// viem: client[action.name], then client[name] with the name
			// passed explicitly, then the action itself.
			sev = analyzer.Warning
			after = fmt.Sprintf(" The function looks the table up again by another key (%s): the miss falls back to that lookup.", p.Text(again, 40))
		}
		p.Report(analyzer.Diagnostic{
			Pos:      m.Pos,
			Severity: sev,
			Message: fmt.Sprintf("%s looks up%s %s, in a table keyed by the names in the source (%s survive minification): %s, so the lookup finds nothing in this build.%s Key the table and the data by an explicit string you own (a static type), or keep names (esbuild keepNames, terser/swc keep_classnames).",
				p.Text(m.Node, 60), via, looks, survive, strings.Join(parts, "; "), after),
			Name:    sourceNameOf(m.Func),
			Related: related,
		})
		i = j
	}
}

// retriedLookups returns, for the lookups of misses (table[x.name]) whose
// function reads the same table again by another key (table[key], key
// not made from a name read), that other lookup. One walk finds where
// the lookups are, only when there are misses.
func retriedLookups(p *analyzer.Pass, misses []*names.TableMiss) map[ast.Node]ast.Node {
	out := map[ast.Node]ast.Node{}
	if len(misses) == 0 {
		return out
	}
	fns := map[ast.Node]ast.Node{} // lookup → its innermost function
	for _, m := range misses {
		fns[m.Node] = nil
	}
	inspectProgram(p, func(n ast.Node, stack []ast.Node) bool {
		if _, ok := fns[n]; ok {
			for i := len(stack) - 1; i >= 0; i-- {
				switch stack[i].(type) {
				case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
					fns[n] = stack[i]
					i = 0
				}
			}
		}
		return true
	})
	sc := p.File.Scope
	for n, fn := range fns {
		look, ok := n.(*ast.BracketExpression)
		if !ok || fn == nil {
			continue
		}
		base, ok := look.Left.(*ast.Identifier)
		if !ok || sc.Resolve(base) == nil {
			continue
		}
		walk.Inspect(fn, func(x ast.Node) bool {
			if out[n] != nil {
				return false
			}
			b, ok := x.(*ast.BracketExpression)
			if !ok || b == look {
				return true
			}
			id, ok := b.Left.(*ast.Identifier)
			if !ok || sc.Resolve(id) != sc.Resolve(base) {
				return true
			}
			if d, ok := b.Member.(*ast.DotExpression); ok && d.Identifier.Name == "name" {
				return true // another runtime name
			}
			if _, ok := b.Member.(*ast.Identifier); ok {
				out[n] = b
			}
			return true
		})
	}
	return out
}

// appendRead adds the name read r as a related place of a finding at n,
// when it lies outside n (the name reached n through a parameter, a
// return or data) and is not listed yet.
func appendRead(p *analyzer.Pass, related []analyzer.Related, n ast.Node, r *names.Read) []analyzer.Related {
	if r == nil || r.Node == nil {
		return related
	}
	if from, to := startOf(n), endOf(n); r.Pos >= from && r.Pos < to {
		return related
	}
	for _, x := range related {
		if x.Pos == r.Pos {
			return related
		}
	}
	return append(related, analyzer.Related{Pos: r.Pos, Message: fmt.Sprintf("the runtime name is read here: %s", p.Text(r.Node, 60))})
}

// describeGroup describes functions that share one runtime name: who
// they are ("class A, an anonymous function") and the name they share.
func describeGroup(group []*names.Func) (who, name string) {
	var parts []string
	count := map[string]int{}
	for _, fn := range group {
		part := kindAndName(fn)
		if count[part] == 0 {
			parts = append(parts, part)
		}
		count[part]++
	}
	for i, part := range parts {
		switch n := count[part]; {
		case n == 1:
		case strings.HasPrefix(part, "an anonymous "):
			kind := strings.TrimPrefix(part, "an anonymous ")
			plural := kind + "s"
			if strings.HasSuffix(kind, "class") {
				plural = kind + "es"
			}
			parts[i] = fmt.Sprintf("%d anonymous %s", n, plural)
		default:
			parts[i] = fmt.Sprintf("%s (%d of them)", part, n)
		}
	}
	return strings.Join(parts, ", "), runtimeName(group[0].Runtime)
}

// reportGlobalCollision reports window[fn.name] = fn when distinct
// functions it registers share one runtime name in this build (every
// anonymous one is ""): one global overwrites the other, and whatever
// calls them by name reaches one function or none. It returns whether it
// reported.
func reportGlobalCollision(p *analyzer.Pass, u *names.Use) bool {
	groups := names.Collisions(u.Read.Candidates)
	if len(groups) == 0 {
		return false
	}
	group := groups[0]
	who, shown := describeGroup(group)
	p.Report(analyzer.Diagnostic{
		Pos:      u.Read.Pos,
		Severity: analyzer.Error,
		Message: fmt.Sprintf("%s names globals after functions, but %s all have the runtime name %s in this build: each overwrites the last, and code that calls them by name (inline handlers, window[\"…\"]) finds one of them or none. "+
			"Publish each under a name you own (window.saveDraft = saveDraft), or keep names (esbuild keepNames, terser/swc keep_fnames).",
			p.Text(u.Node, 60), who, shown),
		Name: group[0].SourceName(),
	})
	return true
}

// reportNamedInCode reports code text built from a function's runtime
// name as a call of a global — an inline handler in HTML
// ('<button onclick="' + fn.name + '()">', setAttribute("onclick", …)),
// a string timer (setTimeout(fn.name + "()")) — when no global has that
// name in this bundle: the function is local to the bundle (its wrapper or
// module) and is published, if at all, under another name
// (window.markDone = fn). The bundle shows it without a map: the name is
// the one the function has here, and nothing makes it a global.
func reportNamedInCode(p *analyzer.Pass) {
	nf := p.File.Names
	var published map[string][]ast.Expression
	stored := map[*names.Func]bool{} // window[fn.name] = fn
	scriptTop := p.File.Scope.Root.Kind == scope.Global
	for _, u := range nf.Uses {
		if u.Kind == names.UseKey && u.Assign && !u.Derived() && nf.GlobalKey(u) {
			for _, fn := range u.Read.Candidates {
				stored[fn] = true
			}
		}
	}
	for _, u := range nf.Uses {
		if !u.Derived() || len(u.Read.Candidates) == 0 || u.Read.Partial || !codeSink(nf, u) || !calledInText(p, u.Read.Node) {
			continue
		}
		if published == nil {
			published = publishedGlobals(p)
		}
		var local []*names.Func
		for _, fn := range u.Read.Candidates {
			_, global := published[fn.Runtime]
			if !fn.RuntimeKnown || fn.Runtime == "" || global || stored[fn] ||
				scriptTop && p.File.Scope.Root.Lookup(fn.Runtime) != nil {
				local = nil
				break // one that is a global: the code may call it
			}
			local = append(local, fn)
		}
		if len(local) == 0 {
			continue
		}
		fn := local[0]
		also := ""
		for _, k := range slices.Sorted(maps.Keys(published)) {
			if slices.ContainsFunc(published[k], func(e ast.Expression) bool { return nf.Resolve(e) == fn }) {
				also = fmt.Sprintf(" (it is published as window.%s)", k)
				break
			}
		}
		p.Report(analyzer.Diagnostic{
			Pos:      u.Read.Pos,
			Severity: analyzer.Error,
			Message: fmt.Sprintf("%s is written into %s as a call of a global, but the runtime name of %s here is %q and no global of that name exists in this bundle%s: the call throws ReferenceError. "+
				"Write the name you publish (a string you own) instead of the function's name.",
				p.Text(u.Read.Node, 60), sinkText(u), kindAndName(fn), fn.Runtime, also),
			Name: fn.SourceName(),
		})
	}
}

// codeSink reports whether a use puts its value into text that runs as
// code: HTML (innerHTML, outerHTML, insertAdjacentHTML, document.write), an
// inline handler attribute (setAttribute("on…", …)), or a string timer.
func codeSink(nf *names.Facts, u *names.Use) bool {
	switch u.Kind {
	case names.UseStore:
		return u.Key == "innerHTML" || u.Key == "outerHTML"
	case names.UseArg:
		c := u.Callee
		switch {
		case isMethod(c, "insertAdjacentHTML"), c == "document.write", c == "document.writeln",
			c == "setTimeout", c == "setInterval", c == "window.setTimeout", c == "window.setInterval":
			return true
		case isMethod(c, "setAttribute"):
			call, ok := u.Node.(*ast.CallExpression)
			if !ok || len(call.ArgumentList) < 2 {
				return false
			}
			attr, ok := nf.ConstString(call.ArgumentList[0])
			return ok && strings.HasPrefix(strings.ToLower(attr), "on")
		}
	}
	return false
}

// isMethod reports whether a callee's text (obj.m, or m alone when the
// receiver is too complex to print) calls method m.
func isMethod(callee, m string) bool {
	return callee == m || strings.HasSuffix(callee, "."+m)
}

// sinkText names a code sink for messages.
func sinkText(u *names.Use) string {
	switch {
	case u.Kind == names.UseStore:
		return u.Key
	case strings.Contains(u.Callee, "setTimeout"), strings.Contains(u.Callee, "setInterval"):
		return "code a timer runs"
	case isMethod(u.Callee, "setAttribute"):
		return "an inline event handler"
	}
	return "HTML"
}

// calledInText reports whether the name read at n is concatenated right
// before a string that starts a call: fn.name + "()", `${fn.name}(this)`.
func calledInText(p *analyzer.Pass, n ast.Node) bool {
	found := false
	inspectProgram(p, func(x ast.Node, _ []ast.Node) bool {
		if found {
			return false
		}
		switch e := x.(type) {
		case *ast.BinaryExpression:
			if e.Operator != token.PLUS || !endsWith(e.Left, n) {
				return true
			}
			if lit, ok := startString(e.Right); ok && strings.HasPrefix(strings.TrimLeft(lit, " "), "(") {
				found = true
			}
		case *ast.TemplateLiteral:
			for i, ex := range e.Expressions {
				if ast.Node(ex) == n && i+1 < len(e.Elements) && strings.HasPrefix(strings.TrimLeft(e.Elements[i+1].Parsed.String(), " "), "(") {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// endsWith reports whether the concatenation e ends with the node n.
func endsWith(e ast.Expression, n ast.Node) bool {
	if ast.Node(e) == n {
		return true
	}
	if b, ok := e.(*ast.BinaryExpression); ok && b.Operator == token.PLUS {
		return endsWith(b.Right, n)
	}
	return false
}

// startString returns the string literal a concatenation starts with.
func startString(e ast.Expression) (string, bool) {
	if b, ok := e.(*ast.BinaryExpression); ok && b.Operator == token.PLUS {
		return startString(b.Left)
	}
	return names.LiteralString(e)
}

// sourceNameOf is fn's source name, or "" for no function.
func sourceNameOf(fn *names.Func) string {
	if fn == nil {
		return ""
	}
	return fn.SourceName()
}

// reportInstanceNames reports registries keyed by the runtime names of
// classes and looked up with the name their instances carry (the
// explicit this.name of error classes, serialized and read back).
func reportInstanceNames(p *analyzer.Pass, misses []*names.InstanceNameMiss) {
	for i := 0; i < len(misses); {
		j := i
		var parts []string
		for ; j < len(misses) && misses[j].Node == misses[i].Node; j++ {
			m := misses[j]
			parts = appendUnique(parts, fmt.Sprintf("%s %s is %q at runtime but its instances are named %q", m.Func.Kind(), m.Func.SourceName(), m.Func.Runtime, m.Instance))
		}
		m := misses[i]
		if len(parts) > 3 {
			parts = append(parts[:3], fmt.Sprintf("and %d more", len(parts)-3))
		}
		p.Report(analyzer.Diagnostic{
			Pos:      m.Pos,
			Severity: analyzer.Error,
			Message: fmt.Sprintf("%s looks up an instance's name in a registry keyed by its classes' runtime names (%s): %s, so a name read from an instance or its serialized form finds no class in this build. Key the registry by the same explicit name the instances carry (a static name = \"X\" on each class), or keep class names (esbuild keepNames, terser/swc keep_classnames).",
				p.Text(m.Node, 60), describeKeys(p.File.Names, m.Store.Candidates), strings.Join(parts, "; ")),
			Name:    m.Func.SourceName(),
			Related: []analyzer.Related{{Pos: startOf(m.Store.Node), Message: "the registry: " + p.Text(m.Store.Node, 60)}},
		})
		i = j
	}
}
