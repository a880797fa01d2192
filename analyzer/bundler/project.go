// Package bundler recognises which bundler and minifier produced a bundle,
// from the project's configuration file, the bundle's runtime code and its
// source map, and says, for that tool, how to turn source maps on and how
// to keep names, as a snippet for the file the project has.
//
// Messages, explain and suggest ask it; nothing here reads the bundle's
// syntax tree, so detection costs a few substring searches per file.
package bundler

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
)

// Tool is a bundler (or a minifier run on its own) that a project builds
// with. The zero value is unknown.
type Tool string

const (
	Unknown  Tool = ""
	Vite     Tool = "vite"     // Vite 8: Rolldown bundles, Oxc minifies
	Rolldown Tool = "rolldown" // Rolldown on its own, Oxc minifier
	Rollup   Tool = "rollup"
	Webpack  Tool = "webpack"
	Rspack   Tool = "rspack"
	Esbuild  Tool = "esbuild"
	Bun      Tool = "bun"
)

// Name is how people write the tool's name.
func (t Tool) Name() string {
	switch t {
	case Vite:
		return "Vite"
	case Rolldown:
		return "Rolldown"
	case Rollup:
		return "Rollup"
	case Webpack:
		return "webpack"
	case Rspack:
		return "Rspack"
	case Esbuild:
		return "esbuild"
	case Bun:
		return "Bun"
	}
	return "your bundler"
}

// configFiles are the configuration files each bundler reads, in the order
// they are looked for (a project with both a vite.config and a
// webpack.config is rare; Vite wins as the one new projects get).
var configFiles = []struct {
	tool  Tool
	names []string
}{
	{Vite, []string{"vite.config.ts", "vite.config.js", "vite.config.mts", "vite.config.mjs", "vite.config.cts", "vite.config.cjs"}},
	{Rspack, []string{"rspack.config.ts", "rspack.config.js", "rspack.config.mjs", "rspack.config.cjs", "rsbuild.config.ts", "rsbuild.config.js", "rsbuild.config.mjs"}},
	{Webpack, []string{"webpack.config.ts", "webpack.config.js", "webpack.config.mjs", "webpack.config.cjs"}},
	{Rolldown, []string{"rolldown.config.ts", "rolldown.config.js", "rolldown.config.mjs"}},
	{Rollup, []string{"rollup.config.ts", "rollup.config.js", "rollup.config.mjs", "rollup.config.cjs"}},
	{Bun, []string{"bunfig.toml", "bun.lock", "bun.lockb"}},
	{Esbuild, []string{"esbuild.config.js", "esbuild.config.mjs", "esbuild.mjs", "build.mjs"}},
}

// Project is the bundler configuration found for a bundle.
type Project struct {
	Tool Tool
	// Config is the path of the configuration file found, "" when the
	// tool was recognised from the bundle alone.
	Config string
}

// FindProject looks for a bundler configuration file in dir and its parents,
// up to and including the first directory with a package.json (the
// project's root) or the filesystem root. A build script named for no
// tool (genericScript, the weakest sign, tried last) counts for esbuild
// only when the project's package.json depends on esbuild and on no other
// bundler or minifier: a script that runs esbuild and then terser says
// nothing certain about the bundle.
func FindProject(dir string) Project {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Project{}
	}
	script := ""
	for {
		for _, cf := range configFiles {
			for _, n := range cf.names {
				p := filepath.Join(dir, n)
				if script != "" || !isFile(p) {
					continue
				}
				if n == genericScript {
					script = p
					continue
				}
				return Project{Tool: cf.tool, Config: p}
			}
		}
		if pkg := filepath.Join(dir, "package.json"); isFile(pkg) {
			if script != "" && onlyEsbuild(pkg) {
				return Project{Tool: Esbuild, Config: script}
			}
			return Project{}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return Project{}
		}
		dir = parent
	}
}

// genericScript is the build script name configFiles lists for esbuild,
// which any tool's script may have.
const genericScript = "build.mjs"

// otherTools are the npm packages of bundlers and minifiers other than
// esbuild (and the wrappers that bring one).
var otherTools = []string{
	"terser", "uglify-js", "@swc/core", "@swc/cli", "rollup", "@rollup/plugin-terser",
	"webpack", "terser-webpack-plugin", "@rspack/core", "@rsbuild/core", "vite",
	"rolldown", "parcel", "bun", "oxc-minify", "babel-minify", "google-closure-compiler",
}

// onlyEsbuild reports whether the package.json at path depends on esbuild
// and on none of otherTools (dependencies and devDependencies). A file
// over 1 MiB or that is not JSON says nothing.
func onlyEsbuild(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var pkg struct {
		Dependencies    map[string]any `json:"dependencies"`
		DevDependencies map[string]any `json:"devDependencies"`
	}
	if json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&pkg) != nil {
		return false
	}
	has := func(name string) bool {
		_, dep := pkg.Dependencies[name]
		_, dev := pkg.DevDependencies[name]
		return dep || dev
	}
	if !has("esbuild") {
		return false
	}
	for _, t := range otherTools {
		if has(t) {
			return false
		}
	}
	return true
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// MapHint is one line saying how to build t with source maps.
func MapHint(t Tool, config string) string {
	where := config
	if where == "" {
		where = defaultConfig(t)
	}
	switch t {
	case Vite:
		return "set build.sourcemap: true (or 'hidden') in " + where
	case Rolldown, Rollup:
		return "set output.sourcemap: true (or 'hidden') in " + where
	case Webpack, Rspack:
		return "set devtool: 'source-map' (or 'hidden-source-map') in " + where
	case Esbuild:
		return "pass --sourcemap (or sourcemap: true to esbuild.build)"
	case Bun:
		return "pass --sourcemap=linked (or sourcemap: 'linked' to Bun.build)"
	}
	return "build with source maps: build.sourcemap in Vite, devtool: 'source-map' in webpack and Rspack, output.sourcemap in Rollup, --sourcemap in esbuild and Bun"
}

// defaultConfig is the file a project of t would have.
func defaultConfig(t Tool) string {
	switch t {
	case Vite:
		return "vite.config.js"
	case Rolldown:
		return "rolldown.config.js"
	case Rollup:
		return "rollup.config.js"
	case Webpack:
		return "webpack.config.js"
	case Rspack:
		return "rspack.config.js"
	}
	return ""
}
