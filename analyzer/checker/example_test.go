package checker_test

import (
	"context"
	"fmt"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/rules"
)

// Check a build directory with two rules, and print where each finding
// came from in the original sources (the sample's map has them).
func ExampleCheck() {
	res, err := checker.Check(context.Background(), []string{"../../fixtures/sample/dist"}, checker.Options{
		Rules: []*analyzer.Rule{rules.NameCompare, rules.NameKey},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Findings {
		fmt.Printf("%s %s %s:%d about %s\n", f.Severity, f.Rule, f.Original.Source, f.Original.Line, f.Original.Name)
	}
	// Output:
	// warning name-key ../../fixtures/sample/src/plugins.js:4 about AnalyticsPlugin
	// error name-compare ../../fixtures/sample/src/main.js:18 about ConfigError
}

// CheckFiles analyzes bundles already in memory (a bundler plugin's
// output); without a map, positions are in the bundle.
func ExampleCheckFiles() {
	bundle := `class e{}function t(n){return n.constructor.name==="UserService"}console.log(t(new e));`
	res, err := checker.CheckFiles(context.Background(), []checker.Source{
		{Path: "dist/app.js", Contents: []byte(bundle)},
	}, checker.Options{Rules: rules.All()})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Findings {
		fmt.Printf("%s:%d:%d: %s [%s]\n", f.Bundle.Path, f.Bundle.Line, f.Bundle.Column, f.Severity, f.Rule)
	}
	// Output:
	// dist/app.js:1:45: error [name-compare]
}
