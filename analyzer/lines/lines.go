// Package lines converts between byte offsets in a bundle and the
// (line, UTF-16 column) positions that source maps and editors use.
//
// Lines end at any ECMAScript LineTerminatorSequence (ECMA-262 §12.3):
// "\n", "\r\n", a lone "\r", U+2028 and U+2029. Columns count UTF-16 code
// units, so an astral character (4 bytes of UTF-8) is 2 columns and a BMP
// character (2 or 3 bytes) is 1. A byte that is not part of valid UTF-8
// counts as one code unit, the way a decoder that substitutes U+FFFD for
// each bad byte would see it. A byte order mark that starts the text takes
// no column: browsers drop it when they decode a script, so the columns of
// its source map, and of editors, start after it.
//
// Minified bundles are often one 8 MB line, so an Index never rescans a
// line from its start: pure-ASCII lines (the common case) convert by
// subtraction, and lines with non-ASCII text keep a checkpoint every
// checkpointGap bytes, so a query scans at most that many bytes.
package lines

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// checkpointGap is the largest stretch of a non-ASCII line scanned per query.
const checkpointGap = 256

// Index is a line index over one text. It is immutable once built and safe
// for concurrent use.
type Index struct {
	src string
	// starts[i] is the byte offset where line i begins; there is always at
	// least one line, even in an empty text.
	starts []int
	// wide lists the lines that contain a non-ASCII byte, sorted by line.
	wide []wideLine
	// cps holds the checkpoints of all wide lines, line after line.
	cps []checkpoint
}

// wideLine records where ASCII stops on a line that has non-ASCII text.
type wideLine struct {
	line int
	// first is the byte offset of the line's first non-ASCII byte; before
	// it, columns equal byte distances from the line start.
	first int
	// cps[lo:hi] are this line's checkpoints; the first one is at first.
	lo, hi int
}

// checkpoint pairs a byte offset (at a character boundary) with its column.
type checkpoint struct {
	off   int // byte offset in src
	col16 int // UTF-16 column of off on its line
}

// New indexes src. It reads src once.
func New(src string) *Index {
	// Sized by the \n count (a fast scan): the line starts of megabytes of
	// sources would otherwise be copied over and over as the slice grows.
	starts := make([]int, 1, strings.Count(src, "\n")+2)
	x := &Index{src: src, starts: starts}
	line, start := 0, 0
	wide := false // current line has non-ASCII text
	col16, lastCP := 0, 0
	i := 0
	if len(src) >= 3 && src[:3] == "\uFEFF" {
		// The BOM is zero columns wide: checkpoints before and after it.
		wide = true
		x.wide = append(x.wide, wideLine{line: 0, first: 0, lo: 0})
		x.cps = append(x.cps, checkpoint{0, 0}, checkpoint{3, 0})
		i, lastCP = 3, 3
	}
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if c == '\n' || c == '\r' {
				if c == '\r' && i+1 < len(src) && src[i+1] == '\n' {
					i++
				}
				i++
				x.endLine(&wide)
				line, start = line+1, i
				x.starts = append(x.starts, i)
				continue
			}
			i++
			col16++
			if wide && i-lastCP >= checkpointGap {
				x.cps = append(x.cps, checkpoint{i, col16})
				lastCP = i
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == '\u2028' || r == '\u2029' {
			i += size
			x.endLine(&wide)
			line, start = line+1, i
			x.starts = append(x.starts, i)
			continue
		}
		if !wide {
			wide = true
			col16 = i - start
			x.wide = append(x.wide, wideLine{line: line, first: i, lo: len(x.cps)})
			x.cps = append(x.cps, checkpoint{i, col16})
			lastCP = i
		}
		i += size
		col16 += units(r, size)
		if i-lastCP >= checkpointGap {
			x.cps = append(x.cps, checkpoint{i, col16})
			lastCP = i
		}
	}
	x.endLine(&wide)
	return x
}

// endLine closes the checkpoint list of the current line if it is wide.
func (x *Index) endLine(wide *bool) {
	if *wide {
		x.wide[len(x.wide)-1].hi = len(x.cps)
		*wide = false
	}
}

// units is the number of UTF-16 code units of a decoded rune; invalid bytes
// (RuneError with size 1) count as one.
func units(r rune, size int) int {
	if size == 4 && r > 0xFFFF {
		return 2
	}
	return 1
}

// Text returns the text the index is over.
func (x *Index) Text() string { return x.src }

// Lines returns the number of lines (at least 1).
func (x *Index) Lines() int { return len(x.starts) }

// Line returns the text of line n without its terminator, or "" when n is
// out of range.
func (x *Index) Line(n int) string {
	if n < 0 || n >= len(x.starts) {
		return ""
	}
	return x.src[x.starts[n]:x.lineEnd(n)]
}

// LineStart returns the byte offset where line n begins, or -1 when n is
// out of range.
func (x *Index) LineStart(n int) int {
	if n < 0 || n >= len(x.starts) {
		return -1
	}
	return x.starts[n]
}

// lineEnd is the byte offset of line n's terminator (or the text's end).
func (x *Index) lineEnd(n int) int {
	if n+1 >= len(x.starts) {
		return len(x.src)
	}
	next := x.starts[n+1]
	switch x.src[next-1] {
	case '\n':
		if next-2 >= x.starts[n] && x.src[next-2] == '\r' {
			return next - 2
		}
		return next - 1
	case '\r':
		return next - 1
	}
	return next - 3 // U+2028 or U+2029, 3 bytes of UTF-8
}

// Position returns the 0-based line and 0-based UTF-16 column of byte
// offset off. Offsets are clamped to [0, len(src)]; an offset inside a line
// terminator is reported at the end of its line, and one inside a multi-byte
// character at that character's first column.
func (x *Index) Position(off int) (line, col16 int) {
	off = max(0, min(off, len(x.src)))
	line = sort.SearchInts(x.starts, off+1) - 1
	start := x.starts[line]
	off = min(off, x.lineEnd(line))
	w, ok := x.wideLine(line)
	if !ok || off <= w.first {
		return line, off - start
	}
	cps := x.cps[w.lo:w.hi]
	k := sort.Search(len(cps), func(i int) bool { return cps[i].off > off }) - 1
	cp := cps[k]
	p, col := cp.off, cp.col16
	for p < off {
		c := x.src[p]
		if c < utf8.RuneSelf {
			p++
			col++
			continue
		}
		r, size := utf8.DecodeRuneInString(x.src[p:])
		if p+size > off {
			break // off is inside this character
		}
		p += size
		col += units(r, size)
	}
	return line, col
}

// Offset returns the byte offset of 0-based line and UTF-16 column col16.
// It reports false when the line does not exist or the column lies past the
// line's end (the end itself, where the terminator starts, is valid). A
// column that falls between the two halves of a surrogate pair maps to the
// start of that character.
func (x *Index) Offset(line, col16 int) (int, bool) {
	if line < 0 || line >= len(x.starts) || col16 < 0 {
		return 0, false
	}
	start, end := x.starts[line], x.lineEnd(line)
	w, ok := x.wideLine(line)
	if !ok || col16 <= w.first-start {
		if start+col16 > end {
			return 0, false
		}
		return start + col16, true
	}
	cps := x.cps[w.lo:w.hi]
	k := sort.Search(len(cps), func(i int) bool { return cps[i].col16 > col16 }) - 1
	cp := cps[k]
	p, col := cp.off, cp.col16
	for col < col16 {
		if p >= end {
			return 0, false
		}
		c := x.src[p]
		if c < utf8.RuneSelf {
			p++
			col++
			continue
		}
		r, size := utf8.DecodeRuneInString(x.src[p:])
		n := units(r, size)
		if col+n > col16 {
			break // col16 is the low half of a surrogate pair
		}
		p += size
		col += n
	}
	return p, true
}

// wideLine finds the checkpoint record of line, if the line has non-ASCII text.
func (x *Index) wideLine(line int) (wideLine, bool) {
	i := sort.Search(len(x.wide), func(i int) bool { return x.wide[i].line >= line })
	if i < len(x.wide) && x.wide[i].line == line {
		return x.wide[i], true
	}
	return wideLine{}, false
}
