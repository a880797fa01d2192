package originals

import (
	"encoding/json"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// A segment without a name is read in the source text: the identifier
// there is the original name; no identifier there (swc's IIFE maps put
// some identifiers at punctuation) says nothing about the name.
func TestOriginalAtReadsTheSource(t *testing.T) {
	const bundle = "m=class{};"
	const source = "foo();\nvar User = class {\n};\n"
	for _, c := range []struct {
		mappings string
		want     string
		known    bool
	}{
		{"AACI", "User", true}, // line 1, column 4: User
		{"AAAG", "", false},    // line 0, column 3: ");"
	} {
		content, _ := json.Marshal(source)
		raw := `{"version":3,"sources":["a.ts"],"sourcesContent":[` + string(content) + `],"names":["Other"],"mappings":"` + c.mappings + `"}`
		sm, err := sourcemap.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		texts := []*names.SourceText{{Lines: lines.New(source)}}
		originalAt, _ := Lookups(sm, texts, lines.New(bundle), func(pos int) (int, bool) { return pos, true })
		got, known := originalAt(0, "m")
		if got != c.want || known != c.known {
			t.Errorf("%s: got %q %v, want %q %v", c.mappings, got, known, c.want, c.known)
		}
	}
}
