package rules_test

import "flag"

// update rewrites golden files (rules/testdata/*.golden) with the current
// output: go test ./rules -run Libraries -update. Review the diff.
var update = flag.Bool("update", false, "rewrite rules/testdata/*.golden with the current output")
