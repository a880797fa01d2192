// Package policy is what the configuration and the project do to the
// rules' findings: which rules run and at what level, names pinned as
// kept, which bundles are selected, suppression comments in the original
// sources (and the findings about unused ones), the code frames and
// fingerprints read from those sources, and baselines of accepted
// findings.
package policy
