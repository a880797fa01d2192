package checker

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Files are admitted while their costs fit the budget; one over the budget
// runs alone; the peak of what runs is the budget plus at most one file.
func TestAdmission(t *testing.T) {
	a := newAdmission(100)
	costs := []int64{60, 60, 30, 500, 10, 40, 90}
	var used, peak, alone atomic.Int64
	var wg sync.WaitGroup
	for _, c := range costs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.acquire(c)
			n := used.Add(c)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			if c > 100 && n != c {
				alone.Add(1)
			}
			used.Add(-c)
			a.release(c)
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 500 || (p > 100 && p != 500) {
		t.Errorf("peak %d: over the budget with more than one file", p)
	}
	if alone.Load() != 0 {
		t.Error("a file over the budget ran beside another")
	}
}

func TestFileCost(t *testing.T) {
	minified := []byte(strings.Repeat(`var a=b.c(d,e)+f[g]*h;if(i)j.k="lmnop";`, 100))
	dense := []byte(strings.Repeat(`function a(b){return b}`, 100))
	if got := fileCost(1000, minified); got != 1000*costMinified {
		t.Errorf("minified: %d", got)
	}
	if got := fileCost(1000, dense); got != 1000*costDense {
		t.Errorf("dense: %d", got)
	}
	if MemoryBudget(123) != 123 || MemoryBudget(0) <= 0 {
		t.Error("MemoryBudget")
	}
}
