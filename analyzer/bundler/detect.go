package bundler

import (
	"regexp"
	"strings"
)

// Info is what produced a bundle: the bundler and the minifier, as far as
// the bundle's text and its source map's sources tell. Empty fields are
// unknown; nothing is guessed from a single weak sign.
type Info struct {
	Bundler  Tool   `json:"bundler,omitempty"`
	Minifier string `json:"minifier,omitempty"` // "oxc", "esbuild", "terser", "swc"
}

// backtickString is a template literal with no substitution used where any
// quote would do (`ConfigError`): Oxc's printer writes strings that way, no
// other minifier does.
var backtickString = regexp.MustCompile("[=(,:]`[A-Za-z0-9_ .-]{1,40}`[,;)}]")

// Detect recognises the bundler and minifier of a bundle from its text and
// the sources of its source map (nil without a map). Signs, measured on
// real builds of fixtures/plugins/app:
//
//   - webpack and Rspack: sources under webpack://, or the runtime's
//     __webpack_require__ / webpackChunk; Rspack's runtime says
//     "bundler=rspack@" (ruid) and SWC minifies it (let r=class X when
//     names are kept), webpack's terser;
//   - Vite 8 and Rolldown: Oxc prints plain strings in backticks;
//   - esbuild: its helpers (__defProp, __name, __commonJS, __toESM);
//   - Bun: the "// @bun" header of its output.
func Detect(src string, sources []string) Info {
	head := src
	if len(head) > 1<<20 {
		head = head[:1<<20]
	}
	webpackSources := false
	for _, s := range sources {
		if strings.HasPrefix(s, "webpack://") {
			webpackSources = true
			break
		}
	}
	switch {
	case strings.HasPrefix(src, "// @bun"):
		return Info{Bundler: Bun, Minifier: "bun"}
	case strings.Contains(head, "bundler=rspack@") || strings.Contains(head, "rspackChunk") || strings.Contains(head, "__rspack_"):
		return Info{Bundler: Rspack, Minifier: "swc"}
	case webpackSources || strings.Contains(head, "__webpack_require__") || strings.Contains(head, "webpackChunk"):
		// webpack and Rspack emit the same runtime: without Rspack's
		// marker the project's configuration file decides (FindProject).
		return Info{Bundler: Webpack}
	case len(backtickString.FindAllStringIndex(head, 3)) >= 1 && !strings.Contains(head, "\"use strict\""):
		return Info{Bundler: Vite, Minifier: "oxc"}
	case strings.Contains(head, "__defProp") || strings.Contains(head, "__commonJS(") || strings.Contains(head, "__toESM("):
		return Info{Bundler: Esbuild, Minifier: "esbuild"}
	}
	return Info{}
}

// Refine settles what Detect left open with the project's configuration
// file: webpack's runtime built by Rspack, Vite's output when the bundle
// shows only Oxc. The bundle's own signs win over the file.
func Refine(i Info, p Project) Info {
	switch {
	case i.Bundler == "" && p.Tool != "":
		i.Bundler = p.Tool
	case i.Bundler == Webpack && p.Tool == Rspack:
		i.Bundler, i.Minifier = Rspack, "swc"
	case i.Bundler == Vite && p.Tool == Rolldown:
		i.Bundler = Rolldown
	}
	if i.Bundler == Webpack && i.Minifier == "" {
		i.Minifier = "terser"
	}
	return i
}
