package sandbox_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
	"github.com/manglecheck/manglecheck/rules"
)

// The hostile suite: each bundle runs in a sandbox process (this test
// binary, turned into one by TestMain), and whatever it does, the run
// ends within its budget plus one second with a clear per-bundle result,
// the child's peak memory (its rusage, measured by the parent) stays
// within its limit plus 10%, the next bundle runs normally, and no secret
// of the environment or of the bundle's directory reaches the report.
//
// The budget is small (2 s) so the suite is quick; the bound asserted is
// a correctness bound of the kill, not a benchmark: the parent kills the
// child's process group at budget + 0.5 s whatever the machine's load.

const (
	secret       = "s3cr3t-planted-by-the-test"
	hostileTime  = 2 * time.Second
	hostileHeap  = 256 << 20
	probeMargin  = time.Second
	memoryMargin = 1.10
)

type probeResult struct {
	res   checker.Result
	stats []sandbox.ChildStats
	out   string // every output format, rendered
}

// hostile runs Smoke over files (name → content) written to a fresh
// directory, the first file being the input (or every .js file when
// input is "").
func hostile(t *testing.T, env sandbox.Env, files map[string]string, inputs ...string) probeResult {
	t.Helper()
	return hostileWith(t, sandbox.Limits{Timeout: hostileTime, MaxMemory: hostileHeap}, env, files, inputs...)
}

func hostileWith(t *testing.T, limits sandbox.Limits, env sandbox.Env, files map[string]string, inputs ...string) probeResult {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var paths []string
	for _, in := range inputs {
		paths = append(paths, filepath.Join(dir, in))
	}
	var (
		mu  sync.Mutex
		pr  probeResult
		con bytes.Buffer
	)
	opts := sandbox.Options{
		Env:    env,
		Limits: limits,
		OnChild: func(st sandbox.ChildStats) {
			mu.Lock()
			pr.stats = append(pr.stats, st)
			mu.Unlock()
		},
		Console: func(b string, lines []string) { fmt.Fprintln(&con, b, lines) },
	}
	res, err := sandbox.Smoke(t.Context(), paths, rules.StartupError, with(opts))
	if err != nil {
		t.Fatal(err)
	}
	pr.res = res
	var out bytes.Buffer
	_ = report.Text{W: &out}.Report(res)
	_ = report.JSON{W: &out}.Report(res)
	_ = report.GitHub{W: &out}.Report(res)
	out.Write(con.Bytes())
	pr.out = out.String()
	for _, st := range pr.stats {
		t.Logf("%s: %s startup, %s wall, peak RSS %d MiB own / %d MiB rusage (limit %d MiB), stopped: %q", filepath.Base(st.Path), st.Startup.Round(time.Millisecond), st.Wall.Round(time.Millisecond), st.OwnPeak>>20, st.PeakRSS>>20, st.Memory>>20, st.Stopped)
		if st.Wall > st.Budget+probeMargin {
			t.Errorf("%s: the sandbox process took %s, over its budget %s + %s", st.Path, st.Wall, st.Budget, probeMargin)
		}
		if runtime.GOOS == "linux" {
			if peak, known := childPeak(st); !known {
				t.Logf("%s: the child's own peak is not measurable (it died on its own, and rusage reports this process's larger peak)", st.Path)
			} else if float64(peak) > float64(st.Memory)*memoryMargin {
				t.Errorf("%s: peak RSS %d MiB, over the limit %d MiB + 10%%", st.Path, peak>>20, st.Memory>>20)
			}
		}
	}
	if strings.Contains(pr.out, secret) {
		t.Errorf("the secret reached the output:\n%s", pr.out)
	}
	return pr
}

// childPeak is the child's own peak RSS: what it reported (or the parent
// read before killing it), else rusage's when that is above this
// process's own peak at the spawn (Linux counts the parent's peak in a
// vforked child's ru_maxrss).
func childPeak(st sandbox.ChildStats) (int64, bool) {
	switch {
	case st.OwnPeak > 0:
		return st.OwnPeak, true
	case st.PeakRSS > st.ParentPeak:
		return st.PeakRSS, true
	case float64(st.ParentPeak) <= float64(st.Memory)*memoryMargin:
		return st.PeakRSS, true // at most this process's peak, itself within the limit
	}
	return 0, false
}

// said is everything a result says about its files: findings, errors,
// warnings.
func said(res checker.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "finding %s: %s\n", f.Bundle.Path, f.Message)
	}
	for _, f := range res.Files {
		if f.Error != nil {
			fmt.Fprintf(&b, "error %s\n", *f.Error)
		}
		for _, w := range f.Warnings {
			fmt.Fprintf(&b, "warning %s: %s\n", f.Path, w)
		}
	}
	return b.String()
}

// TestHostileSuite runs each probe of issue 15 in a sandbox process next
// to a healthy bundle that must come out clean.
func TestHostileSuite(t *testing.T) {
	const healthy = `var s = 0; for (var i = 0; i < 2e5; i++) s += i; window.ok = s;`
	// Which limit a bomb meets first (the heap guard, the OS memory
	// limit, the wall clock) depends on the machine's load; each is a
	// clear, bounded end. What must never happen: a crash of the parent,
	// a Go dump in the report, a run past the budget or the memory limit.
	const bounded = `the sandbox stopped: (stack overflow|out of memory|timed out after 2s)|memory limit exceeded|timed out after 2s|Invalid (string|array) length|allocation failed`
	for _, tc := range []struct {
		name, src string
		want      string // regexp the result must say (finding, file error or warning)
	}{
		{"deep-json-parse", `JSON.parse("[".repeat(3e6) + "]".repeat(3e6));`, `the sandbox stopped: (stack overflow|out of memory|timed out after 2s)`},
		{"deep-eval", `eval("[".repeat(3e5) + "]".repeat(3e5));`, `the sandbox stopped: (stack overflow|out of memory|timed out after 2s)`},
		{"deep-function", `Function("return " + "(".repeat(3e5) + "1" + ")".repeat(3e5));`, `the sandbox stopped: (stack overflow|out of memory|timed out after 2s)`},
		{"eval-32mb", `eval("var a=1;".repeat(4e6));`, bounded},
		{"replaceall-bomb", `"a".repeat(1e8).replaceAll("a", "b".repeat(16));`, bounded},
		{"split-bomb", `"a".repeat(1e8).split("");`, bounded},
		{"typed-array-bomb", `var a = []; for (;;) a.push(new Float64Array(1.2e7));`, bounded},
		{"string-doubling", `var s = "ab"; for (;;) s += s;`, bounded},
		{"endless-loop", `for (;;) {}`, `^finding [^\n]*: timed out after 2s \(wall clock; --timeout\)`},
		// A lookahead makes goja use its backtracking engine (regexp2):
		// exponential, and one call Interrupt cannot reach.
		{"stuck-regexp", `/^(a+)+(?=b)c/.test("a".repeat(40));`, `the sandbox stopped: timed out after 2s`},
		{"env-secret", `throw new Error(JSON.stringify(typeof process !== "undefined" ? process.env : {}) + (typeof MANGLECHECK_TEST_SECRET));`, `uncaught Error`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Two at a time (-parallel is GOMAXPROCS): the probes mostly
			// wait for their budget to run out.
			t.Parallel()
			pr := hostile(t, sandbox.Browser, map[string]string{"a/bundle.js": tc.src, "b/next.js": healthy}, "a/bundle.js", "b/next.js")
			got := said(pr.res)
			if !regexp.MustCompile(tc.want).MatchString(got) {
				t.Errorf("want %q, have:\n%s", tc.want, got)
			}
			if strings.Contains(got, "fatal error") || strings.Contains(got, "goroutine ") {
				t.Errorf("a Go crash dump reached the report:\n%s", got)
			}
			for _, f := range pr.res.Findings {
				if strings.HasSuffix(f.Bundle.Path, "next.js") {
					t.Errorf("the next bundle was affected: %s", f.Message)
				}
			}
			for _, f := range pr.res.Files {
				if strings.HasSuffix(f.Path, "next.js") && f.Error != nil {
					t.Errorf("the next bundle failed: %s", *f.Error)
				}
			}
			if len(pr.stats) != 2 {
				t.Fatalf("%d sandbox processes, want 2", len(pr.stats))
			}
		})
	}
}

// A dead child is that bundle's error, with the exit status, and says it
// is the sandbox's limit; a sandbox limit is never a finding.
func TestSandboxStoppedIsAFileError(t *testing.T) {
	pr := hostileWith(t, sandbox.Limits{Timeout: 30 * time.Second, MaxMemory: hostileHeap}, sandbox.Browser, map[string]string{"bundle.js": `JSON.parse("[".repeat(3e6) + "]".repeat(3e6));`}, "bundle.js")
	if len(pr.res.Findings) != 0 {
		t.Errorf("a dead sandbox reported as a finding: %s", pr.res.Findings[0].Message)
	}
	if len(pr.res.Files) != 1 || pr.res.Files[0].Error == nil {
		t.Fatalf("want a file error, have %+v", pr.res.Files)
	}
	msg := *pr.res.Files[0].Error
	if !regexp.MustCompile(`the sandbox stopped: (stack overflow|out of memory)`).MatchString(msg) || !regexp.MustCompile(`\(exit status \d+|killed by`).MatchString(msg) {
		t.Errorf("error %q does not say the sandbox stopped and how", msg)
	}
	if !pr.res.Failed() {
		t.Error("the run did not fail")
	}
}

// The child process's own view of its isolation.
func TestChildIsolation(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("OS limits are set on Linux only")
	}
	pr := hostile(t, sandbox.Node, map[string]string{"bundle.js": `module.exports = 1;`}, "bundle.js")
	if len(pr.stats) != 1 {
		t.Fatalf("%d sandbox processes", len(pr.stats))
	}
	st := pr.stats[0]
	if st.Stopped != "" {
		t.Fatalf("stopped: %s", st.Stopped)
	}
	self := st.Self
	if self.Env != 0 {
		t.Errorf("the child has %d environment variables, want none", self.Env)
	}
	if !slices.Equal(self.FDs, []int{0, 1, 2}) {
		t.Errorf("the child has descriptors %v, want 0 1 2", self.FDs)
	}
	if self.CwdCreate {
		t.Error("the child could create a file in its working directory")
	}
	if self.LimitError != "" || self.DataLimit != st.Memory || self.FileLimit == 0 || self.AddrLimit <= st.Memory {
		t.Errorf("limits: %+v, want RLIMIT_DATA %d and RLIMIT_AS above it", self, st.Memory)
	}
}

// Nothing outside the build's JavaScript reaches the sandbox or the
// report: not a .env, .json or .yml file the bundle requires or imports,
// nor a link out of its directory.
func TestSecretsStayOut(t *testing.T) {
	secrets := map[string]string{
		".env":        "TOKEN=" + secret + "\n",
		"config.json": `{"token": "` + secret + `"}`,
		"bad.json":    `{token: ` + secret + `}`,
		"secrets.yml": "token: " + secret + "\n",
	}
	cases := map[string]string{
		"require-env":  `require("./.env");`,
		"require-json": `throw new Error(JSON.stringify(require("./config.json")));`,
		"require-yml":  `require("./secrets.yml");`,
		"require-link": `require("./link.js");`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"bundle.js": src}
			for k, v := range secrets {
				files[k] = v
			}
			pr := hostile(t, sandbox.Node, files, "bundle.js")
			if !strings.Contains(said(pr.res), "not available in the sandbox") && !strings.Contains(said(pr.res), "no such file") {
				t.Errorf("want the module refused, have:\n%s", said(pr.res))
			}
		})
	}
	t.Run("import", func(t *testing.T) {
		files := map[string]string{
			"entry.mjs": `import t from "./bad.json"; import c from "./config.json"; import "./.env"; import "./secrets.yml"; throw new Error(String(t) + c.token.length);`,
		}
		for k, v := range secrets {
			files[k] = v
		}
		hostile(t, sandbox.Browser, files, "entry.mjs")
	})
	t.Run("symlink", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "bundle.js"), []byte(`require("./env.js"); require("./root.js");`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "env.js")); err != nil {
			t.Skip(err)
		}
		_ = os.Symlink("/", filepath.Join(dir, "root.js"))
		res, err := sandbox.Smoke(t.Context(), []string{filepath.Join(dir, "bundle.js")}, rules.StartupError, with(sandbox.Options{Env: sandbox.Node, Limits: sandbox.Limits{Timeout: hostileTime}}))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		_ = report.Text{W: &out}.Report(res)
		_ = report.JSON{W: &out}.Report(res)
		if strings.Contains(out.String(), secret) || !strings.Contains(said(res), "outside the bundle's directory") {
			t.Errorf("want the link refused, have:\n%s", out.String())
		}
	})
}

// Two environments, one budget: a bundle guessed wrong and run again in
// the other environment does not get twice the time.
func TestEnvRerunSharesTheBudget(t *testing.T) {
	// Guessed browser (window, document), it fails on module after a
	// while, and loops for good in Node.
	pr := hostile(t, sandbox.Auto, map[string]string{"bundle.js": `var w = typeof window, d = typeof document; for (var i = 0; i < 1e6; i++) {} module.exports = 1; for (;;) {}`}, "bundle.js")
	if got := said(pr.res); !strings.Contains(got, "timed out after 2s") || len(pr.res.Findings) != 1 {
		t.Errorf("want one timeout finding, have:\n%s", got)
	}
}

// Run itself (what the sandbox process runs) in this process, so the race
// detector sees its watchdogs: the wall clock and the heap guard stop the
// bundle's code.
func TestRunInProcess(t *testing.T) {
	loop, err := sandbox.Compile("loop.js", "for(;;){}")
	if err != nil {
		t.Fatal(err)
	}
	out := sandbox.Run(t.Context(), sandbox.Config{Main: loop, Limits: sandbox.Limits{Timeout: 300 * time.Millisecond}})
	if out.Stop == nil || out.Stop.Kind != sandbox.Timeout {
		t.Errorf("loop: stop %+v, want a timeout", out.Stop)
	}
	grow, err := sandbox.Compile("grow.js", `var a = [], s = "x".repeat(1 << 20); for (;;) a.push(s + a.length);`)
	if err != nil {
		t.Fatal(err)
	}
	out = sandbox.Run(t.Context(), sandbox.Config{Main: grow, Limits: sandbox.Limits{Timeout: time.Minute, MaxMemory: 64 << 20}})
	if out.Stop == nil || out.Stop.Kind != sandbox.Memory {
		t.Errorf("growth: stop %+v, want the memory limit", out.Stop)
	}
}

// The sandbox's cap on pending timers is its limit, not a bug of the
// bundle: no finding, and it says so.
func TestTimerCapIsALimit(t *testing.T) {
	pr := hostileWith(t, sandbox.Limits{Timeout: 30 * time.Second, MaxMemory: hostileHeap}, sandbox.Browser, map[string]string{"bundle.js": `for (;;) setTimeout(function () {}, 1e9);`}, "bundle.js")
	got := said(pr.res)
	if len(pr.res.Findings) != 0 || !strings.Contains(got, "more than 100000 pending timers") || !strings.Contains(got, "limit of the sandbox") || strings.Contains(got, "GoError") {
		t.Errorf("want the timer cap said as the sandbox's limit, have:\n%s", got)
	}
}
