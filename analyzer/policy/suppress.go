package policy

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/lines"
)

// Suppression comments live in the original sources (read from the map's
// sourcesContent, or from disk inside the working directory), or in the
// bundle itself when it is analyzed without a map:
//
//	// manglecheck-ignore-next-line name-compare -- compared with a static name
//	// manglecheck-ignore-file name-key, name-compare -- dev-only module
//
// No rule ID means every rule. Block comments (/* … */, {/* … */} in JSX)
// work too. A next-line comment covers findings whose original position
// is on the following line; a file comment covers the whole source file.

const directivePrefix = "manglecheck-ignore-"

// directive is one suppression comment.
type directive struct {
	// file is true for manglecheck-ignore-file, false for -next-line.
	file bool
	// rules are the IDs it names; nil for all rules.
	rules  []string
	reason string
	// line and col are 1-based; col counts UTF-16 code units.
	line, col int
	// text is the comment as written, without the comment markers.
	text string
}

func (d *directive) covers(rule string, line int) bool {
	if !d.file && line != d.line+1 {
		return false
	}
	if d.rules == nil {
		return true
	}
	for _, r := range d.rules {
		if r == rule {
			return true
		}
	}
	return false
}

// parseDirectives finds the suppression comments of a source, given its
// line index.
func parseDirectives(text *lines.Index) []directive {
	var out []directive
	for i := range text.Lines() {
		line := text.Line(i)
		from := 0
		for {
			j := strings.Index(line[from:], directivePrefix)
			if j < 0 {
				break
			}
			j += from
			from = j + len(directivePrefix)
			if d, ok := parseDirective(line, j); ok {
				d.line = i + 1
				out = append(out, d)
			}
		}
	}
	return out
}

// parseDirective reads the directive whose prefix starts at line[at:], if
// it is the first thing in a // or /* comment.
func parseDirective(line string, at int) (directive, bool) {
	before := strings.TrimRight(line[:at], " \t")
	var block bool
	switch {
	case strings.HasSuffix(before, "//"):
	case strings.HasSuffix(before, "/*"):
		block = true
	default:
		return directive{}, false
	}
	start := len(before) - 2
	restAt := at + len(directivePrefix)
	var d directive
	switch rest := line[restAt:]; {
	case strings.HasPrefix(rest, "next-line"):
		restAt += len("next-line")
	case strings.HasPrefix(rest, "file"):
		d.file = true
		restAt += len("file")
	default:
		return directive{}, false
	}
	rest := line[restAt:]
	if block {
		if k := strings.Index(rest, "*/"); k >= 0 {
			rest = rest[:k]
		}
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return directive{}, false // manglecheck-ignore-filesystem
	}
	d.text = strings.TrimSpace(line[at : restAt+len(rest)])
	ids := rest
	if k := strings.Index(rest, "--"); k >= 0 {
		ids, d.reason = rest[:k], strings.TrimSpace(rest[k+2:])
	}
	for _, id := range strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		d.rules = append(d.rules, id)
	}
	d.col = utf16Len(line[:start]) + 1
	return d, true
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r == utf8.RuneError {
			n++
			continue
		}
		n += utf16.RuneLen(r)
	}
	return n
}

// directiveLog gathers, across every file of a run, the suppression
// comments seen and which rules they suppressed something for: a comment
// in a module shared by two bundles is unused only if it is unused in both.
type directiveLog struct {
	mu         sync.Mutex
	byKey      map[string]*directiveUse
	suppressed int
}

type directiveUse struct {
	d directive
	// source is the original source path (as findings show it), or "" for
	// a comment in the bundle itself.
	source string
	// bundle is the first bundle, in path order, the comment was seen in.
	bundle  string
	used    map[string]bool
	context []string
}

func directiveKey(bundle, source string, d *directive) string {
	if source == "" {
		source = "\x00" + bundle
	}
	return fmt.Sprintf("%s\x00%d\x00%d", source, d.line, d.col)
}

// seen records a comment found in a source (or, with source "", in the
// bundle), with its code frame.
func (l *directiveLog) seen(bundle, source string, d *directive, context []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.entry(bundle, source, d)
	if u.context == nil {
		u.context = context
	}
}

// use records that the comment suppressed a finding of rule.
func (l *directiveLog) use(bundle, source string, d *directive, rule string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.suppressed++
	l.entry(bundle, source, d).used[rule] = true
}

func (l *directiveLog) entry(bundle, source string, d *directive) *directiveUse {
	key := directiveKey(bundle, source, d)
	u := l.byKey[key]
	if u == nil {
		u = &directiveUse{d: *d, source: source, bundle: bundle, used: map[string]bool{}}
		l.byKey[key] = u
	} else if bundle < u.bundle {
		u.bundle = bundle
	}
	return u
}

// diagnostics reports the comments without a reason and the ones that
// suppressed nothing, once each, in (source, line, column) order.
func (l *directiveLog) diagnostics(p *Policy) []analyzer.Finding {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []analyzer.Finding
	emit := func(u *directiveUse, r *analyzer.Rule, msg string) {
		if !p.disabled[r.ID] {
			out = append(out, u.finding(p, r, msg))
		}
	}
	for _, u := range l.sortedUses() {
		if u.d.reason == "" {
			emit(u, analyzer.SuppressionWithoutReason, fmt.Sprintf("%q gives no reason: say why the renamed name is fine here after \" -- \", for the next reader.", u.d.text))
		}
		if len(p.ran) == 0 {
			continue
		}
		if msg := u.unusedMessage(p); msg != "" {
			emit(u, analyzer.UnusedSuppression, msg)
		}
	}
	// Negative offsets put them before the findings of their bundle, in
	// the (source, line) order above, whatever the final sort.
	for i := range out {
		out[i].Offset = i - len(out)
	}
	return out
}

// sortedUses returns the comments seen, in (source, bundle, line, column)
// order. l.mu must be held.
func (l *directiveLog) sortedUses() []*directiveUse {
	uses := make([]*directiveUse, 0, len(l.byKey))
	for _, u := range l.byKey {
		uses = append(uses, u)
	}
	sort.Slice(uses, func(i, j int) bool {
		a, b := uses[i], uses[j]
		if a.source != b.source {
			return a.source < b.source
		}
		if a.bundle != b.bundle {
			return a.bundle < b.bundle
		}
		if a.d.line != b.d.line {
			return a.d.line < b.d.line
		}
		return a.d.col < b.d.col
	})
	return uses
}

// unusedMessage says which rules comment u names that do not exist or
// that it suppressed nothing for (any rule, when it names none), or ""
// when there are none. p says which rules exist and which ran.
func (u *directiveUse) unusedMessage(p *Policy) string {
	quoted := fmt.Sprintf("%q", u.d.text)
	what := "the next line"
	if u.d.file {
		what = "this file"
	}
	if u.d.rules == nil {
		if len(u.used) == 0 {
			return fmt.Sprintf("%s suppresses nothing: no rule reports anything on %s. Remove it.", quoted, what)
		}
		return ""
	}
	var unknown, unused []string
	for _, id := range u.d.rules {
		switch {
		case !p.known[id]:
			unknown = append(unknown, id)
		case p.ran[id] && !u.used[id]:
			unused = append(unused, id)
		}
	}
	var parts []string
	if len(unknown) > 0 {
		parts = append(parts, fmt.Sprintf("names no rule: %s (see manglecheck rules)", strings.Join(unknown, ", ")))
	}
	if len(unused) > 0 {
		parts = append(parts, fmt.Sprintf("suppresses nothing for %s: no finding on %s", strings.Join(unused, ", "), what))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("%s %s. Remove or correct it.", quoted, strings.Join(parts, "; "))
}

// finding is the finding of rule r about comment u, with message msg.
func (u *directiveUse) finding(p *Policy, r *analyzer.Rule, msg string) analyzer.Finding {
	f := analyzer.Finding{
		Rule:     r.ID,
		Severity: p.Level(r.ID, r.Severity),
		Message:  msg,
		Bundle:   analyzer.Position{Path: u.bundle},
	}
	if u.source == "" {
		f.Bundle.Line, f.Bundle.Column = u.d.line, u.d.col
	} else {
		f.Original = &analyzer.Original{Source: u.source, Line: u.d.line, Column: u.d.col, Lines: u.context}
	}
	f.Fingerprint = fingerprint(r.ID, u.sourceOrBundle(), "", normalizeLine(u.d.text))
	return f
}

func (u *directiveUse) sourceOrBundle() string {
	if u.source != "" {
		return u.source
	}
	return stableBundlePath(u.bundle)
}

// SuppressionFindings returns the engine's findings about the suppression
// comments seen in the whole run (unused ones, ones without a reason),
// once every file is done.
func (p *Policy) SuppressionFindings() []analyzer.Finding { return p.directives.diagnostics(p) }

// Suppressed counts the findings suppression comments removed.
func (p *Policy) Suppressed() int { return p.directives.suppressed }
