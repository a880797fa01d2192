package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/rules"
)

// TestReadmeRules keeps the README's rule tables generated from the rule
// values and the engine's diagnostics (rewritten with -update).
func TestReadmeRules(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, block := range []struct {
		marker string
		rules  []*analyzer.Rule
	}{
		{"rules", rules.All()},
		{"engine", analyzer.EngineRules()},
	} {
		start := strings.Index(readme, "<!-- "+block.marker+":start")
		end := strings.Index(readme, "<!-- "+block.marker+":end -->")
		if start < 0 || end < start {
			t.Fatalf("README.md has no %[1]s:start/%[1]s:end markers", block.marker)
		}
		start += strings.Index(readme[start:], "\n") + 1
		var b strings.Builder
		b.WriteString("| ID | Severity | What it finds |\n|---|---|---|\n")
		for _, r := range block.rules {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Severity, r.Title)
		}
		if readme[start:end] == b.String() {
			continue
		}
		if !*update {
			t.Errorf("README.md %s table is stale: run go test ./cmd/manglecheck -update\nwant:\n%s", block.marker, b.String())
			continue
		}
		readme = readme[:start] + b.String() + readme[end:]
	}
	if *update && readme != string(data) {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
