package load

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// OriginalPath turns a map's source (sourceRoot already applied) into the
// path findings report: relative to root (checker.Options.SourceRoot, default the
// working directory), slash-separated, "." and ".." resolved, so that
// GitHub code scanning and editors find the file in the repository.
//
//   - a relative source is resolved against the map's directory (the spec's
//     rule), then made relative to root;
//   - a bundler URL names a path relative to the project, which is taken to
//     be root: webpack's "webpack://<namespace>/./src/a.js?1a2b" (namespace
//     and loader query dropped) and "webpack:///./src/a.js", likewise
//     "rollup://", "vite://" and any other scheme but file:;
//   - a file: URL or an absolute path is made relative to root.
//
// A path that leaves root keeps its "../" (the map says so; inventing a
// location would be worse). It never returns an absolute path when a
// relative one exists.
func OriginalPath(bundle, mapPath, source, root string) string {
	if source == "" {
		return ""
	}
	abs, ok := OriginalFile(bundle, mapPath, source, root)
	if !ok {
		return source
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// OriginalFile is where a map's source would be on disk: an absolute,
// cleaned path (see originalPath), or false for a source that names no
// file (a data: URL, an http URL).
func OriginalFile(bundle, mapPath, source, root string) (string, bool) {
	if scheme, rest, ok := cutScheme(source); ok {
		switch scheme {
		case "file":
			u, err := url.Parse(source)
			if err != nil || u.Path == "" {
				return "", false
			}
			return filepath.Clean(filepath.FromSlash(u.Path)), true
		case "http", "https", "data":
			return "", false
		}
		rest = strings.TrimPrefix(rest, "//")
		if scheme == "webpack" {
			// webpack://[namespace]/[resource-path]?[loaders]; the
			// namespace is empty in "webpack:///".
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				rest = rest[i+1:]
			}
			if i := strings.IndexByte(rest, '?'); i >= 0 {
				rest = rest[:i]
			}
		}
		rest = strings.TrimLeft(rest, "/")
		if rest == "" {
			return "", false
		}
		return filepath.Join(root, filepath.FromSlash(path.Clean(rest))), true
	}
	if filepath.IsAbs(source) || path.IsAbs(source) {
		return filepath.Clean(filepath.FromSlash(source)), true
	}
	dir := filepath.Dir(bundle)
	if mapPath != "" && mapPath != "inline" {
		dir = filepath.Dir(mapPath)
	}
	abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(source)))
	if err != nil {
		return "", false
	}
	return abs, true
}

// cutScheme splits "scheme:rest" when source starts with a URL scheme of
// two or more characters (one letter is a Windows drive, "C:\src").
func cutScheme(source string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(source, ':')
	if i < 2 {
		return "", "", false
	}
	for j := 0; j < i; j++ {
		c := source[j]
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alpha && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return "", "", false
		}
	}
	return strings.ToLower(source[:i]), source[i+1:], true
}

// Dependency names the npm package a source path belongs to, from its
// last node_modules segment ("node_modules/@scope/pkg/x.js" → "@scope/pkg").
func Dependency(source string) string {
	i := strings.LastIndex(source, "node_modules/")
	if i < 0 {
		return ""
	}
	rest := source[i+len("node_modules/"):]
	parts := strings.SplitN(rest, "/", 3)
	if strings.HasPrefix(parts[0], "@") && len(parts) > 1 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}
