package analyzer

import "strings"

// Hand-written line scanners over original sources (sourcesContent can be
// tens of megabytes; Go's regexp took ~1 s CPU on three.js ×10 here).

// isModuleSource reports whether a source has ES module statements or
// CommonJS markers: its top level is no global scope.
func isModuleSource(content string) bool {
	for rest := content; ; {
		line, next, ok := strings.Cut(rest, "\n")
		t := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(t, "import") && len(t) > 6 && strings.ContainsRune(" {*\"'", rune(t[6])) {
			return true
		}
		if strings.HasPrefix(t, "export ") || strings.HasPrefix(t, "export{") {
			return true
		}
		if !ok {
			break
		}
		rest = next
	}
	return strings.Contains(content, "module.exports") || strings.Contains(content, "exports.") ||
		strings.Contains(content, "require(\"") || strings.Contains(content, "require('")
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
