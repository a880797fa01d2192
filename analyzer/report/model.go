package report

import (
	"encoding/json"
	"io"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundler"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// The report model. The check reporters (Text, JSON, SARIF, GitHub) read
// an checker.Result through Reporter; the JSON documents other tools read
// are built from the types below, the only place their shape is written
// down: check's report (Document), the findings, positions, related
// places, stack frames and files in it, and the pieces diff (which embeds
// a Document) and suggest reuse (Position, Original, Place, BriefFinding). The contract is spelled out here rather than borrowed
// from the engine's types, so that a change to an engine type cannot
// change the output. Lines and columns are 1-based; columns count UTF-16
// code units, as in source maps.

// Reporter writes a check result in one output format (Text, JSON,
// SARIF, GitHub).
type Reporter interface {
	Report(checker.Result) error
}

// Document is the check report's JSON document (version 1; JSON
// describes it).
type Document struct {
	Version  int       `json:"version"`
	Files    []File    `json:"files"`
	Findings []Finding `json:"findings"`
	// Suppressed and Baselined count the findings left out by suppression
	// comments and by the baseline (absent when 0).
	Suppressed int `json:"suppressed,omitempty"`
	Baselined  int `json:"baselined,omitempty"`
}

// File is one analyzed input file.
type File struct {
	Path      string   `json:"path"`
	Bytes     int64    `json:"bytes"`
	SourceMap *string  `json:"sourceMap"`
	Minified  bool     `json:"minified"`
	Error     *string  `json:"error"`
	Warnings  []string `json:"warnings,omitempty"`
	// Bundler is what built the file, when recognised:
	// {"bundler":"vite","minifier":"oxc"}.
	Bundler *bundler.Info `json:"bundler,omitempty"`
}

// Finding is one finding of the check report.
type Finding struct {
	Rule       string    `json:"rule"`
	Severity   string    `json:"severity"`
	Message    string    `json:"message"`
	Bundle     Position  `json:"bundle"`
	Original   *Original `json:"original"`
	Excerpt    string    `json:"excerpt,omitempty"`
	Dependency string    `json:"dependency,omitempty"`
	// Fingerprint identifies the finding across rebuilds (baselines).
	Fingerprint string `json:"fingerprint,omitempty"`
	// Stack is the JavaScript stack of a startup-error (smoke).
	Stack []Frame `json:"stack,omitempty"`
	// Related are the other places the finding is about.
	Related []Related `json:"related,omitempty"`
	// Confirmed is set by check --confirm (absent: not run or not known).
	Confirmed *bool `json:"confirmed,omitempty"`
}

// BriefFinding is a finding as diff lists the findings a change removes:
// no excerpt, stack or related places, and the original name only when
// known.
type BriefFinding struct {
	Rule        string   `json:"rule"`
	Severity    string   `json:"severity"`
	Message     string   `json:"message"`
	Bundle      Position `json:"bundle"`
	Original    *Place   `json:"original"`
	Fingerprint string   `json:"fingerprint,omitempty"`
}

// Related is another place a finding is about.
type Related struct {
	Message  string    `json:"message"`
	Bundle   Position  `json:"bundle"`
	Original *Original `json:"original"`
}

// Frame is one call of a runtime stack; Bundle is nil for built-in
// functions.
type Frame struct {
	Function string    `json:"function"`
	Bundle   *Position `json:"bundle"`
	Original *Original `json:"original"`
}

// Position is a place in a bundle, as every JSON output writes it.
type Position struct {
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Original is a place in an original source as the check report writes
// it: the name always, "" when the map has none.
type Original struct {
	Source string `json:"source"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Name   string `json:"name"`
}

// Place is a place in an original source as diff and suggest write it:
// the name only when there is one.
type Place struct {
	Source string `json:"source"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Name   string `json:"name,omitempty"`
}

// NewDocument builds the check report of res.
func NewDocument(res checker.Result) Document {
	doc := Document{
		Version:    1,
		Files:      make([]File, 0, len(res.Files)),
		Findings:   make([]Finding, 0, len(res.Findings)),
		Suppressed: res.Suppressed,
		Baselined:  res.Baselined,
	}
	for _, f := range res.Files {
		doc.Files = append(doc.Files, File{
			Path:      f.Path,
			Bytes:     f.Bytes,
			SourceMap: f.SourceMap,
			Minified:  f.Minified,
			Error:     f.Error,
			Warnings:  f.Warnings,
			Bundler:   f.Bundler,
		})
	}
	for _, f := range res.Findings {
		doc.Findings = append(doc.Findings, NewFinding(f))
	}
	return doc
}

// NewFinding converts an engine finding.
func NewFinding(f analyzer.Finding) Finding {
	out := Finding{
		Rule:        f.Rule,
		Severity:    f.Severity.String(),
		Message:     f.Message,
		Bundle:      NewPosition(f.Bundle),
		Original:    NewOriginal(f.Original),
		Excerpt:     f.Excerpt,
		Dependency:  f.Dependency,
		Fingerprint: f.Fingerprint,
		Confirmed:   f.Confirmed,
	}
	for _, r := range f.Related {
		out.Related = append(out.Related, Related{Message: r.Message, Bundle: NewPosition(r.Bundle), Original: NewOriginal(r.Original)})
	}
	for _, fr := range f.Stack {
		frame := Frame{Function: fr.Func, Original: NewOriginal(fr.Original)}
		if b := fr.Bundle; b != nil {
			p := NewPosition(*b)
			frame.Bundle = &p
		}
		out.Stack = append(out.Stack, frame)
	}
	return out
}

// NewBriefFinding converts an engine finding to its brief form.
func NewBriefFinding(f analyzer.Finding) BriefFinding {
	out := BriefFinding{
		Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message,
		Bundle:      NewPosition(f.Bundle),
		Fingerprint: f.Fingerprint,
	}
	if o := f.Original; o != nil {
		out.Original = &Place{Source: o.Source, Line: o.Line, Column: o.Column, Name: o.Name}
	}
	return out
}

// NewPosition converts an engine position.
func NewPosition(p analyzer.Position) Position {
	return Position{Path: p.Path, Line: p.Line, Column: p.Column}
}

// NewOriginal converts an engine original position; nil for nil.
func NewOriginal(o *analyzer.Original) *Original {
	if o == nil {
		return nil
	}
	return &Original{Source: o.Source, Line: o.Line, Column: o.Column, Name: o.Name}
}

// NewPlace is an original position without its name (the place of a
// name, whose name diff and suggest write beside it); nil for nil.
func NewPlace(o *analyzer.Original) *Place {
	if o == nil {
		return nil
	}
	return &Place{Source: o.Source, Line: o.Line, Column: o.Column}
}

// WriteJSON writes v as every JSON output of manglecheck is written:
// indented by two spaces, ending in a newline, with "<", ">" and "&" as
// they are (messages quote code; it is not HTML).
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
