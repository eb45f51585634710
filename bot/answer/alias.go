package answer

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// aliasTable carries a reader's words to the articles' terms.
type aliasTable struct {
	exact   map[string][]int32           // a folded term → meanings
	stems   [numLangs]map[string][]int32 // the folded stem of a term in each language → meanings
	phrases map[string][]aliasPhrase     // the first folded word of a term of several words → those terms
	means   [][]wterm                    // a meaning → the terms it stands for
}

// aliasPhrase is an alias term of several words, matched word by word.
type aliasPhrase struct {
	words   []string // folded
	meaning int32
}

// wterm is a term with the weight a question gives it.
type wterm struct {
	id int32
	w  float32
}

// resolveAliases turns the aliases into meanings over the articles' terms.
// An alias whose meaning names no word of any article is an error of the
// content: it could never help.
func (b *builder) resolveAliases() error {
	x := b.x
	t := &x.aliases
	t.exact = make(map[string][]int32)
	t.phrases = make(map[string][]aliasPhrase)
	for l := range t.stems {
		t.stems[l] = make(map[string][]int32)
	}
	// Meanings may name other aliases' terms ("armas = weapons", "weapons =
	// military equipment"): resolve the direct ones first.
	direct := make([][]int32, len(b.aliases))
	for i, a := range b.aliases {
		direct[i] = b.meaningTerms(a.Means)
	}
	byTerm := make(map[string][]int, len(b.aliases))
	folded := make([][]string, len(b.aliases)) // each alias's terms, folded
	for i, a := range b.aliases {
		folded[i] = make([]string, len(a.Terms))
		for k, term := range a.Terms {
			f := fold(strings.TrimSpace(term))
			folded[i][k] = f
			byTerm[f] = append(byTerm[f], i)
		}
	}
	for i, a := range b.aliases {
		ids := direct[i]
		for _, w := range strings.Fields(a.Means) {
			for _, j := range byTerm[fold(w)] {
				if j != i {
					ids = appendUnique(ids, direct[j]...)
				}
			}
		}
		for _, j := range byTerm[fold(strings.TrimSpace(a.Means))] {
			if j != i {
				ids = appendUnique(ids, direct[j]...)
			}
		}
		if len(ids) == 0 {
			return fmt.Errorf("answer: the alias %q = %q means no word the articles use", strings.Join(a.Terms, ", "), a.Means)
		}
		w := float32(1 / math.Sqrt(float64(len(ids))))
		m := make([]wterm, len(ids), len(ids)+len(a.Terms)+1)
		for k, id := range ids {
			m[k] = wterm{id: id, w: w}
		}
		// A group is a set of synonyms: where the articles use one of its
		// terms too ("pact" beside "agreement"), a reader's word for the
		// meaning stands for that term as well. A name of the articles is
		// what it names there: "America" of "Latin America" is no synonym
		// of "U.S.".
		for _, f := range folded[i] {
			if id, ok := x.surface[f]; ok && !b.proper[f] && len(x.terms[id].postings) > 0 && !hasTerm(m, id) {
				m = append(m, wterm{id: id, w: w * synonymWeight})
			}
		}
		// A section's alias points a reader's words to the section, as a
		// keyword does; the meaning's own words, which the reader may write
		// about any section, keep their priors.
		if a.section >= 0 {
			m = append(m, wterm{id: b.sectionTerm(a.section), w: w})
		}
		meaning := int32(len(t.means))
		t.means = append(t.means, m)
		b.addNamePhrase(a.Means, direct[i])
		for _, term := range a.Terms {
			b.toks = tokenize(term, b.toks[:0], &b.buf)
			switch {
			case len(b.toks) == 0:
			case len(b.toks) == 1:
				tok := b.toks[0]
				t.exact[tok.folded] = appendUnique32(t.exact[tok.folded], meaning)
				// A term is stemmed as a word of each language that could
				// have written it: "нефть" only as Russian, "petróleo" as
				// Spanish and Portuguese.
				langs := termLanguages(tok.lower)
				for l := range numLangs {
					if langs&(1<<l) == 0 {
						continue
					}
					s := b.st.stem(tok.lower, l)
					t.stems[l][s] = appendUnique32(t.stems[l][s], meaning)
				}
			default:
				words := make([]string, len(b.toks))
				for k, tok := range b.toks {
					words[k] = tok.folded
				}
				t.phrases[words[0]] = append(t.phrases[words[0]], aliasPhrase{words: words, meaning: meaning})
			}
		}
	}
	for _, a := range b.articles {
		for _, s := range a.Sections {
			for _, k := range s.Keywords {
				if strings.ContainsAny(k, " -") {
					b.addNamePhrase(k, b.meaningTerms(k))
				}
			}
		}
	}
	return nil
}

// addNamePhrase makes a name of several words of the articles ("Victory
// Day", "military equipment", "Moscow Times"), which an editor gave as an
// alias's meaning or a keyword, one word of a question: a reader who
// writes it asks about one thing, and its words must not count as two
// pieces of evidence, nor be split into two parts.
func (b *builder) addNamePhrase(name string, ids []int32) {
	if len(ids) < 2 {
		return
	}
	t := &b.x.aliases
	b.labelToks = tokenize(name, b.labelToks[:0], &b.buf)
	words := make([]string, len(b.labelToks))
	for i, tok := range b.labelToks {
		words[i] = tok.folded
	}
	for _, ph := range t.phrases[words[0]] {
		if slices.Equal(ph.words, words) {
			return // a term of an alias, or a name given twice
		}
	}
	m := make([]wterm, len(ids))
	for i, id := range ids {
		m[i] = wterm{id: id, w: 1}
	}
	meaning := int32(len(t.means))
	t.means = append(t.means, m)
	t.phrases[words[0]] = append(t.phrases[words[0]], aliasPhrase{words: words, meaning: meaning})
}

// meaningTerms returns the existing terms of an alias's meaning.
func (b *builder) meaningTerms(means string) []int32 {
	var ids []int32
	b.toks = tokenize(means, b.toks[:0], &b.buf)
	for _, tok := range b.toks {
		abbr := tok.abbr && b.an.isStop(tok.folded, 1<<langEN)
		if !abbr && b.an.isStop(tok.folded, 1<<langEN) {
			continue
		}
		id, ok := b.x.surface[surfaceOf(tok.folded, abbr)]
		if !ok && !abbr {
			id, ok = b.x.byKey[b.st.stem(tok.lower, langEN)]
		}
		if ok {
			ids = appendUnique(ids, id)
		}
	}
	return ids
}

// synonymWeight is how much a term of an alias group that the articles use
// counts for a reader's word of the group, beside its meaning.
const synonymWeight = 0.8

// sectionTerm returns the term that stands for a section in its aliases: it
// is held by no statement, and points to the section as a keyword would.
func (b *builder) sectionTerm(sec int32) int32 {
	key := string(sectionTermMark) + b.x.sections[sec].name + "\x00" + b.x.articles[b.x.sections[sec].article].id
	if id, ok := b.x.byKey[key]; ok {
		return id
	}
	id := int32(len(b.x.terms))
	b.x.terms = append(b.x.terms, term{key: key, keyword: true, prior: []prior{{sec: sec, w: weightKeyword}}})
	b.x.byKey[key] = id
	return id
}

// sectionTermMark opens the key of a section's term, which no word has.
const sectionTermMark = '\x01'

func hasTerm(ws []wterm, id int32) bool {
	for _, w := range ws {
		if w.id == id {
			return true
		}
	}
	return false
}

func appendUnique(ids []int32, more ...int32) []int32 {
	for _, id := range more {
		ids = appendUnique32(ids, id)
	}
	return ids
}

func appendUnique32(ids []int32, id int32) []int32 {
	for _, have := range ids {
		if have == id {
			return ids
		}
	}
	return append(ids, id)
}

// termLanguages returns the languages that write all the letters of a
// word: Russian for Cyrillic, otherwise those of letterVotes that each of
// its accented letters points to.
func termLanguages(word string) uint8 {
	const latin = 1<<langEN | 1<<langES | 1<<langPT | 1<<langFR | 1<<langDE
	set := uint8(latin)
	for _, r := range word {
		if unicode.Is(unicode.Cyrillic, r) {
			return 1 << langRU
		}
		v, ok := letterVotes[r]
		if !ok {
			continue
		}
		var these uint8
		for l := range numLangs {
			if v[l] > 0 {
				these |= 1 << l
			}
		}
		if set&these != 0 {
			set &= these
		}
	}
	return set
}
