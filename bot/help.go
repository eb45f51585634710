package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// CompleteArticle suggests the articles of lib for what the reader has
// typed in the option r.Focused. For a section command, only the articles
// that have that section are offered.
func CompleteArticle(lib *Library, r *Request) *Reply {
	typed := strings.ToLower(r.Option(r.Focused))
	articles := lib.Articles()
	if lib.IsSection(r.Command) {
		articles = lib.Having(r.Command)
	}
	reply := &Reply{Choices: []Choice{}}
	for _, a := range articles {
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
		reply.Choices = append(reply.Choices, Choice{Name: Clip(name, MaxDescription), Value: a.ID})
	}
	return reply
}

func (b *Bot) completeArticle(r *Request) *Reply { return CompleteArticle(b.lib, r) }

// helpKey is one /help reply: for an article, worded for a source.
type helpKey struct {
	article string
	src     Source
}

func (b *Bot) answerHelp(ctx context.Context, r *Request) (*Reply, error) {
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
	var reply Reply
	if r.Markup == nil {
		// Plain help is the same for every request about an article from
		// a source: build it once, at the first /help, when every command
		// is registered.
		b.helpOnce.Do(func() {
			b.help = make(map[helpKey]*Reply)
			for _, x := range b.lib.Articles() {
				for _, src := range []Source{FromConsole, FromGuild, FromDM, FromDigest} {
					b.help[helpKey{x.ID, src}] = b.helpReply(x, src, PlainMarkup{})
				}
			}
		})
		reply = *b.help[helpKey{a.ID, r.Source}]
	} else {
		reply = *b.helpReply(a, r.Source, r.Markup)
	}
	reply.Private = private
	return &reply, nil
}

// helpReply is /help for article a, for readers where src says, naming
// commands with mk: what to read (its sections, and the other articles if
// there are any), how to ask, and the digests, each under its heading.
func (b *Bot) helpReply(a *Article, src Source, mk Markup) *Reply {
	def := a == b.lib.Default()
	var body strings.Builder
	body.WriteString("I brief you on **" + a.Title + "**")
	if d := a.Date(); d != "" {
		body.WriteString(" (" + d + ")")
	}
	body.WriteString(".\n\n**Read**\n")
	body.WriteString("Start with " + mk.Command(a.Sections[0].Name) + ", then pick a topic:\n")
	for i, s := range a.Sections {
		if i == 0 {
			continue
		}
		if i > 1 {
			body.WriteString(" ")
		}
		body.WriteString(mk.Command(s.Name))
	}
	if def {
		body.WriteString("\n" + mk.Command(CommandAbout) + " says where the article comes from.")
	} else {
		body.WriteString("\nThese are the sections of `article:" + a.ID + "`: add it to each command, like `/" + a.Sections[0].Name + " article:" + a.ID + "`.")
		body.WriteString("\n`/" + CommandAbout + " article:" + a.ID + "` says where it comes from.")
	}

	// Every other command registered, under its heading, in its own words
	// if it has some, else by its description.
	lines := map[HelpGroup][]string{}
	for _, c := range b.Commands() {
		if b.lib.IsSection(c.Name) || c.Name == CommandHelp || c.Name == CommandAbout {
			continue
		}
		line := "`/" + c.Name + "`: " + c.Description + "."
		if c.Help != nil {
			line = c.Help(src)
		}
		if line == "" {
			continue
		}
		group := c.Group
		if group != GroupRead && group != GroupDigests {
			group = GroupAsk
		}
		lines[group] = append(lines[group], b.mentionCommands(line, mk))
	}
	for _, line := range lines[GroupRead] {
		body.WriteString("\n" + line)
	}
	if others := b.otherArticles(a); others != "" {
		body.WriteString("\n\n" + others)
	}

	body.WriteString("\n\n**Ask**\n")
	switch src {
	case FromConsole:
		body.WriteString("Type a section name, with or without the slash, or ask a question in your own words. Options go after the name, like `/" + a.Sections[0].Name + " article:" + a.ID + "`. Type `next` or `previous` to turn pages, `quit` to leave.")
	case FromDM:
		body.WriteString("Type a section name, or ask a question in your own words and I'll find the section that answers it.")
	default:
		body.WriteString("Add `private:True` to any command to see the answer on your own. You can also DM me a question.")
	}
	for _, line := range lines[GroupAsk] {
		body.WriteString("\n" + line)
	}
	if len(lines[GroupDigests]) > 0 {
		body.WriteString("\n\n**Digests**")
		for _, line := range lines[GroupDigests] {
			body.WriteString("\n" + line)
		}
	}
	return &Reply{
		Title:  "What you can ask briefbot",
		Body:   body.String(),
		Footer: "briefbot · " + a.Label(),
		Menu:   SectionMenu(a, "", ComponentID{}),
	}
}

// otherArticles lists the articles besides a, each with the /help that
// lists its sections, as long as the list stays short enough for a reply.
func (b *Bot) otherArticles(a *Article) string {
	if len(b.lib.Articles()) < 2 {
		return ""
	}
	var lines []string
	for _, x := range b.lib.Articles() {
		if x == a {
			continue
		}
		line := "`/" + CommandHelp + " article:" + x.ID + "` " + Clip(x.Title, 80)
		if d := x.Date(); d != "" {
			line += " (" + d + ")"
		}
		if x == b.lib.Default() {
			line += ", the default"
		}
		lines = append(lines, "- "+line)
	}
	list := "**Other articles**\n" + strings.Join(lines, "\n")
	if Len(list) > 1500 {
		return "**Other articles:** use the `article` option (" + b.lib.ids() + ")."
	}
	return list
}

// mentionCommands writes each registered command that line names as code,
// "`/digest`" or "`/digest subscribe`", with mk, so that a reader on
// Discord can click it. Anything else in code, such as
// "`/summary article:x`", stays as it is.
func (b *Bot) mentionCommands(line string, mk Markup) string {
	if _, plain := mk.(PlainMarkup); plain {
		return line
	}
	var out strings.Builder
	for {
		i := strings.Index(line, "`/")
		if i < 0 {
			break
		}
		j := strings.IndexByte(line[i+2:], '`')
		if j < 0 {
			break
		}
		name := line[i+2 : i+2+j]
		out.WriteString(line[:i])
		if b.mentionable(name) {
			out.WriteString(mk.Command(name))
		} else {
			out.WriteString(line[i : i+3+j])
		}
		line = line[i+3+j:]
	}
	out.WriteString(line)
	return out.String()
}

// mentionable reports whether name is a registered command, or one and
// its subcommand ("digest subscribe").
func (b *Bot) mentionable(name string) bool {
	cmd, sub, hasSub := strings.Cut(name, " ")
	if !b.Has(cmd) {
		return false
	}
	return !hasSub || slices.Contains(b.subcommands(cmd), sub)
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
		Title:    a.Title,
		TitleURL: a.URL,
		Body:     aboutBody(a),
		Footer:   "briefbot · " + a.ID,
		Private:  private,
		Menu:     SectionMenu(a, "", ComponentID{}),
	}
	publisher := a.Publisher
	if publisher == "" {
		publisher = "Not known"
	}
	reply.Fields = append(reply.Fields, Field{Name: "Publisher", Value: publisher, Inline: true})
	if d := a.Date(); d != "" {
		reply.Fields = append(reply.Fields, Field{Name: "Published", Value: d, Inline: true})
	}
	if d := FormatDate(a.Updated); d != "" {
		reply.Fields = append(reply.Fields, Field{Name: "Updated", Value: d, Inline: true})
	}
	if a.Dateline != "" {
		reply.Fields = append(reply.Fields, Field{Name: "Dateline", Value: a.Dateline, Inline: true})
	}
	reply.Fields = append(reply.Fields, Field{Name: "Sections", Value: strconv.Itoa(len(a.Sections)), Inline: true})
	if len(a.Sources) > 0 {
		reply.Fields = append(reply.Fields, Field{Name: "Sources it cites", Value: strings.Join(a.Sources, ", ")})
	}
	return reply, nil
}

// aboutBody says where the story comes from — its publisher, author and
// date, or that the publisher is not known — and that every fact of the
// sections comes from this article.
func aboutBody(a *Article) string {
	var from strings.Builder
	date := a.Date()
	if date != "" {
		date = " on " + date
	}
	switch {
	case a.Publisher != "":
		from.WriteString("Published by **" + a.Publisher + "**" + date + ".")
	case a.Site() != "":
		from.WriteString("Published on **" + a.Site() + "**" + date + "; the publisher is not named.")
	default:
		from.WriteString("The publisher of this story is not known.")
		if line := strings.Trim(a.Dateline+", "+a.Date(), ", "); line != "" {
			from.WriteString(" It is dated " + line + ".")
		}
	}
	if a.Author != "" {
		from.WriteString(" Written by " + a.Author + ".")
	}
	if a.URL != "" {
		from.WriteString(" The title links to the original.")
	} else {
		from.WriteString(" briefbot has no link to the original.")
	}
	return from.String() + "\n\n" +
		"briefbot briefs you on it with sections its editors wrote for reading in Discord. " +
		"Every number, date, name and quote in them comes from this article, “" + Clip(a.Title, 120) + "”."
}
