package esm

import (
	"reflect"
	"testing"
)

func TestLeadingImports(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{`import{a as b,c}from"./chunk-ABC.js";import"./side.js";var x=1;import{d}from"./late.js"`, []string{"./chunk-ABC.js", "./side.js"}},
		{"#!/usr/bin/env node\n/* banner */ import x, * as ns from './a.js'\nimport {y} from \"./b.js\" with {type: \"json\"};\nf()", []string{"./a.js", "./b.js"}},
		{`import("./lazy.js");import{a}from"./x.js"`, nil},
		{`import.meta.url;import{a}from"./x.js"`, nil},
		{`import{a as b}from"./cut`, nil},
		{`import{a as b}from"./ok.js";import{c`, []string{"./ok.js"}},
		{`var a=1`, nil},
		{``, nil},
	} {
		if got := LeadingImports(c.src); !reflect.DeepEqual(got, c.want) {
			t.Errorf("LeadingImports(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}
