package diff

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/report"
)

// How many products, bundles and lost pins Summary lists, to stay on one
// screen; the JSON has them all.
const (
	maxProducts = 30
	maxBundles  = 20
	maxLostPins = 10
)

// Summary writes the one-screen answer to "what does this change
// release?": bundle and finding counts, the products the change affects
// (and how many it leaves alone), the bundles that changed, were added or
// removed, and the names that lost their pinning.
//
//	diff old/dist → dist
//	bundles: 3 changed, 0 added, 0 removed, 2 unchanged
//	findings: 1 new (1 error), 0 gone
//
//	products this change releases: 2 of 3
//	  changed    admin  2 of 3 bundles changed  1 new finding (1 error)
//	  changed    shop   2 of 3 bundles changed
//	  unchanged: reports
//	…
type Summary struct {
	W io.Writer
}

// Report writes r.
func (s Summary) Report(r *Result) error {
	w := bufio.NewWriter(s.W)
	c := report.Clean
	fmt.Fprintf(w, "diff %s → %s\n", c(r.OldInput), c(r.NewInput))
	var count [Removed + 1]int
	for _, b := range r.Bundles {
		count[b.Status]++
	}
	fmt.Fprintf(w, "bundles: %d changed, %d added, %d removed, %d unchanged\n", count[Changed], count[Added], count[Removed], count[Unchanged])
	fmt.Fprintf(w, "findings: %d new%s, %d gone\n", len(r.NewFindings), report.Severities(r.NewFindings), len(r.GoneFindings))
	writeProducts(w, r.Products)
	writeBundles(w, r)
	writeLostPins(w, r.LostPins)
	return w.Flush()
}

// writeProducts lists the products the change affects, then names those
// it leaves alone.
func writeProducts(w io.Writer, products []Product) {
	c := report.Clean
	var affected, same []Product
	for _, p := range products {
		if p.Status == Unchanged {
			same = append(same, p)
		} else {
			affected = append(affected, p)
		}
	}
	fmt.Fprintf(w, "\nproducts this change releases: %d of %d\n", len(affected), len(products))
	tw := newTable(w)
	for i, p := range affected {
		if i == maxProducts {
			break
		}
		var finds []string
		if n := len(p.NewFindings); n > 0 {
			finds = append(finds, report.Plural(n, "new finding", "new findings")+report.Severities(p.NewFindings))
		}
		if n := len(p.GoneFindings); n > 0 {
			finds = append(finds, fmt.Sprintf("%d gone", n))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Status, c(p.Name), strings.Join(productBundles(p), ", "), strings.Join(finds, ", "))
	}
	tw.Flush()
	more(w, len(affected)-maxProducts)
	if len(same) > maxProducts {
		fmt.Fprintf(w, "  unchanged: %d products\n", len(same))
	} else if len(same) > 0 {
		var names []string
		for _, p := range same {
			names = append(names, c(p.Name))
		}
		fmt.Fprintf(w, "  unchanged: %s\n", strings.Join(names, ", "))
	}
}

// productBundles says how the bundles of an affected product changed:
// "2 of 3 bundles changed", "1 added", or the count of a product added
// or removed whole.
func productBundles(p Product) []string {
	if p.Status == Added || p.Status == Removed {
		n := p.Added
		if p.Status == Removed {
			n = p.Removed
		}
		return []string{report.Plural(n, "bundle", "bundles")}
	}
	var parts []string
	total := p.Changed + p.Added + p.Unchanged
	if p.Changed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %s changed", p.Changed, report.Plural(total, "bundle", "bundles")))
	}
	if p.Added > 0 {
		parts = append(parts, fmt.Sprintf("%d added", p.Added))
	}
	if p.Removed > 0 {
		parts = append(parts, fmt.Sprintf("%d removed", p.Removed))
	}
	return parts
}

// writeBundles lists the bundles that changed, were added or removed,
// with how a renamed one was paired.
func writeBundles(w io.Writer, r *Result) {
	c := report.Clean
	var moved []Bundle
	for _, b := range r.Bundles {
		if b.Status != Unchanged {
			moved = append(moved, b)
		}
	}
	if len(moved) == 0 {
		return
	}
	fmt.Fprintln(w, "\nbundles:")
	tw := newTable(w)
	for i, b := range moved {
		if i == maxBundles {
			break
		}
		how := ""
		if b.Old != "" && b.New != "" && b.PairedBy != ByPath {
			how = fmt.Sprintf("was %s (by %s", c(relTo(r.OldInput, b.Old)), b.PairedBy)
			if b.PairedBy != ByContent {
				how += fmt.Sprintf(", %.2f", b.Similarity)
			}
			how += ")"
		}
		var finds []string
		if b.NewFindings > 0 {
			finds = append(finds, fmt.Sprintf("+%d new", b.NewFindings))
		}
		if b.GoneFindings > 0 {
			finds = append(finds, fmt.Sprintf("-%d gone", b.GoneFindings))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", b.Status, c(b.Name), how, strings.Join(finds, " "))
	}
	tw.Flush()
	more(w, len(moved)-maxBundles)
}

// writeLostPins lists the names that lost their pinning.
func writeLostPins(w io.Writer, lost []LostPin) {
	if len(lost) == 0 {
		return
	}
	c := report.Clean
	fmt.Fprintf(w, "\nnames that lost their pinning: %d\n", len(lost))
	tw := newTable(w)
	for i, l := range lost {
		if i == maxLostPins {
			break
		}
		where := ""
		if l.Source != nil {
			where = fmt.Sprintf("%s:%d", c(l.Source.Source), l.Source.Line)
		}
		was := fmt.Sprintf("%q", l.OldRuntime)
		if l.OldPin != "" {
			was += " (" + l.OldPin + ")"
		}
		relied := ""
		if l.ReliedOn {
			relied = "relied on by a finding"
		}
		fmt.Fprintf(tw, "  %s %s\t%s\t%s → %s\t%s\n", l.Kind, c(l.Name), where, c(was), c(fmt.Sprintf("%q", l.NewRuntime)), relied)
	}
	tw.Flush()
	more(w, len(lost)-maxLostPins)
}

// more says how many rows a list left out, if any.
func more(w io.Writer, n int) {
	if n > 0 {
		fmt.Fprintf(w, "  … and %d more (--format json lists them all)\n", n)
	}
}

// table is a tabwriter whose lines lose the padding of empty last
// columns.
type table struct {
	w   io.Writer
	buf bytes.Buffer
	tw  *tabwriter.Writer
}

func newTable(w io.Writer) *table {
	t := &table{w: w}
	t.tw = tabwriter.NewWriter(&t.buf, 0, 4, 2, ' ', 0)
	return t
}

func (t *table) Write(p []byte) (int, error) { return t.tw.Write(p) }

// Flush aligns the rows and writes them.
func (t *table) Flush() {
	t.tw.Flush()
	for _, line := range strings.SplitAfter(t.buf.String(), "\n") {
		if line == "" {
			continue
		}
		io.WriteString(t.w, strings.TrimRight(line, " \n")+"\n")
	}
	t.buf.Reset()
}

// relTo is a bundle's path inside the build input (a directory), or the
// path itself.
func relTo(input, p string) string {
	root := strings.TrimSuffix(filepath.ToSlash(filepath.Clean(input)), "/") + "/"
	if rest, ok := strings.CutPrefix(p, root); ok {
		return rest
	}
	return p
}

// Document is what manglecheck diff --format json writes: the check
// report of added (Result.Added, maybe filtered) with the "diff" object
// (JSON) after its members.
type Document struct {
	report.Document
	Diff JSON `json:"diff"`
}

// NewDocument builds the document of r, whose check report is added.
func NewDocument(r *Result, added checker.Result) Document {
	return Document{Document: report.NewDocument(added), Diff: NewJSON(r)}
}

// JSON is the "diff" object manglecheck diff --format json adds to the
// check report (whose "findings" are then the new findings only). Its
// shape is part of that contract: fields may be added, none changed.
//
//	{"old":"…","new":"…",
//	 "summary":{"changed":N,"added":N,"removed":N,"unchanged":N,"newFindings":N,"goneFindings":N,"lostPins":N},
//	 "products":[{"name","status","bundles":{"changed","added","removed","unchanged"},"newFindings":N,"goneFindings":N}],
//	 "bundles":[{"old":"…"|null,"new":"…"|null,"status","pairedBy":"path|content|sources|strings|size"|null,
//	             "similarity":F,"newFindings":N,"goneFindings":N}],
//	 "goneFindings":[{"rule","severity","message","bundle":{…},"original":{…}|null,"fingerprint"}],
//	 "lostPins":[{"name","kind","old":{"bundle","runtime","pin"},"new":{"bundle","runtime"},
//	              "source":{"source","line","column"}|null,"reliedOn":B}]}
type JSON struct {
	Old      string                `json:"old"`
	New      string                `json:"new"`
	Summary  jsonSummary           `json:"summary"`
	Products []jsonProduct         `json:"products"`
	Bundles  []jsonBundle          `json:"bundles"`
	Gone     []report.BriefFinding `json:"goneFindings"`
	LostPins []jsonLost            `json:"lostPins"`
}

type jsonSummary struct {
	Changed      int `json:"changed"`
	Added        int `json:"added"`
	Removed      int `json:"removed"`
	Unchanged    int `json:"unchanged"`
	NewFindings  int `json:"newFindings"`
	GoneFindings int `json:"goneFindings"`
	LostPins     int `json:"lostPins"`
}

type jsonProduct struct {
	Name         string     `json:"name"`
	Status       string     `json:"status"`
	Bundles      jsonCounts `json:"bundles"`
	NewFindings  int        `json:"newFindings"`
	GoneFindings int        `json:"goneFindings"`
}

type jsonCounts struct {
	Changed   int `json:"changed"`
	Added     int `json:"added"`
	Removed   int `json:"removed"`
	Unchanged int `json:"unchanged"`
}

type jsonBundle struct {
	Old          *string  `json:"old"`
	New          *string  `json:"new"`
	Status       string   `json:"status"`
	PairedBy     *string  `json:"pairedBy"`
	Similarity   *float64 `json:"similarity,omitempty"`
	NewFindings  int      `json:"newFindings"`
	GoneFindings int      `json:"goneFindings"`
}

type jsonLost struct {
	Name   string        `json:"name"`
	Kind   string        `json:"kind"`
	Old    jsonLostSide  `json:"old"`
	New    jsonLostSide  `json:"new"`
	Source *report.Place `json:"source"`
	Relied bool          `json:"reliedOn"`
}

type jsonLostSide struct {
	Bundle  string `json:"bundle"`
	Runtime string `json:"runtime"`
	Pin     string `json:"pin,omitempty"`
}

// NewJSON builds the "diff" object of r.
func NewJSON(r *Result) JSON {
	out := JSON{
		Old: r.OldInput, New: r.NewInput,
		Products: []jsonProduct{}, Bundles: []jsonBundle{}, Gone: []report.BriefFinding{}, LostPins: []jsonLost{},
	}
	for _, b := range r.Bundles {
		switch b.Status {
		case Changed:
			out.Summary.Changed++
		case Added:
			out.Summary.Added++
		case Removed:
			out.Summary.Removed++
		default:
			out.Summary.Unchanged++
		}
		jb := jsonBundle{Old: strPtr(b.Old), New: strPtr(b.New), Status: b.Status.String(), NewFindings: b.NewFindings, GoneFindings: b.GoneFindings}
		if b.PairedBy != Unpaired {
			by := b.PairedBy.String()
			jb.PairedBy = &by
			sim := b.Similarity
			jb.Similarity = &sim
		}
		out.Bundles = append(out.Bundles, jb)
	}
	out.Summary.NewFindings = len(r.NewFindings)
	out.Summary.GoneFindings = len(r.GoneFindings)
	out.Summary.LostPins = len(r.LostPins)
	for _, p := range r.Products {
		out.Products = append(out.Products, jsonProduct{
			Name: p.Name, Status: p.Status.String(),
			Bundles:     jsonCounts{Changed: p.Changed, Added: p.Added, Removed: p.Removed, Unchanged: p.Unchanged},
			NewFindings: len(p.NewFindings), GoneFindings: len(p.GoneFindings),
		})
	}
	for _, f := range r.GoneFindings {
		out.Gone = append(out.Gone, report.NewBriefFinding(f))
	}
	for _, l := range r.LostPins {
		jl := jsonLost{
			Name: l.Name, Kind: l.Kind,
			Old:    jsonLostSide{Bundle: l.OldBundle, Runtime: l.OldRuntime, Pin: l.OldPin},
			New:    jsonLostSide{Bundle: l.NewBundle, Runtime: l.NewRuntime},
			Relied: l.ReliedOn,
		}
		jl.Source = report.NewPlace(l.Source)
		out.LostPins = append(out.LostPins, jl)
	}
	return out
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
