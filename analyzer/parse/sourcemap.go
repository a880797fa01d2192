package parse

import (
	"encoding/json"
	"errors"
	"sort"
	"unicode/utf8"
)

// A minimal decoder for the one source map Parse needs: the map of
// esbuild's fallback transform (version 3, one source, no sections). It is
// private on purpose; package sourcemap handles the bundles' own maps.

// segment maps generated columns from genCol on to an original position;
// srcLine < 0 marks columns with no original.
type segment struct {
	genCol, srcLine, srcCol int32 // UTF-16 columns, 0-based lines
}

type mapping struct {
	segs      []segment
	lineStart []int // segs[lineStart[l]:lineStart[l+1]] are generated line l's
}

var errBadMap = errors.New("malformed source map")

// base64Val maps base64 digits to their value and everything else to -1.
var base64Val = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = int8(i)
	}
	return t
}()

func decodeMap(data []byte) (*mapping, error) {
	var raw struct {
		Version  int             `json:"version"`
		Sources  []string        `json:"sources"`
		Mappings string          `json:"mappings"`
		Sections json.RawMessage `json:"sections"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw.Version != 3 || raw.Sections != nil {
		return nil, errBadMap
	}
	s := raw.Mappings
	m := &mapping{lineStart: []int{0}}
	var genCol, src, srcLine, srcCol, name int
	for i := 0; i < len(s); {
		switch s[i] {
		case ';':
			genCol = 0
			m.lineStart = append(m.lineStart, len(m.segs))
			i++
			continue
		case ',':
			i++
			continue
		}
		var f [5]int
		n := 0
		for i < len(s) && s[i] != ',' && s[i] != ';' {
			v, next, ok := vlq(s, i)
			if !ok || n == 5 {
				return nil, errBadMap
			}
			f[n], n, i = v, n+1, next
		}
		genCol += f[0]
		seg := segment{genCol: int32(genCol), srcLine: -1}
		switch n {
		case 1:
		case 4, 5:
			src, srcLine, srcCol, name = src+f[1], srcLine+f[2], srcCol+f[3], name+f[4]
			if src == 0 && srcLine >= 0 && srcCol >= 0 {
				seg.srcLine, seg.srcCol = int32(srcLine), int32(srcCol)
			}
		default:
			return nil, errBadMap
		}
		if genCol < 0 {
			return nil, errBadMap
		}
		m.segs = append(m.segs, seg)
	}
	m.lineStart = append(m.lineStart, len(m.segs))
	for l := 0; l+1 < len(m.lineStart); l++ {
		line := m.segs[m.lineStart[l]:m.lineStart[l+1]]
		if !sort.SliceIsSorted(line, func(a, b int) bool { return line[a].genCol < line[b].genCol }) {
			sort.SliceStable(line, func(a, b int) bool { return line[a].genCol < line[b].genCol })
		}
	}
	return m, nil
}

// vlq decodes one base64 VLQ value at s[i].
func vlq(s string, i int) (v, next int, ok bool) {
	shift := 0
	for {
		if i >= len(s) || shift > 30 {
			return 0, i, false
		}
		d := base64Val[s[i]]
		if d < 0 {
			return 0, i, false
		}
		i++
		v |= int(d&31) << shift
		if d&32 == 0 {
			break
		}
		shift += 5
	}
	if v&1 != 0 {
		return -(v >> 1), i, true
	}
	return v >> 1, i, true
}

// textIndex converts byte offsets of a text to lines and UTF-16 offsets (the
// unit of source map columns) in O(log n), however long its lines are:
// minified bundles are often one multi-megabyte line.
type textIndex struct {
	n      int
	starts []int // byte offset of each line start
	// Every non-ASCII rune, in order: its byte and UTF-16 offsets and sizes.
	runeByte, runeU16    []int
	runeBytes, runeUnits []uint8
}

func newTextIndex(text string) *textIndex {
	x := &textIndex{n: len(text), starts: []int{0}}
	u := 0 // UTF-16 offset of text[i]
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c == '\n' || c == '\r' {
				if c == '\r' && i+1 < len(text) && text[i+1] == '\n' {
					i, u = i+1, u+1
				}
				x.starts = append(x.starts, i+1)
			}
			i, u = i+1, u+1
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		units := 1
		if r >= 0x10000 {
			units = 2
		}
		x.runeByte, x.runeU16 = append(x.runeByte, i), append(x.runeU16, u)
		x.runeBytes, x.runeUnits = append(x.runeBytes, uint8(size)), append(x.runeUnits, uint8(units))
		if r == 0x2028 || r == 0x2029 {
			x.starts = append(x.starts, i+size)
		}
		i, u = i+size, u+units
	}
	return x
}

// line returns the 0-based line holding byte offset off.
func (x *textIndex) line(off int) int { return sort.SearchInts(x.starts, off+1) - 1 }

// u16 converts a byte offset to a UTF-16 offset from the start of the text.
func (x *textIndex) u16(off int) int {
	i := sort.SearchInts(x.runeByte, off) // runes starting before off
	if i == 0 {
		return off
	}
	r := i - 1
	bEnd, uEnd := x.runeByte[r]+int(x.runeBytes[r]), x.runeU16[r]+int(x.runeUnits[r])
	if off < bEnd {
		return x.runeU16[r]
	}
	return uEnd + off - bEnd
}

// byteAt converts a UTF-16 offset back to a byte offset.
func (x *textIndex) byteAt(u int) int {
	i := sort.SearchInts(x.runeU16, u) // runes starting before u
	if i == 0 {
		return u
	}
	r := i - 1
	bEnd, uEnd := x.runeByte[r]+int(x.runeBytes[r]), x.runeU16[r]+int(x.runeUnits[r])
	if u < uEnd {
		return x.runeByte[r]
	}
	return bEnd + u - uEnd
}

type remapper struct {
	genText, origText string
	gen, orig         *textIndex
	m                 *mapping
}

func newRemapper(gen, orig string, m *mapping) *remapper {
	return &remapper{genText: gen, origText: orig, gen: newTextIndex(gen), orig: newTextIndex(orig), m: m}
}

// remap maps a byte offset of the generated text to the original: the
// nearest mapping at or before it on its line, moved forward by the
// distance from it when the text in between is the same on both sides
// (esbuild maps tokens, not every byte; its own helper code maps to the
// start of the file and stays there).
func (r *remapper) remap(off int) (int, bool) {
	if off < 0 || off > r.gen.n {
		return 0, false
	}
	line := r.gen.line(off)
	if line+1 >= len(r.m.lineStart) {
		return 0, false
	}
	col := r.gen.u16(off) - r.gen.u16(r.gen.starts[line])
	segs := r.m.segs[r.m.lineStart[line]:r.m.lineStart[line+1]]
	k := sort.Search(len(segs), func(i int) bool { return int(segs[i].genCol) > col }) - 1
	if k < 0 || segs[k].srcLine < 0 || int(segs[k].srcLine) >= len(r.orig.starts) {
		return 0, false
	}
	s := segs[k]
	start := r.orig.starts[s.srcLine]
	o := r.orig.byteAt(r.orig.u16(start) + int(s.srcCol))
	g := r.gen.byteAt(r.gen.u16(r.gen.starts[line]) + int(s.genCol))
	if d := off - g; d > 0 && o+d <= len(r.origText) && g >= 0 && r.genText[g:off] == r.origText[o:o+d] {
		o += d
	}
	return min(max(o, 0), len(r.origText)), true
}
