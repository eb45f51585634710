package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
)

// digestPoster posts the scheduler's digests with the Discord client and
// tells it what a failure means: pause, wait, or retry.
type digestPoster struct{ client *discord.Client }

func (p digestPoster) Post(ctx context.Context, d digest.Delivery[*bot.Reply]) (string, error) {
	id, err := p.client.Post(ctx, discord.Post{ChannelID: d.ChannelID, UserID: d.UserID, Reply: d.Payload, Nonce: d.Nonce, Paced: true})
	var pe *discord.PostError
	if errors.As(err, &pe) {
		return "", &digest.PostError{Permanent: pe.Permanent, Reason: pe.Reason, RetryAfter: pe.RetryAfter, Global: pe.Global, Err: err}
	}
	return id, err
}

// newScheduler makes the digest scheduler of `briefbot run`, posting the
// digests compose makes.
func newScheduler(c *Config, e env, log *slog.Logger, store bot.Store, client *discord.Client, compose digest.Composer[*bot.Reply]) *digest.Scheduler[*bot.Reply] {
	return digest.New(store, digestPoster{client}, compose, digest.Options{
		Clock:  e.now(),
		Logger: log.With("component", "digest"),
		Owner:  ownerID(c),
		Grace:  c.DigestGrace,
		Rate:   c.digestRate(),
		OnIdle: e.digestIdle,
	})
}

// ownerID names this process in the claims it takes on digest slots:
// unique to each process and each run, and readable in the database and
// the logs ("host/pid/shard/random").
func ownerID(c *Config) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "briefbot"
	}
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/shard%d/%s", host, os.Getpid(), c.ShardID, hex.EncodeToString(b))
}
