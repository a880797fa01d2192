package parse

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// identifiers lists the identifiers of prg with their offsets in the text.
func identifiers(prg *ast.Program) (names []string, offs []int) {
	walk.Inspect(prg, func(n ast.Node) bool {
		if id, ok := n.(*ast.Identifier); ok {
			names = append(names, id.Name.String())
			offs = append(offs, Offset(id.Idx))
		}
		return true
	})
	return names, offs
}

func TestOffset(t *testing.T) {
	src := "  foo\n\tbar.baz"
	res, err := Parse("o.js", src)
	if err != nil {
		t.Fatal(err)
	}
	names, offs := identifiers(res.Program)
	if len(names) != 3 {
		t.Fatalf("identifiers %q", names)
	}
	for i, name := range names {
		if got := src[offs[i] : offs[i]+len(name)]; got != name {
			t.Errorf("Offset of %q = %d, which holds %q", name, offs[i], got)
		}
	}
}

func TestParseScript(t *testing.T) {
	src := "var a = 1; function f(){ return a / 2 / 1 }\n//# sourceMappingURL=does-not-exist.js.map\n"
	res, err := Parse("script.js", src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != src || res.Module != nil || res.Remap != nil || res.Fallback || len(res.Program.Body) != 2 {
		t.Errorf("script result %+v", res)
	}
}

// buildESM bundles files (entry first) into one ES module with esbuild.
func buildESM(t testing.TB, files map[string]string, entry string, minify bool) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     dir,
		EntryPoints:       []string{entry},
		Bundle:            true,
		Format:            api.FormatESModule,
		MinifyWhitespace:  minify,
		MinifyIdentifiers: minify,
		MinifySyntax:      minify,
		Outfile:           "out.js",
		Write:             false,
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 || len(res.OutputFiles) != 1 {
		t.Fatalf("esbuild: %v", res.Errors)
	}
	return string(res.OutputFiles[0].Contents)
}

var appFiles = map[string]string{
	"entry.js": `
import { Store, describe } from "./store.js";
export class App extends Store {
	static create(n) { return new App(n) }
	report() { return describe(this) + ` + "`${this.name}/${App.name}`" + ` }
}
export function start(n) { const app = App.create(n); if (app.constructor.name !== "App") throw new Error("renamed"); return app }
export const lazy = (name) => import(name);
export default function () { return start("main") }
`,
	"store.js": `
export class Store { constructor(name) { this.name = name; this.re = /^(?:a|b)\/\d+$/ } }
export function describe(s) { return s.constructor.name }
`,
}

func TestParseModule(t *testing.T) {
	for _, minify := range []bool{false, true} {
		src := buildESM(t, appFiles, "entry.js", minify)
		res, err := Parse("app.js", src)
		if err != nil {
			t.Fatal(err)
		}
		if res.Fallback || res.Remap != nil || res.Module == nil || len(res.Text) != len(src) {
			t.Fatalf("minify=%v: want the same-length fast path, got %+v", minify, res)
		}
		if len(res.Module.Exports) != 4 || len(res.Module.DynamicImports) != 1 {
			t.Errorf("minify=%v: module %+v", minify, res.Module)
		}
		names, offs := identifiers(res.Program)
		for i, name := range names {
			if src[offs[i]:offs[i]+len(name)] != name && name != res.Module.DefaultVar &&
				!strings.HasPrefix(res.Text[offs[i]:], "_$") {
				t.Errorf("minify=%v: identifier %q at %d: bundle has %q", minify, name, offs[i], src[offs[i]:offs[i]+len(name)])
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		src             string
		line, col       int
		msg             string
		fallbackMention bool
	}{
		{"var a = ;", 1, 9, "Unexpected token ;", true},
		{"var a = 1;\r\nvar b = 2;\nvar = 3", 3, 5, "Unexpected token =", true},
		{"import a from 'x';\nexport { a };\nfunction (", 3, 10, "Unexpected token (", true},
		{"x = 1;\u2028 y = ;", 2, 6, "Unexpected token ;", true},
		{"import {a from 'x'", 1, 11, "malformed import specifier", true},
	} {
		_, err := Parse("bad.js", c.src)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want *Error", c.src, err)
			continue
		}
		if e.Path != "bad.js" || e.Line != c.line || e.Col != c.col || !strings.HasPrefix(e.Msg, c.msg) ||
			strings.Contains(e.Msg, "esbuild fallback") != c.fallbackMention {
			t.Errorf("Parse(%q) = %#v, want bad.js:%d:%d: %s…", c.src, e, c.line, c.col, c.msg)
		}
		if want := "bad.js:"; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Parse(%q): message %q does not name the file", c.src, err)
		}
		if e.Offset >= 0 {
			if line, col := position(c.src, e.Offset); line != e.Line || col != e.Col {
				t.Errorf("Parse(%q): offset %d is %d:%d, error says %d:%d", c.src, e.Offset, line, col, e.Line, e.Col)
			}
		}
	}
}

func TestParseTooDeep(t *testing.T) {
	const n = 100000
	for name, src := range map[string]string{
		"parens":    strings.Repeat("(", n) + "a" + strings.Repeat(")", n),
		"brackets":  strings.Repeat("[", n) + strings.Repeat("]", n),
		"functions": strings.Repeat("function f(){", n) + strings.Repeat("}", n),
		"templates": strings.Repeat("`${", n) + strings.Repeat("}`", n),
		"objects":   "x=" + strings.Repeat("{a:", n) + "1" + strings.Repeat("}", n),
		"not":       strings.Repeat("!", 10*n) + "a",
		"assign":    strings.Repeat("a=", 10*n) + "1",
		"ternary":   strings.Repeat("a?b:", 10*n) + "1",
		"arrows":    strings.Repeat("a=>", 10*n) + "1",
		"esm":       "export default " + strings.Repeat("(", n) + "a" + strings.Repeat(")", n),
	} {
		_, err := Parse(name+".js", src)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, esm.ErrTooDeep) || e.Line != 1 || e.Col < 2 {
			t.Errorf("%s: Parse = %v, want a nesting error", name, err)
		}
	}
	// Brackets in strings, comments, templates and regexes do not nest.
	deep := strings.Repeat("(", n)
	src := "var s = '" + deep + "', t = `" + deep + "`, r = /\\" + strings.Repeat("(\\", n/2) + "(/; /* " + deep + " */ // " + deep + "\n"
	if _, err := Parse("flat.js", src); err != nil {
		t.Errorf("flat.js: %v", err)
	}
}

func TestParseScriptAwait(t *testing.T) {
	// In a script await can be a variable; Lower reads `await++` as the
	// operator, goja rejects `void ++`, and Parse retries the script as is.
	src := "var await = 1; await++;"
	res, err := Parse("await.js", src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != src || res.Module != nil || res.Fallback {
		t.Errorf("want the script parsed as is, got %+v", res)
	}
}

func TestParseFallback(t *testing.T) {
	// goja rejects HTML-like comments and legacy 08.5; esbuild's rewrite
	// drops the one and normalizes the other.
	fallbackParse(t, "legacy.js", "var a = 1; <!-- legacy comment\nvar b = a + 08.5;\nfunction usesB() { return b }\n", "usesB")
}

// fallbackParse parses src, which only the fallback parses, and checks
// that every occurrence of the names want that the rewrite maps maps back
// to the same name in src, and that each is found.
func fallbackParse(t *testing.T, path, src string, want ...string) *Result {
	t.Helper()
	res, err := Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Fallback || res.Remap == nil || res.Module != nil {
		t.Fatalf("want the fallback, got %+v", res)
	}
	names, offs := identifiers(res.Program)
	for _, w := range want {
		found := false
		for i, name := range names {
			if name != w {
				continue
			}
			o, ok := res.Remap(offs[i])
			if !ok {
				continue
			}
			found = true
			if !strings.HasPrefix(src[o:], name) {
				t.Errorf("%q at %d in Text maps to %d: %q", name, offs[i], o, src[o:min(len(src), o+10)])
			}
		}
		if !found {
			t.Errorf("%s does not map back (identifiers %q)", w, names)
		}
	}
	return res
}

// goja rejects class fields named get or set with an initializer
// (Effect's optics: class{checks;get;set=K}); the fallback quotes each key
// it stops at, and identifiers after the quoted keys still map back to
// themselves.
func TestParseAccessorNamedFields(t *testing.T) {
	src := "var K=1,VS=class{checks;get;set=K;static get=2;constructor(t){this.checks=t}},W=class{set=3;get=4;afterSet(){return VS}};var offset=5;\n"
	res := fallbackParse(t, "optics.js", src, "K", "VS", "W", "t", "offset")
	if n := strings.Count(res.Text, `"get"`) + strings.Count(res.Text, `"set"`); n != 4 {
		t.Errorf("%d keys quoted, want 4:\n%s", n, res.Text)
	}
}

// goja rejects an async generator method of an object literal (the AWS
// SDK's { async *[Symbol.asyncIterator]() {…} }); the fallback's second
// rewrite lowers async generators, and the code after it still maps back.
func TestParseAsyncGeneratorMethod(t *testing.T) {
	fallbackParse(t, "stream.js", "var stream={async*[Symbol.asyncIterator](){yield 1}},after=function named(){return stream};\n", "after", "stream")
}

// TestFallbackRemap forces the fallback on ES module bundles and checks
// that identifiers map back to the same name in the bundle.
func TestFallbackRemap(t *testing.T) {
	// Non-ASCII before the code checks that columns count UTF-16 units.
	const header = "/* ünïcödé ✓ 😀 */\n"
	for _, minify := range []bool{false, true} {
		src := header + buildESM(t, appFiles, "entry.js", minify)
		res, err := fallback("app.js", src)
		if err != nil {
			t.Fatal(err)
		}
		names, offs := identifiers(res.Program)
		// esbuild's CommonJS wrapper (__export, app_exports, module.exports)
		// is mapped to the start of the file; the bundle's own code maps
		// back to itself. The transform renames names that would collide
		// (a parameter r becomes r2 next to a class r) and turns import(r)
		// into Promise.resolve().then(() => __toESM(require(r))).
		rewrite := map[string]bool{"Promise": true, "resolve": true, "then": true, "__toESM": true, "require": true}
		own, same := 0, 0
		sameName := map[string]bool{}
		for i, name := range names {
			o, ok := res.Remap(offs[i])
			if o < 0 || o > len(src) {
				t.Fatalf("Remap(%d) = %d, outside the bundle", offs[i], o)
			}
			if !ok || o < len(header) || rewrite[name] {
				continue
			}
			own++
			if strings.HasPrefix(src[o:], strings.TrimRight(name, "0123456789")) {
				same++
				sameName[name] = true
			} else {
				t.Errorf("minify=%v: %q at %d maps to %d: %q", minify, name, offs[i], o, src[o:min(len(src), o+20)])
			}
		}
		if own < 30 {
			t.Errorf("minify=%v: %d identifiers, %d in the bundle's code, %d map to the same name", minify, len(names), own, same)
		}
		if !minify {
			for _, want := range []string{"start", "describe", "App", "Store", "create", "constructor"} {
				if !sameName[want] {
					t.Errorf("no %s maps back to itself", want)
				}
			}
		}
	}
}

func TestPosition(t *testing.T) {
	src := "a\r\nb\rc\u2028d\ne"
	for off, want := range map[int][2]int{0: {1, 1}, 1: {1, 2}, 3: {2, 1}, 5: {3, 1}, 6: {3, 2}, 9: {4, 1}, 11: {5, 1}, len(src): {5, 2}} {
		if line, col := position(src, off); line != want[0] || col != want[1] {
			t.Errorf("position(%d) = %d:%d, want %d:%d", off, line, col, want[0], want[1])
		}
		if got := offsetOf(src, want[0], want[1]); got != off {
			t.Errorf("offsetOf(%d:%d) = %d, want %d", want[0], want[1], got, off)
		}
	}
}

// TestParseConcurrent runs Parse and Remap from many goroutines (for -race):
// Parse keeps no state between calls.
func TestParseConcurrent(t *testing.T) {
	inputs := []string{
		buildESM(t, appFiles, "entry.js", true),
		"var a = 1; <!-- legacy\nfunction f(){ return a }",
		"import x from 'y'; export default x + await 1;",
		"var = ;",
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func(g int) {
			src := inputs[g%len(inputs)]
			res, err := Parse("c.js", src)
			if err == nil && res.Remap != nil {
				for i := range res.Text {
					res.Remap(i)
				}
			}
			if (err != nil) != (g%len(inputs) == 3) {
				done <- fmt.Errorf("input %d: %v", g%len(inputs), err)
				return
			}
			done <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// goja panics on the escape of the largest code point (ExcelJS bundles
// saxes: "\u{10000}-\u{10FFFF}"); the retry rewrites it in place, so the
// text and every offset stay the bundle's.
func TestParseMaxCodePointEscape(t *testing.T) {
	src := "var CHAR = `\t\n\\r -\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}`, S = \"\\u{0010ffff}\", T = \"\\\\u{10FFFF}\";\nfunction after() {}\n"
	res, err := Parse("saxes.js", src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != src || res.Fallback {
		t.Errorf("text or fallback changed: %+v", res)
	}
	names, offs := identifiers(res.Program)
	want := strings.Index(src, "after")
	if i := slices.Index(names, "after"); i < 0 || offs[i] != want {
		t.Errorf("after at %v in %q, want %d", offs, names, want)
	}
	for _, c := range []struct{ in, out string }{
		{`"\u{10FFFF}"`, `"\u{10FFFE}"`},
		{`"\u{00010ffff}"`, `"\u{00010fffE}"`},
		{`"\\u{10FFFF}"`, `"\\u{10FFFF}"`}, // a backslash, then text
		{`"\\\u{10FFFF}"`, `"\\\u{10FFFE}"`},
		{`"\u{10FFFF0}"`, `"\u{10FFFF0}"`},
		{`"\u{10FFFF`, `"\u{10FFFF`},
	} {
		b := []byte(c.in)
		found := avoidMaxRuneEscapes(b)
		if string(b) != c.out || found != (c.in != c.out) {
			t.Errorf("%s: %s (found %v), want %s", c.in, b, found, c.out)
		}
	}
}
