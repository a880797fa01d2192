package parse

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// fallback parses esbuild's CommonJS rewrite of src, for the rare bundle
// the same-length lowering does not make parseable. The rewrite turns
// import/export into require/exports and (with "dynamic-import"
// unsupported) import() into require; it cannot express top-level await.
// When goja rejects that too, the rewrite is made again with async
// generators lowered to esbuild's helpers: goja cannot parse an async
// generator method of an object literal ({ async *[Symbol.asyncIterator]()
// {…} }, which the AWS SDK writes).
func fallback(path, src string) (*Result, error) {
	res, err := rewrite(path, src, map[string]bool{"dynamic-import": false})
	var gojaErr *gojaRejects
	if errors.As(err, &gojaErr) {
		if lowered, err2 := rewrite(path, src, map[string]bool{"dynamic-import": false, "async-generator": false, "for-await": false}); err2 == nil {
			return lowered, nil
		}
	}
	return res, err
}

// gojaRejects is the error of a rewrite goja cannot parse either.
type gojaRejects struct{ err error }

func (e *gojaRejects) Error() string { return "goja rejects its output too: " + e.err.Error() }
func (e *gojaRejects) Unwrap() error { return e.err }

// rewrite parses esbuild's CommonJS rewrite of src with the features
// supported says.
func rewrite(path, src string, supported map[string]bool) (*Result, error) {
	res := api.Transform(src, api.TransformOptions{
		Format:    api.FormatCommonJS,
		Target:    api.ESNext,
		Sourcemap: api.SourceMapExternal,
		// The map is only read for its mappings. Quoting the source into
		// sourcesContent also loops forever, allocating, in esbuild 0.28.2
		// when the text ends in a truncated UTF-8 sequence (`x;//\xe2\x80`:
		// DecodeWTF8Rune returns width 0), found by FuzzCheck.
		SourcesContent: api.SourcesContentExclude,
		Supported:      supported,
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
	emitted := text
	prg, err := gojaParse(path, text)
	// goja rejects a class field named get or set that has an initializer
	// (class { set = f }, Effect's optics); quoting the key ("set" = f)
	// means the same, so each such key goja stops at is quoted.
	var quoted []int // offsets in text of the quotes opening the keys, in order
	for len(quoted) < maxQuotedKeys && err != nil {
		at, ok := accessorFieldKey(text, err)
		if !ok || len(quoted) > 0 && at <= quoted[len(quoted)-1] {
			break
		}
		text = text[:at] + `"` + text[at:at+3] + `"` + text[at+3:]
		quoted = append(quoted, at)
		prg, err = gojaParse(path, text)
	}
	if err != nil {
		var list parser.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			err = errors.New(list[0].Message) // its position is in esbuild's output
		}
		return nil, &gojaRejects{err}
	}
	remap := func(int) (int, bool) { return 0, false }
	if m, err := sourcemap.Parse(res.Map); err == nil {
		r := newRemapper(emitted, src, m).remap
		remap = func(pos int) (int, bool) { return r(unquoted(quoted, pos)) }
	}
	return &Result{Program: prg, Text: text, Remap: remap, Fallback: true}, nil
}

// maxQuotedKeys bounds the keys fallback quotes (each costs a parse).
const maxQuotedKeys = 16

// accessorFieldKey returns the offset of the get or set key of a class
// field that goja's error err stops at: the error follows "=", and the
// word before it, after a line start, "{", ";", "}" or "static ", is get
// or set.
func accessorFieldKey(text string, err error) (int, bool) {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return 0, false
	}
	off := offsetOf(text, list[0].Position.Line, list[0].Position.Column)
	if off < 0 || off > len(text) {
		return 0, false
	}
	// goja places the error at the token after "=".
	off = blanksBefore(text, off)
	if off == 0 || text[off-1] != '=' {
		return 0, false
	}
	i := blanksBefore(text, off-1)
	if i < 3 || text[i-3:i] != "get" && text[i-3:i] != "set" {
		return 0, false
	}
	at := i - 3
	j := blanksBefore(text, at)
	if strings.HasSuffix(text[:j], "static") {
		j = blanksBefore(text, j-len("static"))
	}
	if j == 0 || strings.IndexByte("{;}\n\r", text[j-1]) >= 0 {
		return at, true
	}
	return 0, false
}

// blanksBefore returns the offset before the spaces and tabs that end
// text[:i].
func blanksBefore(text string, i int) int {
	for i > 0 && (text[i-1] == ' ' || text[i-1] == '\t') {
		i--
	}
	return i
}

// unquoted maps an offset in the text with quoted keys (the opening
// quotes at quoted) to the text esbuild emitted: each quoted key before
// it moved it by two, a quote inside one by one.
func unquoted(quoted []int, pos int) int {
	shift := 0
	for _, q := range quoted {
		switch {
		case pos > q+4:
			shift += 2
		case pos > q:
			shift++
		}
	}
	return pos - shift
}
