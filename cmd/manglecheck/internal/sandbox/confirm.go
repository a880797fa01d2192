package sandbox

import (
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// Confirm runs the bundles of res that have findings about a `.name` read
// (x.name, x["name"]), each read wrapped in a probe, and sets each such
// finding's Confirmed:
//
//   - true when the read ran and produced a renamed name: a string that is
//     neither the original name the finding is about nor the name of a
//     built-in (a TypeError's "TypeError" does not confirm that a class
//     was renamed);
//   - false when it ran but produced only such other values;
//   - nil (unchanged) when it never ran, the finding is not about a .name
//     read, or the bundle could not be instrumented or run.
//
// Problems running a bundle are added to its FileResult's warnings;
// nothing is dropped.
func Confirm(ctx context.Context, res *checker.Result, opts Options) {
	c := &confirmation{
		fs:   newFiles(opts, nil),
		warn: map[string][]string{},
		// The probe's name is fresh for every call, so a bundle cannot
		// contain a call of it; the sandbox also checks each call's site.
		probeName: newProbeName(),
		probes:    map[int]*Probe{},
	}
	c.instrumentAll(res.Findings)
	if len(c.instrumented) == 0 {
		return
	}

	// Run, each in a sandbox process: each instrumented script, and each
	// ES module entry among the analyzed files whose link step reads an
	// instrumented file.
	for _, f := range c.scripts {
		c.run(ctx, f, false, opts)
	}
	for _, fr := range res.Files {
		if fr.Error != nil {
			continue
		}
		f, err := c.fs.open(fr.Path)
		if err != nil {
			continue
		}
		if mod, _, _ := isModule(f.text); mod {
			c.run(ctx, f, true, opts)
		}
	}

	c.setConfirmed(res.Findings)
	for i := range res.Files {
		res.Files[i].Warnings = append(res.Files[i].Warnings, c.warn[res.Files[i].Path]...)
	}
}

// confirmation is the state of one Confirm call.
type confirmation struct {
	fs        *files
	probeName string
	// warn holds the warnings for each bundle path.
	warn map[string][]string

	// What instrumentAll made: the instrumented text of each bundle (by
	// absolute path), the finding indexes of each probe id, and the
	// instrumented bundles that are not ES modules.
	instrumented map[string]string
	probeOf      map[int][]int
	scripts      []*bundleFile

	// What the runs saw: each probe's values, merged across runs, and the
	// names of the built-ins (from the first run that answered).
	probes   map[int]*Probe
	builtins map[string]bool
}

// note adds a warning for the bundle at path.
func (c *confirmation) note(path, msg string) {
	c.warn[path] = append(c.warn[path], "--confirm: "+msg)
}

// instrumentAll instruments every bundle with findings (those with a
// bundle position), in the order of their first finding. Probe IDs are
// unique across files, since an entry may run code from several chunks.
func (c *confirmation) instrumentAll(findings []analyzer.Finding) {
	byPath := map[string][]int{}
	var order []string
	for i, f := range findings {
		if f.Bundle.Line == 0 {
			continue
		}
		if _, ok := byPath[f.Bundle.Path]; !ok {
			order = append(order, f.Bundle.Path)
		}
		byPath[f.Bundle.Path] = append(byPath[f.Bundle.Path], i)
	}
	c.instrumented, c.probeOf = map[string]string{}, map[int][]int{}
	nextID := 0
	for _, path := range order {
		f, err := c.fs.open(path)
		if err != nil {
			c.note(path, err.Error())
			continue
		}
		text, probes, err := instrument(f, byPath[path], findings, c.probeName, &nextID)
		if err != nil {
			c.note(path, "could not instrument the bundle: "+err.Error())
			continue
		}
		if len(probes) == 0 {
			continue
		}
		for id, idx := range probes {
			c.probeOf[id] = idx
		}
		c.instrumented[f.abs] = text
		if mod, _, _ := isModule(f.text); !mod {
			c.scripts = append(c.scripts, f)
		}
	}
}

// run runs f (an instrumented script, or an ES module entry that may link
// instrumented files) in a sandbox process and merges what its probes saw.
func (c *confirmation) run(ctx context.Context, f *bundleFile, module bool, opts Options) {
	req := c.fs.request("confirm", f, module)
	req.Instrumented, req.Probe = c.instrumented, c.probeName
	size := runSize(f, module, c.fs.maxSize())
	if !module {
		size = int64(len(c.instrumented[f.abs]))
	}
	resp, stopped := spawn(ctx, req, size, opts)
	if resp == nil {
		c.note(f.path, "the sandbox stopped: "+stopped+"; reads after that point did not run")
		return
	}
	for _, n := range resp.Notes {
		c.note(f.path, n)
	}
	for id, p := range resp.Probes {
		if q := c.probes[id]; q != nil {
			q.Hits += p.Hits
			q.Other += p.Other
			for _, s := range p.Strings {
				if !contains(q.Strings, s) {
					q.Strings = append(q.Strings, s)
				}
			}
		} else {
			c.probes[id] = p
		}
	}
	if c.builtins == nil {
		c.builtins = resp.Globals
	}
}

// setConfirmed sets Confirmed on each finding whose probe ran and that
// names its original name: true when the probe saw a string that is
// neither that name nor a built-in's.
func (c *confirmation) setConfirmed(findings []analyzer.Finding) {
	for id, idx := range c.probeOf {
		p := c.probes[id]
		if p == nil || p.Hits == 0 {
			continue
		}
		for _, i := range idx {
			f := &findings[i]
			orig := f.Name
			if orig == "" && f.Original != nil {
				orig = f.Original.Name
			}
			if orig == "" {
				continue
			}
			confirmed := false
			for _, s := range p.Strings {
				if s != orig && !c.builtins[s] {
					confirmed = true
				}
			}
			f.Confirmed = &confirmed
		}
	}
}

// confirmJob is the sandbox process's side of Confirm: run one bundle
// (instrumented, or an ES module entry linked with instrumented chunks).
func confirmJob(req childRequest, ready func() time.Time) (resp childResponse) {
	fs := req.files()
	f, err := fs.openAbs(req.Abs, req.Path)
	if err != nil {
		ready()
		resp.Notes = append(resp.Notes, err.Error())
		return resp
	}
	env := req.Env
	if env == Auto {
		env = DetectEnv(f.text)
	}
	units := map[string]*unit{}
	cfg := Config{Env: env, Limits: req.Limits, MainName: scriptName(f.path), Require: requirer(fs, f, units), Probe: req.Probe}
	r := newRun(cfg)
	deadline := ready()
	read := func(abs string) (string, error) {
		if t, ok := req.Instrumented[abs]; ok {
			return t, nil
		}
		lf, err := fs.load(f.root, abs, true)
		if err != nil {
			return "", err
		}
		return lf.text, nil
	}
	var u *unit
	if req.Module {
		u, err = prepare(fs, f, true, units, read)
	} else {
		g := *f
		g.text = req.Instrumented[f.abs]
		g.lines = lines.New(g.text)
		u, err = prepare(fs, &g, false, units, read)
	}
	if err != nil {
		resp.Notes = append(resp.Notes, "cannot run the bundle in the sandbox: "+err.Error())
		return resp
	}
	if req.Module && !linksAny(u, req.Instrumented) {
		return resp
	}
	r.cfg.ProbeSites = probeSites(units, req.Probe)
	out := r.exec(context.Background(), u.script, deadline)
	resp.Probes, resp.Globals = out.Probes, out.Globals
	for _, e := range append(out.Errors, derefStop(out.Stop)...) {
		when := ""
		if e.Phase != "" {
			when = " (" + e.Phase + ")"
		}
		resp.Notes = append(resp.Notes, fmt.Sprintf("startup ended early%s, so reads after that point did not run: %s (manglecheck smoke shows where)", when, e.Message))
	}
	if out.Forged > 0 {
		resp.Notes = append(resp.Notes, fmt.Sprintf("the bundle called the probe %d times from code the instrumentation did not write; those calls were ignored", out.Forged))
	}
	return resp
}

// probeSites lists the probe calls in the units about to run: where
// goja will say each is called from (its opening parenthesis), and the
// id it passes.
func probeSites(units map[string]*unit, probe string) map[ProbeSite]int {
	sites := map[ProbeSite]int{}
	for _, u := range units {
		if u.script == nil || u.script.ast == nil {
			continue
		}
		walk.Inspect(u.script.ast, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpression)
			if !ok || len(c.ArgumentList) != 2 {
				return true
			}
			id, ok := c.Callee.(*ast.Identifier)
			if !ok || id.Name.String() != probe {
				return true
			}
			num, ok := c.ArgumentList[0].(*ast.NumberLiteral)
			if !ok {
				return true
			}
			pid, err := strconv.Atoi(num.Literal)
			if err != nil {
				return true
			}
			// goja's columns count bytes.
			at := off(c.LeftParenthesis)
			l, _ := u.lines.Position(at)
			sites[ProbeSite{Script: u.script.Name, Line: l + 1, Col: at - u.lines.LineStart(l) + 1}] = pid
			return true
		})
	}
	return sites
}

// newProbeName is a name nobody can guess: 128 random bits.
func newProbeName() string {
	var b [16]byte
	_, _ = cryptorand.Read(b[:])
	return "__mc_probe_" + hex.EncodeToString(b[:])
}

func derefStop(e *Error) []Error {
	if e == nil {
		return nil
	}
	return []Error{*e}
}

// linksAny reports whether a linked unit read an instrumented file.
func linksAny(u *unit, instrumented map[string]string) bool {
	if u.link == nil {
		return false
	}
	for _, p := range u.link.files {
		if _, ok := instrumented[p]; ok {
			return true
		}
	}
	return false
}

// instrument wraps the `.name` read each finding of idx points at in
// __mc_probe(id, …). It returns the new text and which findings each
// probe id stands for; findings it cannot probe (not about a .name read,
// an assignment target, the middle of an optional chain) get none.
func instrument(f *bundleFile, idx []int, findings []analyzer.Finding, probe string, nextID *int) (string, map[int][]int, error) {
	parsed, err := parse.Parse(f.path, f.text)
	if err != nil {
		return "", nil, err
	}
	if parsed.Remap != nil || parsed.Fallback {
		return "", nil, fmt.Errorf("the bundle needed esbuild's transform to be parsed, so its offsets cannot be instrumented")
	}
	reads := nameReads(parsed.Program)
	type span struct{ from, to, id int }
	var spans []span
	probes := map[int][]int{}
	bySpan := map[[2]int]int{}
	for _, i := range idx {
		r, ok := reads[findings[i].Offset]
		if !ok || !probeable(f.text[r[0]:r[1]]) {
			continue
		}
		id, ok := bySpan[r]
		if !ok {
			id = *nextID
			*nextID++
			bySpan[r] = id
			spans = append(spans, span{r[0], r[1], id})
		}
		probes[id] = append(probes[id], i)
	}
	type edit struct {
		at    int
		open  bool
		width int
		text  string
	}
	var edits []edit
	for _, s := range spans {
		edits = append(edits, edit{s.from, true, s.to - s.from, probe + "(" + strconv.Itoa(s.id) + ","}, edit{s.to, false, s.to - s.from, ")"})
	}
	// At one offset: closes before opens; the wider of two opens first,
	// the narrower of two closes first, so nested probes nest.
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i], edits[j]
		if a.at != b.at {
			return a.at < b.at
		}
		if a.open != b.open {
			return !a.open
		}
		if a.open {
			return a.width > b.width
		}
		return a.width < b.width
	})
	var sb strings.Builder
	prev := 0
	for _, e := range edits {
		sb.WriteString(f.text[prev:e.at])
		sb.WriteString(e.text)
		prev = e.at
	}
	sb.WriteString(f.text[prev:])
	return sb.String(), probes, nil
}

// nameReads maps the byte offsets a finding may name a probe-able
// `.name` read by — where the read starts, and where its property is
// (the `name` of x.name, the string of x["name"]), which is what rules
// report — to the read's [start, end) range: the narrowest x.name or
// x["name"] there that is read (not assigned, deleted, incremented or
// destructured into) and not the middle of an optional chain.
func nameReads(prg *ast.Program) map[int][2]int {
	out := map[int][2]int{}
	var stack []ast.Node
	walk.Walk(visitor{
		enter: func(n ast.Node) bool {
			if prop, ok := nameProperty(n); ok && readable(n, stack) {
				from, to := walk.Start(n), off(n.Idx1())
				for _, at := range []int{from, prop} {
					if r, ok := out[at]; !ok || to-from < r[1]-r[0] {
						out[at] = [2]int{from, to}
					}
				}
			}
			stack = append(stack, n)
			return true
		},
		leave: func(ast.Node) { stack = stack[:len(stack)-1] },
	}, prg)
	return out
}

// nameProperty reports whether n reads a property called name, and
// where that property is.
func nameProperty(n ast.Node) (int, bool) {
	switch n := n.(type) {
	case *ast.DotExpression:
		return off(n.Identifier.Idx), n.Identifier.Name == "name"
	case *ast.BracketExpression:
		s, ok := n.Member.(*ast.StringLiteral)
		return walk.Start(n.Member), ok && s.Value == "name"
	}
	return 0, false
}

// readable reports whether wrapping n in a call keeps the program's
// meaning: n is only read, and no optional chain short-circuits past it.
func readable(n ast.Node, stack []ast.Node) bool {
	if len(stack) == 0 {
		return true
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.AssignExpression:
		return p.Left != n
	case *ast.UnaryExpression:
		return p.Operator != token.INCREMENT && p.Operator != token.DECREMENT && p.Operator != token.DELETE
	case *ast.CallExpression:
		return p.Callee != n
	case *ast.ForIntoExpression, *ast.ArrayPattern, *ast.ObjectPattern, *ast.TemplateLiteral, *ast.Optional:
		// ForInto and patterns: assigned to; a template's tag: called;
		// Optional: the x?.name of a longer chain.
		if t, ok := p.(*ast.TemplateLiteral); ok {
			return t.Tag != n
		}
		return false
	case *ast.PropertyKeyed, *ast.PropertyShort:
		// A property value inside a pattern is an assignment target.
		for i := len(stack) - 2; i >= 0; i-- {
			switch stack[i].(type) {
			case *ast.ObjectPattern, *ast.ArrayPattern:
				return false
			case *ast.ObjectLiteral:
				return true
			}
		}
	}
	// Inside an optional chain, only the whole chain may be wrapped.
chain:
	for i := len(stack) - 1; i >= 0; i-- {
		switch c := stack[i].(type) {
		case *ast.OptionalChain:
			return c.Expression == n
		case *ast.DotExpression, *ast.BracketExpression, *ast.CallExpression, *ast.Optional:
		default:
			break chain
		}
	}
	return true
}

// probeable is a last check that the read's text stands on its own as an
// expression: goja drops parentheses from its AST, so `(a, b).name`
// starts at `a`, and wrapping from there would not parse.
func probeable(text string) bool {
	_, err := parser.ParseFile(nil, "probe", "__mc_probe(0,"+text+")", 0, parser.WithDisableSourceMaps)
	return err == nil
}
