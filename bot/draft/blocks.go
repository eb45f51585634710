package draft

import (
	"regexp"
	"strings"
	"time"
	"unicode"
)

type blockKind int

const (
	paragraph blockKind = iota
	item                // an item of a list
	heading
)

// block is a paragraph, list item or heading of the article, on one line.
type block struct {
	kind  blockKind
	level int    // a heading's: 1 for "#", 2 for "##"…
	text  string // the lines of a paragraph or item joined by spaces
	lines int    // how many lines it was written on
}

// document is the article read into blocks, with what was found around
// its text.
type document struct {
	title, author string
	place         string    // the dateline's place
	date          time.Time // the dateline's date
	agencies      []string  // "(Reuters)" in the dateline
	sourceList    []string  // a closing "Sources: …" line or section
	chrome        string    // text before the headline, left out
	blocks        []block   // the article's text after the headline
	lede          int       // blocks[:lede] come before the first heading
}

var (
	mdHeadingRE = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	setextRE    = regexp.MustCompile(`^(=+|-+)\s*$`)
	itemRE      = regexp.MustCompile(`^\s*(?:[-*+•·‣▪◦●–]|\d{1,2}[.)])\s+(.*)$`)
	ruleRE      = regexp.MustCompile(`^\s*(?:[-*_]\s*){3,}$`)
	imageRE     = regexp.MustCompile(`^!\[[^\]]*\]\([^)]*\)$`)
	bylineRE    = regexp.MustCompile(`^(?i:by)\s+(\p{Lu}[\p{L}\p{M}.'’-]*(?:\s+(?:(?:de|van|von|da|di|al|bin|la|le)\s+)?\p{Lu}[\p{L}\p{M}.'’-]*){0,3})(?:\s*(?:[,|·–—]|and\s).*)?$`)
	sourcesRE   = regexp.MustCompile(`^(?i:sources?)\s*:\s*(.+?)\.?$`)
	frontRE     = regexp.MustCompile(`^([A-Za-z_]+):\s*(.*)$`)
)

// parseDocument splits the article into blocks, and takes out the
// headline, byline, dateline and list of sources.
func parseDocument(text string) *document {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\u2028", "\n").Replace(text)
	lines := strings.Split(text, "\n")
	doc := &document{}
	lines = frontMatter(lines, doc)

	markdown := false
	for _, l := range lines {
		if mdHeadingRE.MatchString(strings.TrimSpace(l)) {
			markdown = true
			break
		}
	}
	bs := splitBlocks(lines, markdown)
	bs = takeHeadline(bs, markdown, doc)
	if !markdown {
		bs = plainHeadings(bs)
	}

	var kept []block
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		switch {
		case b.kind == paragraph && doc.author == "" && len(kept) == 0 && bylineRE.MatchString(b.text):
			doc.author = bylineRE.FindStringSubmatch(b.text)[1]
		case b.kind == paragraph && sourcesRE.MatchString(b.text) && len(strings.Fields(b.text)) <= 40:
			doc.sourceList = append(doc.sourceList, splitList(sourcesRE.FindStringSubmatch(b.text)[1])...)
		case b.kind == heading && isSourcesHeading(b.text):
			for i+1 < len(bs) && bs[i+1].kind != heading {
				i++
				doc.sourceList = append(doc.sourceList, splitList(strings.TrimSuffix(plain(bs[i].text), "."))...)
			}
		default:
			kept = append(kept, b)
		}
	}
	doc.blocks = kept
	for i, b := range kept {
		if b.kind != heading {
			kept[i].text = dateline(b.text, doc)
			break
		}
	}
	doc.lede = len(kept)
	for i, b := range kept {
		if b.kind == heading {
			doc.lede = i
			break
		}
	}
	return doc
}

// frontMatter reads and removes a YAML front matter some Markdown
// articles start with: its title, date and author, if it has them.
func frontMatter(lines []string, doc *document) []string {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return lines
	}
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			for _, l := range lines[1:i] {
				m := frontRE.FindStringSubmatch(strings.TrimSpace(l))
				if m == nil {
					continue
				}
				v := strings.Trim(strings.TrimSpace(m[2]), `"'`)
				switch strings.ToLower(m[1]) {
				case "title":
					doc.title = v
				case "author":
					doc.author = v
				case "date", "published":
					if d, ok := parseDate(v); ok {
						doc.date = d
					}
				}
			}
			return lines[i+1:]
		}
	}
	return lines
}

// splitBlocks groups lines into paragraphs, list items and headings.
func splitBlocks(lines []string, markdown bool) []block {
	var out []block
	var cur *block
	var text []string // cur's lines
	flush := func() {
		if cur != nil {
			cur.text = strings.Join(text, " ")
			if strings.TrimSpace(cur.text) != "" {
				out = append(out, *cur)
			}
		}
		cur, text = nil, nil
	}
	fence := false
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			flush()
			fence = !fence
			continue
		}
		switch {
		case fence:
			continue
		case t == "":
			flush()
			continue
		case markdown && mdHeadingRE.MatchString(t):
			flush()
			if m := mdHeadingRE.FindStringSubmatch(t); plain(m[2]) != "" {
				out = append(out, block{kind: heading, level: len(m[1]), text: m[2], lines: 1})
			}
			continue
		case markdown && cur != nil && cur.kind == paragraph && cur.lines == 1 && setextRE.MatchString(t):
			cur.kind, cur.level = heading, 1
			if t[0] == '-' {
				cur.level = 2
			}
			flush()
			continue
		case ruleRE.MatchString(t) || imageRE.MatchString(t) || strings.HasPrefix(t, "<!--"):
			flush()
			continue
		}
		if m := itemRE.FindStringSubmatch(lines[i]); m != nil {
			flush()
			cur, text = &block{kind: item, lines: 1}, []string{strings.TrimSpace(m[1])}
			continue
		}
		t = strings.TrimSpace(strings.TrimLeft(t, ">"))
		if cur == nil {
			cur, text = &block{kind: paragraph, lines: 1}, []string{t}
			continue
		}
		text = append(text, t)
		cur.lines++
	}
	flush()
	return out
}

// plainHeadings finds the headings of a plain-text article: a short line
// on its own, with no closing punctuation, that starts with a capital and
// has text after it.
func plainHeadings(bs []block) []block {
	for i := range bs {
		if i+1 < len(bs) && bs[i].kind == paragraph && headingLike(bs[i]) && !headingLike(bs[i+1]) {
			bs[i].kind, bs[i].level = heading, 2
		}
	}
	return bs
}

func headingLike(b block) bool {
	t := b.text
	if b.kind != paragraph || b.lines != 1 || textLen(t) > maxTitle || len(strings.Fields(t)) > 10 {
		return false
	}
	last, _ := lastRune(t)
	first := []rune(t)[0]
	return unicode.IsUpper(first) && !strings.ContainsRune(".!?,;:…”\"’)", last) &&
		!strings.Contains(t, ": ") && !bylineRE.MatchString(t)
}

func lastRune(s string) (rune, bool) {
	r := []rune(s)
	if len(r) == 0 {
		return 0, false
	}
	return r[len(r)-1], true
}

// takeHeadline finds the headline: the first level-1 heading of a
// Markdown article, or its first heading before any text; in plain text,
// the first line that reads as one: three words or more, with no full
// stop. What comes before it is a site's chrome ("Posted in") and is left
// out, and so is the headline repeated.
func takeHeadline(bs []block, markdown bool, doc *document) []block {
	at := -1
	for i, b := range bs {
		if markdown && b.kind == heading && (b.level == 1 || len(strings.Fields(b.text)) >= 3) {
			at = i
			break
		}
		words := len(strings.Fields(b.text))
		last, _ := lastRune(b.text)
		if !markdown && b.kind == paragraph && b.lines == 1 && words >= 3 && textLen(b.text) <= maxHeadline && !strings.ContainsRune(".,;:", last) {
			at = i
			break
		}
		if b.kind != heading && (b.lines > 1 || words > 8) || i >= 3 {
			break // text first: no headline
		}
	}
	if at < 0 {
		return bs
	}
	var chrome []string
	for _, b := range bs[:at] {
		chrome = append(chrome, b.text)
	}
	doc.chrome = strings.Join(chrome, " · ")
	if doc.title == "" {
		doc.title = shorten(plain(bs[at].text), maxHeadline)
	}
	var rest []block
	for _, b := range bs[at+1:] {
		if plain(b.text) != plain(bs[at].text) {
			rest = append(rest, b)
		}
	}
	return rest
}

func isSourcesHeading(t string) bool {
	switch strings.ToLower(strings.TrimSpace(plain(t))) {
	case "sources", "source", "sources and references", "references":
		return true
	}
	return false
}

// splitList splits "Reuters, TASS and posts on X" into its names.
func splitList(s string) []string {
	var out []string
	for _, part := range regexp.MustCompile(`\s*(?:[,;]\s*(?:and\s+|or\s+)?|\s+and\s+)`).Split(s, -1) {
		if part = strings.Trim(strings.TrimSpace(part), ".;"); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// datelinePrefixRE finds the end of a dateline: a dash after the place
// and date, within the first words of the lede.
var datelineDashRE = regexp.MustCompile(`\s+[–—-]{1,2}\s+|\s*[–—]\s*`)

// dateline reads a dateline such as "Moscow, May 7, 2025 – ", "LONDON
// (Reuters) - " or "PARIS, March 3 (AFP) —" off the start of the lede and
// returns the lede without it.
func dateline(text string, doc *document) string {
	loc := datelineDashRE.FindStringIndex(text)
	if loc == nil || loc[0] > 100 || loc[0] == 0 {
		return text
	}
	prefix, rest := text[:loc[0]], text[loc[1]:]
	if strings.Contains(prefix, ". ") && !strings.Contains(prefix, "(") {
		return text
	}
	for _, m := range regexp.MustCompile(`\(([^)]{1,40})\)`).FindAllStringSubmatch(prefix, -1) {
		doc.agencies = append(doc.agencies, strings.TrimSpace(m[1]))
	}
	prefix = strings.TrimSpace(regexp.MustCompile(`\s*\([^)]*\)`).ReplaceAllString(prefix, ""))
	place, when, _ := strings.Cut(prefix, ",")
	place = strings.TrimSpace(place)
	if !placeLike(place) {
		return text
	}
	if d, ok := parseDate(strings.TrimSpace(when)); ok {
		doc.date = d
	} else if strings.TrimSpace(when) != "" && !allCaps(place) {
		return text // "Putin, who …, said – …" is not a dateline
	}
	doc.place = titleCase(place)
	return rest
}

// placeLike reports whether s reads as a place: up to four words, each
// capitalised but for the small words of names such as Rio de Janeiro.
func placeLike(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	for i, w := range words {
		switch r := []rune(w)[0]; {
		case unicode.IsUpper(r):
		case i > 0 && i < len(words)-1 && smallWords[w]:
		default:
			return false
		}
	}
	return true
}

// smallWords go uncapitalised inside names: Rio de Janeiro, Bosnia and
// Herzegovina.
var smallWords = map[string]bool{"de": true, "da": true, "do": true, "del": true, "la": true, "of": true, "and": true, "am": true, "upon": true, "on": true, "el": true, "les": true}

func allCaps(s string) bool {
	return strings.ToUpper(s) == s && strings.ToLower(s) != s
}

// titleCase writes "NEW YORK" as "New York"; other places stay as they are.
func titleCase(s string) string {
	if !allCaps(s) {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// body writes blocks as a section's Markdown: paragraphs apart, list
// items with their lead-in in bold, subheadings in bold.
func body(bs []block) string {
	var parts []string
	for i, b := range bs {
		t := b.text
		switch b.kind {
		case heading:
			t = "**" + plain(t) + "**"
		case item:
			t = "- " + boldLabel(t)
		default:
			t = boldLabel(t)
		}
		if strings.HasPrefix(t, "#") {
			t = `\` + t // text, not a heading
		}
		if i > 0 && b.kind == item && bs[i-1].kind == item {
			parts[len(parts)-1] += "\n" + t
			continue
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, "\n\n")
}

// labelRE is the lead-in of a list item, "Energy Collaboration: …".
var labelRE = regexp.MustCompile(`^(\p{Lu}[^:*.]{0,48}):\s+`)

// boldLabel bolds the lead-in of a paragraph or item, as the content
// guide does.
func boldLabel(t string) string {
	m := labelRE.FindStringSubmatchIndex(t)
	if m == nil || len(strings.Fields(t[m[2]:m[3]])) > 6 || strings.ContainsAny(t[m[1]:min(m[1]+3, len(t))], "“\"«„") {
		return t // no lead-in, or one that introduces a quotation: "He said: “…”"
	}
	return "**" + t[m[2]:m[3]] + ":** " + t[m[1]:]
}
