package guard

import "strings"

// Every word of a text is looked up once, when it is read, in one index
// of all the word lists: its flags say which lists it is in. The checks
// then test bits instead of looking the word up again in each list.

type lexFlag uint32

const (
	lxStop       lexFlag = 1 << iota // a stop word of any language
	lxNeg                            // negations
	lxNegSense                       // negativeSense
	lxHedge                          // hedges
	lxStrong                         // strongModals
	lxNoPT                           // "no", "nos": no negation in Portuguese
	lxWillDE                         // "will", "must": no strong modal in German
	lxTitle                          // titleWords
	lxAcronym                        // commonAcronyms
	lxWeekday                        // weekdays
	lxClaim                          // a word of some claim group
	lxPhrase                         // the first word of some phrase of shape.go
	lxNumber                         // a number word, scale word or ordinal (not German compounds)
	lxNumberWord                     // a word readWordNumber reads (see wordFlags)
	lxFigureWord                     // a number word of 3 or more that stands as a figure of its own
	lxStopLang                       // the first of one bit per language in stopOrder
)

// stopOrder gives each language with stop words its bit, from lxStopLang.
var stopOrder = []string{"de", "en", "es", "fr", "pt", "ru"}

type lexPrefix struct {
	prefix string
	flag   lexFlag
}

type lexIndex struct {
	exact    map[string]lexFlag
	prefixes map[string][]lexPrefix // by their first three bytes
	short    []lexPrefix            // prefixes shorter than three bytes
}

func (ix *lexIndex) addSet(ws wordSet, f lexFlag) {
	for w := range ws.exact {
		ix.exact[w] |= f
	}
	for _, p := range ws.prefixes {
		ix.addPrefix(p, f)
	}
}

func (ix *lexIndex) addPrefix(p string, f lexFlag) {
	if len(p) < 3 {
		ix.short = append(ix.short, lexPrefix{p, f})
		return
	}
	ix.prefixes[p[:3]] = append(ix.prefixes[p[:3]], lexPrefix{p, f})
}

// flags returns the flags of a lowercase word.
func (ix *lexIndex) flags(w string) lexFlag {
	f := ix.exact[w]
	if len(w) >= 3 {
		for _, p := range ix.prefixes[w[:3]] {
			if strings.HasPrefix(w, p.prefix) {
				f |= p.flag
			}
		}
	}
	for _, p := range ix.short {
		if strings.HasPrefix(w, p.prefix) {
			f |= p.flag
		}
	}
	return f
}

var lexicon = func() *lexIndex {
	ix := &lexIndex{exact: make(map[string]lexFlag), prefixes: make(map[string][]lexPrefix)}
	for i, l := range stopOrder {
		for w := range stopWords[l] {
			ix.exact[w] |= lxStop | lxStopLang<<i
		}
	}
	ix.addSet(negations, lxNeg)
	ix.addSet(negativeSense, lxNegSense)
	ix.addSet(hedges, lxHedge)
	ix.addSet(strongModals, lxStrong)
	ix.exact["no"] |= lxNoPT
	ix.exact["nos"] |= lxNoPT
	ix.exact["will"] |= lxWillDE
	ix.exact["must"] |= lxWillDE
	for w := range titleWords {
		ix.exact[w] |= lxTitle
	}
	for w := range commonAcronyms {
		ix.exact[w] |= lxAcronym
	}
	for w := range weekdays {
		ix.exact[w] |= lxWeekday
	}
	for _, ws := range claimWords {
		ix.addSet(ws, lxClaim)
	}
	for _, ps := range []phraseSet{refusalPhrases, metaPhrases, leadPhrases, openerPhrases, closingPhrases, instructionPhrases} {
		for _, list := range ps {
			for _, p := range list {
				if pre, ok := strings.CutSuffix(p[0], "*"); ok {
					ix.addPrefix(pre, lxPhrase)
				} else {
					ix.exact[p[0]] |= lxPhrase
				}
			}
		}
	}
	for _, m := range []map[string]int{cardinals, ordinals, multipliers, bareScales, englishNumbers, multiplierWords} {
		for w := range m {
			ix.exact[w] |= lxNumber
		}
	}
	for w := range halves {
		ix.exact[w] |= lxNumber
	}
	ix.exact["mil"] |= lxNumber
	ix.addPrefix("пол", lxNumber)
	for _, st := range ordinalStems {
		ix.addPrefix(st.stem, lxNumber)
	}
	return ix
}()

// wordFlags are the flags newDoc gives a word: its lexicon flags and
// what the number checks ask of it, so that each distinct word is looked
// at once.
func wordFlags(w string) lexFlag {
	f := lexicon.flags(w)
	if (f&lxNumber != 0 || strings.HasSuffix(w, "fold") || len(w) >= 7) && maybeNumberWord(w) {
		f |= lxNumberWord
		if cardinalWord(w) >= 3 || ordinalWord(w) >= 3 {
			f |= lxFigureWord
		}
	}
	return f
}
