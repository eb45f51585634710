package bot

import (
	"strings"
	"unicode"
)

// Free questions ("what about the oil?") are routed by scoring each section
// of the default article: a keyword the editor chose counts most, then a word
// of the section's title, then words of its body. Words are folded (case,
// accents, a plural s) and common words ignored.

const (
	scoreKeyword = 6
	scoreTitle   = 3
	scoreBody    = 1
	// minScore is what a question must reach for an answer: one keyword,
	// two title words, or a title word and several body words.
	minScore = 5
)

// sectionIndex holds a section's folded words for matching.
type sectionIndex struct {
	section  *Section
	phrases  []string // multi-word keywords, folded
	keywords map[string]bool
	title    map[string]bool
	body     map[string]bool
}

func newSectionIndex(s *Section) *sectionIndex {
	x := &sectionIndex{section: s, keywords: map[string]bool{}, title: map[string]bool{}, body: map[string]bool{}}
	for _, k := range s.Keywords {
		words := foldWords(k, true)
		switch {
		case len(words) == 1:
			x.keywords[words[0]] = true
		case len(words) > 1:
			x.phrases = append(x.phrases, " "+strings.Join(words, " ")+" ")
		}
	}
	x.keywords[fold(s.Name)] = true
	for _, w := range foldWords(s.Title, false) {
		x.title[w] = true
	}
	for _, w := range foldWords(s.Body, false) {
		x.body[w] = true
	}
	return x
}

func (x *sectionIndex) score(words []string, joined string) int {
	n := 0
	for _, p := range x.phrases {
		if strings.Contains(joined, p) {
			n += scoreKeyword
		}
	}
	for _, w := range words {
		switch {
		case x.keywords[w]:
			n += scoreKeyword
		case stopWords[w]:
		case x.title[w]:
			n += scoreTitle
		case x.body[w]:
			n += scoreBody
		}
	}
	return n
}

// match returns the section of the default article that best answers a
// free question, if any is good enough.
func (b *Bot) match(question string) (*Section, bool) {
	words := foldWords(question, true)
	if len(words) == 0 {
		return nil, false
	}
	joined := " " + strings.Join(words, " ") + " "
	var best *Section
	bestScore := 0
	for _, x := range b.index {
		if n := x.score(words, joined); n > bestScore {
			best, bestScore = x.section, n
		}
	}
	return best, bestScore >= minScore
}

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

// stopWords are too common to say anything about a section.
var stopWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`a about after all also am an and any are as at be been but by can could did do does
	for from had has have he her his how i if in into is it its me more most my no not now of on or our out over say said
	she so some than that the their them then there these they this those to too up us very was we were what when where
	which while who whom why will with would you your tell give show explain know want please thing things article story
	news bot briefbot el la los las de del y en que por para un una`) {
		m[w] = true
	}
	return m
}()

// foldWords splits text into folded words, leaving out stop words unless
// keepStop: a keyword such as "when" is the editor's choice and counts.
func foldWords(text string, keepStop bool) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '’' && r != '\'' }) {
		w = fold(w)
		if w != "" && (keepStop || !stopWords[w]) {
			out = append(out, w)
		}
	}
	return out
}

// fold lowercases a word, strips accents and possessives, and drops a
// plural s, so that "Rodríguez" finds "rodriguez" and "sanctions" finds
// "sanction".
func fold(w string) string {
	w = strings.ToLower(w)
	w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
	w = strings.Trim(w, "’'")
	var b strings.Builder
	for _, r := range w {
		if a, ok := unaccent[r]; ok {
			r = a
		}
		b.WriteRune(r)
	}
	w = b.String()
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	return w
}

var unaccent = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ñ': 'n', 'ç': 'c',
}
