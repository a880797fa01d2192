package sourcemap

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
)

// segment is one decoded mapping. int32 fields keep it at 20 bytes: a big
// map has millions of them, all in one slice.
type segment struct {
	genCol   int32 // UTF-16 column on the generated line
	src      int32 // index into the part's sources; -1 when the segment has none
	origLine int32 // 0-based
	origCol  int32 // 0-based, UTF-16
	name     int32 // index into the part's names; -1 when none
}

// decoded is the mappings field of one regular map.
type decoded struct {
	// lines[l]:lines[l+1] is the range of segs on generated line l, sorted
	// by genCol; len(lines) is the number of lines + 1.
	lines []int32
	segs  []segment
	// dropped counts segments that were well-formed VLQ but pointed outside
	// sources or names, or at a negative position.
	dropped int
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

// decodeMappings decodes a "mappings" string (ECMA-426, "Mappings structure"). Relative
// fields carry over as the spec says: the generated column restarts at 0 on
// each line, the source, original line, original column and name carry
// across lines. Malformed VLQ (bad digit, truncated value, value beyond 32
// bits, a segment with 2, 3 or more than 5 fields) is an error; a segment
// whose indices or positions are out of range is dropped and counted, and
// the running state still absorbs its deltas so later segments stay right.
func decodeMappings(m []byte, nSources, nNames int) (decoded, error) {
	semis := bytes.Count(m, []byte{';'})
	commas := bytes.Count(m, []byte{','})
	// A segment needs a separator before it (or the line start) and at
	// least one digit, so this bound is exact for well-formed maps and
	// keeps ";;;;" or ",,,," from reserving segments that never come.
	est := min(commas+semis+1, len(m)-commas-semis)
	d := decoded{
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
			return decoded{}, err
		}
		genCol += v
		seg := segment{genCol: int32(genCol), src: -1, name: -1}
		ok := inInt32(genCol)
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
			src += d1
			oLine += d2
			oCol += d3
			ok = ok && src >= 0 && src < int64(nSources) && inInt32(oLine) && inInt32(oCol)
			seg.src, seg.origLine, seg.origCol = int32(src), int32(oLine), int32(oCol)
			if !atSep(m, i) {
				if v, i, err = field(m, i); err != nil {
					return decoded{}, err
				}
				if !atSep(m, i) {
					return decoded{}, fmt.Errorf("mappings offset %d: segment has more than 5 fields", segStart)
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
