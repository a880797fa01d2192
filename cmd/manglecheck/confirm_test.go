package main

import (
	"bytes"
	"strings"
	"testing"
)

// check --confirm fails the run when running the bundle confirms a break,
// whatever the finding's severity: the sample's registry keyed by class
// name is a warning, but its startup reads the renamed name.
func TestConfirmFailsTheRun(t *testing.T) {
	args := []string{"manglecheck", "check", "--confirm", "--color", "never", "--disable", "name-compare", sampleDir + "/dist"}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitFindings, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "[name-key] [confirmed]") {
		t.Errorf("no confirmed name-key finding:\n%s", stdout.String())
	}
	if got, want := stderr.String(), "manglecheck: --confirm: 1 finding confirmed by running the bundle: it breaks at runtime\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	// Without --confirm the same findings are only a warning: exit 0.
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"manglecheck", "check", "--disable", "name-compare", sampleDir + "/dist"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("without --confirm: exit %d, want 0\n%s", code, stderr.String())
	}
	// --fail-on never still never fails on findings.
	if code := run(append([]string{"manglecheck", "check", "--fail-on", "never"}, args[2:]...), &stdout, &stderr); code != exitOK {
		t.Fatalf("--fail-on never: exit %d, want 0", code)
	}
}
