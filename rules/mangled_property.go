package rules

import (
	"encoding/json"
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
)

// MangledProperty flags properties renamed by property mangling that code
// still reaches by their original string.
var MangledProperty = &analyzer.Rule{
	ID:       "mangled-property",
	Title:    "Property renamed by property mangling but reached by its original string",
	Severity: analyzer.Error,
	Doc: `Property mangling (terser mangle.properties, esbuild --mangle-props,
uglify-js --mangle-props, Closure ADVANCED) renames obj._count to obj.a
everywhere the property is written as an identifier. Quoted accesses are
left alone by design — o["_count"], "_count" in o, o.hasOwnProperty("_count"),
Object.keys(o).includes("_count"), a list of names that the keys are matched
against (Object.keys(o).filter(k => ["_count"].includes(k))) — so they now look
for a property that no longer exists and get undefined or false. So do the keys
of a JSON literal the bundle parses and applies by key ('{"_count":1}' looked
up with k in o or o[k]). The reverse
breaks too: Object.defineProperty(o, "_count", …) defines the property by its
string while the code that reads o._count was renamed, and data parsed from a
JSON literal ('{"_count":1}') keeps its keys while the dot reads of it were
renamed.

With a source map, manglecheck knows exactly which properties were renamed
(the map names the original at each renamed property). Without one, it flags
quoted keys that follow the usual mangling convention (a leading or trailing
underscore) when no property of that convention is left anywhere in the
bundle: the twin that was renamed away. A definition by string and a renamed
read of parsed JSON are reported with a map only.

Fix: access the property with a dot (it is then renamed consistently), keep
it out of the mangling pattern, or list it in terser
mangle.properties.reserved / esbuild --reserve-props. JSON round trips of
mangled objects are not detected: keep serialized shapes out of the pattern.`,
	Fix: `code: use dot access (o._count) so the property is renamed consistently
terser: mangle.properties.reserved: ["_count"]; esbuild: --reserve-props=^_count$
uglify-js: --mangle-props reserved=[_count]`,
	Bad: `export class Counter {
  constructor() { this._count = 0; }
  inc() { this._count++; return this; }
}
const c = new Counter().inc();
console.log(c["_count"], "_count" in c);`,
	Good: `export class Counter {
  constructor() { this._count = 0; }
  inc() { this._count++; return this; }
}
const c = new Counter().inc();
console.log(c._count);`,
	KeepNamesUnfixed: true,
	Run:              runMangledProperty,
}

func runMangledProperty(p *analyzer.Pass) {
	ps := &propScan{p: p, nf: p.File.Names, written: map[string]bool{}, renamedTo: map[string]string{}, kept: map[string]bool{},
		keyVars: map[*scope.Binding]bool{}, jsonKeys: map[*scope.Binding][]string{},
		jsonUsed: map[*scope.Binding]bool{}, parsedDone: map[string]bool{}}
	inspectProgram(p, ps.visit)
	// With a map: a dot access that kept a name mangled everywhere else was
	// a quoted access in the source (esbuild and terser turn o["_x"] into
	// o._x without renaming it).
	for _, d := range ps.dots {
		if _, ok := ps.renamedTo[d.name]; ok && !ps.kept[d.name] {
			ps.lookups = append(ps.lookups, propLookup{node: d.node, key: d.name, how: p.Text(d.node, 40) + " (a quoted access in the source)"})
		}
	}
	sort.SliceStable(ps.lookups, func(i, j int) bool { return startOf(ps.lookups[i].node) < startOf(ps.lookups[j].node) })
	conv := conventionsLeft(ps.written)
	for _, l := range ps.lookups {
		ps.judge(l, conv)
	}
}

// propScan is what runMangledProperty gathers in its walk.
type propScan struct {
	p  *analyzer.Pass
	nf *names.Facts
	// written are the property names the bundle writes (keys,
	// assignments).
	written map[string]bool
	// renamedTo maps an original property name to what the map says
	// property mangling renamed it to.
	renamedTo map[string]string
	// kept are the property names some write leaves as they are in the
	// source: a lookup by that name can find them (two copies of a
	// library, one built with property mangling and one without).
	kept map[string]bool
	// dots are the dot accesses that kept their name.
	dots []dotRead
	// lookups are the reads of a property by a string.
	lookups []propLookup
	// keyVars are the bindings that hold the property names of an object
	// (Object.keys(o).filter(k => …), for (const k of Object.keys(o))).
	keyVars map[*scope.Binding]bool
	// jsonKeys are the bindings that hold the keys of an object the
	// bundle parses from a JSON literal (for (const [k, v] of
	// Object.entries(JSON.parse('{"a_":1}')))), with those keys.
	jsonKeys map[*scope.Binding][]string
	// jsonUsed are the jsonKeys bindings whose lookups were filed.
	jsonUsed map[*scope.Binding]bool
	// parsedDone are the names whose renamed read of parsed JSON data
	// was reported.
	parsedDone map[string]bool
}

// dotRead is a dot access and the property name it reads.
type dotRead struct {
	node *ast.DotExpression
	name string
}

// note records a property name at pos (-1 when its position says
// nothing), written or read, and returns its original name when the map
// shows it renamed by property mangling ("" otherwise).
func (ps *propScan) note(name string, pos int, write bool) (orig string) {
	if write {
		ps.written[name] = true
	}
	if ps.nf.HasMap && pos >= 0 {
		if orig, ok := ps.nf.OriginalAt(pos, name); ok && orig != name && identRE.MatchString(orig) && wasProperty(ps.nf, pos, orig, name) {
			ps.renamedTo[orig] = name
			return orig
		}
	}
	if write {
		ps.kept[name] = true
	}
	return ""
}

// visit is runMangledProperty's walk: the property names written and
// read with a dot or as keys, and the lookups by a string.
func (ps *propScan) visit(n ast.Node, stack []ast.Node) bool {
	switch x := n.(type) {
	case *ast.DotExpression:
		name := x.Identifier.Name.String()
		written := isWritten(x, stack)
		if orig := ps.note(name, scope.Offset(x.Identifier.Idx), written); orig == "" {
			ps.dots = append(ps.dots, dotRead{x, name})
		} else if !written {
			ps.parsedRead(x, orig)
		}
	case *ast.PropertyKeyed:
		if k, ok := x.Key.(*ast.StringLiteral); ok && !x.Computed {
			ps.note(k.Value.String(), keyPosIfIdent(k), true)
		}
	case *ast.PropertyShort:
		ps.note(x.Name.Name.String(), -1, true)
	case *ast.MethodDefinition:
		if k, ok := x.Key.(*ast.StringLiteral); ok && !x.Computed {
			ps.note(k.Value.String(), keyPosIfIdent(k), true)
		}
	case *ast.FieldDefinition:
		if k, ok := x.Key.(*ast.StringLiteral); ok && !x.Computed {
			ps.note(k.Value.String(), keyPosIfIdent(k), true)
		}
	case *ast.BracketExpression:
		if s, ok := constString(x.Member); ok {
			ps.lookups = append(ps.lookups, propLookup{node: x, key: s, how: fmt.Sprintf("%s[%q]", shortText(ps.p, x.Left), s)})
		}
		if !isWritten(x, stack) {
			ps.jsonLookup(x, x.Member, shortText(ps.p, x.Left)+"[…]")
		}
	case *ast.BinaryExpression:
		if x.Operator == token.IN {
			if s, ok := constString(x.Left); ok {
				ps.lookups = append(ps.lookups, propLookup{node: x, key: s, how: fmt.Sprintf("%q in …", s)})
			}
			ps.jsonLookup(x, x.Left, "in")
		}
	case *ast.CallExpression:
		if s, how, ok := stringKeyCall(x); ok {
			ps.lookups = append(ps.lookups, propLookup{node: x, key: s, how: how})
		}
		ps.keysCallback(x)
		ps.listLookup(x)
		if n := calleeName(x.Callee); (n == "Object.defineProperty" || n == "Reflect.defineProperty") && len(x.ArgumentList) > 2 {
			if s, ok := constString(x.ArgumentList[1]); ok {
				ps.lookups = append(ps.lookups, propLookup{node: x, key: s, how: fmt.Sprintf("%s(…, %q, …)", n, s), define: true})
			}
		}
	case *ast.ForOfStatement:
		if keysOf(x.Source) != "" {
			if b := ps.loopKey(x.Into, false); b != nil {
				ps.keyVars[b] = true
			}
		}
		ps.jsonLoop(x)
	}
	return true
}

// parsedRead reports a dot read that property mangling renamed from
// orig (the map says so) when its receiver is data JSON.parse makes from
// a literal keyed orig: the data keeps the name, the read was renamed.
func (ps *propScan) parsedRead(x *ast.DotExpression, orig string) {
	if ps.parsedDone[orig] || ps.kept[orig] {
		return
	}
	keys, call := ps.parsedSource(x.Left, 0)
	if !slices.Contains(keys, orig) {
		return
	}
	ps.parsedDone[orig] = true
	ps.p.Report(analyzer.Diagnostic{
		Pos: scope.Offset(x.Identifier.Idx),
		Message: fmt.Sprintf("%s reads property %q, which property mangling renamed to %q, but it reads data that %s parses from JSON text keying it %q: the data keeps the name, so this read finds nothing. "+
			"Keep data properties out of the mangling pattern, or reserve the name (terser mangle.properties.reserved, esbuild --reserve-props).",
			ps.p.Text(x, 40), orig, x.Identifier.Name.String(), ps.p.Text(call, 40), orig),
		Name: orig,
	})
}

// parsedSource returns the keys of the object e is when it is made by
// JSON.parse of a literal: the call itself, a binding nothing reassigns
// that holds it, or a call of a function that returns it.
func (ps *propScan) parsedSource(e ast.Expression, depth int) ([]string, *ast.CallExpression) {
	if depth > 3 {
		return nil, nil
	}
	switch x := e.(type) {
	case *ast.Identifier:
		if init := ps.p.File.Scope.Resolve(x).Constant(); init != nil {
			return ps.parsedSource(init, depth+1)
		}
	case *ast.CallExpression:
		if calleeName(x.Callee) == "JSON.parse" {
			return ps.parsedKeys(x), x
		}
		if fn := ps.nf.Resolve(x.Callee); fn != nil {
			if ret := names.ReturnedBy(fn.Node); ret != nil {
				return ps.parsedSource(ret, depth+1)
			}
		}
	}
	return nil, nil
}

// jsonLoop records the key variable of a loop over the keys or entries
// of an object parsed from a JSON literal.
func (ps *propScan) jsonLoop(x *ast.ForOfStatement) {
	c, ok := x.Source.(*ast.CallExpression)
	if !ok || len(c.ArgumentList) != 1 {
		return
	}
	n := calleeName(c.Callee)
	if n != "Object.keys" && n != "Object.entries" {
		return
	}
	keys, _ := ps.parsedSource(c.ArgumentList[0], 0)
	if len(keys) == 0 {
		return
	}
	if b := ps.loopKey(x.Into, n == "Object.entries"); b != nil {
		ps.jsonKeys[b] = keys
	}
}

// parsedKeys returns the keys of the object the JSON.parse call c makes
// from a constant string (const BODY = '{…}'; JSON.parse(BODY)).
func (ps *propScan) parsedKeys(c *ast.CallExpression) []string {
	if len(c.ArgumentList) != 1 {
		return nil
	}
	text, ok := ps.nf.ConstString(c.ArgumentList[0])
	if !ok {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &obj) != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(obj))
}

// jsonLookup files `k in o` and o[k], where k holds the keys of an object
// parsed from a JSON literal: each key is a property looked up by its
// string.
func (ps *propScan) jsonLookup(n ast.Node, key ast.Expression, how string) {
	id, ok := key.(*ast.Identifier)
	if !ok || len(ps.jsonKeys) == 0 {
		return
	}
	b := ps.p.File.Scope.Resolve(id)
	if b == nil || ps.jsonUsed[b] {
		return // one lookup per loop: `k in o && (o[k] = …)` is one
	}
	keys := ps.jsonKeys[b]
	if len(keys) > 0 {
		ps.jsonUsed[b] = true
	}
	for _, k := range keys {
		ps.lookups = append(ps.lookups, propLookup{node: n, key: k, how: fmt.Sprintf("%q, a key of a JSON literal the bundle parses, used with %s,", k, how)})
	}
}

// keysOf returns "Object.keys" (or the like) when e lists an object's
// own property names, else "".
func keysOf(e ast.Expression) string {
	if c, ok := e.(*ast.CallExpression); ok {
		if n := calleeName(c.Callee); n == "Object.keys" || n == "Object.getOwnPropertyNames" || n == "Reflect.ownKeys" {
			return n
		}
	}
	return ""
}

// loopKey returns the binding a for-of head declares for the key: one
// plain identifier, or with entries the first of an array pattern
// (for (const [k, v] of Object.entries(o))).
func (ps *propScan) loopKey(into ast.ForInto, entries bool) *scope.Binding {
	d, ok := into.(*ast.ForDeclaration)
	if !ok {
		return nil
	}
	var target ast.Node = d.Target
	if entries {
		arr, ok := d.Target.(*ast.ArrayPattern)
		if !ok || len(arr.Elements) == 0 {
			return nil
		}
		target = arr.Elements[0]
	}
	if id, ok := target.(*ast.Identifier); ok {
		return ps.p.File.Scope.Declared(id)
	}
	return nil
}

// keysCallback records the first parameter of a callback that iterates
// an object's property names: Object.keys(o).filter(k => …).
func (ps *propScan) keysCallback(c *ast.CallExpression) {
	d, ok := c.Callee.(*ast.DotExpression)
	if !ok || len(c.ArgumentList) == 0 || keysOf(d.Left) == "" {
		return
	}
	switch d.Identifier.Name {
	case "filter", "map", "forEach", "some", "every", "find", "findIndex", "flatMap", "reduce":
	default:
		return
	}
	var params *ast.ParameterList
	switch fn := c.ArgumentList[0].(type) {
	case *ast.ArrowFunctionLiteral:
		params = fn.ParameterList
	case *ast.FunctionLiteral:
		params = fn.ParameterList
	default:
		return
	}
	at := 0
	if d.Identifier.Name == "reduce" {
		at = 1
	}
	if params == nil || len(params.List) <= at {
		return
	}
	if id, ok := params.List[at].Target.(*ast.Identifier); ok {
		if b := ps.p.File.Scope.Declared(id); b != nil {
			ps.keyVars[b] = true
		}
	}
}

// listLookup files LIST.includes(k) and LIST.indexOf(k), where LIST is a
// list of string literals and k an object's property name: each literal
// is a property name looked up by its string.
func (ps *propScan) listLookup(c *ast.CallExpression) {
	d, ok := c.Callee.(*ast.DotExpression)
	if !ok || len(ps.keyVars) == 0 || len(c.ArgumentList) != 1 || (d.Identifier.Name != "includes" && d.Identifier.Name != "indexOf") {
		return
	}
	id, ok := c.ArgumentList[0].(*ast.Identifier)
	if !ok {
		return
	}
	if b := ps.p.File.Scope.Resolve(id); b == nil || !ps.keyVars[b] {
		return
	}
	list := d.Left
	if lid, ok := list.(*ast.Identifier); ok {
		if list = ps.p.File.Scope.Resolve(lid).Constant(); list == nil {
			return
		}
	}
	arr, ok := list.(*ast.ArrayLiteral)
	if !ok {
		return
	}
	for _, el := range arr.Value {
		if s, ok := constString(el); ok {
			ps.lookups = append(ps.lookups, propLookup{node: c, key: s, how: fmt.Sprintf("%q, in a list that .%s(%s) matches against Object.keys(…),", s, d.Identifier.Name, id.Name)})
		}
	}
}

// judge reports a lookup by a string of a property that property
// mangling renamed: the map says so, or (minified, no map) nothing of
// that name is written and it follows a mangling convention no written
// property does any more.
func (ps *propScan) judge(l propLookup, conv conventions) {
	if to, ok := ps.renamedTo[l.key]; ok && !ps.kept[l.key] {
		msg := fmt.Sprintf("%s reaches property %q by its original name, but property mangling renamed it to %q everywhere it is written with a dot, so this finds nothing. "+
			"Use dot access, or reserve the name (terser mangle.properties.reserved, esbuild --reserve-props).", l.how, l.key, to)
		if l.define {
			msg = fmt.Sprintf("%s defines property %q by its original name, but property mangling renamed it to %q everywhere it is accessed with a dot, so those accesses never see it. "+
				"Define it with a dot-named property (a getter in the class), or reserve the name (terser mangle.properties.reserved, esbuild --reserve-props).", l.how, l.key, to)
		}
		ps.p.Report(analyzer.Diagnostic{Pos: startOf(l.node), Message: msg, Name: l.key})
		return
	}
	if ps.written[l.key] {
		return // some object really has it under that name
	}
	if l.define {
		// Without a map a defined name is only a name nothing else
		// writes: no evidence that its readers were renamed.
		return
	}
	if !ps.nf.HasMap && ps.p.File.Minified && looksPropMangled(l.key, conv) {
		ps.p.Report(analyzer.Diagnostic{
			Pos: startOf(l.node),
			Message: fmt.Sprintf("%s reaches property %q by a string, but no property named like it is written anywhere in this minified bundle: property mangling renamed the dot accesses. "+
				"Use dot access, or reserve the name (terser mangle.properties.reserved, esbuild --reserve-props).", l.how, l.key),
			Name: l.key,
		})
	}
}

// isWritten reports whether a member expression is assigned or updated.
func isWritten(n ast.Node, stack []ast.Node) bool {
	if len(stack) == 0 {
		return false
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.AssignExpression:
		return p.Left == n
	case *ast.UnaryExpression:
		return p.Operator == token.INCREMENT || p.Operator == token.DECREMENT
	}
	return false
}

type propLookup struct {
	node ast.Node
	key  string
	how  string
	// define is set for a property defined by its string
	// (Object.defineProperty(o, "_x", …)): the dot accesses that read it
	// were renamed, so they miss it.
	define bool
}

// keyPosIfIdent returns the offset of an unquoted key (a quoted one is
// never mangled), or -1.
func keyPosIfIdent(k *ast.StringLiteral) int {
	if strings.HasPrefix(k.Literal, `"`) || strings.HasPrefix(k.Literal, `'`) {
		return -1
	}
	return scope.Offset(k.Idx)
}

// stringKeyCall recognises o.hasOwnProperty("k"), Object.hasOwn(o, "k"),
// Reflect.has/get/set(o, "k"), Object.prototype.hasOwnProperty.call(o, "k")
// and Object.keys(o).includes("k").
func stringKeyCall(call *ast.CallExpression) (string, string, bool) {
	name := calleeName(call.Callee)
	arg := func(i int) (string, bool) {
		if i < len(call.ArgumentList) {
			return constString(call.ArgumentList[i])
		}
		return "", false
	}
	switch {
	case strings.HasSuffix(name, "hasOwnProperty.call"), strings.HasSuffix(name, "propertyIsEnumerable.call"):
		if s, ok := arg(1); ok {
			return s, name + "(…, " + fmt.Sprintf("%q", s) + ")", true
		}
	case name == "Object.hasOwn", name == "Reflect.has", name == "Reflect.get", name == "Reflect.set",
		name == "Object.getOwnPropertyDescriptor", name == "Reflect.getOwnPropertyDescriptor":
		if s, ok := arg(1); ok {
			return s, name + "(…, " + fmt.Sprintf("%q", s) + ")", true
		}
	}
	if d, ok := call.Callee.(*ast.DotExpression); ok {
		switch d.Identifier.Name {
		case "hasOwnProperty", "propertyIsEnumerable":
			if s, ok := arg(0); ok {
				return s, fmt.Sprintf(".%s(%q)", d.Identifier.Name, s), true
			}
		case "includes", "indexOf":
			if inner, ok := d.Left.(*ast.CallExpression); ok {
				if n := calleeName(inner.Callee); n == "Object.keys" || n == "Object.getOwnPropertyNames" || n == "Reflect.ownKeys" {
					if s, ok := arg(0); ok {
						return s, fmt.Sprintf("%s(…).%s(%q)", n, d.Identifier.Name, s), true
					}
				}
			}
		}
	}
	return "", "", false
}

// conventions says which property-mangling conventions still have
// properties written in the bundle.
type conventions struct{ prefix, suffix bool }

func conventionsLeft(emitted map[string]bool) conventions {
	var c conventions
	for name := range emitted {
		if len(name) > 1 && strings.HasPrefix(name, "_") {
			c.prefix = true
		}
		if len(name) > 1 && strings.HasSuffix(name, "_") {
			c.suffix = true
		}
	}
	return c
}

// looksPropMangled reports whether key follows a property-mangling
// convention (a leading or trailing underscore) of which no property is
// left in the bundle. Dunder names (__proto__, __esModule) are runtime or
// bundler protocol, never mangled.
func looksPropMangled(key string, left conventions) bool {
	if len(key) < 2 || !identRE.MatchString(key) || strings.HasPrefix(key, "__") {
		return false
	}
	prefix, suffix := strings.HasPrefix(key, "_"), strings.HasSuffix(key, "_")
	return (prefix && !left.prefix) || (suffix && !left.suffix)
}

func shortText(p *analyzer.Pass, n ast.Node) string {
	s := p.Text(n, 30)
	if s == "" {
		return "…"
	}
	return s
}

// wasProperty reports whether a map-renamed property position really is a
// property mangling: the original source has a property there (`.x`, `x:`,
// a class member), not a variable that bundling turned into a member —
// esbuild's CommonJS interop emits angular as Iu.default, webpack's export
// mangling emits foo as r.Z, and both maps name the original variable.
// Without the source text, only a name of the usual mangling convention (a
// leading or trailing underscore) counts.
func wasProperty(nf *names.Facts, pos int, orig, emitted string) bool {
	// Property manglers hand out short names; a longer one is some other
	// transform's mapping (tsc maps X.prototype.m = function… onto the
	// method `m` of the class).
	if !names.LooksMangled(emitted) {
		return false
	}
	if o, ok := nf.OriginAt(pos); ok {
		before := strings.TrimRight(o.Line[:o.At], " \t")
		after := strings.TrimLeft(o.Line[min(len(o.Line), o.At+len(orig)):], " \t")
		switch {
		case strings.HasSuffix(before, "."):
			return true
		case strings.HasPrefix(after, ":") || strings.HasPrefix(after, "(") || strings.HasPrefix(after, "="):
			// object key, method or class member/field: only when it
			// does not look like a declaration or a call of a variable.
			return !declKeywordBefore(before) && !strings.HasPrefix(after, "==") && (strings.HasPrefix(after, ":") || isMemberStart(before))
		}
		return false
	}
	return strings.HasPrefix(orig, "_") || strings.HasSuffix(orig, "_")
}

func declKeywordBefore(before string) bool {
	for _, kw := range []string{"var", "let", "const", "function", "class", "new", "return", "typeof"} {
		if strings.HasSuffix(before, kw) {
			return true
		}
	}
	return false
}

// isMemberStart reports whether a class member or object method can start
// after this text (a brace, a semicolon, a comma, static/get/set/async or
// the start of the line).
func isMemberStart(before string) bool {
	b := strings.TrimSpace(before)
	if b == "" {
		return true
	}
	for _, s := range []string{"{", ";", ",", "}", "static", "get", "set", "async", "*"} {
		if strings.HasSuffix(b, s) {
			return true
		}
	}
	return false
}
