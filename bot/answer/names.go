package answer

import (
	"unicode"
	"unicode/utf8"

	"github.com/gosimple/unidecode"
)

// Names across scripts and spellings: a reader writes a name of the
// articles as their language writes it — "Мадуро", "Путина", "Родригес",
// "Peskow", "Karakas" — and no editor can list every name in every script
// and case. A question word the index does not know is transliterated to
// Latin letters (github.com/gosimple/unidecode, the Text::Unidecode tables,
// which cover every script), reduced to a spelling key, and matched
// against the keys of the articles' own names: the words they write only
// with a capital. The key merges what transliterations and the spellings
// of the six languages tell apart in one name (c, k and q; s and z; v and
// w; i and y; ou and u; sh and ch; doubled letters), so that a name
// written right in another script matches exactly; at five letters or
// more, one edit more is tolerated, as for typos. A word is tried as
// written and as its stem in its language, against the name and the name
// without its final vowels (a word of Latin letters only exactly: near a
// name it is more often a word of the reader's own language), so that case endings ("Венесуэле", "Гайаной",
// "Казани") find "Venezuela", "Guyana" and "Kazan". Only names are
// matched this way: the articles' common words in another language are
// what the editors' aliases are for.

// minNameLen is the shortest word, in letters, matched to a name by its
// key: shorter keys are too often a word of another language.
const minNameLen = 4

// nameIndex holds the keys of the articles' names.
type nameIndex struct {
	exact map[string][]int32 // a key, or a key without its final vowels → terms
	near  *typoIndex         // the keys of five letters or more, at one edit
}

// newNameIndex indexes the names among the articles' words: proper holds
// the folded words the articles write only with a capital.
func newNameIndex(x *Index, proper map[string]bool) *nameIndex {
	ni := &nameIndex{exact: make(map[string][]int32, 2*len(proper))}
	var buf []byte
	keys := make(map[string]int32, 2*len(proper))
	for w := range proper {
		id, ok := x.surface[w]
		if !ok || utf8.RuneCountInString(w) < minNameLen {
			continue
		}
		buf = nameKey(buf[:0], unidecode.Unidecode(w))
		if len(buf) < minNameLen {
			continue
		}
		for _, k := range [2][]byte{buf, dropFinalVowels(buf)} {
			if len(k) < minNameLen {
				continue
			}
			ni.exact[string(k)] = appendUnique32(ni.exact[string(k)], id)
			keys[string(k)] = max(keys[string(k)], max(x.terms[id].df, 1))
		}
	}
	ni.near = newTypoIndex(len(keys))
	for k, df := range keys {
		if len(k) >= minTypoLen {
			ni.near.add(k, 0, df)
		}
	}
	ni.near.seen = nil
	return ni
}

// lookupName appends the terms of the name a question word spells, with
// weight w for a key matched exactly and less at one edit; it reports
// whether it found one. l is the question's language, for the stem.
func (x *Index) lookupName(sc *scratch, lower string, l lang, w float32) bool {
	if x.names == nil || utf8.RuneCountInString(lower) < minNameLen || !hasLetter(lower) {
		return false
	}
	if termLanguages(lower) == 1<<langRU {
		l = langRU
	}
	latin := unidecode.Unidecode(lower)
	n := len(sc.terms)
	// The word as written, then its stem: exact keys first.
	sc.key = nameKey(sc.key[:0], latin)
	stem := sc.st.stem(lower, l)
	sc.stemKey = nameKey(sc.stemKey[:0], unidecode.Unidecode(stem))
	for _, k := range [2][]byte{sc.key, sc.stemKey} {
		if len(k) < minNameLen {
			continue
		}
		for _, id := range x.names.exact[string(k)] {
			sc.addTerm(n, wterm{id: id, w: w})
		}
	}
	// A word in Latin letters that is no name of the articles is most
	// often a word of the reader's language ("putting", "prix"): only its
	// exact key is a spelling of a name.
	if len(sc.terms) > n || isLatinWord(lower) {
		return len(sc.terms) > n
	}
	var best *vocabWord
	for _, k := range [2][]byte{sc.key, sc.stemKey} {
		if len(k) < minTypoLen {
			continue
		}
		x.names.near.near(string(k), func(c *vocabWord) {
			if best == nil || better(c, best) {
				best = c
			}
		})
	}
	if best == nil {
		return false
	}
	for _, id := range x.names.exact[best.word] {
		sc.addTerm(n, wterm{id: id, w: w * x.params.typo})
	}
	return len(sc.terms) > n
}

// nameKey appends the spelling key of a transliterated word to dst: its
// letters lowercased, with the letters and pairs that spell one sound in
// some of the languages merged, and doubled letters made single.
func nameKey(dst []byte, s string) []byte {
	start := len(dst)
	put := func(c byte) {
		if len(dst) > start && dst[len(dst)-1] == c {
			return
		}
		dst = append(dst, c)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c < 'a' || c > 'z' {
			if '0' <= c && c <= '9' {
				put(c)
			}
			continue
		}
		var next byte
		if i+1 < len(s) {
			next = s[i+1] | 0x20
		}
		switch {
		case c == 'p' && next == 'h':
			put('f')
			i++
		case c == 'c' && next == 'k', c == 'q' && next == 'u':
			put('k')
			i++
		case (c == 's' || c == 'c') && next == 'h':
			put('c')
			put('h')
			i++
		case c == 'k' && next == 'h':
			put('h')
			i++
		case c == 'o' && next == 'u':
			put('u')
			i++
		case c == 'c' && (next == 'e' || next == 'i' || next == 'y'):
			put('s')
		case c == 'c', c == 'q':
			put('k')
		case c == 'x':
			put('k')
			put('s')
		case c == 'z':
			put('s')
		case c == 'w':
			put('v')
		case c == 'y':
			put('i')
		default:
			put(c)
		}
	}
	return dst
}

// dropFinalVowels returns key without the vowels that end it: the
// nominative ending that another language's cases replace.
func dropFinalVowels(key []byte) []byte {
	n := len(key)
	for n > 0 && isVowel(key[n-1]) {
		n--
	}
	return key[:n]
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// isLatinWord reports whether every letter of a word is of the Latin
// script.
func isLatinWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}
