package report

// Clean makes untrusted text (a name or path read from a bundle or source
// map) safe to print on one terminal line, as the text reporter does: for
// the other commands' text output (manglecheck diff, suggest).
func Clean(s string) string { return clean(s) }
