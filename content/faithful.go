package content

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/guard"
)

// CheckFaithful checks the curated text of every article file in fsys
// against source, the text of the news article it briefs, and returns a
// problem, at its file and line, for each thing the article does not say:
//
//   - a figure or a date: compared by value, as the guard compares a
//     model's rewrite with the curated text, so "70 percent" matches "70%"
//     and "May 7" matches "May 7, 2025"; the published date must be a date
//     of the article too;
//   - a quotation (“…” or "…"), word for word, ignoring case, spacing and
//     the punctuation at its ends, part by part around an ellipsis;
//   - a capitalised word, in any script that has capitals (Latin, Cyrillic,
//     Greek, …): names above all. It must be a word of the article, or one
//     the article inflects ("Путин" for "Путина", "Maduro" for "Maduro’s"),
//     unless it is one of a few ordinary words that open sentences and
//     lead-ins ("What", "Every"). Scripts without capitals have no names
//     this can tell from other words; only their figures, dates and
//     quotations are checked.
//
// It reads the texts readers are shown: the title, dateline and sources,
// and each section's title, description and body; not keywords or
// aliases, which are the readers' words. Files that do not parse far
// enough to have an article are skipped: Load reports what is wrong with
// them.
func CheckFaithful(source string, fsys fs.FS) Problems {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return Problems{{File: ".", Message: err.Error()}}
	}
	sort.Strings(names)
	vocab := sourceWords(source)
	prepared := guard.Prepare(source)
	var ps Problems
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			ps = append(ps, Problem{File: name, Message: "cannot read: " + err.Error()})
			continue
		}
		a, meta, _ := parse(name, data)
		if a == nil {
			continue
		}
		var found []Problem
		add := func(line int, format string, args ...any) {
			found = append(found, Problem{File: name, Line: line, Message: fmt.Sprintf(format, args...)})
		}
		if !a.Published.IsZero() {
			date := a.Published.Format("January 2, 2006")
			for _, f := range unfaithfulFacts(prepared, date) {
				if f.kind == "date" {
					add(meta.publishedLine, "published %s is %s, which is not a date of the source article",
						a.Published.Format("2006-01-02"), date)
				}
			}
		}
		for _, t := range meta.texts {
			checkText(t, prepared, vocab, add)
		}
		sort.SliceStable(found, func(i, j int) bool { return found[i].Line < found[j].Line })
		ps = append(ps, found...)
	}
	return ps
}

// checkText reports what t says that source does not.
func checkText(t located, source *guard.Source, vocab map[string]bool, add func(int, string, ...any)) {
	lineOf := func(found string) int {
		i := strings.Index(t.text, found)
		if i < 0 {
			return t.line
		}
		return t.line + strings.Count(t.text[:i], "\n")
	}
	var reported [][2]int // where the facts reported are, so their words are not reported again
	for _, f := range unfaithfulFacts(source, t.text) {
		if i := strings.Index(t.text, f.found); i >= 0 {
			reported = append(reported, [2]int{i, i + len(f.found)})
		}
		switch f.kind {
		case "number":
			add(lineOf(f.found), "%s: the figure %q is not in the source article", t.what, f.found)
		case "date":
			add(lineOf(f.found), "%s: the date %q is not in the source article", t.what, f.found)
		case "quote":
			add(lineOf(f.found), "%s: the quotation “%s” is not in the source article, word for word", t.what, strings.TrimSpace(f.found))
		}
	}
	seen := make(map[string]bool)
next:
	for _, w := range capitalised(t.text) {
		if seen[w.text] || ordinaryWords[w.text] || inSource(strings.ToLower(w.text), vocab) {
			continue
		}
		for _, r := range reported {
			if w.at >= r[0] && w.at < r[1] {
				continue next // "June" of a date already reported
			}
		}
		seen[w.text] = true
		add(t.line+strings.Count(t.text[:w.at], "\n"), "%s: %q is not in the source article; names must come from it", t.what, w.text)
	}
}

// fact is a figure, date or quotation of a text that its source lacks.
type fact struct {
	kind  string // "number", "date" or "quote"
	found string // as written in the text
}

// unfaithfulFacts returns the figures, dates and quotations of text that
// source does not have. It asks the guard, so that curated text and a
// model's rewrite of it are held to the same reading of figures.
func unfaithfulFacts(source *guard.Source, text string) []fact {
	err := source.Check(text, guard.Options{MaxLen: bot.Len(text) + 1})
	var r *guard.Rejection
	if !errors.As(err, &r) {
		return nil
	}
	var out []fact
	for _, p := range r.Problems {
		switch p.Check {
		case guard.Number, guard.Date, guard.Quote:
			if p.Found != "" {
				out = append(out, fact{string(p.Check), p.Found})
			}
		}
	}
	return out
}

// ordinaryWords open sentences and lead-ins in curated text without being
// names, and an article need not use them: question words, determiners,
// pronouns, conjunctions and the like, the words briefbot's drafts open
// their labels with, and a few lead-ins the built-in article uses. A name
// is never one of them: keep the list short, or the check stops seeing
// names.
var ordinaryWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`A About Above Across After Again Against Also Although Among An And Another Any As At
		Background Before Behind Below Beside Besides Between Beyond Both But By Despite During Each Either Even Every
		Few First Food For From Further He Her Here Hers His How However If In Inside Into It Its Key Last Later Less Lost
		Many Meanwhile More Most Much Next No Nor Not Now Of On Once One Only Or Other Our Over Per See Since So Some
		Still Such Than That The Their Them Then There These They This Those Though Through Thus To Under Unlike Until
		Up Upon We What When Where Whether Which While Who Whom Whose Why With Within Without Yet You Your`) {
		m[w] = true
	}
	return m
}()

// word is a word of a text and where it starts.
type word struct {
	text string
	at   int // byte offset
}

// isLetter reports whether r belongs to a word: a letter, a mark that
// combines with one, or a digit (G20, Су-57).
func isLetter(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// words splits s into runs of letters, marks and digits, so that
// "Venezuela’s" is "Venezuela" and "s", and "Russia-Venezuela" two names.
func words(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		switch {
		case isLetter(r) && start < 0:
			start = i
		case !isLetter(r) && start >= 0:
			out = append(out, word{s[start:i], start})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{s[start:], start})
	}
	return out
}

// capitalised returns the words of s that start with a capital letter.
func capitalised(s string) []word {
	var out []word
	for _, w := range words(s) {
		if r, _ := utf8.DecodeRuneInString(w.text); unicode.IsUpper(r) || unicode.IsTitle(r) {
			out = append(out, w)
		}
	}
	return out
}

// sourceWords is the set of the source's words, lowercased.
func sourceWords(source string) map[string]bool {
	set := make(map[string]bool)
	for _, w := range words(strings.ToLower(source)) {
		set[w.text] = true
	}
	return set
}

// maxInflection is how many letters longer than a word of the curated text
// the article's word may be and still count as the same word: an English
// plural or demonym, a Russian or Spanish case or gender ending.
const maxInflection = 3

// inSource reports whether the lowercased word w is a word of the source,
// or, when it has four letters or more, the start of one that inflects it:
// "Russia" of "Russian", "Путин" of "Путина". In scripts other than Latin,
// whose names decline, the last letter may change too: "Кремль" is in an
// article that says "Кремле", "Москва" in one that says "Москве". Latin
// names keep theirs, so "Georgia" is not "George" nor "Austria" "Australia".
func inSource(w string, set map[string]bool) bool {
	if set[w] {
		return true
	}
	rs := []rune(w)
	if len(rs) < 4 {
		return false
	}
	if prefixOfWord(w, len(rs), set) {
		return true
	}
	for _, r := range rs {
		if unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return len(rs) >= 5 && prefixOfWord(string(rs[:len(rs)-1]), len(rs)-1, set)
}

// prefixOfWord reports whether p, of n runes, starts a word of set that is
// at most maxInflection runes longer.
func prefixOfWord(p string, n int, set map[string]bool) bool {
	for s := range set {
		if strings.HasPrefix(s, p) && len([]rune(s))-n <= maxInflection {
			return true
		}
	}
	return false
}

// FaithfulTo returns a check of one text against source, the news article
// it must be faithful to, as CheckFaithful checks each text of a file: it
// says, one reason each, what the text has that the article does not.
// briefbot draft --llm keeps only the model's sentences it passes.
func FaithfulTo(source string) func(text string) []string {
	vocab := sourceWords(source)
	prepared := guard.Prepare(source)
	return func(text string) []string {
		var out []string
		checkText(located{what: "the text", line: 1, text: text}, prepared, vocab, func(_ int, format string, args ...any) {
			out = append(out, strings.TrimPrefix(fmt.Sprintf(format, args...), "the text: "))
		})
		return out
	}
}
