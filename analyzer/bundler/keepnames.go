package bundler

import (
	"regexp"
	"strings"
)

// Fix is how a bundler keeps function and class names.
type Fix struct {
	// Option is the option in a few words, for messages.
	Option string
	// Options is a JavaScript object literal merged into the bundler's
	// configuration (the build options of its JavaScript API): the tests
	// build fixtures/plugins/app with exactly this text and check that the
	// names are kept. Identifiers in it: webpack, rspack.
	Options string
	// Snippet is the configuration file with Options in place, ready to
	// paste; Config its file name.
	Snippet, Config string
}

// KeepNames returns t's keep-names fix, false for an unknown tool.
func KeepNames(t Tool) (Fix, bool) {
	switch t {
	case Vite:
		// Rolldown's output.keepNames keeps the name of a class bundled as
		// var X = class {} too, which Oxc's mangle.keepNames alone does not
		// see (the name is inferred from the variable).
		return Fix{
			Option:  "build.rolldownOptions.output.keepNames: true in vite.config.*; Vite 8 bundles with Rolldown and minifies with Oxc",
			Options: `{ build: { rolldownOptions: { output: { keepNames: true } } } }`,
			Config:  "vite.config.js",
			Snippet: "import { defineConfig } from 'vite';\n\nexport default defineConfig({\n  build: {\n    rolldownOptions: {\n      output: { keepNames: true }, // keep function and class names (Oxc minifier)\n    },\n  },\n});",
		}, true
	case Rolldown:
		return Fix{
			Option:  "output.keepNames: true in rolldown.config.*",
			Options: `{ output: { keepNames: true } }`,
			Config:  "rolldown.config.js",
			Snippet: "export default {\n  output: { keepNames: true }, // keep function and class names (Oxc minifier)\n};",
		}, true
	case Webpack:
		return Fix{
			Option:  "keep_classnames and keep_fnames for webpack's terser: optimization.minimizeOptions.javascript in webpack.config.*, or TerserPlugin's terserOptions in older webpack 5",
			Options: `{ optimization: { minimizeOptions: { javascript: { keep_classnames: true, keep_fnames: true } } } }`,
			Config:  "webpack.config.js",
			Snippet: "module.exports = {\n  optimization: {\n    // webpack 5.112+: options of the built-in terser minimizer\n    minimizeOptions: { javascript: { keep_classnames: true, keep_fnames: true } },\n    // older webpack 5: minimizer: [new (require('terser-webpack-plugin'))({ terserOptions: { keep_classnames: true, keep_fnames: true } })],\n  },\n};",
		}, true
	case Rspack:
		return Fix{
			Option:  "keep_classnames and keep_fnames in SwcJsMinimizerRspackPlugin's minimizerOptions in rspack.config.*",
			Options: `{ optimization: { minimizer: [new rspack.SwcJsMinimizerRspackPlugin({ minimizerOptions: { mangle: { keep_classnames: true, keep_fnames: true }, compress: { keep_classnames: true, keep_fnames: true } } })] } }`,
			Config:  "rspack.config.js",
			Snippet: "const { rspack } = require('@rspack/core');\n\nmodule.exports = {\n  optimization: {\n    minimizer: [\n      new rspack.SwcJsMinimizerRspackPlugin({\n        minimizerOptions: {\n          mangle: { keep_classnames: true, keep_fnames: true },\n          compress: { keep_classnames: true, keep_fnames: true },\n        },\n      }),\n      new rspack.LightningCssMinimizerRspackPlugin(),\n    ],\n  },\n};",
		}, true
	case Esbuild:
		return Fix{
			Option:  "esbuild keepNames: true, --keep-names on the command line",
			Options: `{ keepNames: true }`,
			Snippet: "await esbuild.build({\n  // ...\n  minify: true,\n  keepNames: true, // --keep-names on the command line\n});",
		}, true
	case Rollup:
		return Fix{
			Option:  "keep_classnames and keep_fnames in @rollup/plugin-terser's options in rollup.config.*",
			Config:  "rollup.config.js",
			Snippet: "import terser from '@rollup/plugin-terser';\n\nexport default {\n  plugins: [terser({ keep_classnames: true, keep_fnames: true })],\n};",
		}, true
	case Bun:
		// bun 1.4.5 ignores the option: --keep-names and Bun.build's
		// keepNames gave the same minified code on every fixture of the
		// minifier matrix (fixtures/minifiers/regen.mjs), so the advice
		// says so rather than promise a fix.
		return Fix{
			Option:  "bun build --keep-names, or keepNames: true in Bun.build, which bun 1.4.5 ignores: it keeps no name",
			Snippet: "# bun 1.4.5 ignores --keep-names (no name kept): compare by reference or add static name = \"X\" instead\nbun build ./src/index.ts --outdir dist --minify --keep-names --sourcemap=linked",
		}, true
	}
	return Fix{}, false
}

// genericKeepNames is the parenthesis the rules end their keep-names
// advice with: "(esbuild keepNames, terser/swc keep_classnames)".
var genericKeepNames = regexp.MustCompile(`\(esbuild keepNames[^()]*\)`)

// Retarget rewrites a message's generic keep-names advice for the tool
// that built the bundle, so a Vite user reads Vite's option; messages of
// an unknown tool are returned unchanged.
func Retarget(msg string, i Info) string {
	fix, ok := KeepNames(i.Bundler)
	if !ok || !strings.Contains(msg, "(esbuild keepNames") {
		return msg
	}
	return genericKeepNames.ReplaceAllLiteralString(msg, "("+fix.Option+")")
}
