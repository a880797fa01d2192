package diff

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// importRE finds the relative specifiers a bundle loads other bundles by:
// `import … from "./x.js"`, `export … from`, `import "./x.js"`,
// `import("./x.js")`, `require("./x.js")`, `importScripts("./x.js")`
// (minified or not). A loader that builds chunk URLs at runtime
// (webpack's __webpack_require__.u) is invisible to it: those chunks are
// then products of their own.
var importRE = regexp.MustCompile(`(?:\bfrom|\bimport|\brequire|\bimportScripts)\s*\(?\s*["'](\.\.?/[^"'\s]+)["']`)

// linkImports records which bundles of the build each bundle imports.
func (b *build) linkImports() {
	for _, bn := range b.bundles {
		seen := map[*bundle]bool{}
		for _, m := range importRE.FindAllSubmatch(bn.data, -1) {
			spec := string(m[1])
			if i := strings.IndexAny(spec, "?#"); i >= 0 {
				spec = spec[:i]
			}
			target := b.byRel[path.Join(path.Dir(bn.rel), spec)]
			if target != nil && target != bn && !seen[target] {
				seen[target] = true
				bn.imports = append(bn.imports, target)
			}
		}
		sort.Slice(bn.imports, func(i, j int) bool { return bn.imports[i].rel < bn.imports[j].rel })
	}
}

// entries are the bundles no other bundle of the build imports.
func (b *build) entries() []*bundle {
	imported := map[*bundle]bool{}
	for _, bn := range b.bundles {
		for _, t := range bn.imports {
			imported[t] = true
		}
	}
	var out []*bundle
	for _, bn := range b.bundles {
		if !imported[bn] {
			out = append(out, bn)
		}
	}
	return out
}

// reach is the bundle and everything it imports, transitively, sorted.
func reach(start *bundle) []*bundle {
	seen := map[*bundle]bool{start: true}
	out := []*bundle{start}
	for i := 0; i < len(out); i++ {
		for _, t := range out[i].imports {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out
}

// status of a bundle of either build.
func status(b *bundle, old bool) Status {
	switch {
	case b.pair == nil && old:
		return Removed
	case b.pair == nil:
		return Added
	case b.hash != b.pair.hash || b.failed || b.pair.failed:
		return Changed
	}
	return Unchanged
}

// bundleChanges lists every bundle of both builds with its status and the
// findings it gained and lost.
func bundleChanges(pairs []pairing, res *Result) []Bundle {
	newBy := countByBundle(res.NewFindings)
	goneBy := countByBundle(res.GoneFindings)
	var out []Bundle
	for _, p := range pairs {
		out = append(out, Bundle{
			Old: p.old.path, New: p.new.path, Name: p.new.rel,
			Status: status(p.new, false), PairedBy: p.by, Similarity: p.sim,
			NewFindings: newBy[p.new.path], GoneFindings: goneBy[p.old.path],
		})
	}
	return out
}

// addUnpaired appends the bundles pair left alone.
func addUnpaired(out []Bundle, oldB, newB *build, res *Result) []Bundle {
	newBy := countByBundle(res.NewFindings)
	goneBy := countByBundle(res.GoneFindings)
	for _, n := range newB.bundles {
		if n.pair == nil {
			out = append(out, Bundle{New: n.path, Name: n.rel, Status: Added, NewFindings: newBy[n.path]})
		}
	}
	for _, o := range oldB.bundles {
		if o.pair == nil {
			out = append(out, Bundle{Old: o.path, Name: o.rel, Status: Removed, GoneFindings: goneBy[o.path]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Status < out[j].Status
	})
	return out
}

func countByBundle(fs []analyzer.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Bundle.Path]++
	}
	return m
}

// products groups the bundles by entry: each entry of the new build with
// the bundles it loads (and, when the entry was paired, those its old
// counterpart loaded and the new one no longer does: removed), and each
// entry of the old build with no counterpart (removed).
func products(oldB, newB *build, res *Result) []Product {
	newIn := findingsByBundle(res.NewFindings)
	goneIn := findingsByBundle(res.GoneFindings)
	var out []Product
	for _, e := range newB.entries() {
		out = append(out, newProduct(e, newIn, goneIn))
	}
	for _, e := range oldB.entries() {
		if e.pair != nil {
			continue
		}
		p := Product{Name: productName(e.rel), Status: Removed}
		for _, m := range reach(e) {
			p.Removed++
			p.GoneFindings = append(p.GoneFindings, goneIn[m.path]...)
		}
		out = append(out, p)
	}
	distinctNames(out, newB)
	for i := range out {
		checker.SortFindings(out[i].NewFindings)
		checker.SortFindings(out[i].GoneFindings)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Status < out[j].Status
	})
	return out
}

// newProduct is the product of entry e of the new build; newIn and goneIn
// are the new and gone findings by bundle path.
func newProduct(e *bundle, newIn, goneIn map[string][]analyzer.Finding) Product {
	p := Product{Name: productName(e.rel)}
	inNew := map[*bundle]bool{}
	for _, m := range reach(e) {
		inNew[m] = true
		switch status(m, false) {
		case Added:
			p.Added++
		case Changed:
			p.Changed++
		default:
			p.Unchanged++
		}
		p.NewFindings = append(p.NewFindings, newIn[m.path]...)
		if m.pair != nil {
			p.GoneFindings = append(p.GoneFindings, goneIn[m.pair.path]...)
		}
	}
	if e.pair != nil {
		for _, m := range reach(e.pair) {
			switch {
			case m.pair == nil:
				p.Removed++
				p.GoneFindings = append(p.GoneFindings, goneIn[m.path]...)
			case !inNew[m.pair]:
				// Still in the new build, but this entry stopped
				// loading it: the product changed.
				p.Removed++
			}
		}
	}
	switch {
	case e.pair == nil:
		p.Status = Added
	case p.Added+p.Changed+p.Removed > 0:
		p.Status = Changed
	}
	return p
}

// distinctNames tells apart the products of the new build whose entries'
// names blank to the same product name: they are named by their full
// path.
func distinctNames(out []Product, newB *build) {
	count := map[string]int{}
	for _, p := range out {
		count[p.Name]++
	}
	names := map[string]string{}
	for _, e := range newB.entries() {
		names[productName(e.rel)] = e.rel
	}
	for i := range out {
		if count[out[i].Name] > 1 {
			if full, ok := names[out[i].Name]; ok && out[i].Status != Removed {
				out[i].Name = full
			}
		}
	}
}

func findingsByBundle(fs []analyzer.Finding) map[string][]analyzer.Finding {
	m := map[string][]analyzer.Finding{}
	for _, f := range fs {
		m[f.Bundle.Path] = append(m[f.Bundle.Path], f)
	}
	return m
}

// productName is an entry's path inside its build with content hashes
// and the extension dropped: "admin/main.js" → "admin/main",
// "assets/index-BIqW9hR2.js" → "assets/index".
func productName(rel string) string {
	p := blankHashes(rel)
	for _, ext := range []string{".mjs", ".cjs", ".js"} {
		if s, ok := strings.CutSuffix(p, ext); ok {
			p = s
			break
		}
	}
	for {
		s, ok := strings.CutSuffix(p, "*")
		if !ok || len(s) < 2 {
			break
		}
		p = strings.TrimRight(s, ".-_")
	}
	return p
}

// funcKey identifies a function across builds: the source it comes from
// (as the map spells it: relative to the map, so equal in both builds),
// its original name and its kind.
type funcKey struct{ source, name, kind string }

type funcAt struct {
	b *bundle
	f bundlefacts.NameFact
}

// lostPins finds the functions and classes whose runtime name was kept
// in the old build and is mangled in the new one. Both builds need maps:
// without one the original names are unknown.
func lostPins(oldB, newB *build, newFindings []analyzer.Finding) []LostPin {
	kept := map[funcKey]funcAt{}
	mangledOld := map[funcKey]bool{}
	for _, b := range oldB.bundles {
		if b.facts == nil {
			continue
		}
		for _, f := range b.facts.Funcs {
			k, ok := keyOf(f)
			if !ok {
				continue
			}
			switch {
			case f.Pin != "":
				if _, seen := kept[k]; !seen {
					kept[k] = funcAt{b, f}
				}
			case f.Renamed:
				mangledOld[k] = true
			case f.RuntimeKnown && f.Runtime == k.name:
				if _, seen := kept[k]; !seen {
					kept[k] = funcAt{b, f}
				}
			}
		}
	}
	relied := map[string]bool{}
	for _, f := range newFindings {
		if f.Original != nil && f.Original.Name != "" {
			relied[f.Original.Name] = true
		}
		if f.Name != "" {
			relied[f.Name] = true
		}
	}
	var out []LostPin
	done := map[funcKey]bool{}
	for _, b := range newB.bundles {
		if b.facts == nil {
			continue
		}
		for _, f := range b.facts.Funcs {
			k, ok := keyOf(f)
			if !ok || !f.Renamed || done[k] || mangledOld[k] {
				continue
			}
			old, ok := kept[k]
			if !ok {
				continue
			}
			done[k] = true
			out = append(out, LostPin{
				Name: k.name, Kind: f.Kind,
				OldBundle: old.b.path, NewBundle: b.path,
				OldRuntime: old.f.Runtime, NewRuntime: f.Runtime, OldPin: old.f.Pin,
				Source:   f.Source,
				ReliedOn: relied[k.name],
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		as, bs := sourceOf(a), sourceOf(b)
		if as != bs {
			return as < bs
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Kind < b.Kind
	})
	return out
}

func keyOf(f bundlefacts.NameFact) (funcKey, bool) {
	// Keys (methods, properties) are not renamed by minifiers, and
	// dynamic scopes keep their names: neither can lose a pin.
	if !f.OriginalKnown || f.Original == "" || f.MapSource == "" || f.NamedBy == bundlefacts.NamedByKey || f.Dynamic {
		return funcKey{}, false
	}
	name := f.Original
	if f.Pin != "" && f.RuntimeKnown && f.Runtime != "" {
		// A pin states the source name: esbuild --keep-names emits
		// `var o=class o{}` whose inner name its map calls
		// "_UserFormatter", then __name(o,"UserFormatter").
		name = f.Runtime
	}
	return funcKey{f.MapSource, name, f.Kind}, true
}

func sourceOf(l LostPin) string {
	if l.Source == nil {
		return ""
	}
	return l.Source.Source
}
