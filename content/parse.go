package content

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/briefbot/briefbot/bot"
	"go.yaml.in/yaml/v3"
)

// Limits the content format adds to Discord's.
const (
	maxTitle       = 80 // a section title is also a button and menu label
	maxSections    = bot.MaxMenuOptions
	maxSourcesText = bot.MaxFieldValue // sources are shown joined in one field
	// maxURL is the longest address Discord takes in a link button. An
	// embed's title link has no documented limit, but /about may offer the
	// article as a button, and no article's address comes near it.
	maxURL = 512
)

// textLimits says, for each line of text in the front matter, the most
// the places it is shown can hold, so that content validate accepts never
// breaks a reply at Discord.
var textLimits = map[string]struct {
	max   int
	where string
}{
	"title":    {bot.MaxEmbedTitle, "Discord shows at most %d in an embed title"},
	"dateline": {bot.MaxFieldValue, "/about shows it in a field, which holds at most %d"},
	// The publisher and author are shown as an embed's author line, a
	// field name or part of a footer; the first two hold 256 characters.
	"publisher": {bot.MaxFieldName, "keep it within %d, the most an embed's author line or a field name holds"},
	"author":    {bot.MaxFieldName, "keep it within %d, the most an embed's author line or a field name holds"},
	"url":       {maxURL, "keep it within %d, the most Discord takes in a link button"},
}

// articleMeta is where things are in the file, for later messages.
type articleMeta struct {
	idLine        int
	defaultLine   int
	updatedLine   int
	publishedLine int
	// texts are the texts readers are shown, where they are written: what
	// the faithfulness check reads.
	texts []located
	// headings are where the sections begin, in order.
	headings []heading
}

// heading is a section's name and the line of its ## heading.
type heading struct {
	name string
	line int
}

// located is a text of the file and the line it starts on.
type located struct {
	what string // "title", `section "energy"`, …
	line int
	text string // as written; a body keeps its lines
}

var (
	headingRE = regexp.MustCompile(`^##\s+(.*)$`)
	fieldRE   = regexp.MustCompile(`^([a-z][a-z_-]*):\s*(.*)$`)
	yamlLine  = regexp.MustCompile(`line (\d+)`)
)

// The front matter's fields: the ones every article needs, and all of them.
const (
	requiredFields    = "id, title, dateline, published, sources"
	frontMatterFields = requiredFields + ", default, url, publisher, author, updated, aliases"
)

// parse reads one article file. It returns the article when the file could
// be read far enough to have one, with every problem found.
func parse(file string, data []byte) (*bot.Article, articleMeta, []Problem) {
	var ps []Problem
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	var meta articleMeta
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		add(1, "the file must start with front matter: a line ---, the fields %s, and a closing ---", requiredFields)
		return nil, meta, ps
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		add(1, "the front matter is not closed: add a line --- after its last field")
		return nil, meta, ps
	}

	sum := sha256.Sum256(data)
	a := &bot.Article{Version: hex.EncodeToString(sum[:6])}
	meta = frontMatter(a, strings.Join(lines[1:end], "\n"), add)
	texts, headings := sections(a, lines, end+1, add)
	meta.texts, meta.headings = append(meta.texts, texts...), headings
	return a, meta, ps
}

// frontMatter decodes the YAML between the --- lines into a. YAML lines
// count from the line after the opening ---, which is file line 2.
func frontMatter(a *bot.Article, src string, add func(int, string, ...any)) articleMeta {
	const offset = 1
	meta := articleMeta{idLine: 1, defaultLine: 1}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		line := 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = n + offset
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = yamlLine.ReplaceAllString(msg, "")
		add(line, "the front matter is not valid YAML (near here): %s", strings.Trim(msg, " :"))
		return meta
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		add(2, "the front matter must be fields written as name: value (%s)", frontMatterFields)
		return meta
	}
	m := doc.Content[0]
	seen := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := k.Line + offset
		if first, dup := seen[k.Value]; dup {
			add(line, "%s is set twice (first on line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = line
		switch k.Value {
		case "id":
			meta.idLine = line
			a.ID = scalar(v, line, "id", add)
			if a.ID != "" && !bot.ValidName(a.ID) {
				add(line, "id %q is not valid: use 1–%d lowercase letters a–z, digits, - or _", a.ID, bot.MaxCommandName)
			}
		case "title":
			a.Title = scalar(v, line, "title", add)
			meta.texts = append(meta.texts, located{"title", line, a.Title})
		case "dateline":
			a.Dateline = scalar(v, line, "dateline", add)
			meta.texts = append(meta.texts, located{"dateline", line, a.Dateline})
		case "published":
			meta.publishedLine = line
			if s := scalar(v, line, "published", add); s != "" {
				a.Published = date(s, line, "published", add)
			}
		case "updated":
			meta.updatedLine = line
			if s := scalar(v, line, "updated", add); s != "" {
				a.Updated = date(s, line, "updated", add)
			}
		case "url":
			a.URL = scalar(v, line, "url", add)
			if a.URL != "" {
				if msg := checkURL(a.URL); msg != "" {
					add(line, "%s", msg)
				}
			}
		case "publisher":
			a.Publisher = scalar(v, line, "publisher", add)
		case "author":
			a.Author = scalar(v, line, "author", add)
		case "default":
			meta.defaultLine = line
			if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
				add(line, "default must be true or false")
			}
			a.Default = v.Value == "true"
		case "aliases":
			a.Aliases = frontMatterAliases(v, line, add)
		case "sources":
			if v.Kind != yaml.SequenceNode {
				add(line, "sources must be a list, one source per line starting with -")
				break
			}
			for _, item := range v.Content {
				s := strings.TrimSpace(item.Value)
				if item.Kind != yaml.ScalarNode || s == "" {
					add(item.Line+offset, "each source must be a name, such as Reuters")
					continue
				}
				a.Sources = append(a.Sources, s)
				meta.texts = append(meta.texts, located{"source", item.Line + offset, s})
			}
			if n := bot.Len(strings.Join(a.Sources, ", ")); n > maxSourcesText {
				add(line, "the sources are %d characters together; at most %d fit in Discord's sources field", n, maxSourcesText)
			}
		default:
			add(line, "unknown field %q: the front matter has %s", k.Value, frontMatterFields)
		}
	}
	if !a.Updated.IsZero() && !a.Published.IsZero() && a.Updated.Before(a.Published) {
		add(meta.updatedLine, "updated %s is before published %s: an article is updated on or after the day it is published",
			a.Updated.Format(time.DateOnly), a.Published.Format(time.DateOnly))
	}
	for _, f := range []string{"id", "title", "dateline", "published", "sources"} {
		if _, ok := seen[f]; !ok {
			add(1, "the front matter has no %s: add a line %s: …", f, f)
		}
	}
	return meta
}

// date reads a front matter date written as YYYY-MM-DD.
func date(s string, line int, field string, add func(int, string, ...any)) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		add(line, "%s %q is not a date: write it as YYYY-MM-DD, e.g. 2025-05-07", field, s)
	}
	return t
}

// checkURL says what is wrong with the address of the original article, or
// "" when it is an absolute http or https URL a reader can open.
func checkURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil || strings.ContainsAny(s, " \t"):
		return fmt.Sprintf("url %q is not a web address: write the article's address in full, e.g. https://example.com/story", s)
	case !u.IsAbs():
		return fmt.Sprintf("url %q is not absolute: write the article's address in full, starting with https://", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("url %q must start with https:// or http://, not %s:", s, u.Scheme)
	case u.Host == "":
		return fmt.Sprintf("url %q has no host: write it as https://example.com/story", s)
	}
	return ""
}

// scalar reads a field that is one line of text, and checks it against
// the limit of where it is shown.
func scalar(v *yaml.Node, line int, field string, add func(int, string, ...any)) string {
	if v.Kind != yaml.ScalarNode {
		add(line, "%s must be text on one line", field)
		return ""
	}
	s := strings.TrimSpace(v.Value)
	switch {
	case s == "":
		add(line, "%s is empty", field)
	case strings.ContainsAny(s, "\r\n"):
		add(line, "%s must be text on one line: it is shown where a line break does not belong", field)
	}
	if limit, ok := textLimits[field]; ok {
		if n := bot.Len(s); n > limit.max {
			add(line, "%s is %d characters; "+limit.where, field, n, limit.max)
		}
	}
	return s
}

// sections reads the "## " sections from lines[from:], and returns where
// the texts readers see are.
func sections(a *bot.Article, lines []string, from int, add func(int, string, ...any)) ([]located, []heading) {
	type pending struct {
		s               *bot.Section
		line            int
		relatedLine     int
		descriptionLine int
		bodyLine        int
		seen            map[string]bool
		body            []string
	}
	var cur *pending
	var all []*pending
	first := make(map[string]int)

	finish := func() {
		if cur == nil {
			return
		}
		cur.s.Body = strings.TrimSpace(strings.Join(cur.body, "\n"))
		all = append(all, cur)
	}
	inMeta := false
	for i := from; i < len(lines); i++ {
		line, n := lines[i], i+1
		if m := headingRE.FindStringSubmatch(line); m != nil {
			finish()
			cur = &pending{s: &bot.Section{}, line: n, seen: map[string]bool{}}
			inMeta = true
			name, title, ok := strings.Cut(m[1], ":")
			name, title = strings.TrimSpace(name), strings.TrimSpace(title)
			if !ok {
				add(n, "a section heading is ## command: Title, e.g. ## energy: Oil and gas")
				continue
			}
			cur.s.Name, cur.s.Title = name, title
			switch {
			case !bot.ValidName(name) && bot.ValidName(strings.ToLower(name)):
				add(n, "section name %q must be lowercase: %q", name, strings.ToLower(name))
			case !bot.ValidName(name):
				add(n, "section name %q is not a valid command name: use 1–%d lowercase letters a–z, digits, - or _", name, bot.MaxCommandName)
			case bot.Reserved(name):
				add(n, "section name %q clashes with the built-in /%s command: choose another name", name, name)
			}
			if at, dup := first[name]; dup {
				add(n, "section %q is defined twice (first on line %d)", name, at)
			} else {
				first[name] = n
			}
			switch l := bot.Len(title); {
			case title == "":
				add(n, "section %q has no title: write it after the colon", name)
			case l > maxTitle:
				add(n, "the title of section %q is %d characters; keep it within %d, since it is also a button label", name, l, maxTitle)
			}
			continue
		}
		if cur == nil {
			if strings.TrimSpace(line) != "" {
				add(n, "text before the first ## section is never shown: move it into a section")
				for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" && !headingRE.MatchString(lines[i+1]) {
					i++ // one message per paragraph
				}
			}
			continue
		}
		if inMeta {
			if m := fieldRE.FindStringSubmatch(line); m != nil {
				if m[1] == "description" && !cur.seen[m[1]] {
					cur.descriptionLine = n
				}
				field(cur.s, m[1], strings.TrimSpace(m[2]), n, cur.seen, &cur.relatedLine, add)
				continue
			}
			inMeta = false
		}
		if len(cur.body) == 0 {
			cur.bodyLine = n
		}
		cur.body = append(cur.body, line)
	}
	finish()

	if len(all) == 0 {
		add(len(lines), "the article has no sections: add one, starting with a line ## command: Title")
	}
	if len(all) > maxSections {
		add(all[maxSections].line, "the article has %d sections; at most %d fit in Discord's section menu", len(all), maxSections)
	}
	var texts []located
	var headings []heading
	for _, p := range all {
		s := p.s
		if s.Name == "" {
			continue
		}
		headings = append(headings, heading{s.Name, p.line})
		where := fmt.Sprintf("section %q", s.Name)
		texts = append(texts, located{where + " title", p.line, s.Title})
		if p.descriptionLine > 0 {
			texts = append(texts, located{where + " description", p.descriptionLine, s.Description})
		}
		if p.bodyLine > 0 {
			texts = append(texts, located{where, p.bodyLine, strings.Join(p.body, "\n")})
		}
		if !p.seen["description"] {
			add(p.line, "section %q has no description: add a line description: … under its heading (at most %d characters)", s.Name, bot.MaxDescription)
		}
		if !p.seen["keywords"] {
			add(p.line, "section %q has no keywords: add a line keywords: … with words a reader might ask about", s.Name)
		}
		for _, r := range s.Related {
			switch _, ok := first[r]; {
			case r == s.Name:
				add(p.relatedLine, "section %q lists itself as related", s.Name)
			case !ok:
				add(p.relatedLine, "section %q lists %q as related, but the article has no such section", s.Name, r)
			}
		}
		if s.Body == "" {
			add(p.line, "section %q is empty: write its text under the heading and its fields, after a blank line", s.Name)
			continue
		}
		if n := len(bot.Paginate(s.Body, bot.PageSize)); n > bot.MaxPages {
			add(p.line, "section %q is too long to show: it needs %d pages and at most %d can be paged through; split it into sections", s.Name, n, bot.MaxPages)
		}
		a.Sections = append(a.Sections, s)
	}
	return texts, headings
}

// field sets one "name: value" line under a section heading.
func field(s *bot.Section, name, value string, line int, seen map[string]bool, relatedLine *int, add func(int, string, ...any)) {
	if seen[name] {
		add(line, "section %q sets %s twice", s.Name, name)
		return
	}
	seen[name] = true
	switch name {
	case "description":
		switch n := bot.Len(value); {
		case n == 0:
			add(line, "the description of section %q is empty", s.Name)
		case n > bot.MaxDescription:
			add(line, "the description of section %q is %d characters; Discord allows at most %d", s.Name, n, bot.MaxDescription)
		}
		s.Description = value
	case "keywords":
		s.Keywords = list(value)
		if len(s.Keywords) == 0 {
			add(line, "section %q has an empty keywords line", s.Name)
		}
	case "aliases":
		var groups []string
		for _, g := range strings.Split(value, ";") {
			if g = strings.TrimSpace(g); g != "" {
				groups = append(groups, g)
			}
		}
		if len(groups) == 0 {
			add(line, "section %q has an empty aliases line: write groups such as tv = television; petróleo, нефть = oil", s.Name)
		}
		aliases := newAliasSet(add)
		for _, g := range groups {
			aliases.add(line, g)
		}
		s.Aliases = aliases.list
	case "related":
		*relatedLine = line
		s.Related = list(value)
		if len(s.Related) > bot.MaxButtonsPerRow {
			add(line, "section %q lists %d related sections; at most %d fit in a row of buttons", s.Name, len(s.Related), bot.MaxButtonsPerRow)
		}
	default:
		add(line, "unknown section field %q: a section has description, keywords, aliases and related", name)
	}
}

// frontMatterAliases reads the front matter's aliases: a list of groups,
// one per line, each written as in a section's aliases line.
func frontMatterAliases(v *yaml.Node, line int, add func(int, string, ...any)) []bot.Alias {
	const offset = 1 // YAML lines count from the line after the opening ---
	if v.Kind != yaml.SequenceNode {
		add(line, "aliases must be a list, one group per line, such as - tv = television")
		return nil
	}
	if len(v.Content) == 0 {
		add(line, "aliases is an empty list: add groups such as - tv = television, or remove the field")
	}
	aliases := newAliasSet(add)
	for _, item := range v.Content {
		n := item.Line + offset
		switch g := strings.TrimSpace(item.Value); {
		case item.Kind != yaml.ScalarNode || g == "":
			add(n, "each alias is one group written as term, term = meaning, such as - petróleo, нефть = oil")
		case strings.Contains(g, ";"):
			add(n, "alias %q holds several groups: in the front matter, write one group per line", g)
		default:
			aliases.add(n, g)
		}
	}
	return aliases.list
}

// aliasSet collects the alias groups of one article or section, and refuses
// a term given twice in it, which would leave its meaning in doubt.
type aliasSet struct {
	list    []bot.Alias
	terms   map[string]aliasAt // folded term → where it is first given
	problem func(int, string, ...any)
}

type aliasAt struct {
	line  int
	group string
}

func newAliasSet(add func(int, string, ...any)) *aliasSet {
	return &aliasSet{terms: make(map[string]aliasAt), problem: add}
}

// add reads one group, "term, term = meaning", given on line.
func (as *aliasSet) add(line int, group string) {
	terms, means, ok := strings.Cut(group, "=")
	switch {
	case !ok:
		as.problem(line, "alias %q has no =: write it as term, term = meaning, such as tv, telly = television", group)
		return
	case strings.Contains(means, "="):
		as.problem(line, "alias %q has more than one =: write each group as term, term = meaning, and separate groups with ;", group)
		return
	}
	means = strings.TrimSpace(means)
	switch {
	case means == "":
		as.problem(line, "alias %q has nothing after =: write the word the text uses, such as tv = television", group)
		return
	case strings.Contains(means, ","):
		as.problem(line, "alias %q means more than one thing: after = write one word or phrase of the text", group)
		return
	case !hasWord(means):
		as.problem(line, "alias %q means %q, which has no letters or digits", group, means)
		return
	}
	a := bot.Alias{Means: means}
	for _, t := range strings.Split(terms, ",") {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
			as.problem(line, "alias %q has an empty term: write the terms before = separated by commas", group)
			return
		case !hasWord(t):
			as.problem(line, "alias %q has the term %q, which has no letters or digits", group, t)
			return
		case strings.EqualFold(t, means):
			as.problem(line, "alias %q gives %q as another word for itself", group, t)
			return
		}
		a.Terms = append(a.Terms, t)
	}
	for _, t := range a.Terms {
		key := strings.ToLower(t)
		if first, dup := as.terms[key]; dup {
			as.problem(line, "alias term %q is given twice, first in %q on line %d: give each term one meaning", t, first.group, first.line)
			continue
		}
		as.terms[key] = aliasAt{line, group}
	}
	as.list = append(as.list, a)
}

func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func list(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
