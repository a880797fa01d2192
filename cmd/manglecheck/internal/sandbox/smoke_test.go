package sandbox_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
	"github.com/manglecheck/manglecheck/rules"
)

// variant is one way the fixture app is built.
type variant struct {
	name      string
	esm       bool // ES modules with code splitting, else one IIFE
	minify    bool
	keepNames bool
}

var variants = []variant{
	{"iife-min", false, true, false},
	{"iife-keepnames", false, true, true},
	{"iife-plain", false, false, false},
	{"esm-split-min", true, true, false},
	{"esm-split-keepnames", true, true, true},
	{"esm-split-plain", true, false, false},
}

// buildApp bundles fixtures/smoke/app with esbuild into a new directory.
func buildApp(t *testing.T, v variant) string {
	t.Helper()
	src, err := filepath.Abs("../../../../fixtures/smoke/app")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	opts := api.BuildOptions{
		EntryPoints:       []string{filepath.Join(src, "main.js")},
		Bundle:            true,
		Outdir:            out,
		Format:            api.FormatIIFE,
		Sourcemap:         api.SourceMapLinked,
		SourcesContent:    api.SourcesContentInclude,
		MinifyWhitespace:  v.minify,
		MinifyIdentifiers: v.minify,
		MinifySyntax:      v.minify,
		KeepNames:         v.keepNames,
		Write:             true,
		LogLevel:          api.LogLevelSilent,
	}
	if v.esm {
		opts.EntryPoints = append(opts.EntryPoints, filepath.Join(src, "admin.js"))
		opts.Format, opts.Splitting = api.FormatESModule, true
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild: %s", res.Errors[0].Text)
	}
	return out
}

// wants reads the `// want: startup-error "message"` annotations of a
// fixture source: line (1-based) → message.
func wants(t *testing.T, path string) map[int]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`// want: startup-error "([^"]*)"`)
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			out[n] = m[1]
		}
	}
	return out
}

func smoke(t *testing.T, inputs []string, opts sandbox.Options) checker.Result {
	t.Helper()
	res := smokeStopped(t, inputs, opts)
	for _, f := range res.Files {
		if f.Error != nil {
			t.Errorf("%s could not be run: %s", f.Path, *f.Error)
		}
	}
	return res
}

// smokeStopped is smoke that leaves the files' errors (a sandbox process
// stopped by its OS limit) to the caller.
func smokeStopped(t *testing.T, inputs []string, opts sandbox.Options) checker.Result {
	t.Helper()
	res, err := sandbox.Smoke(context.Background(), inputs, rules.StartupError, with(opts))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The fixture app fails at startup only when minified: the minified builds
// report exactly the annotated line, with V8's message naming the original
// variable; keep-names and unminified builds are clean.
func TestSmokeFixtureApp(t *testing.T) {
	want := wants(t, "../../../../fixtures/smoke/app/main.js")
	if len(want) != 1 {
		t.Fatalf("want one annotation in main.js, have %v", want)
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			dir := buildApp(t, v)
			res := smoke(t, []string{dir}, sandbox.Options{})
			fails := v.minify && !v.keepNames
			if !fails {
				for _, f := range res.Findings {
					t.Errorf("unexpected finding: %s:%d:%d %s", f.Bundle.Path, f.Bundle.Line, f.Bundle.Column, f.Message)
				}
				return
			}
			if len(res.Findings) != 1 {
				t.Fatalf("want 1 finding, have %d: %+v", len(res.Findings), res.Findings)
			}
			f := res.Findings[0]
			if f.Rule != "startup-error" || f.Severity != analyzer.Error {
				t.Errorf("finding is %s/%s, want startup-error/error", f.Rule, f.Severity)
			}
			o := f.Original
			if o == nil || !strings.HasSuffix(o.Source, "fixtures/smoke/app/main.js") {
				t.Fatalf("finding not mapped to main.js: %+v", o)
			}
			msg, ok := want[o.Line]
			if !ok {
				t.Fatalf("finding at main.js:%d, want one of %v: %s", o.Line, want, f.Message)
			}
			if !strings.Contains(f.Message, msg) {
				t.Errorf("message %q does not contain %q", f.Message, msg)
			}
			if len(f.Stack) < 2 || f.Stack[0].Original == nil || f.Stack[0].Original.Line != o.Line {
				t.Fatalf("stack does not start at the finding: %+v", f.Stack)
			}
			// The frame of startApp is named by its original name.
			if f.Stack[0].Func != "startApp" {
				t.Errorf("innermost frame is %q, want startApp", f.Stack[0].Func)
			}
		})
	}
}
