package sandbox_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
	"github.com/manglecheck/manglecheck/rules"
)

func check(t *testing.T, inputs ...string) checker.Result {
	t.Helper()
	res, err := checker.Check(context.Background(), inputs, checker.Options{Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		t.Fatalf("not analyzed: %+v", res.Files)
	}
	return res
}

func confirmed(f analyzer.Finding) string {
	switch {
	case f.Confirmed == nil:
		return "not run"
	case *f.Confirmed:
		return "confirmed"
	}
	return "ran, not confirmed"
}

// The sample's startup registers plugins by class name (name-key: the
// read runs and sees the renamed names), then fails to find one and
// throws a TypeError, which its handler compares by name (name-compare:
// the read runs, but sees "TypeError", a built-in's name, not a renamed
// one); no AppError is ever constructed (name-message: never runs).
func TestConfirmSample(t *testing.T) {
	res := check(t, "../../../../fixtures/sample/dist")
	sandbox.Confirm(context.Background(), &res, with(sandbox.Options{}))
	want := map[string]string{
		"name-key":     "confirmed",
		"name-compare": "ran, not confirmed",
		"name-message": "not run",
	}
	if len(res.Findings) != len(want) {
		t.Fatalf("want %d findings, have %d", len(want), len(res.Findings))
	}
	for _, f := range res.Findings {
		if got := confirmed(f); got != want[f.Rule] {
			t.Errorf("%s: %s, want %s", f.Rule, got, want[f.Rule])
		}
	}
	// The startup error the sample hits is said, not hidden.
	if len(res.Files) != 1 || len(res.Files[0].Warnings) == 0 {
		t.Errorf("want a warning that startup ended early, have %+v", res.Files)
	}
}

// A comparison with a class name that runs on an instance of that class
// sees the mangled name: confirmed, in a script and in code-split ES
// modules alike (the probe is in a chunk the entry imports).
func TestConfirmRenamedRead(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{
		"errors.js": `export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = this.constructor.name;
  }
}
`,
		"main.js": `import { ConfigError } from "./errors.js";
function load(raw) {
  if (!raw) throw new ConfigError("missing configuration");
  return raw;
}
try {
  load("");
} catch (err) {
  if (err.name === "ConfigError") console.log("defaults");
}
`,
		"other.js": `import { ConfigError } from "./errors.js";
console.log(typeof ConfigError);
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, esm := range []bool{false, true} {
		out := t.TempDir()
		opts := api.BuildOptions{
			EntryPoints: []string{filepath.Join(src, "main.js")}, Bundle: true, Outdir: out, Format: api.FormatIIFE,
			Sourcemap: api.SourceMapLinked, MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true,
			Write: true, LogLevel: api.LogLevelSilent,
		}
		if esm {
			opts.EntryPoints = append(opts.EntryPoints, filepath.Join(src, "other.js"))
			opts.Format, opts.Splitting = api.FormatESModule, true
		}
		if r := api.Build(opts); len(r.Errors) > 0 {
			t.Fatal(r.Errors[0].Text)
		}
		res := check(t, out)
		sandbox.Confirm(context.Background(), &res, with(sandbox.Options{}))
		byRule := map[string]string{}
		for _, f := range res.Findings {
			byRule[f.Rule] = confirmed(f)
		}
		// The ES module build's name-message read is in the shared
		// chunk, which only runs linked into main.js.
		if byRule["name-message"] != "confirmed" || !esm && byRule["name-compare"] != "confirmed" ||
			byRule["name-compare"] != "" && byRule["name-compare"] != "confirmed" {
			t.Errorf("esm=%v: want name-compare and name-message confirmed, have %v", esm, byRule)
		}
	}
}

// A bundle cannot forge [confirmed]: it can learn the probe's name from
// its own instrumented text (Function.prototype.toString) and reach it
// through eval, but calls from anywhere but an instrumented site are not
// believed.
func TestConfirmProbeCannotBeForged(t *testing.T) {
	dir := t.TempDir()
	forger := `var s=t.toString(),m=s.match(/__mc_probe_[0-9a-f]+/),i=+s.match(/__mc_probe_[0-9a-f]+\((\d+)/)[1],P=eval(m[0]);P(i,"e");P.call(null,i,"e");eval(m[0]+"("+i+",'e')");`
	src := strings.Repeat("function a(b){return b+1}var c=a(2);", 50) + `class e{}function t(n){return n.constructor.name==="UserService"}` + forger
	if err := os.WriteFile(filepath.Join(dir, "app.js"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := check(t, dir)
	if len(res.Findings) == 0 {
		t.Fatal("no finding to confirm; the test proves nothing")
	}
	sandbox.Confirm(context.Background(), &res, with(sandbox.Options{}))
	for _, f := range res.Findings {
		if got := confirmed(f); got != "not run" {
			t.Errorf("%s: %s, want not run (the only calls were forged)", f.Rule, got)
		}
	}
	if w := strings.Join(res.Files[0].Warnings, "\n"); !strings.Contains(w, "called the probe 3 times from code the instrumentation did not write") {
		t.Errorf("want the forged calls said, have %q", w)
	}
}
