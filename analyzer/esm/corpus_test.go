package esm

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/fixtures/cachetest"
)

// corpusDir holds real bundles and npm packages when
// fixtures/realworld/fetch.sh has been run (both are git-ignored).
const corpusDir = "../../fixtures/realworld"

// gojaParsesEsbuildCJS is the oracle for inputs goja rejects after
// lowering: if goja also rejects esbuild's CommonJS rewrite of the same
// input, the input uses syntax goja lacks and Lower is not to blame.
func gojaParsesEsbuildCJS(src string) bool {
	res := api.Transform(src, api.TransformOptions{
		Format:    api.FormatCommonJS,
		Target:    api.ESNext,
		Supported: map[string]bool{"dynamic-import": false},
		LogLevel:  api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		return false
	}
	_, err := parser.ParseFile(nil, "cjs.js", string(res.Code), 0, parser.WithDisableSourceMaps)
	return err == nil
}

// TestLowerCorpus lowers every JavaScript file of the real-world corpus:
// rollup, webpack and esbuild ES module builds, three.js×10 and the ES
// modules shipped in node_modules.
func TestLowerCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	var files []string
	for _, root := range []string{"node_modules", ".cache/bundlers", ".cache"} {
		root = filepath.Join(corpusDir, root)
		// Each part of the corpus is required: one missing part would
		// shrink the test silently.
		cachetest.Need(t, root, "fixtures/realworld/fetch.sh")
		walkRoot := cachetest.WalkRoot(root)
		filepath.WalkDir(walkRoot, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && p != walkRoot && (d.Name() == "bundlers" && root != filepath.Join(corpusDir, ".cache/bundlers") ||
				strings.HasPrefix(d.Name(), ".") || d.Name() == "bench" || d.Name() == "three-src") {
				return filepath.SkipDir
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".mjs")) {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) == 0 {
		cachetest.Missing(t, "real-world corpus in "+corpusDir, "fixtures/realworld/fetch.sh")
	}
	modules, bytes, excused := 0, 0, 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		out, m, err := Lower(src)
		if err := sameAsSlow(src, Options{}, out, m, err); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		// The limits package parse uses reject no real code.
		if _, _, err := LowerWith(src, Options{MaxNesting: 1000, MaxChain: 10000}); errors.Is(err, ErrTooDeep) {
			t.Errorf("%s: %v", p, err)
		}
		if err != nil {
			if gojaParsesEsbuildCJS(src) {
				t.Errorf("%s: Lower: %v", p, err)
			}
			excused++
			t.Logf("%s: Lower: %v (esbuild and goja reject it too)", p, err)
			continue
		}
		if err := invariants(src, out, m); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if m == nil {
			continue
		}
		modules++
		bytes += len(src)
		prg, err := parser.ParseFile(nil, p, out, 0, parser.WithDisableSourceMaps)
		if err != nil {
			if gojaParsesEsbuildCJS(src) {
				t.Errorf("%s: goja rejects the lowered text but parses esbuild's CommonJS: %v\n%s", p, err, around(out, err))
			}
			excused++
			t.Logf("%s: goja rejects the lowered text, and esbuild's CommonJS too: %v", p, err)
			continue
		}
		if _, err := identifiers(prg, src, out, m); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	t.Logf("%d files, %d lowered (%.1f MB), %d beyond goja", len(files), modules, float64(bytes)/1e6, excused)
}
