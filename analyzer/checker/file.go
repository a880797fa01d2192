package checker

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundlefacts"
	"github.com/manglecheck/manglecheck/analyzer/bundler"
	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/load"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/originals"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/analyzer/policy"
	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/sniff"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

const defaultMaxFileSize = DefaultMaxFileSize

// checkSource runs the whole pipeline on one bundle: read, parse (lowering
// ES modules) while the map loads, resolve scopes, compute name facts, run
// the rules, position the findings, and apply the per-file policy (see
// fileContext.applyFilePolicy).
func checkSource(ctx context.Context, in Source, opts Options, p *policy.Policy, cpu *cores, lk *linker) (fr FileResult, out []analyzer.Finding) {
	path := in.Path
	fr = FileResult{Path: path}
	fail := func(err error) (FileResult, []analyzer.Finding) {
		msg := err.Error()
		fr.Error = &msg
		return fr, nil
	}
	// A bug in the engine on one hostile input must not take down the
	// run: the file is reported as not analyzed (exit 2), never as clean.
	defer func() {
		if v := recover(); v != nil {
			fr, out = fail(fmt.Errorf("%s: internal error while analyzing: %v", path, v))
		}
	}()
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	data, err := bundleBytes(in, opts)
	if err != nil {
		return fail(err)
	}
	fr.Bytes = int64(len(data))
	src := string(data)

	parsed, lm, err := parseWhileMapLoads(in, data, src, opts, p, cpu)
	if err != nil {
		if why := sniff.NotJavaScript(path, data); why != "" {
			err = &sniff.Error{Path: path, Why: why}
		}
		return parseFailed(fr, err, src, opts, p)
	}
	fr.Module = parsed.Module != nil
	if lm.warn != "" {
		fr.Warnings = append(fr.Warnings, lm.warn)
	}
	built := detectBundler(path, src, lm.sm)
	if built.Bundler != "" {
		fr.Bundler = &built
	}
	where := lm.where
	if lm.sm != nil {
		fr.SourceMap = &where
	}
	at := &bundlePlaces{path: path, mapPath: where, root: p.SourceRoot(), lines: lines.New(src), sm: lm.sm, remap: parsed.Remap}

	// The first walk of the name analysis needs no scopes: it runs while
	// they are built.
	collected := background(cpu, func() *names.Collected { return names.Collect(parsed.Program) })
	mod := moduleBindingsOf(parsed.Module)
	mod.linked = lk.imports(path, parsed.Module)
	// A .mjs file is an ES module wherever it runs (Node, and a browser
	// that loads it with type=module), with or without import/export: its
	// top-level names are no globals.
	module := parsed.Module != nil || strings.HasSuffix(path, ".mjs")
	sc := scope.Build(parsed.Program, scope.Options{Module: module, Imports: mod.imports})
	minified := looksMinified(src, at.lines, sc)
	fr.Minified = minified
	col, err := collected()
	if err != nil {
		return fail(fmt.Errorf("%s: %w", path, err))
	}
	nf, knowsNames := analyzeNames(col, sc, mod, lm, at, minified)
	lk.record(path, parsed.Module, nf)
	file := &analyzer.File{Path: path, Src: parsed.Text, Program: parsed.Program, Scope: sc, Names: nf, Minified: minified, HasMap: knowsNames}

	out = positionFindings(runRules(opts.Rules, file, &fr, cpu), p, at, built)
	if opts.Facts {
		var sources []string
		if lm.sm != nil {
			sources = lm.sm.Sources()
		}
		fr.Facts = bundlefacts.New(nf, sources, at.toBundle, at.original)
	}
	fc := p.File(policy.Bundle{Path: path, Src: src, Lines: at.lines, Map: lm.sm, MapPath: where, MaxSize: maxFileSize(opts)})
	return fr, fc.Apply(out)
}

// bundleBytes returns the bundle's text: in.Contents, or else the file at
// in.Path; either way an error when it is over the size limit.
func bundleBytes(in Source, opts Options) ([]byte, error) {
	limit := maxFileSize(opts)
	if in.Contents == nil {
		return load.ReadFile(in.Path, limit)
	}
	if int64(len(in.Contents)) > limit {
		return nil, fmt.Errorf("%s: %d bytes is over the %d byte limit (--max-file-size)", in.Path, len(in.Contents), limit)
	}
	return in.Contents, nil
}

// loadedMap is a bundle's source map as loaded next to the parse.
type loadedMap struct {
	sm *sourcemap.Map // nil without a (usable) map
	// texts are the map's original sources, decoded (see originals.Texts).
	texts []*names.SourceText
	// where is where the map came from (a path, or "inline"); warn says
	// why a map was not used ("" none).
	where, warn string
}

// parseWhileMapLoads parses the bundle while its source map is read and
// decoded: the two are the slowest stages before analysis and do not
// depend on each other. A big bundle is parsed in pieces on cores taken
// from cpu.
func parseWhileMapLoads(in Source, data []byte, src string, opts Options, p *policy.Policy, cpu *cores) (*parse.Result, loadedMap, error) {
	// The map takes no core from the budget: its ~half of the parse's
	// time overlaps even a parse in pieces well.
	mapDone := spawn(func() loadedMap {
		sm, where, warn := loadSourceMap(in, data, opts)
		// The parse takes much longer than the map: decode the sources
		// now, while it runs (names reads the text at the original
		// position of nearly every anonymous function).
		return loadedMap{sm, originals.Texts(sm, diskSource(in.Path, where, p, maxFileSize(opts))), where, warn}
	})
	extra := 0
	if len(src) >= parse.MinSplit {
		extra = cpu.take(parse.MaxPieces - 1)
	}
	parsed, err := parse.ParseWith(in.Path, src, parse.Options{Cores: 1 + extra})
	cpu.give(extra)
	lm, merr := mapDone()
	if merr != nil {
		lm = loadedMap{warn: "source map not used: " + merr.Error()}
	}
	return parsed, lm, err
}

// moduleBindings is what scopes and name facts need to know of an ES
// module's imports and exports.
type moduleBindings struct {
	imports []scope.ImportBinding
	// exported are the local names of the exports.
	exported []string
	// defaultExport is the offset of the default export's expression, -1
	// when there is none.
	defaultExport int
	// linked are what the import bindings hold, from the chunks of the
	// run they import (see link.go).
	linked map[string][]names.Exported
	// packages are the import bindings that name a package (a bare
	// specifier), by local name.
	packages map[string]names.PackageImport
}

// moduleBindingsOf reads m's imports and exports; a script (m nil) has
// none.
func moduleBindingsOf(m *esm.Module) moduleBindings {
	mb := moduleBindings{defaultExport: -1}
	if m == nil {
		return mb
	}
	for _, im := range m.Imports {
		mb.imports = append(mb.imports, scope.ImportBinding{Name: im.Local, Pos: im.LocalPos})
		if bareSpecifier(im.Source) {
			if mb.packages == nil {
				mb.packages = map[string]names.PackageImport{}
			}
			mb.packages[im.Local] = names.PackageImport{Package: im.Source, Name: im.Imported}
		}
	}
	for _, ex := range m.Exports {
		if ex.Local != "" {
			mb.exported = append(mb.exported, ex.Local)
		}
	}
	mb.defaultExport = m.DefaultExpr
	return mb
}

// bareSpecifier reports whether an import names a package, not a file
// or a URL.
func bareSpecifier(spec string) bool {
	return spec != "" && !strings.HasPrefix(spec, ".") && !strings.HasPrefix(spec, "/") && !strings.Contains(spec, ":")
}

// analyzeNames computes the name facts of a bundle from the first walk's
// result col and its scopes sc, and reports whether its map knows the
// original names (File.HasMap).
func analyzeNames(col *names.Collected, sc *scope.Info, mod moduleBindings, lm loadedMap, at *bundlePlaces, minified bool) (*names.Facts, bool) {
	originalAt, origin := originals.Lookups(lm.sm, lm.texts, at.lines, at.toBundle)
	// A map that has neither names nor source text cannot say what was
	// renamed: the rules then read the bundle alone, as without a map
	// (such a map made real findings vanish).
	knowsNames := lm.sm != nil && (lm.sm.HasNames() || slices.ContainsFunc(lm.texts, func(t *names.SourceText) bool { return t != nil }))
	nf := col.Analyze(sc, names.Options{
		OriginalAt:     originalAt,
		Origin:         origin,
		SourceDecls:    originals.Decls(lm.sm),
		HasMap:         knowsNames,
		Minified:       minified,
		DefaultExport:  mod.defaultExport,
		Exported:       mod.exported,
		Linked:         mod.linked,
		PackageImports: mod.packages,
	})
	return nf, knowsNames
}

// positionFindings turns the rules' diagnostics into findings: it drops
// those about pinned names and repeats (same rule, offset and message),
// and places each in the bundle and in the original source its map gives.
func positionFindings(diags []ruleDiag, p *policy.Policy, at *bundlePlaces, built bundler.Info) []analyzer.Finding {
	var out []analyzer.Finding
	seen := map[string]bool{}
	for _, x := range diags {
		if p.NamesPinned(x.d.Name, "") {
			continue
		}
		off, ok := at.toBundle(x.d.Pos)
		if !ok {
			off = 0
		}
		key := fmt.Sprintf("%s\x00%d\x00%s", x.rule.ID, off, x.d.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, at.finding(x, off, built))
	}
	return out
}

// bundlePlaces positions byte offsets of one bundle: line and column in
// the bundle, and the original source its map gives.
type bundlePlaces struct {
	path    string
	mapPath string // where the map came from ("" without one)
	root    string // the directory original paths are relative to (policy.root)
	lines   *lines.Index
	sm      *sourcemap.Map // nil without a map
	// remap maps an offset in the parsed text to the bundle; nil when the
	// parsed text is the bundle (see parse.Result.Remap).
	remap func(off int) (int, bool)
}

// toBundle maps an offset in the parsed text to the bundle.
func (b *bundlePlaces) toBundle(off int) (int, bool) {
	if b.remap == nil {
		return off, true
	}
	return b.remap(off)
}

// mapped returns the map's segment at 0-based line and UTF-16 column col16
// of the bundle and the original position it gives (without a name), or a
// nil position when the map gives none there.
func (b *bundlePlaces) mapped(line, col16 int) (sourcemap.Mapping, *analyzer.Original) {
	if b.sm == nil {
		return sourcemap.Mapping{}, nil
	}
	m, ok := b.sm.Find(line, col16)
	if !ok || m.SourceIndex < 0 {
		return m, nil
	}
	return m, &analyzer.Original{Source: load.OriginalPath(b.path, b.mapPath, m.Source, b.root), Line: m.OrigLine + 1, Column: m.OrigCol + 1}
}

// original returns the original position of bundle offset off (without a
// name) and its source as the map spells it; nil and "" when the map gives
// none.
func (b *bundlePlaces) original(off int) (*analyzer.Original, string) {
	m, orig := b.mapped(b.lines.Position(off))
	if orig == nil {
		return nil, ""
	}
	return orig, m.Source
}

// place positions bundle offset off: its line and column, its original
// position named name (or, when name is "", what the map names there), and
// its source as the map spells it.
func (b *bundlePlaces) place(off int, name string) (analyzer.Position, *analyzer.Original, string) {
	line, col := b.lines.Position(off)
	pos := analyzer.Position{Path: b.path, Line: line + 1, Column: col + 1}
	m, orig := b.mapped(line, col)
	if orig == nil {
		return pos, nil, ""
	}
	if name == "" && m.HasName {
		name = m.Name
	}
	orig.Name = name
	return pos, orig, m.Source
}

// finding is the finding of diagnostic x at bundle offset off, its
// message retargeted at the bundler that built the bundle.
func (b *bundlePlaces) finding(x ruleDiag, off int, built bundler.Info) analyzer.Finding {
	sev := x.d.Severity
	if sev == 0 {
		sev = x.rule.Severity
	}
	pos, orig, source := b.place(off, x.d.Name)
	f := analyzer.Finding{
		Rule:     x.rule.ID,
		Severity: sev,
		Message:  bundler.Retarget(x.d.Message, built),
		Bundle:   pos,
		Offset:   off,
		Excerpt:  excerpt(b.lines.Line(pos.Line-1), off-b.lines.LineStart(pos.Line-1)),
		Name:     x.d.Name,
		Original: orig,
	}
	if orig != nil {
		if f.Dependency = load.Dependency(source); f.Dependency != "" {
			// Many real breaks live in dependencies, where nobody
			// looks: say so up front.
			f.Message = "in dependency " + f.Dependency + ": " + f.Message
		}
	}
	for _, r := range x.d.Related {
		roff, ok := b.toBundle(r.Pos)
		if !ok {
			continue
		}
		rpos, rorig, _ := b.place(roff, "")
		f.Related = append(f.Related, analyzer.Location{Message: bundler.Retarget(r.Message, built), Bundle: rpos, Original: rorig})
	}
	return f
}

// detectBundler recognises what built the bundle at path (see package
// bundler): its text, its map's sources, then the configuration file of
// the project it sits in.
func detectBundler(path, src string, sm *sourcemap.Map) bundler.Info {
	var sources []string
	if sm != nil {
		sources = sm.Sources()
	}
	return bundler.Refine(bundler.Detect(src, sources), bundler.FindProject(filepath.Dir(path)))
}

// ruleDiag is a diagnostic and the rule that reported it.
type ruleDiag struct {
	rule *analyzer.Rule
	d    analyzer.Diagnostic
}

// runRules computes the analyses the rules require, then runs the rules
// on file, several at a time when cores are idle (the name facts and the
// analyses are read-only by then), and returns their diagnostics in rule
// order, so the output does not depend on scheduling. A rule that fails,
// or an analysis it requires, adds a warning to fr.
func runRules(rs []*analyzer.Rule, file *analyzer.File, fr *FileResult, cpu *cores) []ruleDiag {
	if _, err := protect(func() bool { file.Prepare(rs); return true }); err != nil {
		fr.Warnings = append(fr.Warnings, fmt.Sprintf("an analysis failed on %s: %v", file.Path, err))
	}
	type result struct {
		diags []ruleDiag
		err   error
	}
	results := make([]result, len(rs))
	next := make(chan int)
	var wg sync.WaitGroup
	extra := cpu.take(len(rs) - 1)
	defer cpu.give(extra)
	for range 1 + extra {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, res := rs[i], &results[i]
				pass := analyzer.NewPass(r, file, func(d analyzer.Diagnostic) {
					res.diags = append(res.diags, ruleDiag{r, d})
				})
				res.err = runRule(r, pass)
			}
		}()
	}
	for i := range rs {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []ruleDiag
	for _, res := range results {
		if res.err != nil {
			fr.Warnings = append(fr.Warnings, res.err.Error())
		}
		out = append(out, res.diags...)
	}
	return out
}

// runRule runs one rule, turning a panic in it into an error for this
// file: a bug in one rule must not take down the whole run.
func runRule(r *analyzer.Rule, p *analyzer.Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("rule %s failed on %s: %v", r.ID, p.File.Path, v)
		}
	}()
	r.Run(p)
	return nil
}

func maxFileSize(opts Options) int64 {
	if opts.MaxFileSize > 0 {
		return opts.MaxFileSize
	}
	return defaultMaxFileSize
}

// loadMap finds and decodes the bundle's source map. A missing map is
// silent; a broken one is a warning and the file is analyzed without it.
func loadMap(path string, data []byte, opts Options) (*sourcemap.Map, string, string) {
	if opts.SourceMap == "none" {
		return nil, "", ""
	}
	var raw []byte
	var where string
	var err error
	if opts.SourceMap != "" {
		where = opts.SourceMap
		raw, err = load.ReadFile(opts.SourceMap, mapLimit(len(data), opts))
	} else {
		raw, where, err = sourcemap.Locate(path, data, filepath.Dir(path), mapLimit(len(data), opts))
		if errors.Is(err, sourcemap.ErrNoMap) {
			return nil, "", ""
		}
	}
	if err != nil {
		return nil, "", fmt.Sprintf("source map not used: %v", err)
	}
	m, err := sourcemap.Parse(raw)
	if err != nil {
		return nil, "", fmt.Sprintf("source map %s not used: %v", where, err)
	}
	return m, where, ""
}

// looksMinified reports whether a bundle looks minified: long lines and
// mostly one- or two-letter bindings.
func looksMinified(src string, li *lines.Index, sc *scope.Info) bool {
	if len(src) == 0 {
		return false
	}
	// Long lines: count the lines of code (not blank, not the trailing
	// //# sourceMappingURL comment); a single line of code is as long as
	// the chunk it holds (code-split chunks can be tiny).
	code, codeBytes := 0, 0
	for i := 0; i < li.Lines(); i++ {
		t := strings.TrimSpace(li.Line(i))
		if t == "" || strings.HasPrefix(t, "//# ") || strings.HasPrefix(t, "//@ ") {
			continue
		}
		code++
		codeBytes += len(t)
	}
	if code == 0 || code > 1 && codeBytes/code < 80 {
		return false
	}
	short, total := 0, 0
	for _, b := range sc.Bindings {
		if b.Kind == scope.Arguments || b.Kind == scope.Import {
			continue
		}
		total++
		if len(b.Name) <= 2 {
			short++
		}
	}
	if total >= 3 {
		return short*2 >= total
	}
	// Too few bindings to judge by: minified code has almost no whitespace.
	ws := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t', '\n', '\r':
			ws++
		}
	}
	return ws*10 < len(src)
}

// excerpt returns a window of the line around col (a byte offset in the
// line), about 80 characters, on rune boundaries.
func excerpt(line string, col int) string {
	const before, after = 30, 50
	if col > len(line) {
		col = len(line)
	}
	from, to := col-before, col+after
	prefix, suffix := "…", "…"
	if from <= 0 {
		from, prefix = 0, ""
	}
	if to >= len(line) {
		to, suffix = len(line), ""
	}
	for from > 0 && from < len(line) && !isRuneStart(line[from]) {
		from--
	}
	for to < len(line) && !isRuneStart(line[to]) {
		to++
	}
	return prefix + strings.TrimRight(line[from:to], "\r\n") + suffix
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// diskSource reads a map's source from disk when the map carries no
// sourcesContent (terser and swc leave it out unless asked): a file inside
// the working directory only, as the code frames do (a map is untrusted
// input), and no larger than a bundle may be. Without it, a library
// module's top-level `const __DEV__` read as globalThis.__DEV__ passed for
// a renamed global of a script (apollo-client built by terser).
func diskSource(bundle, mapPath string, p *policy.Policy, max int64) func(raw string) (string, bool) {
	return func(raw string) (string, bool) { return p.ReadSource(bundle, mapPath, raw, max) }
}
