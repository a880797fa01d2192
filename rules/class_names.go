package rules

import "github.com/manglecheck/manglecheck/analyzer/names"

// The package registries the bundle carries itself (class-transformer's
// discriminators, Redux Toolkit's slices, dependency-injection containers)
// name entries by classes' runtime names and are asked for them by
// literals. These are the two kinds of evidence they share.

// renamedFrom returns the function of fns the map shows renamed from
// name (its source name), or nil.
func renamedFrom(fns []*names.Func, name string) *names.Func {
	for _, fn := range fns {
		if fn.Renamed() && fn.Original == name {
			return fn
		}
	}
	return nil
}

// strayClassName reports the evidence, without the map, that the literal
// name was written for one of fns and matches none: the bundle is
// minified, every one of fns has a mangled name, and name looks like a
// class's (a capitalised identifier of three characters or more) while no
// function of the bundle carries it at runtime.
func strayClassName(nf *names.Facts, name string, fns []*names.Func) bool {
	if !nf.Minified || len(name) < 3 || !capitalised(name) || !identifierLike(name) {
		return false
	}
	for _, fn := range fns {
		if !nf.Mangled(fn) {
			return false
		}
	}
	for _, fn := range nf.Funcs {
		if fn.Runtime == name {
			return false
		}
	}
	return true
}
