package funcindex_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/funcindex"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// index builds the index of src as a minified bundle; originals maps an
// emitted name to the name a source map would give it.
func index(t *testing.T, src string, originals map[string]string) *funcindex.Index {
	t.Helper()
	prg, err := parser.ParseFile(nil, "t.js", src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	opts := names.Options{DefaultExport: -1, Minified: true}
	if originals != nil {
		opts.HasMap = true
		opts.OriginalAt = func(_ int, emitted string) (string, bool) {
			o, ok := originals[emitted]
			return o, ok
		}
	}
	return funcindex.New(names.Analyze(prg, scope.Build(prg, scope.Options{}), opts))
}

func runtimeNames(fns []*names.Func) []string {
	var out []string
	for _, fn := range fns {
		out = append(out, fn.Runtime)
	}
	return out
}

func TestRenamedAwayAndCarried(t *testing.T) {
	ix := index(t, `class e{} class t{} function Keep(){}`, map[string]string{"e": "UserService", "t": "UserStore", "Keep": "Keep"})
	exact := funcindex.Exact()
	if got := runtimeNames(ix.RenamedAway(exact, "UserService")); !reflect.DeepEqual(got, []string{"e"}) {
		t.Errorf("RenamedAway(UserService) = %v, want [e]", got)
	}
	if got := ix.RenamedAway(exact, "Keep"); len(got) != 0 {
		t.Errorf("RenamedAway(Keep) = %v, want none (not renamed)", runtimeNames(got))
	}
	prefix := funcindex.Match{Key: "startsWith", Fn: strings.HasPrefix}
	if got := runtimeNames(ix.RenamedAway(prefix, "User")); !reflect.DeepEqual(got, []string{"e", "t"}) {
		t.Errorf("RenamedAway(startsWith User) = %v, want [e t]", got)
	}
	for lit, want := range map[string]bool{"e": true, "Keep": true, "UserService": false} {
		if got := ix.Carried(exact, lit); got != want {
			t.Errorf("Carried(%q) = %v, want %v", lit, got, want)
		}
	}
	if !ix.Carried(prefix, "Ke") || ix.Carried(prefix, "User") {
		t.Error("Carried(startsWith): want Ke carried and User not")
	}
	if !ix.AnyMangled() {
		t.Error("AnyMangled = false for a bundle whose classes the map says were renamed")
	}
}

func TestAnyMangledWithoutMap(t *testing.T) {
	if ix := index(t, `class UserService{} function loadConfig(){}`, nil); ix.AnyMangled() {
		t.Error("AnyMangled = true for long names without a map")
	}
	if ix := index(t, `class e{} function loadConfig(){}`, nil); !ix.AnyMangled() {
		t.Error("AnyMangled = false for a one-letter class without a map")
	}
}

func TestRequiresSibling(t *testing.T) {
	for src, want := range map[string]bool{
		`var a = require("./chunk-B3Ia.js"); class e{}`: true,
		`var a = require("../lib/x.js")`:                true,
		`var a = require("react"); class e{}`:           false,
		`var a = load("./chunk.js")`:                    false,
	} {
		if got := index(t, src, nil).RequiresSibling(); got != want {
			t.Errorf("RequiresSibling(%s) = %v, want %v", src, got, want)
		}
	}
}

// Rules share one index while they run at the same time: the memoized
// matches must agree and (under -race) not race.
func TestConcurrentReads(t *testing.T) {
	ix := index(t, `class e{} class t{} class n{}`, map[string]string{"e": "AlphaOne", "t": "AlphaTwo", "n": "Beta"})
	m := funcindex.Match{Key: "includes", Fn: strings.Contains}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := len(ix.RenamedAway(m, "Alpha")); got != 2 {
				t.Errorf("RenamedAway(includes Alpha) has %d functions, want 2", got)
			}
			if ix.Carried(m, "Alpha") {
				t.Error("Carried(includes Alpha) = true")
			}
			ix.RequiresSibling()
		}()
	}
	wg.Wait()
}
