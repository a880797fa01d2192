package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/manglecheck/manglecheck/analyzer"
)

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// A Baseline records the findings a project has accepted, so that a check
// reports only new ones. Entries are keyed by fingerprint (see Finding),
// which survives rebuilds; rule, location and name are for the people
// reviewing the file. The file is sorted and has no offsets, mangled
// names or messages, so rebuilding and rewriting it gives the same bytes.
//
//	{"version": 1, "findings": [
//	  {"rule": "name-key", "location": "src/plugins.js", "name": "Plugin",
//	   "fingerprint": "9f2c…", "count": 2}]}
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one fingerprint and how many findings carry it.
type BaselineEntry struct {
	Rule string `json:"rule"`
	// Location is the original source path, or the bundle's without a map.
	Location    string `json:"location"`
	Name        string `json:"name,omitempty"`
	Fingerprint string `json:"fingerprint"`
	Count       int    `json:"count"`
}

// NewBaseline records findings.
func NewBaseline(findings []analyzer.Finding) *Baseline {
	byFP := map[string]*BaselineEntry{}
	for _, f := range findings {
		if e := byFP[f.Fingerprint]; e != nil {
			e.Count++
			continue
		}
		e := &BaselineEntry{Rule: f.Rule, Location: stableBundlePath(f.Bundle.Path), Fingerprint: f.Fingerprint, Count: 1}
		if o := f.Original; o != nil {
			e.Location, e.Name = o.Source, o.Name
		}
		byFP[f.Fingerprint] = e
	}
	b := &Baseline{Version: BaselineVersion, Findings: make([]BaselineEntry, 0, len(byFP))}
	for _, e := range byFP {
		b.Findings = append(b.Findings, *e)
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := &b.Findings[i], &b.Findings[j]
		if x.Location != y.Location {
			return x.Location < y.Location
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		if x.Name != y.Name {
			return x.Name < y.Name
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// ReadBaseline decodes a baseline file. name is used in errors only.
func ReadBaseline(name string, r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: not a manglecheck baseline: %w", name, err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d, want %d (rewrite it with --write-baseline)", name, b.Version, BaselineVersion)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" || e.Count < 1 {
			return nil, fmt.Errorf("%s: finding %d needs a fingerprint and a count of at least 1", name, i+1)
		}
	}
	return &b, nil
}

// Write encodes the baseline, indented, one entry per line block.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// Apply returns the findings the baseline does not account for and how
// many it removed. Matching counts: with 2 entries of a fingerprint in the
// baseline and 3 findings now, the last of the 3 (in sorted order) is
// kept. fs must be sorted (as a check returns them).
func (b *Baseline) Apply(fs []analyzer.Finding) (kept []analyzer.Finding, removed int) {
	left := map[string]int{}
	for _, e := range b.Findings {
		left[e.Fingerprint] += e.Count
	}
	kept = make([]analyzer.Finding, 0, len(fs))
	for _, f := range fs {
		if f.Fingerprint != "" && left[f.Fingerprint] > 0 {
			left[f.Fingerprint]--
			removed++
			continue
		}
		kept = append(kept, f)
	}
	return kept, removed
}
