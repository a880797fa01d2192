package checker

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Memory is a budget, not a hope: each file is admitted by its estimated
// cost (its size times the factor measured for its kind) against
// Options.MemoryBudget, so a run never needs more than the budget plus
// one file (a file over the budget runs alone).

// DefaultMaxFileSize is the default of Options.MaxFileSize: at the factor
// of function-dense code (costDense), one file of this size needs ~4 GB,
// which fits a common 8 GB CI runner beside the OS and the runtime.
const DefaultMaxFileSize = 16 << 20

// Peak memory per byte of bundle (goja's AST, scopes, name facts and
// value flows; 2-core machine, Go 1.26): 80 measured on three.js ×10
// (7.5 MB, 605 MB peak) since the value flows; 240 for code dense in
// small functions, scaled from the 85 measured before them by the same
// ratio (not measured again).
const (
	costMinified = 80
	costDense    = 240
	// denseFuncs is how many function starts ("function", "=>") per KiB
	// make code dense; real minified bundles have a few.
	denseFuncs = 12
)

// fileCost is the estimated peak memory of analyzing a file of size
// bytes whose text starts with head.
func fileCost(size int64, head []byte) int64 {
	factor := int64(costMinified)
	if len(head) >= 1024 {
		n := bytes.Count(head, []byte("function")) + bytes.Count(head, []byte("=>"))
		if n*1024/len(head) >= denseFuncs {
			factor = costDense
		}
	}
	return size * factor
}

// sourceCost estimates the cost of analyzing in.
func sourceCost(in Source) int64 {
	if in.Contents != nil {
		return fileCost(int64(len(in.Contents)), in.Contents[:min(len(in.Contents), 64<<10)])
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return 0
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	head := make([]byte, min(st.Size(), 64<<10))
	n, _ := f.Read(head)
	return fileCost(st.Size(), head[:n])
}

// MemoryBudget is the memory a run may plan to use: explicit when it is
// positive, else three quarters of the machine's memory (the cgroup's
// limit when lower), or 4 GiB when that cannot be read.
func MemoryBudget(explicit int64) int64 {
	if explicit > 0 {
		return explicit
	}
	total := machineMemory()
	if total <= 0 {
		return 4 << 30
	}
	return total / 4 * 3
}

// machineMemory is the physical memory, or the cgroup's limit when lower;
// 0 when unknown.
func machineMemory() int64 {
	var total int64
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				f := strings.Fields(rest)
				if len(f) == 2 {
					kb, _ := strconv.ParseInt(f[0], 10, 64)
					total = kb << 10
				}
			}
		}
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(p); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
				total = n
			}
		}
	}
	return total
}

// admission admits files while their estimated costs fit the budget.
type admission struct {
	mu     sync.Mutex
	cond   *sync.Cond
	used   int64
	budget int64
}

func newAdmission(budget int64) *admission {
	a := &admission{budget: budget}
	a.cond = sync.NewCond(&a.mu)
	return a
}

// acquire waits until cost fits what is left of the budget, or nothing
// else runs (a file over the budget runs alone).
func (a *admission) acquire(cost int64) {
	a.mu.Lock()
	for a.used > 0 && a.used+cost > a.budget {
		a.cond.Wait()
	}
	a.used += cost
	a.mu.Unlock()
}

func (a *admission) release(cost int64) {
	a.mu.Lock()
	a.used -= cost
	a.mu.Unlock()
	a.cond.Broadcast()
}
