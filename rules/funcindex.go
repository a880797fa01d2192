package rules

import "github.com/manglecheck/manglecheck/analyzer/names"

// funcIndex answers the questions rules ask about all the functions and
// classes of a file, once per read: which were renamed away from a name,
// does any still carry a name at runtime, is any mangled. Scanning
// nf.Funcs for each read instead made a generated 5 MB bundle of 65,000
// classes and as many `.name === "…"` comparisons take six minutes.
// Exact names are looked up in maps; other matches (startsWith, includes,
// a RegExp) still scan, once per distinct pattern. The maps are built on
// first use: most files have no read to judge.
type funcIndex struct {
	nf    *names.Facts
	built bool
	// renamedFrom lists, by original name, the functions the map says
	// were renamed (in nf.Funcs order).
	renamedFrom map[string][]*names.Func
	// carriers are the runtime names known at runtime.
	carriers map[string]bool
	// mangled: a function or class of the file itself is mangled,
	// the evidence that the build mangles and keeps no names. A chunk
	// that defines nothing cannot tell a keep-names build from a plain
	// one (esbuild emits it identically), so it stays quiet.
	mangled bool

	renamedMemo map[string][]*names.Func
	carriedMemo map[string]bool
	// requires is whether the file requires a file beside it (a CommonJS
	// chunk), found on first use: 0 unknown, 1 no, 2 yes.
	requires int8
}

func newFuncIndex(nf *names.Facts) *funcIndex { return &funcIndex{nf: nf} }

func (ix *funcIndex) build() {
	if ix.built {
		return
	}
	ix.built = true
	ix.renamedFrom = map[string][]*names.Func{}
	ix.carriers = map[string]bool{}
	ix.renamedMemo = map[string][]*names.Func{}
	ix.carriedMemo = map[string]bool{}
	for _, fn := range ix.nf.Funcs {
		if fn.Renamed() {
			ix.renamedFrom[fn.Original] = append(ix.renamedFrom[fn.Original], fn)
		}
		if fn.RuntimeKnown {
			ix.carriers[fn.Runtime] = true
		}
		if !ix.mangled && mangled(ix.nf, fn) {
			ix.mangled = true
		}
	}
}

// anyMangled reports whether a function or class of the file is mangled.
func (ix *funcIndex) anyMangled() bool {
	ix.build()
	return ix.mangled
}

// nameMatch is how a read name is matched with a string: exactly, or by
// match (a string method or a RegExp), which key identifies.
type nameMatch struct {
	exact bool
	key   string
	match func(name, lit string) bool
}

func exactMatch() nameMatch {
	return nameMatch{exact: true, match: func(name, lit string) bool { return name == lit }}
}

// renamedAway returns the file's functions renamed from a name m matches
// with lit to one it does not, in nf.Funcs order.
func (ix *funcIndex) renamedAway(m nameMatch, lit string) []*names.Func {
	ix.build()
	if m.exact {
		var out []*names.Func
		for _, fn := range ix.renamedFrom[lit] {
			if fn.Runtime != lit {
				out = append(out, fn)
			}
		}
		return out
	}
	key := m.key + "\x00" + lit
	if out, ok := ix.renamedMemo[key]; ok {
		return out
	}
	var out []*names.Func
	for _, fn := range ix.nf.Funcs {
		if fn.Renamed() && m.match(fn.Original, lit) && !m.match(fn.Runtime, lit) {
			out = append(out, fn)
		}
	}
	ix.renamedMemo[key] = out
	return out
}

// carried reports whether some function of the file has, at runtime, a
// known name m matches with lit.
func (ix *funcIndex) carried(m nameMatch, lit string) bool {
	ix.build()
	if m.exact {
		return ix.carriers[lit]
	}
	key := m.key + "\x00" + lit
	if c, ok := ix.carriedMemo[key]; ok {
		return c
	}
	c := false
	for _, fn := range ix.nf.Funcs {
		if fn.RuntimeKnown && m.match(fn.Runtime, lit) {
			c = true
			break
		}
	}
	ix.carriedMemo[key] = c
	return c
}
