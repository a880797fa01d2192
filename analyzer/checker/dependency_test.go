package checker_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// A break inside a dependency (a client SDK checking classes by name) is
// reported as such: the map's node_modules/<pkg> source names the package.
func TestFindingsInDependencies(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"node_modules/@acme/sdk/package.json": `{"name": "@acme/sdk", "main": "index.js"}`,
		"node_modules/@acme/sdk/index.js": `export class Client {}
export function isClient(x) { return x.constructor.name === "Client"; }`,
		"src/app.js": `import { Client, isClient } from "@acme/sdk";
console.log(isClient(new Client()));`,
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{filepath.Join(dir, "src", "app.js")}, Bundle: true, Outfile: filepath.Join(dir, "dist", "app.js"),
		Sourcemap: api.SourceMapLinked, MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true,
		Write: true, LogLevel: api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	out, err := checker.Check(context.Background(), []string{filepath.Join(dir, "dist")}, checker.Options{Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Findings) != 1 {
		t.Fatalf("want one finding, got %+v", out.Findings)
	}
	f := out.Findings[0]
	if f.Dependency != "@acme/sdk" || !strings.HasPrefix(f.Message, "in dependency @acme/sdk: ") {
		t.Errorf("dependency %q, message %q", f.Dependency, f.Message)
	}
}
