// Package sniff says in a plain sentence what a file that failed to parse
// as JavaScript is instead: a source map, an HTML page, a stylesheet, JSON
// or binary data. People point a bundle checker at the wrong file all the
// time (dist/index.html, the .map next to the bundle); a parser error at
// 1:1 tells them nothing. It is asked only after the parse failed, so valid
// JavaScript is never turned away.
package sniff

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// NotJavaScript returns a sentence saying what the file at path with the
// given contents is when it is clearly not JavaScript, or "" when it may
// be JavaScript with a syntax error (a parse error is then the right
// report).
func NotJavaScript(path string, data []byte) string {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case ext == ".map" || isSourceMap(trimmed):
		js := strings.TrimSuffix(path, ".map")
		if js == path || filepath.Ext(js) == "" {
			return "this is a source map, not a bundle: pass the .js file it maps (manglecheck finds the map next to it)"
		}
		return "this is a source map, not a bundle: pass the .js file it maps (" + filepath.ToSlash(js) + "); manglecheck finds the map next to it"
	case ext == ".html" || ext == ".htm" || isHTML(trimmed):
		return "this is an HTML page, not JavaScript: pass the .js files the build emitted (for example dist/assets or dist/static/js), not the page that loads them"
	case ext == ".css" || ext == ".scss" || ext == ".less":
		return "this is a stylesheet, not JavaScript: pass the .js files of the build"
	case isBinary(trimmed):
		return "this is binary data, not JavaScript: pass the .js files of the build"
	case ext == ".json" || ext == ".webmanifest":
		return "this is a JSON file, not JavaScript: pass the .js files of the build"
	case ext == ".ts" || ext == ".tsx" || ext == ".jsx" || ext == ".vue" || ext == ".svelte":
		return "this is a " + ext + " source file, not a built bundle: build the project and pass the .js files the build emitted"
	}
	return ""
}

// isSourceMap reports whether text starts like a source map: a JSON object
// with "version" near a "mappings" or "sections" key.
func isSourceMap(text []byte) bool {
	if len(text) == 0 || text[0] != '{' {
		return false
	}
	return bytes.Contains(text, []byte(`"version"`)) &&
		(bytes.Contains(text, []byte(`"mappings"`)) || bytes.Contains(text, []byte(`"sections"`)) || bytes.Contains(text, []byte(`"sources"`)))
}

// isBinary reports whether text starts like binary data: a control byte
// or a byte that cannot start UTF-8 (images, gzip, wasm). JavaScript with
// a stray NUL later on stays a parse error at that NUL.
func isBinary(text []byte) bool {
	if len(text) == 0 {
		return false
	}
	r, size := utf8.DecodeRune(text)
	return text[0] < 0x20 || r == utf8.RuneError && size <= 1
}

// isHTML reports whether text starts like an HTML or XML document.
func isHTML(text []byte) bool {
	lower := bytes.ToLower(text[:min(len(text), 64)])
	for _, p := range []string{"<!doctype", "<html", "<head", "<body", "<?xml", "<!--", "<svg", "<script", "<div", "<meta"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return true
		}
	}
	return false
}

// Error is the error of a file that is not JavaScript: Path and the
// sentence NotJavaScript returned.
type Error struct {
	Path, Why string
}

func (e *Error) Error() string { return e.Path + ": " + e.Why }
