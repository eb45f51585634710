package bot

import "strings"

// A word typed alone that is no command but near one ("enrgy", "/sumary",
// "/econ") gets "did you mean"; free questions go to the handler set with
// HandleQuestions.

// closest returns the command whose name is nearest to name — a typo or a
// prefix — or "" when none is near.
func (b *Bot) closest(name string) string { return Suggest(name, b.order) }

// Suggest returns the one of names nearest to word — a typo (a letter
// wrong, missing, added, or two swapped) or a prefix of three letters or
// more — or "" when none is near. A name of four letters or fewer must be
// within one edit.
func Suggest(word string, names []string) string {
	if word == "" {
		return ""
	}
	best, bestDist := "", 3
	for _, c := range names {
		d := editDistance(word, c)
		if len(word) >= 3 && strings.HasPrefix(c, word) {
			d = 1
		}
		if len(c) <= 4 && d > 1 {
			continue
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b,
// by bytes (names are ASCII): the Levenshtein distance, with two letters
// swapped as one edit, so that "hlep" is one edit from "help".
func editDistance(a, b string) int {
	// Three rows: the one before the previous is needed for a swap.
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
