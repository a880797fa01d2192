package sandbox_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
)

// healthy is a bundle that starts cleanly; it runs after each hostile one
// to show the process is still fine.
const healthy = `
window.addEventListener("load", () => { document.body.appendChild(document.createElement("main")); });
setTimeout(() => { localStorage.setItem("started", String(Date.now())); }, 10);
if ([1, 2, 3].map((x) => x * 2).join() !== "2,4,6" || ({}).polluted !== undefined) throw new Error("unhealthy");
`

// write puts each bundle in a file of its own directory and returns the
// paths.
func write(t *testing.T, bundles ...string) []string {
	t.Helper()
	var out []string
	for i, b := range bundles {
		dir := filepath.Join(t.TempDir(), "b"+string(rune('a'+i)))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "bundle.js")
		if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// Hostile startups end within the budget with a clear finding, and the
// next bundle in the same process runs normally.
func TestNeverHangs(t *testing.T) {
	memoryBomb := sandbox.Limits{MaxMemory: 16 << 20, Timeout: 20 * time.Second}
	// The doubling bombs may meet the OS limit first (see below).
	osLimitMayStop := map[string]bool{"memory bomb: string doubling": true, "memory bomb: array doubling": true}
	for _, tc := range []struct {
		name   string
		src    string
		limits sandbox.Limits
		want   string // in the finding's message; "" for no finding
		within time.Duration
	}{
		{"infinite loop", `while (true) {}`, sandbox.Limits{}, "timed out after 5s", 5*time.Second + 2*time.Second},
		{"while(true) in a timer", `setTimeout(function spin() { for (;;) {} }, 100)`, sandbox.Limits{}, "timed out after 5s", 7 * time.Second},
		{"promise storm", `(function storm() { Promise.resolve().then(storm); })()`, sandbox.Limits{}, "timed out after 5s", 7 * time.Second},
		{"microtask storm", `(function storm() { queueMicrotask(storm); queueMicrotask(storm); })()`, sandbox.Limits{Timeout: time.Second}, "timed out after 1s", 3 * time.Second},
		{"deep recursion", `function down(n) { return down(n + 1) + 1; } down(0)`, sandbox.Limits{}, "stack overflow", 5 * time.Second},
		// goja unwinds an overflow through built-in calls in time
		// quadratic in the depth (see Limits.MaxCallDepth): a lower
		// limit keeps this test quick on a loaded machine.
		{"recursion through a built-in", `function down() { [1].map(down); } down()`, sandbox.Limits{MaxCallDepth: 1000}, "stack overflow", 8 * time.Second},
		// goja is slow (a few million simple operations a second, several
		// times fewer under -race): the memory bombs get a small memory
		// limit and a long time budget, so that it is the memory guard
		// that stops them.
		{"memory bomb: array doubling", `let a = [1, 2, 3, 4]; for (;;) a = a.concat(a);`, memoryBomb, "memory limit exceeded", 22 * time.Second},
		{"memory bomb: string doubling", `let s = "xxxxxxxx"; const keep = []; for (;;) { s += s; keep.push(s); }`, memoryBomb, "memory limit exceeded", 22 * time.Second},
		{"memory bomb: objects", `const all = []; for (let i = 0; ; i++) all.push({ i, s: "x" + i });`, memoryBomb, "memory limit exceeded", 22 * time.Second},
		{"one huge allocation", `new Uint8Array(1e12)`, sandbox.Limits{}, "Array buffer allocation failed", 5 * time.Second},
		{"one huge string", `"abc".repeat(2 ** 40)`, sandbox.Limits{}, "Invalid string length", 5 * time.Second},
		{"one huge fill", `new Array(2 ** 31).fill(0)`, sandbox.Limits{}, "memory limit exceeded", 5 * time.Second},
		{"setInterval never cleared", `let n = 0; setInterval(() => { n++; }, 0);`, sandbox.Limits{}, "", 5 * time.Second},
		{"timer storm", `(function again() { setTimeout(again, 0); setTimeout(again, 0); })()`, sandbox.Limits{}, "", 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := write(t, tc.src, healthy)
			start := time.Now()
			res := smokeStopped(t, paths[:1], sandbox.Options{Limits: tc.limits})
			took := time.Since(start)
			// A memory bomb must be stopped by the heap guard's finding;
			// running out of time instead means the guard did not work.
			// Only the doubling bombs may instead meet the sandbox
			// process's OS memory limit (reported for the file): one
			// doubling of a string, or a concat of an array of millions
			// of elements, can allocate past it between two of the
			// guard's 5 ms samples, the more so when the race detector
			// and a loaded machine delay the sampler (CI saw the array
			// doubling do it). The object bomb grows by steps the guard
			// sees (a broken guard lets it reach the OS limit, and fails).
			osStopped := false
			for _, f := range res.Files {
				if f.Error == nil {
					continue
				}
				if osLimitMayStop[tc.name] && strings.Contains(*f.Error, "the sandbox stopped: out of memory") {
					osStopped = true
					continue
				}
				t.Errorf("%s could not be run: %s", f.Path, *f.Error)
			}
			t.Logf("%s: %v (stopped by the OS limit: %v)", tc.name, took.Round(time.Millisecond), osStopped)
			// The guarantee is that the run ends within its budget; the
			// grace absorbs a loaded machine (CI runs these under -race).
			if limit := tc.within + 15*time.Second; took > limit {
				t.Errorf("took %v, more than %v", took, limit)
			}
			switch {
			case osStopped && len(res.Findings) == 0:
			case osStopped:
				t.Errorf("stopped by the OS limit and reported findings too: %+v", res.Findings)
			case tc.want == "" && len(res.Findings) > 0:
				t.Errorf("unexpected finding: %s", res.Findings[0].Message)
			case tc.want != "" && len(res.Findings) != 1:
				t.Errorf("want one finding with %q, have %d", tc.want, len(res.Findings))
			case tc.want != "" && !strings.Contains(res.Findings[0].Message, tc.want):
				t.Errorf("finding %q does not say %q", res.Findings[0].Message, tc.want)
			case tc.want != "" && (res.Findings[0].Rule != "startup-error" || res.Findings[0].Bundle.Line == 0):
				t.Errorf("finding is not a positioned startup-error: %+v", res.Findings[0])
			}
			next := smoke(t, paths[1:], sandbox.Options{})
			if len(next.Findings) > 0 {
				t.Errorf("the next bundle failed: %s", next.Findings[0].Message)
			}
		})
	}
}

// Scripts cannot reach the host, and what one bundle does to the
// environment does not leak into the next (a fresh runtime per bundle).
func TestNoEscape(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  sandbox.Env
		src  string
		want string // in the finding's message; "" for no finding
	}{
		{"constructor chain finds no process (browser)", sandbox.Browser,
			`this.constructor.constructor("return process")()`, "process is not defined"},
		{"constructor chain finds the sandbox's process (node)", sandbox.Node,
			`const p = this.constructor.constructor("return process")();
			 if (Object.keys(p.env).length !== 0 || p.binding !== undefined || p.mainModule !== undefined || p.dlopen !== undefined) throw new Error("host process leaked");`, ""},
		{"Function('return this') is the sandbox global", sandbox.Browser,
			`const g = Function("return this")();
			 if (g !== globalThis || g !== window) throw new Error("not the sandbox global");
			 for (const k of ["host", "require", "process", "Buffer", "__mc_probe"]) if (k in g) throw new Error("global " + k + " leaked");`, ""},
		{"require of a host module", sandbox.Node, `try { require("fs"); throw new Error("fs loaded"); } catch (e) { if (!/not available in the sandbox/.test(e.message)) throw e; }`, ""},
		{"require of a path outside the bundle", sandbox.Node, `try { require("../../../../../../etc/passwd"); throw new Error("read"); } catch (e) { if (!/not available in the sandbox/.test(e.message)) throw e; }`, ""},
		{"network", sandbox.Browser, `let failed = false; fetch("https://example.com/").catch((e) => { failed = /network disabled/.test(e.message); }); setTimeout(() => { if (!failed) throw new Error("fetch did not fail"); }, 1);`, ""},
		{"getters that throw on the host's reads", sandbox.Browser,
			`throw { get name() { throw 1; }, get message() { throw 2; }, get stack() { throw 3; }, get [Symbol.toStringTag]() { throw 4; } }`, "uncaught value"},
		{"a proxy that throws on every trap", sandbox.Browser,
			`const p = new Proxy({}, { get() { throw 1; }, has() { throw 2; }, getPrototypeOf() { throw 3; }, ownKeys() { throw 4; }, getOwnPropertyDescriptor() { throw 5; } });
			 console.log(p); Promise.reject(p); throw p;`, "uncaught"},
		{"a getter that never returns", sandbox.Browser,
			`throw { get message() { for (;;) {} } }`, "could not be read"},
		{"recursive toString in the message", sandbox.Browser,
			`const e = new Error("x"); Object.defineProperty(e, "message", { get() { return String(this); } }); e.toString = function () { return this.message; }; throw e;`, "could not be read"},
		{"a thrown object whose toString recurses", sandbox.Browser,
			`throw { toString() { return this + ""; } }`, "uncaught value [object Object]"},
		{"a huge message", sandbox.Browser, `throw new Error("x".repeat(5e6))`, "Error: xxx"},
		{"a huge string logged", sandbox.Browser, `console.log("y".repeat(5e6)); throw new Error("after")`, "Error: after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := write(t, tc.src, healthy)
			// A generous budget: these must end with their own error, and a
			// loaded CI machine (-race) must not turn that into a timeout.
			res := smoke(t, paths[:1], sandbox.Options{Env: tc.env, Limits: sandbox.Limits{Timeout: 30 * time.Second}})
			switch {
			case tc.want == "" && len(res.Findings) > 0:
				t.Errorf("unexpected finding: %s", res.Findings[0].Message)
			case tc.want != "" && len(res.Findings) == 0:
				t.Errorf("want a finding with %q, have none", tc.want)
			case tc.want != "" && !strings.Contains(res.Findings[0].Message, tc.want):
				t.Errorf("finding %q does not say %q", res.Findings[0].Message, tc.want)
			}
			for _, f := range res.Findings {
				if len(f.Message) > 2000 {
					t.Errorf("message of %d bytes", len(f.Message))
				}
			}
			next := smoke(t, paths[1:], sandbox.Options{})
			if len(next.Findings) > 0 {
				t.Errorf("the next bundle failed: %s", next.Findings[0].Message)
			}
		})
	}
}

// Prototype pollution by one bundle is not seen by the next one, even in
// the same Smoke call.
func TestFreshRuntimePerBundle(t *testing.T) {
	paths := write(t,
		`Object.prototype.polluted = 1; Array.prototype.map = null; globalThis.leak = 1; String.prototype.replace = function () { throw new Error("polluted"); };`,
		healthy+`if (typeof leak !== "undefined" || "a".replace("a", "b") !== "b") throw new Error("state leaked");`)
	res := smoke(t, paths, sandbox.Options{})
	for _, f := range res.Findings {
		t.Errorf("%s: %s", f.Bundle.Path, f.Message)
	}
}

// A module that is not the bundle's own stops the top level: the file
// could not be checked (exit 2), which is not a finding about the bundle.
func TestSandboxLimitsAreNotFindings(t *testing.T) {
	paths := write(t, `const fs = require("fs"); fs.readFileSync("/etc/passwd");`, `fetch("/config.json").then((r) => r.json());`)
	res, err := sandbox.Smoke(t.Context(), paths, nil, with(sandbox.Options{Env: sandbox.Node}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("limits reported as findings: %+v", res.Findings)
	}
	byPath := map[string]checker.FileResult{}
	for _, f := range res.Files {
		byPath[filepath.Base(filepath.Dir(f.Path))] = f
	}
	if f := byPath["ba"]; f.Error == nil || !strings.Contains(*f.Error, `module "fs" is not available in the sandbox`) {
		t.Errorf("require(\"fs\") at the top level: want a file error, have %+v", f)
	}
	if f := byPath["bb"]; f.Error != nil || len(f.Warnings) == 0 || !strings.Contains(strings.Join(f.Warnings, "\n"), "network") {
		t.Errorf("fetch at startup: want a network warning, have %+v", f)
	}
}
