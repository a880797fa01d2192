package main

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
)

// fakeRules stand in for package rules, so these tests do not depend on
// which rules exist.
var fakeRules = []*analyzer.Rule{
	{
		ID:       "name-compare",
		Title:    "Comparing a renamed name with a string",
		Severity: analyzer.Error,
		Doc:      "Minifiers rename classes.\n\nSo the comparison is always false.",
		Fix:      "esbuild: --keep-names\nterser: keep_classnames: true",
		Bad:      "if (x.constructor.name === \"User\") {}\n",
		Good:     "if (x instanceof User) {}\n",
		Run:      func(*analyzer.Pass) {},
	},
	{ID: "function-name", Title: "Reading fn.name", Severity: analyzer.Warning, Run: func(*analyzer.Pass) {}},
}

func runFake(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &command{
		stdout: &out,
		stderr: &errOut,
		getenv: func(k string) string { return environ[k] },
		rules:  fakeRules,
	}
	code = m.run(context.Background(), append([]string{"manglecheck"}, args...))
	return code, out.String(), errOut.String()
}

func TestRulesTable(t *testing.T) {
	code, out, _ := runFake(t, nil, "rules")
	want := "ID                          SEVERITY  TITLE\n" +
		"name-compare                error     Comparing a renamed name with a string\n" +
		"function-name               warning   Reading fn.name\n" +
		"\n" +
		"Engine diagnostics (about unparsable bundles and suppression comments; configured like rules):\n" +
		"parse-error                 error     Bundle that could not be parsed, so nothing in it was checked\n" +
		"suppression-without-reason  info      Suppression comment without a reason\n" +
		"unused-suppression          info      Suppression comment that suppresses nothing\n"
	if code != 0 || out != want {
		t.Errorf("rules = %d\n%s\nwant\n%s", code, out, want)
	}
}

func TestExplain(t *testing.T) {
	code, out, _ := runFake(t, nil, "explain", "name-compare")
	want := `name-compare: Comparing a renamed name with a string
Default severity: error

Minifiers rename classes.

So the comparison is always false.

Fix:
  esbuild: --keep-names
  terser: keep_classnames: true

Incorrect code:
    if (x.constructor.name === "User") {}

Correct code:
    if (x instanceof User) {}
`
	if code != 0 || out != want {
		t.Errorf("explain = %d\n%s\nwant\n%s", code, out, want)
	}
	// Sections without content are left out.
	_, out, _ = runFake(t, nil, "explain", "function-name")
	if want := "function-name: Reading fn.name\nDefault severity: warning\n"; out != want {
		t.Errorf("explain = %q, want %q", out, want)
	}
}

func TestSelectRules(t *testing.T) {
	m := &command{rules: fakeRules}
	ids := func(rs []*analyzer.Rule) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	for _, tc := range []struct {
		only, disable []string
		want          []string
	}{
		{nil, nil, []string{"name-compare", "function-name"}},
		{[]string{"function-name"}, nil, []string{"function-name"}},
		{nil, []string{"name-compare"}, []string{"function-name"}},
		{[]string{"function-name", "name-compare"}, []string{"function-name"}, []string{"name-compare"}},
	} {
		got, err := m.selectRules(tc.only, tc.disable)
		if err != nil || !reflect.DeepEqual(ids(got), tc.want) {
			t.Errorf("selectRules(%q, %q) = %q, %v; want %q", tc.only, tc.disable, ids(got), err, tc.want)
		}
	}
	if _, err := m.selectRules([]string{"nope"}, nil); err == nil {
		t.Error("unknown rule accepted")
	}
}

func TestColor(t *testing.T) {
	for _, tc := range []struct {
		mode, noColor string
		want          bool
	}{
		{"always", "", true},
		{"always", "1", true}, // an explicit flag wins over NO_COLOR
		{"never", "", false},
		{"auto", "", false}, // not a terminal
	} {
		m := &command{stdout: &bytes.Buffer{}, getenv: env(map[string]string{"NO_COLOR": tc.noColor})}
		got, err := m.color(tc.mode)
		if err != nil || got != tc.want {
			t.Errorf("color(%q, NO_COLOR=%q) = %v, %v; want %v", tc.mode, tc.noColor, got, err, tc.want)
		}
	}
	if _, err := (&command{}).color("rainbow"); err == nil {
		t.Error("color(rainbow) accepted")
	}

	t.Run("terminal", func(t *testing.T) {
		tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
		if err != nil {
			t.Skipf("no terminal: %v", err)
		}
		defer tty.Close()
		for noColor, want := range map[string]bool{"": true, "1": false} {
			m := &command{stdout: tty, getenv: env(map[string]string{"NO_COLOR": noColor})}
			if got, _ := m.color("auto"); got != want {
				t.Errorf("color(auto) on a terminal with NO_COLOR=%q = %v, want %v", noColor, got, want)
			}
		}
	})
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestIsTerminal(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is a terminal")
	}
	// A character device that is no terminal (the Stat-based check this
	// replaced took it for one, and colored output sent there).
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer null.Close()
		if isTerminal(null) {
			t.Errorf("%s is a terminal", os.DevNull)
		}
	}
}

func TestPermuteFlags(t *testing.T) {
	app := (&command{}).app()
	for _, tc := range []struct{ in, want string }{
		{"manglecheck check dist", "manglecheck check -- dist"},
		{"manglecheck check dist --format json", "manglecheck check --format json -- dist"},
		{"manglecheck check a --rule=x b --disable y", "manglecheck check --rule=x --disable y -- a b"},
		{"manglecheck check --jobs 2 a -- --odd.js", "manglecheck check --jobs 2 -- a --odd.js"},
		{"manglecheck check dist -h", "manglecheck check -h"},
		{"manglecheck check --format", "manglecheck check --format"},
		{"manglecheck explain x", "manglecheck explain x"},
		{"manglecheck version", "manglecheck version"},
	} {
		got := strings.Join(permuteFlags(app, strings.Fields(tc.in)), " ")
		if got != tc.want {
			t.Errorf("permuteFlags(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runFake(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "manglecheck ") || strings.Count(out, "\n") != 1 {
		t.Errorf("version = %d %q", code, out)
	}
}
