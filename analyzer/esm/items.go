package esm

import (
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/jstoken"
)

// Module items occur only at the top level, where the main loop hands
// `import` and `export` tokens here. Their clauses hold only names, strings
// and a few punctuators, so they are read with rawAt, outside the context
// tracking; only exported variable declarations, whose initializers are
// arbitrary expressions, are walked with the full tokenizer.

// rawAt reads one clause token at i: a name, a string, or one punctuation
// byte. It does not move the scanner.
func (s *scanner) rawAt(i int) token {
	i, nl := jstoken.SkipTrivia(s.src, i)
	t := token{start: i, end: i, nl: nl}
	if i >= len(s.src) {
		return t
	}
	switch c := s.src[i]; {
	case jstoken.IdentStart(s.src, i):
		t.kind, t.end = tkName, jstoken.ScanIdent(s.src, i)
	case c == '"' || c == '\'':
		var ok bool
		if t.end, ok = jstoken.ScanString(s.src, i); ok {
			t.kind = tkString
		} else {
			t.kind = tkPunct // unterminated: never a valid specifier
		}
	case c == '`': // esbuild accepts import`x` (a template without ${…}) too
		end, piece := jstoken.ScanTemplate(s.src, i+1)
		t.kind, t.end = tkPunct, i+1
		if piece != jstoken.PieceSubstitution && end > i+1 && s.src[end-1] == '`' {
			t.kind, t.end = tkString, end
		}
	default:
		t.kind, t.end = tkPunct, i+1
	}
	return t
}

func (s *scanner) text(t token) string { return s.src[t.start:t.end] }

func (s *scanner) isName(t token, w string) bool { return t.kind == tkName && s.text(t) == w }

func (s *scanner) isOp(t token, op string) bool { return t.kind == tkPunct && s.text(t) == op }

// value is the name a clause token stands for: a string's value or the name.
func (s *scanner) value(t token) string {
	if t.kind == tkString {
		return unquote(s.text(t))
	}
	return s.text(t)
}

func (s *scanner) malformed(t token, what string) error {
	return &Error{Offset: t.start, Msg: "malformed " + what}
}

// itemDone resumes tokenizing at end, at a statement start.
func (s *scanner) itemDone(end int) {
	s.pos, s.state, s.prevKw, s.flags = end, sStmt, kwNone, 0
}

// tail reads `from "x"` (when from is set), import attributes and an
// optional semicolon; it returns the end of the item and the specifier.
func (s *scanner) tail(i int, from bool, what string) (int, string, error) {
	source := ""
	if from {
		f := s.rawAt(i)
		if !s.isName(f, "from") {
			return 0, "", s.malformed(f, what)
		}
		str := s.rawAt(f.end)
		if str.kind != tkString {
			return 0, "", s.malformed(str, what)
		}
		source, i = s.value(str), str.end
	}
	// Import attributes: `with {type: "json"}`, or the older `assert {…}`,
	// which must stay on the line.
	if r := s.rawAt(i); s.isName(r, "with") || s.isName(r, "assert") && !r.nl {
		b := s.rawAt(r.end)
		if !s.isOp(b, "{") {
			return 0, "", s.malformed(b, what+" attributes")
		}
		for j := b.end; ; {
			t := s.rawAt(j)
			if t.kind == tkEOF {
				return 0, "", s.malformed(t, what+" attributes")
			}
			j = t.end
			if s.isOp(t, "}") {
				i = j
				break
			}
		}
	}
	if r := s.rawAt(i); s.isOp(r, ";") {
		i = r.end
	}
	return i, source, nil
}

// importDecl blanks an import declaration and records its bindings.
func (s *scanner) importDecl(kw token) error {
	m := s.module()
	first := len(m.Imports)
	end, source, err := s.importItem(kw)
	if err != nil {
		return err
	}
	for k := first; k < len(m.Imports); k++ {
		m.Imports[k].Source = source
	}
	s.blank(kw.start, end)
	s.itemDone(end)
	return nil
}

// importItem reads the import declaration whose `import` keyword is kw:
// it records its bindings and returns its end and module specifier.
func (s *scanner) importItem(kw token) (end int, source string, err error) {
	r := s.rawAt(kw.end)
	if r.kind == tkString { // import "x"
		end, _, err = s.tail(r.end, false, "import declaration")
		return end, s.value(r), err
	}
	if r, err = s.importClause(r); err != nil {
		return 0, "", err
	}
	return s.tail(r.start, true, "import declaration")
}

// importClause reads the bindings of an import declaration starting at r
// and returns the token after them (which should be `from`).
func (s *scanner) importClause(r token) (token, error) {
	m := s.mod
	// Phase modifiers (stage 3): import defer * as ns, import source x.
	if s.isName(r, "defer") || s.isName(r, "source") {
		if n := s.rawAt(r.end); s.isOp(n, "*") || n.kind == tkName && (s.text(n) != "from" || s.isName(s.rawAt(n.end), "from")) {
			r = n
		}
	}
	if r.kind == tkName {
		m.Imports = append(m.Imports, Import{Local: s.text(r), LocalPos: r.start, Imported: "default"})
		if r = s.rawAt(r.end); !s.isOp(r, ",") {
			return r, nil
		}
		r = s.rawAt(r.end)
	}
	switch {
	case s.isOp(r, "*"):
		as := s.rawAt(r.end)
		n := s.rawAt(as.end)
		if !s.isName(as, "as") || n.kind != tkName {
			return r, s.malformed(n, "import declaration")
		}
		m.Imports = append(m.Imports, Import{Local: s.text(n), LocalPos: n.start, Imported: "*"})
		return s.rawAt(n.end), nil
	case s.isOp(r, "{"):
		end, err := s.importSpecifiers(r.end)
		return s.rawAt(end), err
	}
	return r, s.malformed(r, "import declaration")
}

// importSpecifiers reads `a, b as c, "d-e" as f, default as g }` from i.
func (s *scanner) importSpecifiers(i int) (int, error) {
	m := s.mod
	for {
		a := s.rawAt(i)
		if s.isOp(a, "}") {
			return a.end, nil
		}
		if a.kind != tkName && a.kind != tkString {
			return 0, s.malformed(a, "import specifier")
		}
		local := a
		b := s.rawAt(a.end)
		if s.isName(b, "as") {
			local = s.rawAt(b.end)
			b = s.rawAt(local.end)
		}
		if local.kind != tkName {
			return 0, s.malformed(local, "import specifier")
		}
		m.Imports = append(m.Imports, Import{Local: s.text(local), LocalPos: local.start, Imported: s.value(a)})
		switch {
		case s.isOp(b, ","):
			i = b.end
		case s.isOp(b, "}"):
			return b.end, nil
		default:
			return 0, s.malformed(b, "import specifier")
		}
	}
}

// exportDecl lowers one export item.
func (s *scanner) exportDecl(kw token) error {
	m := s.module()
	r := s.rawAt(kw.end)
	switch {
	case s.isOp(r, "{"):
		return s.exportClause(kw, r)
	case s.isOp(r, "*"):
		return s.exportStar(kw, r)
	case r.kind != tkName:
		return s.malformed(r, "export declaration")
	}
	switch s.text(r) {
	case "default":
		return s.exportDefault(kw, r)
	case "var", "let", "const":
		s.blank(kw.start, kw.end)
		s.itemDone(kw.end)
		s.exportVars()
		return nil
	case "function", "async", "class":
		n, ok := s.declName(r)
		if !ok {
			return s.malformed(n, "export declaration")
		}
		s.blank(kw.start, kw.end)
		m.Exports = append(m.Exports, Export{Local: s.text(n), LocalPos: n.start, Exported: s.text(n), ExportedPos: n.start})
		s.itemDone(kw.end)
		return nil
	}
	return s.malformed(r, "export declaration")
}

// declName finds the name of the function or class declaration at r.
func (s *scanner) declName(r token) (token, bool) {
	if s.isName(r, "async") {
		if r = s.rawAt(r.end); !s.isName(r, "function") || r.nl {
			return r, false
		}
	}
	n := s.rawAt(r.end)
	switch s.text(r) {
	case "function":
		if s.isOp(n, "*") {
			n = s.rawAt(n.end)
		}
		return n, n.kind == tkName
	case "class":
		return n, n.kind == tkName && s.text(n) != "extends"
	}
	return n, false
}

// exportClause lowers `export {a, b as c} [from "x"]`.
func (s *scanner) exportClause(kw, brace token) error {
	m := s.mod
	first := len(m.Exports)
	i := brace.end
	for {
		a := s.rawAt(i)
		if s.isOp(a, "}") {
			i = a.end
			break
		}
		if a.kind != tkName && a.kind != tkString {
			return s.malformed(a, "export specifier")
		}
		exp := a
		b := s.rawAt(a.end)
		if s.isName(b, "as") {
			exp = s.rawAt(b.end)
			if exp.kind != tkName && exp.kind != tkString {
				return s.malformed(exp, "export specifier")
			}
			b = s.rawAt(exp.end)
		}
		m.Exports = append(m.Exports, Export{Local: s.value(a), LocalPos: a.start, Exported: s.value(exp), ExportedPos: exp.start})
		if s.isOp(b, "}") {
			i = b.end
			break
		}
		if !s.isOp(b, ",") {
			return s.malformed(b, "export specifier")
		}
		i = b.end
	}
	from := s.isName(s.rawAt(i), "from")
	end, source, err := s.tail(i, from, "export declaration")
	if err != nil {
		return err
	}
	for k := first; k < len(m.Exports); k++ {
		e := &m.Exports[k]
		if from {
			e.Imported, e.Local, e.LocalPos, e.Source = e.Local, "", -1, source
		} else if c := s.src[e.LocalPos]; c == '"' || c == '\'' {
			return &Error{Offset: e.LocalPos, Msg: "string export name without from"}
		}
	}
	s.blank(kw.start, end)
	s.itemDone(end)
	return nil
}

// exportStar lowers `export * from "x"` and `export * as ns from "x"`.
func (s *scanner) exportStar(kw, star token) error {
	e := Export{LocalPos: -1, Exported: "*", ExportedPos: star.start, Imported: "*"}
	i := star.end
	if r := s.rawAt(i); s.isName(r, "as") {
		n := s.rawAt(r.end)
		if n.kind != tkName && n.kind != tkString {
			return s.malformed(n, "export declaration")
		}
		e.Exported, e.ExportedPos, i = s.value(n), n.start, n.end
	}
	end, source, err := s.tail(i, true, "export declaration")
	if err != nil {
		return err
	}
	e.Source = source
	s.mod.Exports = append(s.mod.Exports, e)
	s.blank(kw.start, end)
	s.itemDone(end)
	return nil
}

// exportDefault lowers `export default …`. A named function or class
// keeps its declaration. An anonymous function or class becomes a
// declaration named DefaultVar, so, like the original, it needs no
// semicolon after its body (`export default function(){}foo()` is valid).
// Anything else becomes `var <DefaultVar>=<expression>`.
func (s *scanner) exportDefault(kw, def token) error {
	m := s.mod
	n := s.rawAt(def.end)
	if n.kind == tkEOF || s.isOp(n, ";") || s.isOp(n, ")") || s.isOp(n, "}") {
		return s.malformed(n, "export default")
	}
	keyword, kwEnd := "", 0
	switch f := n; {
	case s.isName(n, "async"):
		if f = s.rawAt(n.end); !s.isName(f, "function") || f.nl {
			break
		}
		keyword = "async "
		fallthrough
	case s.isName(n, "function"):
		keyword += "function"
		kwEnd = f.end
		k := s.rawAt(f.end)
		if s.isOp(k, "*") {
			keyword += "*"
			kwEnd = k.end
			k = s.rawAt(k.end)
		}
		if k.kind == tkName {
			return s.defaultNamed(kw, def, n, k)
		}
	case s.isName(n, "class"):
		keyword, kwEnd = "class", n.end
		if k := s.rawAt(n.end); k.kind == tkName && s.text(k) != "extends" {
			return s.defaultNamed(kw, def, n, k)
		}
	}
	name := s.defaultName()
	m.DefaultVar = name
	if keyword != "" && !jstoken.HasLineTerminator(s.src[kw.start:kwEnd]) {
		decl := keyword + " " + name
		s.patch(kw.start, decl)
		s.blank(kw.start+len(decl), kwEnd)
		m.DefaultExpr = kw.start
		m.Exports = append(m.Exports, Export{Local: name, LocalPos: kw.start + len(keyword) + 1, Exported: "default", ExportedPos: def.start})
		s.itemDone(n.start)
		return nil
	}
	// `export` (6 bytes) -> `var   `, `default` (7 bytes) -> `<name>=`.
	s.patch(kw.start, "var   ")
	s.blank(kw.end, def.start)
	s.patch(def.start, name+"=")
	m.DefaultExpr = n.start
	m.Exports = append(m.Exports, Export{Local: name, LocalPos: def.start, Exported: "default", ExportedPos: def.start})
	s.pos, s.state, s.prevKw, s.flags = def.end, sExpr, kwNone, 0
	return nil
}

// defaultNamed blanks `export default ` before a named declaration.
func (s *scanner) defaultNamed(kw, def, decl, name token) error {
	s.blank(kw.start, decl.start)
	s.mod.Exports = append(s.mod.Exports, Export{Local: s.text(name), LocalPos: name.start, Exported: "default", ExportedPos: def.start})
	s.itemDone(decl.start)
	return nil
}

// exportVars walks `var|let|const` declarators after a blanked `export`,
// recording every bound name (patterns included). It is lenient: on a token
// it does not expect it stops recording and hands the token back to the
// main loop, which keeps tokenizing as usual.
func (s *scanner) exportVars() {
	s.next() // var, let or const
	for {
		t := s.bindingElement(s.next(), 1)
		if s.isOp(t, ",") && len(s.stack) == 1 {
			continue
		}
		if t.kind != tkEOF && !s.isOp(t, ";") {
			s.unread, s.hasUnread = t, true
		}
		return
	}
}

// bindingElement reads a binding target and its optional initializer in a
// frame at depth d; it returns the token after them.
func (s *scanner) bindingElement(t token, d int) token {
	t = s.bindingTarget(t)
	if s.isOp(t, "=") {
		t = s.skipExpr(d)
	}
	return t
}

func (s *scanner) bindingTarget(t token) token {
	switch {
	case t.kind == tkName:
		s.exportBinding(t)
		return s.next()
	case s.isOp(t, "["):
		return s.arrayPattern()
	case s.isOp(t, "{"):
		return s.objectPattern()
	}
	return t
}

func (s *scanner) exportBinding(t token) {
	name := s.text(t)
	s.mod.Exports = append(s.mod.Exports, Export{Local: name, LocalPos: t.start, Exported: name, ExportedPos: t.start})
}

func (s *scanner) arrayPattern() token {
	d := len(s.stack)
	t := s.next()
	for {
		switch {
		case s.isOp(t, "]"):
			return s.next()
		case s.isOp(t, ","):
			t = s.next()
			continue
		case s.isOp(t, "..."):
			t = s.bindingTarget(s.next())
		default:
			t = s.bindingElement(t, d)
		}
		switch {
		case s.isOp(t, "]"):
			return s.next()
		case !s.isOp(t, ","):
			return t
		}
		t = s.next()
	}
}

func (s *scanner) objectPattern() token {
	d := len(s.stack)
	for {
		t := s.next()
		if s.isOp(t, "}") {
			return s.next()
		}
		if s.isOp(t, "...") {
			t = s.bindingTarget(s.next())
		} else {
			key := t
			switch {
			case t.kind == tkName || t.kind == tkString || t.kind == tkNumber:
				t = s.next()
			case s.isOp(t, "["): // computed key
				if t = s.skipExpr(d + 1); !s.isOp(t, "]") {
					return t
				}
				t = s.next()
			default:
				return t
			}
			switch {
			case s.isOp(t, ":"):
				t = s.bindingElement(s.next(), d)
			case key.kind == tkName: // shorthand, maybe with a default
				s.exportBinding(key)
				if s.isOp(t, "=") {
					t = s.skipExpr(d)
				}
			default:
				return t
			}
		}
		switch {
		case s.isOp(t, "}"):
			return s.next()
		case !s.isOp(t, ","):
			return t
		}
	}
}

// skipExpr skips an initializer in the frame at depth d and returns the
// token that ends it: `,` or `;` at depth d, the closer of frame d, EOF,
// or at the top level the first token automatic semicolon insertion puts
// into the next statement.
func (s *scanner) skipExpr(d int) token {
	for {
		t := s.next()
		switch {
		case t.kind == tkEOF || len(s.stack) < d:
			return t
		case len(s.stack) > d:
		case s.isOp(t, ",") || s.isOp(t, ";"):
			return t
		case d == 1 && t.nl && t.before == sOp && s.startsStatement(t):
			return t
		}
	}
}

// startsStatement reports whether t, following an operand and a line
// break, cannot continue the expression (so ASI ends it before t).
func (s *scanner) startsStatement(t token) bool {
	switch t.kind {
	case tkName:
		switch s.text(t) {
		case "in", "instanceof", "of":
			return false
		}
		return true
	case tkImport, tkExport, tkNumber, tkString, tkPrivate:
		return true
	case tkPunct:
		switch s.text(t) {
		case "{", "++", "--":
			return true
		}
	}
	return false
}

// module returns the Module being built, creating it on first use.
func (s *scanner) module() *Module {
	if s.mod == nil {
		s.mod = &Module{DefaultExpr: -1}
	}
	return s.mod
}

// emitTo copies the input up to at into the output.
func (s *scanner) emitTo(at int) bool {
	if at < s.done {
		s.fail(at, "internal error: overlapping rewrite", nil)
		return false
	}
	if s.out.Cap() == 0 {
		s.out.Grow(len(s.src))
	}
	s.out.WriteString(s.src[s.done:at])
	return true
}

// patch writes repl over the input at offset at.
func (s *scanner) patch(at int, repl string) {
	s.module()
	if !s.emitTo(at) {
		return
	}
	s.out.WriteString(repl)
	s.done = at + len(repl)
}

// blank replaces src[from:to] with spaces, keeping line terminators so
// line numbers do not move.
func (s *scanner) blank(from, to int) {
	s.module()
	if !s.emitTo(from) {
		return
	}
	for i := from; i < to; i++ {
		switch c := s.src[i]; {
		case c == '\n' || c == '\r':
			s.out.WriteByte(c)
		case c == 0xE2 && i+2 < to && jstoken.IsLineSep(s.src, i):
			s.out.WriteString(s.src[i : i+3])
			i += 2
		default:
			s.out.WriteByte(' ')
		}
	}
	s.done = to
}

func (s *scanner) finish() string {
	s.emitTo(len(s.src))
	s.done = len(s.src)
	return s.out.String()
}

// Synthesized identifiers: the lengths are fixed by what they replace.
func (s *scanner) importName() string {
	if s.impID == "" {
		s.impID = s.fresh("_$impo") // import
	}
	return s.impID
}

func (s *scanner) metaName() string {
	if s.metaID == "" {
		s.metaID = s.fresh("_$imp_meta_") // import.meta
	}
	return s.metaID
}

func (s *scanner) defaultName() string {
	if s.defID == "" {
		s.defID = s.fresh("_$dflt") // default (+ "=")
	}
	return s.defID
}

// fresh returns base, or base with its last two bytes replaced by digits,
// choosing a name that does not occur in the input.
func (s *scanner) fresh(base string) string {
	if !strings.Contains(s.src, base) {
		return base
	}
	b := []byte(base)
	for i := 0; i < 100; i++ {
		b[len(b)-2], b[len(b)-1] = '0'+byte(i/10), '0'+byte(i%10)
		if !strings.Contains(s.src, string(b)) {
			return string(b)
		}
	}
	return base
}
