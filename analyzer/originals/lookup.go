package originals

import (
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// origins answers what names asks of the source map: where the code at an
// offset of the parsed text came from, and what an identifier there was
// called. names asks it for every function, class and parameter it
// resolves, and rules for the bindings they report, so each question
// costs one line lookup and one map lookup.
type origins struct {
	sm       *sourcemap.Map
	texts    []*names.SourceText // by source index; nil without sourcesContent
	lines    *lines.Index        // of the bundle
	toBundle func(int) (int, bool)
	hasNames bool // the map has a names entry at all
}

// Lookups returns the functions for names.Options.OriginalAt and
// Origin: both nil without a map.
func Lookups(sm *sourcemap.Map, texts []*names.SourceText, bundleLines *lines.Index, toBundle func(int) (int, bool)) (originalAt func(int, string) (string, bool), origin func(int) (names.Origin, bool)) {
	if sm == nil {
		return nil, nil
	}
	o := &origins{sm: sm, texts: texts, lines: bundleLines, toBundle: toBundle, hasNames: sm.HasNames()}
	return o.originalAt, o.origin
}

// mapping returns the segment that starts exactly at offset pos of the
// parsed text and has a source.
func (o *origins) mapping(pos int) (sourcemap.Mapping, bool) {
	off, ok := o.toBundle(pos)
	if !ok {
		return sourcemap.Mapping{}, false
	}
	line, col := o.lines.Position(off)
	m, ok := o.sm.Find(line, col)
	if !ok || m.GenLine != line || m.GenCol != col || m.SourceIndex < 0 {
		return sourcemap.Mapping{}, false
	}
	return m, true
}

// origin is names.Options.Origin: the original source line of the code
// emitted at pos, and the byte offset in it.
func (o *origins) origin(pos int) (names.Origin, bool) {
	m, ok := o.mapping(pos)
	if !ok {
		return names.Origin{}, false
	}
	return o.text(m)
}

// text returns the source text m points into.
func (o *origins) text(m sourcemap.Mapping) (names.Origin, bool) {
	if m.SourceIndex >= len(o.texts) || o.texts[m.SourceIndex] == nil {
		return names.Origin{}, false
	}
	st := o.texts[m.SourceIndex]
	start, ok := st.Lines.Offset(m.OrigLine, m.OrigCol)
	if !ok {
		return names.Origin{}, false
	}
	line := st.Lines.Line(m.OrigLine)
	at := start - st.Lines.LineStart(m.OrigLine)
	if at < 0 || at > len(line) {
		return names.Origin{}, false
	}
	return names.Origin{Source: st, Line: line, At: at, LineNo: m.OrigLine}, true
}

// originalAt is names.Options.OriginalAt: what the identifier emitted at
// pos was called in the source.
func (o *origins) originalAt(pos int, emitted string) (string, bool) {
	m, ok := o.mapping(pos)
	if !ok {
		return "", false
	}
	if m.HasName {
		return m.Name, true
	}
	// No name on the segment: esbuild records names only for identifiers
	// it changed, but swc's chained maps record none at all, so read the
	// identifier at the original position when the map carries the
	// source text.
	if t, ok := o.text(m); ok {
		id := leadingIdent(t.Line[t.At:])
		if id != "" && !reservedWords[id] {
			return id, true
		}
		if id == "" {
			// The segment points at no identifier of the source (swc's
			// IIFE maps put m=class{} at a ");"): it does not say this
			// name was kept.
			return "", false
		}
	}
	// A map with no names at all and no source text says nothing about
	// this one: unknown, so the bundle-only evidence stands (such a map
	// made real findings vanish when this answered "emitted").
	if !o.hasNames {
		return "", false
	}
	return emitted, true
}
