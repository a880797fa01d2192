package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report"
	"github.com/manglecheck/manglecheck/analyzer/report/sarifcheck"
)

// A startup-error from smoke (with its stack) and a finding check
// --confirm confirmed come out in every format.
func TestRuntimeFindings(t *testing.T) {
	yes := true
	res := checker.Result{
		Files: []checker.FileResult{{Path: "dist/app.js", Bytes: 100}},
		Findings: []analyzer.Finding{
			{
				Rule: "name-key", Severity: analyzer.Warning, Message: "t.name is used as a registry key",
				Bundle: analyzer.Position{Path: "dist/app.js", Line: 1, Column: 20}, Confirmed: &yes,
			},
			{
				Rule: "startup-error", Severity: analyzer.Error, Message: "uncaught TypeError: plugin is not a constructor during startup (top level).",
				Bundle:   analyzer.Position{Path: "dist/app.js", Line: 1, Column: 40},
				Original: &analyzer.Original{Source: "src/main.js", Line: 6, Column: 20, Name: "startApp"},
				Stack: []analyzer.Frame{
					{Func: "startApp", Bundle: &analyzer.Position{Path: "dist/app.js", Line: 1, Column: 40}, Original: &analyzer.Original{Source: "src/main.js", Line: 6, Column: 20, Name: "startApp"}},
					{Func: "map"},
					{Bundle: &analyzer.Position{Path: "dist/app.js", Line: 1, Column: 90}},
				},
			},
		},
	}
	var text bytes.Buffer
	if err := (report.Text{W: &text}).Report(res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"[name-key] [confirmed]\n",
		"    at startApp (src/main.js:6:20)\n    at map (built-in)\n    at dist/app.js:1:90\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, text.String())
		}
	}

	var js bytes.Buffer
	if err := (report.JSON{W: &js}).Report(res); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			Confirmed *bool `json:"confirmed"`
			Stack     []struct {
				Function string          `json:"function"`
				Bundle   json.RawMessage `json:"bundle"`
				Original *struct {
					Source string `json:"source"`
				} `json:"original"`
			} `json:"stack"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if c := doc.Findings[0].Confirmed; c == nil || !*c {
		t.Errorf("json: confirmed missing: %s", js.String())
	}
	if st := doc.Findings[1].Stack; len(st) != 3 || st[0].Function != "startApp" || st[0].Original == nil || string(st[1].Bundle) != "null" {
		t.Errorf("json: stack wrong: %s", js.String())
	}
	if doc.Findings[1].Confirmed != nil {
		t.Errorf("json: confirmed on a finding --confirm did not judge")
	}

	var sarif bytes.Buffer
	if err := (report.SARIF{W: &sarif}).Report(res); err != nil {
		t.Fatal(err)
	}
	if problems := sarifcheck.Validate(sarif.Bytes()); len(problems) > 0 {
		t.Errorf("SARIF invalid: %v", problems)
	}
	if !strings.Contains(sarif.String(), `"stacks"`) || !strings.Contains(sarif.String(), `"kind": "function"`) {
		t.Errorf("SARIF lacks the stack:\n%s", sarif.String())
	}

	var gh bytes.Buffer
	if err := (report.GitHub{W: &gh}).Report(res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(gh.String(), "title=manglecheck startup-error::uncaught TypeError: plugin is not a constructor") {
		t.Errorf("github output lacks the startup error:\n%s", gh.String())
	}
}
