//go:build linux

package sandbox

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
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
//   - RLIMIT_DATA to memory bytes: private writable mappings, where the
//     Go heap and goroutine stacks live (measured: 42 MB at startup).
//   - RLIMIT_AS to the address space the process has now plus memory
//     bytes. RLIMIT_DATA alone is not a hard bound: Go maps its heap with
//     MAP_FIXED inside arenas it reserved PROT_NONE, which the kernel
//     charges as no growth, so a string bomb's process measured 647 MB of
//     data mappings and 775 MB resident under a 417 MiB RLIMIT_DATA.
//     Reserving a new arena is growth of the address space, which this
//     limit refuses. It is relative to the present size because the
//     runtime reserves about 1.5 GB (PROT_NONE page summaries, malloc
//     arenas) before main, which an absolute limit would have to cover.
//     An allocation past either limit fails inside the runtime ("fatal
//     error: runtime: out of memory") and the parent reports it.
//   - RLIMIT_CPU to cpu seconds: a backstop for a parent that could not
//     kill it (the parent's wall clock comes first).
//   - RLIMIT_NOFILE to a few descriptors, RLIMIT_FSIZE to 0 (it writes no
//     file; the pipes are not files), RLIMIT_CORE to 0.
func setLimits(memory int64, cpu uint64) error {
	size, err := addressSpace()
	if err != nil {
		return err
	}
	for _, l := range []struct {
		res int
		n   uint64
	}{
		{syscall.RLIMIT_CORE, 0},
		{syscall.RLIMIT_FSIZE, 0},
		{syscall.RLIMIT_NOFILE, childFiles},
		{syscall.RLIMIT_CPU, cpu},
		{syscall.RLIMIT_DATA, uint64(memory)},
		{syscall.RLIMIT_AS, uint64(size + memory)},
	} {
		if err := syscall.Setrlimit(l.res, &syscall.Rlimit{Cur: l.n, Max: l.n}); err != nil {
			return err
		}
	}
	return nil
}

// addressSpace is this process's virtual size (VmSize), in bytes.
func addressSpace() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmSize:"); ok {
			f := strings.Fields(rest)
			if n, err := strconv.ParseInt(f[0], 10, 64); err == nil && len(f) == 2 && f[1] == "kB" {
				return n << 10, nil
			}
		}
	}
	return 0, errors.New("no VmSize in /proc/self/status")
}

// limit is the soft value of one of this process's resource limits, or
// -1 when it cannot be read.
func limit(res int) int64 {
	var l syscall.Rlimit
	if syscall.Getrlimit(res, &l) != nil {
		return -1
	}
	return int64(l.Cur)
}

// The limits ChildSelf reports.
const (
	rlimitData   = syscall.RLIMIT_DATA
	rlimitAS     = syscall.RLIMIT_AS
	rlimitNofile = syscall.RLIMIT_NOFILE
)

const osLimits = true
