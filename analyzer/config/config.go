// Package config reads manglecheck.json, the project's configuration file,
// and turns it into checker.Options.
//
//	{
//	  "rules":      {"name-key": "off", "name-message": "warning"},
//	  "include":    ["dist/**/*.js"],
//	  "exclude":    ["dist/legacy/**"],
//	  "pinned":     ["PluginBase"],
//	  "failOn":     "warning",
//	  "sourceRoot": ".",
//	  "baseline":   "manglecheck-baseline.json"
//	}
//
// Every key is optional. Comments (// and /* */) and trailing commas are
// allowed, as in tsconfig.json, and "$schema" may name the published schema
// (npm/manglecheck/schema.json, or
// ./node_modules/manglecheck/schema.json once the npm package is
// installed). Paths and globs are relative to the directory of the file. An unknown key, a value of the wrong type or an unknown level
// is an error naming the file and the place, never silently ignored: a
// typo must not turn a check off. Rule IDs are checked by the caller,
// which knows the rules (see Validate).
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/didyoumean"
)

// Names are the file names Find looks for, in order, in each directory.
var Names = []string{"manglecheck.json", ".manglecheck.json"}

// Config is a decoded manglecheck.json.
type Config struct {
	// Path is the file it was read from; Dir its directory (absolute),
	// which relative paths and globs in it are relative to.
	Path string `json:"-"`
	Dir  string `json:"-"`

	// Rules sets a level per rule ID: "off", "error", "warning" or "info".
	Rules map[string]Level
	// Include are globs of the bundles to check: the inputs when the
	// command line names none, and a filter on the files it names.
	Include []string
	// Exclude are globs of bundles never checked.
	Exclude []string
	// Pinned are names the minifier keeps (see checker.Options.Pinned).
	Pinned []string
	// FailOn is the lowest severity that fails the run, or "never".
	FailOn string
	// SourceRoot is where original source paths are reported from.
	SourceRoot string
	// Baseline is a baseline file applied to every run.
	Baseline string
}

// Level is a rule's configured level: Off, or a severity.
type Level struct {
	Off      bool
	Severity analyzer.Severity
}

func parseLevel(s string) (Level, error) {
	if s == "off" {
		return Level{Off: true}, nil
	}
	sev, err := analyzer.ParseSeverity(s)
	if err != nil {
		return Level{}, fmt.Errorf("unknown level %q (want off, error, warning or info)", s)
	}
	return Level{Severity: sev}, nil
}

// file is the JSON shape; Config adds what is derived from it.
type file struct {
	Schema     string            `json:"$schema"`
	Rules      map[string]string `json:"rules"`
	Include    []string          `json:"include"`
	Exclude    []string          `json:"exclude"`
	Pinned     []string          `json:"pinned"`
	FailOn     string            `json:"failOn"`
	SourceRoot string            `json:"sourceRoot"`
	Baseline   string            `json:"baseline"`
}

// Find looks for a configuration file in dir and each of its parents and
// returns its path, or "" when there is none. Two names in one directory
// is an error: which one applies would be a guess. The search stops at
// the root of the repository (the directory holding .git) and at home
// (when not ""): a file above them — in a shared, writable /tmp, say —
// is not the project's and could turn rules off.
func Find(dir, home string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if home != "" {
		if h, err := filepath.Abs(home); err == nil {
			home = h
		}
	}
	for {
		var found []string
		for _, n := range Names {
			p := filepath.Join(dir, n)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				found = append(found, p)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("%s: %w", p, err)
			}
		}
		if len(found) > 1 {
			return "", fmt.Errorf("%s: both %s and %s: keep one", dir, Names[0], Names[1])
		}
		if len(found) == 1 {
			return found[0], nil
		}
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil || dir == home {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and checks a configuration file.
func Load(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	c.Path = file
	if c.Dir, err = filepath.Abs(filepath.Dir(file)); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return c, nil
}

// Parse decodes and checks the text of a configuration file. Errors give
// the line and column of the problem.
func Parse(data []byte) (*Config, error) {
	data, open := stripJSONC(data)
	if open >= 0 {
		return nil, fmt.Errorf("%s: invalid JSON: a /* comment is never closed", at(data, int64(open)))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, describe(data, dec, err)
	}
	// encoding/json matches keys case-insensitively ("failon" would set
	// failOn): the file's keys must be spelled exactly.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err == nil {
		known := map[string]bool{}
		for _, k := range keys() {
			known[k] = true
		}
		for k := range raw {
			if !known[k] {
				return nil, fmt.Errorf("%s: unknown key %q%s (known: %s)", at(data, int64(bytes.Index(data, []byte(`"`+k+`"`)))), k, didyoumean.Suggest(k, keys()), strings.Join(keys(), ", "))
			}
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: unexpected data after the configuration object", at(data, dec.InputOffset()))
	}
	c := Config{Include: f.Include, Exclude: f.Exclude, Pinned: f.Pinned, FailOn: f.FailOn, SourceRoot: f.SourceRoot, Baseline: f.Baseline}
	if len(f.Rules) > 0 {
		c.Rules = map[string]Level{}
	}
	for id, v := range f.Rules {
		l, err := parseLevel(v)
		if err != nil {
			return nil, fmt.Errorf("rules: %q: %w", id, err)
		}
		c.Rules[id] = l
	}
	if c.FailOn != "" && c.FailOn != "never" {
		if _, err := analyzer.ParseSeverity(c.FailOn); err != nil {
			return nil, fmt.Errorf("failOn: unknown value %q (want error, warning, info or never)", c.FailOn)
		}
	}
	for _, list := range []struct {
		key   string
		globs []string
	}{{"include", c.Include}, {"exclude", c.Exclude}} {
		for _, g := range list.globs {
			if err := checkGlob(g); err != nil {
				return nil, fmt.Errorf("%s: %q: %w", list.key, g, err)
			}
		}
	}
	for _, n := range c.Pinned {
		if n == "" || strings.ContainsAny(n, " \t\n") {
			return nil, fmt.Errorf("pinned: %q is not a name", n)
		}
	}
	return &c, nil
}

func checkGlob(g string) error {
	if g == "" {
		return errors.New("empty glob")
	}
	if filepath.IsAbs(g) {
		return errors.New("globs are relative to the configuration file")
	}
	for _, seg := range strings.Split(filepath.ToSlash(g), "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return err
		}
	}
	return nil
}

// describe turns encoding/json's errors into one line with the position:
// `3:12: rules.name-key: unknown rule level "of" (...)`.
func describe(data []byte, dec *json.Decoder, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("%s: invalid JSON: %s", at(data, syntax.Offset), syntax.Error())
	case errors.As(err, &typ):
		pos := typ.Offset
		if i := bytes.Index(data, []byte(`"`+typ.Field+`"`)); i >= 0 {
			pos = int64(i) // the key whose value is wrong
		}
		return fmt.Errorf("%s: %s, not a JSON %s", at(data, pos), wantWords(typ.Field, typ.Type.Kind() == reflect.String), typ.Value)
	case errors.Is(err, io.EOF):
		return errors.New("empty file: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: invalid JSON: unexpected end of file", at(data, int64(len(data))))
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		pos := dec.InputOffset()
		if i := bytes.Index(data, []byte(f)); i >= 0 {
			pos = int64(i) // the key itself, quoted as in the file
		}
		return fmt.Errorf("%s: unknown key %s%s (known: %s)", at(data, pos), f, didyoumean.Suggest(strings.Trim(f, `"`), keys()), strings.Join(keys(), ", "))
	}
	return fmt.Errorf("%s: %s", at(data, dec.InputOffset()), strings.TrimPrefix(msg, "json: "))
}

// wantWords says in words what the value of a key must be; field is
// encoding/json's path to the wrong value ("include", "rules", ""), and
// scalar is true when a string was wanted there (a rule's level, not the
// whole rules object).
func wantWords(field string, scalar bool) string {
	key, _, _ := strings.Cut(field, ".")
	switch key {
	case "":
		return "the configuration must be a JSON object"
	case "$schema":
		return "$schema must be a string (the schema's path or URL)"
	case "rules":
		if scalar {
			return "a rule's level must be one of \"off\", \"error\", \"warning\" or \"info\""
		}
		return "rules must be an object of rule IDs and levels, e.g. {\"name-key\": \"off\"}"
	case "include", "exclude":
		return key + " must be a list of globs, e.g. [\"dist/**/*.js\"]"
	case "pinned":
		return "pinned must be a list of names"
	case "failOn":
		return "failOn must be one of \"error\", \"warning\", \"info\" or \"never\""
	case "sourceRoot":
		return "sourceRoot must be a path (a string)"
	case "baseline":
		return "baseline must be a path (a string)"
	}
	return field + " has the wrong type"
}

// stripJSONC blanks out // and /* */ comments and trailing commas (before
// } or ]) outside strings, keeping every other byte and every newline in
// place so error positions still point into the file as written. open is
// the offset of a /* comment that is never closed, else -1.
func stripJSONC(data []byte) (out []byte, open int) {
	if !bytes.ContainsAny(data, "/,") {
		return data, -1
	}
	out = bytes.Clone(data)
	blank := func(i int) {
		if out[i] != '\n' && out[i] != '\r' {
			out[i] = ' '
		}
	}
	lastComma := -1 // offset of a comma with only blanks after it so far
	for i := 0; i < len(out); i++ {
		switch c := out[i]; {
		case c == '"':
			lastComma = -1
			for i++; i < len(out) && out[i] != '"'; i++ {
				if out[i] == '\\' {
					i++
				}
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				blank(i)
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			end := bytes.Index(out[i+2:], []byte("*/"))
			if end < 0 {
				return out, i
			}
			for j := i; j < i+2+end+2; j++ {
				blank(j)
			}
			i += 2 + end + 1
		case c == ',':
			lastComma = i
		case c == '}' || c == ']':
			if lastComma >= 0 {
				out[lastComma] = ' '
			}
			lastComma = -1
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			lastComma = -1
		}
	}
	return out, -1
}

// Keys are the keys a configuration file may have, sorted.
func Keys() []string { return keys() }

func keys() []string {
	ks := []string{"$schema", "rules", "include", "exclude", "pinned", "failOn", "sourceRoot", "baseline"}
	sort.Strings(ks)
	return ks
}

// at is "line:col" (1-based, bytes) of a byte offset.
func at(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%d:%d", line, col)
}

// Validate checks that every rule ID the file names is known.
func (c *Config) Validate(known []string) error {
	ok := map[string]bool{}
	for _, id := range known {
		ok[id] = true
	}
	var bad []string
	for id := range c.Rules {
		if !ok[id] {
			bad = append(bad, id)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		hint := ""
		if len(bad) == 1 {
			hint = didyoumean.Suggest(bad[0], known)
		}
		return fmt.Errorf("%s: rules: unknown rule %s%s (run 'manglecheck rules' for the list)", c.Path, quoteAll(bad), hint)
	}
	return nil
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// Apply copies the file's settings into opts, below whatever the command
// line set: a rule turned off joins opts.Disable, other levels become
// severity overrides (a flag's explicit choice is the caller's to keep),
// globs are made relative to the working directory wd, pinned names are
// added. SourceRoot and Baseline are left to the caller (see Abs), since
// flags override them.
func (c *Config) Apply(opts *checker.Options, wd string) {
	for _, id := range slices.Sorted(maps.Keys(c.Rules)) {
		l := c.Rules[id]
		if l.Off {
			opts.Disable = append(opts.Disable, id)
			continue
		}
		if opts.Severity == nil {
			opts.Severity = map[string]analyzer.Severity{}
		}
		opts.Severity[id] = l.Severity
	}
	opts.Include = append(opts.Include, c.Globs(c.Include, wd)...)
	opts.Exclude = append(opts.Exclude, c.Globs(c.Exclude, wd)...)
	opts.Pinned = append(opts.Pinned, c.Pinned...)
}

// Globs rewrites globs relative to the file's directory as globs relative
// to wd, so that they match the paths the engine lists ("dist/**/*.js" in
// /repo/manglecheck.json, run from /repo/app, becomes "../dist/**/*.js").
func (c *Config) Globs(globs []string, wd string) []string {
	prefix := "."
	if rel, err := filepath.Rel(wd, c.Dir); err == nil {
		prefix = filepath.ToSlash(rel)
	} else {
		prefix = filepath.ToSlash(c.Dir)
	}
	out := make([]string, len(globs))
	for i, g := range globs {
		out[i] = path.Join(prefix, filepath.ToSlash(g))
	}
	return out
}

// Abs resolves a path from the file (sourceRoot, baseline) against its
// directory; "" stays "".
func (c *Config) Abs(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, filepath.FromSlash(p))
}
