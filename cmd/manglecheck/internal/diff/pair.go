package diff

import (
	"path"
	"regexp"
	"sort"
	"strings"
)

// pairs are the old bundles matched with new ones, and the pairing.
type pairing struct {
	old, new *bundle
	by       Pairing
	sim      float64
}

// pair matches the bundles of two builds, one to one, in stages; each
// stage only sees what the earlier ones left unpaired:
//
//  1. the same path inside both builds;
//  2. identical content (a file renamed, its bytes unchanged);
//  3. the sources of their source maps: Jaccard similarity of the two
//     sets at least minSim. With code splitting, each source module is in
//     one chunk, so a chunk's sources say which chunk it is whatever its
//     hashed name;
//  4. without a map on either side, the Jaccard similarity of their
//     string literals and words of four or more characters (property
//     names, strings: what minifiers do not rename), at least minSim;
//  5. the same file name once content hashes are blanked ("chunk-*.js"),
//     closest size first, the smaller at least half of the larger.
//
// Within a stage, candidate pairs are taken best first: highest
// similarity, then old path, then new path, so the result does not depend
// on the order files were listed in.
func pair(oldB, newB *build, minSim float64) []pairing {
	var out []pairing
	link := func(o, n *bundle, by Pairing, sim float64) {
		o.pair, n.pair = n, o
		out = append(out, pairing{o, n, by, sim})
	}
	for _, o := range oldB.bundles {
		if n := newB.byRel[o.rel]; n != nil {
			link(o, n, ByPath, 1)
		}
	}
	free := func(bs []*bundle) []*bundle {
		var f []*bundle
		for _, b := range bs {
			if b.pair == nil && !b.failed {
				f = append(f, b)
			}
		}
		return f
	}
	type cand struct {
		o, n *bundle
		sim  float64
	}
	greedy := func(cs []cand, by Pairing) {
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].sim != cs[j].sim {
				return cs[i].sim > cs[j].sim
			}
			if cs[i].o.rel != cs[j].o.rel {
				return cs[i].o.rel < cs[j].o.rel
			}
			return cs[i].n.rel < cs[j].n.rel
		})
		for _, c := range cs {
			if c.o.pair == nil && c.n.pair == nil {
				link(c.o, c.n, by, c.sim)
			}
		}
	}
	stage := func(by Pairing, score func(o, n *bundle) (float64, bool)) {
		var cs []cand
		for _, o := range free(oldB.bundles) {
			for _, n := range free(newB.bundles) {
				if s, ok := score(o, n); ok {
					cs = append(cs, cand{o, n, s})
				}
			}
		}
		greedy(cs, by)
	}
	stage(ByContent, func(o, n *bundle) (float64, bool) { return 1, o.hash == n.hash })
	stage(BySources, func(o, n *bundle) (float64, bool) {
		if len(o.sources) == 0 || len(n.sources) == 0 {
			return 0, false
		}
		s := jaccard(set(o.sources), set(n.sources))
		return s, s >= minSim
	})
	stage(ByStrings, func(o, n *bundle) (float64, bool) {
		if len(o.sources) > 0 && len(n.sources) > 0 {
			return 0, false // the maps said they differ
		}
		s := jaccard(o.wordSet(), n.wordSet())
		return s, s >= minSim
	})
	stage(BySize, func(o, n *bundle) (float64, bool) {
		if blankHashes(o.rel) != blankHashes(n.rel) || len(o.data) == 0 || len(n.data) == 0 {
			return 0, false
		}
		a, b := float64(len(o.data)), float64(len(n.data))
		r := min(a, b) / max(a, b)
		return r, r >= 0.5
	})
	return out
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}

// jaccard is |a ∩ b| / |a ∪ b|; 0 for two empty sets.
func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	both := 0
	for s := range a {
		if b[s] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// wordSet is the set of a bundle's string literal contents and words of
// four or more characters that are not numbers: what survives
// minification unchanged (property names, strings, keywords), computed
// on first use by a scanner that does not parse (a regex literal's quote
// may start a "string"; good enough to tell bundles apart).
func (b *bundle) wordSet() map[string]bool {
	if b.words != nil {
		return b.words
	}
	w := map[string]bool{}
	d := b.data
	for i := 0; i < len(d); {
		c := d[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(d) && d[j] != c && d[j] != '\n' {
				if d[j] == '\\' {
					j++
				}
				j++
			}
			if j > len(d) {
				j = len(d)
			}
			if j-i-1 >= 2 {
				w["\x00"+string(d[i+1:j])] = true
			}
			i = j + 1
		case isWord(c):
			j := i
			for j < len(d) && isWord(d[j]) {
				j++
			}
			if j-i >= 4 && !(c >= '0' && c <= '9') {
				w[string(d[i:j])] = true
			}
			i = j
		default:
			i++
		}
	}
	b.words = w
	return w
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

var rolldownHash = regexp.MustCompile(`-([A-Za-z0-9_-]{8})\.[cm]?js(?:\.map)?$`)

// blankHashes replaces the content hashes in a file name by "*"
// ("assets/index-BIqW9hR2.js" → "assets/index-*.js", "chunk-Q2GVC3WN.js" →
// "chunk-*.js"); see looksHashed.
func blankHashes(p string) string {
	dir, base := path.Split(p)
	// Vite and Rolldown hashes are eight base64url characters, which may
	// hold "_" and "-" ("index-C_x1Yz9a.js"): cut at them, the name came
	// out as "index-C_*".
	if m := rolldownHash.FindStringSubmatchIndex(base); m != nil && strings.ContainsAny(base[m[2]:m[3]], "_-") && looksHashed(strings.NewReplacer("_", "a", "-", "a").Replace(base[m[2]:m[3]])) {
		base = base[:m[2]] + "*" + base[m[3]:]
	}
	var b strings.Builder
	part := 0
	flush := func(end int) {
		s := base[part:end]
		if looksHashed(s) {
			s = "*"
		}
		b.WriteString(s)
	}
	for i := 0; i < len(base); i++ {
		if base[i] == '.' || base[i] == '-' || base[i] == '_' {
			flush(i)
			b.WriteByte(base[i])
			part = i + 1
		}
	}
	flush(len(base))
	return dir + b.String()
}

// looksHashed reports whether a dot-, dash- or underscore-separated part
// of a file name is a content hash: six or more letters and digits with a
// digit in them (webpack's hex "3f2a1b9c"), or exactly eight with upper
// case in them (esbuild's base32 "Q2GVC3WN", Rollup's and Vite's base64
// "BfQxYzAb", a quarter of which have no digit). An eight-letter
// camel-case word is taken for a hash too; longer names ("UserProfile",
// "vendor", "polyfills") are not.
func looksHashed(s string) bool {
	if len(s) < 6 {
		return false
	}
	var digit, upper, letter bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z':
			upper, letter = true, true
		case c >= 'a' && c <= 'z':
			letter = true
		default:
			return false
		}
	}
	return digit && letter || digit && len(s) >= 8 || len(s) == 8 && upper
}
