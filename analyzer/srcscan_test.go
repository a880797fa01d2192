package analyzer

import (
	"reflect"
	"testing"
)

func TestIsModuleSource(t *testing.T) {
	for src, want := range map[string]bool{
		"import x from 'y';\n":                 true,
		"  import {a} from \"b\"\n":            true,
		"export default class A {}\n":          true,
		"export{a as b};":                      true,
		"const a = require('x');\n":            true,
		"module.exports = f;\n":                true,
		"function init() {}\nwindow.init();\n": false,
		"var important = 1; // import x\n":     false,
	} {
		if got := isModuleSource(src); got != want {
			t.Errorf("isModuleSource(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestScanDecls(t *testing.T) {
	src := "function init() {}\n  async function load() {}\nexport default class Shape {}\nconst a = 1, b = 2;\n" +
		"export function *gen() {}\nclass {}\nlet x;\nreturn y;\nfunctionality();\n"
	var got []declHit
	scanDecls(src, func(h declHit) { got = append(got, h) })
	want := []declHit{
		{"init", true, true}, {"load", true, false}, {"Shape", false, true}, {"a", false, true},
		{"gen", true, true}, {"x", false, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
