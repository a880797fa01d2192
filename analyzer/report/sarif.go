package report

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundler"
	"github.com/manglecheck/manglecheck/analyzer/checker"
)

// SARIF writes a SARIF 2.1.0 log as GitHub code scanning reads it
// (github/codeql-action/upload-sarif): one run, the rules described from
// their Rule values, each result located in the original source when the
// map resolves it (relative to %SRCROOT%, the source root) with the bundle
// position as a related location, else in the bundle. Columns count UTF-16
// code units (run.columnKind). The output depends only on its input.
type SARIF struct {
	W io.Writer
	// Rules describes the rules results can come from, engine
	// diagnostics included; a result of a rule not listed gets a bare
	// descriptor.
	Rules []*analyzer.Rule
	// Version is the tool's version.
	Version string
	// Dir is the working directory relative to the source root ("" or "."
	// when they are the same): it is put in front of relative bundle
	// paths so that every URI is relative to %SRCROOT%.
	Dir string
}

const (
	sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"
	srcRoot     = "%SRCROOT%"
	infoURI     = "https://github.com/manglecheck/manglecheck"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	// Artifacts are the analyzed bundles whose bundler was recognised,
	// with it in their properties.
	Artifacts  []sarifArtifact `json:"artifacts,omitempty"`
	ColumnKind string          `json:"columnKind"`
}

type sarifArtifact struct {
	Location   sarifArtifactLocation `json:"location"`
	Properties sarifArtifactProps    `json:"properties"`
}

// sarifArtifactProps is an artifact's property bag: what built the bundle
// (analyzer/bundler), as in the JSON report.
type sarifArtifactProps struct {
	Bundler *bundler.Info `json:"bundler"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string            `json:"name"`
	Version        string            `json:"version,omitempty"`
	InformationURI string            `json:"informationUri"`
	Rules          []sarifDescriptor `json:"rules"`
}

type sarifDescriptor struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     *sarifMultiMsg `json:"shortDescription,omitempty"`
	FullDescription      *sarifMultiMsg `json:"fullDescription,omitempty"`
	Help                 *sarifMultiMsg `json:"help,omitempty"`
	DefaultConfiguration *sarifConfig   `json:"defaultConfiguration,omitempty"`
}

type sarifMultiMsg struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	// Stacks holds a startup-error's JavaScript stack (smoke).
	Stacks []sarifStack `json:"stacks,omitempty"`
}

type sarifStack struct {
	Message sarifMessage      `json:"message"`
	Frames  []sarifStackFrame `json:"frames"`
}

// sarifStackFrame's location has no physical location for a built-in
// function: only its name, as a logical location.
type sarifStackFrame struct {
	Location sarifFrameLocation `json:"location"`
}

type sarifFrameLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical         `json:"logicalLocations,omitempty"`
}

type sarifLogical struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
	ContextRegion    *sarifRegion          `json:"contextRegion,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int           `json:"startLine"`
	StartColumn int           `json:"startColumn,omitempty"`
	EndLine     int           `json:"endLine,omitempty"`
	Snippet     *sarifSnippet `json:"snippet,omitempty"`
}

type sarifSnippet struct {
	Text string `json:"text"`
}

// Report writes res.
func (s SARIF) Report(res checker.Result) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "manglecheck",
			Version:        s.Version,
			InformationURI: infoURI,
			Rules:          []sarifDescriptor{},
		}},
		Results:    []sarifResult{},
		ColumnKind: "utf16CodeUnits",
	}
	rules := &sarifRules{driver: &run.Tool.Driver, index: map[string]int{}}
	for _, r := range s.Rules {
		rules.describe(r)
	}
	var inv sarifInvocation
	inv, run.Artifacts = s.files(res)
	run.Invocations = []sarifInvocation{inv}
	occurrences := map[string]int{}
	for _, f := range res.Findings {
		run.Results = append(run.Results, s.result(f, rules.indexOf(f.Rule), occurrences))
	}
	return WriteJSON(s.W, sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifRules are the driver's rule descriptors, each rule once, and where
// each is in the list (a result's ruleIndex).
type sarifRules struct {
	driver *sarifDriver
	index  map[string]int
}

// describe adds r's descriptor unless one is there.
func (d *sarifRules) describe(r *analyzer.Rule) {
	if _, dup := d.index[r.ID]; dup {
		return
	}
	d.index[r.ID] = len(d.driver.Rules)
	d.driver.Rules = append(d.driver.Rules, describeRule(r))
}

// indexOf is the index of the descriptor of rule id, adding a bare one
// for a rule the reporter was not told of.
func (d *sarifRules) indexOf(id string) int {
	i, ok := d.index[id]
	if !ok {
		i = len(d.driver.Rules)
		d.index[id] = i
		d.driver.Rules = append(d.driver.Rules, sarifDescriptor{ID: id})
	}
	return i
}

// files is the invocation (successful unless a file could not be
// analyzed; a notification per error and warning) and the artifacts
// whose bundler was recognised.
func (s SARIF) files(res checker.Result) (sarifInvocation, []sarifArtifact) {
	inv := sarifInvocation{ExecutionSuccessful: !res.Failed()}
	var artifacts []sarifArtifact
	for _, f := range res.Files {
		loc := []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: s.bundleArtifact(f.Path)}}}
		if f.Error != nil {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "error", Message: sarifMessage{"could not be analyzed: " + trimPath(*f.Error, f.Path)}, Locations: loc,
			})
		}
		for _, w := range f.Warnings {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "warning", Message: sarifMessage{trimPath(w, f.Path)}, Locations: loc,
			})
		}
		if f.Error == nil && f.Bundler != nil && f.Bundler.Bundler != "" {
			artifacts = append(artifacts, sarifArtifact{Location: s.bundleArtifact(f.Path), Properties: sarifArtifactProps{Bundler: f.Bundler}})
		}
	}
	return inv, artifacts
}

// result is the SARIF result of f, whose rule descriptor is at
// ruleIndex; occurrences counts the fingerprints seen so far.
func (s SARIF) result(f analyzer.Finding, ruleIndex int, occurrences map[string]int) sarifResult {
	r := sarifResult{
		RuleID:    f.Rule,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(f.Severity),
		Message:   sarifMessage{f.Message},
	}
	bundle := s.bundleLocation(f)
	if o := f.Original; o != nil && repoPath(o.Source) {
		r.Locations = []sarifLocation{{PhysicalLocation: originalLocation(o)}}
		if bundle.PhysicalLocation.Region != nil {
			id := 1
			bundle.ID = &id
			msg := "the flagged code in the bundle"
			if f.Excerpt != "" {
				msg += ": " + f.Excerpt
			}
			bundle.Message = &sarifMessage{msg}
			r.RelatedLocations = []sarifLocation{bundle}
		}
	} else {
		r.Locations = []sarifLocation{bundle}
	}
	for _, rel := range f.Related {
		// Ids count on from the bundle location's 1 (when there is one).
		loc := s.relatedLocation(rel)
		id := len(r.RelatedLocations) + 1
		loc.ID = &id
		r.RelatedLocations = append(r.RelatedLocations, loc)
	}
	if f.Fingerprint != "" {
		// GitHub matches alerts across commits by
		// primaryLocationLineHash ("hash:occurrence"); ours does not
		// move when a rebuild shifts the bundle, unlike a hash of
		// the minified line the upload action would compute.
		occurrences[f.Fingerprint]++
		r.PartialFingerprints = map[string]string{
			"manglecheck/v1":          f.Fingerprint,
			"primaryLocationLineHash": fmt.Sprintf("%s:%d", f.Fingerprint, occurrences[f.Fingerprint]),
		}
	}
	if len(f.Stack) > 0 {
		r.Stacks = []sarifStack{s.stack(f.Stack)}
	}
	return r
}

// relatedLocation is a related place at its original source when that is
// in the repository, else in the bundle.
func (s SARIF) relatedLocation(rel analyzer.Location) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: s.bundleArtifact(rel.Bundle.Path),
		Region:           region(rel.Bundle.Line, rel.Bundle.Column),
	}}
	if o := rel.Original; o != nil && repoPath(o.Source) {
		loc.PhysicalLocation = originalLocation(o)
	}
	loc.Message = &sarifMessage{rel.Message}
	return loc
}

// originalLocation is a place in an original source of the repository,
// with its code frame.
func originalLocation(o *analyzer.Original) sarifPhysicalLocation {
	return sarifPhysicalLocation{
		ArtifactLocation: sarifArtifactLocation{URI: uriOf(o.Source), URIBaseID: srcRoot},
		Region:           region(o.Line, o.Column),
		ContextRegion:    contextRegion(o),
	}
}

// stack is a runtime finding's stack, each frame at its original source
// when that is in the repository, else in the bundle.
func (s SARIF) stack(frames []analyzer.Frame) sarifStack {
	st := sarifStack{Message: sarifMessage{"JavaScript stack at startup, innermost call first"}, Frames: []sarifStackFrame{}}
	for _, fr := range frames {
		var loc sarifFrameLocation
		switch o := fr.Original; {
		case o != nil && repoPath(o.Source):
			loc.PhysicalLocation = &sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: uriOf(o.Source), URIBaseID: srcRoot},
				Region:           region(o.Line, o.Column),
			}
		case fr.Bundle != nil:
			loc.PhysicalLocation = &sarifPhysicalLocation{
				ArtifactLocation: s.bundleArtifact(fr.Bundle.Path),
				Region:           region(fr.Bundle.Line, fr.Bundle.Column),
			}
		}
		if fr.Func != "" {
			loc.LogicalLocations = []sarifLogical{{Name: fr.Func, Kind: "function"}}
		}
		st.Frames = append(st.Frames, sarifStackFrame{Location: loc})
	}
	return st
}

func (s SARIF) bundleArtifact(p string) sarifArtifactLocation {
	if path.IsAbs(filepath.ToSlash(p)) {
		return sarifArtifactLocation{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()}
	}
	return sarifArtifactLocation{URI: uriOf(path.Join(dirOrDot(s.Dir), filepath.ToSlash(p))), URIBaseID: srcRoot}
}

func (s SARIF) bundleLocation(f analyzer.Finding) sarifLocation {
	return sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: s.bundleArtifact(f.Bundle.Path),
		Region:           region(f.Bundle.Line, f.Bundle.Column),
	}}
}

func dirOrDot(d string) string {
	if d == "" {
		return "."
	}
	return filepath.ToSlash(d)
}

func region(line, col int) *sarifRegion {
	if line < 1 {
		return nil
	}
	r := &sarifRegion{StartLine: line}
	if col >= 1 {
		r.StartColumn = col
	}
	return r
}

// contextRegion is the code frame: whole lines (no columns) ending at the
// finding's line, with their text, for viewers without the repository.
func contextRegion(o *analyzer.Original) *sarifRegion {
	if len(o.Lines) == 0 || o.Line < len(o.Lines) {
		return nil
	}
	return &sarifRegion{
		StartLine: o.Line - len(o.Lines) + 1,
		EndLine:   o.Line,
		Snippet:   &sarifSnippet{strings.Join(o.Lines, "\n") + "\n"},
	}
}

// repoPath reports whether an original source path can locate a file in
// the repository: relative, inside the source root, not a URL.
func repoPath(p string) bool {
	if p == "" || path.IsAbs(p) || filepath.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "://") {
		return false
	}
	return true
}

// uriOf encodes a slash path as a relative URI reference ("my file.js" →
// "my%20file.js"; a first segment with a colon gets "./").
func uriOf(p string) string {
	return (&url.URL{Path: p}).String()
}

func sarifLevel(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "note"
}

// describeRule is a rule's SARIF reportingDescriptor, from its Rule value
// like `manglecheck explain`.
func describeRule(r *analyzer.Rule) sarifDescriptor {
	d := sarifDescriptor{
		ID:                   r.ID,
		Name:                 pascal(r.ID),
		ShortDescription:     &sarifMultiMsg{Text: r.Title},
		DefaultConfiguration: &sarifConfig{Level: sarifLevel(r.Severity)},
	}
	doc := strings.TrimSpace(r.Doc)
	if doc != "" {
		d.FullDescription = &sarifMultiMsg{Text: doc}
	}
	var text, md strings.Builder
	text.WriteString(doc)
	md.WriteString(doc)
	if fix := strings.TrimSpace(r.Fix); fix != "" {
		text.WriteString("\n\nFix:\n" + fix)
		md.WriteString("\n\n**Fix**\n")
		for _, l := range strings.Split(fix, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				md.WriteString("\n- " + l)
			}
		}
	}
	for _, ex := range []struct{ title, code string }{{"Incorrect code", r.Bad}, {"Correct code", r.Good}} {
		code := strings.Trim(ex.code, "\n")
		if strings.TrimSpace(code) == "" {
			continue
		}
		text.WriteString("\n\n" + ex.title + ":\n" + code)
		md.WriteString("\n\n**" + ex.title + "**\n\n```js\n" + code + "\n```")
	}
	if text.Len() > 0 {
		d.Help = &sarifMultiMsg{Text: strings.TrimSpace(text.String()), Markdown: strings.TrimSpace(md.String())}
	}
	return d
}

// pascal turns a rule ID into a SARIF name: "name-compare" → "NameCompare".
func pascal(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
