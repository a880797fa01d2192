package rules

import (
	"slices"
	"testing"
)

func TestOriginalFreeCalls(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
	}{
		// The names a body calls and uses no other way, in order.
		{`function crunch(rows, t) { let kept = 0; for (const r of rows) if (r > t) kept++; notify(kept); complete(kept); }`, []string{"notify", "complete"}},
		// Parameters, locals and nested functions are the function's own.
		{`function f(notify) { notify(1); }`, nil},
		{`function f() { const notify = (v) => v; notify(1); }`, nil},
		{`function f() { function notify(v) {} notify(1); }`, nil},
		// Destructured, read or passed: maybe a local, maybe not a call.
		{`function f() { const { notify } = self; notify(1); }`, nil},
		{`function f(cb) { cb(notify); notify(1); }`, nil},
		// Members and keywords are no calls by name.
		{`function f(o) { o.notify(1); if (o) return typeof o; }`, nil},
		// Arrow and method heads; the text after the function is not read.
		{`(a, b) => { report(a + b); } ; other(1)`, []string{"report"}},
		{`run(x) { return step(x) } }); after(2)`, []string{"step"}},
		// A regular expression literal and a template do not end the body early.
		{"function f(s) { return /}/.test(s) && fmt(`${s}}`); }", []string{"fmt"}},
		// No end: nothing.
		{`function f() { notify(1);`, nil},
	} {
		got := originalFreeCalls(tc.src, 0)
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("originalFreeCalls(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
	// From an offset in the head: the parameters the map points at.
	src := `import { x } from "y";` + "\n" + `function crunch(rows) { notify(rows); }`
	if got := originalFreeCalls(src, len(`import { x } from "y";`+"\n"+`function crunch(`)); !slices.Equal(got, []string{"notify"}) {
		t.Errorf("from the parameters: %q", got)
	}
}
