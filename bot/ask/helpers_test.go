package ask_test

import (
	"context"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/content"
)

func newLibrary(t testing.TB) *bot.Library {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// newBot is the core with the answerer, over the built-in article.
func newBot(t testing.TB, cfg ask.Config) *bot.Bot {
	t.Helper()
	b := bot.New(newLibrary(t), bot.Options{})
	if _, err := ask.Register(b, cfg); err != nil {
		t.Fatal(err)
	}
	return b
}

func answer(t testing.TB, h bot.Handler, r *bot.Request) *bot.Reply {
	t.Helper()
	reply, err := h.Answer(context.Background(), r)
	if err != nil {
		t.Fatalf("Answer(%+v): %v", r, err)
	}
	if err := reply.Check(); err != nil {
		t.Errorf("Answer(%q): the reply breaks Discord's limits: %v", r.Text+r.Target, err)
	}
	return reply
}

func dm(text string) *bot.Request {
	return &bot.Request{Kind: bot.KindText, Text: text, Source: bot.FromDM, User: bot.User{ID: "u1"}}
}
