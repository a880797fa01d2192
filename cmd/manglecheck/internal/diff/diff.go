// Package diff compares two builds of a project: which bundles changed,
// which findings the new build adds or drops, which function names lost
// the pinning that kept them, and which products (entry bundles with the
// chunks they load) the change releases.
//
// Bundles are paired across the builds by their path inside the build,
// else (content-hashed chunk names change on every build) by identical
// content, by the sources of their source maps, by the strings a minifier
// leaves alone, and last by file name pattern and size; see Pairing.
// Findings are matched by fingerprint, counting duplicates, exactly as a
// baseline made from the old build would match them.
package diff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/load"
	"github.com/manglecheck/manglecheck/analyzer/policy"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// Options configure Run.
type Options struct {
	// Check configures the analysis of both builds. Run sets Facts and
	// clears Include, Exclude and Baseline: globs name the paths of one
	// build, and the old build is the baseline. SourceMap may be "" or
	// "none".
	Check checker.Options
	// OldSourceRoot is the source root of the old build (see
	// checker.Options.SourceRoot). Fingerprints hold original paths
	// relative to the source root, so a build made in another directory
	// (a second checkout, a copy of the old dist) needs its own root for
	// its findings to match the new build's. "" infers it (see
	// sourceRoots).
	OldSourceRoot string
	// MinSimilarity is the Jaccard similarity (0–1) two bundles' map
	// sources, or strings, need for the bundles to be paired; 0 means
	// DefaultMinSimilarity.
	MinSimilarity float64
}

// DefaultMinSimilarity is the similarity pairing needs by default: more
// than half of the two bundles' sources in common.
const DefaultMinSimilarity = 0.5

// Status says what happened to a bundle between the builds.
type Status uint8

const (
	Unchanged Status = iota
	Changed
	Added
	Removed
)

func (s Status) String() string {
	return [...]string{"unchanged", "changed", "added", "removed"}[s]
}

// Pairing says how a bundle of the old build was matched with one of the
// new build.
type Pairing uint8

const (
	Unpaired Pairing = iota
	// ByPath: the same path inside both builds.
	ByPath
	// ByContent: identical bytes under another name.
	ByContent
	// BySources: the sets of their source maps' sources are similar
	// enough (Jaccard, Options.MinSimilarity).
	BySources
	// ByStrings: without maps, the sets of string literals and long words
	// (what minifiers do not rename) are similar enough.
	ByStrings
	// BySize: the same file name once content hashes are blanked
	// ("chunk-*.js"), and the closest size, at least half of the other.
	BySize
)

func (p Pairing) String() string {
	return [...]string{"", "path", "content", "sources", "strings", "size"}[p]
}

// Bundle is one bundle of either build and what became of it.
type Bundle struct {
	// Old and New are its paths in each build ("" when added or removed),
	// as load found them.
	Old, New string
	// Name is its path inside the new build (inside the old one when
	// removed): what reports show.
	Name   string
	Status Status
	// PairedBy says how Old and New were matched; Similarity is the
	// Jaccard similarity for BySources and ByStrings, the size ratio for
	// BySize, 1 otherwise.
	PairedBy   Pairing
	Similarity float64
	// NewFindings and GoneFindings count the findings the new build adds
	// in this bundle and those the old build had in it that are gone.
	NewFindings, GoneFindings int
}

// LostPin is a function or class whose runtime name was kept in the old
// build (pinned by a helper or static name, or simply equal to the
// original) and is mangled in the new one.
type LostPin struct {
	// Name is the original name; Kind "class", "function" or "arrow
	// function".
	Name, Kind string
	// OldBundle and NewBundle are the bundles it is in.
	OldBundle, NewBundle string
	// OldRuntime and NewRuntime are its runtime names in each build;
	// OldPin what pinned it in the old one ("" when nothing had to).
	OldRuntime, NewRuntime, OldPin string
	// Source is where the new build's map puts it.
	Source *analyzer.Original
	// ReliedOn is set when a finding of the new build is about this name.
	ReliedOn bool
}

// Product is an entry bundle (one no other bundle of its build imports)
// with the bundles it imports, directly or not: what a page or program
// loads. A change to a shared chunk changes every product that loads it.
type Product struct {
	// Name is the entry's path inside the build with content hashes and
	// the extension dropped ("admin/main", "index").
	Name   string
	Status Status
	// Changed, Added, Removed and Unchanged count its bundles.
	Changed, Added, Removed, Unchanged int
	// NewFindings and GoneFindings are the findings added in its bundles
	// and gone from them.
	NewFindings, GoneFindings []analyzer.Finding
}

// Result is what Run found.
type Result struct {
	// OldInput and NewInput are the inputs as given.
	OldInput, NewInput string
	// Old and New are the analyses of each build. New.Findings holds every
	// finding of the new build; NewFindings only those it adds.
	Old, New checker.Result
	// NewFindings are the findings of the new build that the old one does
	// not have, GoneFindings those of the old one the new one dropped;
	// both sorted like a Check's findings.
	NewFindings, GoneFindings []analyzer.Finding
	// Bundles lists every bundle of both builds, sorted by Name.
	Bundles []Bundle
	// Products lists the products of both builds, sorted by Name.
	Products []Product
	// LostPins are sorted by source, then name.
	LostPins []LostPin
}

// Failed reports whether a file of either build could not be analyzed.
func (r *Result) Failed() bool { return r.Old.Failed() || r.New.Failed() }

// Added is the check result diff reports in every format: the findings
// the new build adds, the new build's files and those of the old build
// that could not be analyzed (they make the run fail too).
func (r *Result) Added() checker.Result {
	added := checker.Result{Files: append([]checker.FileResult{}, r.New.Files...), Findings: r.NewFindings, Suppressed: r.New.Suppressed}
	for _, f := range r.Old.Files {
		if f.Error != nil {
			added.Files = append(added.Files, f)
		}
	}
	return added
}

// Run analyzes the old and the new build (each a file, a directory or a
// glob) and compares them. The error is for usage problems only (an input
// that is not there); files that cannot be analyzed are reported in the
// builds' results.
func Run(ctx context.Context, oldInput, newInput string, opts Options) (*Result, error) {
	if opts.Check.SourceMap != "" && opts.Check.SourceMap != "none" {
		return nil, fmt.Errorf("a source map path names the map of one bundle; diff takes \"\" or \"none\"")
	}
	minSim := opts.MinSimilarity
	if minSim <= 0 {
		minSim = DefaultMinSimilarity
	}
	if minSim > 1 {
		return nil, fmt.Errorf("minimum similarity %g is over 1", minSim)
	}
	copts := opts.Check
	copts.Facts = true
	copts.Include, copts.Exclude, copts.Baseline = nil, nil, nil
	oldOpts := copts
	oldOpts.SourceRoot = opts.OldSourceRoot
	display := ""
	if oldOpts.SourceRoot == "" {
		oldOpts.SourceRoot, copts.SourceRoot, display = sourceRoots(buildRoot(oldInput), buildRoot(newInput), copts.SourceRoot)
	}
	oldB, err := loadBuild(ctx, oldInput, oldOpts)
	if err != nil {
		return nil, fmt.Errorf("old build: %w", err)
	}
	newB, err := loadBuild(ctx, newInput, copts)
	if err != nil {
		return nil, fmt.Errorf("new build: %w", err)
	}
	if display != "" {
		// Fingerprints are made: show the paths relative to the source
		// root, as check does.
		oldB.rebaseSources(oldOpts.SourceRoot, display)
		newB.rebaseSources(copts.SourceRoot, display)
	}
	res := &Result{OldInput: oldInput, NewInput: newInput, Old: oldB.res, New: newB.res}
	res.NewFindings, _ = policy.NewBaseline(oldB.res.Findings).Apply(newB.res.Findings)
	res.GoneFindings, _ = policy.NewBaseline(newB.res.Findings).Apply(oldB.res.Findings)

	pairs := pair(oldB, newB, minSim)
	res.Bundles = addUnpaired(bundleChanges(pairs, res), oldB, newB, res)
	res.Products = products(oldB, newB, res)
	res.LostPins = lostPins(oldB, newB, res.New.Findings)
	return res, nil
}

// build is one side of the comparison.
type build struct {
	root    string
	bundles []*bundle
	byRel   map[string]*bundle
	byPath  map[string]*bundle
	res     checker.Result
}

// bundle is one file of a build.
type bundle struct {
	path string // as load found it (slash-separated)
	rel  string // inside the build's root
	data []byte
	hash string
	// sources are the map's sources (raw), nil without a map.
	sources []string
	facts   *bundlefacts.Facts
	failed  bool
	// imports are the bundles of the same build this one imports by a
	// relative specifier.
	imports []*bundle
	pair    *bundle
	words   map[string]bool // lazily, for ByStrings
}

// loadBuild lists, reads and analyzes one build. A file that cannot be
// read is a failed FileResult, as in checker.Check.
func loadBuild(ctx context.Context, input string, opts checker.Options) (*build, error) {
	if input == "" {
		return nil, fmt.Errorf("no input")
	}
	found, errs := load.Expand([]string{input}, load.Options{})
	if len(found) == 0 && len(errs) > 0 {
		return nil, errs[0]
	}
	b := &build{root: buildRoot(input), byRel: map[string]*bundle{}, byPath: map[string]*bundle{}}
	for _, e := range errs {
		msg := e.Error()
		b.res.Files = append(b.res.Files, checker.FileResult{Path: e.Path, Error: &msg})
	}
	withMap, noMap, warnings, err := b.read(ctx, found, opts)
	if err != nil {
		return nil, err
	}
	for _, group := range []struct {
		files []checker.Source
		none  bool
	}{{withMap, false}, {noMap, true}} {
		if len(group.files) == 0 {
			continue
		}
		o := opts
		if group.none {
			o.SourceMap = "none"
		}
		r, err := checker.CheckFiles(ctx, group.files, o)
		if err != nil {
			return nil, err
		}
		b.adopt(r, warnings)
	}
	sort.SliceStable(b.res.Files, func(i, j int) bool { return b.res.Files[i].Path < b.res.Files[j].Path })
	checker.SortFindings(b.res.Findings)
	b.linkImports()
	return b, nil
}

// read reads the build's files into bundles and sources for the engine.
// Bundles go to the engine in memory, under their path inside the build:
// fingerprints of findings without a map hold the bundle's path, which
// must be the same in both builds. Their maps are found here, from the
// real path, and handed over (withMap); files without one (noMap) are
// analyzed apart with SourceMap "none" so the engine does not look for a
// map next to a path that is not on disk. warnings are those of a map
// that could not be used, by path inside the build.
func (b *build) read(ctx context.Context, found []load.Input, opts checker.Options) (withMap, noMap []checker.Source, warnings map[string]string, err error) {
	maxSize := opts.MaxFileSize
	if maxSize <= 0 {
		maxSize = 64 << 20
	}
	warnings = map[string]string{}
	for _, in := range found {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		rel := relPath(b.root, in.Path)
		bn := &bundle{path: in.Path, rel: rel}
		b.bundles = append(b.bundles, bn)
		b.byRel[rel] = bn
		b.byPath[in.Path] = bn
		data, err := load.ReadFile(in.Path, maxSize)
		if err != nil {
			msg := err.Error()
			bn.failed = true
			b.res.Files = append(b.res.Files, checker.FileResult{Path: in.Path, Error: &msg})
			continue
		}
		bn.data = data
		sum := sha256.Sum256(data)
		bn.hash = hex.EncodeToString(sum[:])
		src := checker.Source{Path: rel, Contents: data}
		if opts.SourceMap == "none" {
			noMap = append(noMap, src)
			continue
		}
		raw, where, err := sourcemap.Locate(in.Path, data, filepath.Dir(in.Path), 16*maxSize)
		switch {
		case errors.Is(err, sourcemap.ErrNoMap):
			noMap = append(noMap, src)
		case err != nil:
			warnings[rel] = fmt.Sprintf("source map not used: %v", err)
			noMap = append(noMap, src)
		default:
			src.Map = raw
			src.MapPath = where
			if where == "inline" {
				// Relative sources resolve against the bundle's directory.
				src.MapPath = in.Path + ".map"
			}
			withMap = append(withMap, src)
		}
	}
	return withMap, noMap, warnings, nil
}

// adopt adds the engine's result r to the build, its paths inside the
// build turned back into the bundles' real paths and the map warnings
// of read put first.
func (b *build) adopt(r checker.Result, warnings map[string]string) {
	for _, f := range r.Files {
		bn := b.byRel[f.Path]
		if bn == nil {
			continue
		}
		if w, ok := warnings[f.Path]; ok {
			f.Warnings = append([]string{w}, f.Warnings...)
		}
		f.Path = bn.path
		f.Error = rebasePtr(f.Error, bn.rel, bn.path)
		for i, w := range f.Warnings {
			f.Warnings[i] = rebase(w, bn.rel, bn.path)
		}
		if f.Error != nil {
			bn.failed = true
		}
		bn.facts = f.Facts
		if f.Facts != nil {
			bn.sources = f.Facts.MapSources
		}
		b.res.Files = append(b.res.Files, f)
	}
	for _, f := range r.Findings {
		if bn := b.byRel[f.Bundle.Path]; bn != nil {
			f.Bundle.Path = bn.path
		}
		for i, fr := range f.Stack {
			if fr.Bundle != nil {
				if bn := b.byRel[fr.Bundle.Path]; bn != nil {
					p := *fr.Bundle
					p.Path = bn.path
					f.Stack[i].Bundle = &p
				}
			}
		}
		b.res.Findings = append(b.res.Findings, f)
	}
	b.res.Suppressed += r.Suppressed
}

// buildRoot is the directory paths inside a build are relative to: the
// input directory, a file's directory, or a glob's directory before its
// first pattern segment.
func buildRoot(input string) string {
	p := filepath.ToSlash(filepath.Clean(input))
	if strings.ContainsAny(p, "*?[") {
		segs := strings.Split(p, "/")
		var keep []string
		for _, s := range segs {
			if strings.ContainsAny(s, "*?[") {
				break
			}
			keep = append(keep, s)
		}
		if len(keep) == 0 {
			return "."
		}
		return strings.Join(keep, "/")
	}
	if st, err := os.Stat(input); err == nil && st.IsDir() {
		return p
	}
	return path.Dir(p)
}

// sourceRoots picks the builds' source roots when the old one is not
// given. Fingerprints hold original paths relative to the source root,
// so the same source must get the same path in both builds. The two
// build directories minus their common trailing segments are the two
// projects ("base/dist" and "dist": "base" and "."; "/tmp/dist-old" and
// "dist": themselves).
//
// When the new source root is inside the new project, or above it but
// not above the old one too, the old root is the new root's path from
// the new project applied to the old project: `diff base/dist dist` run
// in the checkout takes base as the old build's root; `diff
// /tmp/dist-old dist` takes /tmp (its maps' "../src/a.js" then reads
// "src/a.js" in both builds). Otherwise (`diff old/dist new/dist` run
// from their common parent, whose sources old/src and new/src no one
// root can make alike) each build's root is its project, and display
// says to rewrite the paths relative to the source root afterwards.
func sourceRoots(oldBuild, newBuild, sourceRoot string) (oldRoot, newRoot string, display string) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			return filepath.Clean(p)
		}
		return a
	}
	if sourceRoot == "" {
		sourceRoot = "."
	}
	o, n, sr := abs(oldBuild), abs(newBuild), abs(sourceRoot)
	if o == n {
		return sourceRoot, sourceRoot, ""
	}
	for filepath.Base(o) == filepath.Base(n) && filepath.Dir(o) != o && filepath.Dir(n) != n {
		o, n = filepath.Dir(o), filepath.Dir(n)
	}
	rel, err := filepath.Rel(n, sr)
	if err == nil && (!strings.HasPrefix(rel, "..") || onlyUp(rel)) {
		if mirror := filepath.Join(o, rel); mirror != sr {
			return mirror, sourceRoot, ""
		}
	}
	return o, n, sr
}

// rebaseSources rewrites the original paths of a build's findings and
// facts, relative to from, to be relative to to.
func (b *build) rebaseSources(from, to string) {
	move := func(o *analyzer.Original) {
		if o == nil || o.Source == "" || filepath.IsAbs(o.Source) || strings.Contains(o.Source, ":") {
			return
		}
		if rel, err := filepath.Rel(to, filepath.Join(from, filepath.FromSlash(o.Source))); err == nil {
			o.Source = filepath.ToSlash(rel)
		}
	}
	for i := range b.res.Findings {
		f := &b.res.Findings[i]
		if f.Original != nil {
			o := *f.Original
			move(&o)
			f.Original = &o
		}
		for j, fr := range f.Stack {
			if fr.Original != nil {
				o := *fr.Original
				move(&o)
				f.Stack[j].Original = &o
			}
		}
	}
	for _, bn := range b.bundles {
		if bn.facts == nil {
			continue
		}
		for i := range bn.facts.Funcs {
			if o := bn.facts.Funcs[i].Source; o != nil {
				c := *o
				move(&c)
				bn.facts.Funcs[i].Source = &c
			}
		}
	}
}

// onlyUp reports whether a relative path only climbs ("..", "../..").
func onlyUp(rel string) bool {
	for _, seg := range strings.Split(filepath.ToSlash(rel), "/") {
		if seg != ".." {
			return false
		}
	}
	return true
}

func relPath(root, p string) string {
	rel, err := filepath.Rel(filepath.FromSlash(root), filepath.FromSlash(p))
	if err != nil || strings.HasPrefix(rel, "..") {
		return p
	}
	return filepath.ToSlash(rel)
}

// rebase puts the bundle's real path back into a message the engine wrote
// about its path inside the build.
func rebase(msg, rel, real string) string {
	if rest, ok := strings.CutPrefix(msg, rel+":"); ok {
		return real + ":" + rest
	}
	return msg
}

func rebasePtr(msg *string, rel, real string) *string {
	if msg == nil {
		return nil
	}
	s := rebase(*msg, rel, real)
	return &s
}
