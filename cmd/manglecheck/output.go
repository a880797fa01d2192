package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// The report a run writes with -o replaces the previous one atomically:
// it is written to a temporary file beside the target and renamed over
// it, so a reader (another run, a CI step) sees the old file or the new
// one, never a mix; two concurrent runs each leave a whole report; and a
// run stopped by SIGINT or SIGTERM leaves the previous report as it was,
// removes its temporary file and exits 130 or 143.

// outputs tracks the temporary files of a run, for the signal handler.
type outputs struct {
	mu          sync.Mutex
	temps       map[string]bool
	interrupted bool
}

// atomicFile is a report being written: Commit renames it over the
// target, Abort removes it.
type atomicFile struct {
	*os.File
	target string
	o      *outputs
}

// createOutput starts writing path. Its mode is the previous file's, or
// 0666 less the umask (what os.Create gives).
func (m *command) createOutput(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: syscall.EISDIR}
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		// Said of the target, as os.Create would.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	mode := fs.FileMode(0o666) &^ umask()
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	_ = f.Chmod(mode)
	a := &atomicFile{File: f, target: path, o: m.out}
	if a.o != nil {
		a.o.mu.Lock()
		a.o.temps[f.Name()] = true
		a.o.mu.Unlock()
	}
	return a, nil
}

// Commit closes the file and renames it over the target, unless the run
// was interrupted: then the target stays as it was.
func (a *atomicFile) Commit() error {
	err := a.File.Sync()
	if cerr := a.File.Close(); err == nil {
		err = cerr
	}
	if a.o != nil {
		a.o.mu.Lock()
		defer a.o.mu.Unlock()
		delete(a.o.temps, a.File.Name())
		if a.o.interrupted && err == nil {
			err = errors.New("interrupted")
		}
	}
	if err == nil {
		err = os.Rename(a.File.Name(), a.target)
	}
	if err != nil {
		os.Remove(a.File.Name())
	}
	return err
}

// Abort removes the file; the target stays as it was.
func (a *atomicFile) Abort() {
	a.File.Close()
	os.Remove(a.File.Name())
	if a.o != nil {
		a.o.mu.Lock()
		delete(a.o.temps, a.File.Name())
		a.o.mu.Unlock()
	}
}

// runMain is run with SIGINT and SIGTERM handled: the run's context is
// canceled (the sandbox processes are killed), a report not yet renamed
// into place is not, and the exit status is 128 plus the signal.
func runMain(args []string, stdout, stderr io.Writer) int {
	// The Go runtime's soft memory limit from the memory budget (the
	// machine's), unless the user set GOMEMLIMIT: the collector then works
	// harder before the machine runs out, instead of doubling the heap.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(checker.MemoryBudget(0))
	}
	m := newCommand(stdout, stderr)
	m.out = &outputs{temps: map[string]bool{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan int, 1)
	go func() { done <- m.run(ctx, args) }()
	select {
	case code := <-done:
		return code
	case sig := <-sigs:
		m.out.mu.Lock()
		m.out.interrupted = true
		m.out.mu.Unlock()
		cancel()
		// Let the run stop (it kills its sandbox processes), but not
		// for long: a second signal or two seconds end it.
		select {
		case <-done:
		case <-sigs:
		case <-time.After(2 * time.Second):
		}
		m.out.mu.Lock()
		for name := range m.out.temps {
			os.Remove(name)
		}
		m.out.mu.Unlock()
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		fmt.Fprintf(stderr, "manglecheck: %s; no report written\n", sig)
		return code
	}
}
