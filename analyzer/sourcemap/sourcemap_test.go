package sourcemap

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
)

// encVLQ encodes one value as base64 VLQ, the way generators do.
func encVLQ(v int64) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	u := uint64(v) << 1
	if v < 0 {
		u = uint64(-v)<<1 | 1
	}
	var b strings.Builder
	for {
		d := u & 31
		u >>= 5
		if u != 0 {
			d |= 32
		}
		b.WriteByte(digits[d])
		if u == 0 {
			return b.String()
		}
	}
}

// seg encodes one segment from its fields.
func seg(fields ...int64) string {
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(encVLQ(f))
	}
	return b.String()
}

// mapJSON builds a regular map with the given mappings.
func mapJSON(mappings string) string {
	return `{"version":3,"file":"out.js","sources":["a.js","b.js"],"names":["foo","bar"],"mappings":"` + mappings + `"}`
}

func mustParse(t *testing.T, s string) *Map {
	t.Helper()
	m, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse(%.80s): %v", s, err)
	}
	return m
}

func TestVLQValues(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 15, 16, -16, 31, 32, 1000, -1000, math.MaxInt32, -math.MaxInt32, math.MinInt32} {
		got, next, err := vlq([]byte(encVLQ(v)), 0)
		if err != nil || got != v || next != len(encVLQ(v)) {
			t.Errorf("vlq(%q) = %d, %d, %v; want %d", encVLQ(v), got, next, err, v)
		}
	}
	for _, tc := range []struct{ in, err string }{
		{encVLQ(math.MaxInt32 + 1), "exceeds 32 bits"},
		{encVLQ(math.MinInt32 - 1), "exceeds 32 bits"},
		{"gggggggA", "exceeds 32 bits"}, // 8 digits
		{"g", "truncated"},
		{"g,", "truncated"},
		{"!", "invalid base64 digit"},
		{"A=", "invalid base64 digit"},
	} {
		_, _, err := vlq([]byte(tc.in), 0)
		if tc.in == "A=" {
			_, err = decodeMappings([]byte(tc.in), 1, 0)
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("vlq(%q) error = %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestMappingsStructure(t *testing.T) {
	for _, tc := range []struct{ mappings, err string }{
		{"AA", "2 fields"},
		{"AAA", "3 fields"},
		{"AAAAAA", "more than 5 fields"},
		{"AAAA;g", "truncated"},
		{"AAAA,AAAg", "truncated"},
	} {
		if _, err := Parse([]byte(mapJSON(tc.mappings))); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("mappings %q: error %v, want %q", tc.mappings, err, tc.err)
		}
	}
}

func TestFindRelativeFields(t *testing.T) {
	// Line 0: col 2 -> b.js 10:4 "bar"; col 7 -> a.js 3:0 (source delta -1).
	// Line 1: genCol restarts at 0, other fields carry: col 1 -> a.js 4:2.
	// Line 2: empty. Line 3: a one-field segment at col 5 (no source).
	mappings := seg(2, 1, 10, 4, 1) + "," + seg(5, -1, -7, -4) + ";" + seg(1, 0, 1, 2) + ";;" + seg(5)
	m := mustParse(t, mapJSON(mappings))
	cases := []struct {
		line, col int
		ok        bool
		want      Mapping
	}{
		{0, 0, false, Mapping{}},
		{0, 1, false, Mapping{}},
		{0, 2, true, Mapping{GenLine: 0, GenCol: 2, Source: "b.js", SourceIndex: 1, OrigLine: 10, OrigCol: 4, Name: "bar", HasName: true}},
		{0, 6, true, Mapping{GenLine: 0, GenCol: 2, Source: "b.js", SourceIndex: 1, OrigLine: 10, OrigCol: 4, Name: "bar", HasName: true}},
		{0, 7, true, Mapping{GenLine: 0, GenCol: 7, Source: "a.js", SourceIndex: 0, OrigLine: 3, OrigCol: 0}},
		{0, 1 << 30, true, Mapping{GenLine: 0, GenCol: 7, Source: "a.js", SourceIndex: 0, OrigLine: 3, OrigCol: 0}},
		{1, 0, false, Mapping{}},
		{1, 1, true, Mapping{GenLine: 1, GenCol: 1, Source: "a.js", SourceIndex: 0, OrigLine: 4, OrigCol: 2}},
		{2, 9, false, Mapping{}},
		{3, 4, false, Mapping{}},
		{3, 5, true, Mapping{GenLine: 3, GenCol: 5, SourceIndex: -1}},
		{4, 0, false, Mapping{}},
		{-1, 0, false, Mapping{}},
		{0, -1, false, Mapping{}},
	}
	for _, c := range cases {
		got, ok := m.Find(c.line, c.col)
		if ok != c.ok || got != c.want {
			t.Errorf("Find(%d,%d) = %+v, %v\nwant %+v, %v", c.line, c.col, got, ok, c.want, c.ok)
		}
	}
	if m.File() != "out.js" {
		t.Errorf("File() = %q", m.File())
	}
}

func TestUnsortedSegments(t *testing.T) {
	// Columns 5, 0, 9, 5: a stable sort gives 0, 5, 5, 9, and for the tie
	// the later segment (orig line 3) wins, as in Node's findEntry.
	mappings := seg(5, 0, 0, 0) + "," + seg(-5, 0, 1, 0) + "," + seg(9, 0, 1, 0) + "," + seg(-4, 0, 1, 0)
	m := mustParse(t, mapJSON(mappings))
	for _, c := range []struct{ col, genCol, origLine int }{{0, 0, 1}, {4, 0, 1}, {5, 5, 3}, {8, 5, 3}, {9, 9, 2}} {
		got, ok := m.Find(0, c.col)
		if !ok || got.GenCol != c.genCol || got.OrigLine != c.origLine {
			t.Errorf("Find(0,%d) = %+v, want genCol %d origLine %d", c.col, got, c.genCol, c.origLine)
		}
	}
}

func TestEmptyMappings(t *testing.T) {
	for _, mappings := range []string{"", ";;", ";;;,,;"} {
		m := mustParse(t, mapJSON(mappings))
		for line := 0; line < 5; line++ {
			if got, ok := m.Find(line, 0); ok {
				t.Errorf("mappings %q: Find(%d,0) = %+v", mappings, line, got)
			}
		}
	}
	// Segments after empty lines land on the right line.
	m := mustParse(t, mapJSON(";;"+seg(0, 0, 7, 0)))
	if got, ok := m.Find(2, 3); !ok || got.OrigLine != 7 || got.GenLine != 2 {
		t.Errorf("Find(2,3) = %+v, %v", got, ok)
	}
}

func TestDroppedSegments(t *testing.T) {
	// Source index 2 (out of range), then name -1, then a negative column;
	// the deltas still accumulate, so the last segment (back to source 0,
	// name 0) decodes correctly.
	mappings := seg(0, 2, 0, 0) + "," + seg(1, -2, 0, 0, -1) + "," + seg(1, 0, 0, -5) + "," + seg(1, 0, 0, 5+3, 1)
	m := mustParse(t, mapJSON(mappings))
	if m.Dropped() != 3 {
		t.Errorf("Dropped() = %d, want 3", m.Dropped())
	}
	if got, ok := m.Find(0, 3); !ok || got.GenCol != 3 || got.SourceIndex != 0 || got.OrigCol != 3 || got.Name != "foo" {
		t.Errorf("Find(0,3) = %+v, %v", got, ok)
	}
	if _, ok := m.Find(0, 2); ok {
		t.Error("dropped segment found")
	}
	// A generated column that overflows 32 bits is dropped, not wrapped.
	big := seg(math.MaxInt32, 0, 0, 0) + "," + seg(1, 0, 0, 0)
	if m := mustParse(t, mapJSON(big)); m.Dropped() != 1 {
		t.Errorf("overflowing column: Dropped() = %d, want 1", m.Dropped())
	}
}

func TestSourceRoot(t *testing.T) {
	for _, tc := range []struct {
		root string
		want []string
	}{
		{`"src"`, []string{"src/a.js", "src/../b.js", ""}},
		{`"src/"`, []string{"src/a.js", "src/../b.js", ""}},
		{`"https://x.test/app"`, []string{"https://x.test/app/a.js", "https://x.test/app/../b.js", ""}},
		{`""`, []string{"a.js", "../b.js", ""}},
		{`null`, []string{"a.js", "../b.js", ""}},
	} {
		m := mustParse(t, `{"version":3,"sourceRoot":`+tc.root+`,"sources":["a.js","../b.js",null],"mappings":"AAAA,CCAA,CCAA"}`)
		if got := m.Sources(); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("sourceRoot %s: Sources() = %q, want %q", tc.root, got, tc.want)
		}
		if got, _ := m.Find(0, 1); got.Source != tc.want[1] {
			t.Errorf("sourceRoot %s: Mapping.Source = %q", tc.root, got.Source)
		}
	}
}

func TestSourcesContent(t *testing.T) {
	m := mustParse(t, `{"version":3,"sources":["a.js","b.js","c.js","d.js"],
		"sourcesContent":["x = \"é\";\n\u00e9\ud83d\ude00\\", null, "bad \q escape"],
		"names":["a\u0062c"], "mappings":"AAAAA"}`)
	if got, ok := m.SourceContent(0); !ok || got != "x = \"é\";\né😀\\" {
		t.Errorf("SourceContent(0) = %q, %v", got, ok)
	}
	for _, i := range []int{1, 2, 3, -1, 4} {
		if got, ok := m.SourceContent(i); ok {
			t.Errorf("SourceContent(%d) = %q, want absent", i, got)
		}
	}
	if got, _ := m.Find(0, 0); got.Name != "abc" {
		t.Errorf("escaped name = %q", got.Name)
	}
	// Without sourcesContent the map does not retain the input.
	if m := mustParse(t, mapJSON("AAAA")); m.data != nil {
		t.Error("map without sourcesContent retains its input")
	}
}

func TestParseVariants(t *testing.T) {
	for _, s := range []string{
		")]}'\n" + mapJSON("AAAA"),
		"\xEF\xBB\xBF" + mapJSON("AAAA"),
		`{"mappings":"AAAA","sources":["a.js"],"x_google_ignoreList":[0],"extra":{"deep":[1,2.5e3,-0.1,true,false,null,"s"]}}`,
		`{"version":3,"m\u0061ppings":"AAAA","sources":["a.js"]}`,
		`{"version":3,"mappings":"\u0041AAA","sources":["a.js"]}`,
		" \n\t" + mapJSON("AAAA") + "\n ",
	} {
		m := mustParse(t, s)
		if got, ok := m.Find(0, 0); !ok || got.SourceIndex != 0 {
			t.Errorf("%.60q: Find(0,0) = %+v, %v", s, got, ok)
		}
	}
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("[", 100000)
	for _, tc := range []struct{ in, err string }{
		{``, "end of JSON"},
		{`not json`, "invalid JSON"},
		{`[]`, "want '{'"},
		{`{"version":3,"mappings":"AAAA"`, "want ',' or '}'"},
		{`{"version":2,"mappings":""}`, "version 2"},
		{`{"version":3}`, "no mappings"},
		{`{"version":3,"mappings":1}`, "not a string"},
		{`{"version":3,"mappings":"","sources":"a.js"}`, "want '['"},
		{`{"version":3,"mappings":"","sources":[1]}`, "string or null"},
		{`{"version":3,"mappings":"","names":["a\x"]}`, "invalid escape"},
		{`{"version":3,"mappings":"","sourcesContent":[1]}`, "sourcesContent"},
		{`{"version":3,"mappings":"","x":` + deep, "nested deeper"},
		{`{"version":3,"mappings":"","mappings":""}`, "duplicate"},
		{mapJSON("AAAA") + "x", "after the JSON object"},
		{`{"version":3.5,"mappings":""}`, "not an integer"},
		{`{"version":99999999999,"mappings":""}`, "out of range"},
		{`{"version":3,"mappings":"","sections":[]}`, "both sections and mappings"},
		{`{"version":3,"sections":[{"offset":{"line":0,"column":0},"url":"a.map"}]}`, "url"},
		{`{"version":3,"sections":[{"offset":{"line":0,"column":0}}]}`, "no map"},
		{`{"version":3,"sections":[{"offset":{"line":-1,"column":0},"map":` + mapJSON("") + `}]}`, "invalid offset"},
		{`{"version":3,"sections":[{"map":` + mapJSON("") + `}]}`, "invalid offset"},
		{`{"version":3,"sections":[{"offset":{"line":5,"column":0},"map":` + mapJSON("") + `},{"offset":{"line":4,"column":0},"map":` + mapJSON("") + `}]}`, "starts before"},
		{`{"version":3,"mappings":"\u00"}`, "invalid JSON string"},
		{`{"version":3,"mappings":"AAAA`, "unterminated"},
		{"{\"version\":3,\"file\":\"a\x01\",\"mappings\":\"\"}", "control character"},
	} {
		_, err := Parse([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Parse(%.60q) error = %v, want %q", tc.in, err, tc.err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "sourcemap: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
	}
}

// nestedIndex wraps inner in depth levels of index maps.
func nestedIndex(inner string, depth int) string {
	for range depth {
		inner = `{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":` + inner + `}]}`
	}
	return inner
}

func TestIndexMapNesting(t *testing.T) {
	m := mustParse(t, nestedIndex(mapJSON(seg(3, 1, 2, 0)), maxSectionDepth))
	if got, ok := m.Find(0, 4); !ok || got.Source != "b.js" || got.OrigLine != 2 || got.GenCol != 3 {
		t.Errorf("nested Find = %+v, %v", got, ok)
	}
	if _, err := Parse([]byte(nestedIndex(mapJSON(""), maxSectionDepth+1))); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("too deep: err = %v", err)
	}
	// Deep nesting must fail fast, not recurse into a stack overflow.
	if _, err := Parse([]byte(strings.Repeat(`{"sections":[{"map":`, 200000))); err == nil {
		t.Error("hostile nesting parsed")
	}
}

func TestIndexMapSections(t *testing.T) {
	// Section 0 at 0:0 maps cols 0 and 20 on line 0 (the latter must be
	// hidden by section 1, which starts at 0:10). Section 1's first line is
	// shifted by 10 columns, its second line is not.
	s0 := `{"version":3,"sources":["a.js"],"names":["x"],"mappings":"` + seg(0, 0, 0, 0, 0) + "," + seg(20, 0, 5, 0) + `"}`
	s1 := `{"version":3,"sourceRoot":"r","sources":["b.js","c.js"],"names":["y"],"sourcesContent":[null,"C"],"mappings":"` +
		seg(2, 1, 1, 1, 0) + ";" + seg(4, -1, 0, 0) + `"}`
	idx := `{"version":3,"file":"all.js","sections":[
		{"offset":{"line":0,"column":0},"map":` + s0 + `},
		{"offset":{"line":0,"column":10},"map":` + s1 + `}]}`
	m := mustParse(t, idx)
	if got := fmt.Sprint(m.Sources()); got != "[a.js r/b.js r/c.js]" {
		t.Errorf("Sources() = %s", got)
	}
	if got, ok := m.SourceContent(2); !ok || got != "C" {
		t.Errorf("SourceContent(2) = %q, %v", got, ok)
	}
	if m.File() != "all.js" {
		t.Errorf("File() = %q", m.File())
	}
	cases := []struct {
		line, col int
		ok        bool
		want      Mapping
	}{
		{0, 5, true, Mapping{GenLine: 0, GenCol: 0, Source: "a.js", SourceIndex: 0, Name: "x", HasName: true}},
		// 0:10 and 0:11 are in section 1 before its first segment (0:12).
		{0, 10, false, Mapping{}},
		{0, 11, false, Mapping{}},
		{0, 12, true, Mapping{GenLine: 0, GenCol: 12, Source: "r/c.js", SourceIndex: 2, OrigLine: 1, OrigCol: 1, Name: "y", HasName: true}},
		// 0:25 would be section 0's col-20 segment without section lookup.
		{0, 25, true, Mapping{GenLine: 0, GenCol: 12, Source: "r/c.js", SourceIndex: 2, OrigLine: 1, OrigCol: 1, Name: "y", HasName: true}},
		{1, 4, true, Mapping{GenLine: 1, GenCol: 4, Source: "r/b.js", SourceIndex: 1, OrigLine: 1, OrigCol: 1}},
		{1, 3, false, Mapping{}},
		{2, 0, false, Mapping{}},
	}
	for _, c := range cases {
		got, ok := m.Find(c.line, c.col)
		if ok != c.ok || got != c.want {
			t.Errorf("Find(%d,%d) = %+v, %v\nwant %+v, %v", c.line, c.col, got, ok, c.want, c.ok)
		}
	}
	// A huge section offset costs nothing: sections are not flattened.
	far := `{"version":3,"sections":[{"offset":{"line":2147483647,"column":2147483647},"map":` + s0 + `}]}`
	mf := mustParse(t, far)
	if got, ok := mf.Find(math.MaxInt32, math.MaxInt32); !ok || got.GenCol != math.MaxInt32 {
		t.Errorf("far section Find = %+v, %v", got, ok)
	}
}

// hostile returns inputs of about n bytes that stress one dimension each.
func hostile(n int) map[string]string {
	return map[string]string{
		"segments":   mapJSON(strings.Repeat("A,", n/2)),
		"fullsegs":   mapJSON(strings.Repeat("ACAAC,", n/6)),
		"unsorted":   mapJSON(strings.Repeat("C,D,", n/4)), // decoded eagerly
		"lines":      mapJSON(strings.Repeat(";", n)),
		"names":      `{"version":3,"mappings":"","names":[` + strings.Repeat(`"n",`, n/4) + `"n"]}`,
		"sources":    `{"version":3,"mappings":"","sources":[` + strings.Repeat(`"s",`, n/4) + `"s"]}`,
		"contents":   `{"version":3,"mappings":"","sources":["a"],"sourcesContent":[` + strings.Repeat(`"\"\\",`, n/6) + `""]}`,
		"sections":   `{"version":3,"sections":[` + strings.Repeat(`{"offset":{"line":9,"column":9},"map":{"mappings":""}},`, n/60) + `{"offset":{"line":9,"column":9},"map":{"mappings":"A"}}]}`,
		"bigcontent": `{"version":3,"mappings":"AAAA","sources":["a"],"sourcesContent":["` + strings.Repeat(`x\n`, n/3) + `"]}`,
	}
}

func TestHostileAllocationBound(t *testing.T) {
	const n = 1 << 20
	for name, in := range hostile(n) {
		data := []byte(in)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, err := Parse(data)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		m.Find(0, 0)
		// The worst cases are ";;;;" (8 bytes per line) and a sources array
		// of 1-character strings; Parse keeps segments in the text.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 12*uint64(len(data)) {
			t.Errorf("%s: Parse of %d bytes allocated %d bytes", name, len(data), alloc)
		}
	}
}

func TestMillionsOfSegments(t *testing.T) {
	m := mustParse(t, mapJSON(strings.Repeat("CAAC,", 3_000_000)))
	got, ok := m.Find(0, 1<<30)
	if !ok || got.GenCol != 3_000_000 || got.OrigCol != 3_000_000 {
		t.Errorf("Find(last) = %+v, %v", got, ok)
	}
	if m.Dropped() != 0 {
		t.Errorf("Dropped = %d", m.Dropped())
	}
}

func TestDecodeSources(t *testing.T) {
	// Two lines of segments, sources a.js (with a big content), b.js (no
	// content) and c.js (content that is not a valid JSON string).
	var mappings strings.Builder
	for line := 0; line < 2; line++ {
		if line > 0 {
			mappings.WriteByte(';')
		}
		for i := 0; i < 50; i++ {
			if i > 0 {
				mappings.WriteByte(',')
			}
			mappings.WriteString(seg(3, int64(i%3)-1, 1, 2, int64(i%2)))
		}
	}
	big := strings.Repeat(`line \"one\"\n`, 5000)
	text := `{"version":3,"sources":["a.js","b.js","c.js"],"names":["foo","bar"],"sourcesContent":["` + big +
		`",null,"bad \q"],"mappings":"` + mappings.String() + `"}`
	before, after := mustParse(t, text), mustParse(t, text)
	after.DecodeSources()
	if after.data != nil {
		t.Error("DecodeSources kept the map text")
	}
	if len(after.root.dec.m) != mappings.Len() || cap(after.root.dec.m) != mappings.Len() {
		t.Errorf("mappings text not copied out: len %d, cap %d", len(after.root.dec.m), cap(after.root.dec.m))
	}
	for i := -1; i <= 3; i++ {
		w, wok := before.SourceContent(i)
		g, gok := after.SourceContent(i)
		if w != g || wok != gok {
			t.Errorf("SourceContent(%d) = %.20q, %v; want %.20q, %v", i, g, gok, w, wok)
		}
	}
	for line := 0; line < 3; line++ {
		for col := 0; col < 200; col++ {
			w, wok := before.Find(line, col)
			g, gok := after.Find(line, col)
			if w != g || wok != gok {
				t.Fatalf("Find(%d, %d) = %+v, %v; want %+v, %v", line, col, g, gok, w, wok)
			}
		}
	}
	after.DecodeSources() // a second call changes nothing
	if g, ok := after.SourceContent(0); !ok || !strings.HasPrefix(g, "line \"one\"\n") {
		t.Errorf("SourceContent(0) after a second DecodeSources = %.20q, %v", g, ok)
	}
}
