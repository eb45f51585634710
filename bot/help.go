package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

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
		reply.Choices = append(reply.Choices, Choice{Name: Clip(name, MaxDescription), Value: a.ID})
	}
	return reply
}

func (b *Bot) answerHelp(ctx context.Context, r *Request) (*Reply, error) {
	private, err := r.Bool(OptPrivate)
	if err != nil {
		return nil, err
	}
	var reply Reply
	if r.Markup == nil {
		// Plain help is the same for every request from a source: build
		// it once, at the first /help, when every command is registered.
		b.helpOnce.Do(func() {
			b.help = make(map[Source]*Reply)
			for _, src := range []Source{FromConsole, FromGuild, FromDM, FromDigest} {
				b.help[src] = b.helpReply(src, PlainMarkup{})
			}
		})
		reply = *b.help[r.Source]
	} else {
		reply = *b.helpReply(r.Source, r.Markup)
	}
	reply.Private = private
	return &reply, nil
}

// helpReply is /help for readers where src says, naming commands with mk:
// what to read, how to ask, and the digests, each under its heading.
func (b *Bot) helpReply(src Source, mk Markup) *Reply {
	a := b.lib.Default()
	var body strings.Builder
	body.WriteString("I brief you on **" + a.Title + "**")
	if d := a.Date(); d != "" {
		body.WriteString(" (" + d + ")")
	}
	body.WriteString(".\n\n**Read**\n")
	body.WriteString("Start with " + mk.Command(a.Sections[0].Name) + ", then pick a topic:\n")
	for i, s := range b.lib.Sections() {
		if i == 0 {
			continue
		}
		if i > 1 {
			body.WriteString(" ")
		}
		body.WriteString(mk.Command(s.Name))
	}
	body.WriteString("\n" + mk.Command(CommandAbout) + " says where the article comes from.")

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
	if len(b.lib.Articles()) > 1 {
		body.WriteString("\nOther articles: use the `article` option (" + b.lib.ids() + ").")
	}

	body.WriteString("\n\n**Ask**\n")
	switch src {
	case FromConsole:
		body.WriteString("Type a section name, with or without the slash, or ask a question in your own words. Options go after the name, like `/summary article:" + a.ID + "`. Type `next` or `previous` to turn pages, `quit` to leave.")
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
		Footer: "briefbot · " + a.Title,
		Menu:   SectionMenu(a, "", ComponentID{}),
	}
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
		Title: a.Title,
		Body: "briefbot answers questions about this article with sections written by its editors for reading in Discord. " +
			"Every number, date, name and quote in them comes from the article.",
		Footer:  "briefbot · " + a.ID,
		Private: private,
		Menu:    SectionMenu(a, "", ComponentID{}),
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
