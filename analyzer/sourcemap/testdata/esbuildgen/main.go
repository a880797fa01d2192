// Command esbuildgen bundles one entry point with esbuild's Go API and
// writes the bundle and its external source map; the sourcemap tests and
// benchmarks run it to get real maps at test time.
//
//	esbuildgen -dir DIR -entry src/entry.js -out out/bundle.js [-minify] [-format iife|esm] [-utf8]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/evanw/esbuild/pkg/api"
)

func main() {
	dir := flag.String("dir", ".", "working directory")
	entry := flag.String("entry", "", "entry point, relative to -dir")
	out := flag.String("out", "out/bundle.js", "output file, relative to -dir")
	minify := flag.Bool("minify", false, "minify whitespace, identifiers and syntax")
	format := flag.String("format", "iife", "iife or esm")
	utf8 := flag.Bool("utf8", false, "emit non-ASCII characters as is")
	flag.Parse()

	opts := api.BuildOptions{
		AbsWorkingDir:     *dir,
		EntryPoints:       []string{*entry},
		Outfile:           *out,
		Bundle:            true,
		Write:             true,
		Sourcemap:         api.SourceMapExternal,
		MinifyWhitespace:  *minify,
		MinifyIdentifiers: *minify,
		MinifySyntax:      *minify,
		Format:            api.FormatIIFE,
		LogLevel:          api.LogLevelSilent,
	}
	if *format == "esm" {
		opts.Format = api.FormatESModule
	}
	if *utf8 {
		opts.Charset = api.CharsetUTF8
	}
	res := api.Build(opts)
	for _, m := range res.Errors {
		fmt.Fprintln(os.Stderr, "esbuild:", m.Text)
	}
	if len(res.Errors) > 0 {
		os.Exit(1)
	}
}
