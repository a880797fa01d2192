package sandbox_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
)

func TestDetectEnv(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want sandbox.Env
	}{
		{`document.body.appendChild(x)`, sandbox.Browser},
		{`module.exports = function () {}`, sandbox.Node},
		{`"use strict"; const fs = require("fs"); exports.x = 1;`, sandbox.Node},
		{"#!/usr/bin/env node\nconsole.log(1)", sandbox.Node},
		// webpack's runtime calls __webpack_require__(, which is no require(.
		{`__webpack_require__(1); window.x = 1`, sandbox.Browser},
		// UMD: both; a tie runs in the browser.
		{`typeof exports=="object"&&typeof module<"u"?module.exports=f():window.F=f()`, sandbox.Browser},
		{`console.log(1)`, sandbox.Browser},
	} {
		if got := sandbox.DetectEnv(tc.src); got != tc.want {
			t.Errorf("DetectEnv(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
}

// goja reports 1-based byte columns; findings must come out in UTF-16
// columns like every other position, after multi-byte text on the line.
func TestColumnsAreUTF16(t *testing.T) {
	src := `var s = "ééé😀😀"; function f() { return null.boom; } f();`
	paths := write(t, src)
	res := smoke(t, paths, sandbox.Options{})
	if len(res.Findings) != 1 {
		t.Fatalf("want 1 finding, have %+v", res.Findings)
	}
	at := strings.Index(src, "boom") // goja points at the property
	want := len(utf16.Encode([]rune(src[:at]))) + 1
	if f := res.Findings[0]; f.Bundle.Line != 1 || f.Bundle.Column != want {
		t.Errorf("finding at %d:%d, want 1:%d (%s)", f.Bundle.Line, f.Bundle.Column, want, f.Message)
	}
}

// Syntax goja cannot run is lowered by esbuild first; the finding still
// points into the bundle as shipped.
func TestLowering(t *testing.T) {
	src := `async function* gen() { yield 1; }
class A { x = 1; }
class B extends A { y = super.constructor.name; }
new B();
gen().next().then(() => { throw new Error("after lowering"); });
`
	paths := write(t, src)
	res := smoke(t, paths, sandbox.Options{})
	if len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message, "Error: after lowering") {
		t.Fatalf("want the rejection from the lowered script, have %+v", res.Findings)
	}
	if f := res.Findings[0]; f.Bundle.Line != 5 {
		t.Errorf("finding at line %d of the bundle, want 5", f.Bundle.Line)
	}
}

// Node: require() of the bundle's own files loads them as CommonJS
// modules; a frame inside one points into that file.
func TestNodeRequireOwnFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.js":         "const lib = require(\"./lib/helper\");\nmodule.exports = lib.run();\n",
		"lib/helper.js":   "exports.run = function run() {\n  return require(\"./deep.js\").explode();\n};\n",
		"lib/deep.js":     "module.exports.explode = () => {\n  throw new RangeError(\"deep\");\n};\n",
		"../outside.js":   "module.exports = 1;\n",
		"uses-outside.js": "require(\"../outside.js\");\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, "app", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := smoke(t, []string{filepath.Join(dir, "app", "main.js")}, sandbox.Options{Env: sandbox.Node})
	if len(res.Findings) != 1 {
		t.Fatalf("want 1 finding, have %+v", res.Findings)
	}
	f := res.Findings[0]
	if !strings.Contains(f.Message, "RangeError: deep") || !strings.HasSuffix(f.Bundle.Path, "lib/deep.js") || f.Bundle.Line != 2 {
		t.Errorf("finding %s:%d: %s, want lib/deep.js:2 RangeError: deep", f.Bundle.Path, f.Bundle.Line, f.Message)
	}
	var funcs []string
	for _, fr := range f.Stack {
		funcs = append(funcs, fr.Func)
	}
	if got := strings.Join(funcs, ","); !strings.Contains(got, "explode,run") {
		t.Errorf("stack functions %q, want explode then run", got)
	}

	out, err := sandbox.Smoke(t.Context(), []string{filepath.Join(dir, "app", "uses-outside.js")}, nil, with(sandbox.Options{Env: sandbox.Node}))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Files) != 1 || out.Files[0].Error == nil || !strings.Contains(*out.Files[0].Error, "outside the bundle's directory") {
		if len(out.Files) == 1 && out.Files[0].Error != nil {
			t.Log(*out.Files[0].Error)
		}
		t.Errorf("require of a file outside the bundle's directory: want a file error, have %+v", out.Files)
	}
}

// A CommonJS bundle whose text mentions the DOM more than CommonJS is run
// in the browser first, fails on `module`, and is run again in Node.
func TestAutoEnvFallback(t *testing.T) {
	src := `var ui = typeof window !== "undefined" && window.document && document.createElement && navigator.userAgent && localStorage;
module.exports = { ui: ui };
`
	if sandbox.DetectEnv(src) != sandbox.Browser {
		t.Fatal("the heuristic should guess browser for this bundle")
	}
	res := smoke(t, write(t, src), sandbox.Options{})
	for _, f := range res.Findings {
		t.Errorf("unexpected finding: %s", f.Message)
	}
}

// The DOM pieces real libraries touch at startup: AngularJS parses URLs
// through <a href> and reads script attributes with getNamedItem.
func TestDOMFidelity(t *testing.T) {
	src := `const a = document.createElement("a");
a.setAttribute("href", "https://example.com:8080/p/q?x=1#h");
if (a.hostname !== "example.com" || a.port !== "8080" || a.pathname !== "/p/q" || a.search !== "?x=1" || a.hash !== "#h") throw new Error("anchor: " + a.href);
const s = document.createElement("script");
s.setAttribute("src", "app.js");
if (s.attributes.getNamedItem("src").value !== "app.js" || s.attributes.getNamedItem("nope") !== null) throw new Error("getNamedItem");
class MyEl extends HTMLElement { connectedCallback() { this.textContent = "hi"; } }
customElements.define("my-el", MyEl);
const el = document.createElement("my-el");
document.body.appendChild(el);
if (!(el instanceof MyEl) || el.textContent !== "hi" || el.tagName !== "MY-EL") throw new Error("custom element");
let loaded = 0;
document.addEventListener("DOMContentLoaded", () => loaded++);
window.addEventListener("load", () => { if (++loaded !== 2 || document.readyState !== "complete") throw new Error("load order"); });
requestAnimationFrame((t) => { if (typeof t !== "number") throw new Error("raf"); });
`
	res := smoke(t, write(t, src), sandbox.Options{})
	for _, f := range res.Findings {
		t.Errorf("unexpected finding: %s", f.Message)
	}
}
