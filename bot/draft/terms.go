package draft

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/gosimple/slug"
)

// stopWords are the English words too common to tell sections apart or to
// name one. The list is short and ours: drafts are made from English
// articles, and a keyword list only needs the obvious ones gone.
var stopWords = wordSet(`a about above after again against all also although am among an and another any are as at
	be because been before being below between both but by can could did do does doing down during each either even
	every few for from further had has have having he her here hers herself him himself his how however i if in into
	is it its itself just least less like many may me might more most much must my myself no nor not now of off on
	once one only or other our ours out over own per same she should since so some such than that the their theirs
	them then there these they this those though through thus to too under until up upon us very via was we were what
	when where whether which while who whom whose why will with within without would yet you your also amid despite
	including including while said says say new two three its it's could would`)

// word forms are grouped by their English stem, so that "sanction" and
// "sanctions" are one term.
func stem(w string) string {
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	return env.Current()
}

// terms returns the words of text that can be keywords, lowercased, in
// order: words of letters, three or more long, not stop words.
func terms(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(plain(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && r != '-'
	}) {
		f = strings.Trim(f, "-")
		if len([]rune(f)) >= 3 && !stopWords[f] {
			out = append(out, f)
		}
	}
	return out
}

// tfidf weighs each document's stems: how often the document uses them,
// times how few of the documents do (smoothed, so that a stem every
// section uses still counts a little).
func tfidf(docs [][]string) []map[string]float64 {
	df := make(map[string]int)
	for _, d := range docs {
		seen := make(map[string]bool)
		for _, w := range d {
			if s := stem(w); !seen[s] {
				seen[s] = true
				df[s]++
			}
		}
	}
	n := float64(len(docs))
	out := make([]map[string]float64, len(docs))
	for i, d := range docs {
		tf := make(map[string]float64)
		for _, w := range d {
			tf[stem(w)]++
		}
		for s, c := range tf {
			tf[s] = c * (math.Log((1+n)/(1+float64(df[s]))) + 1)
		}
		out[i] = tf
	}
	return out
}

// keywords returns the given keywords followed by the document's most
// distinctive words, each stem once, in the form the document uses most.
func keywords(given []string, weights map[string]float64, doc []string) []string {
	forms := make(map[string]map[string]int) // stem → form → count
	first := make(map[string]int)            // stem → where the document first uses it
	for i, w := range doc {
		s := stem(w)
		if forms[s] == nil {
			forms[s] = make(map[string]int)
			first[s] = i
		}
		forms[s][w]++
	}
	stems := make([]string, 0, len(weights))
	for s := range weights {
		stems = append(stems, s)
	}
	sort.Slice(stems, func(i, j int) bool {
		if weights[stems[i]] != weights[stems[j]] {
			return weights[stems[i]] > weights[stems[j]]
		}
		return first[stems[i]] < first[stems[j]] // a word used early says more of what a section is about
	})
	var out []string
	have := make(map[string]bool)
	for _, k := range given {
		if !have[stem(k)] {
			have[stem(k)] = true
			out = append(out, k)
		}
	}
	for _, s := range stems {
		if len(out) >= maxKeywords {
			break
		}
		if have[s] {
			continue
		}
		have[s] = true
		out = append(out, commonest(forms[s]))
	}
	if len(out) == 0 {
		out = []string{"article"}
	}
	return out
}

func commonest(forms map[string]int) string {
	best := ""
	for f, c := range forms {
		if best == "" || c > forms[best] || c == forms[best] && (len(f) < len(best) || len(f) == len(best) && f < best) {
			best = f
		}
	}
	return best
}

// related returns the sections most like section i, by the cosine of
// their weights. The article's own sections point to each other; the
// gathered ones, which repeat the article's sentences, to any.
func related(i int, ss []Section, weights []map[string]float64) []string {
	type score struct {
		j   int
		sim float64
	}
	var scores []score
	for j := range ss {
		if j != i && (ss[i].gathered != "" || ss[j].gathered == "") { // the article's sections point to its sections

			if sim := cosine(weights[i], weights[j]); sim > 0 {
				scores = append(scores, score{j, sim})
			}
		}
	}
	sort.SliceStable(scores, func(a, b int) bool { return scores[a].sim > scores[b].sim })
	var out []string
	for _, s := range scores[:min(len(scores), maxRelated)] {
		out = append(out, ss[s.j].Name)
	}
	return out
}

func cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for k, v := range a {
		dot += v * b[k]
		na += v * v
	}
	for _, v := range b {
		nb += v * v
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// sectionName makes a command name from a heading: its first word that
// is not a stop word ("Details of the Agreement" is /details), or its
// first two or three when that is taken, written in a–z and digits
// (gosimple/slug transliterates other scripts); then one of those with
// the section's number, "timeline-6", or "section-6" for a heading of no
// word.
func sectionName(title string, n int, taken map[string]bool) string {
	words := nameWords(title)
	var candidates []string
	for k := 1; k <= len(words) && k <= 3; k++ {
		candidates = append(candidates, clipName(strings.Join(words[:k], "-")))
	}
	for _, c := range candidates {
		if !taken[c] && !reserved[c] {
			return c
		}
	}
	base := "section"
	if len(candidates) > 0 {
		base = candidates[0]
	}
	for k := n + 1; ; k++ {
		if c := clipName(base) + "-" + strconv.Itoa(k); !taken[c] && !reserved[c] {
			return c
		}
	}
}

// nameWords are the words of a title that can make a name, transliterated
// and lowercased: not stop words, and not words of one or two letters,
// which in other languages than English are mostly the small ones ("и",
// "de").
func nameWords(title string) []string {
	var words []string
	for _, w := range strings.Fields(plain(title)) {
		if s := slug.Make(w); s != "" && !stopWords[strings.ToLower(w)] && len([]rune(w)) >= 3 {
			words = append(words, s)
		}
	}
	return words
}

// clipName keeps a name within the command-name limit, with room for a
// "-N" suffix.
func clipName(s string) string {
	if len(s) > maxName-3 {
		s = strings.TrimRight(s[:maxName-3], "-")
	}
	return s
}

// articleID names the article by the first two words of its headline
// that are not stop words, and its year: putin-maduro-2025.
func articleID(title string, published time.Time) string {
	words := nameWords(title)
	words = words[:min(len(words), 2)]
	if !published.IsZero() {
		words = append(words, strconv.Itoa(published.Year()))
	}
	id := clipName(strings.Join(words, "-"))
	if id == "" {
		id = "article"
	}
	return id
}
