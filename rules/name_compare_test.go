package rules_test

import (
	"testing"

	"github.com/manglecheck/manglecheck/rules"
)

// Without a map, a runtime name compared with a string no function of
// the minified bundle carries is an error, unless the bundle names
// classes at runtime from strings it passes to a factory (zod's
// $constructor: Object.defineProperty(C, "name", {value: name})) and
// passes that one.
func TestNameCompareFactoryNames(t *testing.T) {
	const check = `function isZodError(e) { return e != null && e.constructor.name === "ZodError"; }
try { parse(); } catch (e) { console.log(isZodError(e)); }
`
	for _, c := range []struct{ name, src, want string }{
		{"named by a factory", `function $constructor(name, init) {
  class _ extends Error { constructor(m) { super(m); init(this); } }
  Object.defineProperty(_, "name", { value: name });
  return _;
}
const ZodError = $constructor("ZodError", (e) => { e.issues = []; });
function parse() { throw new ZodError("bad"); }
` + check, ""},
		{"no such name", `class ZodError extends Error {}
function parse() { throw new ZodError("bad"); }
` + check, "error"},
	} {
		wantSeverities(t, c.name, checkIIFE(t, c.src, true, rules.NameCompare), c.want)
	}
}
