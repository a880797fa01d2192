package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

func TestParse(t *testing.T) {
	c, err := Parse([]byte(`{
  "rules": {"name-key": "off", "name-compare": "warning"},
  "include": ["dist/**/*.js"],
  "exclude": ["dist/legacy/**"],
  "pinned": ["PluginBase"],
  "failOn": "never",
  "sourceRoot": "..",
  "baseline": "manglecheck-baseline.json"
}`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Rules:      map[string]Level{"name-key": {Off: true}, "name-compare": {Severity: analyzer.Warning}},
		Include:    []string{"dist/**/*.js"},
		Exclude:    []string{"dist/legacy/**"},
		Pinned:     []string{"PluginBase"},
		FailOn:     "never",
		SourceRoot: "..",
		Baseline:   "manglecheck-baseline.json",
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Parse = %+v, want %+v", c, want)
	}
	if c, err := Parse([]byte(`{}`)); err != nil || !reflect.DeepEqual(c, &Config{}) {
		t.Errorf("empty config = %+v, %v", c, err)
	}
}

// Comments, trailing commas and $schema, as in tsconfig.json; error
// positions stay those of the file as written.
func TestParseJSONC(t *testing.T) {
	in := `{
  // the schema, for editors
  "$schema": "./node_modules/manglecheck/schema.json",
  /* rules: a block
     comment */ "rules": {"name-key": "warn",},
  "include": ["dist/**/*.js", "http://x//y",], // a URL-like glob keeps its //
}`
	c, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if c.Rules["name-key"] != (Level{Severity: analyzer.Warning}) || !reflect.DeepEqual(c.Include, []string{"dist/**/*.js", "http://x//y"}) {
		t.Errorf("Parse = %+v", c)
	}
	_, err = Parse([]byte("{\n  // a comment\n  \"failOn\": 3\n}"))
	if err == nil || !strings.HasPrefix(err.Error(), "3:3: failOn must be") {
		t.Errorf("error = %v, want it at 3:3", err)
	}
}

// Every mistake is an error that says where and what, never ignored.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"rules": ["name-key"]}`, `1:2: rules must be an object of rule IDs and levels, e.g. {"name-key": "off"}, not a JSON array`},
		{`{"include": "dist/**/*.js"}`, `1:2: include must be a list of globs, e.g. ["dist/**/*.js"], not a JSON string`},
		{`{"exlude": []}`, `1:2: unknown key "exlude" (did you mean exclude?)`},
		{`{"rules": {"name-key": "warn"}} /* unterminated`, `1:33: invalid JSON: a /* comment is never closed`},
		{`{"rulez": {}}`, `1:2: unknown key "rulez" (did you mean rules?) (known: $schema, baseline, exclude, failOn, include, pinned, rules, sourceRoot)`},
		{"{\n  \"rules\": {\"name-key\": \"of\"}\n}", `rules: "name-key": unknown level "of" (want off, error, warning or info)`},
		{`{"rules": {"name-key": 2}}`, `1:2: a rule's level must be one of "off", "error", "warning" or "info", not a JSON number`},
		{`{"failOn": 3}`, `1:2: failOn must be one of "error", "warning", "info" or "never", not a JSON number`},
		{`{"failOn": "fatal"}`, `failOn: unknown value "fatal" (want error, warning, info or never)`},
		{`{"include": ["[a"]}`, `include: "[a": syntax error in pattern`},
		{`{"exclude": ["/abs/**"]}`, `exclude: "/abs/**": globs are relative to the configuration file`},
		{`{"pinned": "X"}`, `1:2: pinned must be a list of names, not a JSON string`},
		{`{"pinned": ["a b"]}`, `pinned: "a b" is not a name`},
		{`{} {}`, `1:5: unexpected data after the configuration object`},
		{``, `empty file: want a JSON object`},
		{`{"rules": {`, `invalid JSON`},
		{`[]`, `the configuration must be a JSON object, not a JSON array`},
	} {
		_, err := Parse([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestFindAndLoad(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep, ""); err != nil || got != "" && !strings.HasPrefix(got, string(filepath.Separator)) {
		t.Fatalf("Find with no file = %q, %v", got, err)
	}
	dot := filepath.Join(root, "a", ".manglecheck.json")
	if err := os.WriteFile(dot, []byte(`{"failOn": "warning"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep, ""); err != nil || got != dot {
		t.Errorf("Find = %q, %v; want %q", got, err, dot)
	}
	plain := filepath.Join(root, "a", "manglecheck.json")
	if err := os.WriteFile(plain, []byte(`{"failOn": "info"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(deep, ""); err == nil || !strings.Contains(err.Error(), "keep one") {
		t.Errorf("two files in one directory: %v", err)
	}
	if err := os.Remove(dot); err != nil {
		t.Fatal(err)
	}
	c, err := Load(plain)
	if err != nil || c.FailOn != "info" || c.Path != plain || c.Dir != filepath.Join(root, "a") {
		t.Errorf("Load = %+v, %v", c, err)
	}
	if err := os.WriteFile(plain, []byte(`{"failon": "info"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(plain); err == nil || !strings.HasPrefix(err.Error(), plain+": 1:") {
		t.Errorf("Load error %v does not start with the file name and position", err)
	}
}

func TestApply(t *testing.T) {
	dir := filepath.FromSlash("/repo")
	c := &Config{
		Path:    filepath.Join(dir, "manglecheck.json"),
		Dir:     dir,
		Rules:   map[string]Level{"b-rule": {Off: true}, "a-rule": {Severity: analyzer.Info}},
		Include: []string{"dist/**/*.js"},
		Exclude: []string{"dist/legacy/**"},
		Pinned:  []string{"Kept"},
	}
	if err := c.Validate([]string{"a-rule", "b-rule"}); err != nil {
		t.Error(err)
	}
	if err := c.Validate([]string{"a-rule"}); err == nil || !strings.Contains(err.Error(), `unknown rule "b-rule"`) {
		t.Errorf("Validate = %v", err)
	}
	opts := checker.Options{Disable: []string{"x"}}
	c.Apply(&opts, filepath.Join(dir, "web"))
	want := checker.Options{
		Disable:  []string{"x", "b-rule"},
		Severity: map[string]analyzer.Severity{"a-rule": analyzer.Info},
		Include:  []string{"../dist/**/*.js"},
		Exclude:  []string{"../dist/legacy/**"},
		Pinned:   []string{"Kept"},
	}
	if !reflect.DeepEqual(opts, want) {
		t.Errorf("Apply = %+v, want %+v", opts, want)
	}
	if got := c.Globs([]string{"dist/*.js"}, dir); !reflect.DeepEqual(got, []string{"dist/*.js"}) {
		t.Errorf("Globs from the file's directory = %q", got)
	}
	if got, want := c.Abs("base.json"), filepath.Join(dir, "base.json"); got != want {
		t.Errorf("Abs = %q, want %q", got, want)
	}
}

// The search stops at the repository root and at home: a file above them
// (a shared /tmp) is not used.
func TestFindStops(t *testing.T) {
	root := t.TempDir()
	above := filepath.Join(root, "manglecheck.json")
	if err := os.WriteFile(above, []byte(`{"failOn": "never"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(root, "repo")
	deep := filepath.Join(repo, "dist", "js")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep, ""); err != nil || got != above {
		t.Fatalf("without a stop: %q, %v; want %q", got, err, above)
	}
	if got, err := Find(deep, repo); err != nil || got != "" {
		t.Errorf("stopped at home: %q, %v; want none", got, err)
	}
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep, ""); err != nil || got != "" {
		t.Errorf("stopped at the repository root: %q, %v; want none", got, err)
	}
	in := filepath.Join(repo, "manglecheck.json")
	if err := os.WriteFile(in, []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep, ""); err != nil || got != in {
		t.Errorf("the repository's own: %q, %v; want %q", got, err, in)
	}
}
