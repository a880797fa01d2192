package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// tree creates files (content irrelevant) under a new temporary directory,
// makes it the working directory, and returns it.
func tree(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if strings.HasSuffix(f, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func paths(in []Input) []string {
	out := []string{}
	for _, i := range in {
		out = append(out, i.Path)
	}
	return out
}

func errStrings(errs []*Error) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

var dist = []string{
	"dist/app.js",
	"dist/app.js.map",
	"dist/index.html",
	"dist/chunks/a.mjs",
	"dist/chunks/b.cjs",
	"dist/chunks/b.cjs.map",
	"dist/chunks/types.d.ts",
	"dist/node_modules/dep/index.js",
	"dist/.cache/old.js",
	"dist/[id].js",
	"notes.txt",
	"empty/",
	"src/app.ts",
	"maps/app.js.map",
	"maps/vendor.js.map",
}

func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inputs []string
		want   []string
		errs   []string
	}{
		{
			name:   "directory",
			inputs: []string{"dist"},
			want:   []string{"dist/[id].js", "dist/app.js", "dist/chunks/a.mjs", "dist/chunks/b.cjs"},
		},
		{
			name:   "directory given with a trailing slash and dot",
			inputs: []string{"./dist/chunks/"},
			want:   []string{"dist/chunks/a.mjs", "dist/chunks/b.cjs"},
		},
		{
			name:   "explicit files whatever the extension",
			inputs: []string{"notes.txt", "dist/app.js.map", "dist/node_modules/dep/index.js"},
			want:   []string{"dist/app.js.map", "dist/node_modules/dep/index.js", "notes.txt"},
		},
		{
			name:   "explicit node_modules and hidden directories are walked",
			inputs: []string{"dist/node_modules", "dist/.cache"},
			want:   []string{"dist/.cache/old.js", "dist/node_modules/dep/index.js"},
		},
		{
			name:   "duplicates",
			inputs: []string{"dist/chunks", "./dist/chunks/a.mjs", "dist//chunks/../chunks/a.mjs", "dist"},
			want:   []string{"dist/[id].js", "dist/app.js", "dist/chunks/a.mjs", "dist/chunks/b.cjs"},
		},
		{
			name:   "existing file with glob characters is literal",
			inputs: []string{"dist/[id].js"},
			want:   []string{"dist/[id].js"},
		},
		{
			name:   "glob star",
			inputs: []string{"dist/*.js"},
			want:   []string{"dist/[id].js", "dist/app.js"},
		},
		{
			name:   "glob star does not take maps or html",
			inputs: []string{"dist/*"},
			want:   []string{"dist/[id].js", "dist/app.js", "dist/chunks/a.mjs", "dist/chunks/b.cjs"},
		},
		{
			name:   "glob with a literal extension takes it",
			inputs: []string{"dist/*.html", "*.txt"},
			want:   []string{"dist/index.html", "notes.txt"},
		},
		{
			name:   "double star",
			inputs: []string{"**/*.js"},
			want:   []string{"dist/[id].js", "dist/app.js"},
		},
		{
			name:   "double star in the middle",
			inputs: []string{"dist/**/?.?js"},
			want:   []string{"dist/chunks/a.mjs", "dist/chunks/b.cjs"},
		},
		{
			name:   "trailing double star",
			inputs: []string{"dist/**"},
			want:   []string{"dist/[id].js", "dist/app.js", "dist/chunks/a.mjs", "dist/chunks/b.cjs"},
		},
		{
			name:   "glob matching directories walks them",
			inputs: []string{"d*"},
			want:   []string{"dist/[id].js", "dist/app.js", "dist/chunks/a.mjs", "dist/chunks/b.cjs"},
		},
		{
			name:   "glob spells out node_modules",
			inputs: []string{"dist/node_modules/*/*.js"},
			want:   []string{"dist/node_modules/dep/index.js"},
		},
		{
			name:   "nonexistent path and the others still expanded",
			inputs: []string{"nope.js", "dist/chunks"},
			want:   []string{"dist/chunks/a.mjs", "dist/chunks/b.cjs"},
			errs:   []string{"nope.js: no such file or directory"},
		},
		{
			name:   "glob matching nothing",
			inputs: []string{"build/**/*.js", "src/*.js"},
			want:   []string{},
			errs: []string{
				"build/**/*.js: no such file: pattern matches nothing",
				"src/*.js: no such file: pattern matches nothing",
			},
		},
		{
			name:   "directory without bundles",
			inputs: []string{"empty", "src"},
			want:   []string{},
			errs:   []string{"empty: no JavaScript files found", "src: no JavaScript files found"},
		},
		{
			name:   "directory of source maps only",
			inputs: []string{"maps", "empty"},
			want:   []string{},
			errs:   []string{"empty: no JavaScript files found", "maps: no JavaScript files found, only source maps (.map): pass the directory of the .js files they map"},
		},
		{
			name:   "bad pattern",
			inputs: []string{"dist/[a-.js"},
			want:   []string{},
			errs:   []string{"dist/[a-.js: bad pattern: syntax error in pattern"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree(t, dist...)
			got, errs := Expand(tc.inputs, Options{})
			if !reflect.DeepEqual(paths(got), tc.want) {
				t.Errorf("files = %q, want %q", paths(got), tc.want)
			}
			if tc.errs == nil {
				tc.errs = []string{}
			}
			if !reflect.DeepEqual(errStrings(errs), tc.errs) {
				t.Errorf("errors = %q, want %q", errStrings(errs), tc.errs)
			}
		})
	}
}

func TestExpandNotExist(t *testing.T) {
	tree(t, "a.js")
	_, errs := Expand([]string{"b.js", "c/*.js"}, Options{})
	if len(errs) != 2 || !errors.Is(errs[0], fs.ErrNotExist) || !errors.Is(errs[1], ErrNoMatch) {
		t.Fatalf("errors = %q", errStrings(errs))
	}
}

func TestExpandAbsolute(t *testing.T) {
	dir := tree(t, "dist/app.js")
	abs := filepath.ToSlash(dir)
	for _, in := range []string{dir, filepath.Join(dir, "dist", "*.js"), filepath.Join(dir, "**", "app.js")} {
		got, errs := Expand([]string{in}, Options{})
		want := []string{abs + "/dist/app.js"}
		if !reflect.DeepEqual(paths(got), want) || errs != nil {
			t.Errorf("Expand(%q) = %q, %q; want %q", in, paths(got), errStrings(errs), want)
		}
	}
}

func TestExpandExtensions(t *testing.T) {
	tree(t, "dist/a.js", "dist/b.jsx")
	got, _ := Expand([]string{"dist"}, Options{Extensions: []string{".jsx"}})
	if want := []string{"dist/b.jsx"}; !reflect.DeepEqual(paths(got), want) {
		t.Errorf("files = %q, want %q", paths(got), want)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks not supported: %v", err)
	}
}

func TestExpandSymlinkLoop(t *testing.T) {
	tree(t, "dist/app.js", "dist/sub/b.js")
	symlink(t, "..", "dist/sub/up")      // dist/sub/up → dist
	symlink(t, "../dist", "dist/sub/on") // and another route to it
	symlink(t, "sub", "dist/z-alias")    // a second name for dist/sub
	for _, in := range []string{"dist", "**/*.js", "dist/**", "dist/**/b.js"} {
		got, errs := Expand([]string{in}, Options{})
		if len(got) == 0 || errs != nil {
			t.Errorf("Expand(%q) = %q, %q", in, paths(got), errStrings(errs))
		}
		// Each file once: a directory reached again through a link is
		// not read again.
		seen := map[string]bool{}
		for _, p := range paths(got) {
			base := filepath.Base(p)
			if seen[base] {
				t.Errorf("Expand(%q) = %q: %s twice", in, paths(got), base)
			}
			seen[base] = true
		}
	}
}

func TestExpandDanglingSymlink(t *testing.T) {
	tree(t, "dist/app.js")
	symlink(t, "gone.js", "dist/chunk.js")
	symlink(t, "gone", "dist/gone-dir")
	got, errs := Expand([]string{"dist"}, Options{})
	if want := []string{"dist/app.js"}; !reflect.DeepEqual(paths(got), want) {
		t.Errorf("files = %q, want %q", paths(got), want)
	}
	if want := []string{"dist/chunk.js: no such file or directory"}; !reflect.DeepEqual(errStrings(errs), want) {
		t.Errorf("errors = %q, want %q", errStrings(errs), want)
	}
}

// permissionsEnforced reports whether a mode-000 directory is unreadable:
// not for root, nor on some file systems.
func permissionsEnforced(t *testing.T, dir string) bool {
	_, err := os.ReadDir(dir)
	return err != nil
}

func TestExpandUnreadable(t *testing.T) {
	tree(t, "dist/app.js", "dist/private/x.js", "dist/secret.js", "dist/z/last.js")
	if err := os.Chmod("dist/private", 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod("dist/private", 0o755) })
	if err := os.Chmod("dist/secret.js", 0); err != nil {
		t.Fatal(err)
	}
	if !permissionsEnforced(t, "dist/private") {
		t.Skip("permissions are not enforced (running as root?)")
	}
	for _, in := range []string{"dist", "dist/**/*.js"} {
		got, errs := Expand([]string{in}, Options{})
		if want := []string{"dist/app.js", "dist/z/last.js"}; !reflect.DeepEqual(paths(got), want) {
			t.Errorf("Expand(%q) files = %q, want %q", in, paths(got), want)
		}
		want := []string{"dist/private: permission denied", "dist/secret.js: permission denied"}
		if !reflect.DeepEqual(errStrings(errs), want) {
			t.Errorf("Expand(%q) errors = %q, want %q", in, errStrings(errs), want)
		}
	}
}

func TestExpandNotRegular(t *testing.T) {
	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	_, errs := Expand([]string{"/dev/null"}, Options{})
	if want := []string{"/dev/null: not a regular file"}; !reflect.DeepEqual(errStrings(errs), want) {
		t.Errorf("errors = %q, want %q", errStrings(errs), want)
	}
}

// A walk does not follow links out of its directory (to a secret, to
// "/") and says so; links inside it are followed; /proc and /sys are
// refused even when named.
func TestExpandStaysInside(t *testing.T) {
	tree(t, "dist/app.js", "dist/lib/a.js", "dist/z/b.js", "secret/key.js")
	symlink(t, "/proc/self/environ", "dist/env.js")
	symlink(t, "/", "dist/root")
	symlink(t, "../secret", "dist/up")
	symlink(t, "z", "dist/a-link")
	got, errs := Expand([]string{"dist", "/proc/self/environ", "/sys/kernel"}, Options{})
	if want := []string{"dist/a-link/b.js", "dist/app.js", "dist/lib/a.js"}; !reflect.DeepEqual(paths(got), want) {
		t.Errorf("files = %q, want %q", paths(got), want)
	}
	var outside, pseudo []string
	for _, e := range errs {
		switch {
		case errors.Is(e, ErrOutside):
			outside = append(outside, e.Path)
		case errors.Is(e, ErrPseudo):
			pseudo = append(pseudo, e.Path)
		default:
			t.Errorf("unexpected error %v", e)
		}
	}
	if want := []string{"dist/env.js", "dist/root", "dist/up"}; !reflect.DeepEqual(outside, want) {
		t.Errorf("links refused = %q, want %q", outside, want)
	}
	if want := []string{"/proc/self/environ", "/sys/kernel"}; !reflect.DeepEqual(pseudo, want) {
		t.Errorf("pseudo files refused = %q, want %q", pseudo, want)
	}
}
