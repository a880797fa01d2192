package sourcemap

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/fixtures/cachetest"
)

// Every real source map at hand (the bundler and library builds of
// fixtures/realworld/fetch.sh and fixtures/libraries/fetch.sh) is read the
// same by Find and by go-sourcemap, an independent decoder, at random
// positions of its bundle. With -short the three.js×10 maps (32 MB each)
// are left out.
func TestRealMapsAgreeWithGoSourcemap(t *testing.T) {
	var maps []string
	for _, dir := range []string{"../../fixtures/realworld/.cache", "../../fixtures/libraries/.cache"} {
		cachetest.Need(t, dir, "fixtures/realworld/fetch.sh and fixtures/libraries/fetch.sh")
		filepath.WalkDir(cachetest.WalkRoot(dir), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".js.map") {
				maps = append(maps, path)
			}
			return nil
		})
	}
	if len(maps) == 0 {
		cachetest.Missing(t, "source maps", "fixtures/realworld/fetch.sh and fixtures/libraries/fetch.sh")
	}
	total, files := 0, 0
	seen := map[[32]byte]bool{}
	for _, path := range maps {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		if seen[h] || testing.Short() && len(data) > 8<<20 {
			continue
		}
		seen[h] = true
		js, err := os.ReadFile(strings.TrimSuffix(path, ".map"))
		if err != nil || len(js) == 0 {
			continue // a map without its bundle (or of an empty chunk)
		}
		m, err := Parse(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		n := checkAgainstGoSourcemap(t, data, m, positions(string(js), 2000))
		if n == 0 && len(m.Sources()) > 0 {
			t.Errorf("%s: no position compared", path)
		}
		total += n
		files++
	}
	t.Logf("%d maps, %d positions compared", files, total)
}
