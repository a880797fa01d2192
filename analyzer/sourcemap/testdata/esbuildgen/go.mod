// Module esbuildgen runs esbuild's Go API for the sourcemap tests. It is a
// separate module because, in the main module, esbuild's golang.org/x/sys
// requirement resolves (via go-internal) to v0.26.0, which go.mod does not
// list; importing pkg/api there needs a go.mod change.
module esbuildgen

go 1.26

require github.com/evanw/esbuild v0.28.2

require golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 // indirect
