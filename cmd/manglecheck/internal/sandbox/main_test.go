package sandbox_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
)

// childExe is the sandbox process the tests start: "" (this test binary,
// which TestMain turns into one when Smoke or Confirm starts it), or,
// under the race detector, a normal build of manglecheck: a race-detector
// child is many times slower and bigger, so the budgets and memory limits
// under test would measure the detector.
var childExe string

// TestMain turns the test binary into the sandbox process when it is
// started as one (os.Args[1] is sandbox.ChildCommand): the hostile tests
// crash real child processes of the code under test.
func TestMain(m *testing.M) {
	sandbox.MaybeChild()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// A secret in this process's environment, which no sandbox process
	// and no report may show (isolation_test.go).
	os.Setenv("MANGLECHECK_TEST_SECRET", secret)
	if raceEnabled {
		dir, err := os.MkdirTemp("", "manglecheck-child-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer os.RemoveAll(dir)
		childExe = filepath.Join(dir, "manglecheck")
		build := exec.Command("go", "build", "-o", childExe, "github.com/manglecheck/manglecheck/cmd/manglecheck")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building the sandbox process:", err)
			return 2
		}
	}
	return m.Run()
}

// with sets the tests' sandbox process in opts.
func with(opts sandbox.Options) sandbox.Options {
	opts.Executable = childExe
	return opts
}
