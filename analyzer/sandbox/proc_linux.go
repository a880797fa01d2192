//go:build linux

package sandbox

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// closeInherited closes descriptors above 2 that the process inherited
// (a parent of the parent may leave some without close-on-exec).
func closeInherited() {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	own := int(d.Fd())
	var close []int
	for _, name := range names {
		if n, err := strconv.Atoi(name); err == nil && n > 2 && n != own && !runtimeFD(n) {
			close = append(close, n)
		}
	}
	d.Close()
	for _, n := range close {
		_ = syscall.Close(n)
	}
}

// markInheritedCloseOnExec sets close-on-exec on this process's
// descriptors above 2: Go opens its own with it, but descriptors this
// process inherited without it would reach the sandbox process.
func markInheritedCloseOnExec() {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	for _, name := range names {
		if n, err := strconv.Atoi(name); err == nil && n > 2 {
			syscall.CloseOnExec(n)
		}
	}
}

// childAttr starts the child in its own process group (the parent kills
// the group, so nothing the child might start outlives it) and has the
// kernel kill it when the parent dies.
func childAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the child's process group.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Process.Kill()
	}
}

// peakRSS is the child's peak resident memory in bytes, from its rusage
// (Linux reports ru_maxrss in KiB).
func peakRSS(cmd *exec.Cmd) int64 {
	if cmd.ProcessState == nil {
		return 0
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10
	}
	return 0
}

// setLimits sets the child's own OS limits, before it reads the bundle:
//
//   - RLIMIT_DATA to memory bytes. Not RLIMIT_AS: Go's runtime reserves
//     about 1.2 GB of address space at startup (PROT_NONE arena and
//     page-summary reservations), so an address-space limit is either
//     above that or kills the runtime before main; RLIMIT_DATA counts only
//     private writable mappings, which is where the Go heap and goroutine
//     stacks live (measured: 42 MB at startup). One built-in call that
//     asks for more (a 1.6 GB replaceAll) then fails inside the runtime
//     ("fatal error: runtime: cannot allocate memory") and the parent
//     reports it.
//   - RLIMIT_CPU to cpu seconds: a backstop for a parent that could not
//     kill it (the parent's wall clock comes first).
//   - RLIMIT_NOFILE to a few descriptors, RLIMIT_FSIZE to 0 (it writes no
//     file; the pipes are not files), RLIMIT_CORE to 0.
func setLimits(memory int64, cpu uint64) error {
	for _, l := range []struct {
		res int
		n   uint64
	}{
		{syscall.RLIMIT_CORE, 0},
		{syscall.RLIMIT_FSIZE, 0},
		{syscall.RLIMIT_NOFILE, childFiles},
		{syscall.RLIMIT_CPU, cpu},
		{syscall.RLIMIT_DATA, uint64(memory)},
	} {
		if err := syscall.Setrlimit(l.res, &syscall.Rlimit{Cur: l.n, Max: l.n}); err != nil {
			return err
		}
	}
	return nil
}

const osLimits = true
