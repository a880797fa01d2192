// Command manglecheck finds code in built, minified JavaScript bundles that
// relies on names the minifier renamed.
package main

import (
	"os"

	"github.com/manglecheck/manglecheck/cmd/manglecheck/internal/sandbox"
)

func main() {
	// `manglecheck __sandbox`, the hidden subcommand smoke and
	// check --confirm run each bundle in, starts before anything else.
	sandbox.MaybeChild()
	os.Exit(runMain(os.Args, os.Stdout, os.Stderr))
}
