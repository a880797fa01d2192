package diff

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSourceRoots(t *testing.T) {
	for _, c := range []struct {
		old, new, root        string
		wantOld, wantNew, dis string
	}{
		// CI: the base checkout inside the working tree.
		{"/repo/base/dist", "/repo/dist", "/repo", "/repo/base", "/repo", ""},
		// A copy of the old dist elsewhere: its maps' ../src resolve
		// under /tmp, as the new ones do under /repo.
		{"/tmp/dist-old", "/repo/dist", "/repo", "/tmp", "/repo", ""},
		// The root inside the new project.
		{"/x/old/app/dist", "/x/new/app/dist", "/x/new/app", "/x/old/app", "/x/new/app", ""},
		// Both builds under the root: each gets its project, paths are
		// shown relative to the root.
		{"/tmp/demo/old/dist", "/tmp/demo/new/dist", "/tmp/demo", "/tmp/demo/old", "/tmp/demo/new", "/tmp/demo"},
		// The root elsewhere.
		{"/a/old/dist", "/b/new/dist", "/work", "/a/old", "/b/new", "/work"},
		// The same build twice.
		{"/repo/dist", "/repo/dist", "/repo", "/repo", "/repo", ""},
	} {
		o, n, d := sourceRoots(c.old, c.new, c.root)
		if o != filepath.FromSlash(c.wantOld) || n != filepath.FromSlash(c.wantNew) || d != filepath.FromSlash(c.dis) {
			t.Errorf("sourceRoots(%s, %s, %s) = %s, %s, %q; want %s, %s, %q", c.old, c.new, c.root, o, n, d, c.wantOld, c.wantNew, c.dis)
		}
	}
}

func TestBlankHashes(t *testing.T) {
	for in, want := range map[string]string{
		"chunk-Q2GVC3WN.js":        "chunk-*.js",
		"assets/index-BIqW9hR2.js": "assets/index-*.js",
		"assets/index-BfQxYzAb.js": "assets/index-*.js",
		"main.3f2a1b9c.js":         "main.*.js",
		"vendor.js":                "vendor.js",
		"UserProfile.js":           "UserProfile.js",
		"polyfills-legacy.js":      "polyfills-legacy.js",
		// Vite/Rolldown base64url hashes with "_" and "-" in them.
		"assets/index-C_x1Yz9a.js": "assets/index-*.js",
		"assets/index-D-4kQ_Zp.js": "assets/index-*.js",
		"assets/my_app-x.js":       "assets/my_app-x.js",
	} {
		if got := blankHashes(in); got != want {
			t.Errorf("blankHashes(%s) = %s, want %s", in, got, want)
		}
		if strings.HasPrefix(in, "assets/index-") && productName(in) != "assets/index" {
			t.Errorf("productName(%s) = %s", in, productName(in))
		}
	}
}
