package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
)

func TestMain(m *testing.M) {
	// The test binary is also the sandbox process smoke starts.
	sandbox.MaybeChild()
	testscript.Main(m, map[string]func(){
		"manglecheck": func() { os.Exit(runMain(os.Args, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs testdata/script/*.txtar. findings.txtar needs the rules
// of package rules; the others only the engine.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		// -update rewrites the files `cmp stdout FILE` compares with,
		// inside the archive.
		UpdateScripts: *update,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits": cmdExits,
			// hostile.txtar's generated inputs (hostile_test.go).
			"gen": cmdGen, "mkfifo": cmdMkfifo,
		},
	})
}

// cmdExits is "exits N program args...": it runs the program like exec and
// checks that it exits with status N. Exit codes are part of the CLI's
// contract (0 clean, 1 findings, 2 trouble), so "! exec" is not precise
// enough.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}
