package rules

import (
	"fmt"
	"strings"

	"github.com/manglecheck/manglecheck/analyzer/funcindex"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// A string made from a runtime name (`${Model.name}:v2`,
// "store:" + C.name, C.name.toLowerCase()) and compared with literals
// breaks like the name itself: the engine evaluates the derivation on the
// names involved. name-compare reports it as an error when the bundle
// shows that no candidate can produce the literal (judgeDerivedCompare);
// name-derived's warning stays for derived strings without that evidence.

// derivedMatch is how a comparison of the derived string d with a literal
// matches: base (equality, startsWith…) applied to d evaluated on a name.
func derivedMatch(d names.Derivation, base funcindex.Match) funcindex.Match {
	var key strings.Builder
	key.WriteString("derived")
	for _, st := range d {
		fmt.Fprintf(&key, "\x01%d\x02%s", st.Op, st.S)
	}
	key.WriteString("\x01" + base.Key)
	return funcindex.Match{Key: key.String(), Fn: func(name, lit string) bool {
		s, ok := d.Apply(name)
		return ok && base.Fn(s, lit)
	}}
}

// derivedCompareBreaks returns, for a comparison u of a derived string,
// the literal it can never match after minification, why, and the
// original name involved; "" when there is no such evidence.
func derivedCompareBreaks(ix *funcindex.Index, u *names.Use) (lit, msg, name string) {
	if u.Kind != names.UseCompare || !u.Derived() || !u.Derivation.Known() || isCalleeRead(u.Read) {
		return "", "", ""
	}
	base := matcher(u.Callee)
	m := derivedMatch(u.Derivation, base)
	for _, lit := range u.Strings {
		if msg, name := judgeDerivedCompare(ix, u, lit, m, u.Callee == ""); msg != "" {
			return lit, msg, name
		}
	}
	return "", "", ""
}

// judgeDerivedCompare is judgeCompare for a derived string: m matches the
// derivation of a name against lit; exact is set for an equality (===,
// switch, array membership).
func judgeDerivedCompare(ix *funcindex.Index, u *names.Use, lit string, m funcindex.Match, exact bool) (string, string) {
	nf, r, d := ix.Facts(), u.Read, u.Derivation
	exhaustive := r.Candidates != nil && !r.Partial
	derive := func(name string) string { s, _ := d.Apply(name); return s }
	// With a map: a candidate whose source name gives the literal and
	// whose runtime name does not.
	if renamed, blocked := renamedAwayFrom(ix, r, lit, m); blocked {
		return "", ""
	} else if len(renamed) > 0 {
		fn := renamed[0]
		return fmt.Sprintf("but %s renamed %s: the string is %q at runtime instead of %q, so the comparison never matches. %s",
			renamer(nf), renames(renamed), derive(fn.Runtime), derive(fn.Original), compareFix(fn)), fn.Original
	}
	// Without map knowledge: every candidate is known and mangled, and
	// the literal is the derivation's text around an identifier that no
	// function or class of the bundle is named.
	if !nf.Minified || !exact || r.Candidates == nil {
		return "", ""
	}
	if u.ReturnsOther() {
		// Strings that are no name reach the comparison: lodash's
		// getFuncName returns the name its table of real names holds
		// ("wrapper") or func.name.
		return "", ""
	}
	// The derivation of a stand-in character shows the text it puts
	// around the name (case changes included: "kind:" + n.toLowerCase()).
	around, _ := d.Apply("\x00")
	prefix, suffix, _ := strings.Cut(around, "\x00")
	if len(lit) < len(prefix)+len(suffix) || !strings.HasPrefix(lit, prefix) || !strings.HasSuffix(lit, suffix) {
		return "", ""
	}
	named := lit[len(prefix) : len(lit)-len(suffix)]
	// Values the flows do not see may reach a partial read: then a
	// function of the bundle that does produce lit may be one.
	if len(named) < 3 || !identifierLike(named) || builtinFold[strings.ToLower(named)] || !exhaustive && ix.Carried(m, lit) ||
		len(nf.Scope.Globals[named]) > 0 || nf.DynamicName(named) {
		return "", ""
	}
	var short []*names.Func
	for _, fn := range r.Candidates {
		if fn.OriginalKnown || m.Fn(fn.Runtime, lit) {
			return "", ""
		}
		if exhaustive && fn.RuntimeKnown && fn.Runtime == "" && !fn.Helper {
			short = append(short, fn)
			continue
		}
		if !nf.Mangled(fn) {
			return "", ""
		}
		short = append(short, fn)
	}
	if len(short) == 0 || !anyShortName(short) {
		return "", ""
	}
	var made []string
	for _, fn := range short {
		made = appendUnique(made, fmt.Sprintf("%q", derive(fn.Runtime)))
	}
	if len(made) > 5 {
		made = append(made[:5], "…")
	}
	return fmt.Sprintf("but in this minified bundle %s, so the string is %s and never %q (%q is no function or class of this bundle). %s",
		runtimeNames(short), strings.Join(made, ", "), lit, named, compareFix(nil)), named
}

// builtinFold are the builtins in lower case: a derivation may change a
// name's case ("object" is Object lower-cased).
var builtinFold = func() map[string]bool {
	m := map[string]bool{}
	for b := range builtins {
		m[strings.ToLower(b)] = true
	}
	return m
}()
