package bundler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindProject(t *testing.T) {
	root := t.TempDir()
	writeText := func(rel, text string) string {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write := func(rel string) string { return writeText(rel, "{}") }
	write("package.json")
	vite := write("web/vite.config.ts")
	write("web/package.json")
	rspack := write("admin/rspack.config.mjs")
	write("admin/package.json")
	write("lib/package.json")
	// build.mjs names no tool: the project's dependencies must say esbuild
	// and nothing else that bundles or minifies.
	script := write("tools/build.mjs")
	writeText("tools/package.json", `{"devDependencies": {"esbuild": "0.28.2"}}`)
	write("pipeline/build.mjs")
	writeText("pipeline/package.json", `{"devDependencies": {"esbuild": "0.28.2", "terser": "5.51.4"}}`)
	write("plain/build.mjs")
	write("plain/package.json")
	for _, c := range []struct {
		dir  string
		want Project
	}{
		{"web/dist/assets", Project{Vite, vite}},
		{"admin/dist", Project{Rspack, rspack}},
		// lib's package.json is the project root: stop there.
		{"lib/dist", Project{}},
		{"tools/out/js", Project{Esbuild, script}},
		{"pipeline/out", Project{}},
		{"plain/out", Project{}},
	} {
		dir := filepath.Join(root, c.dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if got := FindProject(dir); got != c.want {
			t.Errorf("FindProject(%s) = %+v, want %+v", c.dir, got, c.want)
		}
	}
}

func TestMapHint(t *testing.T) {
	for tool, want := range map[Tool]string{
		Vite:    "build.sourcemap: true (or 'hidden') in vite.config.ts",
		Webpack: "devtool: 'source-map'",
		Rspack:  "devtool: 'source-map'",
		Rollup:  "output.sourcemap: true",
		Esbuild: "--sourcemap",
		Bun:     "--sourcemap=linked",
		Unknown: "build.sourcemap in Vite",
	} {
		cfg := ""
		if tool == Vite {
			cfg = "vite.config.ts"
		}
		if got := MapHint(tool, cfg); !strings.Contains(got, want) {
			t.Errorf("MapHint(%q) = %q, want it to contain %q", tool, got, want)
		}
	}
}
