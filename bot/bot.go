package bot

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
)

// Bot is the core, assembled: the library's section commands, help and
// about, the buttons and menus on their replies, and the text grammar of DMs
// and the console, behind one Mux. Adapters add commands of their own with
// Handle and wrap everything with Use before the bot starts answering.
type Bot struct {
	*Mux
	lib   *Library
	log   *slog.Logger
	views map[*Section]*sectionView
	index []*sectionIndex // the default article's sections, for free questions
	help  map[Source]*Reply
}

// Options configure a Bot.
type Options struct {
	Logger *slog.Logger // defaults to a logger that discards
}

// Option names shared by section commands, help and about.
const (
	OptArticle = "article"
	OptPrivate = "private"
)

// New assembles a Bot over lib.
func New(lib *Library, opts Options) *Bot {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Bot{Mux: NewMux(), lib: lib, log: log, views: make(map[*Section]*sectionView)}
	for _, a := range lib.Articles() {
		for _, s := range a.Sections {
			b.views[s] = newSectionView(a, s)
		}
	}
	for _, s := range lib.Default().Sections {
		b.index = append(b.index, newSectionIndex(s))
	}
	b.help = make(map[Source]*Reply)
	for _, src := range []Source{FromConsole, FromGuild, FromDM, FromDigest} {
		b.help[src] = b.helpReply(src)
	}

	articleOpt := CommandOption{
		Name: OptArticle, Description: "Which article (default: " + clip(lib.Default().ID, 60) + ")",
		Type: OptionString, Autocomplete: true, MaxLength: MaxCommandName,
	}
	privateOpt := CommandOption{Name: OptPrivate, Description: "Show the answer only to me", Type: OptionBool}
	common := []CommandOption{articleOpt, privateOpt}

	for _, s := range lib.Sections() {
		b.Handle(Command{Name: s.Name, Description: s.Description, Options: common}, HandlerFunc(b.answerSection))
	}
	b.Handle(Command{Name: CommandHelp, Description: "What you can ask briefbot", Options: []CommandOption{privateOpt}}, HandlerFunc(b.answerHelp))
	b.Handle(Command{Name: CommandAbout, Description: "The article, its date and sources, and what briefbot is", Options: common}, HandlerFunc(b.answerAbout))
	b.HandleComponent(ActionPage, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionSection, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionPick, HandlerFunc(b.answerComponent))
	b.HandleText(HandlerFunc(b.answerText))
	return b
}

// Library returns the articles the bot answers from.
func (b *Bot) Library() *Library { return b.lib }

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
	pages := s.Pages()
	for i := range pages {
		footer := a.Title + " · " + s.Title
		if len(pages) > 1 {
			footer += " · page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(pages))
		}
		v.footers = append(v.footers, footer)
	}
	if len(pages) > 1 {
		for i := range pages {
			prev := ComponentID{Action: ActionPage, Article: a.ID, Section: s.Name, Page: max(i-1, 0)}
			next := ComponentID{Action: ActionPage, Article: a.ID, Section: s.Name, Page: min(i+1, len(pages)-1)}
			v.paging = append(v.paging, []Button{
				{Label: "◀ Previous", ID: prev.Encode(), Disabled: i == 0},
				{Label: "Next ▶", ID: next.Encode(), Style: Primary, Disabled: i == len(pages)-1},
			})
		}
	}
	v.related = relatedButtons(a, s, ComponentID{})
	v.menu = sectionMenu(a, s.Name, ComponentID{})
	return v
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

// sectionMenu lets a reader jump to any section of a; current is marked.
func sectionMenu(a *Article, current string, how ComponentID) *Menu {
	id := ComponentID{Action: ActionPick, Article: a.ID, Style: how.Style, Language: how.Language}
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
	r := &Reply{Title: v.section.Title, Body: pages[page], Footer: v.footers[page], Menu: v.menu}
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
		return b.completeArticle(r), nil
	}
	private, err := r.Bool(OptPrivate)
	if err != nil {
		return nil, err
	}
	a, err := b.lib.Article(r.Option(OptArticle))
	if err != nil {
		return nil, err
	}
	s := a.Section(r.Command)
	if s == nil {
		return nil, Errorf(NotFound, "%q has no /%s section. Type /help to see its sections.", a.Title, r.Command)
	}
	reply := b.views[s].reply(0)
	reply.Private = private
	return reply, nil
}

func (b *Bot) answerComponent(ctx context.Context, r *Request) (*Reply, error) {
	c, err := ParseComponentID(r.CustomID)
	if err != nil {
		return nil, err
	}
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
	return b.views[s].reply(page), nil
}

func (b *Bot) completeArticle(r *Request) *Reply {
	typed := strings.ToLower(r.Option(r.Focused))
	reply := &Reply{Choices: []Choice{}}
	for _, a := range b.lib.Articles() {
		if len(reply.Choices) == MaxChoices {
			break
		}
		if typed != "" && !strings.Contains(a.ID, typed) && !strings.Contains(strings.ToLower(a.Title), typed) {
			continue
		}
		name := a.Title
		if d := a.Date(); d != "" {
			name += " (" + d + ")"
		}
		reply.Choices = append(reply.Choices, Choice{Name: clip(name, MaxDescription), Value: a.ID})
	}
	return reply
}

func (b *Bot) answerHelp(ctx context.Context, r *Request) (*Reply, error) {
	private, err := r.Bool(OptPrivate)
	if err != nil {
		return nil, err
	}
	reply := *b.help[r.Source]
	reply.Private = private
	return &reply, nil
}

func (b *Bot) helpReply(src Source) *Reply {
	a := b.lib.Default()
	var body strings.Builder
	body.WriteString("I brief you on **" + a.Title + "**")
	if d := a.Date(); d != "" {
		body.WriteString(" (" + d + ")")
	}
	body.WriteString(".\n\n")
	body.WriteString("**Start with** `/" + a.Sections[0].Name + "`, then pick a topic:\n")
	for i, s := range b.lib.Sections() {
		if i == 0 {
			continue
		}
		if i > 1 {
			body.WriteString(" ")
		}
		body.WriteString("`/" + s.Name + "`")
	}
	body.WriteString("\n`/" + CommandAbout + "` says where the article comes from.")
	switch src {
	case FromConsole:
		body.WriteString("\n\nType a section name, with or without the slash, or ask a question in your own words. Options go after the name, like `/summary article:" + a.ID + "`. Type `next` or `previous` to turn pages, `quit` to leave.")
	case FromDM:
		body.WriteString("\n\nType a section name, or ask a question in your own words and I'll find the section that answers it.")
	default:
		body.WriteString("\n\nAdd `private:True` to any command to see the answer on your own. You can also DM me a question.")
	}
	if len(b.lib.Articles()) > 1 {
		body.WriteString("\nOther articles: use the `article` option (" + b.lib.ids() + ").")
	}
	return &Reply{
		Title:  "What you can ask briefbot",
		Body:   body.String(),
		Footer: "briefbot · " + a.Title,
		Menu:   sectionMenu(a, "", ComponentID{}),
	}
}

func (b *Bot) answerAbout(ctx context.Context, r *Request) (*Reply, error) {
	if r.Kind == KindAutocomplete {
		return b.completeArticle(r), nil
	}
	private, err := r.Bool(OptPrivate)
	if err != nil {
		return nil, err
	}
	a, err := b.lib.Article(r.Option(OptArticle))
	if err != nil {
		return nil, err
	}
	reply := &Reply{
		Title: a.Title,
		Body: "briefbot answers questions about this article with sections written by its editors for reading in Discord. " +
			"Every number, date, name and quote in them comes from the article.",
		Footer:  "briefbot · " + a.ID,
		Private: private,
		Menu:    sectionMenu(a, "", ComponentID{}),
	}
	if d := a.Date(); d != "" {
		reply.Fields = append(reply.Fields, Field{Name: "Published", Value: d, Inline: true})
	}
	if a.Dateline != "" {
		reply.Fields = append(reply.Fields, Field{Name: "Dateline", Value: a.Dateline, Inline: true})
	}
	reply.Fields = append(reply.Fields, Field{Name: "Sections", Value: strconv.Itoa(len(a.Sections)), Inline: true})
	if len(a.Sources) > 0 {
		reply.Fields = append(reply.Fields, Field{Name: "Sources", Value: strings.Join(a.Sources, ", ")})
	}
	return reply, nil
}
