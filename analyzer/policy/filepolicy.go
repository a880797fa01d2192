package policy

import (
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/load"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// Bundle is one analyzed bundle as the file policy reads it: its path and
// text, the text's line index, its source map (nil without one) and where
// the map came from, and the largest original source read from disk.
type Bundle struct {
	Path    string
	Src     string
	Lines   *lines.Index
	Map     *sourcemap.Map
	MapPath string
	MaxSize int64
}

// File is what the engine needs, after the rules ran on a bundle, to
// apply the configuration and suppression comments and to describe each
// finding (code frame, fingerprint): the bundle, its map and the original
// sources, read at most once each.
type File struct {
	p       *Policy
	path    string
	src     string
	lines   *lines.Index
	sm      *sourcemap.Map
	mapPath string
	maxSize int64

	sources []string
	texts   map[int]*sourceText
	bundle  *sourceText
}

// File starts the file policy of one bundle.
func (p *Policy) File(b Bundle) *File {
	return &File{p: p, path: b.Path, src: b.Src, lines: b.Lines, sm: b.Map, mapPath: b.MapPath, maxSize: b.MaxSize}
}

// sourceText is one original source (or the bundle itself) split in lines,
// with its suppression comments.
type sourceText struct {
	path string // as findings show it; "" for the bundle
	text string
	// lines indexes text, built on first use (index); nil until then.
	lines      *lines.Index
	directives []directive
}

// index returns the line index of t's text, or nil when t has no text.
// Only the sources with findings or suppression comments are indexed: a
// big bundle's map holds megabytes of sources that have neither. Lines end
// where ECMAScript says (package lines), as they do for the positions the
// source map gives: a code frame shows the line a finding is on.
func (t *sourceText) index() *lines.Index {
	if t.lines == nil && t.text != "" {
		t.lines = lines.New(t.text)
	}
	return t.lines
}

// line returns line n (1-based) of t's text without its terminator, and
// false when t has no text or no such line.
func (t *sourceText) line(n int) (string, bool) {
	li := t.index()
	if li == nil || n < 1 || n > li.Lines() {
		return "", false
	}
	return li.Line(n - 1), true
}

// Apply applies the per-file part of the configuration (pinned
// names, severities) and the suppression comments to the findings of one
// bundle, and gives each survivor its code frames and fingerprint (both
// read the same original sources the suppression comments come from).
func (fc *File) Apply(in []analyzer.Finding) []analyzer.Finding {
	out := in[:0]
	for _, f := range in {
		if f.Original != nil && fc.p.NamesPinned("", f.Original.Name) {
			continue
		}
		f.Severity = fc.p.Level(f.Rule, f.Severity)
		t, line := fc.addCodeFrames(&f)
		if t != nil && fc.suppressed(t, f.Rule, line) {
			continue
		}
		f.Fingerprint = fc.fingerprint(&f, t)
		out = append(out, f)
	}
	fc.registerDirectives()
	return out
}

// addCodeFrames sets the code frames of f and of its related locations
// from the original sources, and returns the text whose suppression
// comments apply to f with f's line in it (1-based): the original source
// when the map places f in one, the bundle when there is no map, nil when
// the map places f nowhere.
func (fc *File) addCodeFrames(f *analyzer.Finding) (*sourceText, int) {
	if fc.sm == nil {
		return fc.bundleText(), f.Bundle.Line
	}
	var t *sourceText
	line := f.Bundle.Line
	if m, ok := fc.sm.Find(f.Bundle.Line-1, f.Bundle.Column-1); ok && m.SourceIndex >= 0 && f.Original != nil {
		t = fc.source(m.SourceIndex)
		line = f.Original.Line
		f.Original.Lines = t.context(line)
	}
	for _, r := range f.Related {
		if r.Original == nil {
			continue
		}
		if m, ok := fc.sm.Find(r.Bundle.Line-1, r.Bundle.Column-1); ok && m.SourceIndex >= 0 {
			r.Original.Lines = fc.source(m.SourceIndex).context(r.Original.Line)
		}
	}
	return t, line
}

// suppressed reports whether a comment in t covers a finding of rule on
// line (1-based), and records the use.
func (fc *File) suppressed(t *sourceText, rule string, line int) bool {
	hit := false
	for i := range t.directives {
		d := &t.directives[i]
		if d.covers(rule, line) {
			fc.p.directives.use(fc.path, t.path, d, rule)
			hit = true
		}
	}
	return hit
}

// registerDirectives records every suppression comment of the bundle's
// own sources (not those of dependencies: a comment in node_modules is
// not the user's to remove), so that unused ones can be reported.
func (fc *File) registerDirectives() {
	if fc.sm == nil {
		t := fc.bundleText()
		for i := range t.directives {
			fc.p.directives.seen(fc.path, "", &t.directives[i], nil)
		}
		return
	}
	for i, s := range fc.sourceList() {
		if s == "" || load.Dependency(s) != "" {
			continue
		}
		t := fc.source(i)
		for j := range t.directives {
			d := &t.directives[j]
			fc.p.directives.seen(fc.path, t.path, d, t.context(d.line))
		}
	}
}

func (fc *File) sourceList() []string {
	if fc.sources == nil && fc.sm != nil {
		fc.sources = fc.sm.Sources()
	}
	return fc.sources
}

// source returns original source i of the map: its sourcesContent, or the
// file on disk when the map has none and the file is inside the working
// directory (a map is untrusted input; it must not make us read
// /etc/passwd into a report).
func (fc *File) source(i int) *sourceText {
	if t, ok := fc.texts[i]; ok {
		return t
	}
	if fc.texts == nil {
		fc.texts = map[int]*sourceText{}
	}
	raw := ""
	if list := fc.sourceList(); i < len(list) {
		raw = list[i]
	}
	t := &sourceText{path: load.OriginalPath(fc.path, fc.mapPath, raw, fc.p.root)}
	fc.texts[i] = t
	text, ok := fc.sm.SourceContent(i)
	if !ok && raw != "" {
		text, ok = fc.p.ReadSource(fc.path, fc.mapPath, raw, fc.maxSize)
	}
	if ok {
		t.text = text
		if strings.Contains(text, directivePrefix) {
			t.directives = parseDirectives(t.index())
		}
	}
	return t
}

func (fc *File) bundleText() *sourceText {
	if fc.bundle == nil {
		fc.bundle = &sourceText{}
		if strings.Contains(fc.src, directivePrefix) {
			fc.bundle.text, fc.bundle.lines = fc.src, fc.lines
			fc.bundle.directives = parseDirectives(fc.bundle.index())
		}
	}
	return fc.bundle
}

// context returns up to three lines ending at line (1-based): the code
// frame of a finding there. Minified original lines (a dependency's
// pre-built file) are not worth showing and are left out.
func (t *sourceText) context(line int) []string {
	if _, ok := t.line(line); !ok {
		return nil
	}
	var out []string
	for n := max(1, line-2); n <= line; n++ {
		l, _ := t.line(n)
		if len(l) > 500 {
			return nil
		}
		out = append(out, l)
	}
	return out
}

// Fingerprint is the fingerprint of a finding no original source line
// describes (a parse error): from its original place when it has one,
// else from the bundle's tokens around it.
func (fc *File) Fingerprint(f *analyzer.Finding) string { return fc.fingerprint(f, nil) }

func (fc *File) fingerprint(f *analyzer.Finding, t *sourceText) string {
	if o := f.Original; o != nil {
		snippet := ""
		if t != nil {
			if l, ok := t.line(o.Line); ok {
				snippet = normalizeLine(l)
			}
		}
		if snippet == "" || len(snippet) > 500 {
			snippet = fc.tokens(f)
		}
		return fingerprint(f.Rule, o.Source, o.Name, snippet)
	}
	return fingerprint(f.Rule, stableBundlePath(f.Bundle.Path), "", fc.tokens(f))
}

func (fc *File) tokens(f *analyzer.Finding) string {
	if f.Offset < 0 || f.Offset > len(fc.src) {
		return ""
	}
	l, _ := fc.lines.Position(f.Offset)
	return bundleTokens(fc.lines.Line(l), f.Offset-fc.lines.LineStart(l))
}
