package policy

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/load"
)

// Config is the part of a check's options the policy applies; the fields
// mean what the same fields of checker.Options do.
type Config struct {
	Rules            []*analyzer.Rule
	Disable          []string
	Severity         map[string]analyzer.Severity
	Include, Exclude []string
	Pinned           []string
	SourceRoot       string
}

// Policy is a Config digested once per run: what the engine applies to the
// rules' findings (severity overrides, disabled rules, pinned names, file
// selection), where it reads original sources from, and the suppression
// comments seen so far. A Policy is used by one check at a time; its
// suppression log is safe for concurrent files.
type Policy struct {
	run      []*analyzer.Rule // the rules to run: Config.Rules minus Disable
	ran      map[string]bool  // IDs of run, for judging suppressions
	known    map[string]bool  // every rule ID the caller knows, engine IDs too
	disabled map[string]bool
	severity map[string]analyzer.Severity
	pinned   map[string]bool
	include  []string
	exclude  []string
	// root is the absolute directory original source paths are made
	// relative to (Config.SourceRoot, default the working directory).
	root string
	// wd is the absolute working directory with symlinks resolved: source
	// files named by a map are read from disk only inside it.
	wd string

	directives *directiveLog
}

// New digests cfg; the error is for a bad glob or source root.
func New(cfg Config) (*Policy, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("working directory: %w", err)
	}
	p := &Policy{
		ran:        map[string]bool{},
		known:      map[string]bool{},
		disabled:   map[string]bool{},
		severity:   cfg.Severity,
		pinned:     map[string]bool{},
		wd:         wd,
		root:       wd,
		directives: &directiveLog{byKey: map[string]*directiveUse{}},
	}
	if real, err := filepath.EvalSymlinks(wd); err == nil {
		p.wd = real
	}
	if cfg.SourceRoot != "" {
		if p.root, err = filepath.Abs(cfg.SourceRoot); err != nil {
			return nil, fmt.Errorf("source root %s: %w", cfg.SourceRoot, err)
		}
	}
	for _, id := range cfg.Disable {
		p.disabled[id] = true
	}
	for _, r := range analyzer.EngineRules() {
		p.known[r.ID] = true
	}
	for _, r := range cfg.Rules {
		p.known[r.ID] = true
		if !p.disabled[r.ID] {
			p.run = append(p.run, r)
			p.ran[r.ID] = true
		}
	}
	for _, n := range cfg.Pinned {
		p.pinned[n] = true
	}
	for _, list := range []struct {
		name string
		in   []string
		out  *[]string
	}{{"include", cfg.Include, &p.include}, {"exclude", cfg.Exclude, &p.exclude}} {
		for _, g := range list.in {
			g = filepath.ToSlash(g)
			if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
				return nil, fmt.Errorf("%s glob %q: %w", list.name, g, err)
			}
			*list.out = append(*list.out, g)
		}
	}
	return p, nil
}

// Selected reports whether a bundle path passes Include and Exclude.
func (p *Policy) Selected(name string) bool {
	if len(p.include) > 0 && !p.matchAny(p.include, name) {
		return false
	}
	return !p.matchAny(p.exclude, name)
}

func (p *Policy) matchAny(globs []string, name string) bool {
	name = filepath.ToSlash(filepath.Clean(name))
	for _, g := range globs {
		n := name
		// A relative glob is matched against the path relative to the
		// working directory, an absolute one against the absolute path.
		if path.IsAbs(g) != path.IsAbs(n) {
			if path.IsAbs(g) {
				n = filepath.ToSlash(filepath.Join(p.wd, name))
			} else if rel, err := filepath.Rel(p.wd, name); err == nil {
				n = filepath.ToSlash(rel)
			}
		}
		if matchGlob(path.Clean(g), n) {
			return true
		}
	}
	return false
}

// matchGlob matches a slash-separated path against a glob whose segments
// follow path.Match, plus "**" for any number of directories (zero too).
func matchGlob(glob, name string) bool {
	return matchSegs(strings.Split(glob, "/"), strings.Split(name, "/"))
}

func matchSegs(g, n []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(n); i++ {
				if matchSegs(g[1:], n[i:]) {
					return true
				}
			}
			return false
		}
		if len(n) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], n[0]); !ok {
			return false
		}
		g, n = g[1:], n[1:]
	}
	return len(n) == 0
}

// NamesPinned reports whether a finding names a function or class whose
// name the user pinned (Config.Pinned: declared kept, e.g. by a
// reserved-names list in the minifier); such a finding is dropped. name is
// the Diagnostic's Name (the original name when a map knows it, else the
// name the rule judged), original the map's name at the flagged position;
// "" is never pinned.
func (p *Policy) NamesPinned(name, original string) bool {
	return name != "" && p.pinned[name] || original != "" && p.pinned[original]
}

// Level returns the severity a finding of rule id is reported with.
func (p *Policy) Level(id string, sev analyzer.Severity) analyzer.Severity {
	if s, ok := p.severity[id]; ok && s != 0 {
		return s
	}
	return sev
}

// Rules returns the rules to run: Config.Rules minus those disabled.
func (p *Policy) Rules() []*analyzer.Rule { return p.run }

// Disabled reports whether the rule (or engine diagnostic) id is off.
func (p *Policy) Disabled(id string) bool { return p.disabled[id] }

// SourceRoot is the absolute directory original source paths are reported
// relative to.
func (p *Policy) SourceRoot() string { return p.root }

// ReadSource reads from disk the original source the map at mapPath
// (of bundle) names raw, for a map without sourcesContent: only a file
// inside the working directory, at most max bytes (a map is untrusted
// input: it must not make a report show /etc/passwd). Code frames and
// the name analysis both read sources through it.
func (p *Policy) ReadSource(bundle, mapPath, raw string, max int64) (string, bool) {
	abs, ok := load.OriginalFile(bundle, mapPath, raw, p.root)
	if !ok {
		return "", false
	}
	return load.ReadInside(p.wd, abs, max)
}
