package discord

import (
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// Markup is how Discord shows what the core's replies name: a moment as
// <t:…:f> (<t:…:R>), in each reader's own time zone and with how far off it
// is, a channel as <#id>, a link to it, a command as </name:id>, which the
// reader can click, and a role as <@&id>. Every request from Discord
// carries it; Client.Markup knows the ids of the registered commands.
type Markup struct{ ids *commandIDs }

var _ bot.Markup = Markup{}

// Time is t as Discord shows it to each reader: "<t:1772436600:f>
// (<t:1772436600:R>)".
func (Markup) Time(t time.Time) string {
	u := strconv.FormatInt(t.Unix(), 10)
	return "<t:" + u + ":f> (<t:" + u + ":R>)"
}

// Channel is a mention of the channel: "<#id>".
func (Markup) Channel(id string) string { return "<#" + id + ">" }

// Command is a mention of the command, "</digest subscribe:id>", when its
// id is known; else the command as code.
func (m Markup) Command(name string) string {
	top, _, _ := strings.Cut(name, " ")
	if id := m.ids.id(top); id != "" {
		return "</" + name + ":" + id + ">"
	}
	return bot.PlainMarkup{}.Command(name)
}

// Role is a mention of the role, "<@&id>": it shows the role's name, and
// pings nobody unless a message's allowed mentions say so.
func (Markup) Role(id string) string { return "<@&" + id + ">" }

// EmbedColour is briefbot's accent on every embed: the colour bar at its
// left edge. The preview draws the same.
const EmbedColour = 0x3B6EA8

// noMentions suppresses every ping. The zero value of
// MessageAllowedMentions would send "parse":null, which suppresses
// nothing; an empty, non-nil Parse sends "parse":[].
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// renderEmbeds turns a reply's title, body, fields and footer into at most
// one embed; a reply with only Content has none. The slice is never nil, so
// an edit clears an earlier embed.
func renderEmbeds(r *bot.Reply) []*discordgo.MessageEmbed {
	if r.Title == "" && r.Body == "" && len(r.Fields) == 0 {
		return []*discordgo.MessageEmbed{}
	}
	e := &discordgo.MessageEmbed{Title: r.Title, URL: r.TitleURL, Description: r.Body, Color: EmbedColour}
	for _, f := range r.Fields {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: f.Name, Value: f.Value, Inline: f.Inline})
	}
	if r.Footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: r.Footer}
	}
	return []*discordgo.MessageEmbed{e}
}

// renderComponents turns buttons and the menu into action rows. Never nil,
// so that an edit clears earlier components.
func renderComponents(r *bot.Reply) []discordgo.MessageComponent {
	rows := []discordgo.MessageComponent{}
	for _, row := range r.Buttons {
		var buttons []discordgo.MessageComponent
		for _, b := range row {
			style := discordgo.SecondaryButton
			if b.Style == bot.Primary {
				style = discordgo.PrimaryButton
			}
			buttons = append(buttons, discordgo.Button{Label: b.Label, Style: style, CustomID: b.ID, Disabled: b.Disabled})
		}
		rows = append(rows, discordgo.ActionsRow{Components: buttons})
	}
	if m := r.Menu; m != nil {
		menu := discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: m.ID, Placeholder: m.Placeholder}
		for _, o := range m.Options {
			menu.Options = append(menu.Options, discordgo.SelectMenuOption{Label: o.Label, Value: o.Value, Description: o.Description, Default: o.Default})
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{menu}})
	}
	return rows
}

// responseData is a reply as an interaction callback's data.
func responseData(r *bot.Reply) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Content:         r.Content,
		Embeds:          renderEmbeds(r),
		Components:      renderComponents(r),
		AllowedMentions: noMentions(),
	}
	if r.Private {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// webhookEdit is a reply as an edit of the original interaction response.
func webhookEdit(r *bot.Reply) *discordgo.WebhookEdit {
	content, embeds, components := r.Content, renderEmbeds(r), renderComponents(r)
	return &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions()}
}

// webhookParams is a reply as a follow-up message.
func webhookParams(r *bot.Reply) *discordgo.WebhookParams {
	p := &discordgo.WebhookParams{
		Content:         r.Content,
		Embeds:          renderEmbeds(r),
		Components:      renderComponents(r),
		AllowedMentions: noMentions(),
	}
	if r.Private {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	return p
}

// messageSend is a reply as a channel message, e.g. an answer to a DM.
func messageSend(r *bot.Reply) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         r.Content,
		Embeds:          renderEmbeds(r),
		Components:      renderComponents(r),
		AllowedMentions: noMentions(),
	}
}

// modalData is a reply's modal as an interaction callback's data.
func modalData(m *bot.Modal) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{CustomID: m.ID, Title: m.Title}
	for _, f := range m.Fields {
		style := discordgo.TextInputShort
		if f.Paragraph {
			style = discordgo.TextInputParagraph
		}
		d.Components = append(d.Components, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{CustomID: f.ID, Label: f.Label, Style: style, Placeholder: f.Placeholder, Required: f.Required, MaxLength: f.MaxLength},
		}})
	}
	return d
}

// pinging is m with a mention of one role first, which pings that role
// and nobody else: allowed mentions {"parse":[],"roles":[id]}, never
// everyone or here.
func pinging(m *discordgo.MessageSend, roleID string) *discordgo.MessageSend {
	if roleID == "" {
		return m
	}
	m.Content = strings.TrimSpace(Markup{}.Role(roleID) + "\n" + m.Content)
	m.AllowedMentions = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Roles: []string{roleID}}
	return m
}

// errorReply is what a person sees when their request failed: a short
// message only they can see.
func errorReply(err error) *bot.Reply {
	return &bot.Reply{Content: bot.UserMessage(err), Private: true}
}
