package bundler

import (
	"path/filepath"
	"regexp"
	"strings"
)

// Info is what produced a bundle: the bundler and the minifier, as far as
// the bundle's text and its source map's sources tell. Empty fields are
// unknown; nothing is guessed from a single weak sign.
type Info struct {
	Bundler  Tool   `json:"bundler,omitempty"`
	Minifier string `json:"minifier,omitempty"` // "oxc", "esbuild", "terser", "swc"
	// Sign is what the detection rests on, in a few words for the report
	// ("webpack's runtime", "vite.config.ts").
	Sign string `json:"sign,omitempty"`
	// Confidence is how sure the detection is.
	Confidence Confidence `json:"confidence,omitempty"`
}

// Confidence says how much a detection can be trusted.
type Confidence string

const (
	// Certain: a mark only that tool leaves (its runtime, a header, its
	// map's sources), or two independent signs that agree.
	Certain Confidence = "certain"
	// Likely: a habit of the tool's printer, or only the project's
	// configuration file (the bundle may come from another build).
	Likely Confidence = "likely"
)

// String names the bundler and its minifier the way their users do:
// "Vite 8 (Rolldown + Oxc)", "webpack (terser)", "Rspack (SWC)"; "" when
// unknown.
func (i Info) String() string {
	if i.Bundler == "" {
		return ""
	}
	name := i.Bundler.Name()
	switch {
	case i.Bundler == Vite && i.Minifier == "oxc":
		return "Vite 8 (Rolldown + Oxc)"
	case i.Minifier == "" || strings.EqualFold(i.Minifier, string(i.Bundler)):
		return name
	}
	return name + " (" + minifierName(i.Minifier) + ")"
}

// minifierName is how people write a minifier's name.
func minifierName(m string) string {
	switch m {
	case "oxc":
		return "Oxc"
	case "swc":
		return "SWC"
	}
	return m
}

// bunDebugID is the debug ID comment Bun writes after a bundle with a
// linked map: 16 hex digits of hash, then a fixed 64756E2164756E21 (all
// 23 bun 1.4.5 outputs of the minifier matrix).
var bunDebugID = regexp.MustCompile(`(?m)^//# debugId=[0-9A-F]{16}64756E2164756E21$`)

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
//   - Bun: the "// @bun" header of its output (target bun), or the
//     debug ID it writes after a bundle with a linked map.
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
	tail := src
	if len(tail) > 4096 {
		tail = tail[len(tail)-4096:]
	}
	switch {
	case strings.HasPrefix(src, "// @bun"):
		return Info{Bundler: Bun, Minifier: "bun", Sign: "its // @bun header", Confidence: Certain}
	case bunDebugID.MatchString(tail):
		return Info{Bundler: Bun, Minifier: "bun", Sign: "Bun's debugId comment", Confidence: Certain}
	case strings.Contains(head, "bundler=rspack@") || strings.Contains(head, "rspackChunk") || strings.Contains(head, "__rspack_"):
		return Info{Bundler: Rspack, Minifier: "swc", Sign: "Rspack's runtime", Confidence: Certain}
	case webpackSources:
		// webpack and Rspack emit the same runtime: without Rspack's
		// marker the project's configuration file decides (FindProject).
		return Info{Bundler: Webpack, Sign: "webpack:// sources in its map", Confidence: Certain}
	case strings.Contains(head, "__webpack_require__") || strings.Contains(head, "webpackChunk"):
		return Info{Bundler: Webpack, Sign: "webpack's runtime", Confidence: Certain}
	case len(backtickString.FindAllStringIndex(head, 3)) >= 1 && !strings.Contains(head, "\"use strict\""):
		return Info{Bundler: Vite, Minifier: "oxc", Sign: "Oxc's backtick strings", Confidence: Likely}
	case strings.Contains(head, "__defProp") || strings.Contains(head, "__commonJS(") || strings.Contains(head, "__toESM("):
		return Info{Bundler: Esbuild, Minifier: "esbuild", Sign: "esbuild's helpers", Confidence: Certain}
	}
	return Info{}
}

// Refine settles what Detect left open with the project's configuration
// file: webpack's runtime built by Rspack, Vite's output when the bundle
// shows only Oxc. The bundle's own signs win over the file.
func Refine(i Info, p Project) Info {
	config := filepath.Base(p.Config)
	switch {
	case i.Bundler == "" && p.Tool != "":
		i.Bundler = p.Tool
		i.Sign, i.Confidence = config, Likely
		if p.Config == "" {
			i.Sign = ""
		}
	case i.Bundler == Webpack && p.Tool == Rspack:
		// Rspack's runtime without its marker: the file tells them apart.
		i.Bundler, i.Minifier = Rspack, "swc"
		i.Sign, i.Confidence = i.Sign+" and "+config, Likely
	case i.Bundler == Vite && p.Tool == Rolldown:
		i.Bundler = Rolldown
		i.Sign, i.Confidence = i.Sign+" and "+config, Certain
	case i.Bundler != "" && p.Tool == i.Bundler && p.Config != "":
		// The bundle and the project's file agree.
		i.Sign, i.Confidence = i.Sign+" and "+config, Certain
	}
	// The minifier each runs unless configured otherwise.
	switch {
	case i.Bundler == Webpack && i.Minifier == "":
		i.Minifier = "terser"
	case i.Bundler == Rspack && i.Minifier == "":
		i.Minifier = "swc"
	}
	return i
}
