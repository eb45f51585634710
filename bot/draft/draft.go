// Package draft writes a starting content file from a news article.
//
// Read takes the article as plain text or Markdown and finds what a
// content file needs: the headline, dateline, date, byline and sources for
// the front matter; a summary from the lede; one section per heading of
// the article; and three sections gathered from the whole text — a
// timeline of every sentence with a date, every quotation with the
// nearest named speaker, and every source the article cites ("per X",
// "according to X", a closing list of sources). Each section gets a
// command name, a description, keywords from its most distinctive words
// and related sections.
//
// The draft is extractive: every sentence in it is the article's own, so
// it passes the faithfulness check, and an editor curates it from there.
// The package is a leaf: it takes text and returns text.
package draft

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"
)

// Limits of the content format the draft must keep to.
const (
	maxName        = 32  // a command name
	maxTitle       = 80  // a section title, which is also a button label
	maxDescription = 100 // a command's description
	maxHeadline    = 256 // an embed title
	maxSections    = 25  // the section menu
	maxKeywords    = 10
	maxRelated     = 3
)

// Names of the sections every draft may have, besides one per heading.
const (
	Summary  = "summary"
	Timeline = "timeline"
	Quotes   = "quotes"
	Sources  = "sources"
)

// reserved are the built-in commands a section may not be named after.
var reserved = map[string]bool{"help": true, "about": true, "digest": true, "ask": true}

// Article is what Read found in a news article: a content file's front
// matter and sections.
type Article struct {
	ID        string
	Title     string
	Dateline  string    // "" when none was found
	Published time.Time // zero when no date was found
	Author    string    // "" when there is no byline
	Sources   []string
	Sections  []Section
	// Notes say what Read could not find or left out, for the editor.
	Notes []string
}

// Section is one section of the draft.
type Section struct {
	Name        string
	Title       string
	Description string
	Keywords    []string
	Related     []string
	Body        string // Markdown, in the article's own sentences

	// gathered is the article's text a timeline, quotes or sources
	// section gathers, without its own words: what its keywords come from.
	gathered string
}

// ErrEmpty is returned for a text with no sentences in it.
var ErrEmpty = errors.New("the article has no text to draft from")

// Read drafts a content file from the text of a news article.
func Read(text string) (*Article, error) {
	doc := parseDocument(strings.ToValidUTF8(text, "\uFFFD"))
	text = ""
	for _, b := range doc.blocks {
		if b.kind != heading {
			text += b.text
		}
	}
	if strings.TrimSpace(plain(text)) == "" {
		return nil, ErrEmpty
	}
	a := &Article{Title: doc.title, Author: doc.author}
	if doc.chrome != "" {
		a.Notes = append(a.Notes, fmt.Sprintf("left out the text before the headline: %q", clip(doc.chrome, 60)))
	}
	if a.Title == "" {
		a.Title = shorten(firstSentence(doc.blocks), maxHeadline)
		a.Notes = append(a.Notes, "found no headline: the title is the first sentence")
	}
	if a.Title == "" {
		a.Title = "untitled"
	}

	a.Dateline, a.Published = doc.place, doc.date
	if a.Published.IsZero() {
		a.Published = firstFullDate(doc.blocks)
	}
	if a.Dateline == "" {
		a.Notes = append(a.Notes, "found no dateline: fill in where the story was filed")
	}
	if a.Published.IsZero() {
		a.Notes = append(a.Notes, "found no date: fill in published as YYYY-MM-DD")
	}
	a.ID = articleID(a.Title, a.Published)

	var sents []sentence
	for i, b := range doc.blocks {
		if b.kind == heading {
			continue
		}
		for _, s := range sentences(withoutLabel(plain(b.text))) {
			sents = append(sents, sentence{text: s, block: i})
		}
	}
	cited := citations(sents, doc)
	for _, c := range cited {
		if c.named {
			a.Sources = appendUnique(a.Sources, c.name)
		}
	}
	if len(a.Sources) == 0 {
		a.Notes = append(a.Notes, "found no sources: name the outlets the article cites")
	}

	a.Sections = articleSections(doc, a)
	if s, ok := timeline(sents, a.Published); ok {
		a.Sections = append(a.Sections, s)
	}
	if s, ok := quotations(sents); ok {
		a.Sections = append(a.Sections, s)
	}
	if s, ok := sourceSection(cited, sents); ok {
		a.Sections = append(a.Sections, s)
	}
	if n := len(a.Sections); n > maxSections {
		a.Notes = append(a.Notes, fmt.Sprintf("the article has %d sections and a content file at most %d: merged the last ones", n, maxSections))
	}
	a.Sections = mergeOverflow(a.Sections)
	describe(a.Sections)
	return a, nil
}

// sentence is one sentence of the article and the block it is in.
type sentence struct {
	text  string
	block int
}

// articleSections makes the summary from the lede and one section per
// heading.
func articleSections(doc *document, a *Article) []Section {
	taken := map[string]bool{Summary: true, Timeline: true, Quotes: true, Sources: true}
	var out []Section
	lede := doc.blocks[:doc.lede]
	if len(lede) == 0 { // a heading first: the summary is the article's opening paragraph
		for _, b := range doc.blocks {
			if b.kind != heading {
				lede = []block{b}
				break
			}
		}
	}
	summary := Section{Name: Summary, Title: "The story in brief", Body: body(lede)}
	if textLen(a.Title) <= maxDescription {
		summary.Description = a.Title
	}
	out = append(out, summary)

	for i := doc.lede; i < len(doc.blocks); {
		h := doc.blocks[i]
		j := i + 1
		for j < len(doc.blocks) && !(doc.blocks[j].kind == heading && doc.blocks[j].level <= h.level) {
			j++
		}
		content := doc.blocks[i+1 : j]
		i = j
		if len(content) == 0 {
			a.Notes = append(a.Notes, fmt.Sprintf("left out the heading %q: no text under it", h.text))
			continue
		}
		name := sectionName(h.text, len(out), taken)
		taken[name] = true
		out = append(out, Section{Name: name, Title: shorten(plain(h.text), maxTitle), Body: body(content)})
	}
	return out
}

// mergeOverflow folds the sections past the menu's limit into the last
// one that fits, after the three gathered ones are kept.
func mergeOverflow(ss []Section) []Section {
	if len(ss) <= maxSections {
		return ss
	}
	var gathered, own []Section
	for _, s := range ss {
		switch s.Name {
		case Timeline, Quotes, Sources:
			gathered = append(gathered, s)
		default:
			own = append(own, s)
		}
	}
	keep := maxSections - len(gathered)
	last := &own[keep-1]
	for _, s := range own[keep:] {
		last.Body += "\n\n**" + s.Title + "**\n\n" + s.Body
	}
	return append(own[:keep], gathered...)
}

// leadInRE finds the bold lead-ins body writes.
var leadInRE = regexp.MustCompile(`(?m)^(?:- )?\*\*([^*]+)\*\*`)

// describe gives every section its description, keywords and related
// sections.
func describe(ss []Section) {
	docs := make([][]string, len(ss))
	for i, s := range ss {
		switch {
		case s.gathered != "":
			docs[i] = terms(s.gathered)
		case s.Name == Summary:
			docs[i] = terms(s.Body)
		default:
			// The heading and the lead-ins of paragraphs and items name
			// the topics: they count three times.
			heads := s.Title
			for _, m := range leadInRE.FindAllStringSubmatch(s.Body, -1) {
				heads += "\n" + m[1]
			}
			docs[i] = append(terms(s.Body), terms(heads+"\n"+heads+"\n"+heads)...)
		}
	}
	weights := tfidf(docs)
	for i := range ss {
		s := &ss[i]
		if s.Description == "" {
			s.Description = shorten(strings.TrimRight(plain(firstLine(s.Body)), ":"), maxDescription)
		}
		if s.Description == "" {
			s.Description = shorten(s.Title, maxDescription)
		}
		s.Keywords = keywords(s.Keywords, weights[i], docs[i])
		s.Related = related(i, ss, weights)
	}
}

// Markdown returns the draft as a content file.
func (a *Article) Markdown() string {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %s\n", a.ID)
	fmt.Fprintf(&b, "title: %s\n", yamlText(a.Title))
	if a.Dateline != "" {
		fmt.Fprintf(&b, "dateline: %s\n", yamlText(a.Dateline))
	} else {
		b.WriteString("dateline: unknown # where the story was filed\n")
	}
	if !a.Published.IsZero() {
		fmt.Fprintf(&b, "published: %s\n", a.Published.Format(time.DateOnly))
	} else {
		b.WriteString("published: YYYY-MM-DD # the article's date\n")
	}
	if a.Author != "" {
		fmt.Fprintf(&b, "author: %s\n", yamlText(a.Author))
	}
	b.WriteString("sources:\n")
	for _, s := range a.Sources {
		fmt.Fprintf(&b, "  - %s\n", yamlText(s))
	}
	if len(a.Sources) == 0 {
		b.WriteString("  - unknown # the outlets the article cites\n")
	}
	b.WriteString("---\n")
	for _, s := range a.Sections {
		fmt.Fprintf(&b, "\n## %s: %s\n", s.Name, s.Title)
		fmt.Fprintf(&b, "description: %s\n", s.Description)
		fmt.Fprintf(&b, "keywords: %s\n", strings.Join(s.Keywords, ", "))
		if len(s.Related) > 0 {
			fmt.Fprintf(&b, "related: %s\n", strings.Join(s.Related, ", "))
		}
		b.WriteString("\n" + s.Body + "\n")
	}
	return b.String()
}

// yamlText writes s as a YAML scalar, quoted when plain text would be
// read as something else.
func yamlText(s string) string {
	if s == "" || strings.ContainsAny(s, ":#\"'{}[]&*!|>%@`\\") || strings.ContainsAny(s[:1], "-?,") || strings.TrimSpace(s) != s {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return s
}

// textLen is how Discord counts a text's length: in UTF-16 code units.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// shorten cuts s to at most max UTF-16 units at a word boundary, with an
// ellipsis, and never inside a quotation, so that what is left still
// quotes the article word for word.
func shorten(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if textLen(s) <= max {
		return s
	}
	cut, end, n := 0, 0, 0 // the last space that fits, and where the text stops fitting
	for i, r := range s {
		if n+utf16.RuneLen(r) > max-1 {
			end = i
			break
		}
		n += utf16.RuneLen(r)
		if r == ' ' {
			cut = i
		}
	}
	if cut == 0 { // one long word
		return s[:end] + "…"
	}
	out := s[:cut]
	if open := unclosedQuote(out); open >= 0 {
		out = strings.TrimSpace(out[:open])
	}
	return strings.TrimRight(out, " ,;:–—-") + "…"
}

// unclosedQuote returns where the last quotation of s that is not closed
// opens, or -1.
func unclosedQuote(s string) int {
	open := -1
	straight := false
	for i, r := range s {
		switch r {
		case '“', '«', '„':
			open = i
		case '”', '»':
			open = -1
		case '"':
			if straight {
				open = -1
			} else {
				open = i
			}
			straight = !straight
		}
	}
	return open
}

// clip shortens s for a note.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// withoutLabel is a paragraph or item without its lead-in ("Economic
// Ties: …"), which is a heading of the article, not part of a sentence.
func withoutLabel(t string) string {
	if boldLabel(t) == t {
		return t
	}
	return t[labelRE.FindStringIndex(t)[1]:]
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	for _, p := range []string{"> ", "- "} {
		line = strings.TrimPrefix(line, p)
	}
	if ss := sentences(plain(line)); len(ss) > 0 {
		return ss[0]
	}
	return line
}

func firstSentence(bs []block) string {
	for _, b := range bs {
		if b.kind != heading {
			if ss := sentences(plain(b.text)); len(ss) > 0 {
				return ss[0]
			}
		}
	}
	return plain(bs[0].text)
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}
