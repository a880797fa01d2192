package sourcemap

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
)

// segment is one decoded mapping. int32 fields keep it at 20 bytes.
type segment struct {
	genCol   int32 // UTF-16 column on the generated line
	src      int32 // index into the part's sources; -1 when the segment has none
	origLine int32 // 0-based
	origCol  int32 // 0-based, UTF-16
	name     int32 // index into the part's names; -1 when none
}

// cpEvery is the most segments between two checkpoints, so the most a Find
// decodes. A checkpoint is 24 bytes: 16 segments per checkpoint keep the
// index near 1.5 bytes per segment (a segment is about 6 bytes of text),
// against 20 for a decoded segment. On three.js×10 (1.3 million segments)
// the index is 2 MB instead of 26.
const cpEvery = 16

// decoded is the mappings field of one regular map. Parse validates the
// whole string but keeps only checkpoints into it; Find decodes the few
// segments between the checkpoint before a position and the position.
//
// Most lines are plain: sorted by column, with no dropped segment, and
// running fields that fit 32 bits at their checkpoints. The other lines
// (rare in real maps) are decoded eagerly into eagerSegs. A
// segment gets a checkpoint when cpEvery segments have passed since the
// last one, when it is the first after a line that is not plain, and when
// the separators before it are not exactly one ',' or ';' (the first
// segment, or empty lines or segments before it). So Find, from the
// checkpoint before a position on a plain line, decodes fewer than cpEvery
// segments of plain lines, and stops at a run of separators: the segment
// after it has the next checkpoint.
type decoded struct {
	// m is the mappings text, validated by Parse.
	m []byte
	// lines[l] is where generated line l starts in m and in cps; the last
	// entry is {len(m)+1, len(cps)}, as if m ended with ';'.
	lines []lineInfo
	// cps are the checkpoints, in increasing offset order. None lies on a
	// line that is not plain.
	cps []checkpoint
	// eagerLines lists the lines that are not plain, in increasing order;
	// eagerSegs[eagerStart[i]:eagerStart[i+1]] are the kept segments of
	// eagerLines[i], stably sorted by genCol.
	eagerLines []int32
	eagerStart []int32
	eagerSegs  []segment
	// dropped counts segments that were well-formed VLQ but pointed outside
	// sources or names, or at a negative position.
	dropped int
}

// lineInfo is where a generated line starts.
type lineInfo struct {
	off uint32 // offset in the mappings text
	cp  uint32 // index of the first checkpoint at or after off
}

// checkpoint is where decoding can resume: a segment's offset in the
// mappings text with the running fields before it. The running fields are
// sums of deltas, which a hostile map can push beyond 32 bits and back: a
// line with a checkpoint where they do is decoded eagerly.
type checkpoint struct {
	off    uint32 // offset of the segment in the mappings text
	genCol int32  // the segment's own generated column
	// The running fields before the segment.
	src, oLine, oCol, name int32
}

// state is the running value of each segment field.
type state struct{ genCol, src, oLine, oCol, name int64 }

// step decodes the segment at m[i], which Parse validated, into st and
// returns the offset after it and its number of fields.
func (st *state) step(m []byte, i int) (int, int) {
	var v int64
	v, i = validVLQ(m, i)
	st.genCol += v
	if atSep(m, i) {
		return i, 1
	}
	v, i = validVLQ(m, i)
	st.src += v
	v, i = validVLQ(m, i)
	st.oLine += v
	v, i = validVLQ(m, i)
	st.oCol += v
	if atSep(m, i) {
		return i, 4
	}
	v, i = validVLQ(m, i)
	st.name += v
	return i, 5
}

// validVLQ decodes the VLQ value at m[i], which Parse validated (vlq
// checks it), and returns it with the index after it.
func validVLQ(m []byte, i int) (int64, int) {
	d := b64[m[i]]
	i++
	acc := uint64(d & 31)
	for shift := uint(5); d&32 != 0; shift += 5 {
		d = b64[m[i]]
		i++
		acc |= uint64(d&31) << shift
	}
	if acc&1 != 0 {
		return -int64(acc >> 1), i
	}
	return int64(acc >> 1), i
}

// segment returns the segment that st holds after a step of n fields.
func (st *state) segment(n int) segment {
	s := segment{genCol: int32(st.genCol), src: -1, name: -1}
	if n >= 4 {
		s.src, s.origLine, s.origCol = int32(st.src), int32(st.oLine), int32(st.oCol)
	}
	if n == 5 {
		s.name = int32(st.name)
	}
	return s
}

// b64 maps a base64 digit to its value and every other byte to 0xFF.
var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(alphabet) {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// decodeMappings validates a "mappings" string (ECMA-426, "Mappings
// structure") and indexes it for find. Relative fields carry over as the
// spec says: the generated column restarts at 0 on each line, the source,
// original line, original column and name carry across lines. Malformed
// VLQ (bad digit, truncated value, value beyond 32 bits, a segment with 2,
// 3 or more than 5 fields) is an error; a segment whose indices or
// positions are out of range is dropped and counted, and the running state
// still absorbs its deltas so later segments stay right.
//
// It is long on purpose: its loop runs for every segment of a 10 MB
// mappings string, and a part of it moved into a function of its own costs
// a call per segment (validating a segment in its own function made the
// decode 2-9% slower, measured round-robin on the benchmark bundle's
// mappings).
func decodeMappings(m []byte, nSources, nNames int) (decoded, error) {
	if len(m) >= math.MaxUint32 {
		return decoded{}, fmt.Errorf("mappings are %d bytes, too long", len(m))
	}
	semis := bytes.Count(m, []byte{';'})
	commas := bytes.Count(m, []byte{','})
	// A segment needs a separator before it (or the line start) and at
	// least one digit, so this bound is exact for well-formed maps and
	// keeps ";;;;" or ",,,," from reserving segments that never come.
	segs := min(commas+semis+1, len(m)-commas-semis)
	d := decoded{
		m:     m,
		lines: make([]lineInfo, 1, semis+2),
		cps:   make([]checkpoint, 0, segs/cpEvery+1),
	}
	var st state
	// The line being read: its start, the state there, the checkpoints
	// before it, its kept segments and the column of the last one.
	lineStart, lineState, lineCps, kept, lastCol := 0, st, 0, 0, int64(0)
	// plain: the line (so far) is plain; prevPlain: the previous line was.
	plain, prevPlain := true, false
	sinceCp := 0 // segments since the last checkpoint
	// prevEnd is the offset after the previous segment; -2 makes the first
	// segment look as if it followed a run of separators.
	prevEnd := -2
	endLine := func(end int) {
		if !plain {
			d.cps = d.cps[:lineCps]
			d.decodeEager(len(d.lines)-1, lineStart, end, lineState, kept, nSources, nNames)
		}
		prevPlain = plain
		d.lines = append(d.lines, lineInfo{off: uint32(end + 1), cp: uint32(len(d.cps))})
		lineStart, lineState, lineCps, kept, plain = end+1, st, len(d.cps), 0, true
	}
	for i := 0; i < len(m); {
		switch m[i] {
		case ';':
			st.genCol = 0
			endLine(i)
			i++
			continue
		case ',':
			// An empty segment (",,") is not in the grammar, but Mozilla's
			// and Chrome's decoders skip it silently; so do we.
			i++
			continue
		}
		// The fields are decoded one by one, not in a loop over a field
		// array: the unrolled form decodes 1.2 to 1.3 times as fast.
		segStart, before := i, st
		var v, d1, d2, d3 int64
		var err error
		if v, i, err = field(m, i); err != nil {
			return decoded{}, err
		}
		st.genCol += v
		ok := inInt32(st.genCol)
		if !atSep(m, i) {
			if d1, i, err = field(m, i); err != nil {
				return decoded{}, err
			}
			if atSep(m, i) {
				return decoded{}, fmt.Errorf("mappings offset %d: segment has 2 fields, want 1, 4 or 5", segStart)
			}
			if d2, i, err = field(m, i); err != nil {
				return decoded{}, err
			}
			if atSep(m, i) {
				return decoded{}, fmt.Errorf("mappings offset %d: segment has 3 fields, want 1, 4 or 5", segStart)
			}
			if d3, i, err = field(m, i); err != nil {
				return decoded{}, err
			}
			st.src += d1
			st.oLine += d2
			st.oCol += d3
			ok = ok && st.src >= 0 && st.src < int64(nSources) && inInt32(st.oLine) && inInt32(st.oCol)
			if !atSep(m, i) {
				if v, i, err = field(m, i); err != nil {
					return decoded{}, err
				}
				if !atSep(m, i) {
					return decoded{}, fmt.Errorf("mappings offset %d: segment has more than 5 fields", segStart)
				}
				st.name += v
				ok = ok && st.name >= 0 && st.name < int64(nNames)
			}
		}
		if sinceCp++; sinceCp >= cpEvery || segStart-prevEnd != 1 || segStart == lineStart && !prevPlain {
			d.cps = push(d.cps, checkpoint{
				off: uint32(segStart), genCol: int32(st.genCol),
				src: int32(before.src), oLine: int32(before.oLine), oCol: int32(before.oCol), name: int32(before.name),
			})
			sinceCp = 0
			if !fits32(before.src) || !fits32(before.oLine) || !fits32(before.oCol) || !fits32(before.name) {
				plain = false
			}
		}
		prevEnd = i
		if !ok {
			d.dropped++
			plain = false
			continue
		}
		if kept > 0 && lastCol > st.genCol {
			plain = false
		}
		kept++
		lastCol = st.genCol
	}
	endLine(len(m))
	if cap(d.cps) > len(d.cps)+len(d.cps)/4 {
		d.cps = slices.Clone(d.cps)
	}
	return d, nil
}

// decodeEager appends the kept segments of line l, m[start:end], to the
// eager table, stably sorted by column; st is the running state at start,
// and kept the number of segments to keep.
func (d *decoded) decodeEager(l, start, end int, st state, kept, nSources, nNames int) {
	if len(d.eagerStart) == 0 {
		d.eagerStart = append(d.eagerStart, 0)
	}
	first := len(d.eagerSegs)
	if n := len(d.eagerSegs) + kept; n > cap(d.eagerSegs) {
		// Not slices.Grow: under -race it allocates a temporary of the
		// size of the growth too.
		grown := make([]segment, len(d.eagerSegs), max(n, 2*cap(d.eagerSegs)))
		copy(grown, d.eagerSegs)
		d.eagerSegs = grown
	}
	for i := start; i < end; {
		if d.m[i] == ',' {
			i++
			continue
		}
		var n int
		i, n = st.step(d.m, i)
		ok := inInt32(st.genCol)
		if n >= 4 {
			ok = ok && st.src >= 0 && st.src < int64(nSources) && inInt32(st.oLine) && inInt32(st.oCol)
		}
		if n == 5 {
			ok = ok && st.name >= 0 && st.name < int64(nNames)
		}
		if ok {
			d.eagerSegs = append(d.eagerSegs, st.segment(n))
		}
	}
	// Unsorted lines are legal; a stable sort keeps the last of equal
	// columns last, which is what Find (and Node's findEntry) pick.
	slices.SortStableFunc(d.eagerSegs[first:], func(a, b segment) int { return cmp.Compare(a.genCol, b.genCol) })
	d.eagerLines = append(d.eagerLines, int32(l))
	d.eagerStart = append(d.eagerStart, int32(len(d.eagerSegs)))
}

// cursor is where a find ended: a segment, its line and the running
// fields after it. The next find on the same line at or after that
// segment's column resumes there instead of at a checkpoint, so lookups in
// increasing order (a walk of the bundle's AST) decode each segment about
// once. It is a hint, and used by one goroutine at a time (see Map.cursors).
type cursor struct {
	d         *decoded
	line      int
	off, next int   // offsets of the segment and after it
	st        state // running fields after the segment
	n         int   // its number of fields
	cp        int   // index of the first checkpoint after the segment
}

// find returns the last segment of line (in the part's own coordinates)
// with genCol <= col: the greatest column, and of equal columns the last
// in the mappings text. c, which may be nil, is read and updated.
func (d *decoded) find(line, col int, c *cursor) (segment, bool) {
	if line >= len(d.lines)-1 {
		return segment{}, false
	}
	if len(d.eagerLines) > 0 {
		if k, ok := slices.BinarySearch(d.eagerLines, int32(line)); ok {
			return d.findEager(k, col)
		}
	}
	start, end := int(d.lines[line].off), int(d.lines[line+1].off)-1
	if start >= end {
		return segment{}, false // an empty line
	}
	cps := d.cps
	lo, hi := int(d.lines[line].cp), int(d.lines[line+1].cp)
	var (
		st, best        state
		n, bestN        int
		i, off, bestOff int
		k               int
		inLine          bool
	)
	if c != nil && c.d == d && c.line == line && c.st.genCol <= int64(col) && (c.cp >= hi || int(cps[c.cp].genCol) > col) {
		// Resume at the cursor: on the line, at or before col, and with
		// no checkpoint at or before col after it.
		st, n, off, i, k, inLine = c.st, c.n, c.off, c.next, c.cp-1, true
	} else {
		k = lo + searchCol(hi-lo, col, func(i int) int32 { return cps[lo+i].genCol }) - 1
		inLine = k >= lo
		if !inLine {
			// Unless the line starts with a segment that has no
			// checkpoint, its first segment has one, after col.
			if d.m[start] == ',' || lo < hi && int(cps[lo].off) == start || k < 0 {
				return segment{}, false
			}
		}
		// Start at checkpoint k: the last one on the line at or before
		// col, or else the one before the line, from which only single
		// separators and plain lines lead to it (see decoded).
		cp := &cps[k]
		st = state{src: int64(cp.src), oLine: int64(cp.oLine), oCol: int64(cp.oCol), name: int64(cp.name)}
		off = int(cp.off)
		i, n = st.step(d.m, off)
		st.genCol = int64(cp.genCol)
	}
	bestNext := 0
	for {
		if inLine {
			if st.genCol > int64(col) {
				break
			}
			best, bestN, bestOff, bestNext = st, n, off, i
		}
		if i >= len(d.m) {
			break
		}
		if d.m[i] == ';' {
			if inLine {
				break
			}
			st.genCol = 0
			inLine = i+1 == start
		}
		// A run of separators: the next segment has the next checkpoint,
		// which is after col or after the line.
		if i++; atSep(d.m, i) {
			break
		}
		off = i
		i, n = st.step(d.m, i)
	}
	if bestN == 0 {
		return segment{}, false
	}
	if c != nil {
		// The scan stopped before checkpoint k+1.
		*c = cursor{d: d, line: line, off: bestOff, next: bestNext, st: best, n: bestN, cp: k + 1}
	}
	return best.segment(bestN), true
}

// findEager is find on a line that is not plain, eagerLines[k], whose
// segments are decoded and sorted.
func (d *decoded) findEager(k, col int) (segment, bool) {
	segs := d.eagerSegs[d.eagerStart[k]:d.eagerStart[k+1]]
	i := searchCol(len(segs), col, func(i int) int32 { return segs[i].genCol })
	if i == 0 {
		return segment{}, false
	}
	return segs[i-1], true
}

// searchCol returns the number of leading entries of a column-sorted list
// of n entries whose column is <= col.
func searchCol(n, col int, colAt func(int) int32) int {
	lo, hi := 0, n
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if int(colAt(h)) <= col {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

// atSep reports whether the segment ends at m[i].
func atSep(m []byte, i int) bool { return i >= len(m) || m[i] == ',' || m[i] == ';' }

// field decodes one VLQ value at m[i]. It is small enough to be inlined,
// so the one-digit case (most deltas) costs a table lookup.
func field(m []byte, i int) (int64, int, error) {
	if i < len(m) {
		if v := oneDigit[m[i]]; v != notOneDigit {
			return int64(v), i + 1, nil
		}
	}
	return vlq(m, i)
}

// oneDigit maps a base64 digit without continuation bit to its signed VLQ
// value (-15..15), and every other byte to notOneDigit.
const notOneDigit = 127

var oneDigit = func() (t [256]int8) {
	for c := range t {
		t[c] = notOneDigit
		if d := b64[c]; d < 32 {
			t[c] = int8(d >> 1)
			if d&1 != 0 {
				t[c] = -t[c]
			}
		}
	}
	return t
}()

// fits32 reports whether v fits in an int32.
func fits32(v int64) bool { return v >= math.MinInt32 && v <= math.MaxInt32 }

// inInt32 reports whether v is a valid position: non-negative and 32-bit.
// The running sums are int64, so they cannot overflow for any input under
// 2 GiB (at most 2^31 deltas of at most 2^31 each).
func inInt32(v int64) bool { return v >= 0 && v <= math.MaxInt32 }

// vlq decodes one base64 VLQ value starting at m[i] and returns it with the
// index after it. Values are limited to 32 bits (ECMA-426, "Base64 VLQ"): at most
// 7 digits, magnitude at most 2^31-1 (2^31 when negative).
func vlq(m []byte, i int) (int64, int, error) {
	start := i
	var acc uint64
	for shift := uint(0); ; shift += 5 {
		if i >= len(m) || m[i] == ',' || m[i] == ';' {
			return 0, i, fmt.Errorf("mappings offset %d: truncated VLQ value", start)
		}
		d := b64[m[i]]
		if d == 0xFF {
			return 0, i, fmt.Errorf("mappings offset %d: invalid base64 digit %q", i, m[i])
		}
		if shift > 30 {
			return 0, i, fmt.Errorf("mappings offset %d: VLQ value exceeds 32 bits", start)
		}
		acc |= uint64(d&31) << shift
		i++
		if d&32 == 0 {
			break
		}
	}
	mag := int64(acc >> 1)
	if acc&1 != 0 {
		if mag > 1<<31 {
			return 0, i, fmt.Errorf("mappings offset %d: VLQ value exceeds 32 bits", start)
		}
		return -mag, i, nil
	}
	if mag > math.MaxInt32 {
		return 0, i, fmt.Errorf("mappings offset %d: VLQ value exceeds 32 bits", start)
	}
	return mag, i, nil
}
