package rules_test

import (
	"testing"

	"github.com/manglecheck/manglecheck/rules"
)

// A class name templated into a text that is then tested with a regular
// expression: one that only matches punctuation cannot tell the original
// name from the mangled one (Angular's message formatter adds a full stop
// unless the text ends with one), one that matches letters can.
func TestNameDerivedRegexpCompare(t *testing.T) {
	for _, c := range []struct {
		name, re, want string
	}{
		{"punctuation at the end", `/[.,;!?\n]$/`, ""},
		{"a punctuation run", `/[-:]+/`, ""},
		{"an optional part", `/[.]?$/`, "warning"},
		{"letters", `/Widget'/`, "warning"},
		{"a word class", `/\w+'/`, "warning"},
		{"any character", `/.$/`, "warning"},
	} {
		src := `class Widget { describe() { return format(` + "`in '${this.constructor.name}'`" + `); } }
function format(m) { return m.match(` + c.re + `) ? m : m + "."; }
console.log(new Widget().describe());`
		wantSeverities(t, c.name, checkIIFE(t, src, false, rules.NameDerived), c.want)
	}
}
