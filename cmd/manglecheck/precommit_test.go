package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestPreCommitHooks checks .pre-commit-hooks.yaml without pre-commit
// (fixtures/precommit/test.sh runs the real one when it is installed):
// every key is one pre-commit's manifest knows, the values have the types
// it wants, and entry + args + the files pre-commit would pass run the
// real CLI with the expected result on the sample build.
func TestPreCommitHooks(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := parseHooks(string(data))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]hook{}
	for _, h := range hooks {
		for k, v := range h {
			kind, ok := manifestKeys[k]
			if !ok {
				t.Errorf("hook %v: pre-commit has no key %q", h["id"], k)
				continue
			}
			typed := false
			switch kind {
			case "list":
				typed = h.list(k) != nil
			case "bool":
				_, typed = v.(bool)
			default:
				_, typed = v.(string)
			}
			if !typed {
				t.Errorf("hook %v: %s = %#v, must be a %s", h["id"], k, v, kind)
			}
		}
		for _, k := range []string{"id", "name", "entry", "language"} {
			if _, ok := h[k]; !ok {
				t.Errorf("hook %v has no %s", h["id"], k)
			}
		}
		if h["language"] != "golang" {
			t.Errorf("hook %v: language %v, want golang", h["id"], h["language"])
		}
		// language: golang installs the module's commands with `go
		// install ./...`: entry must name one of them.
		if bin := strings.Fields(h.str("entry"))[0]; !isCommand(bin) {
			t.Errorf("hook %v: entry %q runs %q, which `go install ./...` does not build", h["id"], h["entry"], bin)
		}
		byID[h.str("id")] = h
	}

	files := byID["manglecheck"]
	if files == nil {
		t.Fatal("no manglecheck hook")
	}
	if got := fmt.Sprint(files["types_or"]); got != "[javascript]" {
		t.Errorf("manglecheck types_or = %s", got)
	}
	re, err := regexp.Compile(files.str("files"))
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for name, want := range map[string]bool{"dist/app.js": true, "a.mjs": true, "b.cjs": true, "app.js.map": false, "main.ts": false, "app.json": false} {
		if re.MatchString(name) != want {
			t.Errorf("files %q matches %s: %v", re, name, !want)
		}
	}
	if files["pass_filenames"] == false {
		t.Error("the manglecheck hook must be passed the staged files")
	}

	dist := byID["manglecheck-dist"]
	if dist == nil {
		t.Fatal("no manglecheck-dist hook")
	}
	if dist["pass_filenames"] != false || fmt.Sprint(dist["args"]) != "[dist]" {
		t.Errorf("manglecheck-dist: pass_filenames %v, args %v; want false, [dist]", dist["pass_filenames"], dist["args"])
	}

	// Run them as pre-commit would, in a project holding the sample build
	// (a name-compare error) and a source file.
	proj := t.TempDir()
	for _, f := range []string{"dist/app.js", "dist/app.js.map"} {
		copyFile(t, filepath.Join(sampleDir, f), filepath.Join(proj, f))
	}
	if err := os.WriteFile(filepath.Join(proj, "README.md"), []byte("not JavaScript\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(proj)
	staged := []string{"README.md", "dist/app.js", "dist/app.js.map"}
	var passed []string
	for _, f := range staged {
		if re.MatchString(f) && isJavaScript(f) {
			passed = append(passed, f)
		}
	}
	if fmt.Sprint(passed) != "[dist/app.js]" {
		t.Fatalf("pre-commit would pass %q", passed)
	}
	for _, tc := range []struct {
		h     hook
		files []string
		code  int
	}{
		{files, passed, exitFindings},
		{dist, nil, exitFindings},
	} {
		args := hookCommand(tc.h, tc.files)
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != tc.code || !strings.Contains(stdout.String(), "[name-compare]") {
			t.Errorf("%s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, tc.code, stdout.String(), stderr.String())
		}
	}
	// A user's args compose with entry: flags after the directory work.
	dist["args"] = []string{"dist", "--fail-on", "never"}
	if args := hookCommand(dist, nil); run(args, &bytes.Buffer{}, &bytes.Buffer{}) != exitOK {
		t.Errorf("%s: want exit 0", strings.Join(args, " "))
	}
	// Before the first build the dist hook says so and does not block.
	if err := os.RemoveAll("dist"); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(hookCommand(dist, nil), &stdout, &stderr); code != exitOK || !strings.Contains(stderr.String(), "no build to check yet: dist does not exist") {
		t.Errorf("no build yet: exit %d, stderr %q; want 0 and a plain note", code, stderr.String())
	}
	if got := fmt.Sprint(dist["stages"]); got != "[pre-push manual]" {
		t.Errorf("manglecheck-dist stages %s, want [pre-push manual] (not every commit)", got)
	}
}

// hookCommand is what pre-commit runs: entry, args, then the files.
func hookCommand(h hook, files []string) []string {
	args := strings.Fields(h.str("entry"))
	args = append(args, h.list("args")...)
	return append(args, files...)
}

// isJavaScript is identify's "javascript" tag, by extension.
func isJavaScript(name string) bool {
	switch filepath.Ext(name) {
	case ".js", ".mjs", ".cjs":
		return true
	}
	return false
}

// isCommand reports whether cmd/<name> is a main package of this module.
func isCommand(name string) bool {
	src, err := os.ReadFile(filepath.Join("..", name, "main.go"))
	return err == nil && bytes.Contains(src, []byte("package main"))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// manifestKeys are the keys of a hook in pre-commit's manifest
// (pre_commit/clientlib.py, MANIFEST_HOOK_DICT), with their kinds.
var manifestKeys = map[string]string{
	"id": "string", "name": "string", "entry": "string", "language": "string",
	"alias": "string", "files": "string", "exclude": "string",
	"types": "list", "types_or": "list", "exclude_types": "list",
	"additional_dependencies": "list", "args": "list", "stages": "list",
	"always_run": "bool", "fail_fast": "bool", "pass_filenames": "bool",
	"require_serial": "bool", "verbose": "bool",
	"description": "string", "language_version": "string", "log_file": "string",
	"minimum_pre_commit_version": "string",
}

// hook is one hook of the manifest as YAML decodes it: strings, bools and
// sequences ([]any).
type hook map[string]any

func (h hook) str(k string) string { s, _ := h[k].(string); return s }

// list returns h[k] as strings, or nil when it is not a sequence of them.
func (h hook) list(k string) []string {
	switch v := h[k].(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	return nil
}

// parseHooks decodes a hooks manifest: a sequence of mappings (a YAML
// library, not a hand parser of the subset this file uses; it refuses
// duplicate keys).
func parseHooks(src string) ([]hook, error) {
	var hooks []hook
	if err := yaml.Unmarshal([]byte(src), &hooks); err != nil {
		return nil, err
	}
	return hooks, nil
}
