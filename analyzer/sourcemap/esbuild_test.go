package sourcemap

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/lines"
)

// bundleOpts are the esbuild options the tests vary.
type bundleOpts struct {
	minify bool
	esm    bool
	utf8   bool // keep non-ASCII characters raw in the output
}

// bundle writes files under a temp dir, bundles entry with esbuild's Go API
// and returns the output JS and its external source map.
func bundle(tb testing.TB, files map[string]string, entry string, o bundleOpts) (js string, mapJSON []byte) {
	tb.Helper()
	dir := tb.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, "src", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	opts := api.BuildOptions{
		AbsWorkingDir:     dir,
		EntryPoints:       []string{filepath.Join("src", entry)},
		Outfile:           filepath.Join("out", "bundle.js"),
		Bundle:            true,
		Write:             true,
		Sourcemap:         api.SourceMapExternal,
		MinifyWhitespace:  o.minify,
		MinifyIdentifiers: o.minify,
		MinifySyntax:      o.minify,
		Format:            api.FormatIIFE,
		LogLevel:          api.LogLevelSilent,
	}
	if o.esm {
		opts.Format = api.FormatESModule
	}
	if o.utf8 {
		opts.Charset = api.CharsetUTF8
	}
	if res := api.Build(opts); len(res.Errors) > 0 {
		tb.Fatalf("esbuild: %s", res.Errors[0].Text)
	}
	jsBytes, err := os.ReadFile(filepath.Join(dir, "out", "bundle.js"))
	if err != nil {
		tb.Fatal(err)
	}
	if mapJSON, err = os.ReadFile(filepath.Join(dir, "out", "bundle.js.map")); err != nil {
		tb.Fatal(err)
	}
	return string(jsBytes), mapJSON
}

// The test sources. Identifiers listed in wantNames are renamed by
// minification; the emoji and accents before some of them make original
// and generated columns differ between bytes and UTF-16 code units.
var testFiles = map[string]string{
	"entry.js": `import { computeTotal, UserService } from "./cart.js";
import { greetingFor } from "./greet.js";
const service = new UserService("Ada");
console.log(computeTotal([{ price: 1 }]), greetingFor(service), service.describe());
`,
	"cart.js": `// Prices in € — the 😀 makes UTF-16 columns differ from bytes.
export function computeTotal(lineItems) {
  let runningTotal = 0; const label = "😀é"; let afterEmoji = label.length;
  for (const lineItem of lineItems) runningTotal += lineItem.price + afterEmoji;
  return runningTotal;
}
export class UserService {
  constructor(customerName) { this.customerName = customerName; }
  describe() { const prefix = "Σ👤 "; return prefix + this.customerName; }
}
`,
	"greet.js": `export function greetingFor(userService) {
  const salutation = "Hello, ";
  return salutation + userService.customerName;
}
`,
}

// wantNames are the identifiers minification renames (the consts label,
// prefix and salutation are inlined instead, so they have no mapping).
var wantNames = []string{
	"computeTotal", "lineItems", "runningTotal", "afterEmoji", "lineItem",
	"UserService", "customerName", "greetingFor", "userService", "service",
}

// occurrences returns the (line, UTF-16 column) of every whole-word
// occurrence of ident in text.
func occurrences(text, ident string) map[[2]int]bool {
	idx := lines.New(text)
	out := map[[2]int]bool{}
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(ident) + `\b`)
	for _, loc := range re.FindAllStringIndex(text, -1) {
		l, c := idx.Position(loc[0])
		out[[2]int{l, c}] = true
	}
	return out
}

var identRE = regexp.MustCompile(`^[A-Za-z_$][\w$]*`)

func TestEsbuildMinifiedNames(t *testing.T) {
	js, mapJSON := bundle(t, testFiles, "entry.js", bundleOpts{minify: true, utf8: true})
	m, err := Parse(mapJSON)
	if err != nil {
		t.Fatal(err)
	}
	if m.Dropped() != 0 {
		t.Errorf("Dropped = %d on a valid esbuild map", m.Dropped())
	}
	if !strings.ContainsRune(js, '😀') {
		t.Fatal("expected raw non-ASCII in the output (Charset UTF8)")
	}
	// Visit every generated offset; collect exact hits that carry a name.
	idx := lines.New(js)
	found := map[string]int{}
	for off := 0; off < len(js); off++ {
		line, col := idx.Position(off)
		mp, ok := m.Find(line, col)
		if !ok || mp.GenCol != col || mp.GenLine != line || !mp.HasName {
			continue
		}
		if !identRE.MatchString(js[off:]) {
			t.Errorf("named mapping %q at generated %d:%d is not on an identifier: %.20q", mp.Name, line, col, js[off:])
			continue
		}
		name := strings.TrimPrefix(mp.Source, "../src/")
		content, ok := m.SourceContent(mp.SourceIndex)
		if !ok || content != testFiles[name] {
			t.Fatalf("SourceContent(%d) for %q does not match the test source", mp.SourceIndex, mp.Source)
		}
		if !occurrences(content, mp.Name)[[2]int{mp.OrigLine, mp.OrigCol}] {
			t.Errorf("mapping %q -> %s:%d:%d is not an occurrence of %q", js[off:off+len(identRE.FindString(js[off:]))], mp.Source, mp.OrigLine, mp.OrigCol, mp.Name)
		}
		found[mp.Name]++
	}
	for _, n := range wantNames {
		if found[n] == 0 {
			t.Errorf("no named mapping for %q; found %v", n, found)
		}
	}
}

// collisionFiles declare getUser twice at top level.
var collisionFiles = map[string]string{
	"entry.js": "import { a } from './a.js';\nimport { b } from './b.js';\nconsole.log(a(), b());\n",
	"a.js":     "function getUser() { return 'a'; }\nexport function a() { return getUser(); }\n",
	"b.js":     "const s = \"😀\"; function getUser() { return s; }\nexport function b() { return getUser(); }\n",
}

func TestEsbuildExactPositions(t *testing.T) {
	// Unminified bundling renames colliding top-level names (esbuild#510):
	// the second getUser becomes getUser2, and the map names it getUser.
	js, mapJSON := bundle(t, collisionFiles, "entry.js", bundleOpts{esm: true, utf8: true})
	if !strings.Contains(js, "getUser2") {
		t.Fatalf("esbuild did not rename the colliding name:\n%s", js)
	}
	m, err := Parse(mapJSON)
	if err != nil {
		t.Fatal(err)
	}
	idx := lines.New(js)
	line, col := idx.Position(strings.Index(js, "function getUser2") + len("function "))
	mp, ok := m.Find(line, col)
	if !ok {
		t.Fatalf("Find(%d,%d) found nothing", line, col)
	}
	// "const s = "😀"; function " is 25 UTF-16 units (the emoji is 2).
	want := Mapping{GenLine: line, GenCol: col, Source: "../src/b.js", SourceIndex: mp.SourceIndex,
		OrigLine: 0, OrigCol: 25, Name: "getUser", HasName: true}
	if mp != want {
		t.Errorf("Find = %+v\nwant %+v", mp, want)
	}
	if got := m.Sources()[mp.SourceIndex]; got != "../src/b.js" {
		t.Errorf("Sources()[%d] = %q", mp.SourceIndex, got)
	}
	// A column inside the identifier finds the same segment, not an exact hit.
	if mp2, ok := m.Find(line, col+3); !ok || mp2.GenCol != col || mp2.Name != "getUser" {
		t.Errorf("Find inside identifier = %+v, %v", mp2, ok)
	}
	// The un-renamed getUser of a.js carries no name.
	line, col = idx.Position(strings.Index(js, "function getUser(") + len("function "))
	if mp, ok := m.Find(line, col); !ok || mp.HasName || mp.Source != "../src/a.js" || mp.OrigLine != 0 || mp.OrigCol != 9 {
		t.Errorf("Find(getUser of a.js) = %+v, %v", mp, ok)
	}
}

// trimNewline removes the final newline of esbuild's output (external
// maps get no sourceMappingURL comment).
func trimNewline(tb testing.TB, js string) string {
	tb.Helper()
	if strings.Contains(js, "sourceMappingURL") || !strings.HasSuffix(js, "\n") {
		tb.Fatalf("unexpected end of esbuild output: %q", js[max(0, len(js)-40):])
	}
	return js[:len(js)-1]
}

func TestIndexMapOfEsbuildMaps(t *testing.T) {
	jsA, mapA := bundle(t, testFiles, "entry.js", bundleOpts{minify: true, utf8: true})
	// B is unminified, so it spans several lines; its colliding getUser is
	// renamed, so it has a named mapping.
	jsB, mapB := bundle(t, collisionFiles, "entry.js", bundleOpts{esm: true, utf8: true})
	jsA, jsB = trimNewline(t, jsA), trimNewline(t, jsB)

	// B continues A's last line, so its first line is shifted by the
	// UTF-16 length of that line and its later lines are not.
	idxA := lines.New(jsA)
	offLine, offCol := idxA.Position(len(jsA))
	combined := jsA + jsB
	index := fmt.Sprintf(`{"version":3,"file":"all.js","sections":[
		{"offset":{"line":0,"column":0},"map":%s},
		{"offset":{"line":%d,"column":%d},"map":%s}]}`, mapA, offLine, offCol, mapB)
	m, err := Parse([]byte(index))
	if err != nil {
		t.Fatal(err)
	}
	mA, _ := Parse(mapA)
	mB, _ := Parse(mapB)
	nA := len(mA.Sources())
	if got, want := len(m.Sources()), nA+len(mB.Sources()); got != want {
		t.Fatalf("len(Sources()) = %d, want %d", got, want)
	}

	idx := lines.New(combined)
	namedB := 0
	for off := 0; off <= len(combined); off++ {
		line, col := idx.Position(off)
		got, gotOK := m.Find(line, col)
		var want Mapping
		var wantOK bool
		if off < len(jsA) {
			want, wantOK = mA.Find(line, col)
		} else {
			bl, bc := line-offLine, col
			if bl == 0 {
				bc -= offCol
			}
			want, wantOK = mB.Find(bl, bc)
			if wantOK {
				if want.GenLine == 0 {
					want.GenCol += offCol
				}
				want.GenLine += offLine
				want.SourceIndex += nA
				if want.HasName && want.GenCol == col {
					namedB++
				}
			}
		}
		if got != want || gotOK != wantOK {
			t.Fatalf("offset %d (%d:%d): Find = %+v, %v\nwant %+v, %v", off, line, col, got, gotOK, want, wantOK)
		}
		if gotOK && m.Sources()[got.SourceIndex] != got.Source {
			t.Fatalf("Source %q is not Sources()[%d]", got.Source, got.SourceIndex)
		}
	}
	if strings.Count(jsB, "\n") < 3 {
		t.Error("second section should span several lines")
	}
	if namedB == 0 {
		t.Error("no named mapping found in the second section")
	}
	if c, ok := m.SourceContent(nA); !ok || c == "" {
		t.Errorf("SourceContent(%d) of the second section = %q, %v", nA, c, ok)
	}
}
