package discord

import (
	"encoding/json"
	"reflect"
	"slices"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// applicationCommands turns the core's commands into Discord's slash
// commands. Global commands declare where they may be used — servers, DMs
// with the bot and other private channels — and that both servers and users
// may install the app.
func applicationCommands(cmds []bot.Command, global bool) []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(cmds))
	for _, c := range cmds {
		ac := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        c.Name,
			Description: c.Description,
			Options:     commandOptions(c.Options),
		}
		if c.Permissions != 0 {
			p := int64(c.Permissions)
			ac.DefaultMemberPermissions = &p
		}
		if global {
			contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel}
			integrations := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall}
			ac.Contexts, ac.IntegrationTypes = &contexts, &integrations
		}
		out = append(out, ac)
	}
	return out
}

func commandOptions(opts []bot.CommandOption) []*discordgo.ApplicationCommandOption {
	var out []*discordgo.ApplicationCommandOption
	for _, o := range opts {
		do := &discordgo.ApplicationCommandOption{
			Type:         optionType(o.Type),
			Name:         o.Name,
			Description:  o.Description,
			Required:     o.Required,
			Autocomplete: o.Autocomplete,
			MaxLength:    o.MaxLength,
			Options:      commandOptions(o.Options),
		}
		for _, ch := range o.Choices {
			do.Choices = append(do.Choices, &discordgo.ApplicationCommandOptionChoice{Name: ch.Name, Value: ch.Value})
		}
		if o.Type == bot.OptionChannel {
			do.ChannelTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}
		}
		out = append(out, do)
	}
	return out
}

func optionType(t bot.OptionType) discordgo.ApplicationCommandOptionType {
	switch t {
	case bot.OptionBool:
		return discordgo.ApplicationCommandOptionBoolean
	case bot.OptionInteger:
		return discordgo.ApplicationCommandOptionInteger
	case bot.OptionChannel:
		return discordgo.ApplicationCommandOptionChannel
	case bot.OptionSubcommand:
		return discordgo.ApplicationCommandOptionSubCommand
	case bot.OptionRole:
		return discordgo.ApplicationCommandOptionRole
	}
	return discordgo.ApplicationCommandOptionString
}

// canonical is the part of a command that registration sets, in a form
// where Discord's omissions (no choices, no contexts on guild commands, a
// description of "" for subcommand groups) and ours compare equal.
type canonical struct {
	Name, Description string
	Permissions       string
	Contexts          []int
	Integrations      []int
	Options           []canonicalOption
}

type canonicalOption struct {
	Type                   int
	Name, Description      string
	Required, Autocomplete bool
	MaxLength              int
	Choices                []string
	ChannelTypes           []int
	Options                []canonicalOption
}

func canon(c *discordgo.ApplicationCommand) canonical {
	k := canonical{Name: c.Name, Description: c.Description, Options: canonOptions(c.Options)}
	if c.DefaultMemberPermissions != nil {
		k.Permissions = jsonString(*c.DefaultMemberPermissions)
	}
	if c.Contexts != nil {
		for _, x := range *c.Contexts {
			k.Contexts = append(k.Contexts, int(x))
		}
		slices.Sort(k.Contexts)
	}
	if c.IntegrationTypes != nil {
		for _, x := range *c.IntegrationTypes {
			k.Integrations = append(k.Integrations, int(x))
		}
		slices.Sort(k.Integrations)
	}
	return k
}

func canonOptions(opts []*discordgo.ApplicationCommandOption) []canonicalOption {
	var out []canonicalOption
	for _, o := range opts {
		co := canonicalOption{Type: int(o.Type), Name: o.Name, Description: o.Description, Required: o.Required, Autocomplete: o.Autocomplete, MaxLength: o.MaxLength, Options: canonOptions(o.Options)}
		for _, ch := range o.Choices {
			co.Choices = append(co.Choices, ch.Name+"="+jsonString(ch.Value))
		}
		for _, t := range o.ChannelTypes {
			co.ChannelTypes = append(co.ChannelTypes, int(t))
		}
		slices.Sort(co.ChannelTypes)
		out = append(out, co)
	}
	return out
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// sameCommands reports whether Discord already has exactly the commands we
// would register, in any order, so that registration can be skipped.
func sameCommands(have, want []*discordgo.ApplicationCommand) bool {
	if len(have) != len(want) {
		return false
	}
	byName := make(map[string]canonical, len(have))
	for _, c := range have {
		byName[c.Name] = canon(c)
	}
	for _, c := range want {
		h, ok := byName[c.Name]
		if !ok {
			return false
		}
		// Discord fills in defaults for what guild commands leave unset.
		if c.Contexts == nil {
			h.Contexts = nil
		}
		if c.IntegrationTypes == nil {
			h.Integrations = nil
		}
		if !reflect.DeepEqual(h, canon(c)) {
			return false
		}
	}
	return true
}
