package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Concurrent runs writing the same -o file each leave a whole report, and
// a reader never sees a partial one (the report is renamed into place).
func TestOutputConcurrentWriters(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(out, []byte("{}\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var reads, bad int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := os.ReadFile(out)
			reads++
			if err != nil || !json.Valid(b) {
				bad++
			}
		}
	}()
	// Separate processes, as two CI steps would be (urfave/cli keeps
	// global state, so runs in one process are not independent).
	bin := manglecheckBin(t)
	var runs sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		runs.Add(1)
		go func() {
			defer runs.Done()
			err := exec.Command(bin, "check", "--format", "json", "-o", out, "../../fixtures/sample/dist").Run()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				codes[i] = ee.ExitCode()
			} else if err != nil {
				codes[i] = -1
			}
		}()
	}
	runs.Wait()
	close(stop)
	wg.Wait()
	for i, c := range codes {
		if c != exitFindings {
			t.Errorf("run %d: exit %d", i, c)
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d reads saw a partial report", bad, reads)
	}
	b, err := os.ReadFile(out)
	if err != nil || !json.Valid(b) || !bytes.Contains(b, []byte(`"findings"`)) {
		t.Errorf("final report not whole: %v %.200s", err, b)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("the report's mode changed: %v", st.Mode())
	}
	leftovers(t, filepath.Dir(out))
}

// A report whose run was interrupted is not renamed into place.
func TestOutputCommitAfterInterrupt(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.txt")
	if err := os.WriteFile(out, []byte("previous\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newCommand(nil, nil)
	m.out = &outputs{temps: map[string]bool{}}
	f, err := m.createOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "new")
	m.out.interrupted = true
	if err := f.Commit(); err == nil {
		t.Error("commit after an interrupt succeeded")
	}
	if b, _ := os.ReadFile(out); string(b) != "previous\n" {
		t.Errorf("report is %q, want the previous one", b)
	}
	leftovers(t, filepath.Dir(out))
}

// SIGINT and SIGTERM during a run: exit 130 and 143, the sandbox process
// is gone, the previous report is intact, no temporary file is left.
func TestOutputInterruptedRun(t *testing.T) {
	dir := t.TempDir()
	bin := manglecheckBin(t)
	if err := os.WriteFile(filepath.Join(dir, "loop.js"), []byte("for(;;){}"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report.txt")
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		if err := os.WriteFile(out, []byte("previous\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "smoke", "--timeout", "60s", "-o", out, filepath.Join(dir, "loop.js"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Signal once the run is under way: its sandbox process exists.
		child := 0
		for deadline := time.Now().Add(time.Minute); child == 0 && time.Now().Before(deadline); {
			child = sandboxChild(cmd.Process.Pid)
			time.Sleep(20 * time.Millisecond)
		}
		if child == 0 {
			cmd.Process.Kill()
			t.Fatal("no sandbox process appeared")
		}
		_ = cmd.Process.Signal(tc.sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
			t.Errorf("%s: %v, want exit status %d (stderr %s)", tc.sig, err, tc.code, stderr.String())
		}
		if b, _ := os.ReadFile(out); string(b) != "previous\n" {
			t.Errorf("%s: report is %q, want the previous one", tc.sig, b)
		}
		time.Sleep(100 * time.Millisecond) // the kernel's SIGKILL of an orphan (Pdeathsig) is asynchronous
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(child) + "/cmdline"); err == nil && bytes.Contains(b, []byte("__sandbox")) {
			t.Errorf("%s: the sandbox process %d outlived the run", tc.sig, child)
		}
		leftovers(t, dir)
	}
}

// manglecheckBin is this test binary under the name testscript.Main runs
// main by.
func manglecheckBin(t *testing.T) string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "manglecheck")
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// sandboxChild finds a sandbox process whose parent is pid, or 0.
func sandboxChild(pid int) int {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if !bytes.Contains(cmdline, []byte("\x00__sandbox\x00")) {
			continue
		}
		status, _ := os.ReadFile("/proc/" + e.Name() + "/status")
		if bytes.Contains(status, []byte("\nPPid:\t"+strconv.Itoa(pid)+"\n")) {
			return n
		}
	}
	return 0
}

func leftovers(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// --console prints what a bundle logged escaped like the text report: no
// escape sequence reaches the terminal, no line is forged.
func TestConsoleEscaped(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "log.js")
	if err := os.WriteFile(p, []byte(`console.log("\x1b[2J\nFORGED: all clear");`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	run([]string{"manglecheck", "smoke", "--console", p}, &stdout, &stderr)
	if !strings.Contains(stderr.String(), "console.log") {
		t.Fatalf("nothing logged: %q", stderr.String())
	}
	if strings.Contains(stderr.String(), "\x1b") || strings.Contains(stderr.String(), "\nFORGED") {
		t.Errorf("raw console output: %q", stderr.String())
	}
}
