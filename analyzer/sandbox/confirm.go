package sandbox

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
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
func Confirm(ctx context.Context, res *analyzer.Result, opts Options) {
	fs := newFiles(opts, nil)
	byPath := map[string][]int{}
	var order []string
	for i, f := range res.Findings {
		if f.Bundle.Line == 0 {
			continue
		}
		if _, ok := byPath[f.Bundle.Path]; !ok {
			order = append(order, f.Bundle.Path)
		}
		byPath[f.Bundle.Path] = append(byPath[f.Bundle.Path], i)
	}
	warn := map[string][]string{}
	note := func(path, msg string) { warn[path] = append(warn[path], "--confirm: "+msg) }

	// Instrument every file with findings; probe IDs are unique across
	// files, since an entry may run code from several chunks.
	instrumented := map[string]string{} // abs path → instrumented text
	probeOf := map[int][]int{}          // probe id → finding indexes
	var scripts []*bundleFile           // instrumented files that are not ES modules
	nextID := 0
	for _, path := range order {
		f, err := fs.open(path)
		if err != nil {
			note(path, err.Error())
			continue
		}
		text, probes, err := instrument(f, byPath[path], res.Findings, &nextID)
		if err != nil {
			note(path, "could not instrument the bundle: "+err.Error())
			continue
		}
		if len(probes) == 0 {
			continue
		}
		for id, idx := range probes {
			probeOf[id] = idx
		}
		instrumented[f.abs] = text
		if mod, _, _ := isModule(f.text); !mod {
			scripts = append(scripts, f)
		}
	}
	if len(instrumented) == 0 {
		return
	}

	// Run: each instrumented script, and each ES module entry among the
	// analyzed files whose link step reads an instrumented file.
	probes := map[int]*Probe{}
	var builtins map[string]bool
	runOne := func(f *bundleFile, module bool) {
		read := func(abs string) (string, error) {
			if t, ok := instrumented[abs]; ok {
				return t, nil
			}
			lf, err := fs.load(f.root, abs)
			if err != nil {
				return "", err
			}
			return lf.text, nil
		}
		units := map[string]*unit{}
		var u *unit
		var err error
		if module {
			u, err = prepare(fs, f, true, units, read)
		} else {
			g := *f
			g.text = instrumented[f.abs]
			u, err = prepare(fs, &g, false, units, read)
		}
		if err != nil {
			note(f.path, "cannot run the bundle in the sandbox: "+err.Error())
			return
		}
		if module && !linksAny(u, instrumented) {
			return
		}
		env := opts.Env
		if env == Auto {
			env = DetectEnv(f.text)
		}
		out := Run(ctx, Config{Env: env, Limits: opts.Limits, Main: u.script, Require: requirer(fs, f, units), Probes: true})
		for id, p := range out.Probes {
			if q := probes[id]; q != nil {
				q.Hits += p.Hits
				q.Other += p.Other
				for _, s := range p.Strings {
					if !contains(q.Strings, s) {
						q.Strings = append(q.Strings, s)
					}
				}
			} else {
				probes[id] = p
			}
		}
		if builtins == nil {
			builtins = out.Globals
		}
		for _, e := range append(out.Errors, derefStop(out.Stop)...) {
			note(f.path, fmt.Sprintf("startup ended early (%s), so reads after that point did not run: %s (manglecheck smoke shows where)", e.Phase, e.Message))
		}
	}
	for _, f := range scripts {
		runOne(f, false)
	}
	for _, fr := range res.Files {
		if fr.Error != nil {
			continue
		}
		f, err := fs.open(fr.Path)
		if err != nil {
			continue
		}
		if mod, _, _ := isModule(f.text); mod {
			runOne(f, true)
		}
	}

	for id, idx := range probeOf {
		p := probes[id]
		if p == nil || p.Hits == 0 {
			continue
		}
		for _, i := range idx {
			f := &res.Findings[i]
			orig := f.Name
			if orig == "" && f.Original != nil {
				orig = f.Original.Name
			}
			if orig == "" {
				continue
			}
			confirmed := false
			for _, s := range p.Strings {
				if s != orig && !builtins[s] {
					confirmed = true
				}
			}
			f.Confirmed = &confirmed
		}
	}
	for i := range res.Files {
		res.Files[i].Warnings = append(res.Files[i].Warnings, warn[res.Files[i].Path]...)
	}
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
func instrument(f *bundleFile, idx []int, findings []analyzer.Finding, nextID *int) (string, map[int][]int, error) {
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
		edits = append(edits, edit{s.from, true, s.to - s.from, "__mc_probe(" + strconv.Itoa(s.id) + ","}, edit{s.to, false, s.to - s.from, ")"})
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
