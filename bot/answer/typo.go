package answer

import (
	"strings"
	"unicode/utf8"
)

// Typo tolerance: a question word the index does not know is matched, at
// one edit (a letter added, dropped, changed, or two swapped), against the
// index's own vocabulary: the articles' words, the aliases' terms and the
// stop words. Lookups use the deletion neighbourhoods of SymSpell (Wolf
// Garbe): every vocabulary word is stored under itself and each of its
// one-letter deletions, so a word's candidates are found with as many map
// lookups as it has letters, whatever the vocabulary's size.

const (
	minTypoLen     = 5 // a word this long may be corrected to a content word
	minTypoStopLen = 4 // and this long to a stop word, which only drops it
)

type typoIndex struct {
	words []vocabWord
	// heads maps the hash of a word or of one of its deletions to the first
	// of its entries; entries chain through next. Hashes rather than
	// strings keep the build from allocating a string per deletion; a
	// collision only adds a candidate, which withinOneEdit then rejects.
	heads map[uint64]int32
	word  []int32 // entry → vocabulary word
	next  []int32 // entry → the next entry of the same hash, or -1
	seen  map[string]int32
}

type vocabWord struct {
	word   string // folded
	stop   uint8  // languages in which it is a stop word
	df     int32  // how many statements hold its term; aliases count 1
	common bool   // a word of the articles' language, not a name or an alias's term
}

func newTypoIndex(capacity int) *typoIndex {
	return &typoIndex{
		heads: make(map[uint64]int32, 8*capacity),
		word:  make([]int32, 0, 8*capacity),
		next:  make([]int32, 0, 8*capacity),
		seen:  make(map[string]int32, capacity),
	}
}

// contentTypos indexes the articles' words and the aliases' terms; proper
// holds the words the articles only write as names.
func contentTypos(x *Index, proper map[string]bool) *typoIndex {
	ti := newTypoIndex(len(x.surface) + len(x.aliases.exact))
	for w, id := range x.surface {
		ti.add(w, 0, max(x.terms[id].df, 1))
		if i, ok := ti.seen[w]; ok && !proper[w] {
			ti.words[i].common = true
		}
	}
	for w := range x.aliases.exact {
		ti.add(w, 0, 1)
		if i, ok := ti.seen[w]; ok {
			ti.words[i].common = false // a reader's word in any language
		}
	}
	ti.seen = nil
	return ti
}

// stopTypos indexes the stop words of every language.
func stopTypos(an *analyzer) *typoIndex {
	ti := newTypoIndex(len(an.stop))
	for w, langs := range an.stop {
		ti.add(w, langs, 0)
	}
	ti.seen = nil
	return ti
}

func (ti *typoIndex) add(w string, stop uint8, df int32) {
	if utf8.RuneCountInString(w) < minTypoStopLen || strings.HasPrefix(w, "\x00") {
		return
	}
	if i, ok := ti.seen[w]; ok {
		ti.words[i].stop |= stop
		ti.words[i].df = max(ti.words[i].df, df)
		return
	}
	id := int32(len(ti.words))
	ti.seen[w] = id
	ti.words = append(ti.words, vocabWord{word: w, stop: stop, df: df})
	ti.link(hashDeleting(w, -1, 0), id)
	for i := range w {
		_, size := utf8.DecodeRuneInString(w[i:])
		ti.link(hashDeleting(w, i, size), id)
	}
}

func (ti *typoIndex) link(h uint64, id int32) {
	head, ok := ti.heads[h]
	if ok && ti.word[head] == id {
		return // "aab" has "ab" twice
	}
	if !ok {
		head = -1
	}
	ti.heads[h] = int32(len(ti.word))
	ti.word = append(ti.word, id)
	ti.next = append(ti.next, head)
}

// hashDeleting is the FNV-1a hash of w without its bytes [i, i+size).
func hashDeleting(w string, i, size int) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for k := 0; k < len(w); k++ {
		if k == i {
			k += size - 1
			continue
		}
		h = (h ^ uint64(w[k])) * prime
	}
	return h
}

// correct returns the vocabulary word one edit from the folded word w, if
// any, from the indexes: a content word when w is long enough, otherwise a
// stop word of one of langs. Among several, the most frequent wins, then
// the first in alphabetical order, so that the answer never depends on map
// order. Unless common, the articles' own common words are left out: a
// word of another language ("países") is no misspelling of theirs
// ("raises"), while names and the aliases' terms are written in any.
func correct(w string, langs uint8, common bool, indexes ...*typoIndex) string {
	n := utf8.RuneCountInString(w)
	if n < minTypoStopLen {
		return ""
	}
	var best *vocabWord
	for _, ti := range indexes {
		ti.near(w, func(c *vocabWord) {
			content := c.stop == 0
			if c.common && !common {
				return
			}
			if n < minTypoLen && (content || !swapped(w, c.word)) {
				return // a short word is only a stop word with two letters swapped: "waht"
			}
			if !content && c.stop&langs == 0 {
				return
			}
			if best == nil || better(c, best) {
				best = c
			}
		})
	}
	if best == nil {
		return ""
	}
	return best.word
}

// near calls fn for each vocabulary word one edit from w, not w itself.
// A word may be seen more than once.
func (ti *typoIndex) near(w string, fn func(*vocabWord)) {
	consider := func(h uint64) {
		e, ok := ti.heads[h]
		for ok && e >= 0 {
			c := &ti.words[ti.word[e]]
			e = ti.next[e]
			if c.word != w && withinOneEdit(w, c.word) {
				fn(c)
			}
		}
	}
	consider(hashDeleting(w, -1, 0))
	for i := range w {
		_, size := utf8.DecodeRuneInString(w[i:])
		consider(hashDeleting(w, i, size))
	}
}

// better reports whether a is a better correction than b: a content word
// over a stop word, then the more frequent, then the first alphabetically.
func better(a, b *vocabWord) bool {
	if (a.stop == 0) != (b.stop == 0) {
		return a.stop == 0
	}
	if a.df != b.df {
		return a.df > b.df
	}
	return a.word < b.word
}

// swapped reports whether a and b differ by two adjacent letters swapped.
func swapped(a, b string) bool {
	if len(a) != len(b) || a == b {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	j := len(a) - 1
	for j > i && a[j] == b[j] {
		j--
	}
	ra, na := utf8.DecodeRuneInString(a[i:])
	rb, nb := utf8.DecodeRuneInString(b[i:])
	if na != nb || i+na >= len(a) {
		return false
	}
	ra2, na2 := utf8.DecodeRuneInString(a[i+na:])
	rb2, _ := utf8.DecodeRuneInString(b[i+nb:])
	return ra == rb2 && rb == ra2 && i+na+na2 == j+1
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of adjacent letters (optimal string
// alignment distance ≤ 1).
func withinOneEdit(a, b string) bool {
	// Skip the common prefix and suffix; what is left must be one edit.
	for len(a) > 0 && len(b) > 0 {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[sa:], b[sb:]
	}
	for len(a) > 0 && len(b) > 0 {
		ra, sa := utf8.DecodeLastRuneInString(a)
		rb, sb := utf8.DecodeLastRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[:len(a)-sa], b[:len(b)-sb]
	}
	na, nb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	switch {
	case na <= 1 && nb <= 1:
		return true // one substitution, insertion or deletion, or none
	case na == 2 && nb == 2:
		a1, s := utf8.DecodeRuneInString(a)
		a2, _ := utf8.DecodeRuneInString(a[s:])
		b1, s := utf8.DecodeRuneInString(b)
		b2, _ := utf8.DecodeRuneInString(b[s:])
		return a1 == b2 && a2 == b1
	}
	return false
}
