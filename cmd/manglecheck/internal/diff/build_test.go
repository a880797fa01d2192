package diff_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
)

// buildOptions say how testBuild builds testdata/project.
type buildOptions struct {
	// next takes shared.next.js for shared.js: the change under review.
	next bool
	// keepNames builds with esbuild's keepNames.
	keepNames bool
	// noMaps builds without source maps.
	noMaps bool
	// noSplit bundles each entry whole, without shared chunks.
	noSplit bool
}

// testBuild copies testdata/project to dir/src (shared.next.js as
// shared.js when o.next) and builds its three entries with esbuild's Go
// API into dir/dist: ES modules with code splitting, so shared modules go
// to chunks named by their content hash ("chunk-Q2GVC3WN.js"), minified,
// with linked source maps. It returns dir/dist.
func testBuild(t *testing.T, dir string, o buildOptions) string {
	t.Helper()
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"a.js": "a.js", "b.js": "b.js", "c.js": "c.js", "util.js": "util.js", "shared.js": "shared.js"}
	if o.next {
		files["shared.js"] = "shared.next.js"
	}
	for to, from := range files {
		data, err := os.ReadFile(filepath.Join("testdata", "project", from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sm := api.SourceMapLinked
	if o.noMaps {
		sm = api.SourceMapNone
	}
	out := filepath.Join(dir, "dist")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := api.Build(api.BuildOptions{
		// esbuild hashes chunk contents with module paths relative to
		// the working directory: two builds of one project in two
		// directories must name unchanged chunks alike, as CI builds do.
		AbsWorkingDir:     abs,
		EntryPoints:       []string{filepath.Join(src, "a.js"), filepath.Join(src, "b.js"), filepath.Join(src, "c.js")},
		Bundle:            true,
		Splitting:         !o.noSplit,
		Format:            api.FormatESModule,
		Outdir:            out,
		EntryNames:        "[name]",
		ChunkNames:        "chunk-[hash]",
		Sourcemap:         sm,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		KeepNames:         o.keepNames,
		Target:            api.ES2020,
		Write:             true,
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	return out
}
