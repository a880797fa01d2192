package sourcemap

import (
	"encoding/base64"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/manglecheck/manglecheck/fixtures/testfiles"
)

const tinyMap = `{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}`

func TestLocateFiles(t *testing.T) {
	dir := testfiles.Tree(t, map[string]string{
		"dist/maps/app.js.map": tinyMap,
		"dist/my app.js.map":   tinyMap,
		"dist/legacy.map":      tinyMap,
		"dist/block.map":       tinyMap,
		"dist/good.map":        tinyMap,
		"dist/first.map":       tinyMap,
		"dist/app.js.map":      tinyMap,
		"dist/abs.map":         tinyMap,
		"secret.map":           `{"secret":true}`,
	})
	dist := filepath.Join(dir, "dist")
	bundlePath := filepath.Join(dist, "app.js")
	cases := []struct {
		name, src, where string
	}{
		{"relative", "x();\n//# sourceMappingURL=maps/app.js.map\n", "maps/app.js.map"},
		{"query and fragment", "x();\n//# sourceMappingURL=maps/app.js.map?v=3#top", "maps/app.js.map"},
		{"percent-encoded", "x();\n//# sourceMappingURL=my%20app.js.map\n", "my app.js.map"},
		{"legacy //@", "x();\n//@ sourceMappingURL=legacy.map\n", "legacy.map"},
		{"block comment", "x();\n/*# sourceMappingURL=block.map */\n", "block.map"},
		{"same line as code", `var s="//x";foo(/re\//g)//# sourceMappingURL=good.map`, "good.map"},
		{"followed by other comments", "x();\n//# sourceMappingURL=good.map\n//# debugId=123\n/* legal */\n\n", "good.map"},
		{"last of two", "//# sourceMappingURL=first.map\nx();\n//# sourceMappingURL=good.map\n", "good.map"},
		{"no comment: sibling", "x();\n", "app.js.map"},
		{"file URL", "x();\n//# sourceMappingURL=file://" + filepath.ToSlash(filepath.Join(dist, "abs.map")), "abs.map"},
	}
	for _, c := range cases {
		data, where, err := Locate(bundlePath, []byte(c.src), dist, 0)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if want := filepath.Join(dist, filepath.FromSlash(c.where)); where != want {
			t.Errorf("%s: where = %q, want %q", c.name, where, want)
		}
		if string(data) != tinyMap {
			t.Errorf("%s: data = %q", c.name, data)
		}
	}
}

func TestLocateIgnoresNonTrailingComments(t *testing.T) {
	// Each names evil.map only in a place that is not a trailing comment;
	// with no sibling .map the answer must be ErrNoMap.
	dir := testfiles.Tree(t, map[string]string{"evil.map": tinyMap})
	bundlePath := filepath.Join(dir, "app.js")
	for _, src := range []string{
		`var s = "//# sourceMappingURL=evil.map"`,
		"var s = \"\\n//# sourceMappingURL=evil.map\";\n",
		"var t = `\n//# sourceMappingURL=evil.map\n`;\n",
		"var t = `${a}//# sourceMappingURL=evil.map`",
		"var s = '//# sourceMappingURL=evil.map'",
		"var r = /\\/\\/# sourceMappingURL=evil.map/",
		"//# sourceMappingURL=evil.map\nfoo();\n",
		"/*\n//# sourceMappingURL=evil.map\n*/\n",
		"//# sourceMappingURL=evil.map trailing-words\n",
		"//#sourceMappingURL=evil.map\n",
		"",
	} {
		_, where, err := Locate(bundlePath, []byte(src), dir, 0)
		if !errors.Is(err, ErrNoMap) {
			t.Errorf("%q: where %q, err %v; want ErrNoMap", src, where, err)
			continue
		}
		if !strings.Contains(err.Error(), bundlePath) {
			t.Errorf("error %q does not name the bundle", err)
		}
	}
}

func TestLocateDataURLs(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(tinyMap))
	for _, u := range []string{
		"data:application/json;base64," + b64,
		"data:application/json;charset=utf-8;base64," + b64,
		"data:application/json;charset=UTF-8;base64," + strings.TrimRight(b64, "="),
		"data:application/json," + url.PathEscape(tinyMap),
		"data:application/json;charset=utf-8," + strings.ReplaceAll(url.PathEscape(tinyMap), "%3A", ":"),
	} {
		src := "x();\n//# sourceMappingURL=" + u + "\n"
		data, where, err := Locate("/nonexistent/app.js", []byte(src), "/nonexistent", 0)
		if err != nil || where != "inline" || string(data) != tinyMap {
			t.Errorf("%.60s: %q, %q, %v", u, data, where, err)
		}
	}
	for _, tc := range []struct{ u, err string }{
		{"data:text/plain;base64," + b64, "media type"},
		{"data:application/json;base64,!!!", "illegal base64"},
		{"data:application/json;charset=latin1;base64," + b64, "charset"},
		{"data:application/json,%zz", "invalid URL escape"},
		{"data:application/json;base64", "no comma"},
		{"data:application/json;base64," + b64, "limit"}, // with maxSize 10
	} {
		src := "//# sourceMappingURL=" + tc.u
		_, _, err := Locate("app.js", []byte(src), ".", 10)
		if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "app.js") {
			t.Errorf("%.50s: err = %v, want %q naming app.js", tc.u, err, tc.err)
		}
	}
}

func TestLocateRefusals(t *testing.T) {
	dir := testfiles.Tree(t, map[string]string{
		"secret.map":      `{"secret":true}`,
		"dist/app.js":     "",
		"dist/big.js.map": strings.Repeat(" ", 100),
	})
	dist := filepath.Join(dir, "dist")
	if err := os.Symlink(filepath.Join(dir, "secret.map"), filepath.Join(dist, "link.map")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dist, "up")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dist, "dir.map"), 0o755); err != nil {
		t.Fatal(err)
	}
	bundlePath := filepath.Join(dist, "app.js")
	for _, tc := range []struct{ url, err string }{
		{"../secret.map", "outside"},
		{"..%2Fsecret.map", "outside"},
		{"link.map", "outside"},
		{"up/secret.map", "outside"},
		{"/etc/passwd", "outside"},
		{"file:///etc/passwd", "outside"},
		{"https://cdn.example.com/app.js.map", "remote"},
		{"HTTP://cdn.example.com/app.js.map", "remote"},
		{"//cdn.example.com/app.js.map", "remote"},
		{"webpack://app/x.map", "scheme"},
		{"dir.map", "not a regular file"},
	} {
		src := "x();\n//# sourceMappingURL=" + tc.url + "\n"
		data, _, err := Locate(bundlePath, []byte(src), dist, 0)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: err = %v, want ErrRefused %q", tc.url, err, tc.err)
		}
		if data != nil {
			t.Errorf("%s: data returned: %q", tc.url, data)
		}
		if err != nil && !strings.Contains(err.Error(), bundlePath) {
			t.Errorf("%s: error %q does not name the bundle", tc.url, err)
		}
	}

	// A sibling that is a symlink out of root is refused too.
	if err := os.Symlink(filepath.Join(dir, "secret.map"), filepath.Join(dist, "other.js.map")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Locate(filepath.Join(dist, "other.js"), []byte("x()"), dist, 0); !errors.Is(err, ErrRefused) {
		t.Errorf("sibling symlink: err = %v, want ErrRefused", err)
	}

	// Missing map named by the comment: an error that is not ErrNoMap.
	_, _, err := Locate(bundlePath, []byte("//# sourceMappingURL=missing.map"), dist, 0)
	if err == nil || errors.Is(err, ErrNoMap) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing map: err = %v", err)
	}

	// Size cap.
	_, _, err = Locate(filepath.Join(dist, "big.js"), []byte("x()"), dist, 50)
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("size cap: err = %v", err)
	}
}

func TestLocateFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "app.js.map"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	// Opening a FIFO for reading would block forever.
	if _, _, err := Locate(filepath.Join(dir, "app.js"), []byte("x()"), dir, 0); !errors.Is(err, ErrRefused) {
		t.Errorf("FIFO: err = %v, want ErrRefused", err)
	}
}

func TestLocateRootThroughSymlink(t *testing.T) {
	// The caller may name root through a symlink while the bundle path
	// goes through the real directory; that is still inside root.
	dir := testfiles.Tree(t, map[string]string{"real/app.js.map": tinyMap})
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Fatal(err)
	}
	data, _, err := Locate(filepath.Join(dir, "real", "app.js"), []byte("x()"), link, 0)
	if err != nil || string(data) != tinyMap {
		t.Errorf("Locate = %q, %v", data, err)
	}
}

func TestMatchURLComment(t *testing.T) {
	for body, want := range map[string]string{
		"# sourceMappingURL=a.map":         "a.map",
		"@ sourceMappingURL=a.map  ":       "a.map",
		"#\tsourceMappingURL=a.map":        "a.map",
		"# sourceMappingURL=":              "",
		"# sourceMappingURL=a.map b":       "",
		"#sourceMappingURL=a.map":          "",
		" # sourceMappingURL=a.map":        "",
		"# sourceURL=a.js":                 "",
		"# sourceMappingURL=data:x,a%20b ": "data:x,a%20b",
	} {
		got, ok := matchURLComment([]byte(body))
		if got != want || ok != (want != "") {
			t.Errorf("matchURLComment(%q) = %q, %v; want %q", body, got, ok, want)
		}
	}
}
