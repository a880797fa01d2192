package sourcemap

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/jstoken"
)

// DefaultMaxSize is the map size cap Locate applies when given maxSize <= 0.
const DefaultMaxSize = 256 << 20

var (
	// ErrNoMap means the bundle names no source map and has no sibling
	// "<bundle>.map".
	ErrNoMap = errors.New("no source map")
	// ErrRefused means the bundle names a map that Locate will not read on
	// principle: a remote URL, an unsupported scheme, or a file outside
	// root. The error text says which.
	ErrRefused = errors.New("source map not read")
)

// Locate finds the source map of a bundle. It looks at the comments that
// end src for the last `//# sourceMappingURL=` (or the legacy `//@`, or a
// `/*# … */` block); a comment that is followed by code, or one inside a
// string literal, does not count. The URL may be a relative file URL
// (percent-decoded, resolved against the bundle's directory), a file: URL,
// or a data URL of media type application/json (base64 or percent-encoded).
// Without such a comment Locate tries the sibling "<bundle>.map".
//
// Files are read only inside root (the bundle's or the input's directory),
// after resolving ".." and symlinks, and only regular files of at most
// maxSize bytes (DefaultMaxSize when maxSize <= 0). http(s) URLs are never
// fetched. where is the map's path (root joined with its path inside root)
// or "inline". Errors name the bundle; errors.Is(err, ErrNoMap) when there
// is nothing to find, errors.Is(err, ErrRefused) when a map was named but
// deliberately not read.
func Locate(bundlePath string, src []byte, root string, maxSize int64) (data []byte, where string, err error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	u, ok := findURL(src)
	if !ok {
		data, where, err := readInRoot(root, bundlePath+".map", maxSize)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("%s: %w", bundlePath, ErrNoMap)
		}
		if err != nil {
			return nil, "", fmt.Errorf("%s: sibling source map: %w", bundlePath, err)
		}
		return data, where, nil
	}
	if len(u) >= 5 && strings.EqualFold(u[:5], "data:") {
		data, err := decodeDataURL(u, maxSize)
		if err != nil {
			return nil, "", fmt.Errorf("%s: inline source map: %w", bundlePath, err)
		}
		return data, "inline", nil
	}
	path, err := urlPath(u)
	if err != nil {
		return nil, "", fmt.Errorf("%s: sourceMappingURL %.200q: %w", bundlePath, u, err)
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(bundlePath), path)
	}
	data, where, err = readInRoot(root, path, maxSize)
	if err != nil {
		return nil, "", fmt.Errorf("%s: sourceMappingURL %.200q: %w", bundlePath, u, err)
	}
	return data, where, nil
}

// urlPath turns a sourceMappingURL that names a local file into a path.
func urlPath(u string) (string, error) {
	if strings.HasPrefix(u, "//") {
		return "", fmt.Errorf("%w: a protocol-relative URL is remote and never fetched", ErrRefused)
	}
	if scheme, _, ok := strings.Cut(u, ":"); ok && len(scheme) > 1 && isScheme(scheme) {
		switch strings.ToLower(scheme) {
		case "http", "https":
			return "", fmt.Errorf("%w: remote source maps are never fetched", ErrRefused)
		case "file":
			pu, err := url.Parse(u)
			if err != nil {
				return "", err
			}
			if pu.Host != "" && pu.Host != "localhost" {
				return "", fmt.Errorf("%w: file URL on host %q", ErrRefused, pu.Host)
			}
			return filepath.FromSlash(pu.Path), nil
		}
		return "", fmt.Errorf("%w: URL scheme %q is not supported", ErrRefused, scheme)
	}
	// A relative URL: the query and fragment do not name the file.
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	p, err := url.PathUnescape(u)
	if err != nil {
		return "", err
	}
	if p == "" || strings.IndexByte(p, 0) >= 0 {
		return "", errors.New("invalid file name")
	}
	return filepath.FromSlash(p), nil
}

// isScheme reports whether s is a URL scheme (RFC 3986: ALPHA *( ALPHA /
// DIGIT / "+" / "-" / "." )).
func isScheme(s string) bool {
	for i := range len(s) {
		c := s[i] | 0x20
		if !('a' <= c && c <= 'z' || i > 0 && ('0' <= s[i] && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
			return false
		}
	}
	return true
}

// readInRoot reads the regular file at path if, with every symlink
// resolved, it lies inside root. The map is named by the bundle, i.e. by
// the input, so without this check a bundle could make us read (and echo
// parts of) /etc/passwd or ~/.ssh through "../" or a symlink.
func readInRoot(root, path string, maxSize int64) ([]byte, string, error) {
	realRoot, err := realPath(root)
	if err != nil {
		return nil, "", fmt.Errorf("root: %w", err)
	}
	real, err := realPath(path)
	if err != nil {
		return nil, "", err
	}
	rel, err := filepath.Rel(realRoot, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return nil, "", fmt.Errorf("%w: %s resolves outside %s", ErrRefused, path, root)
	}
	// os.Root re-checks every component at open time, so a symlink swapped
	// in after the check above still cannot lead outside root.
	r, err := os.OpenRoot(realRoot)
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	fi, err := r.Stat(rel)
	if err != nil {
		return nil, "", err
	}
	if !fi.Mode().IsRegular() {
		// A FIFO would block the read forever; a directory is a mistake.
		return nil, "", fmt.Errorf("%w: %s is not a regular file", ErrRefused, path)
	}
	if fi.Size() > maxSize {
		return nil, "", fmt.Errorf("%s is %d bytes, more than the %d-byte limit", path, fi.Size(), maxSize)
	}
	f, err := r.Open(rel)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	// Sized from the stat: io.ReadAll would grow and copy a 33 MB map
	// several times over. One byte past the limit tells a file that grew.
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, maxSize+1)); err != nil {
		return nil, "", err
	}
	data := buf.Bytes()
	if int64(len(data)) > maxSize {
		return nil, "", fmt.Errorf("%s grew past the %d-byte limit while read", path, maxSize)
	}
	return data, filepath.Join(root, rel), nil
}

func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// decodeDataURL decodes a data: URL (RFC 2397) carrying a JSON map.
func decodeDataURL(u string, maxSize int64) ([]byte, error) {
	meta, payload, ok := strings.Cut(u[len("data:"):], ",")
	if !ok {
		return nil, errors.New("malformed data URL: no comma")
	}
	params := strings.Split(meta, ";")
	if mt := strings.ToLower(strings.TrimSpace(params[0])); mt != "application/json" {
		return nil, fmt.Errorf("%w: data URL of media type %q, want application/json", ErrRefused, mt)
	}
	isBase64 := false
	for _, p := range params[1:] {
		p = strings.ToLower(strings.TrimSpace(p))
		switch {
		case p == "base64":
			isBase64 = true
		case strings.HasPrefix(p, "charset="):
			if cs := strings.Trim(p[len("charset="):], `"`); cs != "utf-8" && cs != "utf8" {
				return nil, fmt.Errorf("data URL charset %q, want utf-8", cs)
			}
		}
	}
	if !isBase64 {
		data, err := url.PathUnescape(payload)
		if err != nil {
			return nil, fmt.Errorf("data URL: %w", err)
		}
		if int64(len(data)) > maxSize {
			return nil, fmt.Errorf("inline map is %d bytes, more than the %d-byte limit", len(data), maxSize)
		}
		return []byte(data), nil
	}
	if int64(len(payload))/4*3 > maxSize {
		return nil, fmt.Errorf("inline map is about %d bytes, more than the %d-byte limit", len(payload)/4*3, maxSize)
	}
	// Some tools drop the '=' padding; accept both forms.
	enc := base64.StdEncoding
	if len(payload)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	data, err := enc.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("data URL: %w", err)
	}
	return data, nil
}

// findURL returns the URL of the last sourceMappingURL comment among the
// comments that end src; anything but whitespace and comments after it
// disqualifies it. Browsers take the comment from their tokenizer; reading
// every token of a large bundle would cost more than the rest of Locate, so
// this walks backwards over trailing comments only, and reads the tokens of
// a line ending in a line comment (lineCommentStart): a
// "//# sourceMappingURL=" inside a string or template literal is not a
// trailing comment and is ignored.
func findURL(src []byte) (string, bool) {
	end := len(src)
	for {
		end = jstoken.TrimSpaceEnd(src, end)
		if end == 0 {
			return "", false
		}
		var start int
		var body []byte
		if end >= 4 && src[end-2] == '*' && src[end-1] == '/' {
			start = bytes.LastIndex(src[:end-2], []byte("/*"))
			if start < 0 {
				return "", false
			}
			body = src[start+2 : end-2]
		} else {
			start = lineCommentStart(src, jstoken.LineStart(src, end), end)
			if start < 0 {
				return "", false
			}
			body = src[start+2 : end]
		}
		if u, ok := matchURLComment(body); ok {
			return u, true
		}
		end = start
	}
}

// matchURLComment parses a comment body (after "//" or "/*") of the form
// "# sourceMappingURL=<url>" or the legacy "@ sourceMappingURL=<url>".
func matchURLComment(body []byte) (string, bool) {
	if len(body) < 2 || body[0] != '#' && body[0] != '@' || body[1] != ' ' && body[1] != '\t' {
		return "", false
	}
	rest := bytes.TrimLeft(body[1:], " \t")
	const key = "sourceMappingURL="
	if !bytes.HasPrefix(rest, []byte(key)) {
		return "", false
	}
	rest = rest[len(key):]
	n := bytes.IndexAny(rest, " \t\r\n\v\f")
	if n < 0 {
		n = len(rest)
	}
	if n == 0 || len(bytes.TrimSpace(rest[n:])) != 0 {
		return "", false
	}
	return string(rest[:n]), true
}
