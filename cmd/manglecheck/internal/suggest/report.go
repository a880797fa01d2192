package suggest

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/report"
)

// Text writes a Suggestion for people: the names relied on, then per
// minifier its snippets (indented, to paste) and notes, then the code
// fix of each finding.
type Text struct {
	W io.Writer
}

// width is where Text wraps notes and fixes.
const width = 100

// Report writes s.
func (t Text) Report(s *Suggestion) error {
	w := bufio.NewWriter(t.W)
	c := report.Clean
	for _, f := range s.Failed {
		msg := strings.TrimPrefix(f[1], f[0]+": ")
		fmt.Fprintf(w, "%s: error: %s\n", c(f[0]), c(msg))
	}
	if s.Findings == 0 {
		fmt.Fprintf(w, "No findings in %s", report.Plural(s.Files, "file", "files"))
		if n := len(s.Failed); n > 0 {
			fmt.Fprintf(w, " (%s could not be analyzed)", report.Plural(n, "file", "files"))
		}
		fmt.Fprintln(w, ": nothing to configure.")
		return w.Flush()
	}
	writeNames(w, s)
	for _, a := range s.Minifiers {
		writeAdvice(w, a)
	}
	fmt.Fprintln(w, "\nCode fixes (no configuration needed):")
	for _, f := range s.Code {
		loc := fmt.Sprintf("%s:%d:%d", c(f.Bundle.Path), f.Bundle.Line, f.Bundle.Column)
		if o := f.Original; o != nil {
			loc = fmt.Sprintf("%s:%d:%d", c(o.Source), o.Line, o.Column)
		}
		head := fmt.Sprintf("  %s: %s [%s]", loc, f.Severity, f.Rule)
		if len(f.Names) > 0 {
			head += " " + c(strings.Join(f.Names, ", "))
		}
		fmt.Fprintln(w, head)
		wrap(w, "    ", c(f.Fix))
	}
	return w.Flush()
}

// writeNames writes the count of findings and the names, globals and
// properties they rely on.
func writeNames(w io.Writer, s *Suggestion) {
	c := report.Clean
	fmt.Fprintf(w, "%s in %s", report.Plural(s.Findings, "finding", "findings"), report.Plural(s.Files, "file", "files"))
	if n := len(s.Names) + s.Unknown; n > 0 {
		verb := " rely on "
		if s.Findings == 1 {
			verb = " relies on "
		}
		fmt.Fprintf(w, "%s%s the minifier renamed", verb, report.Plural(n, "name", "names"))
	}
	fmt.Fprintln(w, ":")
	rows := newTable(w)
	for _, n := range s.Names {
		kind := n.Kind
		if kind == "" {
			kind = "name"
		}
		where := ""
		if o := n.Source; o != nil {
			where = fmt.Sprintf("%s:%d", c(o.Source), o.Line)
		}
		runtime := ""
		if n.Runtime != "" || n.NamedBy == bundlefacts.Unnamed {
			runtime = "→ " + c(fmt.Sprintf("%q", n.Runtime))
		}
		fmt.Fprintf(rows, "  %s %s\t%s\t%s\t%s\n", kind, c(n.Name), where, runtime, strings.Join(n.Rules, ", "))
	}
	rows.flush()
	if s.Unknown > 0 {
		fmt.Fprintf(w, "  and %d without a known original name (no source map)\n", s.Unknown)
	}
	if len(s.Globals) > 0 {
		fmt.Fprintf(w, "  looked up on the global object: %s\n", c(strings.Join(s.Globals, ", ")))
	}
	if len(s.Properties) > 0 {
		fmt.Fprintf(w, "  properties reached by string after mangling: %s\n", c(strings.Join(s.Properties, ", ")))
	}
}

// writeAdvice writes one minifier's advice: the cost of keeping names,
// the snippets to paste and the notes.
func writeAdvice(w io.Writer, a Advice) {
	c := report.Clean
	fmt.Fprintf(w, "\n%s\n", a.Minifier)
	if a.Cost != nil {
		cost := a.Cost
		msg := fmt.Sprintf("keepNames pins every function and class name, not just these: %s in %s, about +%s (each __name(fn, \"X\") call costs about len(\"X\")+12 bytes, plus a helper of ~%d bytes per bundle).",
			report.Plural(cost.Pinned, "function or class", "functions and classes"), report.Plural(cost.Bundles, "bundle", "bundles"), bytesText(cost.Bytes), helperBytes)
		if cost.RuntimeNames {
			msg += " Bundles without a map are counted with their mangled names: the real cost is higher."
		}
		wrap(w, "  ", msg)
	}
	if len(a.Snippets) == 0 {
		fmt.Fprintln(w, "  no option of this minifier fixes these findings")
	}
	for _, sn := range a.Snippets {
		fmt.Fprintf(w, "  %s:\n", sn.Label)
		for _, line := range strings.Split(sn.Text, "\n") {
			fmt.Fprintf(w, "    %s\n", c(line))
		}
	}
	for _, n := range a.Notes {
		wrap(w, "  note: ", c(n))
	}
}

func bytesText(n int) string {
	if n < 10*1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

// wrap writes text in lines of at most width columns, the first prefixed
// with first and the others indented as far.
func wrap(w io.Writer, first, text string) {
	indent := strings.Repeat(" ", len([]rune(first)))
	line := first
	empty := true
	for _, word := range strings.Fields(text) {
		if !empty && len([]rune(line))+1+len([]rune(word)) > width {
			fmt.Fprintln(w, line)
			line, empty = indent, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	fmt.Fprintln(w, line)
}

// table aligns tab-separated columns (like text/tabwriter) and trims the
// padding of empty last columns.
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer) *table { return &table{w: w} }

func (t *table) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		t.rows = append(t.rows, strings.Split(line, "\t"))
	}
	return len(p), nil
}

func (t *table) flush() {
	var widths []int
	for _, r := range t.rows {
		for i, cell := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-len([]rune(cell))+2))
			}
		}
		fmt.Fprintln(t.w, strings.TrimRight(b.String(), " "))
	}
	t.rows = nil
}

// JSON writes a Suggestion as one JSON document; its shape is a contract
// (version 1: fields may be added, none changed):
//
//	{"version":1,"findings":N,"files":N,
//	 "names":[{"name","kind":"class|function|","runtime","namedBy","source":{"source","line","column"}|null,
//	           "rules":[…],"bundles":[…]}],
//	 "unknownNames":N,"globals":[…],"properties":[…],
//	 "minifiers":[{"minifier":"esbuild|terser|swc|uglify-js","settings":{…},
//	               "snippets":[{"label","text"}],"notes":[…],"unkept":[…],
//	               "cost":{"pinned","bundles","bytes","alreadyKeepsNames","runtimeNames"}}],
//	 "code":[{"rule","severity","bundle":{"path","line","column"},"original":{…}|null,"names":[…],"fix"}],
//	 "failed":[{"path","error"}]}
//
// settings are, for esbuild {"keepNames","reserveProps"}; terser
// {"keep_classnames","keep_fnames" (RegExp sources), "reserved",
// "propertiesReserved"}; swc {"keep_classnames","keep_fnames" (booleans),
// "reserved","propertiesReserved"}; uglify-js {"keep_fnames","reserved",
// "propertiesReserved"}. cost is esbuild's only.
type JSON struct {
	W io.Writer
}

type jsonDoc struct {
	Version    int            `json:"version"`
	Findings   int            `json:"findings"`
	Files      int            `json:"files"`
	Names      []jsonName     `json:"names"`
	Unknown    int            `json:"unknownNames"`
	Globals    []string       `json:"globals"`
	Properties []string       `json:"properties"`
	Minifiers  []jsonMinifier `json:"minifiers"`
	Code       []jsonFix      `json:"code"`
	Failed     []jsonFailed   `json:"failed"`
}

type jsonFailed struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

type jsonName struct {
	Name    string        `json:"name"`
	Kind    string        `json:"kind"`
	Runtime string        `json:"runtime"`
	NamedBy string        `json:"namedBy"`
	Source  *report.Place `json:"source"`
	Rules   []string      `json:"rules"`
	Bundles []string      `json:"bundles"`
}

type jsonMinifier struct {
	Minifier string        `json:"minifier"`
	Settings any           `json:"settings"`
	Snippets []jsonSnippet `json:"snippets"`
	Notes    []string      `json:"notes"`
	Unkept   []string      `json:"unkept"`
	Cost     *jsonCost     `json:"cost,omitempty"`
}

type jsonSnippet struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

type jsonCost struct {
	Pinned       int  `json:"pinned"`
	Bundles      int  `json:"bundles"`
	Bytes        int  `json:"bytes"`
	Already      int  `json:"alreadyKeepsNames"`
	RuntimeNames bool `json:"runtimeNames"`
}

type jsonFix struct {
	Rule     string           `json:"rule"`
	Severity string           `json:"severity"`
	Bundle   report.Position  `json:"bundle"`
	Original *report.Original `json:"original"`
	Names    []string         `json:"names"`
	Fix      string           `json:"fix"`
}

// Report writes s.
func (j JSON) Report(s *Suggestion) error {
	doc := jsonDoc{
		Version: 1, Findings: s.Findings, Files: s.Files, Unknown: s.Unknown,
		Names: []jsonName{}, Globals: nonNil(s.Globals), Properties: nonNil(s.Properties),
		Minifiers: []jsonMinifier{}, Code: []jsonFix{}, Failed: []jsonFailed{},
	}
	for _, f := range s.Failed {
		doc.Failed = append(doc.Failed, jsonFailed{f[0], f[1]})
	}
	for _, n := range s.Names {
		jn := jsonName{Name: n.Name, Kind: n.Kind, Runtime: n.Runtime, NamedBy: n.NamedBy.String(), Rules: nonNil(n.Rules), Bundles: nonNil(n.Bundles)}
		jn.Source = report.NewPlace(n.Source)
		doc.Names = append(doc.Names, jn)
	}
	for _, a := range s.Minifiers {
		jm := jsonMinifier{Minifier: a.Minifier, Settings: a.Settings, Snippets: []jsonSnippet{}, Notes: nonNil(a.Notes), Unkept: nonNil(a.Unkept)}
		for _, sn := range a.Snippets {
			jm.Snippets = append(jm.Snippets, jsonSnippet{sn.Label, sn.Text})
		}
		if c := a.Cost; c != nil {
			jm.Cost = &jsonCost{c.Pinned, c.Bundles, c.Bytes, c.Already, c.RuntimeNames}
		}
		doc.Minifiers = append(doc.Minifiers, jm)
	}
	for _, f := range s.Code {
		jf := jsonFix{
			Rule: f.Rule, Severity: f.Severity.String(),
			Bundle:   report.NewPosition(f.Bundle),
			Original: report.NewOriginal(f.Original),
			Names:    nonNil(f.Names), Fix: f.Fix,
		}
		doc.Code = append(doc.Code, jf)
	}
	return report.WriteJSON(j.W, doc)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
