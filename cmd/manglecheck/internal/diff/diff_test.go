package diff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/diff"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func runDiff(t *testing.T, oldDist, newDist string, opts diff.Options) *diff.Result {
	t.Helper()
	opts.Check.Rules = rules.All()
	res, err := diff.Run(context.Background(), oldDist, newDist, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() {
		t.Fatalf("a file could not be analyzed: %+v %+v", res.Old.Files, res.New.Files)
	}
	return res
}

// names returns the bundles' names with a status, chunks as "chunk-*.js".
func names(res *diff.Result, st diff.Status) []string {
	var out []string
	for _, b := range res.Bundles {
		if b.Status == st {
			n := b.Name
			if strings.HasPrefix(n, "chunk-") {
				n = "chunk(" + chunkOf(res, b) + ")"
			}
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// chunkOf names a chunk by the sources in its new map ("shared", "util").
func chunkOf(res *diff.Result, b diff.Bundle) string {
	for _, f := range res.New.Files {
		if f.Path == b.New && f.Facts != nil {
			var s []string
			for _, src := range f.Facts.MapSources {
				s = append(s, strings.TrimSuffix(filepath.Base(src), ".js"))
			}
			return strings.Join(s, ",")
		}
	}
	return "?"
}

// TestSharedModuleChange builds the project twice, the second time with
// a class compared by name added to shared.js, which entries a and b
// import and c does not. The change must release exactly a, b and the
// shared chunk (renamed by its new content hash, paired by its map's
// sources), report the comparison as the one new finding, and leave c and
// the utilities' chunk unchanged.
func TestSharedModuleChange(t *testing.T) {
	dir := t.TempDir()
	oldDist := testBuild(t, filepath.Join(dir, "old"), buildOptions{})
	newDist := testBuild(t, filepath.Join(dir, "new"), buildOptions{next: true})
	res := runDiff(t, oldDist, newDist, diff.Options{Check: checker.Options{SourceRoot: filepath.Join(dir, "new")}})

	if got, want := names(res, diff.Changed), []string{"a.js", "b.js", "chunk(shared)"}; !slices.Equal(got, want) {
		t.Errorf("changed bundles = %v, want %v", got, want)
	}
	if got, want := names(res, diff.Unchanged), []string{"c.js", "chunk(util)"}; !slices.Equal(got, want) {
		t.Errorf("unchanged bundles = %v, want %v", got, want)
	}
	if got := append(names(res, diff.Added), names(res, diff.Removed)...); len(got) > 0 {
		t.Errorf("added or removed bundles: %v", got)
	}
	for _, b := range res.Bundles {
		if strings.HasPrefix(b.Name, "chunk-") && b.PairedBy != diff.BySources && b.Status == diff.Changed {
			t.Errorf("%s paired by %s, want by map sources", b.Name, b.PairedBy)
		}
		if b.Old != "" && filepath.Base(b.Old) == filepath.Base(b.New) && strings.HasPrefix(b.Name, "chunk-") && b.Status == diff.Changed {
			t.Errorf("the changed chunk kept its name %s: the test needs a content-hashed name change", b.Name)
		}
	}

	if len(res.NewFindings) != 1 {
		t.Fatalf("new findings = %d, want 1: %+v", len(res.NewFindings), res.NewFindings)
	}
	f := res.NewFindings[0]
	if f.Rule != "name-compare" || f.Original == nil || f.Original.Name != "Widget" || f.Original.Source != "src/shared.js" {
		t.Errorf("new finding = %s %+v, want name-compare about Widget in src/shared.js", f.Rule, f.Original)
	}
	if !strings.HasPrefix(filepath.Base(f.Bundle.Path), "chunk-") {
		t.Errorf("new finding in %s, want the shared chunk", f.Bundle.Path)
	}
	if len(res.GoneFindings) != 0 {
		t.Errorf("gone findings: %+v", res.GoneFindings)
	}

	var affected, same []string
	for _, p := range res.Products {
		if p.Status == diff.Unchanged {
			same = append(same, p.Name)
		} else {
			affected = append(affected, p.Name)
		}
	}
	if !slices.Equal(affected, []string{"a", "b"}) || !slices.Equal(same, []string{"c"}) {
		t.Errorf("products: affected %v, unchanged %v; want [a b] and [c]", affected, same)
	}
	for _, p := range res.Products {
		want := map[string]int{"a": 1, "b": 1}[p.Name]
		if len(p.NewFindings) != want {
			t.Errorf("product %s: %d new findings, want %d", p.Name, len(p.NewFindings), want)
		}
	}
	if len(res.LostPins) != 0 {
		t.Errorf("lost pins: %+v", res.LostPins)
	}

	golden(t, "shared-change", dir, res)
}

// TestSameBuildTwice: two identical builds in different directories pair
// every bundle by path and find nothing new, nothing gone: the old
// build's source root is inferred, so fingerprints match.
func TestSameBuildTwice(t *testing.T) {
	dir := t.TempDir()
	oldDist := testBuild(t, filepath.Join(dir, "old"), buildOptions{next: true})
	newDist := testBuild(t, filepath.Join(dir, "new"), buildOptions{next: true})
	// The root inside the new project; the package directory (elsewhere);
	// their common parent.
	for _, root := range []string{filepath.Join(dir, "new"), "", dir} {
		res := runDiff(t, oldDist, newDist, diff.Options{Check: checker.Options{SourceRoot: root}})
		if len(res.NewFindings)+len(res.GoneFindings) != 0 {
			t.Errorf("root %q: %d new, %d gone findings, want none", root, len(res.NewFindings), len(res.GoneFindings))
		}
		for _, b := range res.Bundles {
			if b.Status != diff.Unchanged || b.PairedBy != diff.ByPath {
				t.Errorf("root %q: %s %s by %s", root, b.Name, b.Status, b.PairedBy)
			}
		}
		if root == dir {
			// Shown relative to the root, as check shows them.
			for _, f := range res.New.Findings {
				if f.Original == nil || f.Original.Source != "new/src/shared.js" {
					t.Errorf("root %q: finding at %+v, want new/src/shared.js", root, f.Original)
				}
			}
		}
	}
}

// TestLostPins: the old build keeps names (esbuild keepNames pins each
// with __name), the new one does not; every function and class the
// entries use lost its pin, once however many bundles hold it. Without
// code splitting: with it, esbuild moves __name to a chunk of its own,
// and the engine recognises the helper only in the bundle defining it.
func TestLostPins(t *testing.T) {
	dir := t.TempDir()
	oldDist := testBuild(t, filepath.Join(dir, "old"), buildOptions{keepNames: true, next: true, noSplit: true})
	newDist := testBuild(t, filepath.Join(dir, "new"), buildOptions{next: true, noSplit: true})
	res := runDiff(t, oldDist, newDist, diff.Options{Check: checker.Options{SourceRoot: filepath.Join(dir, "new")}})
	var got []string
	for _, l := range res.LostPins {
		got = append(got, l.Kind+" "+l.Name+" "+l.OldPin)
		if l.Source == nil || !strings.HasPrefix(l.Source.Source, "src/") {
			t.Errorf("%s: source %+v", l.Name, l.Source)
		}
		if l.Name == "Widget" && !l.ReliedOn {
			t.Errorf("Widget is compared by name in the new build: want ReliedOn")
		}
	}
	want := []string{
		"class UserFormatter __name helper",
		"class Widget __name helper",
		"function formatUser __name helper",
		"function clamp __name helper",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("lost pins:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The keep-names build had no finding; the new one has the
	// comparison in a.js and in b.js (each bundles shared.js whole).
	if len(res.NewFindings) != 2 || len(res.GoneFindings) != 0 {
		t.Errorf("findings: %d new, %d gone; want 2 and 0", len(res.NewFindings), len(res.GoneFindings))
	}
	golden(t, "lost-pins", dir, res)
}

// TestWithoutMaps: without maps, the changed chunk is paired by its
// strings, and findings still match by fingerprint across directories.
func TestWithoutMaps(t *testing.T) {
	dir := t.TempDir()
	oldDist := testBuild(t, filepath.Join(dir, "old"), buildOptions{noMaps: true})
	newDist := testBuild(t, filepath.Join(dir, "new"), buildOptions{next: true, noMaps: true})
	res := runDiff(t, oldDist, newDist, diff.Options{})
	byName := map[string]diff.Bundle{}
	for _, b := range res.Bundles {
		byName[b.Name] = b
	}
	var chunk diff.Bundle
	for _, b := range res.Bundles {
		if strings.HasPrefix(b.Name, "chunk-") && b.Status == diff.Changed {
			chunk = b
		}
	}
	if chunk.PairedBy != diff.ByStrings {
		t.Errorf("changed chunk paired by %q, want strings (bundles %+v)", chunk.PairedBy, res.Bundles)
	}
	if byName["c.js"].Status != diff.Unchanged || byName["a.js"].Status != diff.Changed {
		t.Errorf("a.js %s, c.js %s; want changed, unchanged", byName["a.js"].Status, byName["c.js"].Status)
	}
	if len(res.GoneFindings) != 0 {
		t.Errorf("gone findings: %+v", res.GoneFindings)
	}
	// Same build twice without maps: nothing new.
	again := runDiff(t, newDist, newDist, diff.Options{})
	if len(again.NewFindings) != 0 {
		t.Errorf("same build: %d new findings", len(again.NewFindings))
	}
}

// golden compares the summary and the JSON diff object with
// testdata/<name>.txt and .json, with dir written as $DIR and chunk
// hashes as they are (esbuild's output is deterministic).
func golden(t *testing.T, name, dir string, res *diff.Result) {
	t.Helper()
	var text bytes.Buffer
	if err := (diff.Summary{W: &text}).Report(res); err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(diff.NewJSON(res), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	for ext, got := range map[string][]byte{".txt": text.Bytes(), ".json": append(js, '\n')} {
		got = bytes.ReplaceAll(got, []byte(filepath.ToSlash(dir)), []byte("$DIR"))
		testfiles.Golden(t, filepath.Join("testdata", name+ext), got, *update)
	}
}
