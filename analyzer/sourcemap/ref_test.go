package sourcemap

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
)

// refDecoded is every segment of a mappings string, decoded eagerly: the
// reference that the checkpointed decoder must agree with.
type refDecoded struct {
	// lines[l]:lines[l+1] is the range of segs on generated line l, sorted
	// by genCol; len(lines) is the number of lines + 1.
	lines   []int32
	segs    []segment
	dropped int
}

// refDecode is the eager decoder Parse used before checkpoints: it decodes a "mappings" string (ECMA-426, "Mappings structure"). Relative
// fields carry over as the spec says: the generated column restarts at 0 on
// each line, the source, original line, original column and name carry
// across lines. Malformed VLQ (bad digit, truncated value, value beyond 32
// bits, a segment with 2, 3 or more than 5 fields) is an error; a segment
// whose indices or positions are out of range is dropped and counted, and
// the running state still absorbs its deltas so later segments stay right.
func refDecode(m []byte, nSources, nNames int) (refDecoded, error) {
	semis := bytes.Count(m, []byte{';'})
	commas := bytes.Count(m, []byte{','})
	// A segment needs a separator before it (or the line start) and at
	// least one digit, so this bound is exact for well-formed maps and
	// keeps ";;;;" or ",,,," from reserving segments that never come.
	est := min(commas+semis+1, len(m)-commas-semis)
	d := refDecoded{
		lines: make([]int32, 1, semis+2),
		segs:  make([]segment, 0, est),
	}
	var genCol, src, oLine, oCol, name int64
	lineStart, sorted := 0, true
	endLine := func() {
		if !sorted {
			// Unsorted lines are legal; a stable sort keeps the last of
			// equal columns last, which is what Find (and Node's
			// findEntry) pick.
			slices.SortStableFunc(d.segs[lineStart:], func(a, b segment) int { return cmp.Compare(a.genCol, b.genCol) })
		}
		d.lines = append(d.lines, int32(len(d.segs)))
		lineStart, sorted = len(d.segs), true
	}
	for i := 0; i < len(m); {
		switch m[i] {
		case ';':
			endLine()
			genCol = 0
			i++
			continue
		case ',':
			// An empty segment (",,") is not in the grammar, but Mozilla's
			// and Chrome's decoders skip it silently; so do we.
			i++
			continue
		}
		// The fields are decoded one by one, not in a loop over a field
		// array: this loop runs for every segment of a 10 MB mappings
		// string, and the unrolled form is about twice as fast.
		segStart := i
		var v, d1, d2, d3 int64
		var err error
		if v, i, err = field(m, i); err != nil {
			return refDecoded{}, err
		}
		genCol += v
		seg := segment{genCol: int32(genCol), src: -1, name: -1}
		ok := inInt32(genCol)
		if !atSep(m, i) {
			if d1, i, err = field(m, i); err != nil {
				return refDecoded{}, err
			}
			if atSep(m, i) {
				return refDecoded{}, fmt.Errorf("mappings offset %d: segment has 2 fields, want 1, 4 or 5", segStart)
			}
			if d2, i, err = field(m, i); err != nil {
				return refDecoded{}, err
			}
			if atSep(m, i) {
				return refDecoded{}, fmt.Errorf("mappings offset %d: segment has 3 fields, want 1, 4 or 5", segStart)
			}
			if d3, i, err = field(m, i); err != nil {
				return refDecoded{}, err
			}
			src += d1
			oLine += d2
			oCol += d3
			ok = ok && src >= 0 && src < int64(nSources) && inInt32(oLine) && inInt32(oCol)
			seg.src, seg.origLine, seg.origCol = int32(src), int32(oLine), int32(oCol)
			if !atSep(m, i) {
				if v, i, err = field(m, i); err != nil {
					return refDecoded{}, err
				}
				if !atSep(m, i) {
					return refDecoded{}, fmt.Errorf("mappings offset %d: segment has more than 5 fields", segStart)
				}
				name += v
				ok = ok && name >= 0 && name < int64(nNames)
				seg.name = int32(name)
			}
		}
		if !ok {
			d.dropped++
			continue
		}
		if len(d.segs) > lineStart && d.segs[len(d.segs)-1].genCol > seg.genCol {
			sorted = false
		}
		d.segs = append(d.segs, seg)
	}
	endLine()
	return d, nil
}

// find is Find's lookup in one part before checkpoints: the last segment of
// line with genCol <= col.
func (d *refDecoded) find(line, col int) (segment, bool) {
	if line >= len(d.lines)-1 {
		return segment{}, false
	}
	segs := d.segs[d.lines[line]:d.lines[line+1]]
	i, j := 0, len(segs) // col+1 may overflow: no slices.BinarySearch
	for i < j {
		h := int(uint(i+j) >> 1)
		if int(segs[h].genCol) <= col {
			i = h + 1
		} else {
			j = h
		}
	}
	if i == 0 {
		return segment{}, false
	}
	return segs[i-1], true
}
