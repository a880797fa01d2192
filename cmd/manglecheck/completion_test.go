package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The bash script completes commands, flags, flag values and rule IDs when
// bash runs it (zsh loads the same script through bashcompinit).
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	var out, errb bytes.Buffer
	if code := run([]string{"manglecheck", "completion", "bash"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	script := filepath.Join(t.TempDir(), "c.bash")
	if err := os.WriteFile(script, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ words, want string }{
		{"manglecheck ch", "check"},
		{"manglecheck check --for", "--format"},
		{"manglecheck check --format s", "sarif"},
		{"manglecheck check --fail-on w", "warning"},
		{"manglecheck check --disable name-m", "name-message"},
		{"manglecheck explain param", "param-names"},
		{"manglecheck completion f", "fish"},
	} {
		words := strings.Fields(c.words)
		args := append([]string{"-c", `source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); _manglecheck; echo "${COMPREPLY[*]}"`, script}, words...)
		cmd := exec.Command(bash, args...)
		got, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(got)) != c.want {
			t.Errorf("%s<TAB> = %q (%v), want %q", c.words, got, err, c.want)
		}
	}
}
