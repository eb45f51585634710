package bot

import (
	"context"
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
	b.helpOnce.Do(func() {
		b.help = make(map[Source]*Reply)
		for _, src := range []Source{FromConsole, FromGuild, FromDM, FromDigest} {
			b.help[src] = b.helpReply(src)
		}
	})
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
	ask := ""
	if b.questions != nil {
		ask = ", or ask a question in your own words"
	}
	switch src {
	case FromConsole:
		body.WriteString("\n\nType a section name, with or without the slash" + ask + ". Options go after the name, like `/summary article:" + a.ID + "`. Type `next` or `previous` to turn pages, `quit` to leave.")
	case FromDM:
		if ask != "" {
			ask += " and I'll answer with what the article says"
		}
		body.WriteString("\n\nType a section name" + ask + ".")
	default:
		body.WriteString("\n\nAdd `private:True` to any command to see the answer on your own. You can also DM me a question.")
	}
	// Then every other command registered, in its own words if it has
	// some, else by its description.
	for _, c := range b.Commands() {
		if b.lib.IsSection(c.Name) || c.Name == CommandHelp || c.Name == CommandAbout {
			continue
		}
		line := "`/" + c.Name + "`: " + c.Description + "."
		if c.Help != nil {
			line = c.Help(src)
		}
		if line != "" {
			body.WriteString("\n" + line)
		}
	}
	if len(b.lib.Articles()) > 1 {
		body.WriteString("\nOther articles: use the `article` option (" + b.lib.ids() + ").")
	}
	return &Reply{
		Title:  "What you can ask briefbot",
		Body:   body.String(),
		Footer: "briefbot · " + a.Title,
		Menu:   SectionMenu(a, "", ComponentID{}),
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
