package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer/didyoumean"
)

// didYouMean is " (did you mean X?)" for a likely typo of a candidate.
func didYouMean(got string, candidates []string) string { return didyoumean.Suggest(got, candidates) }

// flagSuggestion reads urfave/cli's "flag provided but not defined: -formt"
// and returns the did-you-mean for the flags of the command named in
// helpCmd ("manglecheck check --help"), or of the app.
func flagSuggestion(app *cli.App, helpCmd string, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: ")
	if !ok {
		return ""
	}
	name = strings.TrimLeft(name, "-")
	flags := app.Flags
	if f := strings.Fields(helpCmd); len(f) == 3 {
		if c := app.Command(f[1]); c != nil {
			flags = c.Flags
		}
	}
	var names []string
	for _, fl := range flags {
		for _, n := range fl.Names() {
			if len(n) > 1 {
				names = append(names, n)
			}
		}
	}
	s := didYouMean(name, names)
	if s == "" {
		return ""
	}
	// " (did you mean format?)" → " (did you mean --format?)"
	return strings.Replace(s, "mean ", "mean --", 1)
}

// commandNames are the names and aliases of the app's visible commands.
func commandNames(app *cli.App) []string {
	var out []string
	for _, c := range app.Commands {
		if !c.Hidden {
			out = append(out, c.Names()...)
		}
	}
	return out
}
