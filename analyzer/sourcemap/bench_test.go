package sourcemap

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gosourcemap "github.com/go-sourcemap/sourcemap"

	"github.com/manglecheck/manglecheck/analyzer/lines"
)

// bigModules is the number of synthetic modules in the benchmark bundle;
// 1400 gives a ~7.6 MB minified bundle with a ~33 MB map (sourcesContent
// included), the size of three.js×10 from FACTS.md.
const bigModules = 3200

// bigSources returns a synthetic app of n modules: classes, closures and
// long identifiers that minification renames, and some non-ASCII text.
func bigSources(n int) map[string]string {
	files := map[string]string{}
	var entry strings.Builder
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "// Module %d — synthetic, with non-ASCII: ½ € 😀\n", i)
		fmt.Fprintf(&b, "export class RecordService%d {\n  constructor(serviceOptions) {\n    this.serviceOptions = serviceOptions;\n    this.recordCache = new Map();\n  }\n", i)
		for j := range 12 {
			fmt.Fprintf(&b, `  fetchRecord%[2]d(recordIdentifier, fallbackValue) {
    const cacheKey = "record:" + recordIdentifier + ":%[1]d:%[2]d €";
    if (this.recordCache.has(cacheKey)) return this.recordCache.get(cacheKey);
    const computedValue = transformValue%[1]d(recordIdentifier, fallbackValue) + this.serviceOptions.offset;
    this.recordCache.set(cacheKey, computedValue);
    return computedValue;
  }
`, i, j)
		}
		b.WriteString("}\n")
		fmt.Fprintf(&b, `export function transformValue%[1]d(inputValue, defaultValue) {
  let runningAccumulator = 0;
  for (let loopIndex = 0; loopIndex < inputValue; loopIndex++) {
    runningAccumulator += (loopIndex * %[1]d) %% 7;
  }
  const describeResult = (resultValue) => "result " + resultValue + " of module %[1]d";
  return runningAccumulator ? describeResult(runningAccumulator) : defaultValue;
}
`, i)
		files[fmt.Sprintf("m%d.js", i)] = b.String()
		fmt.Fprintf(&entry, "import { RecordService%[1]d, transformValue%[1]d } from './m%[1]d.js';\n", i)
		fmt.Fprintf(&entry, "console.log(new RecordService%[1]d({ offset: %[1]d }).fetchRecord3(%[1]d, 1), transformValue%[1]d(2, 3));\n", i)
	}
	files["entry.js"] = entry.String()
	return files
}

var big struct {
	sync.Once
	js      string
	mapJSON []byte
}

// bigBundle returns the benchmark bundle and map, built once per process.
func bigBundle(tb testing.TB) (string, []byte) {
	tb.Helper()
	big.Do(func() {
		big.js, big.mapJSON = bundle(tb, bigSources(bigModules), "entry.js", bundleOpts{minify: true, utf8: true})
	})
	if big.mapJSON == nil {
		tb.Fatal("big bundle unavailable (its build failed earlier)")
	}
	return big.js, big.mapJSON
}

func BenchmarkParse(b *testing.B) {
	js, data := bigBundle(b)
	b.Logf("bundle %.1f MB, map %.1f MB", float64(len(js))/1e6, float64(len(data))/1e6)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseGoSourcemap is the baseline: go-sourcemap is in the module
// graph already (goja uses it), not a dependency of this package.
func BenchmarkParseGoSourcemap(b *testing.B) {
	_, data := bigBundle(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gosourcemap.Parse("bundle.js.map", data); err != nil {
			b.Fatal(err)
		}
	}
}

// positions returns n random (line, col16) positions in js.
func positions(js string, n int) [][2]int {
	idx := lines.New(js)
	r := rand.New(rand.NewPCG(1, 2))
	out := make([][2]int, n)
	for i := range out {
		l, c := idx.Position(r.IntN(len(js)))
		out[i] = [2]int{l, c}
	}
	return out
}

func BenchmarkFind(b *testing.B) {
	js, data := bigBundle(b)
	m, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	pos := positions(js, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pos[i%len(pos)]
		if _, ok := m.Find(p[0], p[1]); !ok {
			b.Fatalf("no mapping at %v", p)
		}
		i++
	}
}

func BenchmarkFindGoSourcemap(b *testing.B) {
	js, data := bigBundle(b)
	c, err := gosourcemap.Parse("bundle.js.map", data)
	if err != nil {
		b.Fatal(err)
	}
	pos := positions(js, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pos[i%len(pos)]
		// go-sourcemap takes 1-based lines.
		c.Source(p[0]+1, p[1])
		i++
	}
}

// TestFindAgreesWithGoSourcemap cross-checks Find against go-sourcemap on
// the benchmark bundle at random positions where both find a mapping.
// Positions go-sourcemap misses are skipped (v2.1.3 dropped segments
// that point at original line 1, column 0; go.mod now has v2.1.4).
func TestFindAgreesWithGoSourcemap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the benchmark bundle")
	}
	js, data := bigBundle(t)
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := gosourcemap.Parse("bundle.js.map", data)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, p := range positions(js, 20000) {
		src, name, line, col, ok := c.Source(p[0]+1, p[1])
		if !ok {
			continue
		}
		mp, found := m.Find(p[0], p[1])
		if !found {
			t.Fatalf("Find%v: nothing; go-sourcemap: %s:%d:%d", p, src, line, col)
		}
		if mp.Source != src || mp.OrigLine != line-1 || mp.OrigCol != col || mp.Name != name {
			t.Fatalf("Find%v = %s:%d:%d %q; go-sourcemap %s:%d:%d %q", p, mp.Source, mp.OrigLine, mp.OrigCol, mp.Name, src, line-1, col, name)
		}
		compared++
	}
	if compared < 10000 {
		t.Errorf("only %d positions compared", compared)
	}
}

// BenchmarkLocateSameLine measures Locate on the benchmark bundle joined
// into one line that ends in its sourceMappingURL comment, the worst case of
// the comment scan: it reads every token of that line. The map it names is
// small, so the scan is most of the time.
func BenchmarkLocateSameLine(b *testing.B) {
	js, _ := bigBundle(b)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.js.map"), []byte(`{"version":3,"mappings":""}`), 0o644); err != nil {
		b.Fatal(err)
	}
	src := []byte(strings.ReplaceAll(js, "\n", " ") + ";//# sourceMappingURL=app.js.map\n")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, where, err := Locate(filepath.Join(dir, "app.js"), src, dir, 0); err != nil || where != filepath.Join(dir, "app.js.map") {
			b.Fatalf("where %q, err %v", where, err)
		}
	}
}
