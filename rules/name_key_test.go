package rules_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// A table that holds neither the source nor the runtime name of the
// classes a lookup may name misses before minification and after it: no
// finding. The same table keyed by a source name is an error.
func TestNameKeyTableEvidence(t *testing.T) {
	for _, c := range []struct {
		name, table string
		want        string // "" or the severity of the one finding
	}{
		{"neither name", `{ nan: "NaN", null: "nothing" }`, ""},
		{"source name", `{ Invoice: "an invoice", null: "nothing" }`, "error"},
	} {
		dir := t.TempDir()
		src := `class Invoice { constructor(no) { this.no = no; } }
class Customer { constructor(id) { this.id = id; } }
const LABELS = ` + c.table + `;
function label(x) {
  const t = x === null ? "null" : x.constructor.name;
  return LABELS[t] ?? t;
}
console.log(label(new Invoice(1)), label(new Customer(2)), label(null));
`
		testfiles.Write(t, dir, map[string]string{"in.js": src})
		findings := snippet{entry: filepath.Join(dir, "in.js"), out: filepath.Join(dir, "out.js"), format: api.FormatIIFE}.check(t, rules.NameKey)
		if got := severities(findings); got != c.want {
			t.Errorf("%s: got findings %q, want %q", c.name, got, c.want)
			logFindings(t, findings)
		}
	}
}

// Children grouped by their type: a host element's tag string, or a
// component's name. The lookup of the tag "a" finds what the string
// branch stored, whatever the names are: with keepNames no finding (it
// was an error while the flows took the key for names only). Without
// keepNames the names are renamed keys: warnings, as the store may hold
// keys the bundle does not show.
func TestNameKeyMixedKey(t *testing.T) {
	for _, keep := range []bool{true, false} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"in.js": `function Button() { return 1; }
function Spacer() { return 2; }
function group(items) {
  const g = {};
  for (const c of items) {
    const k = typeof c.type === "string" ? c.type : c.type.name;
    (g[k] = g[k] || []).push(c);
  }
  return g;
}
const g = group([{ type: Button }, { type: Spacer }, { type: "a" }]);
console.log((g.Button || []).length, (g.a || []).length);
`})
		findings := snippet{entry: filepath.Join(dir, "in.js"), out: filepath.Join(dir, "out.js"), format: api.FormatIIFE, keepNames: keep}.check(t, rules.NameKey)
		want := "warning,warning"
		if keep {
			want = ""
		}
		if got := severities(findings); got != want {
			t.Errorf("keepNames %v: got findings %q, want %q", keep, got, want)
			logFindings(t, findings)
		}
	}
}

// Functions registered on window under their runtime names for the
// inline handlers of HTML built from the same names: the handlers call
// exactly the keys stored, whatever the names are. Registered with no
// such HTML, other scripts may call them by their source names: a
// warning.
func TestNameKeyGlobalHandlers(t *testing.T) {
	for _, c := range []struct {
		name, html string
		want       string
	}{
		{"html from the same names", `document.body.innerHTML = html;`, ""},
		{"no html", ``, "warning"},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"in.js": `function openFile() { return 1; }
function closeFile() { return 2; }
let html = "";
for (const fn of [openFile, closeFile]) {
  window[fn.name] = fn;
  html += '<a onclick="' + fn.name + '()">' + fn.name.length + "</a>";
}
` + c.html + `
console.log(html.length);
`})
		findings := snippet{entry: filepath.Join(dir, "in.js"), out: filepath.Join(dir, "out.js"), format: api.FormatIIFE}.check(t, rules.NameKey)
		if got := severities(findings); got != c.want {
			t.Errorf("%s: got findings %q, want %q", c.name, got, c.want)
		}
	}
}

// Code text built from a function's runtime name calls a global that
// does not exist once the function is renamed and published under a
// literal name: an error, with or without a map. The same text with the
// function registered under its runtime name is a closed round trip, and
// two functions sharing one runtime name on the global object collide.
func TestNameKeyNamedInCode(t *testing.T) {
	for _, c := range []struct {
		name, src string
		noMap     bool
		want      string // severities of the findings, in order
	}{
		{"setAttribute, published under a literal", `function markDone(el) { el.disabled = true; }
window.markDone = markDone;
document.body.setAttribute("onclick", markDone.name + "(this)");`, false, "error"},
		{"setAttribute, no map", `function markDone(el) { el.disabled = true; }
window.markDone = markDone;
document.body.setAttribute("onclick", markDone.name + "(this)");`, true, "error"},
		{"string timer", `function refreshInbox() { return 1; }
window.refreshInbox = refreshInbox;
setTimeout(refreshInbox.name + "()", 10);`, false, "error"},
		{"registered under the runtime name", `function archive(el) { el.hidden = true; }
window[archive.name] = archive;
document.body.setAttribute("onclick", archive.name + "(this)");`, false, ""},
		{"a log line runs nowhere", `function sync() { return 1; }
window.sync = sync;
console.info("calling " + sync.name + "()");`, false, ""},
		{"anonymous functions collide on window", `for (const fn of [function () { return 1; }, function () { return 2; }]) window[fn.name] = fn;`, false, "error"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, c.noMap, rules.NameKey), c.want)
	}
}

// A .mjs bundle is a module even without import or export: its top-level
// function is no global, so code text calling it by its runtime name
// fails there too (as a .js script its top-level names would be globals).
func TestNameKeyNamedInCodeModule(t *testing.T) {
	for _, c := range []struct{ out, want string }{{"out.mjs", "error"}, {"out.js", ""}} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"in.js": `function refreshInbox() { return 1; }
window.refreshInbox = refreshInbox;
setTimeout(refreshInbox.name + "()", 10);
`})
		findings := snippet{entry: filepath.Join(dir, "in.js"), out: filepath.Join(dir, c.out), format: api.FormatESModule}.check(t, rules.NameKey)
		if got := severities(findings); got != c.want {
			t.Errorf("%s: got findings %q, want %q", c.out, got, c.want)
		}
	}
}

// severities lists the findings' severities, comma-separated, in order.
// checkIIFE builds src as an IIFE with esbuild (minified, with a map)
// and checks it with rules: with its map, or with noMap without it.
func checkIIFE(t *testing.T, src string, noMap bool, rs ...*analyzer.Rule) []analyzer.Finding {
	t.Helper()
	dir := t.TempDir()
	testfiles.Write(t, dir, map[string]string{"in.js": src + "\n"})
	s := snippet{entry: filepath.Join(dir, "in.js"), out: filepath.Join(dir, "out.js"), format: api.FormatIIFE}
	findings := s.check(t, rs...)
	if noMap {
		findings = checkNoMap(t, s.out, rs...)
	}
	return findings
}

// wantSeverities fails t when findings' severities are not want.
func wantSeverities(t *testing.T, name string, findings []analyzer.Finding, want string) {
	t.Helper()
	if got := severities(findings); got != want {
		t.Errorf("%s: got findings %q, want %q", name, got, want)
		logFindings(t, findings)
	}
}

func severities(findings []analyzer.Finding) string {
	var got []string
	for _, f := range findings {
		got = append(got, f.Severity.String())
	}
	return strings.Join(got, ",")
}

// logFindings logs the findings' messages.
func logFindings(t *testing.T, findings []analyzer.Finding) {
	t.Helper()
	for _, f := range findings {
		t.Log(f.Message)
	}
}

// A key made from a runtime name ("store:" + this.constructor.name) that
// a store holds entries for under the source names misses: an error with
// a map (the source names give the keys) and without one (the keys hold
// identifiers no class carries at runtime); the same keys written and
// read only through the runtime names are a closed round trip.
func TestNameKeyDerivedKeys(t *testing.T) {
	const stores = `const storage = new Map();
class Persisted {
  get key() { return "store:" + this.constructor.name; }
  load() { return storage.get(this.key); }
  save() { storage.set(this.key, 1); }
}
class CartStore extends Persisted {}
class PrefsStore extends Persisted {}
`
	for _, c := range []struct {
		name, src string
		noMap     bool
		want      string
	}{
		{"saved under the source names", stores + `storage.set("store:CartStore", 1);
console.log(new CartStore().load(), new PrefsStore().load());`, false, "error"},
		{"saved under the source names, no map", stores + `storage.set("store:CartStore", 1);
console.log(new CartStore().load(), new PrefsStore().load());`, true, "error"},
		{"closed round trip", stores + `new CartStore().save();
console.log(new CartStore().load(), new PrefsStore().load());`, false, ""},
		{"closed round trip of a template", "const cache = new Map();\nclass Product {}\nfunction put(M) { cache.set(`${M.name}:v2`, 1); }\nfunction get(M) { return cache.get(`${M.name}:v2`); }\nput(Product);\nconsole.log(get(Product));", false, ""},
		{"read by a fixed key too", "const tables = {};\nclass Order {}\nfunction reg(E) { tables[E.name.toLowerCase() + \"s\"] = []; }\nfunction rows(E) { return tables[E.name.toLowerCase() + \"s\"]; }\nreg(Order);\nconsole.log(rows(Order), tables.orders);", false, "warning,warning"},
		{"a template key listed", "const cache = new Map();\nclass Product {}\nfunction put(M) { cache.set(`${M.name}:v2`, 1); }\nfunction get(M) { return cache.get(`${M.name}:v2`); }\nput(Product);\nconsole.log(get(Product), [...cache.keys()]);", false, "warning,warning"},
		{"a template suffix", "const cache = new Map([[\"Product:v2\", 1]]);\nclass Product {}\nfunction get(M) { return cache.get(`${M.name}:v2`); }\nconsole.log(get(Product));", false, "error"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, c.noMap, rules.NameKey, rules.NameDerived), c.want)
	}
}

// A registry keyed by the runtime names of error classes, looked up with
// the explicit name their instances carry, misses: an error with and
// without a map. Instances named by their runtime class name read back
// through it are a closed round trip, and a class whose instances carry
// another name than the class missed before minification too (with a
// map that shows; without one the lookup is reported, as it misses in
// this build).
func TestNameKeyInstanceNames(t *testing.T) {
	const classes = `class QuotaError extends Error { constructor(m) { super(m); this.name = "QuotaError"; } }
class LockedError extends Error { constructor(m) { super(m); this.name = "LockedError"; } }
const known = new Map();
function add(C) { known.set(C.name, C); }
add(QuotaError);
add(LockedError);
`
	for _, c := range []struct {
		name, src string
		noMap     bool
		want      string
	}{
		{"explicit names, with a map", classes + `console.log(known.get(JSON.parse(process.argv[2]).name));`, false, "error"},
		{"explicit names, no map", classes + `console.log(known.get(JSON.parse(process.argv[2]).name));`, true, "error"},
		{"named by the runtime class name", `class Timeout extends Error { constructor() { super("t"); this.name = this.constructor.name; } }
const known = new Map();
function add(C) { known.set(C.name, C); }
add(Timeout);
console.log(known.get(new Timeout().name));`, false, "info"},
		{"a name unlike the class", `class QuotaExceeded extends Error { constructor(m) { super(m); this.name = "Quota"; } }
const known = new Map();
function add(C) { known.set(C.name, C); }
add(QuotaExceeded);
console.log(known.get(JSON.parse(process.argv[2]).name));`, false, ""},
		// Without a map the source name is unknown; the lookup still
		// misses in this build (as it did before), which is what it says.
		{"a name unlike the class, no map", `class QuotaExceeded extends Error { constructor(m) { super(m); this.name = "Quota"; } }
const known = new Map();
function add(C) { known.set(C.name, C); }
add(QuotaExceeded);
console.log(known.get(JSON.parse(process.argv[2]).name));`, true, "error"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, c.noMap, rules.NameKey, rules.NameMessage), c.want)
	}
}

// Names written as the first element of tuples ([op.constructor.name,
// {...op}]) and read back by destructuring ([tag, fields]) as the key of
// a registry of the same classes are a closed round trip; a registry read
// with the first element of tuples nobody here wrote stays a warning.
func TestNameKeyTupleRoundTrip(t *testing.T) {
	const ops = `class InsertOp { constructor(at) { this.at = at; } }
class DeleteOp { constructor(at) { this.at = at; } }
const registry = new Map([InsertOp, DeleteOp].map((C) => [C.name, C]));
`
	for _, c := range []struct{ name, src, want string }{
		{"closed", ops + `const encode = (list) => JSON.stringify(list.map((op) => [op.constructor.name, { ...op }]));
const decode = (json) => JSON.parse(json).map(([tag, fields]) => Object.assign(Object.create(registry.get(tag).prototype), fields));
console.log(decode(encode([new InsertOp(1), new DeleteOp(2)])));`, ""},
		{"tuples from elsewhere", ops + `const decode = (json) => JSON.parse(json).map(([tag, fields]) => Object.assign(Object.create(registry.get(tag).prototype), fields));
console.log(decode(process.argv[2]));`, "warning"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, false, rules.NameKey), c.want)
	}
}

// uglify-js reuses one variable for values that never live side by side:
// a class and, later, the array of results (e = class…; e = [...].map(…)),
// or a class and an arrow (a = class…; a = e => …). The flows do not
// follow time, so they bring both to one read. A class registry whose
// keys the variable reuse blurs is no evidence of a break; the same
// registry with two classes of one runtime name in separate scopes is.
func TestNameKeyReusedVariables(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"class, then an array, in one var: closed round trip",
			`(()=>{var a=class{constructor(a){this.v=a}},e=class{constructor(a){this.v=a}},n=new Map([[a.name,a=>a.v+1],[e.name,a=>a.v*2]]);var s=a=>{return a=structuredClone(a),(e=n.get(a.tag))?e(a.payload):"?";var e},e=[new a(1),new e(2)].map(a=>s({tag:a.constructor.name,payload:{...a}}));console.log(e)})();`,
			""},
		{"class, then an arrow, in one var: no collision",
			`(()=>{var e=class{apply(e){return e}},a=class{apply(e){return e.trim()}},s=new Map;var r=[a,e],a=e=>r.reduce((e,a)=>(a=a,s.has(a.name)||s.set(a.name,new a),s.get(a.name).apply(e)),e);console.log(a(" x "))})();`,
			""},
		{"two classes named t in separate scopes: collision",
			`(()=>{var s=new Map;function r(t){s.set(t.name,t)}var u=(()=>{class t{}return t})(),o=(()=>{class t{}return t})();r(u);r(o);console.log(s.size)})();`,
			"error"},
	} {
		dir := t.TempDir()
		bundle := filepath.Join(dir, "main.js")
		testfiles.Write(t, dir, map[string]string{"main.js": c.src + "\n"})
		wantSeverities(t, c.name, checkNoMap(t, bundle, rules.NameKey), c.want)
	}
}

// A table looked up with a fallback to the key (zod's display labels,
// labels[k] ?? k) shows the name itself on a miss: nothing breaks, so no
// finding; the same lookup without the fallback is still judged.
func TestNameKeyFallbackLookup(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"labels[k] ?? k",
			`(()=>{class i{}var r={nan:"NaN"};function n(e){return r[e]??e}function p(e){return e&&e.constructor?e.constructor.name:typeof e}console.log("received "+n(p(new i)))})();`,
			""},
		{"labels[k] || k",
			`(()=>{class i{}var r={nan:"NaN"};function n(e){return r[e]||e}function p(e){return e&&e.constructor?e.constructor.name:typeof e}console.log("received "+n(p(new i)))})();`,
			""},
		{"labels[k] without a fallback",
			`(()=>{class i{}var r={nan:"NaN"};function n(e){return r[e]}function p(e){return e&&e.constructor?e.constructor.name:typeof e}console.log("received "+n(p(new i)))})();`,
			"warning"},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"main.js": c.src + "\n"})
		wantSeverities(t, c.name, checkNoMap(t, filepath.Join(dir, "main.js"), rules.NameKey), c.want)
	}
}

// terser inlines a function or class used once where its declaration
// stood, as an anonymous expression: its runtime name is "" and the
// bundle shows it without a map. A function called where it stands (an
// IIFE, a module wrapper) was anonymous in the source too.
func TestAnonymousInlinedNoMap(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
		rule            *analyzer.Rule
		// mention is in the message: "" is explained, not just quoted.
		mention string
	}{
		{"steps inlined into the array a Set of source names is asked about",
			`(()=>{var t=new Set(["startTelemetry","warmSearchIndex"]),o={};for(const e of[function(t){t.a=1},function(t){t.b=2}])t.has(e.name)||e(o);console.log(o)})();`,
			"error", rules.NameKey, `are "" (the name of anonymous functions)`},
		{"the caller is the bundle's own wrapper",
			`(function(){var c={};function track(){c[track.caller.name]=!0}track(),console.log(c)})();`,
			"", rules.CalleeName, ""},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"main.js": c.src + "\n"})
		fs := checkNoMap(t, filepath.Join(dir, "main.js"), c.rule)
		wantSeverities(t, c.name, fs, c.want)
		if c.mention != "" && (len(fs) == 0 || !strings.Contains(fs[0].Message, c.mention)) {
			t.Errorf("%s: message does not say %q", c.name, c.mention)
			logFindings(t, fs)
		}
	}
}

// A collision's members that read alike are counted, not listed twice.
func TestNameKeyCollisionMessage(t *testing.T) {
	for _, c := range []struct{ src, mention string }{
		{`(()=>{var s=new Map;function r(t){s.set(t.name,t)}var u=(()=>{class t{}return t})(),o=(()=>{class t{}return t})();r(u);r(o);console.log(s.size)})();`,
			`but class t (2 of them) all have the runtime name "t"`},
		{`(()=>{var s=new Map;function r(t){s.set(t.name,t)}r(class{});r(class{});console.log(s.size)})();`,
			`but 2 anonymous classes all have the runtime name "" (anonymous)`},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"main.js": c.src + "\n"})
		fs := checkNoMap(t, filepath.Join(dir, "main.js"), rules.NameKey)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, c.mention) {
			t.Errorf("%s: want one finding saying %q", c.src, c.mention)
			logFindings(t, fs)
		}
	}
}

// A registry keyed by runtime names and looked up with a key that falls
// back to a literal (param || "GridView") misses whenever the parameter
// is absent: an error with and without a map. The same registry read only
// with keys from outside the bundle is not judged.
func TestNameKeyLiteralFallbackKey(t *testing.T) {
	for _, c := range []struct {
		name, key string
		want      string
	}{
		{"fallback literal", `new URL(href).searchParams.get("view") || "GridView"`, "error"},
		{"fallback through ??", `new URL(href).searchParams.get("view") ?? "ListView"`, "error"},
		{"no fallback", `new URL(href).searchParams.get("view")`, ""},
	} {
		src := `class GridView { render() { return "grid"; } }
class ListView { render() { return "list"; } }
const views = new Map([GridView, ListView].map((V) => [V.name, V]));
function viewFromUrl(href) {
  const name = ` + c.key + `;
  const V = views.get(name);
  return V ? new V().render() : null;
}
console.log(viewFromUrl(location.href));`
		for _, noMap := range []bool{false, true} {
			found := checkIIFE(t, src, noMap, rules.NameKey)
			var errs []analyzer.Finding
			for _, f := range found {
				if f.Severity == analyzer.Error {
					errs = append(errs, f)
				}
			}
			wantSeverities(t, fmt.Sprintf("%s (no map %v)", c.name, noMap), errs, c.want)
		}
	}
}

// viem finds an action by the function's runtime name on the client
// (client[action.name]), then by the name passed explicitly, then calls
// the action itself: a miss of the first lookup falls back. A warning,
// not an error; the lookup alone stays an error.
func TestNameKeyRetriedLookup(t *testing.T) {
	const actions = `function getBlock(c) { return "block of " + c.id; }
function getChainId(c) { return c.id; }
function decorate(c) { return { getBlock: () => getBlock(c), getChainId: () => getChainId(c) }; }
const client = decorate({ id: 1 });
`
	for _, c := range []struct{ name, src, want string }{
		{"retried by an explicit name", actions + `function getAction(client, action, name) {
  const implicit = client[action.name];
  if (typeof implicit === "function") return implicit;
  const explicit = client[name];
  if (typeof explicit === "function") return explicit;
  return () => action(client);
}
console.log(getAction(client, getBlock, "getBlock")(), getAction(client, getChainId, "getChainId")());`, "warning"},
		{"looked up once", actions + `function getAction(client, action) {
  const implicit = client[action.name];
  return typeof implicit === "function" ? implicit : () => action(client);
}
console.log(getAction(client, getBlock)(), getAction(client, getChainId)());`, "error"},
	} {
		dir := t.TempDir()
		testfiles.Write(t, dir, map[string]string{"in.js": c.src})
		findings := snippet{entry: filepath.Join(dir, "in.js"), out: filepath.Join(dir, "out.js"), format: api.FormatIIFE}.check(t, rules.NameKey)
		wantSeverities(t, c.name, findings, c.want)
	}
}

// JSON.stringify(C.name) inside a template or a concatenation quotes
// the name in a text (ethers' and sequelize's messages): the text goes
// on to its own use, a message here; stringified on its own it is a
// serialized value.
func TestNameKeyQuotedInText(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"quoted in a template given to Error", `class Model {}
class User extends Model {}
function check(m) { if (!m.table) throw new Error(` + "`model ${JSON.stringify(m.constructor.name)} has no table`" + `); }
try { check(new User()); } catch (e) { console.log(e.message); }`, "info"},
		{"quoted in a concatenation given to Error", `class Model {}
class User extends Model {}
function check(m) { if (!m.table) throw new Error("model " + JSON.stringify(m.constructor.name) + " has no table"); }
try { check(new User()); } catch (e) { console.log(e.message); }`, "info"},
		{"stringified on its own", `class Model {}
class User extends Model {}
function save(m) { localStorage.setItem("model", JSON.stringify(m.constructor.name)); }
save(new User());`, "warning"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, false, rules.NameKey, rules.NameMessage), c.want)
	}
}
