package discord

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// maxOptionValue bounds, in characters, what an option may hold before
// the core sees it. Discord allows 6000 in a string option; nothing
// briefbot asks for needs more than this (a question takes up to 500, and
// the answerer itself says when one is longer).
const maxOptionValue = 600

// maxTarget bounds the text of a message command's target: Discord's own
// limit for a message.
const maxTarget = 4000

// interactionRequest turns an interaction into the core's Request.
func interactionRequest(i *discordgo.Interaction) (*bot.Request, error) {
	r := &bot.Request{ChannelID: i.ChannelID, GuildID: i.GuildID, Locale: string(i.Locale), Source: bot.FromDM, Markup: Markup{}}
	if i.GuildID != "" {
		r.Source, r.AppPermissions = bot.FromGuild, bot.Permissions(i.AppPermissions)
	}
	switch {
	case i.Member != nil && i.Member.User != nil:
		r.User = bot.User{ID: i.Member.User.ID, Name: i.Member.User.Username}
		r.Permissions = bot.Permissions(i.Member.Permissions)
	case i.User != nil:
		r.User = bot.User{ID: i.User.ID, Name: i.User.Username}
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		data := i.ApplicationCommandData()
		r.Kind = bot.KindCommand
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			r.Kind = bot.KindAutocomplete
		}
		r.Command = data.Name
		if data.Resolved != nil && len(data.Resolved.Roles) > 0 {
			r.Roles = make(map[string]bot.Role, len(data.Resolved.Roles))
			for id, role := range data.Resolved.Roles {
				if role != nil {
					r.Roles[id] = bot.Role{ID: id, Name: role.Name, Mentionable: role.Mentionable}
				}
			}
		}
		switch data.CommandType {
		case 0, discordgo.ChatApplicationCommand:
		case discordgo.MessageApplicationCommand:
			// The picked message is in resolved, content and all: a
			// message command may read it without MESSAGE_CONTENT.
			if data.Resolved != nil {
				if m := data.Resolved.Messages[data.TargetID]; m != nil {
					r.Target = m.Content
				}
			}
			if utf8.RuneCountInString(r.Target) > maxTarget {
				r.Target = string([]rune(r.Target)[:maxTarget])
			}
		default:
			return r, bot.Errorf(bot.Invalid, "briefbot does not handle this kind of command.")
		}
		opts := data.Options
		if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
			r.Subcommand, opts = opts[0].Name, opts[0].Options
		}
		r.Options = make(map[string]string, len(opts))
		for _, o := range opts {
			v, err := optionValue(o)
			if err != nil {
				return r, err
			}
			r.Options[o.Name] = v
			if o.Focused {
				r.Focused = o.Name
			}
		}
	case discordgo.InteractionMessageComponent:
		data := i.MessageComponentData()
		r.Kind, r.CustomID, r.Values = bot.KindComponent, data.CustomID, data.Values
	case discordgo.InteractionModalSubmit:
		data := i.ModalSubmitData()
		r.Kind, r.CustomID, r.Options = bot.KindModalSubmit, data.CustomID, map[string]string{}
		for _, c := range data.Components {
			row, ok := c.(*discordgo.ActionsRow)
			if !ok {
				continue
			}
			for _, c := range row.Components {
				if in, ok := c.(*discordgo.TextInput); ok {
					if len(in.Value) > bot.MaxTextFieldValue*4 {
						return r, bot.Errorf(bot.Invalid, "That is too long; keep it under %d characters.", bot.MaxTextFieldValue)
					}
					r.Options[in.CustomID] = strings.TrimSpace(in.Value)
				}
			}
		}
	default:
		return r, bot.Errorf(bot.Invalid, "briefbot does not handle this kind of interaction.")
	}
	return r, nil
}

func optionValue(o *discordgo.ApplicationCommandInteractionDataOption) (string, error) {
	var v string
	switch x := o.Value.(type) {
	case string:
		v = x
	case bool:
		v = strconv.FormatBool(x)
	case float64:
		v = strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		v = ""
	default:
		v = fmt.Sprint(x)
	}
	if n := utf8.RuneCountInString(v); n > maxOptionValue {
		return "", bot.Errorf(bot.Invalid, "The %s option is too long (%d characters); keep it under %d.", o.Name, n, maxOptionValue)
	}
	return strings.TrimSpace(v), nil
}

// messageRequest turns a direct message into a text request.
func messageRequest(m *discordgo.Message) *bot.Request {
	return &bot.Request{
		Kind:      bot.KindText,
		Text:      m.Content,
		Source:    bot.FromDM,
		ChannelID: m.ChannelID,
		User:      bot.User{ID: m.Author.ID, Name: m.Author.Username},
		Markup:    Markup{},
	}
}
