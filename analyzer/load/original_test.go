package load

import (
	"path/filepath"
	"testing"
)

func TestOriginalPath(t *testing.T) {
	root := filepath.FromSlash("/repo")
	for _, tc := range []struct {
		bundle, mapPath, source, want string
	}{
		{"/repo/dist/app.js", "/repo/dist/app.js.map", "../src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "inline", "../src/./a/../main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "../../other/x.js", "../other/x.js"},
		{"/repo/dist/app.js", "/repo/dist/maps/app.js.map", "../../src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "webpack://my-app/./src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "webpack://my-app/./src/main.js?5a3f", "src/main.js"},
		{"/repo/dist/app.js", "", "webpack:///./src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "webpack:///src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "webpack://app/./node_modules/lib/index.js", "node_modules/lib/index.js"},
		{"/repo/dist/app.js", "", "rollup://src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "vite:///src/main.ts", "src/main.ts"},
		{"/repo/dist/app.js", "", "file:///repo/src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "/repo/src/main.js", "src/main.js"},
		{"/repo/dist/app.js", "", "https://cdn.example/x.js", "https://cdn.example/x.js"},
		{"/repo/dist/app.js", "", "", ""},
	} {
		if got := OriginalPath(filepath.FromSlash(tc.bundle), filepath.FromSlash(tc.mapPath), tc.source, root); got != tc.want {
			t.Errorf("OriginalPath(%q, %q, %q) = %q, want %q", tc.bundle, tc.mapPath, tc.source, got, tc.want)
		}
	}
}
