package parse

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/walk"
	"github.com/manglecheck/manglecheck/fixtures/cachetest"
)

// preorder lists the nodes of prg depth first in source order.
func preorder(prg *ast.Program) []ast.Node {
	var nodes []ast.Node
	walk.Inspect(prg, func(n ast.Node) bool {
		nodes = append(nodes, n)
		return true
	})
	return nodes
}

// sameAST returns where the chunked parse differs from the whole parse:
// the preorder sequence of node types, their Idx0 and Idx1 and every
// scalar field (names, literal values, operators, flags, Source), the
// DeclarationLists (which must hold the very bindings of the tree), the
// file, and finally reflect.DeepEqual over everything else.
func sameAST(whole, chunked *ast.Program) error {
	a, b := preorder(whole), preorder(chunked)
	if len(a) != len(b) {
		return fmt.Errorf("%d nodes, chunked %d", len(a), len(b))
	}
	ia, ib := map[ast.Node]int{}, map[ast.Node]int{}
	for i := range a {
		ia[a[i]], ib[b[i]] = i, i
		if ta, tb := reflect.TypeOf(a[i]), reflect.TypeOf(b[i]); ta != tb {
			return fmt.Errorf("node %d: %v, chunked %v", i, ta, tb)
		}
		if a[i].Idx0() != b[i].Idx0() || idx1(a[i]) != idx1(b[i]) {
			return fmt.Errorf("node %d %T: [%d,%d), chunked [%d,%d)", i, a[i], a[i].Idx0(), idx1(a[i]), b[i].Idx0(), idx1(b[i]))
		}
		if !sameScalars(a[i], b[i]) {
			return fmt.Errorf("node %d %T at %d: %s, chunked %s", i, a[i], Offset(a[i].Idx0()), scalars(a[i]), scalars(b[i]))
		}
	}
	for i := range a {
		da, db := declarations(a[i]), declarations(b[i])
		if len(da) != len(db) {
			return fmt.Errorf("node %d %T: %d declarations, chunked %d", i, a[i], len(da), len(db))
		}
		for j := range da {
			if da[j].Var != db[j].Var || len(da[j].List) != len(db[j].List) {
				return fmt.Errorf("node %d %T: declaration %d differs", i, a[i], j)
			}
			for k := range da[j].List {
				ja, oka := ia[da[j].List[k]]
				jb, okb := ib[db[j].List[k]]
				if !oka || !okb || ja != jb {
					return fmt.Errorf("node %d %T: declaration %d binding %d is node %d (%v), chunked %d (%v)", i, a[i], j, k, ja, oka, jb, okb)
				}
			}
		}
	}
	fa, fb := whole.File, chunked.File
	if fa.Name() != fb.Name() || fa.Source() != fb.Source() || fa.Base() != fb.Base() {
		return errors.New("Program.File differs")
	}
	whole.File, chunked.File = nil, nil
	defer func() { whole.File, chunked.File = fa, fb }()
	if !reflect.DeepEqual(whole, chunked) {
		return errors.New("reflect.DeepEqual differs")
	}
	return nil
}

// sameScalars compares the fields of a and b (of one type) that are not
// nodes: names, literal values and texts, operators, flags, positions.
func sameScalars(a, b ast.Node) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() == reflect.Pointer {
		va, vb = va.Elem(), vb.Elem()
	}
	if va.Kind() != reflect.Struct {
		return true
	}
	for i := 0; i < va.NumField(); i++ {
		fa, fb := va.Field(i), vb.Field(i)
		switch fa.Kind() {
		case reflect.String:
			if fa.String() != fb.String() {
				return false
			}
		case reflect.Bool:
			if fa.Bool() != fb.Bool() {
				return false
			}
		case reflect.Int, reflect.Int64:
			if fa.Int() != fb.Int() {
				return false
			}
		case reflect.Uint:
			if fa.Uint() != fb.Uint() {
				return false
			}
		case reflect.Float64:
			if fa.Float() != fb.Float() {
				return false
			}
		case reflect.Interface:
			if fa.IsNil() != fb.IsNil() {
				return false
			}
			if !fa.IsNil() {
				if _, isNode := fa.Interface().(ast.Node); !isNode && !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
					return false
				}
			}
		}
	}
	return true
}

// scalars formats the fields of n that are not nodes.
func scalars(n ast.Node) string {
	v := reflect.ValueOf(n)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	var sb strings.Builder
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64, reflect.Uint:
			fmt.Fprintf(&sb, "%s=%v ", v.Type().Field(i).Name, f.Interface())
		case reflect.Interface:
			if !f.IsNil() {
				if _, isNode := f.Interface().(ast.Node); !isNode {
					fmt.Fprintf(&sb, "%s=%#v ", v.Type().Field(i).Name, f.Interface()) // NumberLiteral.Value
				}
			}
		}
	}
	return sb.String()
}

func declarations(n ast.Node) []*ast.VariableDeclaration {
	switch n := n.(type) {
	case *ast.Program:
		return n.DeclarationList
	case *ast.FunctionLiteral:
		return n.DeclarationList
	case *ast.ArrowFunctionLiteral:
		return n.DeclarationList
	case *ast.ClassStaticBlock:
		return n.DeclarationList
	}
	return nil
}

// wholeParse is goja's parse of the whole text, done once per text.
type wholeParse struct {
	prg *ast.Program
	err error
}

func parseWhole(name, text string) wholeParse {
	prg, err := gojaParse(name, text)
	return wholeParse{prg, err}
}

// checkPlan parses text by p and compares with the whole parse w; it
// reports whether the pieces were used.
func checkPlan(t *testing.T, name, text string, w wholeParse, p *plan) (chunked bool) {
	t.Helper()
	c, depth := parseChunked(name, text, p)
	switch {
	case w.err != nil && c != nil:
		t.Errorf("%s: cuts %v: the whole parse fails (%v), the chunked one does not", name, p.cuts, w.err)
	case w.err == nil && c != nil:
		if err := sameAST(w.prg, c); err != nil {
			t.Errorf("%s: body at %d, cuts %v: %v", name, p.open, p.cuts, err)
		}
		if want := maxDepth(w.prg, MaxDepth); (want <= MaxDepth || depth <= MaxDepth) && depth != want {
			t.Errorf("%s: body at %d, cuts %v: depth %d, want %d", name, p.open, p.cuts, depth, want)
		}
	}
	return c != nil
}

// checkAllCuts compares the whole parse with a chunked parse at the
// candidates (at most limit, evenly spaced) of every function body at
// least minSpan long (and the program), one cut at a time and all at once.
// It returns how many chunked parses were compared.
func checkAllCuts(t *testing.T, name, text string, minSpan, limit int) (compared int) {
	t.Helper()
	w := parseWhole(name, text)
	for _, b := range scanBodies(text, minSpan) {
		cands := b.cands
		if len(cands) > limit {
			var some []int
			for k := 0; k < limit; k++ {
				some = append(some, cands[k*len(cands)/limit])
			}
			cands = some
		}
		for _, c := range cands {
			if checkPlan(t, name, text, w, &plan{body: b, cuts: []int{c}}) {
				compared++
			}
		}
		if len(cands) > 1 && checkPlan(t, name, text, w, &plan{body: b, cuts: cands}) {
			compared++
		}
	}
	return compared
}

// pad makes room before the first cut for a piece's function wrapper.
const pad = "/* room for the wrapper of a piece that starts near offset 0 */\n"

var chunkCases = []struct {
	name, src string
	split     bool // some cut must be parsed in pieces
}{
	{"iife", `(()=>{var a=1;function b(){return a}var c=class{};let d=2;const e=3;b(d,e);})();`, true},
	{"async-iife", `(async()=>{var a=await b;c(await d);x=async function(){await 1};await e;f();})();`, true},
	{"async-arrow-param", `x=async=>{a();b()};y=async x=>{await x;c();d()};z=async(a)=>{await a;d();e()};`, true},
	{"generator", `(function*(){var a=yield b;c(yield);yield*d;e();})();`, true},
	{"async-generator", `(async function*(){var a=yield await b;c();for(const x of y)yield x;d()})();`, true},
	{"named-function", `var lib=function t(e){"use strict";var n=1;e.a=n;function r(){}e.r=r;return e}({});`, true},
	{"use-strict", `(function(){"use strict";var a=1;b();c.d=010;"use strict";e()})();`, true},
	{"use-strict-program", `"use strict";var a=1;b();c();`, true},
	{"labels", `a:for(;;){break a};b:{c();break b}x();a:for(;;)continue a;y();`, true},
	{"regex", `x=/;y();/;z();w=a/b/c;v();u=/[/;]x();/g;t();if(a)/re/.test(b);c();`, true},
	{"regex-after-paren", `x=(a)/b/c;d();e=f(1)/2/3;g();`, true},
	{"template", "x=`;${a}`;y();z=`${`${q};${{a:1}.a}`}`;w();v=`\\`;`;u();", true},
	{"comments", "/* ; x(); */ a(); // ; b();\n c();/**/d();//\ne()", true},
	{"strings", `x="a;\"b();";y='\\';z();w="\
";v();`, true},
	{"numbers", `x=1e+5/2;y=.5/2;z=0x1e+1;w();v=1_000n;u=1..toString()/2;s();`, true},
	{"optional-chaining", `a?.b;c?.5:1;d();e?.[f];g?.(h);i();`, true},
	{"cjs-return", `(function(exports,require,module){var a=1;if(a)return;b();return a})({},require,{});`, true},
	{"top-level-return", `var a=1;return;b();`, false},
	{"let-identifier", "var let=1;let;let=2;let.x=1;let(a);x();let\nb=1;y();", true},
	{"let-declaration", "let a=1;let[b]=[2];let{c}={};d();", true},
	{"await-identifier", `(function(){var await=1;await;await=2;x();})();var yield=1;yield;z();`, true},
	{"async-newline", "async\nfunction f(){await x;y();z()}w();", false}, // goja: `async;function f(){…}`
	{"async-function", "async function f(){await x;y();z()}w();", true},
	{"html-open-comment", "a=1;<!-- b\nc();", false},
	{"html-close-comment", "a=1;\n--> b\nc();", false},
	{"asi-paren", "var a=1;b=c\n(d);e();f=g\n[h]=i;j();", true},
	{"asi-template", "var a=1;b=c\n`x`;d();", true},
	{"asi-no-semicolons", "a()\nb()\nc();d()\n;e()", true},
	{"if-else", `x();if(a)b;else c;d();if(a)if(b)c;else d;else e;f();`, true},
	{"do-while", `do x();while(y);z();do;while(a)b();c();`, true},
	{"loops", `for(;;)a();b();for(a in b);c();for(a of b)d;e();with(a)b;c();while(a)b;c();`, true},
	{"switch-try", `switch(a){case 1:b();c();default:d()}e();try{a()}catch{b()}finally{c()};d();`, true},
	{"class", `class A{a=1;b(){return 2};static{var q=1;r()};static c=3}c();d();`, true},
	{"object-methods", `x={function(){return 1;a()}};y();z={get a(){b();c()},*g(){yield 1;h()},async m(){await 1;n()}};w();`, true},
	{"brace-slash", `x=function(){}/1;y();`, false},
	{"incdec-slash", `x=a++/2;y();`, false},
	{"hoisting", `(()=>{var a;function f(){var b}for(var i=0;;);{var c}try{var d}catch(e){var g}var h;x()})()`, true},
	{"hashbang", "#!/usr/bin/env node\nvar a=1;b();c();", true},
	{"crlf-ls", "var a=1;\r\nb();\r\nc='\u2028';d();", true},
	{"syntax-error", `var a=1;b();c=;d();`, false},
	{"syntax-error-in-body", `(()=>{var a=1;b();c=;d();})()`, false},
	{"unbalanced", `(()=>{var a=1;b();})();}`, false},
	{"private", `class A{#a=1;b(){return #a in this;}};x();`, true},
	{"nested-iife", `!function(){var a=function(){var b=1;c();d()}();e();f()}();`, true},
}

// The chunked parse is the whole parse, node for node, at every possible
// cut of every function body in hand-written edge cases.
func TestChunkedCases(t *testing.T) {
	for _, c := range chunkCases {
		src := pad + c.src
		if strings.HasPrefix(c.src, "#!") {
			src = c.src
		}
		chunked := checkAllCuts(t, c.name, src, 0, 1<<30) > 0
		if chunked != c.split {
			t.Errorf("%s: parsed in pieces %v, want %v", c.name, chunked, c.split)
		}
	}
}

// The chunked parse equals the whole parse on every real bundle at hand:
// bundler outputs (fixtures/realworld/fetch.sh) and libraries
// (fixtures/libraries/fetch.sh), with planSplit's cuts for 2, 3 and 4
// pieces and at sampled cuts of every large body.
func TestChunkedRealBundles(t *testing.T) {
	files := realBundles(t)
	seen := map[[32]byte]bool{}
	var nfiles, compared, planned int
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		if seen[h] || raceDetector && len(data) > 1<<20 || testing.Short() && len(data) > 1<<20 {
			continue
		}
		seen[h] = true
		text, _, err := esm.LowerWith(string(data), esm.Options{MaxNesting: MaxNesting, MaxChain: MaxChain})
		if err != nil {
			continue
		}
		nfiles++
		w := parseWhole(path, text)
		for n := 2; n <= MaxPieces; n++ {
			if n > 2 && len(text) > 4<<20 { // ~6 s a comparison: only what two cores use
				break
			}
			p := planSplit(text, n)
			if p == nil {
				continue
			}
			planned++
			if checkPlan(t, path, text, w, p) {
				compared++
			} else if w.err == nil {
				t.Logf("%s: %d pieces planned at %v, fell back", path, n, p.cuts)
			}
		}
		w = wholeParse{}
		if len(text) < 1<<20 && !raceDetector {
			compared += checkAllCuts(t, path, text, len(text)/4, 4)
		}
		if strings.Contains(path, "three-x10") && planSplit(text, 2) == nil {
			t.Errorf("%s: not split", path)
		}
	}
	t.Logf("%d distinct bundles, %d split by planSplit, %d chunked parses equal to the whole parse", nfiles, planned, compared)
}

// realBundles lists the bundles of the caches fixtures/realworld/fetch.sh
// and fixtures/libraries/fetch.sh build.
func realBundles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"../../fixtures/realworld/.cache", "../../fixtures/libraries/.cache"} {
		// Both caches are required: one missing would shrink the test
		// silently.
		cachetest.Need(t, dir, "fixtures/realworld/fetch.sh and fixtures/libraries/fetch.sh")
		filepath.WalkDir(cachetest.WalkRoot(dir), func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".js") {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) == 0 {
		cachetest.Missing(t, "real bundles", "fixtures/realworld/fetch.sh and fixtures/libraries/fetch.sh")
	}
	return files
}

// ParseWith on two cores parses every real bundle at hand in pieces (the
// split threshold lowered to 1 byte, so small bundles take the parallel
// path too), and the result is the whole parse's, node for node, or the
// same error. Under the race detector (the README's test command) only
// the bundles up to 256 KiB are compared; .ci/run runs this test without
// it too, so the large ones (three.js×10, 7.5 and 18 MB) are compared
// there.
func TestParseSplitRealBundles(t *testing.T) {
	seen := map[[32]byte]bool{}
	var compared, chunked, large int
	for _, path := range realBundles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		if seen[h] {
			continue
		}
		seen[h] = true
		// The race detector slows sameAST's reflection ~10×: under it
		// the bundles up to 256 KiB (most of them) are compared.
		if raceDetector && len(data) > 256<<10 || testing.Short() && len(data) > 1<<20 {
			continue
		}
		if len(data) > 1<<20 {
			large++
		}
		src := string(data)
		split, serr := ParseWith(path, src, Options{Cores: 2, MinSplit: 1})
		whole, werr := ParseWith(path, src, Options{Cores: 1})
		switch {
		case (serr == nil) != (werr == nil) || serr != nil && serr.Error() != werr.Error():
			t.Errorf("%s: in pieces: %v; whole: %v", path, serr, werr)
			continue
		case serr != nil:
			continue
		case whole.chunked:
			t.Fatalf("%s: parsed in pieces on one core", path)
		case len(whole.Program.Body) == 0 || len(split.Program.Body) == 0:
			// sameAST needs a statement to place the program.
			if len(whole.Program.Body) != len(split.Program.Body) {
				t.Errorf("%s: %d statements in pieces, %d whole", path, len(split.Program.Body), len(whole.Program.Body))
			}
			continue
		}
		compared++
		if split.chunked {
			chunked++
		}
		if err := sameAST(whole.Program, split.Program); err != nil {
			t.Errorf("%s: in pieces (%v) and whole differ: %v", path, split.chunked, err)
		}
		if strings.Contains(path, "three-x10.iife.min") && !split.chunked {
			t.Errorf("%s: not parsed in pieces", path)
		}
	}
	t.Logf("%d distinct bundles parsed both ways (%d over 1 MiB), %d of them in pieces", compared, large, chunked)
	// Many bundles have no body planSplit can cut into balanced pieces
	// (the whole parse is then the only path); a quarter of them at least
	// must take the parallel path, or the comparison shows little (16 of
	// 49 under the race detector, 45 of 80 without, on 2026-12-06).
	if chunked*4 < compared {
		t.Errorf("only %d of %d bundles were parsed in pieces", chunked, compared)
	}
}

// Random programs built from statements of every kind, joined with and
// without semicolons and wrapped in every kind of function, parse the same
// in pieces as whole.
func TestChunkedRandom(t *testing.T) {
	stmts := []string{
		"var a=1", "let b=2", "const c=3", "function d(){return 1}", "class E{f(){}}",
		"g()", "h=/;/g", "i=j/k/l", "m=`;${n}`", "o:for(;;)break o", "if(p)q;else r",
		"do s();while(t)", "u\n(v)", "w\n[x]", "y\n`z`", "let\nA", "B\n++C", "try{D()}catch(E){}",
		"F=async()=>{await G}", "H=function*(){yield I}", "'use strict'", "J // ;\n", "/* ; */K",
		"for(var L in M);", "N={O:1,P(){},get Q(){return 1}}", "R?.S", "T=U=>V", "W\n/X/g.test(Y)",
		"return Z", "await Z", "yield Z",
	}
	wrappers := []string{"%s", "(()=>{%s})()", "(async()=>{%s})()", "(function(){%s})()", "(function*(){%s})()",
		"(async function*(){%s})()", "var q=function(t){%s}({})", "!function(){%s}()"}
	seps := []string{";", "\n", ";\n", " ; "}
	rng := rand.New(rand.NewSource(1))
	runs := 3000
	if testing.Short() || raceDetector {
		runs = 300
	}
	compared := 0
	for r := 0; r < runs; r++ {
		var sb strings.Builder
		for k := rng.Intn(12) + 1; k > 0; k-- {
			sb.WriteString(stmts[rng.Intn(len(stmts))])
			sb.WriteString(seps[rng.Intn(len(seps))])
		}
		src := pad + fmt.Sprintf(wrappers[rng.Intn(len(wrappers))], sb.String())
		compared += checkAllCuts(t, fmt.Sprintf("random%d %q", r, src), src, 0, 1<<30)
	}
	t.Logf("%d chunked parses equal to the whole parse", compared)
}

// FuzzChunked: the chunked parse of any text, at any cut the scanner
// offers, is the whole parse or nothing.
func FuzzChunked(f *testing.F) {
	for _, c := range chunkCases {
		f.Add(c.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<12 {
			return
		}
		checkAllCuts(t, "fuzz.js", pad+src, 0, 8)
	})
}

// Parse splits a large bundle when it has two cores, and the result is
// the whole parse's.
func TestParseSplitsLargeBundle(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`(async()=>{"use strict";`)
	for i := 0; sb.Len() < MinSplit+MinSplit/4; i++ {
		fmt.Fprintf(&sb, "function f%[1]d(a){var b=a/2;return /x;/.test(b)?`${b};`:b}var v%[1]d=await f%[1]d(%[1]d),w%[1]d=v%[1]d/1;\n", i)
	}
	sb.WriteString("})();\n//# sourceMappingURL=x.js.map\n")
	src := sb.String()
	if runtime.GOMAXPROCS(0) > 1 && planSplit(src, min(runtime.GOMAXPROCS(0), MaxPieces)) == nil {
		t.Error("not split")
	}
	res, err := Parse("big.js", src)
	if err != nil {
		t.Fatal(err)
	}
	w, err := gojaParse("big.js", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameAST(w, res.Program); err != nil {
		t.Error(err)
	}
}

// A chain too deep in one piece is the whole parse's depth error, at the
// same node.
func TestParseSplitDepth(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs two cores to split")
	}
	for _, at := range []int{10000, 60000} { // in the skeleton, in the piece
		var sb strings.Builder
		sb.WriteString("!function(){")
		for i := 0; sb.Len() < MinSplit+MinSplit/2; i++ {
			fmt.Fprintf(&sb, "var v%[1]d=f(%[1]d);", i)
			if i == at {
				sb.WriteString("x=" + strings.Repeat("a+", 2*MaxDepth) + "a;")
			}
		}
		sb.WriteString("}();")
		src := sb.String()
		if planSplit(src, 2) == nil {
			t.Fatal("not split")
		}
		_, err := Parse("deep.js", src)
		prg, perr := gojaParse("deep.js", src)
		if perr != nil {
			t.Fatal(perr)
		}
		want := checkDepth("deep.js", src, &Result{Program: prg})
		if err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("chain after statement %d: Parse = %v, want %v", at, err, want)
		}
	}
}
