package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
)

// A submitted modal is routed by the action of its ID, as a click is.
func TestModalSubmitRouted(t *testing.T) {
	b := newBot(t)
	var got *bot.Request
	b.HandleComponent(bot.ActionReportSubmit, bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		got = r
		return &bot.Reply{Content: "thanks", Private: true}, nil
	}))
	id := bot.ComponentID{Action: bot.ActionReportSubmit, Article: "putin-maduro-2025", Section: "energy", Style: "simple"}.Encode()
	reply, err := b.Answer(context.Background(), &bot.Request{Kind: bot.KindModalSubmit, CustomID: id, Options: map[string]string{"note": "wrong figure"}})
	if err != nil || reply.Content != "thanks" {
		t.Fatalf("Answer = %+v, %v", reply, err)
	}
	if got.Options["note"] != "wrong figure" {
		t.Errorf("the handler saw %+v", got)
	}
	_, err = b.Answer(context.Background(), &bot.Request{Kind: bot.KindModalSubmit, CustomID: "v0:old"})
	if bot.KindOf(err) != bot.Expired {
		t.Errorf("an unknown modal: %v, want Expired", err)
	}
}

func TestModalCheck(t *testing.T) {
	ok := &bot.Modal{ID: "v1:repsub:a:s:0:simple:", Title: "Report a problem", Fields: []bot.TextField{{ID: "note", Label: "What is wrong?", MaxLength: 300}}}
	if err := (&bot.Reply{Modal: ok}).Check(); err != nil {
		t.Errorf("a valid modal: %v", err)
	}
	for name, m := range map[string]bot.Modal{
		"no id":       {Title: "x", Fields: ok.Fields},
		"long title":  {ID: ok.ID, Title: strings.Repeat("x", 46), Fields: ok.Fields},
		"no fields":   {ID: ok.ID, Title: "x"},
		"long label":  {ID: ok.ID, Title: "x", Fields: []bot.TextField{{ID: "n", Label: strings.Repeat("x", 46)}}},
		"long values": {ID: ok.ID, Title: "x", Fields: []bot.TextField{{ID: "n", Label: "n", MaxLength: 4001}}},
	} {
		if err := (&bot.Reply{Modal: &m}).Check(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// With a handler for reports, a rephrased section carries a "Report a
// problem" button naming the rephrasing; the curated text carries none.
func TestReportButton(t *testing.T) {
	model := &rewritetest.Model{Model: "test-model"}
	model.Script = append(model.Script, model.Reply("**Energy, simply:** Russia wants to help Venezuela pump more oil. Production is under 1 million barrels daily.", 120))
	b := newRewritingBot(t, model, rewritetest.NewCache())
	b.HandleComponent(bot.ActionReport, bot.HandlerFunc(func(context.Context, *bot.Request) (*bot.Reply, error) { return nil, nil }))
	first := answer(t, b, command("energy", "style", "simple"))
	if id := reportID(first); id != "" {
		t.Errorf("the curated text, while the model works, carries %q", id)
	}
	final, err := first.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := final.Check(); err != nil {
		t.Fatal(err)
	}
	c, err := bot.ParseComponentID(reportID(final))
	want := bot.ComponentID{Action: bot.ActionReport, Article: "putin-maduro-2025", Section: "energy", Style: "simple"}
	if err != nil || c != want {
		t.Errorf("report button %+v, %v; want %+v", c, err, want)
	}
}

func reportID(r *bot.Reply) string {
	for _, row := range r.Buttons {
		for _, b := range row {
			if b.Label == "Report a problem" {
				return b.ID
			}
		}
	}
	return ""
}
