// Package parse turns a bundle into goja's AST, ES modules included.
//
// goja's parser has no module goal, so an ES module is first rewritten by
// package esm into same-length script syntax (offsets unchanged, no second
// parse). Only if goja still rejects the text does Parse fall back to
// esbuild's CommonJS transform (~1.8 s on a 7.8 MB bundle, and it renames
// colliding class-expression names), mapping offsets back through the
// transform's source map.
package parse

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/esm"
)

// Limits on nesting, checked before goja sees the text. goja's
// recursive-descent parser overflows the Go stack (fatal, unrecoverable,
// taking every other file down with it) at about a million nested
// parentheses or prefix operators; 100,000 parentheses already cost it
// ~470 MB of stack. Real bundles stay far below these limits.
const (
	MaxNesting = 1000  // open (, [, { and template ${
	MaxChain   = 10000 // pending assignments, ?:, =>, **, prefix operators, labels, else-if
)

// MaxDepth limits the depth of the syntax tree, checked after goja parsed
// it. goja parses left-associative chains (a+a+…, a.b.c…, a()()…) in a
// loop, so neither its stack nor the limits above see them, but the tree
// is as deep as the chain is long and the engine's walkers (scope, names,
// rules) recurse: a 4 MB `x=a+a+…+a` overflowed the Go stack (fatal).
// Real bundles stay under 200 (182 deepest in 761 files: three.js, React,
// Rollup, webpack, esbuild, …); a 20,000-deep chain is analyzed in
// ~0.25 s and ~45 MB.
const MaxDepth = 20000

// Result is a parsed bundle.
type Result struct {
	Program *ast.Program // goja's AST of Text
	// Text is the text that was parsed: the bundle itself for a script, its
	// same-length lowering for an ES module, esbuild's output on the
	// fallback. Node positions are offsets into Text (see Offset).
	Text string
	// Module is what lowering rewrote: module syntax, or only the `for await`
	// goja lacks. nil when nothing was (a plain script) and on the fallback.
	Module *esm.Module
	// Remap maps a byte offset in Text back to a byte offset in the bundle
	// (false where the transform's source map has no mapping). nil means
	// the identity: the fast path keeps every offset.
	Remap    func(off int) (int, bool)
	Fallback bool // the esbuild transform fallback was used

	depthOK bool // parseText found the tree within MaxDepth
	chunked bool // parsed in pieces (parseChunked), not whole
}

// Offset converts a goja position to a byte offset in the parsed text.
// goja's file.Idx is 1-based: it is the offset plus the file's base, and the
// base is 1 when, as here, ParseFile gets no FileSet.
func Offset(idx file.Idx) int { return int(idx) - 1 }

// Error is a bundle Parse cannot parse, or nests too deeply to parse safely.
type Error struct {
	Path string
	// Offset is the byte offset in the bundle (-1 if unknown); Line and Col
	// are 1-based, Col counting bytes like goja's own messages.
	Offset, Line, Col int
	Msg               string
	Err               error // goja's parser.ErrorList, an *esm.Error, or the esbuild failure
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg) }

func (e *Error) Unwrap() error { return e.Err }

// Options configure ParseWith.
type Options struct {
	// Cores is how many cores the parse may use: a bundle of MinSplit bytes
	// or more is parsed in that many pieces at once (up to 4). 0 or 1
	// parses whole.
	Cores int
	// MinSplit is the size in bytes from which a bundle is parsed in
	// pieces; 0 means the package's MinSplit. Tests lower it so that
	// small bundles take the parallel path too, and are compared with the
	// whole parse under the race detector.
	MinSplit int
}

// Parse parses the bundle src read from path, on every core
// (runtime.GOMAXPROCS). Errors are *Error. It is safe for concurrent use.
func Parse(path string, src string) (*Result, error) {
	return ParseWith(path, src, Options{Cores: runtime.GOMAXPROCS(0)})
}

// ParseWith is Parse with options.
func ParseWith(path string, src string, opts Options) (*Result, error) {
	res, err := parseAny(path, src, opts)
	if err != nil {
		return nil, err
	}
	if res.depthOK {
		return res, nil
	}
	if err := checkDepth(path, src, res); err != nil {
		return nil, err
	}
	return res, nil
}

// parseAny is Parse without the bound on the syntax tree's depth.
func parseAny(path string, src string, opts Options) (*Result, error) {
	cores, minSplit := opts.Cores, opts.MinSplit
	// A script's lowering is src itself: the scan for where to cut a large
	// one (chunked.go) runs while Lower reads it.
	srcPlan := func() *plan { return splitPlan(src, cores, minSplit) }
	if pieces(len(src), cores, minSplit) > 1 {
		ch := make(chan *plan, 1)
		go func() { ch <- splitPlan(src, cores, minSplit) }()
		srcPlan = sync.OnceValue(func() *plan { return <-ch })
	}
	planOf := func(text string) *plan {
		if text == src {
			return srcPlan()
		}
		return splitPlan(text, cores, minSplit)
	}
	text, mod, lerr := esm.LowerWith(src, esm.Options{MaxNesting: MaxNesting, MaxChain: MaxChain})
	var eerr *esm.Error
	if errors.As(lerr, &eerr) && errors.Is(lerr, esm.ErrTooDeep) {
		line, col := position(src, eerr.Offset)
		return nil, &Error{Path: path, Offset: eerr.Offset, Line: line, Col: col, Msg: eerr.Msg, Err: lerr}
	}
	var first error // the error to report if nothing works
	if lerr == nil {
		prg, depthOK, chunked, err := parseText(path, text, planOf(text))
		if err == nil {
			return &Result{Program: prg, Text: text, Module: mod, depthOK: depthOK, chunked: chunked}, nil
		}
		first = gojaError(path, src, err)
		// Lower may have taken a script's identifier `await` for the operator:
		// when it found no import/export, the input may be a script goja parses.
		if mod != nil && len(mod.Imports) == 0 && len(mod.Exports) == 0 && len(mod.ImportMeta) == 0 {
			if prg, depthOK, chunked, err := parseText(path, src, srcPlan()); err == nil {
				return &Result{Program: prg, Text: src, depthOK: depthOK, chunked: chunked}, nil
			}
		}
	} else { // module syntax Lower cannot lower: invalid, or a form it does not know
		off, msg := -1, lerr.Error()
		if eerr != nil {
			off, msg = eerr.Offset, eerr.Msg
		}
		line, col := position(src, off)
		first = &Error{Path: path, Offset: off, Line: line, Col: col, Msg: msg, Err: lerr}
	}
	res, ferr := fallback(path, src)
	if ferr == nil {
		return res, nil
	}
	if e, ok := first.(*Error); ok {
		e.Msg += " (esbuild fallback: " + ferr.Error() + ")"
	}
	return nil, first
}

// gojaParse calls goja's parser the only safe way: WithDisableSourceMaps,
// because otherwise the parser itself opens the file a
// `//# sourceMappingURL=` comment names (a file read chosen by the input,
// and twice the parse time). A panic inside goja becomes an error.
func gojaParse(path, text string) (*ast.Program, error) { return gojaParseIn(nil, path, text) }

// gojaParseIn is gojaParse with positions based in fs (see parsePiece);
// src is a string or a []byte (ParseFile copies a []byte once, a string
// twice).
func gojaParseIn(fs *file.FileSet, path string, src any) (prg *ast.Program, err error) {
	prg, err = gojaParseOnce(fs, path, src)
	// A piece of a chunked parse (fs set) that fails is parsed again
	// with the whole text, which comes here with no fs.
	if err != nil && fs == nil && strings.Contains(err.Error(), "unexpected unicode length") {
		var text []byte
		switch s := src.(type) {
		case string:
			text = []byte(s)
		case []byte:
			text = slices.Clone(s)
		}
		if avoidMaxRuneEscapes(text) {
			prg, err = gojaParseOnce(nil, path, text)
		}
	}
	return prg, err
}

// gojaParseOnce is one call of goja's parser; a panic becomes an error.
func gojaParseOnce(fs *file.FileSet, path string, src any) (prg *ast.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			prg, err = nil, fmt.Errorf("goja parser panic: %v", r)
		}
	}()
	return parser.ParseFile(fs, path, src, 0, parser.WithDisableSourceMaps)
}

// avoidMaxRuneEscapes rewrites each \u{10FFFF} escape of text (the
// largest code point, with any leading zeros) as \u{10FFFE}, in place,
// and reports whether it found one. goja's scanner stops reading such an
// escape before its "}" and panics on the string's length (ExcelJS
// bundles saxes, whose XML character classes end at U+10FFFF). Offsets
// stay; the string's value changes by one code point no rule reads.
func avoidMaxRuneEscapes(text []byte) bool {
	found := false
	for i := 0; ; {
		j := bytes.Index(text[i:], []byte(`\u{`))
		if j < 0 {
			return found
		}
		at := i + j
		i = at + 3
		// An escape only after an even number of other backslashes.
		k := at
		for k > 0 && text[k-1] == '\\' {
			k--
		}
		if (at-k)%2 != 0 {
			continue
		}
		d := i
		for d < len(text) && text[d] == '0' {
			d++
		}
		if d+7 <= len(text) && bytes.EqualFold(text[d:d+6], []byte("10FFFF")) && text[d+6] == '}' {
			text[d+5] = 'E'
			found = true
		}
	}
}

// gojaError turns goja's error list into an *Error at its first error.
// Lines and columns of the lowered text are those of the bundle.
func gojaError(path, src string, err error) error {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return &Error{Path: path, Offset: -1, Line: 1, Col: 1, Msg: err.Error(), Err: err}
	}
	p := list[0].Position
	msg := list[0].Message
	if len(list) > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", len(list)-1)
	}
	return &Error{Path: path, Offset: offsetOf(src, p.Line, p.Column), Line: p.Line, Col: p.Column, Msg: msg, Err: err}
}

// position returns the 1-based line and byte column of offset off, with
// goja's line terminators (\n, \r\n, \r, U+2028, U+2029).
func position(src string, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if n := lineBreak(src, i); n > 0 {
			if i+n > off {
				break
			}
			i += n - 1
			line, start = line+1, i+1
		}
	}
	return line, off - start + 1
}

// offsetOf inverts position; -1 if the line does not exist.
func offsetOf(src string, line, col int) int {
	start := 0
	for l := 1; l < line; l++ {
		i := start
		for i < len(src) && lineBreak(src, i) == 0 {
			i++
		}
		if i >= len(src) {
			return -1
		}
		start = i + lineBreak(src, i)
	}
	return min(start+max(col-1, 0), len(src))
}

// lineBreak returns the length of the line terminator at src[i], or 0.
func lineBreak(src string, i int) int {
	switch c := src[i]; {
	case c == '\n':
		return 1
	case c == '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
		return 3
	}
	return 0
}
