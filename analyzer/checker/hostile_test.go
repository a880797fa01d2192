package checker_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/rules"
)

// Hostile and broken input: every file gets a result (analyzed, or an
// error or warning that says why not), a bad file never stops the others,
// nothing panics or hangs, and a file that could not be analyzed always
// fails the run (Result.Failed, exit status 2 in the CLI).

// hostileDeadline bounds one run: the inputs are at most a few MB (the
// 50 MB line excepted), which the engine analyzes in seconds; a run still
// going after this long is a hang or a quadratic blow-up.
const hostileDeadline = 3 * time.Minute

// goodBundle is analyzed next to each hostile file: a minified bundle
// with one name-compare finding, at 1:45 (`name` in n.constructor.name).
const goodBundle = `class e{}function t(n){return n.constructor.name==="UserService"}console.log(t(new e));`

// checkAll runs CheckFiles with every rule, failing the test on a hang,
// an engine panic (reported as "internal error") or a rule that panicked.
func checkAll(t *testing.T, files []checker.Source, opts checker.Options) checker.Result {
	t.Helper()
	opts.Rules = rules.All()
	type outcome struct {
		res checker.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := checker.CheckFiles(context.Background(), files, opts)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatalf("CheckFiles: %v", o.err)
		}
		if crash := crasher(o.res); crash != "" {
			t.Fatalf("engine panic: %s", crash)
		}
		return o.res
	case <-time.After(hostileDeadline):
		t.Fatalf("no result after %v", hostileDeadline)
	}
	panic("unreachable")
}

// withGood returns the files of a run: good.js and the hostile one.
func withGood(name string, bundle []byte) []checker.Source {
	return []checker.Source{
		{Path: "dist/good.js", Contents: []byte(goodBundle)},
		{Path: "dist/" + name, Contents: bundle},
	}
}

// fileResult returns the result of path.
func fileResult(t *testing.T, res checker.Result, path string) checker.FileResult {
	t.Helper()
	for _, fr := range res.Files {
		if fr.Path == path {
			return fr
		}
	}
	t.Fatalf("no result for %s in %+v", path, res.Files)
	return checker.FileResult{}
}

// findingsOf returns the findings of rule in path.
func findingsOf(res checker.Result, path, rule string) []analyzer.Finding {
	var out []analyzer.Finding
	for _, f := range res.Findings {
		if f.Bundle.Path == path && f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// goodAnalyzed checks that good.js was analyzed and reported.
func goodAnalyzed(t *testing.T, res checker.Result) {
	t.Helper()
	if fr := fileResult(t, res, "dist/good.js"); fr.Error != nil {
		t.Errorf("good.js not analyzed: %s", *fr.Error)
	}
	fs := findingsOf(res, "dist/good.js", "name-compare")
	if len(fs) != 1 || fs[0].Bundle.Line != 1 || fs[0].Bundle.Column != 45 {
		t.Errorf("good.js findings %+v, want name-compare at 1:45", fs)
	}
}

// wantPosition is the 1-based line and UTF-16 column of byte offset off,
// computed apart from package lines: ECMAScript line terminators, a
// leading BOM takes no column, a byte of invalid UTF-8 takes one.
func wantPosition(src string, off int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < off; {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == '\r' && i+1 < len(src) && src[i+1] == '\n':
			size = 2
			line, col = line+1, 1
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			line, col = line+1, 1
		case i == 0 && r == '\uFEFF':
		case r == utf8.RuneError && size == 1:
			col++
		default:
			col += len(utf16.Encode([]rune{r}))
		}
		i += size
	}
	return line, col
}

// wantParseError checks that path could not be analyzed, that its error
// says so with want, and that a parse-error finding reports it.
func wantParseError(t *testing.T, res checker.Result, path, want string) {
	t.Helper()
	if want == "" {
		t.Fatalf("%s: an empty expectation matches every error: say what the error must contain", path)
	}
	fr := fileResult(t, res, path)
	if fr.Error == nil || !strings.Contains(*fr.Error, want) {
		t.Errorf("%s: error %v, want one containing %q", path, deref(fr.Error), want)
	}
	if !res.Failed() {
		t.Errorf("%s: the run does not fail", path)
	}
	fs := findingsOf(res, path, "parse-error")
	if len(fs) != 1 || fs[0].Severity != analyzer.Error || !strings.Contains(fs[0].Message, want) {
		t.Errorf("%s: parse-error findings %+v, want one error about %q", path, fs, want)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// Odd bytes: each file is analyzed, or reported as unparsable at the
// right place, and good.js is analyzed either way.
func TestHostileBytes(t *testing.T) {
	binary := make([]byte, 4096)
	x := uint32(2463534242)
	for i := range binary {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		binary[i] = byte(x)
	}
	copy(binary, "\x89PNG\r\n\x1a\n")
	for _, c := range []struct {
		name, src string
		// parseError is what the error must say; "" when the file
		// must be analyzed.
		parseError string
		// line and col of the parse error (1-based, UTF-16 columns).
		line, col int
	}{
		{name: "empty.js", src: ""},
		{name: "blank.js", src: " \n\t\r\n\u2028\u2029\uFEFF  "},
		{name: "comments.js", src: "// nothing\n/* at all */\n"},
		{name: "bom.js", src: "\uFEFF" + goodBundle},
		{name: "nul.js", src: "var a=1;\x00\x00\x00", parseError: "Unexpected token ILLEGAL", line: 1, col: 9},
		{name: "binary.js", src: string(binary), parseError: "this is binary data, not JavaScript", line: 1, col: 1},
		{name: "invalid-utf8-string.js", src: `var s="` + "\xff\xfe\xc0" + `";` + goodBundle},
		{name: "invalid-utf8-code.js", src: "var a=1;\n\xff\xfe", parseError: "Invalid UTF-8 character", line: 2, col: 1},
		{name: "truncated-utf8.js", src: "var a=1;//\xe2\x80"},
		{name: "truncated.js", src: goodBundle[:60], parseError: "Unterminated string literal", line: 1, col: 52}, // the unterminated string
		{name: "html.js", src: "<!DOCTYPE html><html><body>404 Not Found</body></html>", parseError: "this is an HTML page, not JavaScript", line: 1, col: 1},
		{name: "crlf-error.js", src: "var a=1;\r\nvar b=2;\r\nvar = 3", parseError: "Unexpected token =", line: 3, col: 5},
		{name: "ls-error.js", src: "var a='é😀';\u2028var = 3", parseError: "Unexpected token =", line: 2, col: 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := checkAll(t, withGood(c.name, []byte(c.src)), checker.Options{})
			goodAnalyzed(t, res)
			path := "dist/" + c.name
			fr := fileResult(t, res, path)
			if c.line == 0 {
				if fr.Error != nil {
					t.Fatalf("not analyzed: %s", *fr.Error)
				}
				if strings.Contains(c.src, "UserService") {
					off := strings.LastIndex(c.src, `.name===`) + 1
					line, col := wantPosition(c.src, off)
					fs := findingsOf(res, path, "name-compare")
					if len(fs) != 1 || fs[0].Bundle.Line != line || fs[0].Bundle.Column != col {
						t.Errorf("findings %+v, want name-compare at %d:%d", fs, line, col)
					}
				}
				return
			}
			wantParseError(t, res, path, c.parseError)
			if fs := findingsOf(res, path, "parse-error"); len(fs) == 1 && (fs[0].Bundle.Line != c.line || fs[0].Bundle.Column != c.col) {
				t.Errorf("parse-error at %d:%d, want %d:%d", fs[0].Bundle.Line, fs[0].Bundle.Column, c.line, c.col)
			}
		})
	}
}

// Columns stay right across every kind of line terminator and non-ASCII
// text: each line has a finding, reported at its own line and UTF-16
// column, with a BOM in front or not.
func TestHostileLineTerminators(t *testing.T) {
	line := func(k int) string {
		// Long and full of short names, so the bundle looks minified.
		return fmt.Sprintf(`var s%d="é😀",a%d=function(n){return n.constructor.name==="Service%d"},b%d=[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15];`, k, k, k, k)
	}
	terms := []string{"\n", "\r\n", "\r", "\u2028", "\u2029"}
	for _, bom := range []string{"", "\uFEFF"} {
		src := bom + line(0)
		for k, term := range terms {
			src += term + line(k+1)
		}
		res := checkAll(t, withGood("terminators.js", []byte(src)), checker.Options{})
		goodAnalyzed(t, res)
		fs := findingsOf(res, "dist/terminators.js", "name-compare")
		if len(fs) != len(terms)+1 {
			t.Fatalf("bom %q: %d findings, want %d: %+v", bom, len(fs), len(terms)+1, fs)
		}
		for k, f := range fs {
			off := strings.Index(src, fmt.Sprintf(`.name==="Service%d"`, k)) + 1
			line, col := wantPosition(src, off)
			if f.Bundle.Line != line || f.Bundle.Column != col || f.Offset != off {
				t.Errorf("bom %q: Service%d reported at %d:%d (offset %d), want %d:%d (offset %d)",
					bom, k, f.Bundle.Line, f.Bundle.Column, f.Offset, line, col, off)
			}
		}
	}
}

// A BOM'd bundle's map counts columns from after the BOM, as browsers do:
// findings on the BOM's line still resolve to the original name.
func TestHostileBOMWithMap(t *testing.T) {
	// `name` of n.constructor.name is at column 44 (0-based) after the
	// BOM: one segment there, to src/app.js 3:10, name "UserService".
	m := `{"version":3,"sources":["src/app.js"],"names":["UserService"],"mappings":"AAAA,4CAEUA"}`
	for _, bom := range []string{"", "\uFEFF"} {
		res := checkAll(t, []checker.Source{{Path: "dist/app.js", Contents: []byte(bom + goodBundle), Map: []byte(m)}}, checker.Options{})
		fs := findingsOf(res, "dist/app.js", "name-compare")
		if len(fs) != 1 || fs[0].Bundle.Column != 45 || fs[0].Original == nil || fs[0].Original.Line != 3 || fs[0].Original.Column != 11 {
			t.Errorf("bom %q: findings %+v, want one at 1:45 from src/app.js:3:11", bom, fs)
			continue
		}
	}
}

// peakMemory samples the Go runtime's total memory while f runs and
// returns the highest value seen, in bytes.
func peakMemory(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return max(peak, read())
}

// A 15 MB bundle on one line, just under the default file limit
// (generated here, not checked in; 8 MB under
// the race detector), minified-looking code with non-ASCII text in the
// middle and a finding at its very end. Nothing is timed: the numbers are
// logged (go test -v -run HostileHugeLine ./analyzer).
func TestHostileHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("15 MB")
	}
	size := 15 << 20
	if raceDetector {
		size = 8 << 20
	}
	var b strings.Builder
	b.Grow(size + 200)
	chunk := strings.Repeat(`e.prototype.update=function(t,n){this.matrix.multiply(t);for(let i=0;i<n.length;i++)`+
		`this.children[i].update(t,n[i].value*2+1,"node");return this};var r={type:"mesh",uuid:s(),visible:!0,scale:[1,1,1]};`, 32)
	for b.Len() < size/2 {
		b.WriteString(chunk)
	}
	b.WriteString(`var s="é😀";`)
	for b.Len() < size {
		b.WriteString(chunk)
	}
	b.WriteString(`function t(n){return n.constructor.name==="UserService"}`)
	src := b.String()
	runtime.GC()
	var res checker.Result
	start := time.Now()
	peak := peakMemory(func() {
		res = checkAll(t, []checker.Source{{Path: "dist/huge.js", Contents: []byte(src)}}, checker.Options{})
	})
	elapsed := time.Since(start)
	t.Logf("%d MB on one line: %v, peak Go memory %d MB (%.1f× the input)%s", len(src)>>20, elapsed.Round(time.Millisecond),
		peak>>20, float64(peak)/float64(len(src)), hwm())
	if fr := fileResult(t, res, "dist/huge.js"); fr.Error != nil {
		t.Fatalf("not analyzed: %s", *fr.Error)
	}
	off := strings.LastIndex(src, `.name===`) + 1
	line, col := wantPosition(src, off)
	fs := findingsOf(res, "dist/huge.js", "name-compare")
	if len(fs) != 1 || fs[0].Bundle.Line != line || fs[0].Bundle.Column != col {
		t.Errorf("findings %+v, want name-compare at %d:%d", fs, line, col)
	}
}

// hwm returns the process's peak resident memory where Linux tells it.
func hwm() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return ", process peak RSS " + strings.TrimSpace(v)
		}
	}
	return ""
}

// nested returns src with n levels of one form of nesting.
func nested(form string, n int) string {
	r := strings.Repeat
	switch form {
	case "parens":
		return "x=" + r("(", n) + "a" + r(")", n)
	case "arrays":
		return "x=" + r("[", n) + r("]", n)
	case "objects":
		return "x=" + r("{a:", n) + "1" + r("}", n)
	case "functions":
		return r("function f(){", n) + r("}", n)
	case "arrows":
		return "x=" + r("a=>", n) + "1"
	case "templates":
		return "x=" + r("`${", n) + "a" + r("}`", n)
	case "blocks":
		return r("{", n) + r("}", n)
	case "ternaries":
		return "x=" + r("a?b:", n) + "c"
	case "nested-ternaries":
		return "x=" + r("a?", n) + "b" + r(":c", n)
	case "unary":
		return "x=" + r("!", n) + "a"
	case "typeof":
		return "x=" + r("typeof ", n) + "a"
	case "new":
		return "x=" + r("new ", n) + "a"
	case "assignments":
		return r("a=", n) + "1"
	case "ifs":
		return r("if(a)", n) + "b;"
	case "binary":
		return "x=" + r("a+", n) + "a"
	case "members":
		return "x=a" + r(".b", n)
	case "calls":
		return "x=a" + r("()", n)
	}
	panic(form)
}

var nestingForms = []string{"parens", "arrays", "objects", "functions", "arrows", "templates", "blocks",
	"ternaries", "nested-ternaries", "unary", "typeof", "new", "assignments", "ifs", "binary", "members", "calls"}

// 100,000-deep nesting of every form is refused with a clear error (a Go
// stack overflow would be fatal: no recover catches it), and good.js is
// still analyzed.
func TestHostileDeepNesting(t *testing.T) {
	for _, form := range nestingForms {
		t.Run(form, func(t *testing.T) {
			name := form + ".js"
			res := checkAll(t, withGood(name, []byte(nested(form, 100000))), checker.Options{})
			goodAnalyzed(t, res)
			wantParseError(t, res, "dist/"+name, "nested deeper than")
		})
	}
}

// Nesting that passes the parser's guards is analyzed: the scope builder,
// the name facts and the rules recurse over the tree, and must not blow
// the Go stack either. 900 levels of brackets (MaxNesting is 1000), 9,000
// of operator chains (MaxChain 10,000), 19,000 of left-associative chains
// (MaxDepth 20,000).
func TestHostileNestingWithinLimits(t *testing.T) {
	for _, form := range nestingForms {
		t.Run(form, func(t *testing.T) {
			n := 900
			switch form {
			case "ternaries", "nested-ternaries", "unary", "typeof", "new", "assignments", "ifs":
				n = 9000
			case "binary", "members", "calls":
				n = parse.MaxDepth - 1000
			}
			name := form + ".js"
			src := nested(form, n)
			start := time.Now()
			res := checkAll(t, withGood(name, []byte(src)), checker.Options{})
			t.Logf("%d levels, %d bytes: %v", n, len(src), time.Since(start).Round(time.Millisecond))
			goodAnalyzed(t, res)
			if fr := fileResult(t, res, "dist/"+name); fr.Error != nil {
				t.Errorf("not analyzed: %s", *fr.Error)
			}
		})
	}
}

// hugeTokenCase is a bundle of about size bytes made of one huge token or
// one construct repeated, and how many findings it must have.
type hugeTokenCase struct {
	name     string
	src      string
	findings int
}

// hugeTokenCases are the inputs of TestHostileHugeTokens and
// BenchmarkHostileLinear, of about size bytes each.
func hugeTokenCases(size int) []hugeTokenCase {
	rep := func(unit string) string { return strings.Repeat(unit, size/len(unit)) }
	var classes strings.Builder
	for i := 0; classes.Len() < size; i++ {
		fmt.Fprintf(&classes, `class C%d{}function f%d(n){return n.constructor.name==="Svc%d"}`, i, i, i)
	}
	const compare = `e.name==="Foo";`
	return []hugeTokenCase{
		{"identifier", "var " + rep("a") + "=1;", 0},
		{"string", `var s="` + rep("a") + `";`, 0},
		{"template", "var s=`" + rep("a") + "`;", 0},
		{"regexp", "var s=/" + rep("a") + "/;", 0},
		{"comment", "/*" + rep("a") + "*/", 0},
		{"array", "x=[" + rep("1,") + "1]", 0},
		// Every compare of the renamed class e is flagged.
		{"compares", "class e{}" + rep(compare), size / len(compare)},
		// No class is named Svc<i>: nothing says a compared name was
		// renamed.
		{"classes", classes.String(), 0},
	}
}

// Huge tokens and wide code are analyzed, with the findings they must
// have. That the time is linear in the size is BenchmarkHostileLinear's
// check (a per-read scan of every function once made "classes"
// quadratic: minutes for 4 MB).
func TestHostileHugeTokens(t *testing.T) {
	size := 4 << 20
	if raceDetector {
		size = 1 << 20
	}
	for _, c := range hugeTokenCases(size) {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			res := checkAll(t, withGood(c.name+".js", []byte(c.src)), checker.Options{})
			t.Logf("%d MB: %v, %d findings", len(c.src)>>20, time.Since(start).Round(time.Millisecond), len(res.Findings))
			goodAnalyzed(t, res)
			path := "dist/" + c.name + ".js"
			if fr := fileResult(t, res, path); fr.Error != nil {
				t.Errorf("not analyzed: %s", *fr.Error)
			}
			n := 0
			for _, f := range res.Findings {
				if f.Bundle.Path == path {
					n++
				}
			}
			if n != c.findings {
				t.Errorf("%d findings in %s, want %d", n, path, c.findings)
			}
		})
	}
}

// --max-file-size holds for bundles handed over in memory too.
func TestHostileMaxFileSize(t *testing.T) {
	res := checkAll(t, withGood("big.js", []byte(strings.Repeat("var a=1;", 1000))), checker.Options{MaxFileSize: 4000})
	goodAnalyzed(t, res)
	fr := fileResult(t, res, "dist/big.js")
	if fr.Error == nil || !strings.Contains(*fr.Error, "8000 bytes is over the 4000 byte limit (--max-file-size)") || !res.Failed() {
		t.Errorf("error %s, want the size limit", deref(fr.Error))
	}
}

// mapJSON is a map with one segment at column 44 (the `name` read of
// goodBundle) to source 0, 3:10, name 0.
func mapJSON(sources, names, extra string) string {
	return `{"version":3,"sources":` + sources + `,"names":` + names + extra + `,"mappings":"AAAA,4CAEUA"}`
}

// Broken and hostile source maps are warnings: the bundle is analyzed
// without the map (or with what of it is usable), never fails, and never
// makes the engine read outside the working directory.
func TestHostileMaps(t *testing.T) {
	segs := strings.Repeat("CAAA,", 2_000_000)
	names := `["` + strings.Repeat(`a","`, 1_000_000) + `b"]`
	for _, c := range []struct {
		name, sourceMap string
		warning         string // "" when the map must be used
	}{
		{"not-json", "{", "source map dist/app.js.map not used"},
		{"invalid-vlq", `{"version":3,"sources":["a.js"],"names":[],"mappings":"AA!A"}`, "not used"},
		{"vlq-overflow", `{"version":3,"sources":["a.js"],"names":[],"mappings":"gggggggggggggggggggggggggA"}`, "not used"},
		{"out-of-range-indices", `{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA,4CKEUS"}`, ""},
		{"negative-indices", `{"version":3,"sources":["a.js"],"names":["X"],"mappings":"AAAA,4CDEUD"}`, ""},
		{"millions-of-segments", `{"version":3,"sources":["a.js"],"names":[],"mappings":"` + segs + `A"}`, ""},
		{"millions-of-names", mapJSON(`["a.js"]`, names, ""), ""},
		{"absolute-source", mapJSON(`["/etc/passwd"]`, `["UserService"]`, ""), ""},
		{"dotdot-source", mapJSON(`["../../../../../../../../etc/passwd"]`, `["UserService"]`, ""), ""},
		{"deep-sections", strings.Repeat(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":`, 20) + "{}" + strings.Repeat("}]}", 20), "not used"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			res := checkAll(t, []checker.Source{
				{Path: "dist/good.js", Contents: []byte(goodBundle)},
				{Path: "dist/app.js", Contents: []byte(goodBundle), Map: []byte(c.sourceMap)},
			}, checker.Options{})
			if d := time.Since(start); d > time.Second {
				t.Logf("%d KB map: %v", len(c.sourceMap)>>10, d.Round(time.Millisecond))
			}
			goodAnalyzed(t, res)
			fr := fileResult(t, res, "dist/app.js")
			if fr.Error != nil || res.Failed() {
				t.Fatalf("not analyzed: %s", deref(fr.Error))
			}
			warned := strings.Join(fr.Warnings, "\n")
			if c.warning == "" && (fr.SourceMap == nil || warned != "") || c.warning != "" && (fr.SourceMap != nil || !strings.Contains(warned, c.warning)) {
				t.Errorf("map used: %v, warnings %q; want warning %q", fr.SourceMap != nil, fr.Warnings, c.warning)
			}
			// Without the map the finding is certain; a map may say the
			// compared name is none of the bundle's (millions-of-segments
			// maps everything to a source with no names).
			fs := findingsOf(res, "dist/app.js", "name-compare")
			if c.warning != "" && (len(fs) != 1 || fs[0].Bundle.Line != 1 || fs[0].Bundle.Column != 45) {
				t.Fatalf("findings %+v, want name-compare at 1:45", fs)
			}
			for _, f := range fs {
				if o := f.Original; o != nil {
					for _, l := range o.Lines {
						if strings.Contains(l, "root:") {
							t.Errorf("code frame from %s: %q", o.Source, o.Lines)
						}
					}
				}
			}
		})
	}
}

// Maps found on disk: a data: URL that is not base64 or not JSON, a map
// far larger than its bundle, a FIFO (which blocks whoever opens it) or a
// directory where the map should be, and the same through --sourcemap.
func TestHostileMapFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// 1000× its bundle: over the limit for this bundle (--max-file-size
	// 4096: maps up to 4096 bytes, or 32× the bundle).
	huge := mapJSON(`["src/app.js"]`, `["UserService"]`, `,"sourcesContent":["`+strings.Repeat("x", 1000*len(goodBundle))+`"]`)
	write("big/app.js", goodBundle)
	write("big/app.js.map", huge)
	write("data64/app.js", goodBundle+"\n//# sourceMappingURL=data:application/json;base64,%%%not*base64%%%")
	write("datatype/app.js", goodBundle+"\n//# sourceMappingURL=data:text/javascript,alert(1)")
	write("dataplain/app.js", goodBundle+"\n//# sourceMappingURL=data:application/json,{%22version%22:3,")
	write("dir/app.js", goodBundle)
	if err := os.MkdirAll(filepath.Join(dir, "dir/app.js.map"), 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := write("fifo/app.js", goodBundle) + ".map"
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		opts    checker.Options
		warning string
	}{
		{"big", checker.Options{MaxFileSize: 4096}, "more than the 4096-byte limit"},
		{"data64", checker.Options{}, "inline source map: data URL: illegal base64"},
		{"datatype", checker.Options{}, `data URL of media type "text/javascript"`},
		{"dataplain", checker.Options{}, "not used"},
		{"dir", checker.Options{}, "not a regular file"},
		{"fifo", checker.Options{}, "not a regular file"},
		{"big", checker.Options{MaxFileSize: 4096, SourceMap: filepath.Join(dir, "big/app.js.map")}, "over the 4096 byte limit"},
		{"fifo", checker.Options{SourceMap: fifo}, "not a regular file"},
		{"dir", checker.Options{SourceMap: filepath.Join(dir, "dir/app.js.map")}, "not a regular file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan struct{})
			var res checker.Result
			var err error
			go func() {
				defer close(done)
				c.opts.Rules = rules.All()
				res, err = checker.Check(context.Background(), []string{filepath.Join(dir, c.name, "app.js")}, c.opts)
			}()
			select {
			case <-done:
			case <-time.After(hostileDeadline):
				t.Fatal("hangs")
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Failed() || len(res.Files) != 1 {
				t.Fatalf("files %+v", res.Files)
			}
			fr := res.Files[0]
			if fr.SourceMap != nil || !strings.Contains(strings.Join(fr.Warnings, "\n"), c.warning) {
				t.Errorf("map used: %v, warnings %q; want warning %q", fr.SourceMap != nil, fr.Warnings, c.warning)
			}
			if len(res.Findings) != 1 || res.Findings[0].Bundle.Column != 45 {
				t.Errorf("findings %+v", res.Findings)
			}
		})
	}
	// The same limit for a map handed over in memory.
	res := checkAll(t, []checker.Source{{Path: "dist/app.js", Contents: []byte(goodBundle), Map: []byte(huge)}}, checker.Options{MaxFileSize: 4096})
	if fr := res.Files[0]; fr.SourceMap != nil || !strings.Contains(strings.Join(fr.Warnings, "\n"), "over the 4096 byte limit") {
		t.Errorf("in memory: map used: %v, warnings %q", fr.SourceMap != nil, fr.Warnings)
	}
}

// Directory walks: a symlink loop ends, and a file that cannot be read (a
// broken symlink, a FIFO, a file without read permission) is an error for
// that path while the other files are analyzed and the run fails.
func TestHostileWalk(t *testing.T) {
	dir := t.TempDir()
	dist := filepath.Join(dir, "dist")
	for _, d := range []string{"dist/sub", "dist/dir.js"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dist, "sub/good.js"), []byte(goodBundle), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"dist/sub/loop": "..", "dist/self": ".", "dist/broken.js": "missing.js"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dist, "fifo.js"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantErrors := map[string]string{
		"dist/broken.js": "no such file or directory",
		"dist/fifo.js":   "not a regular file",
	}
	unreadable := filepath.Join(dist, "unreadable.js")
	if err := os.WriteFile(unreadable, []byte(goodBundle), 0o000); err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(unreadable); err == nil {
		f.Close() // root reads anything: the other cases stand in
		t.Log("running as root: file permissions are not tested")
		os.Remove(unreadable)
	} else {
		wantErrors["dist/unreadable.js"] = "permission denied"
	}

	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	done := make(chan struct{})
	var res checker.Result
	var err error
	go func() {
		defer close(done)
		res, err = checker.Check(context.Background(), []string{"dist"}, checker.Options{Rules: rules.All()})
	}()
	select {
	case <-done:
	case <-time.After(hostileDeadline):
		t.Fatal("hangs")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() {
		t.Error("the run does not fail")
	}
	got := map[string]string{}
	for _, fr := range res.Files {
		got[fr.Path] = deref(fr.Error)
	}
	if got["dist/sub/good.js"] != "<nil>" || len(findingsOf(res, "dist/sub/good.js", "name-compare")) != 1 {
		t.Errorf("good.js: error %s, findings %+v", got["dist/sub/good.js"], res.Findings)
	}
	for path, want := range wantErrors {
		if !strings.Contains(got[path], want) {
			t.Errorf("%s: error %q, want %q", path, got[path], want)
		}
	}
	if len(got) != 1+len(wantErrors) {
		t.Errorf("files %v", got)
	}
	// A directory named like a bundle, named as an input: an error too.
	res, err = checker.Check(context.Background(), []string{"dist/dir.js", "dist/sub/good.js"}, checker.Options{Rules: rules.All()})
	if err != nil || !res.Failed() || len(res.Files) != 2 || !strings.Contains(deref(res.Files[0].Error), "no JavaScript files found") || res.Files[1].Error != nil {
		t.Errorf("dist/dir.js: %v, files %+v", err, res.Files)
	}
}

// --allow-parse-errors: the finding is a warning, the error a warning of
// the file, and the run does not fail because of it.
func TestAllowParseErrors(t *testing.T) {
	res := checkAll(t, withGood("broken.js", []byte("var = ;")), checker.Options{AllowParseErrors: true})
	goodAnalyzed(t, res)
	fr := fileResult(t, res, "dist/broken.js")
	if fr.Error != nil || res.Failed() || len(fr.Warnings) != 1 || !strings.HasPrefix(fr.Warnings[0], "not analyzed: dist/broken.js:1:5: Unexpected token =") {
		t.Errorf("error %s, warnings %q, failed %v", deref(fr.Error), fr.Warnings, res.Failed())
	}
	fs := findingsOf(res, "dist/broken.js", "parse-error")
	if len(fs) != 1 || fs[0].Severity != analyzer.Warning || fs[0].Bundle.Column != 5 || fs[0].Fingerprint == "" {
		t.Errorf("findings %+v", fs)
	}
	// Turning the finding off never hides the failure.
	res = checkAll(t, withGood("broken.js", []byte("var = ;")), checker.Options{Disable: []string{"parse-error"}})
	if !res.Failed() || len(findingsOf(res, "dist/broken.js", "parse-error")) != 0 {
		t.Errorf("with parse-error off: failed %v, findings %+v", res.Failed(), res.Findings)
	}
}

// parse-error's examples do what its docs say: the incorrect one (a
// truncated bundle) is reported, the correct one is not. They are
// bundles, not sources, so TestEngineRuleDocs does not build them.
func TestParseErrorDocs(t *testing.T) {
	for _, ex := range []struct {
		src  string
		want int
	}{{analyzer.ParseError.Bad, 1}, {analyzer.ParseError.Good, 0}} {
		res := checkAll(t, []checker.Source{{Path: "dist/app.js", Contents: []byte(ex.src)}}, checker.Options{})
		if n := len(findingsOf(res, "dist/app.js", "parse-error")); n != ex.want || res.Failed() != (ex.want == 1) {
			t.Errorf("%q: %d parse-error findings, failed %v", ex.src, n, res.Failed())
		}
	}
}
