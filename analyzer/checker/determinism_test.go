package checker_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report"
	"github.com/manglecheck/manglecheck/rules"
)

// The same inputs give byte-identical output whatever the parallelism:
// the ~350 minifier-matrix outputs (with maps, many findings) analyzed with
// 1, 2 and 8 workers, twice each.
func TestDeterministicAcrossWorkers(t *testing.T) {
	render := func(workers int) []byte {
		res, err := checker.Check(context.Background(), []string{"../../fixtures/minifiers/out", "../../fixtures/sample/dist"},
			checker.Options{Rules: rules.All(), Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) < 100 {
			t.Fatalf("only %d findings: the inputs moved?", len(res.Findings))
		}
		var b bytes.Buffer
		if err := (report.JSON{W: &b}).Report(res); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	want := render(1)
	for _, w := range []int{2, 8, 1, 8} {
		if got := render(w); !bytes.Equal(got, want) {
			t.Fatalf("output with %d workers differs from 1 worker", w)
		}
	}
}
