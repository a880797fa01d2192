package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundler"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

func ptr(s string) *string { return &s }

// sample is a hand-built Result covering every branch of the reporters.
func sample() checker.Result {
	return checker.Result{
		Files: []checker.FileResult{
			{Path: "dist/app.js", Bytes: 1234, SourceMap: ptr("dist/app.js.map"), Minified: true,
				Bundler: &bundler.Info{Bundler: bundler.Vite, Minifier: "oxc", Sign: "Oxc's backtick strings", Confidence: bundler.Likely}},
			{Path: "dist/bad.js", Bytes: 17, Error: ptr("dist/bad.js: Line 1:5 Unexpected token )")},
			{Path: "dist/plain.js", Bytes: 99},
			{Path: "dist/vendor.js", Bytes: 5000, Minified: true,
				Bundler:  &bundler.Info{Bundler: bundler.Vite, Minifier: "oxc", Sign: "vite.config.ts", Confidence: bundler.Likely},
				Warnings: []string{"dist/vendor.js: source map vendor.js.map: bad mappings; analyzed without it"}},
		},
		Findings: []analyzer.Finding{
			{
				Rule:     "name-compare",
				Severity: analyzer.Error,
				Message:  `comparing the class name "e" with "UserService" breaks when the class is renamed; keep class names (esbuild --keep-names)`,
				Bundle:   analyzer.Position{Path: "dist/app.js", Line: 1, Column: 45},
				Original: &analyzer.Original{Source: "src/user.ts", Line: 12, Column: 12, Name: "UserService",
					Lines: []string{"class Check {", "  isUser(x) {", "\treturn x.constructor.name === \"UserService\"; // 💥, 100%"}},
				Offset:      44,
				Excerpt:     `…return n.constructor.name==="UserService"}console.log(t(new e));`,
				Fingerprint: "0123456789abcdef0123456789abcdef",
				Related: []analyzer.Location{
					{Message: "the class is passed here: check(new e)", Bundle: analyzer.Position{Path: "dist/app.js", Line: 1, Column: 90},
						Original: &analyzer.Original{Source: "src/main.ts", Line: 4, Column: 7, Lines: []string{"import { check } from './user';", "", "", "check(new UserService());"}[3:]}},
					{Message: "and read here, in the bundle only", Bundle: analyzer.Position{Path: "dist/app.js", Line: 2, Column: 3}},
				},
			},
			{
				Rule:        "function-name",
				Severity:    analyzer.Warning,
				Message:     "fn.name is read && used as a key <unstable>",
				Bundle:      analyzer.Position{Path: "dist/app.js", Line: 3, Column: 7},
				Offset:      300,
				Excerpt:     "x=f.name;\x1b[2J\tdone",
				Dependency:  "left-pad",
				Fingerprint: "11111111111111111111111111111111",
			},
			{
				Rule:        "name-compare",
				Severity:    analyzer.Info,
				Message:     "name read without comparison",
				Bundle:      analyzer.Position{Path: "dist/vendor.js", Line: 2, Column: 1},
				Original:    &analyzer.Original{Source: "node_modules/left-pad/index.js", Line: 1, Column: 1},
				Offset:      10,
				Fingerprint: "11111111111111111111111111111111",
			},
			{
				Rule:        "unused-suppression",
				Severity:    analyzer.Info,
				Message:     `"manglecheck-ignore-next-line name-key" suppresses nothing for name-key: no finding on the next line. Remove or correct it.`,
				Bundle:      analyzer.Position{Path: "dist/vendor.js"},
				Original:    &analyzer.Original{Source: "src/a,b:c.js", Line: 3, Column: 1, Lines: []string{"// manglecheck-ignore-next-line name-key"}},
				Offset:      -1,
				Fingerprint: "fedcba9876543210fedcba9876543210",
			},
		},
		Suppressed: 2,
		Baselined:  1,
	}
}

// sampleRules documents the rules of sample(); function-name is left out
// on purpose (a result of an undescribed rule gets a bare descriptor).
func sampleRules() []*analyzer.Rule {
	return append([]*analyzer.Rule{{
		ID:       "name-compare",
		Title:    "Runtime name compared with a string",
		Severity: analyzer.Error,
		Doc:      "Minifiers rename classes.\n\nSo the comparison never matches.",
		Fix:      "esbuild: keepNames\nterser: keep_classnames: true",
		Bad:      "if (x.constructor.name === \"User\") {}",
		Good:     "if (x instanceof User) {}",
	}}, analyzer.EngineRules()...)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testfiles.Golden(t, filepath.Join("testdata", name+".golden"), got, *update)
}

type reporter interface {
	Report(checker.Result) error
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		new  func(*bytes.Buffer) reporter
		res  checker.Result
	}{
		{"text", func(b *bytes.Buffer) reporter { return Text{W: b} }, sample()},
		{"text-color", func(b *bytes.Buffer) reporter { return Text{W: b, Color: true} }, sample()},
		{"text-empty", func(b *bytes.Buffer) reporter { return Text{W: b} }, checker.Result{}},
		{"json", func(b *bytes.Buffer) reporter { return JSON{W: b} }, sample()},
		{"json-empty", func(b *bytes.Buffer) reporter { return JSON{W: b} }, checker.Result{}},
		{"text-quiet", func(b *bytes.Buffer) reporter { return Text{W: b, Quiet: true} }, sample()},
		{"sarif", func(b *bytes.Buffer) reporter { return SARIF{W: b, Rules: sampleRules(), Version: "v1.2.3"} }, sample()},
		{"sarif-empty", func(b *bytes.Buffer) reporter { return SARIF{W: b} }, checker.Result{}},
		{"sarif-subdir", func(b *bytes.Buffer) reporter { return SARIF{W: b, Rules: sampleRules(), Dir: "packages/web"} }, sample()},
		{"github", func(b *bytes.Buffer) reporter { return GitHub{W: b} }, sample()},
		{"github-empty", func(b *bytes.Buffer) reporter { return GitHub{W: b} }, checker.Result{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.new(&b).Report(tc.res); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

// TestJSONContract checks the documented shape independently of the golden
// file, so that an -update cannot silently change it.
func TestJSONContract(t *testing.T) {
	var b bytes.Buffer
	if err := (JSON{W: &b}).Report(sample()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version *int
		Files   []map[string]any
		// Findings is decoded loosely to see nulls and types.
		Findings []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version == nil || *doc.Version != 1 {
		t.Errorf("version = %v, want 1", doc.Version)
	}
	for _, f := range doc.Files {
		for _, k := range []string{"path", "bytes", "sourceMap", "minified", "error"} {
			if _, ok := f[k]; !ok {
				t.Errorf("file %v has no %q", f["path"], k)
			}
		}
	}
	if doc.Files[1]["error"] == nil || doc.Files[0]["error"] != nil || doc.Files[2]["sourceMap"] != nil {
		t.Errorf("files = %v: error and sourceMap must be strings or null", doc.Files)
	}
	for _, f := range doc.Findings {
		for _, k := range []string{"rule", "severity", "message", "bundle", "original"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %v has no %q", f, k)
			}
		}
		bundle := f["bundle"].(map[string]any)
		for _, k := range []string{"path", "line", "column"} {
			if _, ok := bundle[k]; !ok {
				t.Errorf("bundle %v has no %q", bundle, k)
			}
		}
		switch s := f["severity"]; s {
		case "error", "warning", "info":
		default:
			t.Errorf("severity %v", s)
		}
	}
	if doc.Findings[1]["original"] != nil {
		t.Errorf("original without a map = %v, want null", doc.Findings[1]["original"])
	}
	orig := doc.Findings[0]["original"].(map[string]any)
	for _, k := range []string{"source", "line", "column", "name"} {
		if _, ok := orig[k]; !ok {
			t.Errorf("original %v has no %q", orig, k)
		}
	}

	b.Reset()
	if err := (JSON{W: &b}).Report(checker.Result{}); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"version\": 1,\n  \"files\": [],\n  \"findings\": []\n}\n"; b.String() != want {
		t.Errorf("empty report = %q, want %q", b.String(), want)
	}
}

// builtWith groups files by what built them, counts long lists, merges a
// file only the configuration file recognised into its bundler's group,
// and names unrecognised files only next to recognised ones.
func TestBuiltWith(t *testing.T) {
	wp := &bundler.Info{Bundler: bundler.Webpack, Minifier: "terser", Sign: "webpack's runtime", Confidence: bundler.Certain}
	vite := &bundler.Info{Bundler: bundler.Vite, Minifier: "oxc", Sign: "Oxc's backtick strings and vite.config.ts", Confidence: bundler.Certain}
	viteConfig := &bundler.Info{Bundler: bundler.Vite, Sign: "vite.config.ts", Confidence: bundler.Likely}
	files := func(infos ...*bundler.Info) []checker.FileResult {
		var out []checker.FileResult
		for i, b := range infos {
			out = append(out, checker.FileResult{Path: fmt.Sprintf("dist/%c.js", 'a'+i), Bundler: b})
		}
		return out
	}
	bad := checker.FileResult{Path: "dist/z.js", Error: ptr("dist/z.js: not JavaScript"), Bundler: wp}
	for _, c := range []struct {
		name  string
		files []checker.FileResult
		want  string
	}{
		{"none recognised", files(nil, nil), ""},
		{"one", files(wp), "dist/a.js: built with webpack (terser); certain, from webpack's runtime"},
		{"all agree", append(files(wp, wp, wp, wp, wp), bad), "all 5 files: built with webpack (terser); certain, from webpack's runtime"},
		{"more than three", files(wp, wp, wp, wp, nil), "dist/a.js, dist/b.js, dist/c.js and 1 more: built with webpack (terser); certain, from webpack's runtime\n" +
			"dist/e.js: bundler not recognised"},
		{"config only joins", files(vite, viteConfig, vite), "all 3 files: built with Vite 8 (Rolldown + Oxc); likely, from Oxc's backtick strings and vite.config.ts"},
		{"two bundlers", files(vite, wp), "dist/a.js: built with Vite 8 (Rolldown + Oxc); certain, from Oxc's backtick strings and vite.config.ts\n" +
			"dist/b.js: built with webpack (terser); certain, from webpack's runtime"},
	} {
		var lines []string
		for _, g := range builtWith(c.files) {
			lines = append(lines, g.files+": "+g.what)
		}
		if got := strings.Join(lines, "\n"); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
