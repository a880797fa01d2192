package sandbox_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
	"github.com/manglecheck/manglecheck/rules"
)

// The cost per bundle of running it in a sandbox process, on a trivial
// bundle: the process start, the Go runtime, the environment's prelude
// (reported as startup-ms), then the request, the compile and the run
// (wall-ms), and the whole Smoke call (ns/op). BenchmarkInProcess is the
// same run without a process, for comparison.
func BenchmarkSandboxProcess(b *testing.B) {
	p := filepath.Join(b.TempDir(), "app.js")
	if err := os.WriteFile(p, []byte(`window.app = {start: function () { return 1; }}; app.start();`), 0o644); err != nil {
		b.Fatal(err)
	}
	var startup, wall time.Duration
	var peak int64
	opts := with(sandbox.Options{OnChild: func(st sandbox.ChildStats) {
		startup += st.Startup
		wall += st.Wall
		peak = max(peak, st.OwnPeak)
	}})
	b.ResetTimer()
	for b.Loop() {
		res, err := sandbox.Smoke(b.Context(), []string{p}, rules.StartupError, opts)
		if err != nil || res.Failed() || len(res.Findings) > 0 {
			b.Fatalf("%v %+v", err, res)
		}
	}
	b.ReportMetric(float64(startup.Milliseconds())/float64(b.N), "startup-ms")
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms")
	b.ReportMetric(float64(peak>>20), "peak-MiB")
}

func BenchmarkInProcess(b *testing.B) {
	for b.Loop() {
		s, err := sandbox.Compile("app.js", `window.app = {start: function () { return 1; }}; app.start();`)
		if err != nil {
			b.Fatal(err)
		}
		out := sandbox.Run(b.Context(), sandbox.Config{Main: s})
		if len(out.Errors) > 0 || out.Stop != nil {
			b.Fatalf("%+v", out)
		}
	}
}
