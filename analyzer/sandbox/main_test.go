package sandbox_test

import (
	"os"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer/sandbox"
)

// TestMain turns the test binary into the sandbox process when Smoke or
// Confirm starts it (os.Args[1] is sandbox.ChildCommand): the hostile
// tests crash real child processes of the code under test, without a
// separate build of the manglecheck binary.
func TestMain(m *testing.M) {
	sandbox.MaybeChild()
	os.Exit(m.Run())
}
