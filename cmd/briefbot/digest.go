package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"

	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
)

// digestPoster posts the scheduler's digests with the Discord client,
// paced by the scheduler. A failure says itself what it means, pause,
// wait or retry: discord.PostError is a digest.PostFailure.
type digestPoster struct{ client *discord.Client }

func (p digestPoster) Post(ctx context.Context, d digest.Delivery) (string, error) {
	return p.client.Post(ctx, discord.Post{ChannelID: d.ChannelID, UserID: d.UserID, Reply: d.Reply, Nonce: d.Nonce, Paced: true, MentionRoleID: d.MentionRoleID})
}

// Publish publishes a posted digest from its announcement channel.
func (p digestPoster) Publish(ctx context.Context, d digest.Delivery, messageID string) error {
	return p.client.Publish(ctx, d.ChannelID, messageID)
}

var (
	_ digest.PostFailure   = (*discord.PostError)(nil)
	_ digest.Sender        = (*discord.Client)(nil)
	_ digest.Announcements = (*discord.Client)(nil)
	_ digest.Publisher     = digestPoster{}
)

// newScheduler makes the digest scheduler of `briefbot run`, posting the
// digests compose makes.
func newScheduler(c *Config, e env, log *slog.Logger, store digest.Slots, client *discord.Client, compose digest.ComposeFunc) *digest.Scheduler {
	var obs digest.Observer
	if e.metrics != nil {
		obs = e.metrics
	}
	return digest.NewScheduler(store, digestPoster{client}, compose, digest.Options{
		Clock:    e.now(),
		Logger:   log.With("component", "digest"),
		Owner:    ownerID(c),
		Grace:    c.DigestGrace,
		Rate:     c.digestRate(),
		Observer: obs,
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
