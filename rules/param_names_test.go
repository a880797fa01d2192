package rules_test

import (
	"fmt"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/rules"
)

// Parameter names read back from a function's source are an error where
// the bundle shows them looking values up (a key, a lookup method, a
// pattern that names the parameter), a warning where they leave the
// bundle (an exported API returns them), and nothing where they only
// build a message (tsyringe formats the parameter it could not resolve).
func TestParamNamesEvidence(t *testing.T) {
	const parse = `function params(fn: Function): string[] {
  const m = fn.toString().match(/\(([^)]*)\)/);
  return m ? m[1].split(",").map((p) => p.trim()) : [];
}
class Service { constructor(readonly repository: unknown, readonly formatter: unknown) {} }
`
	for _, c := range []struct {
		name, use string
		want      string // severities, with and without the map
	}{
		{"looked up by key", `const services: Record<string, unknown> = { repository: 1, formatter: 2 };
export const made = new Service(...params(Service).map((n) => services[n]));`, "error"},
		{"looked up by a method", `const services = new Map<string, unknown>([["repository", 1]]);
export const made = params(Service).map((n) => services.get(n));`, "error"},
		{"returned by the API", `(globalThis as any).names = () => params(Service);`, "warning"},
		{"only in a message", `export function explain(i: number) {
  return new Error("cannot resolve parameter " + params(Service)[i] + " of Service");
}`, ""},
	} {
		for _, format := range []api.Format{api.FormatIIFE, api.FormatESModule} {
			name := fmt.Sprintf("%s/format%d", c.name, format)
			withMap, noMap := checkPackageApp(t, parse+c.use, format, false, rules.ParamNames)
			wantSeverities(t, name+" (map)", withMap, c.want)
			wantSeverities(t, name+" (no map)", noMap, c.want)
		}
	}
	// A pattern with parentheses that names no parameter (framer-motion
	// tokenises CSS values such as rgba(…) and var(--x)), applied to a
	// value the flows say may be a function: no finding.
	const css = `const complex = /var\s*\(\s*--[\w-]+\)|(?:rgb|hsl)a?\([^)]*\)/g;
function tokens(value: unknown) {
  return String(value).replace(complex, (m) => "#" + m.length);
}
export const sizes = [tokens((offset: number) => offset), tokens("rgb(1, 2, 3)")].map((t) => t.length);
`
	for _, format := range []api.Format{api.FormatIIFE, api.FormatESModule} {
		withMap, noMap := checkPackageApp(t, css, format, false, rules.ParamNames)
		wantSeverities(t, fmt.Sprintf("css/format%d (map)", format), withMap, "")
		wantSeverities(t, fmt.Sprintf("css/format%d (no map)", format), noMap, "")
	}
	// The pattern itself looks for a parameter: a test runner's done.
	const runner = `const DONE = /^(?:async\s+)?(?:function\b[^(]*)?\(?\s*done\b/;
export function run(hooks: Function[]) {
  return hooks.map((h) => (DONE.test(h.toString()) ? "callback" : "sync"));
}
run([function (done: () => void) { done(); }]);
`
	for _, format := range []api.Format{api.FormatIIFE, api.FormatESModule} {
		withMap, noMap := checkPackageApp(t, runner, format, false, rules.ParamNames)
		wantSeverities(t, fmt.Sprintf("done/format%d (map)", format), withMap, "error")
		wantSeverities(t, fmt.Sprintf("done/format%d (no map)", format), noMap, "error")
	}
}
