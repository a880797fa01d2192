package originals

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
		// A pre-minified module: its statements after `;` and `}`.
		"var a=1;function f(){}export{a as __DEV__,f};": true,
		"let b=2}export default b":                      true,
		"if(x){import(\"./y.js\")}":                     false,
		"importScripts(\"w.js\");self.exports=1":        false,
		"x=import.meta.url":                             false,
		";import.meta.url":                              true,
	} {
		if got := IsModule(src); got != want {
			t.Errorf("IsModule(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestScanDecls(t *testing.T) {
	src := "function init() {}\n  async function load() {}\nexport default class Shape {}\nconst a = 1, b = 2;\n" +
		"export function *gen() {}\nclass {}\nlet x;\nreturn y;\nfunctionality();\n"
	var got []declHit
	scanDecls(src, func(h declHit) { got = append(got, h) })
	want := []declHit{
		{"init", true, true, false}, {"load", true, false, false}, {"Shape", false, true, false}, {"a", false, true, false},
		{"gen", true, true, false}, {"x", false, true, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestImportedNames(t *testing.T) {
	var got []string
	scanDecls("import Store, {a, b as c, type T} from './x.js';\nimport * as ns from 'y';\nimport{d}from\"z\";\n", func(h declHit) {
		if h.imported {
			got = append(got, h.name)
		}
	})
	if want := []string{"Store", "a", "c", "d"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
