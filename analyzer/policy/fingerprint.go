package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
)

// A fingerprint identifies a finding across rebuilds, for baselines and
// SARIF partialFingerprints. It hashes what a rebuild does not change:
//
//   - the rule ID;
//   - the original source path (from the map), or the bundle path with
//     content hashes ("index-4f3a2b1c.js") blanked;
//   - the original name the finding is about, when the map knows it;
//   - the original source line, whitespace collapsed, when the map has
//     sourcesContent or the source is on disk; otherwise a few tokens of
//     the bundle around the finding with every identifier of 1–3
//     characters (what minifiers hand out) replaced by "_".
//
// Never bundle offsets, line numbers or mangled names: adding code at the
// top of an entry moves and renames all of those.
func fingerprint(rule, source, name, snippet string) string {
	h := sha256.New()
	for _, s := range []string{"manglecheck/v1", rule, source, name, snippet} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// normalizeLine collapses the whitespace of a source line.
func normalizeLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// bundleTokens returns up to 6 tokens before the token at off in line
// (offsets in bytes from the line's start) and 10 from it, with short
// identifiers blanked. Tokens, not bytes: a window in bytes would shift
// when a renamed identifier before it changes length.
func bundleTokens(line string, off int) string {
	const before, after, reach = 6, 10, 240
	from := max(0, off-reach)
	to := min(len(line), off+reach)
	type tok struct {
		start int
		text  string
	}
	var toks []tok
	for i := from; i < to; {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isWordByte(c):
			j := i
			for j < to && isWordByte(line[j]) {
				j++
			}
			toks = append(toks, tok{i, line[i:j]})
			i = j
		default:
			toks = append(toks, tok{i, line[i : i+1]})
			i++
		}
	}
	at := len(toks)
	for k, t := range toks {
		if t.start+len(t.text) > off {
			at = k
			break
		}
	}
	// The first token of the window may be cut: never use it.
	lo := max(at-before, min(1, at))
	if from == 0 {
		lo = max(at-before, 0)
	}
	hi := min(at+after, len(toks))
	if to < len(line) && hi == len(toks) && hi > at+1 {
		hi-- // the last may be cut too
	}
	var b strings.Builder
	for _, t := range toks[lo:hi] {
		s := t.text
		if len(s) <= 3 && isWordByte(s[0]) && !(s[0] >= '0' && s[0] <= '9') && !shortKeywords[s] {
			s = "_"
		}
		b.WriteString(s)
		b.WriteByte(' ')
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// shortKeywords are the reserved words of 1–3 characters: never a
// minifier's name, so kept as evidence.
var shortKeywords = map[string]bool{
	"do": true, "if": true, "in": true, "for": true, "let": true, "new": true,
	"try": true, "var": true, "of": true,
}

// stableBundlePath blanks content hashes in a bundle's file name
// ("assets/index-BIqW9hR2.js" → "assets/index-*.js", "main.3f2a1b9c.js"
// → "main.*.js"): a dot- or dash-separated part of six or more characters
// with a digit in it.
func stableBundlePath(p string) string {
	dir, base := path.Split(p)
	var b strings.Builder
	part := 0
	flush := func(end int) {
		s := base[part:end]
		if len(s) >= 6 && strings.ContainsAny(s, "0123456789") {
			s = "*"
		}
		b.WriteString(s)
	}
	for i := 0; i < len(base); i++ {
		if base[i] == '.' || base[i] == '-' {
			flush(i)
			b.WriteByte(base[i])
			part = i + 1
		}
	}
	flush(len(base))
	return dir + b.String()
}
