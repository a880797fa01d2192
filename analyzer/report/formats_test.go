package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report/sarifcheck"
)

func TestSARIFValidates(t *testing.T) {
	for name, res := range map[string]checker.Result{"sample": sample(), "empty": {}} {
		var b bytes.Buffer
		if err := (SARIF{W: &b, Rules: sampleRules(), Version: "devel"}).Report(res); err != nil {
			t.Fatal(err)
		}
		for _, e := range sarifcheck.Validate(b.Bytes()) {
			t.Errorf("%s: %s", name, e)
		}
		for _, e := range sarifcheck.CodeScanning(b.Bytes()) {
			t.Errorf("%s: %s", name, e)
		}
	}
}

// The validator (the SARIF 2.1.0 schema) must reject invalid logs, or
// TestSARIFValidates proves nothing.
func TestSARIFValidatorRejects(t *testing.T) {
	var b bytes.Buffer
	if err := (SARIF{W: &b, Rules: sampleRules()}).Report(sample()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(run map[string]any)
		want   string
	}{
		{"unknown property", func(run map[string]any) { run["colunmKind"] = "x" }, `/runs/0: additional properties 'colunmKind' not allowed`},
		{"bad level", func(run map[string]any) { result(run)["level"] = "fatal" }, `/runs/0/results/0/level: value must be one of 'none', 'note', 'warning', 'error'`},
		{"no message", func(run map[string]any) { delete(result(run), "message") }, `/runs/0/results/0: missing property 'message'`},
		{"line 0", func(run map[string]any) { regionOf(run)["startLine"] = 0 }, `/runs/0/results/0/locations/0/physicalLocation/region/startLine: minimum: got 0, want 1`},
		{"bad uri", func(run map[string]any) {
			run["tool"].(map[string]any)["driver"].(map[string]any)["informationUri"] = "no scheme"
		}, `/runs/0/tool/driver/informationUri: 'no scheme' is not valid uri`},
		{"message without text", func(run map[string]any) { result(run)["message"] = map[string]any{} }, `/runs/0/results/0/message: missing property 'text'`},
		{"no driver name", func(run map[string]any) {
			delete(run["tool"].(map[string]any)["driver"].(map[string]any), "name")
		}, `/runs/0/tool/driver: missing property 'name'`},
		{"wrong column kind", func(run map[string]any) { run["columnKind"] = "bytes" }, `/runs/0/columnKind: value must be one of 'utf16CodeUnits', 'unicodeCodePoints'`},
	} {
		var doc map[string]any
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		tc.mutate(doc["runs"].([]any)[0].(map[string]any))
		data, _ := json.Marshal(doc)
		errs := strings.Join(sarifcheck.Validate(data), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: errors %q do not mention %q", tc.name, errs, tc.want)
		}
	}
}

func result(run map[string]any) map[string]any { return run["results"].([]any)[0].(map[string]any) }
func regionOf(run map[string]any) map[string]any {
	return result(run)["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["region"].(map[string]any)
}

// Workflow commands: the escaping of @actions/core's command.ts, and no
// way for a message to start a command line of its own.
func TestGitHubEscaping(t *testing.T) {
	if got, want := escapeData("100% done\r\nnext"), "100%25 done%0D%0Anext"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	if got, want := escapeProperty("a:b,c%\n"), "a%3Ab%2Cc%25%0A"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	var b bytes.Buffer
	res := checker.Result{Findings: []analyzer.Finding{{
		Rule: "x", Severity: analyzer.Error,
		Message: "bad\n::error file=forged.js::forged\r\n%0A",
		Bundle:  analyzer.Position{Path: "dist/a,b.js", Line: 1, Column: 2},
	}}}
	if err := (GitHub{W: &b, Dir: "web"}).Report(res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "::error file=web/dist/a%2Cb.js,line=1,col=2,title=manglecheck x::") ||
		strings.Contains(lines[0], "%0A%0A") || !strings.Contains(lines[0], "%250A") || strings.HasPrefix(lines[1], "::") {
		t.Errorf("output:\n%s", b.String())
	}
}

func TestWindow(t *testing.T) {
	for _, tc := range []struct {
		line  string
		col   int
		text  string
		caret int
	}{
		{"abc", 1, "abc", 0},
		{"abc", 3, "abc", 2},
		{"abc", 4, "abc", 3},
		{"abc", 9, "abc", -1},
		{"😀x", 3, "😀x", 1}, // the emoji is two UTF-16 units
		{strings.Repeat("a", 50) + "X" + strings.Repeat("b", 100), 51, "…" + strings.Repeat("a", 40) + "X" + strings.Repeat("b", 59) + "…", 41},
	} {
		text, caret := window(tc.line, tc.col)
		if text != tc.text || caret != tc.caret {
			t.Errorf("window(%.20q, %d) = %q, %d; want %q, %d", tc.line, tc.col, text, caret, tc.text, tc.caret)
		}
	}
}
