package bot

import (
	"context"
	"sync/atomic"
)

// Live is a Handler that answers with the current Bot, which Swap replaces
// while requests are being answered: how new content takes effect without
// a restart. A transport keeps one Live for its whole life; each request
// is answered entirely by the Bot that was current when it arrived, so a
// reply is never half old content and half new, and no request is
// dropped by a swap. Buttons carry the article and section by name, so
// those of a message sent before a swap open the new content.
type Live struct {
	cur atomic.Pointer[Bot]
}

// NewLive returns a Live answering with b.
func NewLive(b *Bot) *Live {
	l := &Live{}
	l.cur.Store(b)
	return l
}

// Bot returns the current Bot.
func (l *Live) Bot() *Bot { return l.cur.Load() }

// Swap makes b the current Bot and returns the one it replaces.
func (l *Live) Swap(b *Bot) (old *Bot) { return l.cur.Swap(b) }

// Answer answers r with the current Bot.
func (l *Live) Answer(ctx context.Context, r *Request) (*Reply, error) {
	return l.cur.Load().Answer(ctx, r)
}
