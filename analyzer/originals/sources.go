// Package originals reads what a bundle's source map and its original
// sources tell the name analysis: the original name and place of a bundle
// position (Lookups), each source's text and whether it is a module
// (Texts), and the names the sources declare (Decls), even those the
// minifier inlined away.
package originals

import (
	"strings"
	"sync"

	"github.com/manglecheck/manglecheck/analyzer/lines"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/sourcemap"
)

// Texts decodes the sourcesContent of every source of sm, with its
// line index; a source without content is read by disk (nil: none) or,
// failing that, left nil. sm must not be in use by other goroutines yet.
func Texts(sm *sourcemap.Map, disk func(raw string) (string, bool)) []*names.SourceText {
	if sm == nil {
		return nil
	}
	sm.DecodeSources() // and let go of the map's JSON text
	sources := sm.Sources()
	texts := make([]*names.SourceText, len(sources))
	for i := range texts {
		content, ok := sm.SourceContent(i)
		if !ok && disk != nil && sources[i] != "" {
			content, ok = disk(sources[i])
		}
		if ok {
			texts[i] = &names.SourceText{Lines: lines.New(content), Module: IsModule(content)}
		}
	}
	return texts
}

// Decls returns a function that lists the names declared at the
// start of a line (functions, classes, variables) in the map's
// sourcesContent: what the source called things, even those compression
// inlined away. Computed on first use.
func Decls(sm *sourcemap.Map) func() map[string]names.Decl {
	if sm == nil {
		return nil
	}
	return sync.OnceValue(func() map[string]names.Decl { // rules run concurrently
		decls := map[string]names.Decl{}
		for i := range sm.Sources() {
			content, ok := sm.SourceContent(i)
			if !ok {
				continue
			}
			// A module's (ES or CommonJS) top level is no global scope.
			script := !IsModule(content)
			scanDecls(content, func(h declHit) {
				d := decls[h.name]
				d.Any = true
				d.Function = d.Function || h.function
				d.ScriptTop = d.ScriptTop || h.top && script && !h.imported
				d.Imported = d.Imported || h.imported
				decls[h.name] = d
			})
		}
		return decls
	})
}

// leadingIdent returns the identifier text starts with, or "".
func leadingIdent(text string) string {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return text[:i]
	}
	return text
}

// reservedWords are never identifiers a name could be read from.
var reservedWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`break case catch class const continue debugger default delete do else export extends
		false finally for function if import in instanceof new null return super switch this throw true try typeof var
		void while with yield let static async await get set of`) {
		m[w] = true
	}
	return m
}()
