package checker

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// The chunks of a code-split ES module build import functions and
// classes from each other (esbuild --splitting, rollup and vite chunks).
// When several of them are checked together, a chunk is analyzed after
// the chunks it imports from, and what their exports hold is linked into
// its value flows (names.Options.Linked): the incident's startup steps
// defined in a shared chunk and registered by .name in an entry chunk
// are then followed like steps defined in the entry itself.
//
// Which chunk imports which is read from the import declarations each
// file starts with (esm.LeadingImports on its head), before any file is
// analyzed. Files are analyzed in levels: a file's level is one more than
// the highest level of the files it imports, an import that closes a
// cycle is not followed, and a file uses only the exports of files of
// lower levels, which are all done before its level starts. The result
// does not depend on timing or on the number of workers.

// importHead is how much of each file is read for its leading imports:
// bundlers put a chunk's imports on its first lines.
const importHead = 64 << 10

// linker holds the exports of the files analyzed so far.
type linker struct {
	level map[string]int // by clean path; files of the run only
	// levels are the indices of the files of each level, in order.
	levels [][]int

	mu      sync.Mutex
	exports map[string]*chunkExports // by clean path, once analyzed
}

// chunkExports is what one chunk exports.
type chunkExports struct {
	funcs map[string][]names.Exported // by exported name
	// from are the re-exports (export {x as y} from "./z"), by exported
	// name; stars are the files of `export * from`.
	from  map[string]reexport
	stars []string
}

type reexport struct{ path, name string }

// newLinker reads the leading imports of files and orders them in
// levels. It returns nil when no file imports another of the run: then
// all files are analyzed at once, as without linking.
func newLinker(files []Source) *linker {
	if len(files) < 2 {
		return nil
	}
	index := make(map[string]int, len(files))
	for i, f := range files {
		index[filepath.Clean(f.Path)] = i
	}
	deps := make([][]int, len(files))
	any := false
	for i, f := range files {
		for _, spec := range esm.LeadingImports(head(f)) {
			if p, ok := resolveSpecifier(f.Path, spec); ok {
				if j, ok := index[p]; ok && j != i && !slices.Contains(deps[i], j) {
					deps[i] = append(deps[i], j)
					any = true
				}
			}
		}
	}
	if !any {
		return nil
	}
	lk := &linker{level: make(map[string]int, len(files)), exports: map[string]*chunkExports{}}
	levels := make([]int, len(files))
	state := make([]uint8, len(files)) // 0 new, 1 on the path, 2 done
	var visit func(i int)
	visit = func(i int) {
		state[i] = 1
		for _, j := range deps[i] {
			if state[j] == 0 {
				visit(j)
			}
			if state[j] == 2 { // 1: the import closes a cycle
				levels[i] = max(levels[i], levels[j]+1)
			}
		}
		state[i] = 2
	}
	for i := range files {
		if state[i] == 0 {
			visit(i)
		}
	}
	for i, f := range files {
		lk.level[filepath.Clean(f.Path)] = levels[i]
		for len(lk.levels) <= levels[i] {
			lk.levels = append(lk.levels, nil)
		}
		lk.levels[levels[i]] = append(lk.levels[levels[i]], i)
	}
	return lk
}

// head returns the first bytes of a file: its contents, or what can be
// read from disk ("" when it cannot; the analysis reports why).
func head(f Source) string {
	if f.Contents != nil {
		return string(f.Contents[:min(len(f.Contents), importHead)])
	}
	fh, err := os.Open(f.Path)
	if err != nil {
		return ""
	}
	defer fh.Close()
	buf := make([]byte, importHead)
	n, _ := io.ReadFull(fh, buf)
	return string(buf[:n])
}

// resolveSpecifier returns the clean path a relative module specifier of
// the file at from names; bare specifiers (packages) and URLs name no
// file of the run.
func resolveSpecifier(from, spec string) (string, bool) {
	if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
		return "", false
	}
	if i := strings.IndexAny(spec, "?#"); i >= 0 {
		spec = spec[:i]
	}
	return filepath.Clean(filepath.Join(filepath.Dir(from), filepath.FromSlash(spec))), true
}

// imports returns, by the local name of each import binding of the
// module m at path, the functions and classes the chunks it imports from
// export under that name; nil when there are none.
func (lk *linker) imports(path string, m *esm.Module) map[string][]names.Exported {
	if lk == nil || m == nil {
		return nil
	}
	path = filepath.Clean(path)
	var out map[string][]names.Exported
	for _, im := range m.Imports {
		if im.Imported == "*" {
			continue
		}
		from, ok := resolveSpecifier(path, im.Source)
		if !ok {
			continue
		}
		if fns := lk.lookup(from, im.Imported, lk.level[path], 0); len(fns) > 0 {
			if out == nil {
				out = map[string][]names.Exported{}
			}
			out[im.Local] = fns
		}
	}
	return out
}

// lookup finds what the file at path exports as name, following
// re-exports, among the files of levels below level.
func (lk *linker) lookup(path, name string, level, depth int) []names.Exported {
	lv, ok := lk.level[path]
	if !ok || lv >= level || depth > 16 {
		return nil
	}
	lk.mu.Lock()
	ce := lk.exports[path]
	lk.mu.Unlock()
	if ce == nil {
		return nil
	}
	if fns, ok := ce.funcs[name]; ok {
		return fns
	}
	if r, ok := ce.from[name]; ok {
		return lk.lookup(r.path, r.name, level, depth+1)
	}
	if name == "default" {
		return nil // export * never re-exports a default
	}
	for _, star := range ce.stars {
		if fns := lk.lookup(star, name, level, depth+1); len(fns) > 0 {
			return fns
		}
	}
	return nil
}

// record keeps what the module m at path exports, from its name facts.
func (lk *linker) record(path string, m *esm.Module, nf *names.Facts) {
	if lk == nil || m == nil || nf == nil {
		return
	}
	path = filepath.Clean(path)
	ce := &chunkExports{funcs: map[string][]names.Exported{}, from: map[string]reexport{}}
	for _, ex := range m.Exports {
		switch {
		case ex.Source != "":
			from, ok := resolveSpecifier(path, ex.Source)
			switch {
			case !ok:
			case ex.Exported == "*":
				ce.stars = append(ce.stars, from)
			case ex.Imported != "*":
				ce.from[ex.Exported] = reexport{from, ex.Imported}
			}
		case ex.Local != "":
			if fns := nf.ExportedFuncs(path, ex.Local); len(fns) > 0 {
				ce.funcs[ex.Exported] = fns
			}
		}
	}
	lk.mu.Lock()
	lk.exports[path] = ce
	lk.mu.Unlock()
}
