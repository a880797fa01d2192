//go:build !unix

package checker_test

import "time"

// cpuTime is not measured here: benchmarks report 0 cpu-ms/op.
func cpuTime() time.Duration { return 0 }
