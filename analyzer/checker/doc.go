// Package checker is the driver: it reads the bundles a check names, with
// their source maps, parses each one, computes the name facts and the
// analyses the rules require, runs the rules, positions their diagnostics
// in the bundle and the original sources, applies the policy (package
// policy) and returns the findings sorted, byte-identical whatever the
// parallelism. Files are analyzed in parallel within a memory budget; a
// file that cannot be analyzed is reported in its FileResult and never
// stops the others.
package checker
