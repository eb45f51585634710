package discord

import (
	"encoding/json"

	"github.com/bwmarrin/discordgo"
	gojson "github.com/goccy/go-json"
)

// The endpoint writes a response on every request, and encoding/json
// spends most of its time on discordgo's components: each marshals itself
// through json.Marshal, and the encoder compacts what each returns, level
// by level. The types below are the same JSON, field for field and in the
// same order, as plain structs, which go-json writes in one pass and
// byte for byte as encoding/json would.
// wireResponse returns nil for anything it does not mirror (files, polls,
// attachments, components other than rows of buttons and menus, such as
// a modal's text inputs), which is then encoded as discordgo does it.

type wireResponseBody struct {
	Type discordgo.InteractionResponseType `json:"type,omitempty"`
	Data *wireData                         `json:"data,omitempty"`
}

type wireData struct {
	TTS             bool                                        `json:"tts"`
	Content         string                                      `json:"content"`
	Components      []wireRow                                   `json:"components"`
	Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
	AllowedMentions *discordgo.MessageAllowedMentions           `json:"allowed_mentions,omitempty"`
	Flags           discordgo.MessageFlags                      `json:"flags,omitempty"`
	Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices,omitempty"`
	CustomID        string                                      `json:"custom_id,omitempty"`
	Title           string                                      `json:"title,omitempty"`
}

// wireRow is an action row of buttons or of one menu; exactly one of its
// slices is set, the other nil, as the JSON of a row holds one list.
type wireRow struct {
	Components any                     `json:"components"`
	Type       discordgo.ComponentType `json:"type"`
}

type wireButton struct {
	Label    string                    `json:"label"`
	Style    discordgo.ButtonStyle     `json:"style"`
	Disabled bool                      `json:"disabled"`
	Emoji    *discordgo.ComponentEmoji `json:"emoji,omitempty"`
	URL      string                    `json:"url,omitempty"`
	CustomID string                    `json:"custom_id,omitempty"`
	SKUID    string                    `json:"sku_id,omitempty"`
	ID       int                       `json:"id,omitempty"`
	Type     discordgo.ComponentType   `json:"type"`
}

type wireMenu struct {
	CustomID      string                             `json:"custom_id,omitempty"`
	Placeholder   string                             `json:"placeholder"`
	MinValues     *int                               `json:"min_values,omitempty"`
	MaxValues     int                                `json:"max_values,omitempty"`
	DefaultValues []discordgo.SelectMenuDefaultValue `json:"default_values,omitempty"`
	Options       []discordgo.SelectMenuOption       `json:"options,omitempty"`
	Disabled      bool                               `json:"disabled"`
	ChannelTypes  []discordgo.ChannelType            `json:"channel_types,omitempty"`
	ID            int                                `json:"id,omitempty"`
	Type          discordgo.ComponentType            `json:"type"`
}

// encodeResponse is r as Discord reads it, and as json.Marshal writes it.
func encodeResponse(r *discordgo.InteractionResponse) ([]byte, error) {
	if w := wireResponse(r); w != nil {
		return gojson.Marshal(w)
	}
	return json.Marshal(r)
}

// wireResponse mirrors r, or returns nil if it holds what the mirror does
// not.
func wireResponse(r *discordgo.InteractionResponse) *wireResponseBody {
	w := &wireResponseBody{Type: r.Type}
	d := r.Data
	if d == nil {
		return w
	}
	if d.Files != nil || d.Attachments != nil || d.Poll != nil {
		return nil
	}
	w.Data = &wireData{TTS: d.TTS, Content: d.Content, Embeds: d.Embeds, AllowedMentions: d.AllowedMentions, Flags: d.Flags, Choices: d.Choices, CustomID: d.CustomID, Title: d.Title}
	if d.Components != nil {
		w.Data.Components = make([]wireRow, 0, len(d.Components))
	}
	for _, c := range d.Components {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			return nil
		}
		wr, ok := wireActionsRow(row)
		if !ok {
			return nil
		}
		w.Data.Components = append(w.Data.Components, wr)
	}
	return w
}

func wireActionsRow(row discordgo.ActionsRow) (wireRow, bool) {
	w := wireRow{Type: discordgo.ActionsRowComponent}
	if row.Components == nil {
		return w, true // "components":null, as discordgo writes it
	}
	var buttons []wireButton
	var menus []wireMenu
	for _, c := range row.Components {
		switch x := c.(type) {
		case discordgo.Button:
			if x.Style == 0 {
				x.Style = discordgo.PrimaryButton
			}
			buttons = append(buttons, wireButton{Label: x.Label, Style: x.Style, Disabled: x.Disabled, Emoji: x.Emoji, URL: x.URL, CustomID: x.CustomID, SKUID: x.SKUID, ID: x.ID, Type: x.Type()})
		case discordgo.SelectMenu:
			menus = append(menus, wireMenu{CustomID: x.CustomID, Placeholder: x.Placeholder, MinValues: x.MinValues, MaxValues: x.MaxValues, DefaultValues: x.DefaultValues, Options: x.Options, Disabled: x.Disabled, ChannelTypes: x.ChannelTypes, ID: x.ID, Type: x.Type()})
		default:
			return w, false
		}
	}
	switch {
	case len(menus) == 0:
		w.Components = buttons
	case len(buttons) == 0:
		w.Components = menus
	default:
		return w, false // a row mixing both: leave it to discordgo
	}
	return w, true
}
