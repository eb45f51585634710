// Package answer finds the statements of curated articles that answer a
// reader's question, or refuses when the articles do not say.
//
// New splits every section into statements (sentences, list items and
// quotations, each keeping its bold label) and indexes them for ranked
// lexical search (BM25), with the section's title, keywords and description
// as a prior. Pointers to other sections ("→ /skeptic") are navigation: they
// are not indexed, a "See also" line of them is no statement, and a
// statement that points to its fact's home yields to the home. Questions
// and statements go through the same analysis: Unicode folding, stop words
// and Snowball stemming in English, Spanish, Portuguese, Russian, French
// and German; the editor's aliases carry other languages' words and
// synonyms to the article's, and a section's aliases point to it; words of
// five letters or more are matched against the index's own vocabulary at
// one edit of distance; a word in another script or spelling of a name
// ("Родригес", "Peskow") is transliterated and matched against the
// articles' names by its spelling key. Question words are read as intents ("when" prefers
// dated statements, "who said" quotations, "why" causes, "how much"
// figures), never as topics.
//
// The answerer refuses on evidence: a question is answered only when the
// statements found cover most of what it asks, with at least two
// informative words or one rare one (beside a word the articles do not
// know, a rare one needs another of the question's words in the statement,
// and the figure, date or quotation the question asks for), or when one
// statement holds every word of the question and what it asks for, or
// three words of it ("what did Maduro say": his quotation; what an outlet
// reported counts as said).
// A word the articles never use counts against an answer: an everyday
// word of its language (frequency.go) no more than the question's
// strongest word beside the article's subject, a rarer one as much as the
// articles' rarest word, an adverb ("honestly") for little; beside
// nothing but the subject ("is Russia sending troops to Venezuela") the
// unknown word is what is asked, and is not capped. Asking about the
// present ("today", "right now"), which a dated article cannot report,
// counts as much as their rarest word. Lines that try to instruct the bot
// are refused the same way. The package is a pure leaf: it imports nothing
// of the project, and keeps nothing between calls but the Index it builds
// and the stop words' and word frequencies' tables, built once from its
// embedded lists.
package answer

import (
	"fmt"
	"slices"
	"sync"
	"unicode/utf8"
)

// MaxQuestion is the longest question Answer takes, in characters.
const MaxQuestion = 500

// ErrTooLong is the error of a question longer than MaxQuestion characters.
var ErrTooLong = fmt.Errorf("a question may be at most %d characters long", MaxQuestion)

// Alias says that any of Terms means Means: other-language words for the
// article's ("petróleo", "нефть" for "oil"), synonyms ("tv" for
// "television") or a reader's word for a phrase of the article ("weapons"
// for "military equipment"). Terms may be phrases; Means is text of the
// article's language.
type Alias struct {
	Terms []string
	Means string
}

// Article is one article as the answerer sees it.
type Article struct {
	ID       string
	Title    string
	Sources  []string // the outlets it cites, so that "per Reuters" is seen as attribution
	Aliases  []Alias  // for every section
	Sections []Section
}

// Section is one topic of an article.
type Section struct {
	Name        string // the command name, e.g. "energy"
	Title       string
	Description string
	Keywords    []string
	Aliases     []Alias // that also point to this section
	Body        string  // Discord Markdown
}

// Statement is one statement that answers, verbatim.
type Statement struct {
	Article      string // the article's id
	Section      string // the section's name
	SectionTitle string
	Text         string  // as the section has it; a paragraph's first sentence keeps the bold label
	Label        string  // the bold label of its paragraph or list, "" when none: "Russia’s role"
	Outlet       string  // the outlet it attributes itself to ("Reuters" for "per Reuters"), or ""
	Score        float64 // its ranking score, to compare the statements of one result
}

// SectionRef names a section, for "the nearest sections" of a refusal.
type SectionRef struct {
	Article string
	Section string
	Title   string
}

// Refusal says why a question was not answered.
type Refusal string

const (
	Answered    Refusal = ""            // not refused
	NotCovered  Refusal = "not-covered" // the articles do not say, or not clearly enough
	Instruction Refusal = "instruction" // the line tries to instruct the bot
	Empty       Refusal = "empty"       // nothing to look for: no word that could name a topic
)

// Result is the answer to one question.
type Result struct {
	Language   string      // the question's language, a code of Languages(); "en" when unsure
	Statements []Statement // 1–3, best first, when answered
	Refusal    Refusal
	Nearest    []SectionRef // when refused for NotCovered: up to three sections with some support
	Confidence float64      // when answered, 0–1: how much of the question the statements cover
}

// Languages returns the codes of the languages the answerer analyses.
func Languages() []string { return slices.Clone(langCodes[:]) }

// Index answers questions from a set of articles. It is read-only once
// built and safe for concurrent use.
type Index struct {
	an       *analyzer
	articles []indexedArticle
	sections []indexedSection
	stmts    []indexedStatement
	terms    []term
	byKey    map[string]int32           // a term's key (folded stem) → term
	surface  map[string]int32           // a folded word of the articles → term
	aliases  aliasTable                 // question words → article terms
	typos    *typoIndex                 // the articles' and aliases' words at one edit
	names    *nameIndex                 // the articles' names by their spelling keys, for other scripts
	guard    []pattern                  // instruction attempts
	intents  map[string][]intentTrigger // question words that are intents, by their first word
	conjs    map[string]bool            // conjunctions that join the parts of a question
	avgLen   float32                    // statements' mean length in terms
	// unknownIDF is the idf of a word no statement holds: a question word
	// the articles never use is evidence that they do not answer it, up to
	// as strong as their rarest word is evidence that they do, and no
	// stronger than the question's strongest word the articles use
	// (params.unknownCap).
	unknownIDF float32
	pool       sync.Pool // *scratch
	params     params
}

// New indexes the articles. It fails on an article without an id or a
// section without a name, and on an alias without terms, without a
// meaning, or whose meaning names no word of the articles.
func New(articles ...Article) (*Index, error) {
	an, err := sharedAnalysis()
	if err != nil {
		return nil, err
	}
	b := newBuilder(an)
	for _, a := range articles {
		if err := b.add(a); err != nil {
			return nil, err
		}
	}
	x, err := b.finish()
	if err != nil {
		return nil, err
	}
	x.pool.New = func() any { return newScratch(x) }
	return x, nil
}

// Answer finds the statements that answer question, or says why not. The
// only error is ErrTooLong.
func (x *Index) Answer(question string) (Result, error) {
	if utf8.RuneCountInString(question) > MaxQuestion {
		return Result{}, ErrTooLong
	}
	sc := x.pool.Get().(*scratch)
	defer x.pool.Put(sc)
	return x.answer(sc, question), nil
}

// Normalize returns a question in the form that tells apart what it asks
// and not how it was typed: its words lowercased and folded (accents and
// apostrophes dropped), joined by single spaces, without punctuation.
// "What's the OIL price?!" and "whats the oil price" are one question.
func Normalize(question string) string {
	folded := []rune(string(foldAppend(nil, question)))
	out := make([]rune, 0, len(folded))
	space := false
	for i, r := range folded {
		switch {
		case isApostrophe(r):
		// "U.S." is one word: a dot inside a word joins it.
		case r == '.' && i > 0 && i+1 < len(folded) && isWordRune(folded[i-1]) && isWordRune(folded[i+1]):
		case isWordRune(r):
			if space && len(out) > 0 {
				out = append(out, ' ')
			}
			space = false
			out = append(out, r)
		default:
			space = true
		}
	}
	return string(out)
}
