package analyzer_test

import (
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
)

// An analysis two rules require runs once per file, before either rule,
// and each rule reads the same result; reading one a rule did not
// declare panics instead of handing out nil.
func TestAnalysisOncePerFile(t *testing.T) {
	runs := 0
	counter := &analyzer.Analysis{Name: "counter", Run: func(f *analyzer.File) any { runs++; return f.Path + " result" }}
	other := &analyzer.Analysis{Name: "other", Run: func(*analyzer.File) any { t.Error("an analysis no rule requires ran"); return nil }}
	var read []any
	rule := func(id string) *analyzer.Rule {
		return &analyzer.Rule{ID: id, Requires: []*analyzer.Analysis{counter}, Run: func(p *analyzer.Pass) { read = append(read, p.ResultOf(counter)) }}
	}
	a, b := rule("a"), rule("b")
	file := &analyzer.File{Path: "x.js"}
	file.Prepare([]*analyzer.Rule{a, b, {ID: "none", Run: func(*analyzer.Pass) {}}})
	for _, r := range []*analyzer.Rule{a, b} {
		r.Run(analyzer.NewPass(r, file, func(analyzer.Diagnostic) {}))
	}
	if runs != 1 {
		t.Errorf("analysis ran %d times, want once", runs)
	}
	if len(read) != 2 || read[0] != "x.js result" || read[1] != "x.js result" {
		t.Errorf("rules read %v", read)
	}

	defer func() {
		v := recover()
		if s, ok := v.(string); !ok || !strings.Contains(s, "rule a reads analysis other without requiring it") {
			t.Errorf("undeclared read: recovered %v", v)
		}
	}()
	analyzer.NewPass(a, file, nil).ResultOf(other)
}

// Report hands the rule's diagnostics to the driver's function.
func TestPassReport(t *testing.T) {
	var got []analyzer.Diagnostic
	p := analyzer.NewPass(&analyzer.Rule{ID: "r"}, &analyzer.File{}, func(d analyzer.Diagnostic) { got = append(got, d) })
	p.Report(analyzer.Diagnostic{Pos: 3, Message: "m"})
	if len(got) != 1 || got[0].Pos != 3 || got[0].Message != "m" {
		t.Errorf("reported %+v", got)
	}
}
