package report

import (
	"encoding/json"
	"io"

	"github.com/manglecheck/manglecheck/analyzer"

	"github.com/manglecheck/manglecheck/analyzer/bundler"
)

// JSON writes the whole Result as one pretty-printed JSON document. Its
// shape is a contract other tools read (version 1): fields may be added,
// none of these may change. Lines and columns are 1-based; columns count
// UTF-16 code units, as in source maps.
//
//	{"version":1,
//	 "files":[{"path","bytes","sourceMap":string|null,"minified","error":string|null}],
//	 "findings":[{"rule","severity","message",
//	              "bundle":{"path","line","column"},
//	              "original":{"source","line","column","name"}|null,
//	              "fingerprint",
//	              "stack":[{"function","bundle":{…}|null,"original":{…}|null}],
//	              "confirmed":true|false}],
//	 "suppressed":N, "baselined":N}
//
// A finding's bundle line and column are 0 for an engine diagnostic about
// an original source (unused-suppression); fingerprint is absent when the
// engine did not compute one; suppressed and baselined are absent when 0.
// stack is present only for findings made by running the bundle
// (startup-error), confirmed only after check --confirm ran the read.
type JSON struct {
	W io.Writer
}

// The contract is spelled out here rather than borrowed from the analyzer's
// struct tags, so that a change to an engine type cannot change the output.
type jsonReport struct {
	Version  int           `json:"version"`
	Files    []jsonFile    `json:"files"`
	Findings []jsonFinding `json:"findings"`
	// Suppressed and Baselined count the findings left out by suppression
	// comments and by the baseline (absent when 0).
	Suppressed int `json:"suppressed,omitempty"`
	Baselined  int `json:"baselined,omitempty"`
}

type jsonFile struct {
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

type jsonFinding struct {
	Rule       string        `json:"rule"`
	Severity   string        `json:"severity"`
	Message    string        `json:"message"`
	Bundle     JSONPosition  `json:"bundle"`
	Original   *JSONOriginal `json:"original"`
	Excerpt    string        `json:"excerpt,omitempty"`
	Dependency string        `json:"dependency,omitempty"`
	// Fingerprint identifies the finding across rebuilds (baselines).
	Fingerprint string `json:"fingerprint,omitempty"`
	// Stack is the JavaScript stack of a startup-error (smoke).
	Stack []jsonFrame `json:"stack,omitempty"`
	// Related are the other places the finding is about.
	Related []jsonRelated `json:"related,omitempty"`
	// Confirmed is set by check --confirm (absent: not run or not known).
	Confirmed *bool `json:"confirmed,omitempty"`
}

type jsonRelated struct {
	Message  string        `json:"message"`
	Bundle   JSONPosition  `json:"bundle"`
	Original *JSONOriginal `json:"original"`
}

type jsonFrame struct {
	Function string        `json:"function"`
	Bundle   *JSONPosition `json:"bundle"`
	Original *JSONOriginal `json:"original"`
}

// JSONPosition is a bundle position as every JSON output writes it (part
// of the contract: shared by check, diff and suggest).
type JSONPosition struct {
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// JSONOriginal is an original-source position as every JSON output
// writes it.
type JSONOriginal struct {
	Source string `json:"source"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Name   string `json:"name"`
}

// NewJSONPosition and NewJSONOriginal convert the engine's positions.
func NewJSONPosition(p analyzer.Position) JSONPosition {
	return JSONPosition{Path: p.Path, Line: p.Line, Column: p.Column}
}

// NewJSONOriginal returns nil for a nil original.
func NewJSONOriginal(o *analyzer.Original) *JSONOriginal {
	if o == nil {
		return nil
	}
	return &JSONOriginal{Source: o.Source, Line: o.Line, Column: o.Column, Name: o.Name}
}

// Report writes res.
func (j JSON) Report(res analyzer.Result) error {
	out := jsonReport{
		Version:    1,
		Files:      make([]jsonFile, 0, len(res.Files)),
		Findings:   make([]jsonFinding, 0, len(res.Findings)),
		Suppressed: res.Suppressed,
		Baselined:  res.Baselined,
	}
	for _, f := range res.Files {
		out.Files = append(out.Files, jsonFile{
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
		jf := jsonFinding{
			Rule:        f.Rule,
			Severity:    f.Severity.String(),
			Message:     f.Message,
			Bundle:      JSONPosition{Path: f.Bundle.Path, Line: f.Bundle.Line, Column: f.Bundle.Column},
			Excerpt:     f.Excerpt,
			Dependency:  f.Dependency,
			Fingerprint: f.Fingerprint,
		}
		if o := f.Original; o != nil {
			jf.Original = &JSONOriginal{Source: o.Source, Line: o.Line, Column: o.Column, Name: o.Name}
		}
		jf.Confirmed = f.Confirmed
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Message: r.Message, Bundle: NewJSONPosition(r.Bundle), Original: NewJSONOriginal(r.Original)})
		}
		for _, fr := range f.Stack {
			jfr := jsonFrame{Function: fr.Func}
			if b := fr.Bundle; b != nil {
				jfr.Bundle = &JSONPosition{Path: b.Path, Line: b.Line, Column: b.Column}
			}
			if o := fr.Original; o != nil {
				jfr.Original = &JSONOriginal{Source: o.Source, Line: o.Line, Column: o.Column, Name: o.Name}
			}
			jf.Stack = append(jf.Stack, jfr)
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(j.W)
	enc.SetIndent("", "  ")
	// Messages quote code ("<", "&&"); keep it readable, it is not HTML.
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
