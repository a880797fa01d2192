package policy

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// The code frames and suppression comments of an original source count
// lines as the source map does, at every ECMAScript line terminator: a
// source that ends lines with U+2028 or a lone \r must show the line the
// finding is on and honour the comment just above it.
func TestFilePolicyLineTerminators(t *testing.T) {
	for _, tc := range []struct {
		name, source string
		wantFrame    []string // nil: the finding is suppressed
	}{
		{"U+2028", "one\u2028two\nthree\nfour", []string{"one", "two", "three"}},
		{"lone CR", "one\rtwo\r\nthree\nfour", []string{"one", "two", "three"}},
		{"comment after U+2029", "a()\u2029// manglecheck-ignore-next-line some-rule -- test\ncall()", nil},
		{"comment after lone CR", "a()\r// manglecheck-ignore-next-line some-rule -- test\ncall()", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One segment: the bundle's first character is line 3 (0-based 2),
			// column 0 of a.js.
			content, _ := json.Marshal(tc.source)
			sm, err := sourcemap.Parse([]byte(`{"version":3,"sources":["a.js"],"sourcesContent":[` + string(content) + `],"mappings":"AAEA"}`))
			if err != nil {
				t.Fatal(err)
			}
			p, err := New(Config{})
			if err != nil {
				t.Fatal(err)
			}
			const bundle = "x()"
			fc := p.File(Bundle{Path: "b.js", Src: bundle, Lines: lines.New(bundle), Map: sm, MapPath: "b.js.map"})
			in := []analyzer.Finding{{
				Rule:     "some-rule",
				Bundle:   analyzer.Position{Path: "b.js", Line: 1, Column: 1},
				Original: &analyzer.Original{Source: "a.js", Line: 3, Column: 1},
			}}
			out := fc.Apply(in)
			if tc.wantFrame == nil {
				if len(out) != 0 {
					t.Fatalf("finding not suppressed by the comment on line 2: frame %q", out[0].Original.Lines)
				}
				return
			}
			if len(out) != 1 {
				t.Fatalf("got %d findings, want 1", len(out))
			}
			if got := out[0].Original.Lines; !reflect.DeepEqual(got, tc.wantFrame) {
				t.Errorf("code frame of line 3 = %q, want %q", got, tc.wantFrame)
			}
		})
	}
}
