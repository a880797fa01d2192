package rules

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

var identRE = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// identifierLike reports whether a string could be a function or class
// name that a minifier would rename.
func identifierLike(s string) bool { return identRE.MatchString(s) }

// capitalised reports whether s starts with a capital letter, as class
// names do.
func capitalised(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// builtins are constructor and function names of the platform: minifiers
// never rename them, so comparing .name with them works (lodash, Vue and
// others check x.constructor.name === "Object").
var builtins = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`Object Function Array Number parseFloat parseInt Infinity NaN
		Boolean String Symbol Date Promise RegExp Error AggregateError EvalError RangeError
		ReferenceError SyntaxError TypeError URIError InternalError globalThis JSON Math Intl
		ArrayBuffer SharedArrayBuffer Atomics Uint8Array Int8Array Uint16Array Int16Array
		Uint32Array Int32Array Float16Array Float32Array Float64Array Uint8ClampedArray
		BigUint64Array BigInt64Array DataView Map BigInt Set WeakMap WeakSet WeakRef
		FinalizationRegistry Proxy Reflect AsyncFunction GeneratorFunction AsyncGeneratorFunction
		Generator AsyncGenerator Iterator AsyncIterator Arguments Buffer Blob File FileList
		FormData Headers Request Response URL URLSearchParams Event EventTarget CustomEvent
		Element HTMLElement Node Text Document DocumentFragment Window Worker MessagePort
		ReadableStream WritableStream TransformStream AbortController AbortSignal
		TextEncoder TextDecoder Image ImageData ImageBitmap OffscreenCanvas CanvasRenderingContext2D
		WebGLRenderingContext WebGL2RenderingContext HTMLCanvasElement HTMLImageElement
		HTMLVideoElement XMLHttpRequest WebSocket Audio AudioContext MediaStream Storage
		DOMException NodeList HTMLCollection SVGElement ShadowRoot MutationObserver
		ResizeObserver IntersectionObserver Performance Location Navigator History Crypto
		CryptoKey Uint8ClampedArray Module Process Stream EventEmitter Readable Writable
		Attr CharacterData Comment CDATASection ProcessingInstruction DocumentType XMLDocument
		HTMLDocument NamedNodeMap DOMTokenList DOMStringMap CSSStyleDeclaration CSSStyleSheet
		StyleSheet CSSRule DOMRect DOMRectReadOnly DOMPoint DOMMatrix Range Selection
		TreeWalker NodeIterator StaticRange UIEvent KeyboardEvent MouseEvent PointerEvent
		TouchEvent FocusEvent InputEvent WheelEvent ErrorEvent MessageEvent ProgressEvent
		ClipboardEvent DragEvent AnimationEvent TransitionEvent SubmitEvent StorageEvent
		PopStateEvent HashChangeEvent Touch TouchList DataTransfer MessageChannel
		BroadcastChannel SharedWorker ServiceWorker Notification Screen VisualViewport
		CanvasPattern CanvasGradient Path2D TextMetrics MediaQueryList FileReader DOMParser
		XMLSerializer XPathResult IDBDatabase IDBRequest IDBTransaction IDBObjectStore
		Cache CacheStorage
		Duplex Transform Socket Server IncomingMessage ServerResponse ClientRequest Agent
		anonymous bound default constructor
		addEventListener removeEventListener dispatchEvent postMessage requestAnimationFrame
		cancelAnimationFrame setTimeout clearTimeout setInterval clearInterval queueMicrotask
		fetch alert confirm prompt open close print focus blur scroll scrollTo getComputedStyle
		matchMedia atob btoa structuredClone requestIdleCallback localStorage sessionStorage
		indexedDB crypto performance navigator location history document console
		self importScripts require isNaN isFinite encodeURI decodeURI encodeURIComponent
		decodeURIComponent escape unescape`) {
		m[s] = true
	}
	return m
}()

// elementClassRE matches the names of the DOM's element classes
// (HTMLDivElement, SVGPathElement, MathMLElement): pretty-format tests a
// node's constructor name against them.
var elementClassRE = regexp.MustCompile(`^(?:HTML|SVG|MathML)[A-Za-z]*Element$`)

// platformName reports a name of the platform's (builtins, the DOM's
// element classes): no minifier renames it.
func platformName(s string) bool { return builtins[s] || elementClassRE.MatchString(s) }

// keepNamesFix is the fix line shared by the name rules.
const keepNamesFix = `esbuild: keepNames: true (--keep-names)
Vite 8 (Rolldown bundles, Oxc minifies): build.rolldownOptions.output.keepNames: true; Rolldown: output.keepNames
terser: keep_classnames / keep_fnames (a RegExp of just the names relied on), or mangle.reserved
swc: jsc.minify keep_classnames / keep_fnames (compress and mangle); Rspack: in SwcJsMinimizerRspackPlugin's minimizerOptions
uglify-js: keep_fnames (and mangle.reserved)
Bun: --keep-names
code: give the class an explicit static name = "X", or compare by reference (instanceof) instead of by name`

// renames lists functions as `UserService → "r"` pairs, sorted.
func renames(fns []*names.Func) string {
	var parts []string
	seen := map[string]bool{}
	for _, fn := range fns {
		p := fmt.Sprintf("%s %s → %q", fn.Kind(), fn.SourceName(), fn.Runtime)
		if fn.Runtime == "" {
			p = fmt.Sprintf("%s %s → anonymous (\"\")", fn.Kind(), fn.SourceName())
		}
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p)
		}
	}
	sort.Strings(parts)
	if len(parts) > 4 {
		parts = append(parts[:4], fmt.Sprintf("and %d more", len(parts)-4))
	}
	return strings.Join(parts, ", ")
}

// collisions groups mangled functions by the runtime name they share and
// describes the groups with more than one member.
func collisions(fns []*names.Func) string {
	groups := map[string][]string{}
	for _, fn := range fns {
		if fn.OriginalKnown {
			groups[fn.Runtime] = appendUnique(groups[fn.Runtime], fn.SourceName())
		}
	}
	var out []string
	for rt, origs := range groups {
		if len(origs) > 1 {
			sort.Strings(origs)
			out = append(out, fmt.Sprintf("%s are all named %s", strings.Join(origs, ", "), runtimeName(rt)))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// runtimeNames describes what functions are called at runtime when the map
// cannot say what they were called before: `the class is named "t"`, or
// `the classes it can be are named "e", "n", "s"`.
func runtimeNames(fns []*names.Func) string {
	var rt []string
	kind := fns[0].Kind()
	for _, fn := range fns {
		rt = appendUnique(rt, runtimeName(fn.Runtime))
		if fn.Kind() != kind {
			kind = "function or class"
		}
	}
	plural := map[string]string{"class": "classes", "function": "functions", "arrow function": "arrow functions"}[kind]
	if plural == "" {
		plural = "functions and classes"
	}
	if len(rt) == 1 {
		if n := len(distinctFuncs(fns)); n > 1 {
			return fmt.Sprintf("the %d %s it can be are all named %s at runtime", n, plural, rt[0])
		}
		return fmt.Sprintf("the %s is named %s at runtime", kind, rt[0])
	}
	if len(rt) > 5 {
		rt = append(rt[:5], "…")
	}
	return fmt.Sprintf("the %s it can be are named %s at runtime", plural, strings.Join(rt, ", "))
}

// runtimeName quotes a runtime name for a message; "" is the name of a
// function or class the minifier inlined as an anonymous expression, and
// says so.
func runtimeName(s string) string {
	if s == "" {
		return `"" (anonymous)`
	}
	return strconv.Quote(s)
}

// isCalleeRead reports reads through arguments.callee, fn.caller and
// new.target, which the callee-name rule owns.
func isCalleeRead(r *names.Read) bool {
	switch r.Kind {
	case names.RecvCallee, names.RecvCaller, names.RecvNewTarget:
		return true
	}
	return false
}

// certainlyMangled returns the candidates of a read that are mangled, when
// the read's candidates are known; nil when they are unknown or none is.
func certainlyMangled(nf *names.Facts, r *names.Read) []*names.Func {
	var bad []*names.Func
	for _, fn := range r.Candidates {
		if nf.Mangled(fn) {
			bad = append(bad, fn)
		}
	}
	return bad
}

// describeMangled says what the minifier did to fns: with a map the
// renames, without one their runtime names.
func describeMangled(nf *names.Facts, fns []*names.Func) string {
	if nf.HasMap && fns[0].OriginalKnown {
		return renamer(nf) + " renamed " + renames(fns)
	}
	return "in this minified bundle " + runtimeNames(fns)
}

// renamer names who renamed things: the minifier, or in an unminified
// bundle the bundler (esbuild renames colliding names, esbuild#510).
func renamer(nf *names.Facts) string {
	if nf.Minified {
		return "the minifier"
	}
	return "the bundler (it renames names that collide when modules are concatenated)"
}

// passedHere returns, as related places, the calls that pass the classes
// or functions of read r to the parameter it reads the name of (a
// library's register(target), a decorator's target): where the app hands
// them over, which is often not where the name is read (dependency code).
func passedHere(p *analyzer.Pass, r *names.Read) []analyzer.Related {
	var out []analyzer.Related
	for _, n := range p.File.Names.PassedAt(r, 3) {
		out = append(out, analyzer.Related{Pos: startOf(n), Message: "the class or function whose name is read is passed in here: " + p.Text(n, 60)})
	}
	return out
}

// distinctFuncs returns fns without repeats.
func distinctFuncs(fns []*names.Func) []*names.Func {
	var out []*names.Func
	for _, fn := range fns {
		if !slices.Contains(out, fn) {
			out = append(out, fn)
		}
	}
	return out
}
