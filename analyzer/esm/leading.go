package esm

// LeadingImports returns the module specifiers of the import declarations
// src starts with, after a hashbang and comments, in order, without
// lowering anything. Bundlers emit a chunk's imports first; any other
// statement ends the list. It reads only as far as those declarations
// go, so a caller may hand it the head of a file: a declaration cut off
// or malformed ends the list too.
func LeadingImports(src string) []string {
	s := newScanner(src, Options{})
	s.mod = &Module{DefaultExpr: -1}
	i := 0
	if len(src) >= 2 && src[0] == '#' && src[1] == '!' {
		for i < len(src) && src[i] != '\n' && src[i] != '\r' {
			i++
		}
	}
	var out []string
	for {
		kw := s.rawAt(i)
		if !s.isName(kw, "import") {
			return out
		}
		if r := s.rawAt(kw.end); s.isOp(r, "(") || s.isOp(r, ".") { // import(…), import.meta
			return out
		}
		end, source, err := s.importItem(kw)
		if err != nil {
			return out
		}
		out = append(out, source)
		i = end
	}
}
