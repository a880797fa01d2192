package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/rules"
)

// TestReadmeRules keeps the README's rule table generated from the rule
// values (rewritten with -update).
func TestReadmeRules(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "<!-- rules:start")
	end := strings.Index(readme, "<!-- rules:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no rules:start/rules:end markers")
	}
	start += strings.Index(readme[start:], "\n") + 1
	var b strings.Builder
	b.WriteString("| ID | Severity | What it finds |\n|---|---|---|\n")
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, r.Title)
	}
	if readme[start:end] == b.String() {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme[:start]+b.String()+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md rules table is stale: run go test ./cmd/manglecheck -update\nwant:\n%s", b.String())
}
