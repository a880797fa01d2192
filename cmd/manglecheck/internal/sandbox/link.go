package sandbox

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// goja cannot run ES modules, nor (per its own compile errors) async
// generators, regular expressions with the d or v flag, or super inside a
// class field initializer. esbuild links an ES module entry and the chunks
// it imports into one IIFE script, and lowers what goja cannot run.

// lowered is what esbuild is told goja lacks when a script does not
// compile as it is. esbuild cannot lower the regexp flags: it turns such
// literals into new RegExp(…) calls, which fail only if they run.
func lowered() map[string]bool {
	return map[string]bool{
		"async-generator":      false,
		"for-await":            false,
		"class-field":          false,
		"class-static-field":   false,
		"class-private-field":  false,
		"regexp-match-indices": false,
		"regexp-set-notation":  false,
	}
}

// maxModules bounds the files one link step reads.
const maxModules = 2000

// linked is esbuild's output: one script and its map back to the files
// esbuild read.
type linked struct {
	text string
	sm   *sourcemap.Map
	// files[i] is the path (as read) of the map's source i; "" for
	// esbuild's own helpers and for unavailable modules.
	files []string
}

// reader reads a file the link step needs, inside the bundle's directory.
type reader func(abs string) (string, error)

// link bundles the ES module at entry (an absolute path) with what it
// imports. Relative imports are read through read; bare and URL imports
// become modules that throw "module X is not available in the sandbox".
// keepNames makes esbuild pin every function's and class's name to what it
// was in the input, so the renames esbuild needs to put modules in one
// scope (esbuild#510) do not change what .name returns at runtime.
func link(entry string, read reader, lower bool) (*linked, error) {
	modules := 0
	plugin := api.Plugin{Name: "manglecheck", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if a.Kind == api.ResolveEntryPoint {
				return api.OnResolveResult{Path: a.Path, Namespace: "mc"}, nil
			}
			if a.Namespace != "mc" || !(strings.HasPrefix(a.Path, "./") || strings.HasPrefix(a.Path, "../") || strings.HasPrefix(a.Path, "/")) {
				return api.OnResolveResult{Path: a.Path, Namespace: "mc-missing"}, nil
			}
			p := a.Path
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(a.Importer), filepath.FromSlash(p))
			}
			if i := strings.IndexAny(p, "?#"); i >= 0 {
				p = p[:i]
			}
			return api.OnResolveResult{Path: filepath.Clean(p), Namespace: "mc"}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "mc"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			modules++
			if modules > maxModules {
				return api.OnLoadResult{}, fmt.Errorf("more than %d modules", maxModules)
			}
			text, err := read(a.Path)
			if err != nil {
				msg := "throw new Error(" + strconv.Quote(fmt.Sprintf("module %q is not available in the sandbox: %v", filepath.Base(a.Path), err)) + ");"
				return api.OnLoadResult{Contents: &msg, Loader: api.LoaderJS}, nil
			}
			// Keep esbuild from reading the chunk's own map and chaining
			// it: the link map must point into the chunk, whose map the
			// engine then applies. Same length, so offsets hold.
			text = strings.ReplaceAll(text, "sourceMappingURL", "sourceMappingURX")
			loader := api.LoaderJS
			if strings.HasSuffix(a.Path, ".json") {
				loader = api.LoaderJSON
			}
			return api.OnLoadResult{Contents: &text, Loader: loader, ResolveDir: filepath.Dir(a.Path)}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "mc-missing"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			msg := "throw new Error(" + strconv.Quote(fmt.Sprintf("module %q is not available in the sandbox", a.Path)) + ");"
			return api.OnLoadResult{Contents: &msg, Loader: api.LoaderJS}, nil
		})
	}}
	opts := api.BuildOptions{
		EntryPoints: []string{entry},
		Bundle:      true,
		Format:      api.FormatIIFE,
		Outfile:     filepath.Join(filepath.Dir(entry), "manglecheck-linked.js"),
		Write:       false,
		Sourcemap:   api.SourceMapExternal,
		// Only the mappings are read; quoting a source that ends in a
		// truncated UTF-8 sequence into sourcesContent loops forever in
		// esbuild 0.28.2 (see package parse's fallback).
		SourcesContent: api.SourcesContentExclude,
		KeepNames:      true,
		Plugins:        []api.Plugin{plugin},
		LogLevel:       api.LogLevelSilent,
		Charset:        api.CharsetUTF8,
	}
	if lower {
		opts.Supported = lowered()
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		return nil, fmt.Errorf("esbuild could not link it: %s", esbuildError(res.Errors[0]))
	}
	return collect(res.OutputFiles, func(src string) string {
		if p, ok := strings.CutPrefix(src, "mc:"); ok {
			return p
		}
		return ""
	})
}

// lowerScript rewrites a plain script that goja cannot compile with what
// goja lacks lowered. The script stays a script: its top-level
// declarations are still globals.
func lowerScript(name, src string) (*linked, error) {
	res := api.Transform(src, api.TransformOptions{
		Sourcefile:     name,
		Sourcemap:      api.SourceMapExternal,
		SourcesContent: api.SourcesContentExclude, // see link
		Supported:      lowered(),
		LogLevel:       api.LogLevelSilent,
		Charset:        api.CharsetUTF8,
	})
	if len(res.Errors) > 0 {
		return nil, fmt.Errorf("esbuild could not lower it: %s", esbuildError(res.Errors[0]))
	}
	sm, err := sourcemap.Parse(res.Map)
	if err != nil {
		return nil, fmt.Errorf("esbuild's map: %w", err)
	}
	return &linked{text: string(res.Code), sm: sm, files: []string{name}}, nil
}

func collect(files []api.OutputFile, file func(source string) string) (*linked, error) {
	var code, mp []byte
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".map") {
			mp = f.Contents
		} else {
			code = f.Contents
		}
	}
	if code == nil || mp == nil {
		return nil, fmt.Errorf("esbuild wrote no script or no map")
	}
	sm, err := sourcemap.Parse(mp)
	if err != nil {
		return nil, fmt.Errorf("esbuild's map: %w", err)
	}
	l := &linked{text: string(code), sm: sm}
	for _, s := range sm.Sources() {
		l.files = append(l.files, file(s))
	}
	return l, nil
}

func esbuildError(m api.Message) string {
	if m.Location != nil && !isJSName(m.Location.File) {
		// A JSON file the build imports: esbuild's message quotes the
		// token it stopped at, which may be a secret.
		return fmt.Sprintf("%s: not valid JSON", filepath.Base(m.Location.File))
	}
	if m.Location != nil {
		return fmt.Sprintf("%s:%d:%d: %s", filepath.Base(m.Location.File), m.Location.Line, m.Location.Column+1, m.Text)
	}
	return m.Text
}
