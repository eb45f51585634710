package answer

import (
	"embed"
	"strings"
)

// A word the articles never use tells against an answer as much as it is
// the point of the question, and a frequency list tells how likely that
// is: a reader's everyday word ("honestly", "affect", "wait", "big") says
// little that the question's other words do not, while a word outside
// the commonest ten thousand of its language ("missiles", "embassy",
// "inflation", "bitcoin") names something specific that the articles, had
// they said it, would have named too. frequency/*.txt are the 10,000
// commonest words of each language, folded as the analyser folds, commonest
// first; frequency/README.md says where they come from and under which
// licences. A frequency list is not a word class: "troops", "nuclear" and
// "wife" are as common in speech as "honestly", and are weighed like it.

//go:embed frequency/*.txt
var frequencyFiles embed.FS

// loadFrequencies reads the lists into a's ranks: of each word, and of
// each stem, the best rank of the words that have it, since a list of
// word forms spreads an inflected language's everyday verb over many
// ("сообщил", "сообщила", "сообщили").
func (a *analyzer) loadFrequencies() error {
	a.rank = make(map[string][numLangs]uint16, 60000)
	a.stemRank = make(map[string][numLangs]uint16, 40000)
	st := newStemmer()
	for i, code := range langCodes {
		data, err := frequencyFiles.ReadFile("frequency/" + code + ".txt")
		if err != nil {
			return err
		}
		r := uint16(0)
		for line := range strings.SplitSeq(string(data), "\n") {
			if line == "" {
				continue
			}
			r++
			v := a.rank[line]
			if v[i] == 0 {
				v[i] = r
				a.rank[line] = v
			}
			stem := st.stem(line, lang(i))
			if v := a.stemRank[stem]; v[i] == 0 {
				v[i] = r
				a.stemRank[stem] = v
			}
		}
	}
	return nil
}

// commonness returns the rank of a folded word among the commonest words
// of the languages in langs, the best of them, or 0 when it is in none.
func (a *analyzer) commonness(folded string, langs uint8) int {
	v, ok := a.rank[folded]
	if !ok {
		return 0
	}
	return bestRank(v, langs)
}

// stemCommonness is commonness for a stem of one of the languages.
func (a *analyzer) stemCommonness(stem string, l lang) int {
	return int(a.stemRank[stem][l])
}

func bestRank(v [numLangs]uint16, langs uint8) int {
	best := 0
	for l := range numLangs {
		if langs&(1<<l) != 0 && v[l] != 0 && (best == 0 || int(v[l]) < best) {
			best = int(v[l])
		}
	}
	return best
}

// isAdverb reports whether a folded word the articles do not use is an
// adverb made from an adjective of the language's list: the class of the
// fillers that a frequency list cannot tell from a question's point
// ("honestly", "roughly", "realmente", "vraiment", "честно"). English
// adds -ly ("honest", "happy", "simple", "true"), Spanish and Portuguese
// -mente, French -ment, Russian -о for an adjective in -ый, -ий or -ой,
// German -weise. The adjective must be among the language's commonest
// words, so that "supply" or "family" is no adverb; "changement" (from
// "change") still passes for one, and is weighed as a filler.
func (a *analyzer) isAdverb(w string, l lang) bool {
	in := func(base string, l lang) bool {
		return len(base) >= 3 && a.rank[base][l] != 0
	}
	switch l {
	case langEN:
		b, ok := strings.CutSuffix(w, "ly")
		if !ok || len(w) < 6 {
			return false
		}
		return in(b, l) || in(w[:len(w)-1]+"e", l) || in(b+"e", l) ||
			strings.HasSuffix(b, "i") && in(b[:len(b)-1]+"y", l)
	case langES, langPT:
		b, ok := strings.CutSuffix(w, "mente")
		return ok && in(b, l)
	case langFR:
		b, ok := strings.CutSuffix(w, "ment")
		return ok && (in(b, l) || strings.HasSuffix(w, "amment") || strings.HasSuffix(w, "emment"))
	case langRU:
		b, ok := strings.CutSuffix(w, "о")
		return ok && len(b) >= 6 && (in(b+"ыи", l) || in(b+"ии", l) || in(b+"ои", l))
	case langDE:
		return strings.HasSuffix(w, "weise") && len(w) > 8
	}
	return false
}
