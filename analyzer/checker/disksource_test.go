package checker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer/originals"
	"github.com/manglecheck/manglecheck/analyzer/policy"
)

// A map without sourcesContent: its sources are read from disk inside the
// working directory only.
func TestDiskSource(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	for path, text := range map[string]string{
		filepath.Join(work, "src", "a.js"): "export const __DEV__ = true;\n",
		filepath.Join(dir, "secret.js"):    "outside\n",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	p, err := policy.New(policy.Config{})
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(work, "dist", "app.js")
	read := diskSource(bundle, bundle+".map", p, 1<<20)
	if got, ok := read("../src/a.js"); !ok || !originals.IsModule(got) {
		t.Errorf("../src/a.js: %q, %v; want the module's text", got, ok)
	}
	for _, raw := range []string{"../../secret.js", "../src/missing.js", "https://example.test/a.js"} {
		if got, ok := read(raw); ok {
			t.Errorf("%s: read %q, want nothing", raw, got)
		}
	}
}
