package discord_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

// A click answered with a Modal opens it (callback type 9, its fields in
// action rows); its submission reaches the core as a KindModalSubmit with
// the fields' values, and the answer is a private message.
func TestModal(t *testing.T) {
	b := coreBot(t)
	modalID := bot.ComponentID{Action: bot.ActionReportSubmit, Article: "putin-maduro-2025", Section: "energy", Style: "simple"}.Encode()
	b.HandleComponent(bot.ActionReport, bot.HandlerFunc(func(context.Context, *bot.Request) (*bot.Reply, error) {
		return &bot.Reply{Modal: &bot.Modal{ID: modalID, Title: "Report a problem", Fields: []bot.TextField{{ID: "note", Label: "What is wrong? (optional)", MaxLength: 300}}}}, nil
	}))
	got := make(chan *bot.Request, 1)
	b.HandleComponent(bot.ActionReportSubmit, bot.HandlerFunc(func(_ context.Context, r *bot.Request) (*bot.Reply, error) {
		got <- r
		return &bot.Reply{Content: "Thanks for the report.", Private: true}, nil
	}))
	r := start(t, discordtest.New(t), b, b.Commands(), nil)
	ctx := waitCtx(t)

	click := r.fake.DispatchComponent(discordtest.Component{CustomID: "v1:rep:putin-maduro-2025:energy:0:simple:"})
	cb, err := r.fake.WaitCallback(ctx, click.ID)
	if err != nil {
		t.Fatal(err)
	}
	var modal struct {
		CustomID   string `json:"custom_id"`
		Title      string `json:"title"`
		Components []struct {
			Type       int `json:"type"`
			Components []struct {
				Type      int    `json:"type"`
				CustomID  string `json:"custom_id"`
				Label     string `json:"label"`
				Style     int    `json:"style"`
				Required  bool   `json:"required"`
				MaxLength int    `json:"max_length"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(cb.Data, &modal); err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackModal || modal.CustomID != modalID || modal.Title != "Report a problem" || len(modal.Components) != 1 ||
		len(modal.Components[0].Components) != 1 {
		t.Fatalf("callback %d %s", cb.Type, cb.Data)
	}
	if in := modal.Components[0].Components[0]; in.Type != 4 || in.CustomID != "note" || in.Style != 1 || in.Required || in.MaxLength != 300 {
		t.Errorf("text input %+v", in)
	}

	submit := r.fake.DispatchModalSubmit(discordtest.ModalSubmit{CustomID: modalID, MessageID: click.MessageID,
		Fields: []discordtest.ModalField{{ID: "note", Value: "  the figure is wrong "}}})
	cb, err = r.fake.WaitCallback(ctx, submit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackMessage || cb.Content != "Thanks for the report." || cb.Flags&discordtest.FlagEphemeral == 0 {
		t.Errorf("answer to the submission: type %d, flags %d, %q", cb.Type, cb.Flags, cb.Content)
	}
	req := <-got
	if req.Kind != bot.KindModalSubmit || req.CustomID != modalID || req.Options["note"] != "the figure is wrong" || req.User.ID == "" {
		t.Errorf("the core saw %+v", req)
	}
}
