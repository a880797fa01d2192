// Package didyoumean suggests the closest known word for a mistyped one
// (a command, a flag, a rule ID, a configuration key).
package didyoumean

import (
	"fmt"
	"strings"
)

// Suggest returns " (did you mean X?)" for the candidate closest to
// got when it is close enough to be a typo, or "". Close enough: at most a
// third of the longer word differs (Damerau-Levenshtein distance), or got
// is a prefix of exactly one candidate.
func Suggest(got string, candidates []string) string {
	best, bestD := "", -1
	prefixOf := ""
	prefixes := 0
	for _, c := range candidates {
		if c == got {
			return ""
		}
		if len(got) >= 2 && strings.HasPrefix(c, got) {
			prefixOf = c
			prefixes++
		}
		d := editDistance(got, c)
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(1, max(len(got), len(best))/3)
	switch {
	case bestD >= 0 && bestD <= limit:
		return fmt.Sprintf(" (did you mean %s?)", best)
	case prefixes == 1:
		return fmt.Sprintf(" (did you mean %s?)", prefixOf)
	}
	return ""
}

// editDistance is the optimal string alignment distance of a and b: the
// insertions, deletions, substitutions and transpositions of adjacent
// bytes that turn one into the other.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
