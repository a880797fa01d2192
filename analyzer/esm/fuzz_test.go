package esm

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
)

// gojaParse parses like package parse does; a panic inside goja counts as a
// rejection (it is goja's bug, not Lower's).
func gojaParse(name, src string) (prg *ast.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			prg, err = nil, errors.New("goja panicked")
		}
	}()
	return parser.ParseFile(nil, name, src, 0, parser.WithDisableSourceMaps)
}

// FuzzLower checks that Lower never panics or hangs, always keeps length
// and line terminators, and that for every input esbuild accepts as an ES
// module the output parses with goja with every identifier in place,
// unless goja cannot parse esbuild's CommonJS rewrite of it either.
//
//	go test ./analyzer/esm -run '^$' -fuzz FuzzLower -fuzztime 2m
func FuzzLower(f *testing.F) {
	for _, c := range lowerCases {
		f.Add(c.src)
	}
	for _, src := range splitApp {
		f.Add(src)
	}
	f.Add(formsSrc)
	for _, src := range []string{
		"if(x)/re/.test(y);export{x}",
		"x = {} / 2 / 1; export default {a: `${b}/${c}`}",
		"x = a ? /re/ : b / 2; label: for await (const y of z) break label",
		"class A extends B { static { this.x = await 1 } #p = /a/; get [k]() { return import.meta } }",
		"export const {a = /=/, b: {c} = {}} = d, [e, , ...f] = g\nexport default (function(){})",
		"async function f() { for await (x of y); return await import(`./${z}`) }",
		"x = function(){} / 2; y = class {} / 3; z = () => {}\n/re/g",
		"import a, * as b from 'c'; import {d as e, 'f' as g} from 'h' with {type: 'json'}",
		"#!/usr/bin/env node\r\nexport * as ns from 'x'\u2028await 0",
	} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		opts := Options{MaxNesting: 200, MaxChain: 2000}
		out, m, err := LowerWith(src, opts)
		if err := sameAsSlow(src, opts, out, m, err); err != nil {
			t.Fatalf("%v\n%q", err, src)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || out != src || m != nil || e.Offset < 0 || e.Offset > len(src) {
				t.Fatalf("error %v with output %q, module %+v", err, out, m)
			}
		} else if err := invariants(src, out, m); err != nil {
			t.Fatalf("%v\n%q\n%q", err, src, out)
		}
		if !utf8.ValidString(src) {
			return
		}
		res := api.Transform(src, api.TransformOptions{Format: api.FormatESModule, Target: api.ESNext, LogLevel: api.LogLevelSilent})
		if len(res.Errors) > 0 || errors.Is(err, ErrTooDeep) {
			return
		}
		if err != nil {
			if gojaParsesEsbuildCJS(src) {
				t.Fatalf("Lower rejects an ES module esbuild and goja accept: %v\n%q", err, src)
			}
			return
		}
		prg, perr := gojaParse("fuzz.js", out)
		if perr != nil {
			if lowerBlamed(src, out, perr) && gojaParsesEsbuildCJS(src) {
				t.Fatalf("goja rejects the lowered text but parses esbuild's CommonJS: %v\n%q\n%q", perr, src, out)
			}
			return
		}
		if _, err := identifiers(prg, src, out, m); err != nil {
			t.Fatalf("%v\n%q\n%q", err, src, out)
		}
	})
}
