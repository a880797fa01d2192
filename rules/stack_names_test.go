package rules_test

import (
	"testing"

	"github.com/manglecheck/manglecheck/rules"
)

// A stack searched for a function name no function of the minified
// bundle carries is an error, with a map and without one, where the
// function that searches reads the trace; brought from another function
// (a helper's result), a warning: the flows do not tell a helper's calls
// apart. A search frame by frame in a loop is how a trace is cleaned for
// display, a warning; a file name is no function name.
func TestStackNamesSeverity(t *testing.T) {
	for _, c := range []struct {
		name, src string
		noMap     bool
		want      string // severities of the findings, in order
	}{
		{"caller picked from one frame", `function enqueue() {
  const frame = new Error().stack.split("\n").slice(2, 3).join("");
  return /\bappend\b/.test(frame) ? "append" : "replace";
}
function load() { return enqueue(); }
function append() { return enqueue(); }
console.log(load(), append());`, false, "error"},
		{"caller picked from one frame, no map", `function enqueue() {
  const frame = new Error().stack.split("\n").slice(2, 3).join("");
  return /\bappend\b/.test(frame) ? "append" : "replace";
}
function load() { return enqueue(); }
function append() { return enqueue(); }
console.log(load(), append());`, true, "error"},
		{"trace cleaned for display", `function helper() { return trace(); }
function trace() {
  return new Error().stack.split("\n").filter((l) => !l.includes("helper")).join("\n");
}
console.log(helper());`, false, "warning"},
		{"a file name", `function where() { return new Error().stack.includes("vendor.js"); }
console.log(where());`, false, ""},
		// Sentry's string helper returns traces and meta tag names alike.
		{"a helper's result, searched elsewhere", `function str(x) { return x == null ? "" : x; }
function trace() { return str(new Error().stack); }
function hasHandler(meta) { return str(meta.getAttribute("name")).includes("handler"); }
console.log(trace(), hasHandler(document.head.firstChild));`, true, "warning"},
		// htmlparser2 keeps the open tags in this.stack.
		{"a field named stack", `class Parser {
  constructor() { this.stack = []; }
  open(tag) { this.stack.push(tag); return this; }
  inForm() { return this.stack.includes("form"); }
}
function form() { return new Parser().open("form"); }
console.log(form().inForm());`, true, ""},
		// Sentry looks for React's error-decoder URL in a stack: the
		// words of a URL name no function, though a function of the
		// bundle is called error.
		{"a URL pattern", `function error(m) { return new Error(m); }
function fromReact(e) {
  return /(reactjs\.org\/docs\/error-decoder\.html\?invariant=|react\.dev\/errors\/)(418|419)/.test(e.stack);
}
console.log(fromReact(error("x")));`, false, ""},
		// react-dom's property names: a set that holds functions and
		// instances beside a trace is what the flows make of a helper
		// every kind of value passes, not a text known to be the trace.
		{"a helper every kind of value passes", `function str(x) { return typeof x === "string" ? x : String(x.type); }
function trace() { return str(new Error().stack); }
class Plugin {}
function isCapture(u) { return str(u).endsWith("Capture"); }
console.log(trace(), isCapture(Plugin), isCapture(new Plugin()), isCapture("onClickCapture"));`, true, ""},
		// p5 splits a frame into file, line and column: a pattern every
		// word matches looks for no function, even though a function
		// the minifier made anonymous fails it.
		{"a frame split into its parts", `var fmts = [function replace(s) { return s.trim(); }];
function where() {
  const line = new Error().stack.split("\n")[2];
  const m = /(.+?)(?::(\d+))?(?::(\d+))?$/.exec(line);
  return m && fmts[0](m[1]);
}
console.log(where());`, false, ""},
		// mixpanel and p5 drop the line their own message makes: the
		// pattern reads the start of a V8 trace, where no frame is.
		{"the first line of a trace", `function created() { return new Error("Error created at"); }
function clean(e) { return e.stack.split("\n").filter((l) => !/^Error created at/.test(l)); }
console.log(clean(created()).length);`, true, ""},
		// Sentry's helper brings traces and meta tag names to one
		// search: a word followed by a colon is no frame's name.
		{"a word no frame shows where it is looked for", `function twitter() { return new Error().stack; }
function social(x) { return /^(og|twitter):/.test(x); }
console.log(social(twitter()), social("og:title"));`, true, ""},
		// Sentry looks for its own helpers' file in a parsed frame.
		{"a frame's file name", `function parse(stack) {
  return stack.split("\n").map((l) => { const m = l.match(/at (\S+) \((.*)\)/); return m ? { fn: m[1], filename: m[2] } : {}; });
}
function helpers() { return parse(new Error().stack); }
function mine(f) { return !!f.filename && f.filename.includes("helpers"); }
console.log(helpers().some(mine));`, true, ""},
		{"a frame's function name", `function parse(stack) {
  return stack.split("\n").map((l) => { const m = l.match(/at (\S+) \((.*)\)/); return m ? { fn: m[1], filename: m[2] } : {}; });
}
function helpers() { return parse(new Error().stack); }
function mine(f) { return !!f.fn && f.fn.includes("helpers"); }
console.log(helpers().some(mine));`, true, "warning"},
		// Controls: the same words where a frame shows a name (the
		// trace is read in another function: a warning).
		{"a word after at", `function twitter() { return new Error().stack; }
function social(x) { return /at twitter/.test(x); }
console.log(social(twitter()));`, true, "warning"},
		{"a word at the start of a line, multiline", `function created() { return new Error().stack; }
function mine(x) { return /^created@/m.test(x); }
console.log(mine(created()));`, true, "warning"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, c.noMap, rules.StackNames), c.want)
	}
}
