package parse

import (
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// remapper maps offsets of esbuild's fallback transform output back to the
// bundle through the transform's source map, with the project's own map
// decoder and line index (UTF-16 columns).
type remapper struct {
	genText, origText string
	gen, orig         *lines.Index
	m                 *sourcemap.Map
}

func newRemapper(gen, orig string, m *sourcemap.Map) *remapper {
	return &remapper{genText: gen, origText: orig, gen: lines.New(gen), orig: lines.New(orig), m: m}
}

// remap maps a byte offset of the generated text to the original: the
// nearest mapping at or before it on its line, moved forward by the
// distance from it when the text in between is the same on both sides
// (esbuild maps tokens, not every byte; its own helper code maps to the
// start of the file and stays there).
func (r *remapper) remap(off int) (int, bool) {
	if off < 0 || off > len(r.genText) {
		return 0, false
	}
	line, col := r.gen.Position(off)
	s, ok := r.m.Find(line, col)
	if !ok || s.SourceIndex < 0 {
		return 0, false
	}
	o, ok := r.orig.Offset(s.OrigLine, s.OrigCol)
	if !ok {
		return 0, false
	}
	g, ok := r.gen.Offset(s.GenLine, s.GenCol)
	if !ok {
		return 0, false
	}
	if d := off - g; d > 0 && o+d <= len(r.origText) && g >= 0 && r.genText[g:off] == r.origText[o:o+d] {
		o += d
	}
	return min(max(o, 0), len(r.origText)), true
}
