package bundler

import (
	"strings"
	"testing"
)

// The shapes are those of real builds of fixtures/plugins/app (whose
// plugin test checks detection end to end).
func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name    string
		src     string
		sources []string
		want    Info
	}{
		{"vite 8 (Oxc)", "var e=class extends Error{constructor(e){super(e),this.name=`ConfigError`}},t=class extends Error{};", nil, Info{Vite, "oxc"}},
		{"webpack by its map", `(()=>{"use strict";class r extends Error{}})();`, []string{"webpack:///./src/errors.js"}, Info{Bundler: Webpack}},
		{"webpack runtime", `(()=>{var __webpack_modules__={};function __webpack_require__(e){}})();`, nil, Info{Bundler: Webpack}},
		{"rspack runtime", `(()=>{var r={};r.ruid="bundler=rspack@2.3.4";})();`, nil, Info{Rspack, "swc"}},
		{"esbuild helpers", `var __defProp=Object.defineProperty;var __name=(t,e)=>__defProp(t,"name",{value:e});`, nil, Info{Esbuild, "esbuild"}},
		{"bun", "// @bun\nvar a=1;", nil, Info{Bun, "bun"}},
		{"nothing to go by", `var t=class extends Error{},e=class extends Error{};console.log("x");`, nil, Info{}},
	} {
		if got := Detect(c.src, c.sources); got != c.want {
			t.Errorf("%s: Detect = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestRefine(t *testing.T) {
	for _, c := range []struct {
		in   Info
		p    Project
		want Info
	}{
		{Info{Bundler: Webpack}, Project{Tool: Rspack}, Info{Rspack, "swc"}},
		{Info{Bundler: Webpack}, Project{}, Info{Webpack, "terser"}},
		{Info{}, Project{Tool: Esbuild}, Info{Bundler: Esbuild}},
		{Info{Vite, "oxc"}, Project{Tool: Rolldown}, Info{Rolldown, "oxc"}},
		{Info{Vite, "oxc"}, Project{Tool: Webpack}, Info{Vite, "oxc"}},
	} {
		if got := Refine(c.in, c.p); got != c.want {
			t.Errorf("Refine(%+v, %+v) = %+v, want %+v", c.in, c.p, got, c.want)
		}
	}
}

func TestRetarget(t *testing.T) {
	msg := `Compare by reference (instanceof X), add static name = "X", or keep class names (esbuild keepNames, terser/swc keep_classnames).`
	if got := Retarget(msg, Info{Bundler: Vite}); !strings.HasSuffix(got, "or keep class names (build.rolldownOptions.output.keepNames: true in vite.config.*; Vite 8 bundles with Rolldown and minifies with Oxc).") {
		t.Errorf("Vite: %s", got)
	}
	if got := Retarget(msg, Info{}); got != msg {
		t.Errorf("unknown bundler: %s", got)
	}
	for _, tool := range []Tool{Vite, Rolldown, Webpack, Rspack, Esbuild, Rollup, Bun} {
		fix, ok := KeepNames(tool)
		if !ok || fix.Option == "" || fix.Snippet == "" || strings.ContainsAny(fix.Option, "()") {
			t.Errorf("%s: %+v (an Option must fit in the message's parenthesis)", tool, fix)
		}
	}
}
