// Package sourcemap decodes source maps (ECMA-426, "v3") for lookups from a
// generated position to the original one, and finds a bundle's map on disk
// (see Locate).
//
// It is built for big, possibly hostile maps. Parse walks the JSON once and
// never builds the sourcesContent strings (most of a big map's bytes): it
// keeps their byte ranges and SourceContent decodes one on demand. Parse
// validates the mappings but keeps only a checkpoint every few segments,
// from which Find decodes the few segments it needs; names are resolved by
// index only when Find returns a Mapping. Memory stays proportional to the
// input, and far below it; malformed input is an error, never a panic.
package sourcemap

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
)

// maxSectionDepth bounds index maps nested in index maps. Generators nest
// rarely if ever; the bound keeps a hostile map from recursing without end.
const maxSectionDepth = 8

// Map is a decoded source map. It is immutable and safe for concurrent use.
type Map struct {
	file string
	// data is the map's text, kept for SourceContent; nil when the map has
	// no sourcesContent. Each part's mappings text may point into it too.
	data []byte
	// sources holds the sources of every part, with sourceRoot applied; a
	// part's own index i is sources[part.srcBase+i].
	sources []string
	// contents[i] is the raw JSON string of sourcesContent for sources[i].
	contents []span
	dropped  int
	root     part

	// decodedMu guards decoded, the sourcesContent strings decoded so far:
	// several stages read the same sources (declarations, code frames,
	// suppressions), and decoding a big source costs milliseconds.
	decodedMu sync.Mutex
	decoded   map[int]string

	// cursors holds *cursor hints for Find. A goroutine gets back the
	// cursor it put most of the time, so a walk that looks positions up in
	// order resumes where its last lookup ended, and concurrent walks do
	// not share one.
	cursors sync.Pool
}

// part is a regular map, or an index map's list of sections.
type part struct {
	srcBase  int
	names    []string
	dec      decoded
	sections []section // non-nil for an index map
}

// section is one entry of an index map: a map placed at a generated offset.
type section struct {
	line, col int // offset; col applies to the section's first line only
	part      *part
}

// Mapping is the segment found for a generated position.
type Mapping struct {
	// GenLine and GenCol are the segment's own position (0-based; GenCol in
	// UTF-16 code units), so callers can tell an exact hit from a preceding
	// segment.
	GenLine, GenCol int
	// Source is sources[SourceIndex] with sourceRoot applied as ECMA-426
	// says (prefixed, with a '/' added when the root lacks one), not
	// normalized; "" when SourceIndex is -1 or the entry is null.
	Source string
	// SourceIndex indexes Sources(); -1 when the segment maps to no source,
	// and then OrigLine and OrigCol are 0.
	SourceIndex int
	// OrigLine and OrigCol are 0-based; OrigCol counts UTF-16 code units.
	OrigLine, OrigCol int
	// Name is the segment's entry in names, for a 5-field segment
	// (HasName); esbuild emits names only for identifiers it renamed.
	Name    string
	HasName bool
}

// Parse decodes a source map: a regular map or an index map ("sections",
// possibly nested; sections that give a "url" instead of a "map" are
// rejected). The Map keeps a reference to data for SourceContent, so data
// must not be modified afterwards.
//
// Parse returns an error for non-JSON input, missing or mistyped fields, a
// version other than 3 (a missing version is accepted), malformed VLQ in
// mappings, and unsorted sections. Segments that decode but point at a missing source or name, or at a
// negative or out-of-range position, are dropped and counted (see Dropped):
// the rest of such a map is still usable.
func Parse(data []byte) (*Map, error) {
	if len(data) > math.MaxInt32 {
		return nil, fmt.Errorf("sourcemap: map is %d bytes, larger than 2 GiB", len(data))
	}
	data = stripPrefix(data)
	m := &Map{data: data}
	s := &scanner{data: data}
	p, file, err := m.parseObject(s, 0)
	if err != nil {
		return nil, fmt.Errorf("sourcemap: %w", err)
	}
	if s.peek() != 0 {
		return nil, fmt.Errorf("sourcemap: %w", s.errorf("unexpected data after the JSON object"))
	}
	m.root, m.file = *p, file
	if !slices.ContainsFunc(m.contents, func(sp span) bool { return sp.start >= 0 }) {
		m.data, m.contents = nil, nil
		m.root.ownMappings(len(data))
	}
	return m, nil
}

// ownMappings copies the mappings text of every part out of the map text
// when it is less than half of the map's size, so that a map without
// sourcesContent does not keep the rest of its text alive for Find.
func (p *part) ownMappings(size int) {
	var parts []*part
	total := 0
	var walk func(p *part)
	walk = func(p *part) {
		for _, s := range p.sections {
			walk(s.part)
		}
		if p.sections == nil {
			parts = append(parts, p)
			total += len(p.dec.m)
		}
	}
	walk(p)
	if total >= size/2 {
		return
	}
	buf := make([]byte, 0, total)
	for _, p := range parts {
		n := len(buf)
		buf = append(buf, p.dec.m...)
		p.dec.m = buf[n:len(buf):len(buf)]
	}
}

// stripPrefix removes a UTF-8 BOM and the ")]}'" anti-XSSI line that
// ECMA-426 lets a map start with.
func stripPrefix(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if bytes.HasPrefix(data, []byte(")]}'")) {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			return data[i+1:]
		}
		return data[len(data):]
	}
	return data
}

// strSpan is a JSON string (or null) inside the map text.
type strSpan struct {
	span
	escaped bool
}

func (ss strSpan) decode(data []byte) (string, error) {
	if ss.start < 0 {
		return "", nil
	}
	if !ss.escaped {
		return string(data[ss.start:ss.end]), nil
	}
	return unquote(data[ss.start:ss.end])
}

// push appends v, doubling the capacity when full. append grows large
// slices by 1.25x, which allocates about 5x the final size in total while
// reading a huge array; doubling keeps it at 2x.
func push[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		n := make([]T, len(s), 2*len(s)+8)
		copy(n, s)
		s = n
	}
	return append(s, v)
}

// stringArray consumes an array of strings or nulls (null gives "") and
// returns the strings and the indices of the nulls. It reads the array
// twice: once to validate it, count it and find its end, then to fill an
// exact-size slice in which unescaped strings (nearly all) are substrings
// of one copy of the array's text. A huge names array thus costs its text
// plus one string header per entry, with no intermediate ranges.
func (s *scanner) stringArray() ([]string, []int, error) {
	start, n := s.pos, 0
	err := s.array(func() error {
		_, _, err := s.optString()
		n++
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	text := string(s.data[start:s.pos])
	out := make([]string, 0, n)
	var nulls []int
	again := &scanner{data: s.data, pos: start}
	err = again.array(func() error {
		sp, escaped, err := again.optString()
		switch {
		case err != nil:
		case sp.start < 0:
			nulls = append(nulls, len(out))
			out = append(out, "")
		case escaped:
			var str string
			str, err = unquote(s.data[sp.start:sp.end])
			out = append(out, str)
		default:
			out = append(out, text[int(sp.start)-start:int(sp.end)-start])
		}
		return err
	})
	return out, nulls, err
}

// parseObject reads one map object (regular or index) at the cursor,
// appending its sources to m, and returns it with its "file".
func (m *Map) parseObject(s *scanner, depth int) (*part, string, error) {
	if depth > maxSectionDepth {
		return nil, "", s.errorf("index maps nested deeper than %d levels", maxSectionDepth)
	}
	f, err := m.readMembers(s, depth)
	if err != nil {
		return nil, "", err
	}
	if f.version != 3 {
		return nil, "", fmt.Errorf("unsupported source map version %d, want 3", f.version)
	}
	fileStr, err := f.file.decode(s.data)
	if err != nil {
		return nil, "", fmt.Errorf("file: %w", err)
	}
	switch {
	case f.hasSections && f.hasMappings:
		return nil, "", errors.New("map has both sections and mappings")
	case f.hasSections:
		if f.sections == nil {
			f.sections = []section{}
		}
		return &part{sections: f.sections}, fileStr, nil
	case !f.hasMappings:
		return nil, "", errors.New("map has no mappings")
	}
	p, err := m.regularPart(s.data, f)
	if err != nil {
		return nil, "", err
	}
	return p, fileStr, nil
}

// mapMembers are the members of one map object as read, before they are
// checked and decoded. The has* fields say which arrays (and mappings)
// were present, each at most once.
type mapMembers struct {
	version                           int
	file, root, mappings              strSpan
	sources, names                    []string
	nullSources                       []int // indices of the null sources
	contents                          []span
	sections                          []section // of an index map
	hasSections, hasMappings          bool
	hasSources, hasNames, hasContents bool
}

// readMembers reads the members of the map object at the cursor; an index
// map's sections are parsed (and their sources appended to m) on the way.
// Unknown members are skipped.
func (m *Map) readMembers(s *scanner, depth int) (*mapMembers, error) {
	f := &mapMembers{version: 3, file: strSpan{span: absent}, root: strSpan{span: absent}, mappings: strSpan{span: absent}}
	once := func(has *bool, key string) error {
		if *has {
			return s.errorf("duplicate %q", key)
		}
		*has = true
		return nil
	}
	err := s.object(func(k span) error {
		key := string(s.data[k.start:k.end])
		if bytes.IndexByte(s.data[k.start:k.end], '\\') >= 0 {
			var err error
			if key, err = unquote(s.data[k.start:k.end]); err != nil {
				return s.errorf("invalid key")
			}
		}
		var err error
		switch key {
		case "version":
			f.version, err = s.smallInt()
		case "file":
			f.file.span, f.file.escaped, err = s.optString()
		case "sourceRoot":
			f.root.span, f.root.escaped, err = s.optString()
		case "sources":
			if err = once(&f.hasSources, key); err == nil {
				f.sources, f.nullSources, err = s.stringArray()
			}
		case "sourcesContent":
			if err = once(&f.hasContents, key); err == nil {
				f.contents, err = s.contentSpans()
			}
		case "names":
			if err = once(&f.hasNames, key); err == nil {
				f.names, _, err = s.stringArray()
			}
		case "mappings":
			if err = once(&f.hasMappings, key); err == nil {
				if s.peek() != '"' {
					return s.errorf("mappings is not a string")
				}
				f.mappings.span, f.mappings.escaped, err = s.rawStr()
			}
		case "sections":
			if err = once(&f.hasSections, key); err == nil {
				f.sections, err = m.parseSections(s, depth)
			}
		default:
			err = s.skip(0)
		}
		return err
	})
	return f, err
}

// contentSpans consumes the sourcesContent array and returns where each
// string lies in the map text (absent for a null), undecoded.
func (s *scanner) contentSpans() ([]span, error) {
	var contents []span
	err := s.array(func() error {
		if s.literal("null") {
			contents = push(contents, absent)
			return nil
		}
		if s.peek() != '"' {
			return s.errorf("sourcesContent entry is not a string or null")
		}
		sp, _, err := s.rawStr()
		contents = push(contents, sp)
		return err
	})
	return contents, err
}

// regularPart makes the part of a regular map from its members: its
// sources join m's and its mappings are decoded and checked.
func (m *Map) regularPart(data []byte, f *mapMembers) (*part, error) {
	p := &part{srcBase: len(m.sources)}
	if err := m.addSources(data, f.root, f.sources, f.nullSources, f.contents); err != nil {
		return nil, err
	}
	p.names = f.names
	mb := data[f.mappings.start:f.mappings.end]
	if f.mappings.escaped {
		// Only hand-written maps escape base64 digits; decode the JSON
		// string first rather than teaching the VLQ reader about escapes.
		str, err := unquote(mb)
		if err != nil {
			return nil, fmt.Errorf("mappings: %w", err)
		}
		mb = []byte(str)
	}
	var err error
	if p.dec, err = decodeMappings(mb, len(f.sources), len(f.names)); err != nil {
		return nil, err
	}
	m.dropped += p.dec.dropped
	return p, nil
}

// addSources appends a regular map's sources, with sourceRoot applied, and
// their sourcesContent ranges.
func (m *Map) addSources(data []byte, root strSpan, sources []string, nulls []int, contents []span) error {
	prefix, err := root.decode(data)
	if err != nil {
		return fmt.Errorf("sourceRoot: %w", err)
	}
	// ECMA-426 "Resolving sources": a non-empty sourceRoot is prefixed to
	// each non-null source, with a '/' added if it does not end in one
	// (the original v3 text said "prepended"; Mozilla's source-map and
	// Chrome have always inserted the '/', see mozilla/source-map#62).
	if prefix != "" {
		if prefix[len(prefix)-1] != '/' {
			prefix += "/"
		}
		for i := range sources {
			if len(nulls) > 0 && nulls[0] == i {
				nulls = nulls[1:]
				continue
			}
			sources[i] = prefix + sources[i]
		}
	}
	if m.sources == nil {
		m.sources = sources // the common case: a regular map, no copy
	} else {
		m.sources = append(m.sources, sources...)
	}
	m.contents = slices.Grow(m.contents, len(sources))
	for i := range sources {
		c := absent
		if i < len(contents) {
			c = contents[i]
		}
		m.contents = append(m.contents, c)
	}
	return nil
}

// parseSections reads an index map's "sections" array. Each section's
// offset must not precede the previous one (ECMA-426 requires sorted,
// non-overlapping sections; Find relies on the order).
func (m *Map) parseSections(s *scanner, depth int) ([]section, error) {
	var out []section
	err := s.array(func() error {
		sec := section{line: -1, col: -1}
		var hasMap, hasOffset bool
		err := s.object(func(k span) error {
			switch string(s.data[k.start:k.end]) {
			case "offset":
				if hasOffset {
					return s.errorf("duplicate section offset")
				}
				hasOffset = true
				return s.object(func(k span) error {
					var err error
					switch string(s.data[k.start:k.end]) {
					case "line":
						sec.line, err = s.smallInt()
					case "column":
						sec.col, err = s.smallInt()
					default:
						err = s.skip(0)
					}
					return err
				})
			case "map":
				if hasMap {
					return s.errorf("duplicate section map")
				}
				hasMap = true
				p, _, err := m.parseObject(s, depth+1)
				sec.part = p
				return err
			case "url":
				return s.errorf("section %d refers to a map by url, which is not supported", len(out))
			default:
				return s.skip(0)
			}
		})
		if err != nil {
			return err
		}
		switch {
		case sec.part == nil:
			return fmt.Errorf("section %d has no map", len(out))
		case !inInt32(int64(sec.line)) || !inInt32(int64(sec.col)):
			return fmt.Errorf("section %d has a missing or invalid offset", len(out))
		}
		if n := len(out); n > 0 {
			prev := out[n-1]
			if sec.line < prev.line || sec.line == prev.line && sec.col < prev.col {
				return fmt.Errorf("section %d starts before section %d", n, n-1)
			}
		}
		out = push(out, sec)
		return nil
	})
	return out, err
}

// Find returns the segment that covers a generated position: the segment
// on genLine with the greatest generated column <= col16 (0-based line,
// UTF-16 column), like Node's SourceMap.findEntry — except that findEntry
// falls back to the last segment of an earlier line, which belongs to other
// code, and Find reports false instead. In an index map the position first
// selects the last section starting at or before it, as Mozilla's
// source-map does, so a section's segments never leak past the next
// section's offset. A segment with no source is returned with SourceIndex -1.
func (m *Map) Find(genLine, col16 int) (Mapping, bool) {
	if genLine < 0 || col16 < 0 {
		return Mapping{}, false
	}
	p := &m.root
	// (baseLine, baseCol) is where p's line 0, column 0 sits in the bundle.
	baseLine, baseCol := 0, 0
	for p.sections != nil {
		k := lastSection(p.sections, baseLine, baseCol, genLine, col16)
		if k < 0 {
			return Mapping{}, false
		}
		sec := p.sections[k]
		if sec.line == 0 {
			baseCol += sec.col
		} else {
			baseCol = sec.col
		}
		baseLine += sec.line
		p = sec.part
	}
	line, col := genLine-baseLine, col16
	if line == 0 {
		col -= baseCol
	}
	c, _ := m.cursors.Get().(*cursor)
	if c == nil {
		c = new(cursor)
	}
	seg, ok := p.dec.find(line, col, c)
	m.cursors.Put(c)
	if !ok {
		return Mapping{}, false
	}
	mp := Mapping{GenLine: genLine, GenCol: int(seg.genCol), SourceIndex: -1}
	if line == 0 {
		mp.GenCol += baseCol
	}
	if seg.src >= 0 {
		mp.SourceIndex = p.srcBase + int(seg.src)
		mp.Source = m.sources[mp.SourceIndex]
		mp.OrigLine, mp.OrigCol = int(seg.origLine), int(seg.origCol)
	}
	if seg.name >= 0 {
		mp.Name, mp.HasName = p.names[seg.name], true
	}
	return mp, true
}

// lastSection returns the index of the last section whose absolute start is
// at or before (line, col), or -1; the part's origin is (baseLine, baseCol).
func lastSection(secs []section, baseLine, baseCol, line, col int) int {
	lo, hi := 0, len(secs)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		sl, sc := baseLine+secs[h].line, secs[h].col
		if secs[h].line == 0 {
			sc += baseCol
		}
		if sl < line || sl == line && sc <= col {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo - 1
}

// Sources returns the map's sources with sourceRoot applied; a null entry
// is "". For an index map it lists every section's sources in order, which
// is what Mapping.SourceIndex indexes.
func (m *Map) Sources() []string { return slices.Clone(m.sources) }

// SourceContent returns the sourcesContent entry of source i, decoding it
// on first use and keeping the result for later calls (safe for
// concurrent use).
// It reports false when the entry is missing, null, or not a valid JSON
// string (those are not checked by Parse).
func (m *Map) SourceContent(i int) (string, bool) {
	if i < 0 || i >= len(m.contents) || m.contents[i].start < 0 {
		return "", false
	}
	m.decodedMu.Lock()
	defer m.decodedMu.Unlock()
	if str, ok := m.decoded[i]; ok {
		return str, true
	}
	if m.data == nil { // DecodeSources let go of the text: it did not decode
		return "", false
	}
	sp := m.contents[i]
	str, err := unquote(m.data[sp.start:sp.end])
	if err != nil {
		return "", false
	}
	if m.decoded == nil {
		m.decoded = map[int]string{}
	}
	m.decoded[i] = str
	return str, true
}

// DecodeSources decodes every sourcesContent entry now, for a caller that
// will read them all anyway, and then lets go of the map's text (the
// mappings text is copied out when it is less than half of it): a big
// map's sources are most of its size, and keeping both the JSON text and
// the decoded strings would hold them twice. Entries that fail to decode
// stay unavailable, as with SourceContent. Unlike the other methods it
// changes the Map: call it before other goroutines use it.
func (m *Map) DecodeSources() {
	for i := range m.contents {
		m.SourceContent(i)
	}
	m.decodedMu.Lock()
	defer m.decodedMu.Unlock()
	if m.data == nil {
		return
	}
	m.root.ownMappings(len(m.data))
	m.data = nil
}

// File returns the map's "file" field, or "".
func (m *Map) File() string { return m.file }

// HasNames reports whether the map has a names entry at all (in any
// section). A map without any records nothing about names: a segment
// without one does not mean the identifier kept its name, as it does in
// esbuild's maps, which name only what they renamed.
func (m *Map) HasNames() bool { return m.root.hasNames() }

func (p *part) hasNames() bool {
	if p == nil {
		return false
	}
	if len(p.names) > 0 {
		return true
	}
	for _, s := range p.sections {
		if s.part.hasNames() {
			return true
		}
	}
	return false
}

// Dropped returns the number of segments Parse dropped because they named
// a source or name that does not exist or a negative position.
func (m *Map) Dropped() int { return m.dropped }
