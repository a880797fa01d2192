//go:build race

package rules_test

// raceDetector: the race detector multiplies time by 2–20; the library
// golden analyzes one build of each library under it (.ci/run also runs
// the whole golden without it).
const raceDetector = true
