package sourcemap

import (
	"path/filepath"
	"testing"
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
	})
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
