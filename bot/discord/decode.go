package discord

import (
	"encoding/json"

	"github.com/bwmarrin/discordgo"
	gojson "github.com/goccy/go-json"
)

// wireInteraction is discordgo.Interaction with its data still raw, as
// discordgo decodes it first too. The endpoint decodes one on every
// request; go-json does it in a third of encoding/json's time, which the
// profile of serve put at a third of a request's.
type wireInteraction struct {
	ID                           string                                          `json:"id"`
	AppID                        string                                          `json:"application_id"`
	Type                         discordgo.InteractionType                       `json:"type"`
	Data                         json.RawMessage                                 `json:"data"`
	GuildID                      string                                          `json:"guild_id"`
	ChannelID                    string                                          `json:"channel_id"`
	Message                      *discordgo.Message                              `json:"message"`
	AppPermissions               int64                                           `json:"app_permissions,string"`
	Member                       *discordgo.Member                               `json:"member"`
	User                         *discordgo.User                                 `json:"user"`
	Locale                       discordgo.Locale                                `json:"locale"`
	GuildLocale                  *discordgo.Locale                               `json:"guild_locale"`
	Context                      discordgo.InteractionContextType                `json:"context"`
	AuthorizingIntegrationOwners map[discordgo.ApplicationIntegrationType]string `json:"authorizing_integration_owners"`
	Token                        string                                          `json:"token"`
	Version                      int                                             `json:"version"`
	Entitlements                 []*discordgo.Entitlement                        `json:"entitlements"`
}

// decodeInteraction decodes an interaction as discordgo.Interaction's
// UnmarshalJSON does, field for field.
func decodeInteraction(body []byte, i *discordgo.Interaction) error {
	var w wireInteraction
	if err := gojson.Unmarshal(body, &w); err != nil {
		return err
	}
	*i = discordgo.Interaction{
		ID: w.ID, AppID: w.AppID, Type: w.Type, GuildID: w.GuildID, ChannelID: w.ChannelID, Message: w.Message,
		AppPermissions: w.AppPermissions, Member: w.Member, User: w.User, Locale: w.Locale, GuildLocale: w.GuildLocale,
		Context: w.Context, AuthorizingIntegrationOwners: w.AuthorizingIntegrationOwners, Token: w.Token, Version: w.Version,
		Entitlements: w.Entitlements,
	}
	var err error
	switch w.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		var d discordgo.ApplicationCommandInteractionData
		err = gojson.Unmarshal(w.Data, &d)
		i.Data = d
	case discordgo.InteractionMessageComponent:
		var d discordgo.MessageComponentInteractionData
		err = gojson.Unmarshal(w.Data, &d)
		i.Data = d
	case discordgo.InteractionModalSubmit:
		var d discordgo.ModalSubmitInteractionData
		err = gojson.Unmarshal(w.Data, &d)
		i.Data = d
	}
	return err
}
