package esm

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/jstoken"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// invariants checks what Lower promises for every input, whether or not
// goja can parse it: same length, the same line terminators at the same
// offsets, no new ones, and src itself when nothing was lowered.
func invariants(src, out string, m *Module) error {
	if len(out) != len(src) {
		return fmt.Errorf("length %d, want %d", len(out), len(src))
	}
	if m == nil && out != src {
		return fmt.Errorf("no module but the text changed")
	}
	for i := 0; i < len(src); i++ {
		lt := src[i] == '\n' || src[i] == '\r'
		if lt != (out[i] == '\n' || out[i] == '\r') || lt && out[i] != src[i] {
			return fmt.Errorf("offset %d: line terminator %q became %q", i, src[i], out[i])
		}
		if jstoken.IsLineSep(src, i) != jstoken.IsLineSep(out, i) {
			return fmt.Errorf("offset %d: U+2028/U+2029 changed", i)
		}
	}
	if m == nil {
		return nil
	}
	// Every rewritten offset holds its synthesized identifier.
	for _, off := range m.DynamicImports {
		if !strings.HasPrefix(src[off:], "import") || !strings.HasPrefix(out[off:], "_$") {
			return fmt.Errorf("dynamic import at %d: %q -> %q", off, excerpt(src, off), excerpt(out, off))
		}
	}
	for _, off := range m.ImportMeta {
		if !strings.HasPrefix(src[off:], "import") || !strings.HasPrefix(out[off:], "_$") {
			return fmt.Errorf("import.meta at %d: %q -> %q", off, excerpt(src, off), excerpt(out, off))
		}
	}
	if m.DefaultVar != "" && strings.Contains(src, m.DefaultVar) {
		return fmt.Errorf("DefaultVar %q occurs in the input", m.DefaultVar)
	}
	for _, im := range m.Imports {
		if !strings.HasPrefix(src[im.LocalPos:], im.Local) {
			return fmt.Errorf("import %+v: %q at LocalPos", im, excerpt(src, im.LocalPos))
		}
	}
	for _, e := range m.Exports {
		if e.Local != "" && e.Local != m.DefaultVar && !strings.HasPrefix(src[e.LocalPos:], e.Local) &&
			!strings.HasPrefix(src[e.LocalPos+1:], e.Local) { // a quoted local
			return fmt.Errorf("export %+v: %q at LocalPos", e, excerpt(src, e.LocalPos))
		}
		if e.Local == m.DefaultVar && e.Local != "" && !strings.HasPrefix(out[e.LocalPos:], e.Local) {
			return fmt.Errorf("default export %+v: %q at LocalPos in output", e, excerpt(out, e.LocalPos))
		}
	}
	return nil
}

// synthesized reports whether name is an identifier Lower wrote.
func synthesized(out string, m *Module, name string, off int) bool {
	if m == nil {
		return false
	}
	if name == m.DefaultVar {
		return true
	}
	for _, o := range append(append([]int(nil), m.DynamicImports...), m.ImportMeta...) {
		if o == off {
			return true
		}
	}
	return false
}

// identifiers checks that every identifier goja sees in out sits at the
// same offset with the same bytes in src (synthesized ones excepted). It
// returns how many it checked.
func identifiers(prg *ast.Program, src, out string, m *Module) (int, error) {
	var err error
	n := 0
	check := func(id *ast.Identifier) {
		name := id.Name.String()
		off := int(id.Idx) - 1
		if off >= 0 && off < len(out) && out[off] == '#' {
			off++
		}
		if off < 0 || off+len(name) > len(out) {
			err = fmt.Errorf("identifier %q at offset %d out of range", name, off)
			return
		}
		n++
		got := out[off : off+len(name)]
		if got != name {
			if strings.Contains(out[off:min(len(out), off+6*len(name)+6)], `\`) {
				return // spelled with escapes
			}
			err = fmt.Errorf("identifier %q at %d: output has %q", name, off, got)
			return
		}
		if src[off:off+len(name)] != name && !synthesized(out, m, name, off) {
			err = fmt.Errorf("identifier %q at %d: input has %q", name, off, excerpt(src, off))
		}
	}
	// Literals must be untouched too: nothing inside a string, regex or
	// template is ever rewritten.
	literal := func(idx int, lit string) {
		off := idx - 1
		if off < 0 || off+len(lit) > len(out) || out[off:off+len(lit)] != lit || src[off:off+len(lit)] != lit {
			err = fmt.Errorf("literal %q at %d: input has %q", lit, off, excerpt(src, off))
		}
	}
	walk.Inspect(prg, func(nd ast.Node) bool {
		switch nd := nd.(type) {
		case *ast.Identifier:
			check(nd)
		case *ast.PrivateIdentifier:
			check(&nd.Identifier)
		case *ast.StringLiteral:
			literal(int(nd.Idx), nd.Literal)
		case *ast.RegExpLiteral:
			// Not nd.Literal: goja slices it wrong when a line break
			// follows (`/a/g\nfoo()` gives "/a/g\nfo").
			literal(int(nd.Idx), "/"+nd.Pattern+"/"+nd.Flags)
		case *ast.NumberLiteral:
			literal(int(nd.Idx), nd.Literal)
		case *ast.TemplateElement:
			// goja's Idx for template pieces is a few bytes off (the ` or }
			// before them, or further): look for the text nearby. Their
			// literal has \r and \r\n normalized to \n: skip those.
			if strings.Contains(nd.Literal, "\n") {
				return true
			}
			for k := int(nd.Idx) - 3; k <= int(nd.Idx)+3; k++ {
				if k >= 1 && k-1+len(nd.Literal) <= len(out) && out[k-1:k-1+len(nd.Literal)] == nd.Literal {
					literal(k, nd.Literal)
					return err == nil
				}
			}
			err = fmt.Errorf("template text %q not found near %d", nd.Literal, nd.Idx)
		}
		return err == nil
	})
	return n, err
}

// lowerBlamed reports whether goja's failure on the lowered text out can
// be Lower's fault: it sits at or next to a byte Lower changed, or at an
// import, export or await Lower left in place. goja also fails on some
// valid inputs esbuild normalizes (e.g. `const A=async` at the end of the
// input), and those failures are elsewhere.
func lowerBlamed(src, out string, err error) bool {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return true
	}
	off := -1
	lines := 1
	for i := 0; i < len(out); i++ { // goja's line:column back to an offset
		if lines == list[0].Position.Line {
			off = i + list[0].Position.Column - 1
			break
		}
		if out[i] == '\n' || out[i] == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			lines++
		}
	}
	if off < 0 || off > len(out) {
		return true
	}
	for i := max(0, off-2); i < min(len(src), off+2); i++ {
		if src[i] != out[i] {
			return true
		}
	}
	for _, kw := range []string{"import", "export", "await"} {
		if strings.HasPrefix(out[off:], kw) {
			return true
		}
	}
	return false
}

// sameAsSlow checks that skim's fast paths change nothing: lowering with
// every token going through lex gives the same text, module and error.
func sameAsSlow(src string, opts Options, out string, m *Module, err error) error {
	out2, m2, err2 := lower(src, opts, true)
	if out2 != out || !reflect.DeepEqual(m2, m) || fmt.Sprint(err2) != fmt.Sprint(err) {
		return fmt.Errorf("fast and slow paths differ:\n fast %q %+v %v\n slow %q %+v %v", out, m, err, out2, m2, err2)
	}
	return nil
}

// checkLowering lowers src, checks every invariant and that goja parses
// the result, and returns it.
func checkLowering(t testing.TB, name, src string) (string, *Module) {
	t.Helper()
	out, m, err := Lower(src)
	if err != nil {
		t.Fatalf("%s: Lower: %v", name, err)
	}
	if err := sameAsSlow(src, Options{}, out, m, nil); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := invariants(src, out, m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	prg, err := parser.ParseFile(nil, name, out, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatalf("%s: goja rejects the lowered text: %v\n%s", name, err, around(out, err))
	}
	if _, err := identifiers(prg, src, out, m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out, m
}

func excerpt(s string, off int) string {
	return s[max(0, off-20):min(len(s), off+40)]
}

// around quotes the lowered text near a goja error's line and column.
func around(out string, err error) string {
	var el parser.ErrorList
	if e, ok := err.(parser.ErrorList); ok {
		el = e
	}
	if len(el) == 0 {
		return ""
	}
	line := el[0].Position.Line
	lines := strings.SplitAfter(out, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	l := lines[line-1]
	col := el[0].Position.Column - 1
	return fmt.Sprintf("%q", l[max(0, min(len(l), col)-80):min(len(l), col+80)])
}
