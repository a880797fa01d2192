package suggest_test

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/suggest"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// ruleFixtures are the directories of fixtures/<rule-id>/*.js|ts.
var ruleFixtures = []string{
	"callee-name", "global-lookup", "keep-names-gap", "mangled-property", "name-compare",
	"name-derived", "name-key", "name-message", "param-names", "stack-names",
}

// nameRules are fixed by keeping function and class names.
var nameRules = []string{"callee-name", "keep-names-gap", "name-compare", "name-derived", "name-key", "name-message", "stack-names"}

func check(t *testing.T, files []checker.Source, paths []string) checker.Result {
	t.Helper()
	opts := checker.Options{Rules: rules.All(), Facts: true, Workers: 2}
	var res checker.Result
	var err error
	if files != nil {
		res, err = checker.CheckFiles(context.Background(), files, opts)
	} else {
		res, err = checker.Check(context.Background(), paths, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if f.Error != nil {
			t.Fatalf("%s: %s", f.Path, *f.Error)
		}
	}
	return res
}

// esbuildMinify bundles and minifies a fixture in memory (IIFE, with its
// map), the mangled-property fixtures with --mangle-props=^_ as the
// fixture harness does, and applies set.
func esbuildMinify(t *testing.T, entry string, set suggest.EsbuildSettings) checker.Source {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.js")
	opts := api.BuildOptions{
		EntryPoints:       []string{entry},
		Bundle:            true,
		Outfile:           out,
		Format:            api.FormatIIFE,
		Sourcemap:         api.SourceMapLinked,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Target:            api.ES2022,
		Write:             false,
		LogLevel:          api.LogLevelSilent,
		KeepNames:         set.KeepNames,
		ReserveProps:      set.ReserveProps,
	}
	if filepath.Base(filepath.Dir(entry)) == "mangled-property" {
		opts.MangleProps = "^_"
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild %s: %s", entry, res.Errors[0].Text)
	}
	src := checker.Source{Path: out}
	for _, f := range res.OutputFiles {
		if strings.HasSuffix(f.Path, ".map") {
			src.Map = f.Contents
		} else {
			src.Contents = f.Contents
		}
	}
	return src
}

func advice(s *suggest.Suggestion, minifier string) suggest.Advice {
	for _, a := range s.Minifiers {
		if a.Minifier == minifier {
			return a
		}
	}
	return suggest.Advice{}
}

// TestEsbuildAdvice minifies every rule fixture with esbuild, asks for a
// suggestion, minifies again with the suggested esbuild options
// (keepNames, reserveProps) and checks that every finding those options
// can fix is gone. What is left must be what the advice says esbuild
// cannot fix: global lookups and parameter names.
func TestEsbuildAdvice(t *testing.T) {
	for _, dir := range ruleFixtures {
		entries, err := filepath.Glob(filepath.Join("..", "..", "..", "..", "fixtures", dir, "*.[jt]s"))
		if err != nil {
			t.Fatal(err)
		}
		for _, entry := range entries {
			t.Run(dir+"/"+filepath.Base(entry), func(t *testing.T) {
				before := check(t, []checker.Source{esbuildMinify(t, entry, suggest.EsbuildSettings{})}, nil)
				s := suggest.Suggest(before)
				a := advice(s, "esbuild")
				set := a.Settings.(suggest.EsbuildSettings)
				fixable := 0
				for _, f := range before.Findings {
					if slices.Contains(nameRules, f.Rule) || f.Rule == "mangled-property" {
						fixable++
					}
				}
				if fixable > 0 && !set.KeepNames && set.ReserveProps == "" {
					t.Fatalf("%d findings esbuild options fix, but no option suggested", fixable)
				}
				after := check(t, []checker.Source{esbuildMinify(t, entry, set)}, nil)
				notes := strings.Join(a.Notes, "\n")
				for _, f := range after.Findings {
					switch f.Rule {
					case "global-lookup":
						if !strings.Contains(notes, "esbuild has no option for") {
							t.Errorf("global-lookup left and not called out: %s", f.Message)
						}
					case "param-names":
						if !strings.Contains(notes, "param-names: no keep-names option") {
							t.Errorf("param-names left and not called out: %s", f.Message)
						}
					default:
						t.Errorf("left after keepNames %v, reserveProps %q: %s:%d [%s] %s", set.KeepNames, set.ReserveProps, f.Bundle.Path, f.Bundle.Line, f.Rule, f.Message)
					}
				}
				if set.ReserveProps != "" {
					if _, err := regexp.Compile(set.ReserveProps); err != nil {
						t.Errorf("reserveProps %q: %v", set.ReserveProps, err)
					}
				}
			})
		}
	}
}

// TestTerserAdvice checks the terser advice against the minifier matrix's
// checked-in outputs: for each output of the plain terser config, the
// suggested keep_classnames / keep_fnames RegExps must match every name
// the findings rely on; and the same fixture minified with keep_fnames
// and keep_classnames true (out/terser-keepnames, what any RegExp
// matching those names keeps at most) must have no name finding about a
// name the RegExps cover, except the names the advice calls out as ones
// terser cannot keep (`var X = class {}`, classes compression inlined).
func TestTerserAdvice(t *testing.T) {
	base := filepath.Join("..", "..", "..", "..", "fixtures", "minifiers", "out")
	outputs, err := filepath.Glob(filepath.Join(base, "terser", "*", "*.js"))
	if err != nil || len(outputs) == 0 {
		t.Fatalf("no terser outputs in %s (%v)", base, err)
	}
	calledOut := 0
	for _, out := range outputs {
		rel, _ := filepath.Rel(filepath.Join(base, "terser"), out)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			res := check(t, nil, []string{out})
			s := suggest.Suggest(res)
			a := advice(s, "terser")
			set := a.Settings.(suggest.TerserSettings)
			classes := compile(t, set.KeepClassnames)
			fns := compile(t, set.KeepFnames)
			covered := func(name string) bool {
				return classes != nil && classes.MatchString(name) || fns != nil && fns.MatchString(name)
			}
			for _, f := range res.Findings {
				if !slices.Contains(nameRules, f.Rule) {
					continue
				}
				name := findingName(f)
				if name == "" {
					t.Errorf("%s finding names nothing: %s", f.Rule, f.Message)
					continue
				}
				if !covered(name) {
					t.Errorf("%s relies on %s, which keep_classnames /%s/ and keep_fnames /%s/ do not match", f.Rule, name, set.KeepClassnames, set.KeepFnames)
				}
			}
			kept := check(t, nil, []string{filepath.Join(base, "terser-keepnames", rel)})
			notes := strings.Join(a.Notes, "\n")
			for _, f := range kept.Findings {
				if !slices.Contains(nameRules, f.Rule) {
					continue
				}
				name := findingName(f)
				if !covered(name) {
					continue
				}
				if !slices.Contains(a.Unkept, name) || !strings.Contains(notes, name) {
					t.Errorf("terser-keepnames still has %s about %s, which the RegExps cover and the advice does not call out (unkept %v)", f.Rule, name, a.Unkept)
					continue
				}
				calledOut++
			}
		})
	}
	if calledOut == 0 {
		t.Errorf("no finding left in terser-keepnames was called out: the outputs are meant to have some (var X = class {})")
	}
}

func compile(t *testing.T, src string) *regexp.Regexp {
	t.Helper()
	if src == "" {
		return nil
	}
	if !strings.HasPrefix(src, "^(?:") || !strings.HasSuffix(src, ")$") {
		t.Errorf("RegExp %q is not anchored as ^(?:…)$", src)
	}
	re, err := regexp.Compile(src)
	if err != nil {
		t.Fatalf("RegExp %q: %v", src, err)
	}
	return re
}

func findingName(f analyzer.Finding) string {
	if f.Name != "" {
		return f.Name
	}
	if f.Original != nil {
		return f.Original.Name
	}
	return ""
}

// TestRegexpExact: names are sorted, deduplicated, escaped and anchored.
func TestRegexpExact(t *testing.T) {
	res := checker.Result{
		Files: []checker.FileResult{{Path: "a.js"}},
		Findings: []analyzer.Finding{
			{Rule: "name-compare", Name: "ValidationError", Bundle: analyzer.Position{Path: "a.js"}},
			{Rule: "name-compare", Name: "$Scope", Bundle: analyzer.Position{Path: "a.js"}},
			{Rule: "name-compare", Name: "UserService", Bundle: analyzer.Position{Path: "a.js"}},
			{Rule: "name-compare", Name: "UserService", Bundle: analyzer.Position{Path: "a.js"}},
			{Rule: "global-lookup", Name: "init", Bundle: analyzer.Position{Path: "a.js"}},
			{Rule: "mangled-property", Name: "_count", Bundle: analyzer.Position{Path: "a.js"}},
		},
	}
	s := suggest.Suggest(res)
	set := advice(s, "terser").Settings.(suggest.TerserSettings)
	if want := `^(?:\$Scope|UserService|ValidationError)$`; set.KeepClassnames != want || set.KeepFnames != want {
		t.Errorf("keep_classnames %q, keep_fnames %q; want both %q (kind unknown without facts)", set.KeepClassnames, set.KeepFnames, want)
	}
	if !slices.Equal(set.Reserved, []string{"init"}) || !slices.Equal(set.PropertiesReserved, []string{"_count"}) {
		t.Errorf("reserved %v, properties %v", set.Reserved, set.PropertiesReserved)
	}
	es := advice(s, "esbuild").Settings.(suggest.EsbuildSettings)
	if es.ReserveProps != `^(?:_count)$` || !es.KeepNames {
		t.Errorf("esbuild %+v", es)
	}
	re := regexp.MustCompile(set.KeepClassnames)
	for _, n := range []string{"$Scope", "UserService", "ValidationError"} {
		if !re.MatchString(n) {
			t.Errorf("%s not matched", n)
		}
	}
	for _, n := range []string{"Scope", "UserServices", "xUserService"} {
		if re.MatchString(n) {
			t.Errorf("%s matched", n)
		}
	}
}

// TestSampleGolden: the suggestion for fixtures/sample/dist, in text and
// JSON, as golden files (rewritten with -update).
func TestSampleGolden(t *testing.T) {
	res := check(t, nil, []string{"../../../../fixtures/sample/dist"})
	s := suggest.Suggest(res)
	var text, js bytes.Buffer
	if err := (suggest.Text{W: &text}).Report(s); err != nil {
		t.Fatal(err)
	}
	if err := (suggest.JSON{W: &js}).Report(s); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"sample.txt": text.Bytes(), "sample.json": js.Bytes()} {
		testfiles.Golden(t, filepath.Join("testdata", name), got, *update)
	}
}
