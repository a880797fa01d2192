package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/rules"
)

// matrixOut holds the minifier matrix's checked-in outputs (Task: issue 13,
// "say it in the report"): real builds by each bundler of the same fixture.
const matrixOut = "../../fixtures/minifiers/out"

// TestBuiltWith pins what the text and JSON reports say built a bundle, on
// real outputs of esbuild, terser, Rollup, webpack, Rspack, Rolldown with
// Oxc, Vite 8 and Bun (fixtures/minifiers/out), each copied with its map
// into dist/ of a project that has the bundler's configuration file or
// none. The golden file shows the honest state: a small bundle from
// esbuild, terser, webpack or Rspack carries no mark of its bundler, and
// only the configuration file names it.
func TestBuiltWith(t *testing.T) {
	const fixture = "name-compare/constructor-name.js"
	// Absolute: the test changes into each project's directory.
	out, err := filepath.Abs(matrixOut)
	if err != nil {
		t.Fatal(err)
	}
	goldenPath, err := filepath.Abs(filepath.Join("testdata", "builtwith.txt"))
	if err != nil {
		t.Fatal(err)
	}
	type project struct {
		name    string
		configs []string // matrix configs whose output goes into dist/
		files   []string // fixture outputs, relative to out/<config>/
		config  string   // the project's configuration file, or ""
	}
	one := []string{fixture}
	var all []string // every fixture output: a whole build's chunks
	viteOut, err := filepath.Glob(filepath.Join(out, "vite", "*", "*.js"))
	if err != nil || len(viteOut) == 0 {
		t.Fatalf("no vite outputs in %s (%v)", out, err)
	}
	for _, p := range viteOut {
		rel, _ := filepath.Rel(filepath.Join(out, "vite"), p)
		all = append(all, filepath.ToSlash(rel))
	}
	projects := []project{
		{"esbuild", []string{"esbuild"}, one, ""},
		{"esbuild, esbuild.config.mjs", []string{"esbuild"}, one, "esbuild.config.mjs"},
		{"terser", []string{"terser"}, one, ""},
		{"rollup-terser, rollup.config.mjs", []string{"rollup-terser"}, one, "rollup.config.mjs"},
		{"webpack", []string{"webpack"}, one, ""},
		{"webpack, webpack.config.js", []string{"webpack"}, one, "webpack.config.js"},
		{"rspack", []string{"rspack"}, one, ""},
		{"rspack, rspack.config.js", []string{"rspack"}, one, "rspack.config.js"},
		{"oxc (Rolldown)", []string{"oxc"}, one, ""},
		{"oxc (Rolldown), rolldown.config.js", []string{"oxc"}, one, "rolldown.config.js"},
		{"vite, vite.config.ts", []string{"vite"}, one, "vite.config.ts"},
		{"vite: a whole build, vite.config.ts", []string{"vite"}, all, "vite.config.ts"},
		{"bun", []string{"bun"}, one, ""},
		{"esbuild + webpack + oxc + bun in one dist", []string{"esbuild", "webpack", "oxc", "bun"}, one, ""},
	}
	var golden bytes.Buffer
	for _, p := range projects {
		dir := t.TempDir()
		// package.json ends the search for a configuration file here.
		writeFile(t, filepath.Join(dir, "package.json"), `{"private": true}`)
		if p.config != "" {
			writeFile(t, filepath.Join(dir, p.config), "export default {};\n")
		}
		for _, c := range p.configs {
			for _, f := range p.files {
				name := strings.ReplaceAll(f, "/", "-")
				if len(p.configs) > 1 {
					name = c + "-" + name
				}
				for _, ext := range []string{"", ".map"} {
					data, err := os.ReadFile(filepath.Join(out, c, f+ext))
					if err != nil {
						t.Fatal(err)
					}
					if ext == "" {
						// The map keeps its name next to the renamed bundle.
						data = bytes.Replace(data, []byte("//# sourceMappingURL="+filepath.Base(f)+".map"), []byte("//# sourceMappingURL="+name+".map"), 1)
					}
					writeFile(t, filepath.Join(dir, "dist", name+ext), string(data))
				}
			}
		}
		t.Chdir(dir)
		fmt.Fprintf(&golden, "# %s\n", p.name)
		text := runCheck(t, "check", "dist")
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, ": built with ") || strings.HasSuffix(line, ": bundler not recognised") {
				fmt.Fprintln(&golden, line)
			}
		}
		var rep struct {
			Files []struct {
				Path    string          `json:"path"`
				Bundler json.RawMessage `json:"bundler"`
			} `json:"files"`
		}
		if err := json.Unmarshal([]byte(runCheck(t, "check", "--format", "json", "dist")), &rep); err != nil {
			t.Fatal(err)
		}
		for i, f := range rep.Files {
			if len(p.files) > 1 && i > 0 {
				break // one file of a whole build is enough in JSON
			}
			b := string(f.Bundler)
			if b == "" {
				b = "(none)"
			}
			var compact bytes.Buffer
			if json.Compact(&compact, f.Bundler) == nil {
				b = compact.String()
			}
			fmt.Fprintf(&golden, "json %s: %s\n", f.Path, b)
		}
		fmt.Fprintln(&golden)
	}
	goldenFile(t, goldenPath, golden.Bytes())
}

// runCheck runs manglecheck with the real rules and returns its stdout;
// findings make it exit 1, which is fine here.
func runCheck(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &command{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, rules: rules.All()}
	if code := m.run(context.Background(), append([]string{"manglecheck"}, args...)); code > 1 {
		t.Fatalf("manglecheck %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
