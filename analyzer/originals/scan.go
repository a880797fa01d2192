package originals

import "strings"

// Hand-written line scanners over original sources (sourcesContent can be
// tens of megabytes; Go's regexp took ~1 s CPU on three.js ×10 here).

// IsModule reports whether a source has ES module statements or
// CommonJS markers: its top level is no global scope. A statement counts
// where one can start: at the start of a line or after `;` or `}` (a
// library's pre-minified ES module ends in `…;export{a as b}`, which a
// scan of line starts took for a script: apollo-client's module-scoped
// __DEV__ became a "global").
func IsModule(content string) bool {
	for _, kw := range [...]string{"import", "export"} {
		for from := 0; ; {
			i := strings.Index(content[from:], kw)
			if i < 0 {
				break
			}
			i += from
			from = i + len(kw)
			if statementStart(content, i) && moduleStatement(kw, content[from:]) {
				return true
			}
		}
	}
	return strings.Contains(content, "module.exports") || strings.Contains(content, "exports.") ||
		strings.Contains(content, "require(\"") || strings.Contains(content, "require('")
}

// statementStart reports whether a statement may begin at content[i]: only
// spaces and tabs lie between it and the start of the text, a line break,
// `;` or `}`.
func statementStart(content string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch content[j] {
		case ' ', '\t':
			continue
		case '\n', '\r', ';', '}':
			return true
		}
		return false
	}
	return true
}

// moduleStatement reports whether rest, the text after the keyword kw,
// continues an import or export statement (not `important`, `exports.x`,
// a dynamic import() or an identifier such as importScripts).
func moduleStatement(kw, rest string) bool {
	if rest == "" {
		return false
	}
	switch c := rest[0]; {
	case c == '{' || c == '*':
		return true
	case kw == "import" && (c == '"' || c == '\''):
		return true
	case kw == "import" && strings.HasPrefix(rest, ".meta"):
		return true
	case c == ' ' || c == '\t':
		t := strings.TrimLeft(rest, " \t")
		return t != "" && (t[0] == '{' || t[0] == '*' || t[0] == '"' || t[0] == '\'' || t[0] == '_' || t[0] == '$' ||
			t[0] >= 'a' && t[0] <= 'z' || t[0] >= 'A' && t[0] <= 'Z') && !strings.HasPrefix(t, "from")
	}
	return false
}

// declHit is one declaration at the start of a source line.
type declHit struct {
	name     string
	function bool
	top      bool // at column 0
	imported bool // a binding of an import declaration
}

// scanDecls lists the functions, classes and variables declared at the
// start of a line (after optional export/export default).
func scanDecls(content string, f func(declHit)) {
	for rest := content; ; {
		line, next, ok := strings.Cut(rest, "\n")
		t := strings.TrimLeft(line, " \t")
		top := len(t) == len(line)
		if strings.HasPrefix(t, "import ") || strings.HasPrefix(t, "import{") {
			for _, name := range importClauseNames(t[len("import"):]) {
				f(declHit{name: name, top: top, imported: true})
			}
			if !ok {
				return
			}
			rest = next
			continue
		}
		t = strings.TrimPrefix(t, "export ")
		t = strings.TrimPrefix(t, "default ")
		fn := false
		switch {
		case strings.HasPrefix(t, "async function"):
			t, fn = t[len("async function"):], true
		case strings.HasPrefix(t, "function"):
			t, fn = t[len("function"):], true
		case strings.HasPrefix(t, "class "):
			t = t[len("class "):]
		case strings.HasPrefix(t, "var "), strings.HasPrefix(t, "let "):
			t = t[4:]
		case strings.HasPrefix(t, "const "):
			t = t[6:]
		default:
			t = ""
		}
		if t != "" && fn && leadingIdent(t) != "" {
			t = "" // "functionality(", not a declaration
		}
		if t != "" {
			t = strings.TrimLeft(t, " \t*")
			if id := leadingIdent(t); id != "" && !reservedWords[id] {
				f(declHit{name: id, function: fn, top: top})
			}
		}
		if !ok {
			return
		}
		rest = next
	}
}

// importClauseNames lists the local bindings of one import declaration's
// clause (`Default, {A, B as C} from "x"`; namespace imports are skipped),
// as far as it is on this line.
func importClauseNames(clause string) []string {
	clause, _, _ = strings.Cut(clause, " from")
	clause, _, _ = strings.Cut(clause, "from'")
	clause, _, _ = strings.Cut(clause, "from\"")
	var out []string
	add := func(part string) {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(part, "type ") || strings.HasPrefix(part, "*") {
			return
		}
		if _, local, ok := strings.Cut(part, " as "); ok {
			part = strings.TrimSpace(local)
		}
		if id := leadingIdent(part); id != "" && id == part && !reservedWords[id] {
			out = append(out, id)
		}
	}
	before, braces, hasBraces := strings.Cut(clause, "{")
	for _, d := range strings.Split(before, ",") {
		add(d)
	}
	if hasBraces {
		braces, _, _ = strings.Cut(braces, "}")
		for _, n := range strings.Split(braces, ",") {
			add(n)
		}
	}
	return out
}
