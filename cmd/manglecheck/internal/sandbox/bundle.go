package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/parse"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// Options configure Smoke and Confirm.
type Options struct {
	// Env is the environment bundles run in; Auto picks one per bundle
	// (see DetectEnv).
	Env    Env
	Limits Limits
	// Check is the engine's configuration: which bundles (Include,
	// Exclude), their size limit, source maps (SourceMap), and what is
	// applied to findings (Disable, Severity, suppressions, SourceRoot,
	// Baseline). Rules are not run.
	Check checker.Options
	// Console, when set, gets what each run logged, after the run.
	// The lines are the bundle's own text: escape them before printing.
	Console func(bundle string, lines []string)
	// OnChild, when set, is called after each sandbox process ends
	// (progress, measurements).
	OnChild func(ChildStats)
	// Executable is the program started as the sandbox process; it must
	// call MaybeChild first thing. "" is this program (os.Executable).
	// Tests built with the race detector name a normal build of
	// manglecheck: a race-detector child is too slow, and too big, for
	// the limits under test.
	Executable string
}

// bundleFile is a file a run read, once: a bundle, or a chunk it loaded.
type bundleFile struct {
	path  string // as findings name it (slashes, relative to the working directory when inside it)
	abs   string
	root  string // the directory this file may load other files from
	text  string
	lines *lines.Index

	mapDone bool
	sm      *sourcemap.Map
}

// files reads and caches the files of one Smoke or Confirm call.
type files struct {
	opts   Options
	wd     string
	byAbs  map[string]*bundleFile
	single string // the only input, which Options.Check.SourceMap may name the map of
}

func newFiles(opts Options, inputs []string) *files {
	wd, _ := os.Getwd()
	fs := &files{opts: opts, wd: wd, byAbs: map[string]*bundleFile{}}
	if len(inputs) == 1 {
		fs.single, _ = filepath.Abs(inputs[0])
	}
	return fs
}

// childFiles are the files of a sandbox process: it runs elsewhere than
// the parent's working directory, so paths come absolute.
func (req *childRequest) files() *files {
	opts := Options{Env: req.Env, Limits: req.Limits}
	opts.Check.SourceMap = req.SourceMap
	opts.Check.MaxFileSize = req.MaxFileSize
	return &files{opts: opts, wd: req.Wd, byAbs: map[string]*bundleFile{}, single: req.Single}
}

// request is the part of a sandbox request that says how files are read.
func (fs *files) request(job string, f *bundleFile, module bool) childRequest {
	sm := fs.opts.Check.SourceMap
	if sm != "" && sm != "none" {
		if abs, err := filepath.Abs(sm); err == nil {
			sm = abs
		}
	}
	return childRequest{
		Job: job, Path: f.path, Abs: f.abs, Module: module,
		Env: fs.opts.Env, Limits: fs.opts.Limits,
		SourceMap: sm, MaxFileSize: fs.maxSize(), Single: fs.single, Wd: fs.wd,
	}
}

// openAbs reads the bundle at abs, which findings name path.
func (fs *files) openAbs(abs, path string) (*bundleFile, error) {
	if f := fs.byAbs[abs]; f != nil {
		return f, nil
	}
	text, err := readFile(abs, fs.maxSize())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f := &bundleFile{path: path, abs: abs, root: filepath.Dir(abs), text: text, lines: lines.New(text)}
	fs.byAbs[abs] = f
	return f, nil
}

func (fs *files) maxSize() int64 {
	if fs.opts.Check.MaxFileSize > 0 {
		return fs.opts.Check.MaxFileSize
	}
	return checker.DefaultMaxFileSize
}

// open reads a bundle named on the command line.
func (fs *files) open(path string) (*bundleFile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f := fs.byAbs[abs]; f != nil {
		return f, nil
	}
	text, err := readFile(abs, fs.maxSize())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f := &bundleFile{path: filepath.ToSlash(path), abs: abs, root: filepath.Dir(abs), text: text, lines: lines.New(text)}
	fs.byAbs[abs] = f
	return f, nil
}

// load reads a file another one imports or requires: only inside the
// importing bundle's directory (symlinks resolved), the way source maps
// are only read from there, and only a JavaScript chunk of the build
// (.js, .mjs, .cjs) — or, when json is set (an ES import, which esbuild
// parses as data), a .json file. A bundle is untrusted input: a
// require("./.env") must not put the file in an error message or a
// code frame.
func (fs *files) load(root, abs string, json bool) (*bundleFile, error) {
	if !isJSName(abs) && !(json && strings.EqualFold(filepath.Ext(abs), ".json")) {
		return nil, errors.New("not a JavaScript file of the build (the sandbox loads only .js, .mjs and .cjs files, and .json that an import names)")
	}
	if f := fs.byAbs[abs]; f != nil {
		return f, nil
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, errors.New("no such file")
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		realRoot = root
	}
	rel, err := filepath.Rel(realRoot, real)
	if err != nil || !filepath.IsLocal(rel) {
		return nil, errors.New("outside the bundle's directory")
	}
	if !isJSName(real) && !(json && strings.EqualFold(filepath.Ext(real), ".json")) {
		return nil, errors.New("a link to a file that is not JavaScript")
	}
	text, err := readFile(real, fs.maxSize())
	if err != nil {
		return nil, err
	}
	path := abs
	if r, err := filepath.Rel(fs.wd, abs); err == nil && !strings.HasPrefix(r, "..") {
		path = r
	}
	f := &bundleFile{path: filepath.ToSlash(path), abs: abs, root: root, text: text, lines: lines.New(text)}
	fs.byAbs[abs] = f
	return f, nil
}

// isJSName reports whether a file name has a JavaScript extension: the
// only files a run loads as code.
func isJSName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".js", ".mjs", ".cjs":
		return true
	}
	return false
}

func readFile(path string, max int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return "", err
	}
	if int64(len(data)) > max {
		return "", fmt.Errorf("over the %d byte limit (--max-file-size)", max)
	}
	return string(data), nil
}

// sourceMap returns f's map as the engine would find it, or nil.
func (fs *files) sourceMap(f *bundleFile) *sourcemap.Map {
	if f.mapDone {
		return f.sm
	}
	f.mapDone = true
	var raw []byte
	switch sm := fs.opts.Check.SourceMap; {
	case sm == "none":
		return nil
	case sm != "":
		if f.abs != fs.single {
			return nil
		}
		data, err := readFile(sm, 16*fs.maxSize())
		if err != nil {
			return nil
		}
		raw = []byte(data)
	default:
		data, _, err := sourcemap.Locate(f.abs, []byte(f.text), filepath.Dir(f.abs), 16*fs.maxSize())
		if err != nil {
			return nil
		}
		raw = data
	}
	m, err := sourcemap.Parse(raw)
	if err != nil {
		return nil
	}
	f.sm = m
	return m
}

// nameAt is the original name of the identifier at byte offset at of f:
// the map's name for a segment that starts there (esbuild records names
// only for identifiers it renamed), else the identifier as it is in f.
func (fs *files) nameAt(f *bundleFile, at int) string {
	emitted := identAt(f.text, at)
	if sm := fs.sourceMap(f); sm != nil {
		line, col := f.lines.Position(at)
		if m, ok := sm.Find(line, col); ok && m.GenLine == line && m.GenCol == col && m.HasName {
			return m.Name
		}
	}
	return emitted
}

// identAt returns the identifier that starts at byte offset at of s.
func identAt(s string, at int) string {
	if at < 0 || at >= len(s) {
		return ""
	}
	end := at
	for end < len(s) && (isIdentByte(s[end]) || s[end] >= 0x80) {
		end++
	}
	return s[at:end]
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// unit is a script a run executes and how its positions map back to the
// bundle files: a file's own text (behind a wrapper of prefix bytes), or
// esbuild's output with its map.
type unit struct {
	script *Script
	text   string
	lines  *lines.Index
	file   *bundleFile
	prefix int
	link   *linked
	// linkFiles[i] is the file of the link map's source i, or nil.
	linkFiles []*bundleFile
}

// locate maps a position of the unit's text (1-based line, 1-based byte
// column, as goja reports) to a byte offset in a bundle file.
func (u *unit) locate(line, col int) (*bundleFile, int, bool) {
	if line < 1 || line > u.lines.Lines() {
		return nil, 0, false
	}
	at := u.lines.LineStart(line-1) + col - 1
	return u.locateOffset(at)
}

// locateOffset maps a byte offset of the unit's text to a bundle file.
func (u *unit) locateOffset(at int) (*bundleFile, int, bool) {
	if at < 0 || at > len(u.text) {
		return nil, 0, false
	}
	if u.link == nil {
		at -= u.prefix
		if u.file == nil || at < 0 || at > len(u.file.text) {
			return nil, 0, false
		}
		return u.file, at, true
	}
	l, c := u.lines.Position(at)
	m, ok := u.link.sm.Find(l, c)
	if !ok || m.SourceIndex < 0 || m.SourceIndex >= len(u.linkFiles) || u.linkFiles[m.SourceIndex] == nil {
		return nil, 0, false
	}
	f := u.linkFiles[m.SourceIndex]
	o, ok := f.lines.Offset(m.OrigLine, m.OrigCol)
	return f, o, ok
}

// DetectEnv guesses the environment a bundle was built for from its text:
// Node when CommonJS or Node markers (module.exports, exports.x, require(
// as a free call, process.env/argv, __dirname, a hashbang) outnumber
// browser markers (window, document, navigator, localStorage,
// addEventListener, customElements), else Browser. A UMD bundle has both
// and runs either way; ties go to Browser. Smoke, when not told the
// environment, runs a bundle whose top level throws "ReferenceError: module
// is not defined" (or another global of the other environment) again in
// the other one.
func DetectEnv(src string) Env {
	if strings.HasPrefix(src, "#!") {
		return Node
	}
	nodeScore := countFree(src, "module.exports") + countFree(src, "exports.") + countFree(src, "require(") +
		countFree(src, "process.env") + countFree(src, "process.argv") + countFree(src, "__dirname") + countFree(src, "__filename")
	browserScore := countFree(src, "window") + countFree(src, "document.") + countFree(src, "navigator.") +
		countFree(src, "localStorage") + countFree(src, "addEventListener(") + countFree(src, "customElements")
	if nodeScore > browserScore {
		return Node
	}
	return Browser
}

// countFree counts occurrences of word not preceded by an identifier
// character or a dot, so that __webpack_require__( and x.window do not
// count.
func countFree(src, word string) int {
	n := 0
	for i := 0; ; {
		j := strings.Index(src[i:], word)
		if j < 0 {
			return n
		}
		at := i + j
		if at == 0 || !(isIdentByte(src[at-1]) || src[at-1] == '.') {
			if end := at + len(word); end >= len(src) || !isIdentByte(word[len(word)-1]) || !isIdentByte(src[end]) {
				n++
			}
		}
		i = at + len(word)
	}
}

// moduleImports returns the module specifiers an ES module bundle
// imports and re-exports, static and (string-literal) dynamic.
func moduleImports(src string, m *esm.Module) []string {
	var out []string
	for _, im := range m.Imports {
		out = append(out, im.Source)
	}
	for _, ex := range m.Exports {
		if ex.Source != "" {
			out = append(out, ex.Source)
		}
	}
	for _, at := range m.DynamicImports {
		// import ( "x" ) — the keyword was rewritten in place.
		i := at + len("import")
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
			i++
		}
		if i >= len(src) || src[i] != '(' {
			continue
		}
		i++
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
			i++
		}
		if i >= len(src) || (src[i] != '"' && src[i] != '\'') {
			continue
		}
		q := src[i]
		end := strings.IndexByte(src[i+1:], q)
		if end < 0 {
			continue
		}
		out = append(out, src[i+1:i+1+end])
	}
	return out
}

// isModule reports whether src is an ES module (goja cannot run it as
// it is) and what it imports.
func isModule(src string) (bool, *esm.Module, error) {
	_, m, err := esm.LowerWith(src, esm.Options{MaxNesting: parse.MaxNesting, MaxChain: parse.MaxChain})
	if errors.Is(err, esm.ErrTooDeep) {
		return false, nil, err
	}
	if m == nil {
		return false, nil, nil
	}
	mod := len(m.Imports) > 0 || len(m.Exports) > 0 || len(m.ImportMeta) > 0 || len(m.DynamicImports) > 0 || m.TopLevelAwait || m.DefaultExpr >= 0
	return mod, m, nil
}
