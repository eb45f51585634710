package answer

import (
	"math/bits"
	"unicode"
)

// Language detection for questions of a few words, where the letter
// statistics of n-gram detectors have too little to go on: each stop word
// votes for the languages whose list holds it, and letters that only some
// of the six languages write (ñ, ã, ß, Cyrillic) vote for those. A question
// with no evidence is taken to be in English, the articles' language.

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

func (x *Index) detectLanguage(toks []token) lang {
	var votes [numLangs]float32
	for _, t := range toks {
		if langs := x.an.stop[t.folded]; langs != 0 {
			w := 1 / float32(bits.OnesCount8(langs))
			for l := range numLangs {
				if langs&(1<<l) != 0 {
					votes[l] += w
				}
			}
		}
		for _, r := range t.lower {
			if r < 0x80 {
				continue
			}
			if unicode.Is(unicode.Cyrillic, r) {
				votes[langRU] += 3
				break
			}
			if v, ok := letterVotes[r]; ok {
				for l := range numLangs {
					votes[l] += v[l]
				}
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
