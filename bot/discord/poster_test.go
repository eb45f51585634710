package discord_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

func newClient(t testing.TB, fake *discordtest.Server) *discord.Client {
	t.Helper()
	c, err := discord.NewClient(discord.Config{Token: fake.Token(), BaseURL: fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func digestReply(t testing.TB) *bot.Reply {
	t.Helper()
	r, err := digest.NewComposer(coreBot(t).Library(), nil).Digest(context.Background(), digest.Request{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A post carries its nonce with enforce_nonce, so that sending it again
// returns the first message; and it pings nobody.
func TestPostWithNonce(t *testing.T) {
	fake := discordtest.New(t)
	c := newClient(t, fake)
	ctx := waitCtx(t)
	ch := fake.Channel().ID
	p := discord.Post{ChannelID: ch, Reply: digestReply(t), Nonce: "d1.abc", Paced: true}
	first, err := c.Post(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Post(ctx, p)
	if err != nil || again != first {
		t.Errorf("the repeat: %q, %v; want the first message %q", again, err, first)
	}
	msgs := fake.Messages(ch)
	if len(msgs) != 1 || msgs[0].Nonce != "d1.abc" || msgs[0].ID != first {
		t.Fatalf("messages %+v", msgs)
	}
	for _, r := range fake.Requests() {
		if r.Method != "POST" {
			continue
		}
		var body struct {
			Nonce        string `json:"nonce"`
			EnforceNonce bool   `json:"enforce_nonce"`
		}
		json.Unmarshal(r.Body, &body)
		am, ok := r.AllowedMentions()
		if body.Nonce != "d1.abc" || !body.EnforceNonce || !ok || !strings.Contains(string(am), `"parse":[]`) {
			t.Errorf("%s %s: nonce %q enforce %v allowed_mentions %s", r.Method, r.Path, body.Nonce, body.EnforceNonce, am)
		}
	}
}

// A DM digest opens the DM channel once.
func TestPostToDM(t *testing.T) {
	fake := discordtest.New(t)
	c := newClient(t, fake)
	ctx := waitCtx(t)
	user := fake.Human().ID
	for i := range 2 {
		if _, err := c.Post(ctx, discord.Post{UserID: user, Reply: &bot.Reply{Content: "digest"}, Nonce: "d1." + string(rune('a'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(fake.Messages(fake.DMChannel(user))); n != 2 {
		t.Errorf("%d DMs, want 2", n)
	}
	opened := 0
	for _, r := range fake.Requests() {
		if r.Path == "/users/@me/channels" {
			opened++
		}
	}
	if opened != 1 {
		t.Errorf("the DM channel was opened %d times, want once", opened)
	}
}

func TestPostErrors(t *testing.T) {
	fake := discordtest.New(t)
	guild := fake.Guild().ID
	noSend := fake.AddChannel(discordtest.Channel{GuildID: guild, Name: "read-only"})
	fake.SetChannelAccess(noSend.ID, discordtest.AccessNoSend)
	hidden := fake.AddChannel(discordtest.Channel{GuildID: guild, Name: "hidden"})
	fake.SetChannelAccess(hidden.ID, discordtest.AccessNone)
	closed := fake.AddUser(discordtest.User{Username: "closed", DMsClosed: true})
	limited := fake.AddChannel(discordtest.Channel{GuildID: guild, Name: "busy"})
	fake.Inject(discordtest.RateLimit("POST", "/channels/"+limited.ID+"/messages", time.Second, true))
	busy := fake.AddChannel(discordtest.Channel{GuildID: guild, Name: "busier"})
	fake.Inject(discordtest.RateLimit("POST", "/channels/"+busy.ID+"/messages", 1500*time.Millisecond, false))
	down := fake.AddChannel(discordtest.Channel{GuildID: guild, Name: "down"})
	outage := discordtest.ServerError("POST", "/channels/"+down.ID+"/messages", http.StatusServiceUnavailable)
	outage.Times = -1
	fake.Inject(outage)
	c := newClient(t, fake)

	tests := []struct {
		name      string
		post      discord.Post
		permanent bool
		reason    string
		retry     time.Duration
		global    bool
		send      string // what Send tells the person
	}{
		{"unknown channel", discord.Post{ChannelID: "404404404404"}, true,
			"Unknown Channel: the channel was deleted, or briefbot was removed from the server", 0, false,
			"I can't find <#404404404404>: it may have been deleted, or briefbot is not in its server. Pick another channel."},
		{"missing permissions", discord.Post{ChannelID: noSend.ID}, true,
			"Missing Permissions: briefbot may not post in the channel (it needs Send Messages and Embed Links)", 0, false,
			"I'm not allowed to post in <#" + noSend.ID + ">. Give briefbot the Send Messages and Embed Links permissions there (Edit Channel → Permissions), then try again."},
		{"missing access", discord.Post{ChannelID: hidden.ID}, true,
			"Missing Access: briefbot cannot see the channel (it needs View Channel)", 0, false,
			"I can't see <#" + hidden.ID + ">. Give briefbot the View Channel, Send Messages and Embed Links permissions there (Edit Channel → Permissions), then try again."},
		{"closed DMs", discord.Post{UserID: closed.ID}, true,
			"Cannot send messages to this user: they take no DMs from briefbot", 0, false,
			"I can't send you direct messages. Allow direct messages from briefbot (User Settings → Privacy), then try again."},
		{"server error", discord.Post{ChannelID: down.ID}, false, "", 0, false,
			"Discord did not take the message. Try again in a moment."},
		{"rate limit", discord.Post{ChannelID: busy.ID}, false, "", 1500 * time.Millisecond, false, ""},
		{"global rate limit", discord.Post{ChannelID: limited.ID}, false, "", time.Second, true, ""}, // last: it holds the client back
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := waitCtx(t)
			p := tt.post
			p.Reply, p.Paced = &bot.Reply{Content: "digest"}, true
			_, err := c.Post(ctx, p)
			var pe *discord.PostError
			if !errors.As(err, &pe) {
				t.Fatalf("Post: %v, want a *PostError", err)
			}
			if pe.Permanent() != tt.permanent || pe.Reason() != tt.reason || pe.RetryAfter() != tt.retry || pe.Global() != tt.global {
				t.Errorf("Post: %+v", pe)
			}
			if tt.send == "" {
				return
			}
			err = c.Send(ctx, p.ChannelID, p.UserID, p.Reply)
			if bot.UserMessage(err) != tt.send {
				t.Errorf("Send: %q\nwant %q", bot.UserMessage(err), tt.send)
			}
		})
	}
}
