package parse

import (
	"errors"
	"fmt"

	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// fallback parses esbuild's CommonJS rewrite of src, for the rare bundle
// the same-length lowering does not make parseable. The rewrite turns
// import/export into require/exports and (with "dynamic-import"
// unsupported) import() into require; it cannot express top-level await.
func fallback(path, src string) (*Result, error) {
	res := api.Transform(src, api.TransformOptions{
		Format:    api.FormatCommonJS,
		Target:    api.ESNext,
		Sourcemap: api.SourceMapExternal,
		// The map is only read for its mappings. Quoting the source into
		// sourcesContent also loops forever, allocating, in esbuild 0.28.2
		// when the text ends in a truncated UTF-8 sequence (`x;//\xe2\x80`:
		// DecodeWTF8Rune returns width 0), found by FuzzCheck.
		SourcesContent: api.SourcesContentExclude,
		Supported:      map[string]bool{"dynamic-import": false},
		Sourcefile:     path,
		LogLevel:       api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		m := res.Errors[0]
		if l := m.Location; l != nil {
			return nil, fmt.Errorf("%d:%d: %s", l.Line, l.Column+1, m.Text)
		}
		return nil, errors.New(m.Text)
	}
	code := string(res.Code)
	// esbuild keeps `for await`, which goja cannot parse anywhere; lowering
	// blanks it (and guards nesting) without moving offsets.
	text, _, err := esm.LowerWith(code, esm.Options{MaxNesting: MaxNesting, MaxChain: MaxChain})
	if err != nil {
		return nil, err
	}
	prg, err := gojaParse(path, text)
	if err != nil {
		var list parser.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			err = errors.New(list[0].Message) // its position is in esbuild's output
		}
		return nil, fmt.Errorf("goja rejects its output too: %w", err)
	}
	remap := func(int) (int, bool) { return 0, false }
	if m, err := sourcemap.Parse(res.Map); err == nil {
		remap = newRemapper(text, src, m).remap
	}
	return &Result{Program: prg, Text: text, Remap: remap, Fallback: true}, nil
}
