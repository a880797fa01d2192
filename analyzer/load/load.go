// Package load finds and reads the files a check reads: it turns
// command-line inputs (files, directories and globs) into the sorted list
// of bundle files to analyze, reads bundles and maps within a size limit
// (ReadFile), and locates and reads the original sources a map names
// (OriginalPath, OriginalFile, ReadInside), never outside the directory
// they must stay in.
//
// A file named explicitly is taken whatever its extension. A directory is
// walked recursively for JavaScript files, skipping node_modules, hidden
// directories and source maps. A glob is matched segment by segment with
// path/filepath.Match semantics, plus "**" for any number of directories.
// Symbolic links met in a walk are followed only when they stay inside the
// directory (or the glob's fixed prefix) the walk started from: a link out
// of it (to "/", to a secret) is reported as an *Error and not followed.
// Each directory is read at most once, so symlink loops end. Files on
// /proc and /sys (kernel pseudo-files such as /proc/self/environ
// look like regular files) are refused, named or walked; devices and
// FIFOs are not regular files. A path that
// cannot be read is reported as an *Error for that path and the walk goes
// on.
package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// DefaultExtensions are the file extensions taken from directories and globs.
var DefaultExtensions = []string{".js", ".mjs", ".cjs"}

// Options configure Expand.
type Options struct {
	// Extensions taken when walking directories and matching globs, with
	// the leading dot; nil means DefaultExtensions.
	Extensions []string
}

// Input is one file to analyze.
type Input struct {
	// Path is the cleaned, slash-separated path, relative when the input
	// was relative. It is also what the file is opened by.
	Path string
}

// Error is a problem with one path: an input that matches nothing, or a
// file or directory that cannot be read.
type Error struct {
	// Path is the cleaned, slash-separated path the error is about.
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ErrNoMatch is wrapped by the Error for a glob that matches no file.
var ErrNoMatch = errors.New("no such file: pattern matches nothing")

// ErrNoFiles is wrapped by the Error for a directory without JavaScript
// files: most likely the wrong directory (the sources, not the build).
var ErrNoFiles = errors.New("no JavaScript files found")

// ErrOnlyMaps is wrapped by the Error for a directory whose only candidates
// are source maps: the .js files were deleted, or the maps are written
// apart from the bundles.
var ErrOnlyMaps = fmt.Errorf("%w, only source maps (.map): pass the directory of the .js files they map", ErrNoFiles)

// Expand resolves inputs to the files to analyze, sorted and without
// duplicates, and the per-path errors met on the way, sorted by path.
// An input that names nothing yields an Error wrapping fs.ErrNotExist,
// ErrNoMatch for a glob or ErrNoFiles for a directory; the other inputs are
// still expanded.
func Expand(inputs []string, opts Options) ([]Input, []*Error) {
	exts := opts.Extensions
	if exts == nil {
		exts = DefaultExtensions
	}
	e := &expander{
		exts:    exts,
		files:   make(map[string]bool),
		visited: make(map[string]bool),
	}
	for _, in := range inputs {
		e.input(in)
	}

	out := make([]Input, 0, len(e.files))
	for p := range e.files {
		out = append(out, Input{Path: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	sort.SliceStable(e.errs, func(i, j int) bool { return e.errs[i].Path < e.errs[j].Path })
	return out, dedupErrors(e.errs)
}

type expander struct {
	exts  []string
	files map[string]bool // display path → taken
	// visited holds the resolved path of every directory read (with the
	// glob state, for globs), so a symlink loop or a second route to the
	// same directory is read only once.
	visited map[string]bool
	errs    []*Error
	nglob   int
	// hit is set when the current input yielded a file (or a directory
	// already walked for an earlier input).
	hit bool
	// maps counts the source maps met in walked directories.
	maps int
	// root is the resolved, absolute directory the current input's walk
	// started from; symbolic links out of it are not followed.
	root string
}

// ErrOutside is wrapped by the Error for a symbolic link that leads out
// of the directory being walked.
var ErrOutside = errors.New("a symbolic link out of the directory being checked; not followed")

// ErrPseudo is wrapped by the Error for a file on /proc or /sys.
var ErrPseudo = errors.New("on /proc or /sys, a kernel file system: not a bundle")

// resolve is p with symbolic links resolved, absolute; "" when it cannot
// be resolved.
func resolve(p string) string {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return ""
	}
	abs, err := filepath.Abs(real)
	if err != nil {
		return ""
	}
	return abs
}

// within reports whether the resolved path p is root or inside it.
func within(root, p string) bool {
	if root == "" || p == root {
		return true
	}
	rel, err := filepath.Rel(root, p)
	return err == nil && filepath.IsLocal(rel)
}

// pseudo reports whether the resolved path p is on a kernel pseudo-file
// system.
func pseudo(p string) bool {
	for _, d := range []string{"/proc", "/sys"} {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

func (e *expander) fail(p string, err error) {
	// Drop the Op and Path of an *fs.PathError: Error.Path says which file.
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	e.errs = append(e.errs, &Error{Path: p, Err: err})
}

// display cleans p and makes it slash-separated.
func display(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

func (e *expander) input(in string) {
	if in == "" {
		e.errs = append(e.errs, &Error{Path: `""`, Err: fs.ErrNotExist})
		return
	}
	e.hit = false
	e.root = ""
	nerr, maps := len(e.errs), e.maps
	// A path that exists is taken literally even if it contains glob
	// metacharacters: file names like "[id].js" (Next.js routes) are real.
	if _, err := os.Lstat(in); err == nil || !hasMeta(in) {
		e.path(display(in), true)
		if !e.hit && len(e.errs) == nerr {
			err := ErrNoFiles
			if e.maps > maps {
				err = ErrOnlyMaps
			}
			e.errs = append(e.errs, &Error{Path: display(in), Err: err})
		}
		return
	}
	e.glob(in)
	if !e.hit && len(e.errs) == nerr {
		e.errs = append(e.errs, &Error{Path: filepath.ToSlash(in), Err: ErrNoMatch})
	}
}

// path handles p (a display path) named by the user or matched by a glob:
// a directory is walked, a file is taken. explicit files are taken whatever
// their extension; matched files only with a JavaScript extension.
func (e *expander) path(p string, explicit bool) {
	fi, err := os.Stat(p)
	if err != nil {
		e.fail(p, err)
		return
	}
	real := resolve(p)
	if pseudo(real) {
		e.fail(p, ErrPseudo)
		return
	}
	switch {
	case fi.IsDir():
		if e.root == "" {
			e.root = real
		}
		e.walk(p)
	case !fi.Mode().IsRegular():
		// Opening a FIFO or device would block or never end.
		e.fail(p, errors.New("not a regular file"))
	case explicit || e.wanted(p):
		e.take(p)
	}
}

// take records a regular file after checking that it can be opened, so an
// unreadable file is an error here rather than a surprise later.
func (e *expander) take(p string) {
	if pseudo(resolve(p)) {
		e.fail(p, ErrPseudo)
		return
	}
	f, err := os.Open(p)
	if err != nil {
		e.fail(p, err)
		return
	}
	f.Close()
	e.files[p] = true
	e.hit = true
}

func (e *expander) wanted(name string) bool {
	if strings.HasSuffix(name, ".map") {
		return false
	}
	for _, x := range e.exts {
		if strings.HasSuffix(name, x) {
			return true
		}
	}
	return false
}

// firstVisit reports whether the directory at p (with glob state key) has
// not been read yet, and marks it read.
func (e *expander) firstVisit(p, key string) (bool, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false, err
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	k := real + "\x00" + key
	if e.visited[k] {
		return false, nil
	}
	e.visited[k] = true
	return true, nil
}

// skipDir reports whether a directory met during a walk is skipped:
// dependencies and hidden directories (.git, .cache) are not bundles to
// check. A directory the user names is never skipped.
func skipDir(name string) bool {
	return name == "node_modules" || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// readDir lists directory p, following symbolic links in the entries.
// It returns the names of subdirectories and regular files.
func (e *expander) readDir(p string) (dirs, files []string, ok bool) {
	ents, err := os.ReadDir(p)
	if err != nil {
		e.fail(p, err)
		return nil, nil, false
	}
	for _, ent := range ents {
		name := ent.Name()
		child := path.Join(p, name)
		mode := ent.Type()
		if mode&fs.ModeSymlink != 0 {
			if real := resolve(child); real != "" && (!within(e.root, real) || pseudo(real)) {
				target, _ := os.Readlink(child)
				e.fail(child, fmt.Errorf("%w (it leads to %s)", ErrOutside, target))
				continue
			}
			fi, err := os.Stat(child)
			if err != nil {
				// A dangling link named like a bundle is worth a word;
				// any other broken link is not our business.
				if e.wanted(name) {
					e.fail(child, err)
				}
				continue
			}
			mode = fi.Mode().Type()
		}
		switch {
		case mode.IsDir():
			dirs = append(dirs, name)
		case mode.IsRegular():
			files = append(files, name)
			if strings.HasSuffix(name, ".map") {
				e.maps++
			}
		case e.wanted(name):
			// A FIFO or device named like a bundle: reading it would
			// block or never end, and skipping it silently would pass
			// a build whose bundle is missing.
			e.fail(child, errors.New("not a regular file"))
		}
	}
	return dirs, files, true
}

// walk takes every wanted file under directory p.
func (e *expander) walk(p string) {
	first, err := e.firstVisit(p, "")
	if err != nil {
		e.fail(p, err)
		return
	}
	if !first {
		e.hit = true // walked for an earlier input
		return
	}
	dirs, files, ok := e.readDir(p)
	if !ok {
		return
	}
	for _, name := range files {
		if e.wanted(name) {
			e.take(path.Join(p, name))
		}
	}
	for _, name := range dirs {
		if !skipDir(name) {
			e.walk(path.Join(p, name))
		}
	}
}

func hasMeta(p string) bool { return strings.ContainsAny(p, `*?[`) }

// glob expands pattern in. Segments before the first one with a
// metacharacter form the directory the match starts from.
func (e *expander) glob(in string) {
	pat := filepath.ToSlash(in)
	segs := strings.Split(pat, "/")
	for _, s := range segs {
		if _, err := filepath.Match(s, ""); err != nil {
			e.errs = append(e.errs, &Error{Path: pat, Err: fmt.Errorf("bad pattern: %w", err)})
			return
		}
	}
	i := 0
	for i < len(segs) && !hasMeta(segs[i]) {
		i++
	}
	root := strings.Join(segs[:i], "/")
	switch {
	case i == 0:
		root = "."
	case root == "":
		root = "/" // the pattern is absolute: "/srv/**/*.js"
	}
	e.nglob++
	e.root = resolve(root)
	g := globber{e: e, id: e.nglob, segs: segs[i:], anyExt: explicitExt(segs[len(segs)-1])}
	g.match(display(root), 0)
}

// explicitExt reports whether the last pattern segment names an extension
// literally ("*.bundle", "app.*.txt"): then the files it matches are taken
// whatever that extension is, as if they had been named one by one.
// "dist/*" still takes only JavaScript files, not maps and HTML.
func explicitExt(last string) bool {
	dot := strings.LastIndex(last, ".")
	return dot >= 0 && dot < len(last)-1 && !hasMeta(last[dot:])
}

type globber struct {
	e      *expander
	id     int // tells this glob's visits from other inputs'
	segs   []string
	anyExt bool
}

// match matches g.segs[i:] below directory dir (a display path).
func (g *globber) match(dir string, i int) {
	// Each (directory, pattern position) pair is expanded once: this is
	// what stops "**" from running around a symlink loop.
	first, err := g.e.firstVisit(dir, fmt.Sprintf("glob %d %d", g.id, i))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			g.e.fail(dir, err)
		}
		return
	}
	if !first || i == len(g.segs) {
		return
	}
	seg := g.segs[i]
	if seg == "**" {
		if i+1 == len(g.segs) {
			// A trailing "**" matches everything below.
			g.e.walk(dir)
			return
		}
		// "**" matches zero directories, or one more and stays in place.
		g.match(dir, i+1)
		dirs, _, ok := g.e.readDir(dir)
		if !ok {
			return
		}
		for _, name := range dirs {
			if !skipDir(name) {
				g.match(path.Join(dir, name), i)
			}
		}
		return
	}
	if !hasMeta(seg) {
		// A literal segment names one entry, hidden or node_modules alike.
		g.entry(path.Join(dir, seg), i, true)
		return
	}
	dirs, files, ok := g.e.readDir(dir)
	if !ok {
		return
	}
	names := append(dirs, files...)
	sort.Strings(names)
	for _, name := range names {
		if segMatch(seg, name) {
			g.entry(path.Join(dir, name), i, false)
		}
	}
}

// segMatch is filepath.Match for one segment, except that a wildcard does
// not match a leading dot (as in the shell) nor node_modules: those must be
// spelled out.
func segMatch(seg, name string) bool {
	if strings.HasPrefix(name, ".") && !strings.HasPrefix(seg, ".") {
		return false
	}
	if name == "node_modules" {
		return false // seg has a metacharacter, so it is not "node_modules"
	}
	ok, _ := filepath.Match(seg, name)
	return ok
}

// entry handles p, which matched segment i.
func (g *globber) entry(p string, i int, literal bool) {
	fi, err := os.Stat(p)
	if err != nil {
		// A literal segment that is absent is just no match; an entry
		// that was listed but cannot be followed is worth reporting.
		if !errors.Is(err, fs.ErrNotExist) || !literal {
			g.e.fail(p, err)
		}
		return
	}
	switch {
	case i+1 < len(g.segs):
		if fi.IsDir() {
			g.match(p, i+1)
		}
	case fi.IsDir():
		g.e.walk(p)
	case !fi.Mode().IsRegular():
	case g.anyExt || g.e.wanted(p):
		g.e.take(p)
	}
}

func dedupErrors(errs []*Error) []*Error {
	out := errs[:0]
	for i, err := range errs {
		if i > 0 && err.Path == errs[i-1].Path && err.Err.Error() == errs[i-1].Err.Error() {
			continue
		}
		out = append(out, err)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
