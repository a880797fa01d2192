package checker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// fuzzDeadline bounds one analysis of a fuzz input (a few KB): the
// engine takes milliseconds on those, so anything near this is a hang.
const fuzzDeadline = 20 * time.Second

// FuzzCheck runs the whole check pipeline (parse, ES module lowering,
// source map, scopes, names, every rule, policy) on arbitrary bundle
// bytes with arbitrary map bytes (none: the map is discovered, so inline
// data: URLs are fuzzed too). The engine turns a panic into an "internal
// error" for the file, and a panicking rule into a warning, so the run
// survives; here both are failures: a crasher. So are an analysis that
// does not finish within fuzzDeadline and one whose result differs when
// repeated.
//
//	go test ./analyzer -run '^$' -fuzz FuzzCheck -fuzztime 10m -parallel 1
func FuzzCheck(f *testing.F) {
	addFixtureSeeds(f)
	for _, s := range []struct{ bundle, sourceMap string }{
		{"", ""},
		{"\xEF\xBB\xBFclass e{}e.name===\"Foo\"", ""},
		{"class e{}\r\nfunction t(n){return n.constructor.name===\"UserService\"}\u2028t(new e)\u2029\rx", ""},
		{"a\x00b\xff\xfe", ""},
		{"export default class{}export{x as y};import a from'b';for await(q of r);", ""},
		{"var x=1;\n//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbImEuanMiXSwibmFtZXMiOlsiRm9vIl0sIm1hcHBpbmdzIjoiQUFBQUEifQ==", ""},
		{"var x=1;\n//# sourceMappingURL=data:application/json,%7B%22mappings%22%3A%22%25%25%22%7D", ""},
		{"class e{}e.name===\"Foo\"", `{"version":3,"sources":["/etc/passwd","../../x.js"],"sourcesContent":["class Foo{}",null],"names":["Foo"],"mappings":"AAAAA,CAACC,+/+/+/+/A;;;;D"}`},
		{"function f(){}", `{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a"],"names":[],"mappings":"AAAA"}}]}`},
		{strings.Repeat("(", 300) + strings.Repeat(")", 300), ""},
		{"x=`${`${`${a}`}`}`;a?b?c:d:e;x=>y=>z=>1;!~-+typeof void a", ""},
	} {
		f.Add([]byte(s.bundle), []byte(s.sourceMap))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, bundle, sourceMap []byte) {
		if bundle == nil {
			bundle = []byte{} // nil Contents would mean "read Path"
		}
		src := checker.Source{Path: filepath.ToSlash(filepath.Join(dir, "fuzz.js")), Contents: bundle}
		if len(sourceMap) > 0 {
			src.Map = sourceMap
		}
		first := checkWithin(t, src)
		if crash := crasher(first); crash != "" {
			t.Fatalf("%s\nbundle %q\nmap %q", crash, bundle, sourceMap)
		}
		if fr := first.Files[0]; fr.Error != nil {
			// Fail closed: a bundle that could not be parsed is also a
			// finding, so no report format skips it silently.
			if len(first.Findings) != 1 || first.Findings[0].Rule != "parse-error" {
				t.Fatalf("not analyzed (%s), but findings %+v\nbundle %q\nmap %q", *fr.Error, first.Findings, bundle, sourceMap)
			}
		}
		for _, fd := range first.Findings {
			if fd.Offset < 0 && engineRule(fd.Rule) {
				continue // about a suppression comment: placed by Original
			}
			if fd.Bundle.Line < 1 || fd.Bundle.Column < 1 || fd.Offset < 0 || fd.Offset > len(bundle) {
				t.Fatalf("finding %s at %d:%d, offset %d, in a %d-byte bundle\nbundle %q\nmap %q",
					fd.Rule, fd.Bundle.Line, fd.Bundle.Column, fd.Offset, len(bundle), bundle, sourceMap)
			}
		}
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(checkWithin(t, src))
		if !bytes.Equal(a, b) {
			t.Fatalf("not deterministic:\n%s\n%s\nbundle %q\nmap %q", a, b, bundle, sourceMap)
		}
	})
}

// checkWithin analyzes one source with every rule, failing the test when
// that takes longer than fuzzDeadline (the goroutine is abandoned: the
// test is over anyway).
func checkWithin(t *testing.T, src checker.Source) checker.Result {
	t.Helper()
	type outcome struct {
		res checker.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := checker.CheckFiles(context.Background(), []checker.Source{src}, checker.Options{Rules: rules.All(), Workers: 1})
		done <- outcome{res, err}
	}()
	timer := time.NewTimer(fuzzDeadline)
	defer timer.Stop()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatalf("CheckFiles: %v", o.err)
		}
		return o.res
	case <-timer.C:
		stacks := make([]byte, 1<<20)
		stacks = stacks[:runtime.Stack(stacks, true)]
		t.Fatalf("no result after %v: a hang\nbundle %q\nmap %q\n%s", fuzzDeadline, src.Contents, src.Map, stacks)
	}
	panic("unreachable")
}

func engineRule(id string) bool {
	for _, r := range analyzer.EngineRules() {
		if r.ID == id {
			return true
		}
	}
	return false
}

// crasher returns what in res shows that the engine panicked (and
// recovered), or "".
func crasher(res checker.Result) string {
	for _, fr := range res.Files {
		if fr.Error != nil && strings.Contains(*fr.Error, "internal error") {
			return *fr.Error
		}
		for _, w := range fr.Warnings {
			if strings.HasPrefix(w, "rule ") && strings.Contains(w, " failed on ") || strings.Contains(w, "internal error") {
				return w
			}
		}
	}
	return ""
}

// addFixtureSeeds seeds f with the fixtures: every source under
// fixtures/ (no map), the checked-in minifier outputs with their maps,
// and the sample build.
func addFixtureSeeds(f *testing.F) {
	root := filepath.Join("..", "..", "fixtures")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".cache", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".js", ".mjs", ".cjs", ".ts":
		default:
			return nil
		}
		bundle, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(bundle) > 256<<10 {
			return nil // fuzzing mutates small inputs; big ones only slow it
		}
		sourceMap, err := os.ReadFile(path + ".map")
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		f.Add(bundle, sourceMap)
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
}
