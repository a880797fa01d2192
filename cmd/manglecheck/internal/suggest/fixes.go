package suggest

import (
	"fmt"
	"slices"
)

// nameFix is the code change that fixes a name finding without any
// minifier option. kinds are the kinds of the functions it relies on.
func nameFix(rule string, names, kinds []string) string {
	x := "X"
	if len(names) > 0 {
		x = names[0]
	}
	class := slices.Contains(kinds, "class") || len(kinds) == 0
	switch rule {
	case "name-compare":
		if class {
			return fmt.Sprintf("compare by reference (x instanceof %s) instead of by name, or give the class a name no minifier touches: static name = %q", x, x)
		}
		return fmt.Sprintf("compare by reference (fn === %s) instead of by name, or pin the name: Object.defineProperty(%s, \"name\", { value: %q })", x, x, x)
	case "name-key":
		return fmt.Sprintf("key by an identifier you own (static id = %q; registry[C.id] = C) instead of C.name", x)
	case "name-derived":
		return fmt.Sprintf("derive it from an explicit field (static tableName = …, static tag = …) instead of %s.name", x)
	case "name-message":
		if class {
			return fmt.Sprintf("set the name explicitly (static name = %q, or this.name = %q in an Error subclass); only the text changes", x, x)
		}
		return fmt.Sprintf("write the name into the message (%q) instead of reading .name; only the text changes", x)
	case "callee-name":
		return fmt.Sprintf("compare by reference (new.target === %s), or pass the name explicitly", x)
	case "stack-names":
		return fmt.Sprintf("pass the caller's identity explicitly instead of searching stack traces for %q", x)
	case "keep-names-gap":
		return fmt.Sprintf("keep %s a declaration the minifier cannot inline, or give it an explicit static name = %q", x, x)
	}
	return ""
}

func globalFix(names []string) string {
	x := "init"
	if len(names) > 0 {
		x = names[0]
	}
	return fmt.Sprintf("make it global explicitly (window.%s = %s): property names are never mangled", x, x)
}

func propertyFix(names []string) string {
	x := "_count"
	if len(names) > 0 {
		x = names[0]
	}
	return fmt.Sprintf("reach %s the way the minifier renames it (o.%s, not o[%q] or %q in o), or keep it out of the property-mangling pattern", x, x, x, x)
}
