package sourcemap

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	gosourcemap "github.com/go-sourcemap/sourcemap"
)

func FuzzParse(f *testing.F) {
	_, minified := bundle(f, testFiles, "entry.js", bundleOpts{minify: true, utf8: true})
	_, plain := bundle(f, collisionFiles, "entry.js", bundleOpts{esm: true})
	f.Add(minified)
	f.Add(plain)
	f.Add([]byte(nestedIndex(string(minified), 2)))
	f.Add([]byte(mapJSON(seg(2, 1, 10, 4, 1) + "," + seg(5, -1, -7, -4) + ";" + seg(1, 0, 1, 2) + ";;" + seg(5))))
	f.Add([]byte(`{"version":3,"sourceRoot":"r","sources":["a",null],"sourcesContent":["x\n\u00e9",null],"names":["n\u0041"],"mappings":"AAAAA,CCAA"}`))
	f.Add([]byte(`{"version":3,"sections":[{"offset":{"line":0,"column":3},"map":` + mapJSON("AAAA,CAAA;A") + `}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		sources := m.Sources()
		for line := range 4 {
			for _, col := range []int{0, 1, 2, 5, 40, 1 << 30} {
				mp, ok := m.Find(line, col)
				if !ok {
					continue
				}
				if mp.GenLine != line || mp.GenCol > col || mp.GenCol < 0 {
					t.Fatalf("Find(%d,%d) returned segment at %d:%d", line, col, mp.GenLine, mp.GenCol)
				}
				if mp.SourceIndex < -1 || mp.SourceIndex >= len(sources) {
					t.Fatalf("SourceIndex %d out of range [-1,%d)", mp.SourceIndex, len(sources))
				}
				if mp.SourceIndex >= 0 && sources[mp.SourceIndex] != mp.Source {
					t.Fatalf("Source %q != Sources()[%d] %q", mp.Source, mp.SourceIndex, sources[mp.SourceIndex])
				}
				if mp.OrigLine < 0 || mp.OrigCol < 0 {
					t.Fatalf("negative original position %+v", mp)
				}
				// The segment found is itself found at its own position.
				if again, ok := m.Find(mp.GenLine, mp.GenCol); !ok || again != mp {
					t.Fatalf("Find at the segment's own position = %+v, %v; want %+v", again, ok, mp)
				}
			}
		}
		for i := -1; i <= len(sources); i++ {
			m.SourceContent(i)
		}
		// Find decodes from checkpoints what an eager decode finds.
		checkAgainstRef(t, m, nil)
		// And what go-sourcemap, which shares no code with this package,
		// finds, on the maps it reads as the specification does: regular
		// maps whose segments are in column order on each line (it
		// binary-searches them as given).
		if sortedRegularMap(data) {
			checkAgainstGoSourcemap(t, data, m, fuzzProbes)
		}
	})
}

// sortedRegularMap reports whether data is a regular map (no sections)
// whose mappings are well-formed base64 VLQ segments of 1, 4 or 5 fields,
// with generated columns increasing along each line and every source and
// name index inside its list: a map as ECMA-426 defines it, which two
// decoders must read alike (on others go-sourcemap returns what an index
// out of range gives it). Its decoding is deliberately its own, not the
// package's.
func sortedRegularMap(data []byte) bool {
	var raw struct {
		Sections json.RawMessage   `json:"sections"`
		Sources  []json.RawMessage `json:"sources"`
		Names    []json.RawMessage `json:"names"`
		Mappings string            `json:"mappings"`
	}
	if json.Unmarshal(data, &raw) != nil || raw.Sections != nil {
		return false
	}
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	// vlq decodes the fields of one segment.
	vlq := func(seg string) ([]int64, bool) {
		var fields []int64
		for i := 0; i < len(seg); {
			var acc uint64
			for shift := uint(0); ; i, shift = i+1, shift+5 {
				if i >= len(seg) || shift > 30 {
					return nil, false
				}
				d := strings.IndexByte(digits, seg[i])
				if d < 0 {
					return nil, false
				}
				acc |= uint64(d&31) << shift
				if d&32 == 0 {
					i++
					break
				}
			}
			v := int64(acc >> 1)
			if acc&1 != 0 {
				v = -v
			}
			fields = append(fields, v)
		}
		return fields, true
	}
	var src, name int64
	for _, line := range strings.Split(raw.Mappings, ";") {
		col := int64(-1)
		for _, seg := range strings.Split(line, ",") {
			if seg == "" {
				continue
			}
			f, ok := vlq(seg)
			if !ok || len(f) != 1 && len(f) != 4 && len(f) != 5 {
				return false
			}
			next := max(col, 0) + f[0]
			if col >= 0 && f[0] <= 0 || next < 0 {
				return false
			}
			col = next
			if len(f) >= 4 {
				src += f[1]
				if src < 0 || src >= int64(len(raw.Sources)) {
					return false
				}
			}
			if len(f) == 5 {
				name += f[4]
				if name < 0 || name >= int64(len(raw.Names)) {
					return false
				}
			}
		}
	}
	return true
}

// fuzzProbes are the generated positions FuzzParse compares with
// go-sourcemap: lines 0–3 (0-based) at columns (UTF-16) up to where the
// seeds' minified line needs VLQ values of several digits.
var fuzzProbes = func() [][2]int {
	var out [][2]int
	for line := range 4 {
		for _, col := range []int{0, 1, 2, 5, 40, 100, 700, 3000, 20000, 1 << 30} {
			out = append(out, [2]int{line, col})
		}
	}
	return out
}()

// checkAgainstGoSourcemap looks up each generated position (0-based line,
// UTF-16 column) with go-sourcemap too, an independent decoder of the same
// map: where both find a mapping with a source, they must agree on the
// source, original position and name. It returns how many positions were compared; a map
// go-sourcemap rejects compares none.
func checkAgainstGoSourcemap(t *testing.T, data []byte, m *Map, probes [][2]int) int {
	t.Helper()
	// go-sourcemap v2.1.4 panics on some maps ({"mappings":"A"}, kept in
	// testdata/fuzz/FuzzParse): no reference for those.
	var c *gosourcemap.Consumer
	func() {
		defer func() { _ = recover() }()
		c, _ = gosourcemap.Parse("", data)
	}()
	if c == nil {
		return 0
	}
	compared := 0
	for _, p := range probes {
		// go-sourcemap takes 1-based lines and returns them.
		var src, name string
		var line, col int
		ok := false
		func() {
			defer func() { _ = recover() }()
			src, name, line, col, ok = c.Source(p[0]+1, p[1])
		}()
		if !ok || line < 1 || col < 0 {
			// A negative original position is invalid (ECMA-426):
			// go-sourcemap returns it, Parse drops the segment.
			continue
		}
		mp, found := m.Find(p[0], p[1])
		if !found {
			// Before the line's first segment: go-sourcemap returns
			// the last segment of an earlier line, Find nothing
			// (browsers' devtools do as Find does).
			continue
		}
		if mp.SourceIndex < 0 {
			// A one-field segment: the generated code maps to no
			// source (ECMA-426). go-sourcemap v2.1.4 gives it the
			// previous segment's source position instead.
			continue
		}
		// A null source is "" here and sourceRoot alone there. Invalid
		// UTF-8 in the map's JSON (a source or a name): encoding/json
		// (go-sourcemap) turns it into U+FFFD, Parse keeps the bytes.
		if mp.Source != "" && asJSONDecodes(mp.Source) != src || mp.OrigLine != line-1 || mp.OrigCol != col || asJSONDecodes(mp.Name) != name {
			t.Fatalf("Find(%d,%d) = %q:%d:%d %q; go-sourcemap %q:%d:%d %q", p[0], p[1], mp.Source, mp.OrigLine, mp.OrigCol, mp.Name, src, line-1, col, name)
		}
		compared++
	}
	return compared
}

// asJSONDecodes returns s as encoding/json decodes it: each byte that is
// not part of valid UTF-8 becomes U+FFFD.
func asJSONDecodes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// FuzzLocateComment checks that the trailing-comment scan never panics and
// never reads outside root, whatever the bundle text.
func FuzzLocateComment(f *testing.F) {
	for _, s := range []string{
		"x();\n//# sourceMappingURL=a.map\n",
		"var s=\"//x\";foo(/re\\//g)//# sourceMappingURL=good.map",
		"var t = `${a}//# sourceMappingURL=evil.map`",
		"/*# sourceMappingURL=b.map */",
		"a/*/b*/\n//@ sourceMappingURL=data:application/json;base64,e30=",
		"//# sourceMappingURL=../../etc/passwd",
		"x\u2028//# sourceMappingURL=c.map\u2029 ",
	} {
		f.Add([]byte(s))
	}
	root := f.TempDir()
	bundlePath := filepath.Join(root, "app.js")
	f.Fuzz(func(t *testing.T, src []byte) {
		_, where, err := Locate(bundlePath, src, root, 1<<16)
		if err == nil && where != "inline" {
			if rel, err := filepath.Rel(root, where); err != nil || !filepath.IsLocal(rel) {
				t.Fatalf("read %q outside root %q", where, root)
			}
		}
	})
}
