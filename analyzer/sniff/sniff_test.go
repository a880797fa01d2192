package sniff

import (
	"strings"
	"testing"
)

func TestNotJavaScript(t *testing.T) {
	for _, c := range []struct {
		path, data, want string
	}{
		{"dist/app.js.map", `{"version":3,"sources":["a.js"],"mappings":"AAAA"}`, "this is a source map, not a bundle: pass the .js file it maps (dist/app.js)"},
		{"dist/app.js", `{"version":3,"sources":["a.js"],"mappings":"AAAA"}`, "this is a source map"},
		{"dist/index.html", "<!doctype html><html></html>", "this is an HTML page, not JavaScript"},
		{"dist/page", "\n  <HTML><body>", "this is an HTML page"},
		{"dist/style.css", "body{color:red}", "this is a stylesheet"},
		{"dist/logo.png", "\x89PNG\r\n\x1a\n\x00\x00", "this is binary data"},
		{"dist/manifest.json", `{"name": "x"}`, "this is a JSON file"},
		{"src/main.ts", "let x: number = 1", "this is a .ts source file, not a built bundle"},
		// Broken JavaScript stays a parse error.
		{"dist/app.wasm", "\x00asm\x01", "this is binary data"},
		{"dist/broken.js", "function (", ""},
		{"dist/nul.js", "var a=1;\x00\x00", ""},
		{"dist/jsx.js", "const a = <div/>;", ""},
		{"dist/obj.js", `{"a": 1}`, ""},
	} {
		got := NotJavaScript(c.path, []byte(c.data))
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) {
			t.Errorf("NotJavaScript(%q, %q) = %q, want prefix %q", c.path, c.data, got, c.want)
		}
	}
}
