package bot

import "strings"

// A word typed alone that is no command but near one ("enrgy", "/sumary",
// "/econ") gets "did you mean"; free questions go to the handler set with
// HandleQuestions.

// closest returns the command whose name is nearest to name — a typo or a
// prefix — or "" when none is near.
func (b *Bot) closest(name string) string {
	if name == "" {
		return ""
	}
	best, bestDist := "", 3
	for _, c := range b.order {
		d := editDistance(name, c)
		if len(name) >= 3 && strings.HasPrefix(c, name) {
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

// editDistance is the Levenshtein distance between a and b, by bytes: names
// are ASCII.
func editDistance(a, b string) int {
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
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
