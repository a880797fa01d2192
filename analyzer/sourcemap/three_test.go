package sourcemap

import (
	"cmp"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/manglecheck/manglecheck/fixtures/cachetest"
)

// threePath is three.js×10 minified by esbuild, built by
// fixtures/realworld/fetch.sh: a 7.5 MB bundle with a 32 MB map.
const threePath = "../../fixtures/realworld/.cache/three-x10.iife.min.js"

var three struct {
	sync.Once
	js      string
	mapJSON []byte
	err     error
}

// threeBundle returns the three.js×10 bundle and map, or skips when
// fetch.sh has not built them.
func threeBundle(tb testing.TB) (string, []byte) {
	tb.Helper()
	three.Do(func() {
		var js []byte
		if js, three.err = os.ReadFile(threePath); three.err == nil {
			three.js = string(js)
			three.mapJSON, three.err = os.ReadFile(threePath + ".map")
		}
	})
	if three.err != nil {
		cachetest.Missing(tb, threePath, "fixtures/realworld/fetch.sh")
	}
	return three.js, three.mapJSON
}

// threeFinds is the number of lookups of the Find benchmarks: about one per
// identifier and property of the bundle, as the analyzer makes them.
const threeFinds = 300_000

// sortedPositions returns n random positions of js in increasing order,
// like the preorder walk of the AST that makes most Finds.
func sortedPositions(js string, n int) [][2]int {
	out := positions(js, n)
	slices.SortFunc(out, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return out
}

// liveBytes returns the heap bytes that f's result keeps alive.
func liveBytes(f func() any) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return after.HeapAlloc - before.HeapAlloc
}

// BenchmarkThreeParse parses the three.js map and reports, as live-MB, the
// heap the decoded Map keeps beyond the map text itself.
func BenchmarkThreeParse(b *testing.B) {
	_, data := threeBundle(b)
	live := liveBytes(func() any {
		m, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		return m
	})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(live)/1e6, "live-MB")
}

func benchmarkThreeFind(b *testing.B, shuffle bool) {
	js, data := threeBundle(b)
	m, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	pos := sortedPositions(js, threeFinds)
	if shuffle {
		r := rand.New(rand.NewPCG(5, 6))
		r.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pos[i]
		if _, ok := m.Find(p[0], p[1]); !ok && p[1] > 200 {
			b.Fatalf("no mapping at %v", p)
		}
		if i++; i == len(pos) {
			i = 0
		}
	}
}

// BenchmarkThreeFindSequential looks positions up in increasing order, as
// the analyzer's walk does.
func BenchmarkThreeFindSequential(b *testing.B) { benchmarkThreeFind(b, false) }

// BenchmarkThreeFindRandom looks the same positions up in random order.
func BenchmarkThreeFindRandom(b *testing.B) { benchmarkThreeFind(b, true) }
