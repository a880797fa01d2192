package policy

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/lines"
)

func TestMatchGlob(t *testing.T) {
	for _, tc := range []struct {
		glob, name string
		want       bool
	}{
		{"dist/*.js", "dist/app.js", true},
		{"dist/*.js", "dist/sub/app.js", false},
		{"dist/**/*.js", "dist/app.js", true},
		{"dist/**/*.js", "dist/a/b/app.js", true},
		{"dist/**", "dist/a/b/app.js", true},
		{"**/*.min.js", "vendor/x.min.js", true},
		{"**/*.min.js", "x.min.js", true},
		{"../dist/*.js", "../dist/a.js", true},
		{"dist/legacy/**", "dist/app.js", false},
		{"*.js", "dist/app.js", false},
	} {
		if got := matchGlob(tc.glob, tc.name); got != tc.want {
			t.Errorf("matchGlob(%q, %q) = %v", tc.glob, tc.name, got)
		}
	}
}

func TestParseDirectives(t *testing.T) {
	src := `// manglecheck-ignore-file -- generated
x; // manglecheck-ignore-next-line name-key, name-compare -- keyed by static name
  /* manglecheck-ignore-next-line name-key */ y;
{/* manglecheck-ignore-next-line name-compare -- JSX */}
// manglecheck-ignore-filesystem is not a directive
const s = "manglecheck-ignore-next-line"; // not in a comment
// eslint-disable-line manglecheck-ignore-next-line
//manglecheck-ignore-next-line name-key name-compare--why
😀 // manglecheck-ignore-next-line`
	got := parseDirectives(lines.New(src))
	want := []directive{
		{file: true, reason: "generated", line: 1, col: 1, text: "manglecheck-ignore-file -- generated"},
		{rules: []string{"name-key", "name-compare"}, reason: "keyed by static name", line: 2, col: 4,
			text: "manglecheck-ignore-next-line name-key, name-compare -- keyed by static name"},
		{rules: []string{"name-key"}, line: 3, col: 3, text: "manglecheck-ignore-next-line name-key"},
		{rules: []string{"name-compare"}, reason: "JSX", line: 4, col: 2, text: "manglecheck-ignore-next-line name-compare -- JSX"},
		{rules: []string{"name-key", "name-compare"}, reason: "why", line: 8, col: 1, text: "manglecheck-ignore-next-line name-key name-compare--why"},
		{line: 9, col: 4, text: "manglecheck-ignore-next-line"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseDirectives:\n got %+v\nwant %+v", got, want)
	}
	d := want[1]
	if !d.covers("name-key", 3) || d.covers("name-key", 2) || d.covers("param-names", 3) {
		t.Error("next-line directive covers the wrong lines or rules")
	}
	if f := want[0]; !f.covers("anything", 99) {
		t.Error("file directive without IDs must cover every rule and line")
	}
}

func TestStableBundlePath(t *testing.T) {
	for in, want := range map[string]string{
		"dist/assets/index-BIqW9hR2.js":    "dist/assets/index-*.js",
		"build/static/js/main.3f2a1b9c.js": "build/static/js/main.*.js",
		"dist/vendor-react.js":             "dist/vendor-react.js",
		"dist/app.js":                      "dist/app.js",
		"dist/chunk-2024.js":               "dist/chunk-2024.js", // short: a name, not a hash
	} {
		if got := stableBundlePath(in); got != want {
			t.Errorf("stableBundlePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBundleTokens(t *testing.T) {
	// The same code minified twice with different names and at different
	// offsets gives the same tokens.
	a := `var q=1;function e(t){return t.constructor.name==="UserService"}console.log(e(new n));`
	b := `var ab=1,cd=2,ef=3;function xy(zz){return zz.constructor.name==="UserService"}console.log(xy(new t));`
	ta := bundleTokens(a, strings.Index(a, "t.constructor"))
	tb := bundleTokens(b, strings.Index(b, "zz.constructor"))
	if ta != tb {
		t.Errorf("tokens differ:\n%s\n%s", ta, tb)
	}
	if !strings.Contains(ta, "constructor . name") || !strings.Contains(ta, "UserService") || !strings.Contains(ta, "return") {
		t.Errorf("tokens %q lost the evidence", ta)
	}
}

func TestBaselineFile(t *testing.T) {
	fs := []analyzer.Finding{
		{Rule: "name-key", Fingerprint: "bb", Original: &analyzer.Original{Source: "src/a.js", Name: "A"}},
		{Rule: "name-key", Fingerprint: "bb", Original: &analyzer.Original{Source: "src/a.js", Name: "A"}},
		{Rule: "name-compare", Fingerprint: "aa", Bundle: analyzer.Position{Path: "dist/index-4f3a2b1c.js"}},
	}
	b := NewBaseline(fs)
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "findings": [
    {
      "rule": "name-compare",
      "location": "dist/index-*.js",
      "fingerprint": "aa",
      "count": 1
    },
    {
      "rule": "name-key",
      "location": "src/a.js",
      "name": "A",
      "fingerprint": "bb",
      "count": 2
    }
  ]
}
`
	if buf.String() != want {
		t.Errorf("baseline file:\n%s\nwant\n%s", buf.String(), want)
	}
	back, err := ReadBaseline("b.json", &buf)
	if err != nil || !reflect.DeepEqual(back, b) {
		t.Fatalf("ReadBaseline = %+v, %v", back, err)
	}

	// Count matching: two recorded, three now: one is new.
	now := append(fs, fs[0], analyzer.Finding{Rule: "x", Fingerprint: "cc"})
	kept, removed := b.Apply(now)
	if removed != 3 || len(kept) != 2 || kept[0].Fingerprint != "bb" || kept[1].Fingerprint != "cc" {
		t.Errorf("Apply: baselined %d, left %+v", removed, kept)
	}

	for _, bad := range []string{
		`{"version": 2, "findings": []}`,
		`{"version": 1, "findings": [{"rule": "x", "location": "y", "fingerprint": "", "count": 1}]}`,
		`{"version": 1, "findings": [{"rule": "x", "location": "y", "fingerprint": "z", "count": 0}]}`,
		`{"version": 1, "findings": [], "extra": true}`,
		`not json`,
	} {
		if _, err := ReadBaseline("b.json", strings.NewReader(bad)); err == nil || !strings.HasPrefix(err.Error(), "b.json: ") {
			t.Errorf("ReadBaseline(%s) = %v, want an error naming the file", bad, err)
		}
	}
}
