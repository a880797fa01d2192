//go:build race

package parse

// raceDetector: the race detector slows goja down about tenfold; the
// equivalence tests skip the largest bundles under it.
const raceDetector = true
