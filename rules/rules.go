// Package rules holds manglecheck's checks, one per file. Each rule is a
// value with its documentation and examples; All lists them.
package rules

import "github.com/manglecheck/manglecheck/analyzer"

// All returns every rule, in ID order. The slice is new on each call.
func All() []*analyzer.Rule {
	return []*analyzer.Rule{
		CalleeName,
		GlobalLookup,
		KeepNamesGap,
		MangledProperty,
		NameCompare,
		NameDerived,
		NameKey,
		NameMessage,
		ParamNames,
		ShippedSource,
		StackNames,
		StartupError,
	}
}

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *analyzer.Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
