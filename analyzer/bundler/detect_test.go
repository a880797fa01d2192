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
		{"vite 8 (Oxc)", "var e=class extends Error{constructor(e){super(e),this.name=`ConfigError`}},t=class extends Error{};", nil, Info{Vite, "oxc", "Oxc's backtick strings", Likely}},
		{"webpack by its map", `(()=>{"use strict";class r extends Error{}})();`, []string{"webpack:///./src/errors.js"}, Info{Webpack, "", "webpack:// sources in its map", Certain}},
		{"webpack runtime", `(()=>{var __webpack_modules__={};function __webpack_require__(e){}})();`, nil, Info{Webpack, "", "webpack's runtime", Certain}},
		{"rspack runtime", `(()=>{var r={};r.ruid="bundler=rspack@2.3.4";})();`, nil, Info{Rspack, "swc", "Rspack's runtime", Certain}},
		{"esbuild helpers", `var __defProp=Object.defineProperty;var __name=(t,e)=>__defProp(t,"name",{value:e});`, nil, Info{Esbuild, "esbuild", "esbuild's helpers", Certain}},
		{"bun", "// @bun\nvar a=1;", nil, Info{Bun, "bun", "its // @bun header", Certain}},
		// bun build --minify --sourcemap=linked (fixtures/minifiers/out/bun).
		{"bun debug ID", "(()=>{class c{}console.log(new c);})();\n\n//# debugId=A4C74C8733C6F16E64756E2164756E21\n//# sourceMappingURL=a.js.map\n", nil, Info{Bun, "bun", "Bun's debugId comment", Certain}},
		{"another debug ID", "(()=>{})();\n//# debugId=A4C74C8733C6F16E0123456789ABCDEF\n", nil, Info{}},
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
		{Info{Webpack, "", "webpack's runtime", Certain}, Project{Tool: Rspack, Config: "/app/rspack.config.js"}, Info{Rspack, "swc", "webpack's runtime and rspack.config.js", Likely}},
		{Info{Webpack, "", "webpack's runtime", Certain}, Project{}, Info{Webpack, "terser", "webpack's runtime", Certain}},
		{Info{Webpack, "", "webpack's runtime", Certain}, Project{Tool: Webpack, Config: "/app/webpack.config.js"}, Info{Webpack, "terser", "webpack's runtime and webpack.config.js", Certain}},
		{Info{}, Project{Tool: Esbuild}, Info{Bundler: Esbuild, Confidence: Likely}},
		{Info{}, Project{Tool: Vite, Config: "/app/vite.config.ts"}, Info{Vite, "", "vite.config.ts", Likely}},
		{Info{}, Project{Tool: Rspack, Config: "/app/rspack.config.js"}, Info{Rspack, "swc", "rspack.config.js", Likely}},
		{Info{Vite, "oxc", "backticks", Likely}, Project{Tool: Vite, Config: "/app/vite.config.ts"}, Info{Vite, "oxc", "backticks and vite.config.ts", Certain}},
		{Info{Vite, "oxc", "backticks", Likely}, Project{Tool: Rolldown, Config: "/app/rolldown.config.js"}, Info{Rolldown, "oxc", "backticks and rolldown.config.js", Certain}},
		{Info{Vite, "oxc", "backticks", Likely}, Project{Tool: Webpack, Config: "/app/webpack.config.js"}, Info{Vite, "oxc", "backticks", Likely}},
	} {
		if got := Refine(c.in, c.p); got != c.want {
			t.Errorf("Refine(%+v, %+v) = %+v, want %+v", c.in, c.p, got, c.want)
		}
	}
}

func TestInfoString(t *testing.T) {
	for _, c := range []struct {
		in   Info
		want string
	}{
		{Info{}, ""},
		{Info{Bundler: Vite, Minifier: "oxc"}, "Vite 8 (Rolldown + Oxc)"},
		{Info{Bundler: Vite}, "Vite"},
		{Info{Bundler: Rolldown, Minifier: "oxc"}, "Rolldown (Oxc)"},
		{Info{Bundler: Webpack, Minifier: "terser"}, "webpack (terser)"},
		{Info{Bundler: Rspack, Minifier: "swc"}, "Rspack (SWC)"},
		{Info{Bundler: Esbuild, Minifier: "esbuild"}, "esbuild"},
		{Info{Bundler: Bun, Minifier: "bun"}, "Bun"},
	} {
		if got := c.in.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRetarget(t *testing.T) {
	msg := `Compare by reference (instanceof X), add static name = "X", or keep class names (esbuild keepNames, terser/swc keep_classnames).`
	if got := Retarget(msg, Info{Bundler: Vite}); !strings.HasSuffix(got, "or keep class names (build.rolldownOptions.output.keepNames: true in vite.config.*; Vite 8 bundles with Rolldown and minifies with Oxc).") {
		t.Errorf("Vite: %s", got)
	}
	// bun 1.4.5's --keep-names keeps no name (the minifier matrix): the
	// advice must not promise it does.
	if got := Retarget(msg, Info{Bundler: Bun}); !strings.HasSuffix(got, "(bun build --keep-names, or keepNames: true in Bun.build, which bun 1.4.5 ignores: it keeps no name).") {
		t.Errorf("Bun: %s", got)
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
