package answer

import (
	"bufio"
	"embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"golang.org/x/text/unicode/norm"
)

// Text analysis: words are cut at anything that is not a letter, digit or
// mark, lowercased, stemmed with the Snowball stemmer of their language and
// folded (accents and other marks dropped), so that "Rodríguez" finds
// "rodriguez" and "нефтью" finds "нефть". Stop words are the Snowball
// project's lists (stopwords/*.txt, under its BSD licence, as Lucene and
// bleve ship them); stopwords/extra.txt adds question and chat words.

// langCodes are the languages the analyser knows, by BCP 47 code. The first
// is the articles' language.
var langCodes = [...]string{"en", "es", "pt", "ru", "fr", "de"}

// lang is an index into langCodes.
type lang uint8

const (
	langEN lang = iota
	langES
	langPT
	langRU
	langFR
	langDE
	numLangs
)

var stemmers = [numLangs]func(*snowballstem.Env) bool{
	english.Stem, spanish.Stem, portuguese.Stem, russian.Stem, french.Stem, german.Stem,
}

//go:embed stopwords/*.txt
var stopFiles embed.FS

// analyzer holds what analysis needs besides the text: the stop words of
// every language, folded. It is read-only once built.
type analyzer struct {
	// stop maps a folded word to the set of languages in which it is a
	// stop word (bit i for langCodes[i]).
	stop map[string]uint8
	// votes maps a stop word to its weight as evidence of each language,
	// for detecting a question's language: the Spanish, Portuguese and
	// Russian lists are ranked from the commonest word, and a word counts
	// less the rarer it is in a language ("e" and "o" are common
	// Portuguese, rare Spanish).
	votes map[string][numLangs]float32
	typos *typoIndex // the stop words at one edit
	// rank maps a folded word to its rank among the commonest words of
	// each language (1 for the commonest, 0 for none), from frequency/.
	rank     map[string][numLangs]uint16
	stemRank map[string][numLangs]uint16 // a folded stem → the best rank of its words
}

// rankedLists are the Snowball lists ranked by frequency; the others are
// alphabetical or grouped by kind.
const rankedLists = 1<<langES | 1<<langPT | 1<<langRU

// sharedAnalysis is the analyser and the stop words' typo index, built
// once from the embedded lists and only read after: every Index shares it.
var sharedAnalysis = sync.OnceValues(func() (*analyzer, error) {
	an, err := newAnalyzer()
	if err != nil {
		return nil, err
	}
	an.typos = stopTypos(an)
	if err := an.loadFrequencies(); err != nil {
		return nil, err
	}
	return an, nil
})

func newAnalyzer() (*analyzer, error) {
	a := &analyzer{stop: make(map[string]uint8, 2400), votes: make(map[string][numLangs]float32, 2400)}
	var buf []byte
	vote := func(w string, l int, weight float32) {
		v := a.votes[w]
		v[l] = max(v[l], weight)
		a.votes[w] = v
	}
	for i, code := range langCodes {
		data, err := stopFiles.ReadFile("stopwords/" + code + ".txt")
		if err != nil {
			return nil, err
		}
		for rank, w := range snowballList(string(data)) {
			buf = foldAppend(buf[:0], w)
			a.stop[string(buf)] |= 1 << i
			weight := float32(1)
			if rankedLists&(1<<i) != 0 {
				weight = max(0.5, 1/(1+float32(rank)/30))
			}
			vote(string(buf), i, weight)
		}
	}
	data, err := stopFiles.ReadFile("stopwords/extra.txt")
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		l, ok := langOf(strings.TrimSuffix(fields[0], ":"))
		if !ok {
			continue
		}
		for _, w := range fields[1:] {
			buf = foldAppend(buf[:0], w)
			a.stop[string(buf)] |= 1 << l
			vote(string(buf), int(l), 1)
		}
	}
	return a, nil
}

// snowballList reads a stop word file in the Snowball format: a word at the
// start of a line, comments after a vertical bar.
func snowballList(data string) []string {
	var words []string
	for _, line := range strings.Split(data, "\n") {
		line, _, _ = strings.Cut(line, "|")
		if f := strings.Fields(line); len(f) > 0 {
			words = append(words, f[0])
		}
	}
	return words
}

func langOf(code string) (lang, bool) {
	for i, c := range langCodes {
		if c == code {
			return lang(i), true
		}
	}
	return 0, false
}

// isStop reports whether the folded word is a stop word of any language in
// the set.
func (a *analyzer) isStop(folded string, langs uint8) bool {
	return a.stop[folded]&langs != 0
}

// token is one word of a text as the analyser cut it.
type token struct {
	lower   string // lowercased, apostrophes made straight
	folded  string // lower without marks
	abbr    bool   // an abbreviation written in capitals: "U.S.", "UN"
	capital bool   // written with a capital first letter
	pos     int    // byte offset in the text
	sep     bool   // a comma, ampersand or semicolon before this token
}

// isWordRune reports whether r belongs to a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' || r == '‘' }

// tokenize cuts text into tokens, appending them to toks. It uses buf as
// scratch space; the strings of the tokens are fresh.
//
// Apostrophes inside a word stay in it ("don't", "l'accord"); cut handles
// them. Capital letters joined by dots ("U.S.") make one abbreviation.
func tokenize(text string, toks []token, buf *[]byte) []token {
	sep := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if r == ',' || r == ';' || r == '&' || r == '+' || r == '/' {
				sep = true
			}
			i += size
			continue
		}
		start := i
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if isWordRune(r) {
				j += size
				continue
			}
			if isApostrophe(r) && j+size < len(text) {
				if next, _ := utf8.DecodeRuneInString(text[j+size:]); unicode.IsLetter(next) {
					j += size
					continue
				}
			}
			break
		}
		word := text[start:j]
		// "U.S." and "U.N.": single capitals joined by dots.
		if abbrEnd, letters := dottedAbbr(text, start); abbrEnd > j {
			toks = append(toks, token{lower: strings.ToLower(letters), folded: strings.ToLower(letters), abbr: true, capital: true, pos: start, sep: sep})
			sep = false
			i = abbrEnd
			continue
		}
		toks = appendWord(toks, word, start, sep, buf)
		sep = false
		i = j
	}
	return toks
}

// dottedAbbr recognises capitals joined by dots at text[start:], such as
// "U.S." or "U.N.", returning where it ends and its letters.
func dottedAbbr(text string, start int) (int, string) {
	var letters [8]byte
	n := 0
	i := start
	for i+1 < len(text) && n < len(letters) && text[i] >= 'A' && text[i] <= 'Z' && text[i+1] == '.' {
		letters[n] = text[i]
		n++
		i += 2
	}
	if n < 2 {
		return 0, ""
	}
	return i, string(letters[:n])
}

// appendWord appends the tokens of one word, which may hold apostrophes.
func appendWord(toks []token, word string, pos int, sep bool, buf *[]byte) []token {
	n := len(toks)
	toks = appendParts(toks, word, pos, sep, buf)
	if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) {
		toks[n].capital = true
	}
	return toks
}

func appendParts(toks []token, word string, pos int, sep bool, buf *[]byte) []token {
	abbr := len(word) >= 2 && len(word) <= 5 && isUpperASCII(word)
	lower := lowerAppend((*buf)[:0], word)
	*buf = lower
	if !strings.ContainsAny(word, "'’ʼ‘") {
		return append(toks, newToken(string(lower), pos, abbr, sep, buf))
	}
	whole := string(lower)
	// "what's", "don't": the whole word may be a stop word; the caller
	// checks, so keep it whole when it is a contraction of a stop word.
	if pre, post, ok := strings.Cut(whole, "'"); ok {
		switch {
		case post == "s" || post == "":
			// English possessive: "maduro's".
			return append(toks, newToken(pre, pos, false, sep, buf))
		case len(pre) <= 2 && len(post) > 0 && !strings.Contains(post, "'"):
			// Elision: "l'accord", "qu'a", "d'oil", "s'intéresse".
			if contraction[whole] {
				return append(toks, newToken(whole, pos, false, sep, buf))
			}
			toks = append(toks, newToken(pre, pos, false, sep, buf))
			return append(toks, newToken(post, pos+len(pre)+1, false, false, buf))
		}
	}
	return append(toks, newToken(whole, pos, false, sep, buf))
}

// contraction holds the short English contractions whose first part is no
// elision: "i'm" is one stop word, not "i" and "m".
var contraction = map[string]bool{"i'm": true, "i've": true, "i'd": true, "i'll": true}

func newToken(lower string, pos int, abbr, sep bool, buf *[]byte) token {
	t := token{lower: lower, folded: lower, abbr: abbr, pos: pos, sep: sep}
	if !isASCII(lower) {
		*buf = foldAppend((*buf)[:0], lower)
		if string(*buf) != lower {
			t.folded = string(*buf)
		}
	}
	return t
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// lowerAppend appends s lowercased, with typographic apostrophes made
// straight, to b.
func lowerAppend(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
		case isApostrophe(r):
			b = append(b, '\'')
		default:
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
	}
	return b
}

// foldAppend appends s lowercased and folded to b: each letter is
// decomposed (Unicode NFD, from golang.org/x/text) and its marks dropped,
// and "ß" becomes "ss".
func foldAppend(b []byte, s string) []byte {
	var enc [utf8.UTFMax]byte
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		if isApostrophe(r) {
			b = append(b, '\'')
			continue
		}
		if r == 'ß' {
			b = append(b, "ss"...)
			continue
		}
		r = unicode.ToLower(r)
		n := utf8.EncodeRune(enc[:], r)
		dec := norm.NFD.Properties(enc[:n]).Decomposition()
		if dec == nil {
			if !unicode.Is(unicode.Mn, r) {
				b = append(b, enc[:n]...)
			}
			continue
		}
		for len(dec) > 0 {
			d, size := utf8.DecodeRune(dec)
			if !unicode.Is(unicode.Mn, d) {
				b = utf8.AppendRune(b, d)
			}
			dec = dec[size:]
		}
	}
	return b
}

// fold returns s lowercased and folded.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return string(foldAppend(nil, s))
}

// stemmer stems words of one language at a time, reusing its state.
type stemmer struct {
	env *snowballstem.Env
	buf []byte
}

func newStemmer() *stemmer { return &stemmer{env: snowballstem.NewEnv("")} }

// stem returns the folded stem of a lowercased word in language l.
func (s *stemmer) stem(lower string, l lang) string {
	if len(lower) < 3 || !hasLetter(lower) {
		return fold(lower)
	}
	s.env.SetCurrent(lower)
	stemmers[l](s.env)
	st := s.env.Current()
	if isASCII(st) {
		return st
	}
	s.buf = foldAppend(s.buf[:0], st)
	if string(s.buf) == st {
		return st
	}
	return string(s.buf)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
