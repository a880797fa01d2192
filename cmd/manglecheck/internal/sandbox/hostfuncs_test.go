package sandbox_test

import (
	"testing"
	"time"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
)

// The Go functions behind atob, btoa and timers: values, the DOM's errors,
// and a timer's arguments and virtual time.
func TestHostFunctions(t *testing.T) {
	src := `var s = btoa("h\u00e9llo") + "|" + atob(" aGk=\n") + "|";
	try { atob("%%") } catch (e) { s += e.message }
	try { btoa("\u0100") } catch (e) { s += "|" + e.message }
	setTimeout(function (a, b) { throw new Error(s + "|" + a + b + "|" + Date.now()) }, 5, "x", "y")`
	p, err := sandbox.Compile("host.js", src)
	if err != nil {
		t.Fatal(err)
	}
	out := sandbox.Run(t.Context(), sandbox.Config{Main: p, Env: sandbox.Browser, Limits: sandbox.Limits{Timeout: 5 * time.Second}})
	const want = "Error: aOlsbG8=|hi|" +
		"InvalidCharacterError: Failed to execute 'atob': The string to be decoded is not correctly encoded.|" +
		"InvalidCharacterError: Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.|" +
		"xy|1704067200005"
	if out.Stop != nil || len(out.Errors) != 1 || out.Errors[0].Message != want {
		t.Errorf("stop %+v, errors %+v; want one error %q", out.Stop, out.Errors, want)
	}
}
