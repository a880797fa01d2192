package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/config"
	"github.com/manglecheck/manglecheck/analyzer/policy"
	"github.com/manglecheck/manglecheck/analyzer/report/sarifcheck"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// fixtures/ci-sample is a small project set up the way the README tells
// CI users to: a manglecheck.json, a suppression comment with a reason
// (and one without, and a stale one), and a baseline recorded from the
// previous release. Its dist/ and its baseline are built here, and every
// output format of the CLI on it is a golden file.
const ciSampleDir = "../../fixtures/ci-sample"

// previousMain is src/main.js as it was in the previous release, before
// billing: the baseline records that release's findings.
func previousMain(current string) string {
	s := strings.Replace(current, "import { startBilling } from \"./billing.js\";\n", "", 1)
	return strings.Replace(s, "    startBilling(config.billing);\n", "", 1)
}

// buildCISample bundles src/main.js in memory, as esbuild does for the
// project's npm build; main overrides the entry's contents when not "".
func buildCISample(t *testing.T, main string) []api.OutputFile {
	t.Helper()
	var plugins []api.Plugin
	if main != "" {
		plugins = append(plugins, api.Plugin{Name: "previous-release", Setup: func(b api.PluginBuild) {
			b.OnLoad(api.OnLoadOptions{Filter: `[/\\]src[/\\]main\.js$`}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
				return api.OnLoadResult{Contents: &main, Loader: api.LoaderJS}, nil
			})
		}})
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{filepath.Join(ciSampleDir, "src", "main.js")},
		Bundle:            true,
		Outfile:           filepath.Join(ciSampleDir, "dist", "app.js"),
		Format:            api.FormatIIFE,
		Sourcemap:         api.SourceMapLinked,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Target:            api.ES2020,
		Write:             false,
		LogLevel:          api.LogLevelSilent,
		Plugins:           plugins,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	return res.OutputFiles
}

// TestCISampleBuild keeps fixtures/ci-sample/dist and its baseline equal
// to what esbuild and manglecheck make of the sources today (-update
// rewrites them).
func TestCISampleBuild(t *testing.T) {
	for _, f := range buildCISample(t, "") {
		goldenFile(t, filepath.Join(ciSampleDir, "dist", filepath.Base(f.Path)), f.Contents)
	}

	// The baseline: the previous release's findings, as the Go API
	// (checker.CheckFiles on in-memory output) sees them with the
	// project's configuration.
	current, err := os.ReadFile(filepath.Join(ciSampleDir, "src", "main.js"))
	if err != nil {
		t.Fatal(err)
	}
	outs := buildCISample(t, previousMain(string(current)))
	t.Chdir(ciSampleDir)
	cfg, err := config.Load("manglecheck.json")
	if err != nil {
		t.Fatal(err)
	}
	opts := checker.Options{Rules: rules.All()}
	cfg.Apply(&opts, cfg.Dir)
	var files []checker.Source
	maps := map[string][]byte{}
	for _, f := range outs {
		rel, err := filepath.Rel(cfg.Dir, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if name, ok := strings.CutSuffix(filepath.ToSlash(rel), ".map"); ok {
			maps[name] = f.Contents
			continue
		}
		files = append(files, checker.Source{Path: filepath.ToSlash(rel), Contents: f.Contents})
	}
	for i := range files {
		files[i].Map = maps[files[i].Path]
	}
	res, err := checker.CheckFiles(context.Background(), files, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("the previous release has no findings: the baseline would be empty")
	}
	var b bytes.Buffer
	if err := policy.NewBaseline(res.Findings).Write(&b); err != nil {
		t.Fatal(err)
	}
	goldenFile(t, "manglecheck-baseline.json", b.Bytes())
}

// TestCISampleOutput runs the real CLI in fixtures/ci-sample in every
// format: the configuration is found, the suppressions and the baseline
// apply, a new warning and a new error fail the run (exit 1).
func TestCISampleOutput(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(ciSampleDir)
	for _, c := range []struct {
		golden string
		args   []string
		code   int
	}{
		{"ci-sample.txt", []string{"check", "--color", "never"}, 1},
		{"ci-sample-quiet.txt", []string{"check", "--color", "never", "-q"}, 1},
		{"ci-sample.json", []string{"check", "--format", "json"}, 1},
		{"ci-sample.sarif", []string{"check", "--format", "sarif"}, 1},
		// From the repository root's point of view, as code scanning
		// wants it for this repository.
		{"ci-sample-root.sarif", []string{"check", "--format", "sarif", "--source-root", "../.."}, 1},
		{"ci-sample.github", []string{"check", "--format", "github"}, 1},
		{"ci-sample-nobaseline.txt", []string{"check", "--color", "never", "--baseline", "none", "--fail-on", "never"}, 0},
	} {
		t.Run(c.golden, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"manglecheck"}, c.args...), &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s%s", code, c.code, stderr.String(), stdout.String())
			}
			got := stdout.Bytes()
			if strings.HasSuffix(c.golden, ".sarif") {
				for _, e := range append(sarifcheck.Validate(got), sarifcheck.CodeScanning(got)...) {
					t.Error(e)
				}
				got = ruleIDsOnly(t, got)
			}
			goldenFile(t, filepath.Join(testdata, c.golden), got)
		})
	}
}

// ruleIDsOnly cuts the rule descriptors of a SARIF log to their IDs: the
// golden file is about the results, and every edit of a rule's docs would
// otherwise change it (the descriptors are checked by the report
// package's golden files and by the validation above).
func ruleIDsOnly(t *testing.T, sarif []byte) []byte {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(sarif, &log); err != nil {
		t.Fatal(err)
	}
	driver := log["runs"].([]any)[0].(map[string]any)["tool"].(map[string]any)["driver"].(map[string]any)
	for _, r := range driver["rules"].([]any) {
		for k := range r.(map[string]any) {
			if k != "id" {
				delete(r.(map[string]any), k)
			}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// goldenFile compares got with the golden file at path, or rewrites it with
// -update.
func goldenFile(t *testing.T, path string, got []byte) { testfiles.Golden(t, path, got, *update) }
