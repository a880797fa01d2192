package main

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
)

var update = flag.Bool("update", false, "rewrite the sample build and the golden files")

const sampleDir = "../../fixtures/sample"

// TestSampleBuild keeps fixtures/sample/dist, the bundle the README's first
// command checks, equal to what esbuild builds from fixtures/sample/src
// today. `go test ./cmd/manglecheck -update` rewrites it.
func TestSampleBuild(t *testing.T) {
	// Built in memory for the real output path, so the map's sources are
	// the repo-relative ../src/*.js.
	out := filepath.Join(sampleDir, "dist")
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{filepath.Join(sampleDir, "src", "main.js")},
		Bundle:            true,
		Outfile:           filepath.Join(out, "app.js"),
		Format:            api.FormatIIFE,
		Sourcemap:         api.SourceMapLinked,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Target:            api.ES2020,
		Write:             false,
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	if len(res.OutputFiles) != 2 {
		t.Fatalf("want app.js and its map, got %d files", len(res.OutputFiles))
	}
	for _, f := range res.OutputFiles {
		goldenFile(t, filepath.Join(out, filepath.Base(f.Path)), f.Contents)
	}
}

// TestSampleOutput runs the real CLI on the sample build and compares its
// text and JSON reports with golden files (rewritten with -update).
func TestSampleOutput(t *testing.T) {
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"sample.txt", []string{"manglecheck", "check", "--color", "never", "--fail-on", "never", sampleDir + "/dist"}},
		{"sample.json", []string{"manglecheck", "check", "--format", "json", "--fail-on", "never", sampleDir + "/dist"}},
		{"sample-nomap.txt", []string{"manglecheck", "check", "--color", "never", "--fail-on", "never", "--sourcemap", "none", sampleDir + "/dist"}},
		{"sample-smoke.txt", []string{"manglecheck", "smoke", "--color", "never", "--fail-on", "never", sampleDir + "/dist"}},
		{"sample-confirm.txt", []string{"manglecheck", "check", "--confirm", "--color", "never", "--fail-on", "never", sampleDir + "/dist"}},
	} {
		t.Run(c.golden, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(c.args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			goldenFile(t, filepath.Join("testdata", c.golden), stdout.Bytes())
		})
	}
}
