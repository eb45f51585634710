package answer

import (
	"math/bits"
	"strings"
	"unicode"
)

// Language detection for questions of a few words, where the letter
// statistics of n-gram detectors have too little to go on: each stop word
// votes for the languages whose list holds it, letters that only some of
// the six languages write (ñ, ã, ß, Cyrillic) vote for those, and so,
// more weakly, do a few endings (-ção, -aram, -ción, -ung). A question with
// no evidence is taken to be in English, the articles' language.

// letterVotes are the letters that point to languages, with their weight.
var letterVotes = map[rune][numLangs]float32{
	'ñ': {langES: 2}, '¿': {langES: 2}, '¡': {langES: 2},
	'ã': {langPT: 2}, 'õ': {langPT: 2},
	'ç': {langPT: 1, langFR: 1},
	'â': {langPT: 0.5, langFR: 0.5}, 'ê': {langPT: 0.5, langFR: 0.5}, 'ô': {langPT: 0.5, langFR: 0.5},
	'à': {langFR: 1, langPT: 0.5},
	'è': {langFR: 1.5}, 'ù': {langFR: 1.5}, 'œ': {langFR: 1.5}, 'ë': {langFR: 1}, 'ï': {langFR: 1}, 'î': {langFR: 1.5}, 'û': {langFR: 1.5},
	'ä': {langDE: 2}, 'ö': {langDE: 2}, 'ü': {langDE: 1.5, langES: 0.3}, 'ß': {langDE: 2},
	'é': {langES: 0.5, langPT: 0.5, langFR: 0.5},
	'á': {langES: 0.7, langPT: 0.7}, 'í': {langES: 0.7, langPT: 0.7}, 'ó': {langES: 0.7, langPT: 0.7}, 'ú': {langES: 0.7, langPT: 0.7},
}

// endingVotes are word endings (folded) that point to languages.
var endingVotes = []struct {
	ending string
	votes  [numLangs]float32
}{
	{"cao", [numLangs]float32{langPT: 0.8}}, {"coes", [numLangs]float32{langPT: 0.8}}, {"aram", [numLangs]float32{langPT: 0.6}},
	{"eram", [numLangs]float32{langPT: 0.4}}, {"iram", [numLangs]float32{langPT: 0.6}}, {"inho", [numLangs]float32{langPT: 0.6}},
	{"cion", [numLangs]float32{langES: 0.8}}, {"ciones", [numLangs]float32{langES: 0.8}}, {"aron", [numLangs]float32{langES: 0.6}},
	{"ieron", [numLangs]float32{langES: 0.6}}, {"mente", [numLangs]float32{langES: 0.3, langPT: 0.3}},
	{"eau", [numLangs]float32{langFR: 0.6}}, {"eaux", [numLangs]float32{langFR: 0.6}}, {"ement", [numLangs]float32{langFR: 0.4}},
	{"ung", [numLangs]float32{langDE: 0.6}}, {"lich", [numLangs]float32{langDE: 0.6}}, {"keit", [numLangs]float32{langDE: 0.6}},
	{"heit", [numLangs]float32{langDE: 0.6}}, {"chen", [numLangs]float32{langDE: 0.4}}, {"en", [numLangs]float32{langDE: 0.3}},
	{"ing", [numLangs]float32{langEN: 0.4}},
}

func (x *Index) detectLanguage(question string, toks []token) lang {
	var votes [numLangs]float32
	for _, t := range toks {
		if v, ok := x.an.votes[t.folded]; ok {
			n := float32(bits.OnesCount8(x.an.stop[t.folded]))
			for l := range numLangs {
				votes[l] += v[l] / n
			}
		} else if len(t.folded) > 3 {
			for _, e := range endingVotes {
				if strings.HasSuffix(t.folded, e.ending) {
					for l := range numLangs {
						votes[l] += e.votes[l]
					}
					break
				}
			}
		}
	}
	for _, r := range question {
		if r < 0x80 {
			continue
		}
		if unicode.Is(unicode.Cyrillic, r) {
			votes[langRU] += 3
			continue
		}
		if v, ok := letterVotes[unicode.ToLower(r)]; ok {
			for l := range numLangs {
				votes[l] += v[l]
			}
		}
	}
	best := langEN
	for l := langEN + 1; l < numLangs; l++ {
		if votes[l] > votes[best] {
			best = l
		}
	}
	return best
}
