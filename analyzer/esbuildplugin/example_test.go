package esbuildplugin_test

import (
	"fmt"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/analyzer/esbuildplugin"
	"github.com/manglecheck/manglecheck/rules"
)

// A minified build whose code compares a class name with a string fails;
// the same build with keepNames passes. Nothing is written: the plugin
// analyzes the output files in memory.
func Example() {
	for _, keepNames := range []bool{false, true} {
		res := api.Build(api.BuildOptions{
			EntryPoints:       []string{"testdata/src/main.js"},
			Bundle:            true,
			Outfile:           "testdata/dist/app.js",
			Sourcemap:         api.SourceMapLinked,
			MinifyWhitespace:  true,
			MinifyIdentifiers: true,
			MinifySyntax:      true,
			KeepNames:         keepNames,
			Write:             false,
			LogLevel:          api.LogLevelSilent,
			Plugins: []api.Plugin{esbuildplugin.New(esbuildplugin.Options{
				Analyzer: checker.Options{Rules: rules.All(), Disable: []string{"name-message"}},
				FailOn:   analyzer.Error,
			})},
		})
		fmt.Printf("keepNames=%v: %d errors\n", keepNames, len(res.Errors))
		for _, m := range res.Errors {
			fmt.Printf("  [%s %s] %s:%d:%d: %s\n", m.PluginName, m.ID, m.Location.File, m.Location.Line, m.Location.Column, m.Location.LineText)
		}
	}
	// Output:
	// keepNames=false: 1 errors
	//   [manglecheck name-compare] testdata/src/main.js:8:12:     if (err.name === "ConfigError") {
	// keepNames=true: 0 errors
}
