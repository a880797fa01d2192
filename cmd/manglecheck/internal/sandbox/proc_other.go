//go:build !linux

package sandbox

import "os/exec"

func childAttr(cmd *exec.Cmd) {}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

func markInheritedCloseOnExec() {}

func closeInherited() {}

func peakRSS(cmd *exec.Cmd) int64 { return 0 }

// setLimits: only Linux is supported for OS limits; elsewhere the child
// still isolates a crash and the parent's wall clock still holds, but
// memory is bounded only by the in-process heap guard.
func setLimits(memory int64, cpu uint64) error { return nil }

func limit(res int) int64 { return -1 }

const (
	rlimitData   = 0
	rlimitAS     = 0
	rlimitNofile = 0
)

const osLimits = false
