package names

// Mangled reports whether a function's runtime name is not the one its
// author wrote: the map says so, or, without a map, the bundle is minified
// and the name is short and not pinned by anything.
func (nf *Facts) Mangled(fn *Func) bool {
	if fn.Renamed() {
		return true
	}
	if fn.OriginalKnown || !nf.Minified || fn.Pin != NotPinned || fn.Dynamic || !fn.RuntimeKnown || fn.Helper {
		return false
	}
	// A function or class expression the minifier inlined where its
	// declaration stood (terser passes function(){…} straight to the
	// call) is named "" by the language: exactly known, and no name. A
	// function called where it stands (a module wrapper, an IIFE) was
	// anonymous in the source too.
	if fn.Runtime == "" {
		return !fn.Invoked
	}
	return LooksMangled(fn.Runtime)
}

// LooksMangled reports whether a name has the shape minifiers give: one to
// three characters. (esbuild and terser hand out 1-2 letter names first and
// reach three only in bundles with thousands of symbols in one scope.)
func LooksMangled(s string) bool {
	return s != "" && len(s) <= 3
}
