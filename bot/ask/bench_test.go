package ask_test

import (
	"context"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/ask"
)

// BenchmarkAsk answers a DM question end to end through the core: the
// text grammar, the answerer and the reply.
func BenchmarkAsk(b *testing.B) {
	bt := newBot(b, ask.Config{})
	qs := []string{"what about the oil?", "oil and weapons, what's the plan for both?", "whats the oil price today", "¿qué pasa con el petróleo?"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := bt.Answer(context.Background(), &bot.Request{Kind: bot.KindText, Text: qs[i%len(qs)], Source: bot.FromDM}); err != nil {
			b.Fatal(err)
		}
	}
}
