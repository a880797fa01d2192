package bundlefacts_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

func facts(t *testing.T, src string) *bundlefacts.Facts {
	t.Helper()
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	nf := names.Analyze(prg, scope.Build(prg, scope.Options{}), names.Options{DefaultExport: -1})
	same := func(off int) (int, bool) { return off, true }
	noMap := func(int) (*analyzer.Original, string) { return nil, "" }
	return bundlefacts.New(nf, nil, same, noMap)
}

// Where each function's runtime name comes from decides which keep-names
// option keeps it: the exported facts say it for each.
func TestNamedBy(t *testing.T) {
	bf := facts(t, `function f(){} var C = class {}; let D; D = class {}; var o = {m(){}}; g(function(){});`)
	var got []string
	for _, f := range bf.Funcs {
		got = append(got, fmt.Sprintf("%s %q %s", f.Kind, f.Runtime, f.NamedBy))
	}
	want := []string{
		`function "f" own name`,
		`class "C" variable`,
		`class "D" assignment`,
		`function "m" property key`,
		`function "" unnamed`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// A read of .name lists the functions it may read, by index into Funcs,
// at the offset of the property name; a .name of plain data is no read.
func TestReads(t *testing.T) {
	src := `class A{} class B{} function k(x){ return x.name } k(A); k(B); var user = {name: "x"}; user.name;`
	bf := facts(t, src)
	if len(bf.Reads) != 1 {
		t.Fatalf("reads %+v, want only x.name", bf.Reads)
	}
	r := bf.Reads[0]
	var runtime []string
	for _, i := range r.Funcs {
		runtime = append(runtime, bf.Funcs[i].Runtime)
	}
	if !reflect.DeepEqual(runtime, []string{"A", "B"}) || r.Any || r.Partial {
		t.Errorf("x.name read %+v (functions %v), want exactly A and B", r, runtime)
	}
	if want := strings.Index(src, "x.name") + 2; r.Offset != want {
		t.Errorf("read offset %d, want %d (the name of x.name)", r.Offset, want)
	}
}
