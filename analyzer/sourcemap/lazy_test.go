package sourcemap

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// regularParts returns m's regular parts in document order, with the
// number of sources of each.
func regularParts(m *Map) ([]*part, []int) {
	var parts []*part
	var walk func(p *part)
	walk = func(p *part) {
		if p.sections == nil {
			parts = append(parts, p)
			return
		}
		for _, s := range p.sections {
			walk(s.part)
		}
	}
	walk(&m.root)
	n := make([]int, len(parts))
	for i, p := range parts {
		end := len(m.sources)
		if i+1 < len(parts) {
			end = parts[i+1].srcBase
		}
		n[i] = end - p.srcBase
	}
	return parts, n
}

// checkAgainstRef checks that every regular part of m finds what an eager
// decode of its mappings finds: at, just before and just after every
// segment, before the first segment of every line, far right, on lines past
// the end, and at random columns. It returns the number of lookups.
func checkAgainstRef(t testing.TB, m *Map, r *rand.Rand) int {
	t.Helper()
	parts, nSources := regularParts(m)
	dropped, finds := 0, 0
	cur := new(cursor)
	for pi, p := range parts {
		ref, err := refDecode(p.dec.m, nSources[pi], len(p.names))
		if err != nil {
			t.Fatalf("part %d: reference decode: %v", pi, err)
		}
		dropped += ref.dropped
		check := func(line, col int) {
			finds++
			want, wantOK := ref.find(line, col)
			// Without a cursor, and with the one left by the previous
			// lookups (mostly at lower columns of the same line).
			for _, c := range []*cursor{nil, cur} {
				got, gotOK := p.dec.find(line, col, c)
				if got != want || gotOK != wantOK {
					t.Fatalf("part %d: find(%d, %d, cursor %v) = %+v, %v; eager decode: %+v, %v\nmappings: %.300q", pi, line, col, c != nil, got, gotOK, want, wantOK, p.dec.m)
				}
			}
		}
		for line := range len(ref.lines) + 1 {
			for _, col := range []int{0, 1, 2, math.MaxInt32, math.MaxInt} {
				check(line, col)
			}
			if line >= len(ref.lines)-1 {
				continue
			}
			segs := ref.segs[ref.lines[line]:ref.lines[line+1]]
			for _, s := range segs {
				c := int(s.genCol)
				check(line, c)
				check(line, c+1)
				if c > 0 {
					check(line, c-1)
				}
			}
			if len(segs) > 0 && r != nil {
				for range 4 {
					check(line, r.IntN(int(segs[len(segs)-1].genCol)+2))
				}
			}
		}
	}
	if m.Dropped() != dropped {
		t.Fatalf("Dropped() = %d; eager decode dropped %d", m.Dropped(), dropped)
	}
	return finds
}

// randomMappings returns a mappings string for 2 sources and 2 names in
// which long lines, empty lines and segments, unsorted lines, equal
// columns and segments that get dropped all occur.
func randomMappings(r *rand.Rand) string {
	var b strings.Builder
	var src, oLine, oCol, name int64 // running values
	// to returns the delta from *v to a random valid value in [0, n),
	// rarely to an invalid one (the segment is dropped).
	to := func(v *int64, n int) int64 {
		next := int64(r.IntN(n))
		if r.IntN(3000) == 0 {
			next = []int64{-1, int64(n), 1 << 40}[r.IntN(3)]
		}
		// Keep to a valid VLQ value: a value far out comes back in steps.
		d := max(-1<<31, min(next-*v, 1<<31-1))
		*v += d
		return d
	}
	for l := range r.IntN(12) {
		if l > 0 {
			b.WriteString(";")
		}
		kind := r.IntN(8)
		if kind == 0 {
			continue // an empty line
		}
		for s := range r.IntN(150) {
			if s > 0 || r.IntN(10) == 0 {
				b.WriteString(",")
			}
			if r.IntN(30) == 0 {
				b.WriteString(",") // an empty segment
			}
			col := int64(r.IntN(20))
			switch {
			case kind == 1 && r.IntN(4) == 0:
				col = -int64(r.IntN(30)) // an unsorted line
			case r.IntN(30) == 0:
				col = 0 // an equal column: the last one wins
			case r.IntN(3000) == 0:
				col = -1000 // a dropped segment, unless the line starts far right
			}
			fields := []int64{col}
			if k := r.IntN(4); k > 0 {
				fields = append(fields, to(&src, 2), to(&oLine, 1000), to(&oCol, 100))
				if k > 1 {
					fields = append(fields, to(&name, 2))
				}
			}
			b.WriteString(seg(fields...))
		}
		if r.IntN(20) == 0 {
			b.WriteString(",") // a trailing comma
		}
	}
	return b.String()
}

func TestFindMatchesEagerDecodeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	maps, finds := 0, 0
	for range 1000 {
		var js string
		if r.IntN(4) == 0 {
			// An index map of regular maps, some nested.
			var secs []string
			line, col := 0, 0
			for range 1 + r.IntN(4) {
				if dl := r.IntN(3); dl > 0 {
					line, col = line+dl, 0
				}
				col += r.IntN(50)
				inner := mapJSON(randomMappings(r))
				if r.IntN(3) == 0 {
					inner = `{"version":3,"sections":[{"offset":{"line":0,"column":2},"map":` + inner + `}]}`
				}
				secs = append(secs, fmt.Sprintf(`{"offset":{"line":%d,"column":%d},"map":%s}`, line, col, inner))
			}
			js = `{"version":3,"sections":[` + strings.Join(secs, ",") + `]}`
		} else {
			js = mapJSON(randomMappings(r))
		}
		m, err := Parse([]byte(js))
		if err != nil {
			t.Fatalf("Parse(%.200s): %v", js, err)
		}
		maps++
		finds += checkAgainstRef(t, m, r)
	}
	t.Logf("%d maps, %d lookups", maps, finds)
}

// TestFindMatchesEagerDecodeThree checks every segment of the three.js×10
// map (1.3 million) against the eager decode.
func TestFindMatchesEagerDecodeThree(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes the three.js×10 map eagerly")
	}
	_, data := threeBundle(t)
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	finds := checkAgainstRef(t, m, rand.New(rand.NewPCG(9, 10)))
	t.Logf("%d lookups", finds)
}

// TestFindConcurrentWalks runs walks in increasing position order on one
// Map from several goroutines, which share Map's pool of cursors.
func TestFindConcurrentWalks(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var mappings []string
	for range 20 {
		mappings = append(mappings, randomMappings(r))
	}
	m := mustParse(t, mapJSON(strings.Join(mappings, ";")))
	parts, nSources := regularParts(m)
	ref, err := refDecode(parts[0].dec.m, nSources[0], len(parts[0].names))
	if err != nil {
		t.Fatal(err)
	}
	type lookup struct {
		line, col int
		want      Mapping
		ok        bool
	}
	var walk []lookup
	for line := range len(ref.lines) {
		for col := 0; col < 2000; col += 1 + r.IntN(8) {
			mp, ok := m.Find(line, col)
			if seg, segOK := ref.find(line, col); segOK != ok || ok && (int(seg.genCol) != mp.GenCol || int(seg.origCol) != mp.OrigCol) {
				t.Fatalf("Find(%d, %d) = %+v, %v; eager decode %+v, %v", line, col, mp, ok, seg, segOK)
			}
			walk = append(walk, lookup{line, col, mp, ok})
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range 3 {
				for i := g * len(walk) / 4; i < len(walk); i++ {
					l := walk[i]
					if got, ok := m.Find(l.line, l.col); got != l.want || ok != l.ok {
						t.Errorf("goroutine %d: Find(%d, %d) = %+v, %v; want %+v, %v", g, l.line, l.col, got, ok, l.want, l.ok)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
