package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// Untrusted bundles run in a child process: the same binary, started as
// `manglecheck __sandbox MEMORY CPU` (ChildCommand), one bundle per
// process. goja's JSON.parse, eval and Function parse on the Go stack with
// no depth bound (a deep literal is a fatal, unrecoverable stack overflow
// of the whole process), and one built-in call (a replaceAll, a typed
// array) can allocate gigabytes between two of the heap guard's samples:
// only a process of its own, with OS limits, bounds both. The parent
// kills the child's process group at the end of the wall-clock budget,
// which starts before the bundle is compiled, and reports a child that
// died as "the sandbox stopped: REASON" for that bundle alone.
//
// The child starts with an empty environment, in a directory that no
// longer exists (created, entered and removed: nothing can be created in
// it, not even by root), with standard input, output and error as its
// only descriptors (pipes to the parent), and sets before it reads the
// request: RLIMIT_DATA and RLIMIT_AS (memory), RLIMIT_CPU, RLIMIT_NOFILE, RLIMIT_FSIZE
// 0 and RLIMIT_CORE 0 (see setLimits).

// ChildCommand is the hidden subcommand that runs one bundle in the
// sandbox process. A binary that starts sandboxes (manglecheck, a test
// binary) calls MaybeChild first thing in main or TestMain.
const ChildCommand = "__sandbox"

// MaybeChild runs the sandbox process and exits when the program was
// started as one (os.Args[1] is ChildCommand); otherwise it returns.
func MaybeChild() {
	if len(os.Args) >= 2 && os.Args[1] == ChildCommand {
		os.Exit(childMain(os.Args[2:], os.Stdin, os.Stdout))
	}
}

// Sizes of the sandbox process.
const (
	// childBase is the memory a sandbox process needs besides the bundle:
	// the Go runtime, goja, the prelude, esbuild's link step, and the
	// thread stacks RLIMIT_DATA counts (measured: 42 MB of data mappings
	// at startup, 19 MiB peak RSS for a small bundle).
	childBase = 160 << 20
	// compileFactor is the memory goja needs to parse, compile and start
	// a bundle, per byte of it: FACTS.md measured ~470 MB peak for
	// compiling and running the top level of three.js x10 (7.8 MB), 60x.
	compileFactor = 64
	// childFiles is the descriptor limit: the three pipes, the runtime's
	// own (epoll, a pipe), and one file at a time that the child reads.
	childFiles = 16
	// killGrace is how long past its budget a child may take to write
	// its report before the parent kills it.
	killGrace = 500 * time.Millisecond
	// childStartup bounds the start of a child, before its budget: the
	// process, the Go runtime and the environment's prelude (~30 ms on
	// an idle machine).
	childStartup = 20 * time.Second
	// maxResponse bounds what the parent reads back.
	maxResponse = 64 << 20
)

// ChildStats describes one sandbox process, for Options.OnChild.
type ChildStats struct {
	Path string // the bundle
	// Startup is the time from starting the process until it was ready
	// (its environment set up); Wall from then to its end: the part the
	// budget covers (compiling and running the bundle). PeakRSS is
	// its peak resident memory from its rusage: an upper bound, since
	// Linux counts in it the parent's peak at the moment it started the
	// child (os/exec starts it with vfork, and exec keeps the high-water
	// mark of the memory it replaces). OwnPeak is the child's own peak
	// (VmHWM), which it reports, or the parent read just before it
	// killed it; 0 when it died on its own. Memory is the limit it ran
	// under (RLIMIT_DATA); Budget the wall-clock budget.
	Startup, Wall            time.Duration
	PeakRSS, OwnPeak, Memory int64
	// ParentPeak is this process's peak (VmHWM) when it started the
	// child: a PeakRSS above it is the child's own.
	ParentPeak int64
	Budget     time.Duration
	// Stopped is "" when the child reported, else why it did not
	// (what "the sandbox stopped: …" says).
	Stopped string
	// Self is what the child saw of itself at startup.
	Self ChildSelf
}

// ChildSelf is what a sandbox process saw of its own isolation before it
// read the request (reported back, so tests can assert it).
type ChildSelf struct {
	Env        int   // environment variables
	FDs        []int // open descriptors
	CwdCreate  bool  // whether a file could be created in the working directory
	DataLimit  int64 // RLIMIT_DATA as the OS reports it
	AddrLimit  int64 // RLIMIT_AS as the OS reports it
	FileLimit  int64 // RLIMIT_NOFILE as set
	LimitError string
}

// childRequest is what the parent sends: one bundle and how to run it.
type childRequest struct {
	Job    string // "smoke" or "confirm"
	Path   string // as findings name it
	Abs    string
	Module bool
	Env    Env
	Limits Limits
	// The engine options the sandbox reads files with.
	SourceMap   string
	MaxFileSize int64
	Single      string
	Wd          string
	// Confirm: the instrumented text of files (by absolute path) and the
	// probe's name.
	Instrumented map[string]string
	Probe        string
}

// childResponse is what the child sends back.
type childResponse struct {
	Reports  []childReport
	Warnings []string
	Error    string
	Console  []string
	// Confirm.
	Probes  map[int]*Probe
	Globals map[string]bool
	Ended   []Error
	Notes   []string
	Forged  int
	Self    ChildSelf
	Peak    int64 // VmHWM at the end, bytes
}

type childReport struct {
	Message string
	Path    string
	Pos     int
	Name    string
	Stack   []checker.RuntimeFrame
}

// childMain is the sandbox process: args are the memory limit in bytes
// and the CPU limit in seconds.
func childMain(args []string, in io.Reader, out io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "manglecheck: internal command; not for use")
		return 2
	}
	memory, err1 := strconv.ParseInt(args[0], 10, 64)
	cpu, err2 := strconv.ParseUint(args[1], 10, 64)
	if err1 != nil || err2 != nil || memory <= 0 || cpu == 0 {
		fmt.Fprintln(os.Stderr, "manglecheck: bad sandbox limits")
		return 2
	}
	var self ChildSelf
	closeInherited()
	if err := setLimits(memory, cpu); err != nil {
		self.LimitError = err.Error()
	}
	// The Go runtime's own idea of the limit: the collector works harder
	// as the heap nears it, so gradual growth meets the heap guard's
	// clean stop first. A deep recursion in a parser (JSON.parse) dies
	// at a stack of 128 MiB instead of Go's default 1 GB.
	debug.SetMemoryLimit(memory - memory/8)
	debug.SetMaxStack(128 << 20)
	self.observe()

	var req childRequest
	if err := json.NewDecoder(io.LimitReader(in, 1<<30)).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "manglecheck: bad sandbox request:", err)
		return 2
	}
	// ready tells the parent, with one byte (a newline, which the JSON
	// after it ignores), that the environment is set up: its wall clock
	// and this process's deadline start now, before the bundle is
	// compiled.
	var deadline time.Time
	ready := func() time.Time {
		if deadline.IsZero() {
			deadline = time.Now().Add(req.Limits.withDefaults().Timeout)
			_, _ = out.Write([]byte("\n"))
		}
		return deadline
	}
	var resp childResponse
	switch req.Job {
	case "smoke":
		resp = smokeJob(req, ready)
	case "confirm":
		resp = confirmJob(req, ready)
	default:
		fmt.Fprintln(os.Stderr, "manglecheck: bad sandbox job")
		return 2
	}
	resp.Self, resp.Peak = self, procPeak(os.Getpid())
	if err := json.NewEncoder(out).Encode(resp); err != nil {
		return 2
	}
	return 0
}

// observe records what the process sees of its isolation.
func (s *ChildSelf) observe() {
	s.Env = len(os.Environ())
	if d, err := os.Open("/proc/self/fd"); err == nil {
		names, _ := d.Readdirnames(-1)
		for _, name := range names {
			// The runtime's own descriptors (epoll, its wakeup pipe) are
			// not inherited; they are told apart from inherited ones by
			// their target, anon_inode or pipe made after the start.
			if n, err := strconv.Atoi(name); err == nil && n != int(d.Fd()) && !runtimeFD(n) {
				s.FDs = append(s.FDs, n)
			}
		}
		d.Close()
		slices.Sort(s.FDs)
	}
	if f, err := os.CreateTemp(".", "probe"); err == nil {
		s.CwdCreate = true
		f.Close()
		os.Remove(f.Name())
	}
	if osLimits {
		s.DataLimit, s.AddrLimit, s.FileLimit = limit(rlimitData), limit(rlimitAS), limit(rlimitNofile)
	}
}

// procPeak is a process's peak resident memory (VmHWM), or 0.
func procPeak(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}

// runtimeFD reports whether descriptor n is one the Go runtime opened:
// its netpoller's epoll instance and eventfd, and the cgroup CPU quota
// files it reads to size GOMAXPROCS.
func runtimeFD(n int) bool {
	target, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(n))
	return err == nil && (strings.HasPrefix(target, "anon_inode:") || strings.HasPrefix(target, "/sys/fs/cgroup/"))
}

// childMemory is the memory limit of the process that runs a bundle of
// size bytes: what compiling it takes, the run's own --max-memory, and
// the process's base.
func childMemory(size int64, l Limits, other bool) int64 {
	l = l.withDefaults()
	n := childBase + size*compileFactor + l.MaxMemory
	if raceEnabled && !other {
		// A race-detector build (go test -race) maps shadow memory that
		// RLIMIT_DATA counts: ~300 MB at startup, and a multiple of the
		// heap after. Only test binaries are built so.
		n = 4*n + 512<<20
	}
	return (n + 1<<20 - 1) &^ (1<<20 - 1) // whole MiB
}

// childCPU is the CPU limit in seconds: a backstop only (the parent's
// wall clock comes first); the collector may use both cores.
func childCPU(l Limits) uint64 {
	l = l.withDefaults()
	return 2*uint64(math.Ceil(l.Timeout.Seconds())) + 2
}

// spawn runs req in a sandbox process. It returns the child's response,
// or why the child stopped without one.
func spawn(ctx context.Context, req childRequest, size int64, opts Options) (*childResponse, string) {
	limits := opts.Limits.withDefaults()
	// A child that is this binary built with the race detector gets
	// room (and time) for it.
	memory := childMemory(size, limits, opts.Executable != "")
	grace := killGrace
	if raceEnabled && opts.Executable == "" {
		grace *= 4
	}
	st := ChildStats{Path: req.Path, Memory: memory, Budget: limits.Timeout}
	defer func() {
		if opts.OnChild != nil {
			opts.OnChild(st)
		}
	}()
	stop := func(why string) (*childResponse, string) {
		st.Stopped = why
		return nil, why
	}
	exe, err := opts.Executable, error(nil)
	if exe == "" {
		exe, err = os.Executable()
	}
	if err != nil {
		return stop("cannot find the manglecheck executable to start the sandbox: " + err.Error())
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return stop("internal error: " + err.Error())
	}
	// A working directory nobody can create files in: it is removed
	// once the child is in it.
	dir, err := os.MkdirTemp("", "manglecheck-sandbox-")
	if err != nil {
		return stop("cannot make the sandbox's directory: " + err.Error())
	}
	defer os.Remove(dir)
	_ = os.Chmod(dir, 0o555)

	stdout, stderr := &capped{max: maxResponse}, &capped{max: 64 << 10}
	cmd, pipe, err := childCmd(exe, payload, dir, memory, limits, stderr)
	if err != nil {
		return stop("cannot start the sandbox process: " + err.Error())
	}
	st.ParentPeak = procPeak(os.Getpid())
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return stop("cannot start the sandbox process: " + err.Error())
	}
	_ = os.Remove(dir)
	end := superviseChild(ctx, cmd, pipe, stdout, limits.Timeout+grace, &st)
	endAt := time.Now()
	st.Wall, st.Startup = endAt.Sub(start), 0
	if !end.readyAt.IsZero() {
		st.Wall, st.Startup = endAt.Sub(end.readyAt), end.readyAt.Sub(start)
	}
	st.PeakRSS = peakRSS(cmd)
	if end.late {
		return stop(fmt.Sprintf("the sandbox process did not start within %s (an overloaded machine?)", childStartup))
	}

	if end.werr == nil {
		var resp childResponse
		if err := json.Unmarshal(stdout.Bytes(), &resp); err == nil {
			st.Self, st.OwnPeak = resp.Self, resp.Peak
			return &resp, ""
		}
	}
	return stop(stopReason(end.werr, end.killed, end.canceled, cmd, stderr.String(), limits, memory))
}

// childCmd is the command that starts a sandbox process of this
// executable (exe) with the given limits: an empty environment, working
// directory dir, payload (the request) on its standard input, its
// standard output through the returned pipe and its standard error into
// stderr, and no other descriptor.
func childCmd(exe string, payload []byte, dir string, memory int64, limits Limits, stderr *capped) (*exec.Cmd, io.ReadCloser, error) {
	cmd := exec.Command(exe, ChildCommand, strconv.FormatInt(memory, 10), strconv.FormatUint(childCPU(limits), 10))
	cmd.Env = []string{}
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(payload)
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	cmd.WaitDelay = time.Second
	childAttr(cmd)
	markInheritedCloseOnExec()
	return cmd, pipe, nil
}

// childEnd is how a sandbox process ended (see superviseChild).
type childEnd struct {
	werr error // what cmd.Wait returned
	// readyAt is when the child said it was ready; zero if it never did.
	readyAt time.Time
	// Why it was killed, if it was: not ready within childStartup (late),
	// past its budget after that (killed), or ctx ended (canceled).
	late, killed, canceled bool
}

// superviseChild reads the standard output of the started child cmd
// (pipe) into stdout and waits for it to end. It kills the child's
// process group, after recording the child's own peak memory in st, when
// the child is not ready within childStartup, when it runs longer than
// budget after it said it was ready, or when ctx ends.
func superviseChild(ctx context.Context, cmd *exec.Cmd, pipe io.Reader, stdout *capped, budget time.Duration, st *ChildStats) childEnd {
	// The first byte says the child is ready: its environment is set up
	// and the bundle's budget starts (see childMain).
	ready, readDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(readDone)
		var b [1]byte
		if n, _ := io.ReadFull(pipe, b[:]); n == 1 {
			close(ready)
			_, _ = io.Copy(stdout, pipe)
		}
	}()
	var end childEnd
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		kill := func() {
			st.OwnPeak = procPeak(cmd.Process.Pid)
			killGroup(cmd)
		}
		t := time.NewTimer(childStartup)
		defer t.Stop()
		select {
		case <-ready:
		case <-readDone:
			return
		case <-t.C:
			end.late = true
			kill()
			return
		case <-ctx.Done():
			end.canceled = true
			kill()
			return
		}
		end.readyAt = time.Now()
		t.Reset(budget)
		select {
		case <-readDone:
		case <-t.C:
			end.killed = true
			kill()
		case <-ctx.Done():
			end.canceled = true
			kill()
		}
	}()
	<-readDone
	werr := cmd.Wait()
	<-exited
	end.werr = werr
	return end
}

// stopReason says why a child ended without a report.
func stopReason(werr error, killed, canceled bool, cmd *exec.Cmd, stderr string, l Limits, memory int64) string {
	status := "no report"
	if ps := cmd.ProcessState; ps != nil {
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			status = fmt.Sprintf("killed by signal %d, %s", int(ws.Signal()), ws.Signal())
		} else {
			status = fmt.Sprintf("exit status %d", ps.ExitCode())
		}
	}
	// The Go runtime's fatal errors are fixed strings; the rest of what
	// the child wrote (a goroutine dump) is not shown.
	fatal := ""
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "fatal error: ") {
			fatal = line
			break
		}
	}
	switch {
	case canceled:
		return "canceled (" + status + ")"
	case killed:
		return fmt.Sprintf("timed out after %s, inside compilation or one built-in call that cannot be interrupted; the sandbox process was killed (%s)", l.Timeout, status)
	case strings.Contains(stderr, "stack overflow") || strings.Contains(stderr, "stack exceeds"):
		return fmt.Sprintf("stack overflow in the Go stack (goja parses JSON.parse, eval and Function input recursively; nesting this deep is beyond the sandbox's limit) (%s)", status)
	case strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory") ||
		// A thread's stack that no longer fits under the limit.
		strings.Contains(stderr, "pthread_create failed") || strings.Contains(stderr, "failed to create new OS thread"):
		return fmt.Sprintf("out of memory: the sandbox process reached its limit of %s (--max-memory %s plus what compiling the bundle needs) (%s)", mib(memory), mib(l.MaxMemory), status)
	case strings.Contains(status, "killed"):
		return fmt.Sprintf("the process was killed: the CPU time limit, or the system ran out of memory (%s)", status)
	case runtimeSignal(stderr) != "":
		fn := runtimeSignal(stderr)
		if allocatorFrame(fn) {
			// Go 1.26's collector can fault on a nil span queue instead
			// of throwing "out of memory" when the OS refuses it memory
			// under RLIMIT_DATA (seen in TestHostileSuite's eval-32mb).
			return fmt.Sprintf("out of memory: the Go runtime's memory manager crashed (a signal in %s) at the sandbox process's limit of %s (--max-memory %s plus what compiling the bundle needs) (%s)", escapeLine(cut(fn, 120)), mib(memory), mib(l.MaxMemory), status)
		}
		return fmt.Sprintf("the Go runtime crashed (a signal in %s) (%s)", escapeLine(cut(fn, 120)), status)
	case werr == nil:
		return "the sandbox process sent no readable report (exit status 0)"
	case fatal != "":
		return fmt.Sprintf("the Go runtime failed: %s (%s)", escapeLine(cut(strings.TrimPrefix(fatal, "fatal error: "), 200)), status)
	case strings.Contains(stderr, "panic: "):
		return fmt.Sprintf("a panic in the sandbox process, a bug of manglecheck or goja (%s)", status)
	}
	return "the sandbox process failed (" + status + ")"
}

// runtimeSignal is the function a Go dump on stderr shows faulting when
// the process died of a signal inside the Go runtime itself ("SIGSEGV:
// segmentation violation", then the first goroutine's top frame in
// package runtime), or "".
func runtimeSignal(stderr string) string {
	head, _, _ := strings.Cut(stderr, "\n")
	if !strings.HasPrefix(head, "SIGSEGV: ") && !strings.HasPrefix(head, "SIGBUS: ") {
		return ""
	}
	lines := strings.Split(stderr, "\n")
	for i, line := range lines {
		if !strings.HasPrefix(line, "goroutine ") || i+1 == len(lines) {
			continue
		}
		fn := lines[i+1]
		if j := strings.LastIndex(fn, "("); j > 0 {
			fn = fn[:j]
		}
		if strings.HasPrefix(fn, "runtime.") {
			return fn
		}
		return ""
	}
	return ""
}

// allocatorFrame is whether a runtime function belongs to the allocator
// or the collector: the parts that fail when memory runs out.
func allocatorFrame(fn string) bool {
	fn = strings.TrimPrefix(fn, "runtime.")
	for _, p := range []string{"(*spanQueue)", "(*mheap)", "(*mcentral)", "(*mcache)", "(*mspan)", "(*gcWork)", "(*fixalloc)", "gc", "scan", "mark", "sweep", "malloc", "mallocgc", "persistentalloc", "sysAlloc", "sysMap", "tryDeferToSpanScan", "greyobject", "shade"} {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}

// escapeLine makes text from the child safe for a one-line message.
func escapeLine(s string) string {
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

// capped is a buffer that keeps the first max bytes written to it.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
