//go:build race

package sandbox

// raceEnabled: this binary has the race detector, whose shadow memory
// counts in RLIMIT_DATA (~300 MB at startup, several times the heap
// after): the sandbox process's limit is scaled for it (see childRlimit).
const raceEnabled = true
