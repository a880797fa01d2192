package analyzer

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// policy is Options digested once per run: what the engine applies to the
// rules' findings (severity overrides, disabled rules, pinned names, file
// selection) and where it reads original sources from.
type policy struct {
	run      []*Rule         // the rules to run: Options.Rules minus Disable
	ran      map[string]bool // IDs of run, for judging suppressions
	known    map[string]bool // every rule ID the caller knows, engine IDs too
	disabled map[string]bool
	severity map[string]Severity
	pinned   map[string]bool
	include  []string
	exclude  []string
	// root is the absolute directory original source paths are made
	// relative to (Options.SourceRoot, default the working directory).
	root string
	// wd is the absolute working directory with symlinks resolved: source
	// files named by a map are read from disk only inside it.
	wd string

	directives *directiveLog
}

func newPolicy(opts Options) (*policy, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("working directory: %w", err)
	}
	p := &policy{
		ran:        map[string]bool{},
		known:      map[string]bool{},
		disabled:   map[string]bool{},
		severity:   opts.Severity,
		pinned:     map[string]bool{},
		wd:         wd,
		root:       wd,
		directives: &directiveLog{byKey: map[string]*directiveUse{}},
	}
	if real, err := filepath.EvalSymlinks(wd); err == nil {
		p.wd = real
	}
	if opts.SourceRoot != "" {
		if p.root, err = filepath.Abs(opts.SourceRoot); err != nil {
			return nil, fmt.Errorf("source root %s: %w", opts.SourceRoot, err)
		}
	}
	for _, id := range opts.Disable {
		p.disabled[id] = true
	}
	for _, r := range EngineRules() {
		p.known[r.ID] = true
	}
	for _, r := range opts.Rules {
		p.known[r.ID] = true
		if !p.disabled[r.ID] {
			p.run = append(p.run, r)
			p.ran[r.ID] = true
		}
	}
	for _, n := range opts.Pinned {
		p.pinned[n] = true
	}
	for _, list := range []struct {
		name string
		in   []string
		out  *[]string
	}{{"include", opts.Include, &p.include}, {"exclude", opts.Exclude, &p.exclude}} {
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

// selected reports whether a bundle path passes Include and Exclude.
func (p *policy) selected(name string) bool {
	if len(p.include) > 0 && !p.matchAny(p.include, name) {
		return false
	}
	return !p.matchAny(p.exclude, name)
}

func (p *policy) matchAny(globs []string, name string) bool {
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

// namesPinned reports whether a finding names a function or class whose
// name the user pinned (Options.Pinned: declared kept, e.g. by a
// reserved-names list in the minifier); such a finding is dropped. name is
// the Diagnostic's Name (the original name when a map knows it, else the
// name the rule judged), original the map's name at the flagged position;
// "" is never pinned.
func (p *policy) namesPinned(name, original string) bool {
	return name != "" && p.pinned[name] || original != "" && p.pinned[original]
}

// level returns the severity a finding of rule id is reported with.
func (p *policy) level(id string, sev Severity) Severity {
	if s, ok := p.severity[id]; ok && s != 0 {
		return s
	}
	return sev
}
