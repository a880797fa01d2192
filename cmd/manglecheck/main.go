// Command manglecheck finds code in built, minified JavaScript bundles that
// relies on names the minifier renamed.
package main

import "os"

func main() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) }
