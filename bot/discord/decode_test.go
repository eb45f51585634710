package discord

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// decodeInteraction must read every kind of interaction as discordgo's
// own UnmarshalJSON does.
func TestDecodeInteraction(t *testing.T) {
	summary, err := os.ReadFile("testdata/http/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	user := `"member":{"user":{"id":"300","username":"reader","global_name":"R"},"permissions":"2048","roles":["1"],"joined_at":"2024-01-02T10:11:12.131415+00:00","nick":"n"}`
	for name, body := range map[string]string{
		"summary":      string(summary),
		"options":      `{"id":"1","application_id":"2","type":2,"token":"t","version":1,"guild_id":"4","channel_id":"5","locale":"es-ES",` + user + `,"data":{"id":"6","name":"digest","type":1,"options":[{"name":"subscribe","type":1,"options":[{"name":"time","type":3,"value":"08:00"},{"name":"id","type":4,"value":3},{"name":"private","type":5,"value":true}]}]}}`,
		"autocomplete": `{"id":"1","application_id":"2","type":4,"token":"t","version":1,"channel_id":"5","user":{"id":"300","username":"reader"},"context":1,"authorizing_integration_owners":{"0":"0","1":"300"},"data":{"id":"6","name":"energy","type":1,"options":[{"name":"article","type":3,"value":"pu","focused":true}]}}`,
		"click":        `{"id":"1","application_id":"2","type":3,"token":"t","version":1,"guild_id":"4","channel_id":"5",` + user + `,"app_permissions":"19456","message":{"id":"9","channel_id":"5","content":"x","author":{"id":"100","bot":true},"components":[{"type":1,"components":[{"type":2,"style":2,"label":"Next","custom_id":"v1:page:a:b:1"}]}],"embeds":[{"title":"T","description":"D","color":3894952}]},"data":{"custom_id":"v1:pick:a::0","component_type":3,"values":["energy"]}}`,
		"modal":        `{"id":"1","application_id":"2","type":5,"token":"t","version":1,"channel_id":"5","user":{"id":"300","username":"reader"},"data":{"custom_id":"v1:report","components":[{"type":1,"components":[{"type":4,"custom_id":"why","value":"wrong figure"}]}]}}`,
		"ping":         `{"id":"1","application_id":"2","type":1,"token":"t","version":1}`,
		// The message command reads the picked message from resolved, and
		// a role option the role.
		"message command": `{"id":"1","application_id":"2","type":2,"token":"t","version":1,"guild_id":"4","channel_id":"5",` + user + `,"data":{"id":"6","name":"Answer from the article","type":3,"target_id":"9","resolved":{"messages":{"9":{"id":"9","channel_id":"5","content":"is russia sending them weapons?","author":{"id":"301","username":"someone"},"timestamp":"2026-03-02T09:00:00+00:00"}}}}}`,
		"role option":     `{"id":"1","application_id":"2","type":2,"token":"t","version":1,"guild_id":"4","channel_id":"5",` + user + `,"data":{"id":"6","name":"digest","type":1,"options":[{"name":"subscribe","type":1,"options":[{"name":"ping","type":8,"value":"77"}]}],"resolved":{"roles":{"77":{"id":"77","name":"readers","mentionable":true,"permissions":"0"}}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var want, got discordgo.Interaction
			if err := json.Unmarshal([]byte(body), &want); err != nil {
				t.Fatal(err)
			}
			if err := decodeInteraction([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// encodeResponse must write what json.Marshal writes of discordgo's types.
func TestEncodeResponse(t *testing.T) {
	energy, err := builtinBot(t).Answer(context.Background(), &bot.Request{Kind: bot.KindCommand, Command: "energy"})
	if err != nil {
		t.Fatal(err)
	}
	b := energy
	b.Fields = []bot.Field{{Name: "<Who>", Value: "Putin & Maduro", Inline: true}}
	errTest := bot.Errorf(bot.Invalid, "That did not work.")
	for name, r := range map[string]*discordgo.InteractionResponse{
		"message":  {Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(b)},
		"private":  {Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(errorReply(errTest))},
		"deferred": {Type: discordgo.InteractionResponseDeferredChannelMessageWithSource},
		"update":   {Type: discordgo.InteractionResponseUpdateMessage, Data: responseData(b)},
		"choices":  {Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a <b> & c", Value: "x"}}}},
		"modal": {Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{CustomID: "m", Title: "Report", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "why", Label: "Why", Style: discordgo.TextInputParagraph}}},
		}}},
	} {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeResponse(r)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: encoded\n%s (%v)\nwant\n%s", name, got, err, want)
		}
	}
}
