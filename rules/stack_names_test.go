package rules_test

import (
	"testing"

	"github.com/manglecheck/manglecheck/rules"
)

// A stack searched for a function name no function of the minified
// bundle carries is an error, with a map and without one, wherever the
// flows bring the trace from; a search frame by frame in a loop is how
// a trace is cleaned for display, a warning; a file name is no function
// name.
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
		// Sentry looks for React's error-decoder URL in a stack: the
		// words of a URL name no function, though a function of the
		// bundle is called error.
		{"a URL pattern", `function error(m) { return new Error(m); }
function fromReact(e) {
  return /(reactjs\.org\/docs\/error-decoder\.html\?invariant=|react\.dev\/errors\/)(418|419)/.test(e.stack);
}
console.log(fromReact(error("x")));`, false, ""},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, c.noMap, rules.StackNames), c.want)
	}
}
