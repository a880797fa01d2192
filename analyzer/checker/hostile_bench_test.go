package checker_test

import (
	"context"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// linearSmall is the smaller size BenchmarkHostileLinear compares; the
// larger is linearScale times it. At 64 KB a per-read scan of every
// function (the function index bypassed) measured 1.7x per byte, under
// the limit; from 512 KB it measures 8.3x and fails, while the linear
// engine stays at 0.4-1.7x (about 30 s for the whole benchmark, -benchtime 3x).
const (
	linearSmall = 512 << 10
	linearScale = 8
	// linearLimit bounds the larger input's time per byte over the
	// smaller's: 1 when the time is linear in the size, linearScale (8)
	// when it is quadratic. The margin absorbs a shared machine and the
	// collector's cost growing with the heap (up to 2 measured for
	// "array" on a loaded machine).
	linearLimit = 4.0
)

// BenchmarkHostileLinear analyzes each of TestHostileHugeTokens' inputs at
// two sizes, linearScale apart, and fails when the larger one's time per
// byte is over linearLimit times the smaller one's: the analysis must be
// linear in the size of a bundle however its bytes are spent. Each size's
// time is the process's CPU time, the least of its runs (go test -bench HostileLinear -benchtime
// 3x ./analyzer/checker); .ci/run runs it once per size.
func BenchmarkHostileLinear(b *testing.B) {
	small, large := hugeTokenCases(linearSmall), hugeTokenCases(linearSmall*linearScale)
	for i := range small {
		s, l := small[i], large[i]
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.src) + len(l.src)))
			var ts, tl time.Duration
			for b.Loop() {
				ts = fastest(b, ts, s)
				tl = fastest(b, tl, l)
			}
			ratio := (float64(tl) / float64(len(l.src))) / (float64(ts) / float64(len(s.src)))
			b.ReportMetric(float64(ts.Nanoseconds())/float64(len(s.src)), "ns/B-small")
			b.ReportMetric(float64(tl.Nanoseconds())/float64(len(l.src)), "ns/B-large")
			b.ReportMetric(ratio, "large/small-per-byte")
			if ratio > linearLimit {
				b.Errorf("%s: %d KB in %v, %d KB in %v: %.1f× the time per byte (linear is 1, quadratic %d; limit %.1f)",
					s.name, len(s.src)>>10, ts, len(l.src)>>10, tl, ratio, linearScale, linearLimit)
			}
		})
	}
}

// fastest analyzes c and returns the lesser of best (0 for none yet) and
// the time it took.
func fastest(b *testing.B, best time.Duration, c hugeTokenCase) time.Duration {
	b.Helper()
	// CPU time, not wall-clock: other processes on a shared machine
	// slow the two sizes unevenly less.
	start, cpu := time.Now(), cpuTime()
	res, err := checker.CheckFiles(context.Background(), []checker.Source{{Path: "dist/" + c.name + ".js", Contents: []byte(c.src)}},
		checker.Options{Rules: rules.All()})
	d := cpuTime() - cpu
	if d == 0 {
		d = time.Since(start) // no CPU time here (cputime_other_test.go)
	}
	if err != nil || res.Failed() || len(res.Findings) != c.findings {
		b.Fatalf("%s: error %v, failed %v, %d findings, want %d", c.name, err, res.Failed(), len(res.Findings), c.findings)
	}
	if best == 0 || d < best {
		return d
	}
	return best
}
