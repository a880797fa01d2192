//go:build race

package checker_test

// raceDetector: the race detector multiplies memory by 5–10 and time by
// 2–20; the hostile tests shrink their biggest inputs under it.
const raceDetector = true
