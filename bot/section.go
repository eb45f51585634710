package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// sectionView is what every reply for one section shares, built once.
type sectionView struct {
	article *Article
	section *Section
	footers []string   // per page
	paging  [][]Button // per page: the Previous/Next row, nil for one page
	related []Button
	menu    *Menu
}

func newSectionView(a *Article, s *Section) *sectionView {
	v := &sectionView{article: a, section: s}
	n := len(s.Pages())
	for i := range n {
		v.footers = append(v.footers, footer(a, s.Title, pageOf(i, n)))
		if n > 1 {
			v.paging = append(v.paging, pagingRow(a, s, i, n, ComponentID{}))
		}
	}
	v.related = relatedButtons(a, s, ComponentID{})
	v.menu = SectionMenu(a, s.Name, ComponentID{})
	return v
}

// footer says where a reply comes from, short: the article's credit (or
// date), then the rest, such as the section and its page. The title is
// the section's; the headline is in /about, and linked from every title
// when the article has an address.
func footer(a *Article, parts ...string) string {
	f := a.Label()
	for _, p := range parts {
		switch {
		case p == "":
		case strings.HasPrefix(p, " · "):
			f += p
		default:
			f += " · " + p
		}
	}
	return f
}

// pageOf is the footer's page count, empty for a single page.
func pageOf(page, pages int) string {
	if pages < 2 {
		return ""
	}
	return " · page " + strconv.Itoa(page+1) + " of " + strconv.Itoa(pages)
}

// pagingRow is the Previous/Next row for page of s, keeping how it was
// asked for.
func pagingRow(a *Article, s *Section, page, pages int, how ComponentID) []Button {
	prev := ComponentID{Action: ActionPage, Article: a.ID, Section: s.Name, Page: max(page-1, 0), Style: how.Style, Language: how.Language}
	next := ComponentID{Action: ActionPage, Article: a.ID, Section: s.Name, Page: min(page+1, pages-1), Style: how.Style, Language: how.Language}
	return []Button{
		{Label: "◀ Previous", ID: prev.Encode(), Disabled: page == 0},
		{Label: "Next ▶", ID: next.Encode(), Style: Primary, Disabled: page == pages-1},
	}
}

// relatedButtons are the sections offered after s: its Related list, or
// else the next sections in the article.
func relatedButtons(a *Article, s *Section, how ComponentID) []Button {
	names := s.Related
	if len(names) == 0 {
		for i, x := range a.Sections {
			if x == s {
				for _, y := range a.Sections[i+1:] {
					if len(names) == 3 {
						break
					}
					names = append(names, y.Name)
				}
			}
		}
	}
	var row []Button
	for _, name := range names {
		r := a.Section(name)
		if r == nil || len(row) == MaxButtonsPerRow {
			continue
		}
		id := ComponentID{Action: ActionSection, Article: a.ID, Section: r.Name, Style: how.Style, Language: how.Language}
		row = append(row, Button{Label: r.Title, ID: id.Encode()})
	}
	return row
}

// SectionMenu lets a reader jump to any section of a; current is marked.
// how carries the style and language, and the action if not ActionPick.
func SectionMenu(a *Article, current string, how ComponentID) *Menu {
	action := how.Action
	if action == "" {
		action = ActionPick
	}
	id := ComponentID{Action: action, Article: a.ID, Style: how.Style, Language: how.Language}
	m := &Menu{ID: id.Encode(), Placeholder: "Read another section…"}
	for i, s := range a.Sections {
		if i == MaxMenuOptions {
			break
		}
		m.Options = append(m.Options, MenuOption{Label: s.Title, Value: s.Name, Description: s.Description, Default: s.Name == current})
	}
	return m
}

// reply builds the answer for page of s.
func (v *sectionView) reply(page int) *Reply {
	pages := v.section.Pages()
	page = max(0, min(page, len(pages)-1))
	r := &Reply{Title: v.section.Title, TitleURL: v.article.URL, Body: pages[page], Footer: v.footers[page], Menu: v.menu}
	switch {
	case v.paging != nil && len(v.related) > 0:
		r.Buttons = [][]Button{v.paging[page], v.related}
	case v.paging != nil:
		r.Buttons = [][]Button{v.paging[page]}
	case len(v.related) > 0:
		r.Buttons = [][]Button{v.related}
	}
	return r
}

func (b *Bot) answerSection(ctx context.Context, r *Request) (*Reply, error) {
	if r.Kind == KindAutocomplete {
		if r.Focused == OptLanguage {
			return CompleteLanguage(r), nil
		}
		return b.completeArticle(r), nil
	}
	private, err := r.Bool(OptPrivate)
	if err != nil {
		return nil, err
	}
	a, err := b.sectionArticle(r)
	if err != nil {
		return nil, err
	}
	s := a.Section(r.Command)
	if s == nil {
		return nil, Errorf(NotFound, "%q has no /%s section. Type /help article:%s to see its sections.", a.Title, r.Command, a.ID)
	}
	style, lang, err := ParseStyleAndLanguage(r.Option(OptStyle), r.Option(OptLanguage))
	if err != nil {
		return nil, err
	}
	var reply *Reply
	if style == StyleCurated && lang.IsZero() {
		reply = b.views[s].reply(0)
	} else {
		reply = b.rewrite(ctx, r, a, s, 0, style, lang)
	}
	reply.Private = private
	return reply, nil
}

// sectionArticle is the article a section command asks for: the one its
// article option names, or else the first that has the section, the
// default article if it has it.
func (b *Bot) sectionArticle(r *Request) (*Article, error) {
	if id := r.Option(OptArticle); id != "" {
		return b.lib.Article(id)
	}
	if has := b.lib.Having(r.Command); len(has) > 0 {
		return has[0], nil
	}
	return b.lib.Default(), nil
}

// ParseStyleAndLanguage reads the style and language options a reader
// gave, as ParseStyle and LookupLanguage do; an unknown language is an
// Invalid error that says how to pick one.
func ParseStyleAndLanguage(style, language string) (Style, Language, error) {
	st, err := ParseStyle(style)
	if err != nil {
		return "", Language{}, err
	}
	var lang Language
	if language != "" {
		var ok bool
		if lang, ok = LookupLanguage(language); !ok {
			return "", Language{}, Errorf(Invalid, "I don't know the language %q. Start typing its name and pick it from the list, e.g. Español or Русский.", Clip(language, 40))
		}
	}
	return st, lang, nil
}

// rewrite answers with page of s in a style or language: at once with what
// the Rewriter has — a cached rephrasing, or the curated text with a note —
// and, while a rephrasing is being made, with Pending set to deliver it.
func (b *Bot) rewrite(ctx context.Context, r *Request, a *Article, s *Section, page int, style Style, lang Language) *Reply {
	req := RewriteRequest{
		Passage: Passage{ArticleID: a.ID, ArticleVersion: a.Version, Section: s.Name, Title: s.Title, Text: s.Body},
		Style:   style, Language: lang, GuildID: r.GuildID, UserID: r.User.ID,
	}
	now, final := b.rw.Immediate(ctx, req)
	report := b.HandlesComponent(ActionReport)
	reply := rewriteReply(b.views[s], page, style, lang, now, report)
	if !final {
		reply.Pending = func(ctx context.Context) (*Reply, error) {
			return rewriteReply(b.views[s], page, style, lang, b.rw.Rewrite(ctx, req), report), nil
		}
	}
	return reply
}

// rewriteReply shows a Rewrite: a rephrasing paged like a section, its
// buttons keeping the style and language, and with report a "Report a
// problem" button; or the curated text with the Rewriter's note.
func rewriteReply(v *sectionView, page int, style Style, lang Language, rw Rewrite, report bool) *Reply {
	if !rw.Rewritten() {
		reply := v.reply(page)
		reply.Content = rw.Note
		return reply
	}
	a, s := v.article, v.section
	how := ComponentID{Style: string(style), Language: lang.Code}
	pages := Paginate(rw.Text, PageSize)
	page = max(0, min(page, len(pages)-1))
	title := s.Title
	if style != StyleCurated {
		title += " · " + style.Label()
	}
	if !lang.IsZero() {
		title += " · " + lang.Native
	}
	reply := &Reply{
		Content: rw.Note, Title: title, TitleURL: a.URL, Body: pages[page], Menu: SectionMenu(a, s.Name, how),
		Footer: footer(a, s.Title, rw.Provenance(), pageOf(page, len(pages))),
	}
	if len(pages) > 1 {
		reply.Buttons = append(reply.Buttons, pagingRow(a, s, page, len(pages), how))
	}
	if related := relatedButtons(a, s, how); len(related) > 0 {
		reply.Buttons = append(reply.Buttons, related)
	}
	if report {
		reply.Buttons = appendButton(reply.Buttons, ReportButton(a.ID, s.Name, page, style, lang))
	}
	return reply
}

// ReportButton is the "Report a problem" button of a rephrased section:
// its id says which rephrasing was shown, and which page of it.
func ReportButton(article, section string, page int, style Style, lang Language) Button {
	id := ComponentID{Action: ActionReport, Article: article, Section: section, Page: page, Style: string(style), Language: lang.Code}
	return Button{Label: "Report a problem", ID: id.Encode()}
}

// appendButton adds b to the last row of rows if it has room, else in a
// row of its own.
func appendButton(rows [][]Button, b Button) [][]Button {
	if n := len(rows); n > 0 && len(rows[n-1]) < MaxButtonsPerRow {
		last := append(rows[n-1][:len(rows[n-1]):len(rows[n-1])], b)
		return append(rows[:n-1:n-1], last)
	}
	return append(rows, []Button{b})
}

// CompleteLanguage suggests languages for what the reader has typed in the
// option r.Focused, their own Discord language first.
func CompleteLanguage(r *Request) *Reply {
	typed := r.Option(r.Focused)
	var langs []Language
	if own, ok := LanguageForLocale(r.Locale); ok && (typed == "" || slices.Contains(SearchLanguages(typed), own)) {
		langs = append(langs, own)
	}
	for _, l := range SearchLanguages(typed) {
		if len(langs) == 0 || l != langs[0] {
			langs = append(langs, l)
		}
	}
	reply := &Reply{Choices: []Choice{}}
	for _, l := range langs[:min(len(langs), MaxChoices)] {
		reply.Choices = append(reply.Choices, Choice{Name: l.String(), Value: l.Code})
	}
	return reply
}

// answerComponent turns a page or opens a section. On a digest, the
// answer is private: a new message for the reader who clicked.
func (b *Bot) answerComponent(ctx context.Context, r *Request) (*Reply, error) {
	c, err := ParseComponentID(r.CustomID)
	if err != nil {
		return nil, err
	}
	private := false
	switch c.Action {
	case ActionDigestSection:
		c.Action, private = ActionSection, true
	case ActionDigestPick:
		c.Action, private = ActionPick, true
	}
	reply, err := b.openComponent(ctx, r, c)
	if err != nil {
		return nil, err
	}
	if private {
		copied := *reply
		copied.Private = true
		return &copied, nil
	}
	return reply, nil
}

func (b *Bot) openComponent(ctx context.Context, r *Request, c ComponentID) (*Reply, error) {
	a, err := b.lib.Article(c.Article)
	if err != nil {
		return nil, errExpired
	}
	name := c.Section
	if c.Action == ActionPick {
		if len(r.Values) != 1 {
			return nil, errExpired
		}
		name = r.Values[0]
	}
	s := a.Section(name)
	if s == nil {
		return nil, errExpired
	}
	page := 0
	if c.Action == ActionPage {
		page = c.Page
	}
	if c.Style == "" && c.Language == "" {
		return b.views[s].reply(page), nil
	}
	style, lang, err := ParseStyleAndLanguage(c.Style, c.Language)
	if err != nil {
		return nil, errExpired
	}
	return b.rewrite(ctx, r, a, s, page, style, lang), nil
}
