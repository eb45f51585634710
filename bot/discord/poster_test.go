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

// A click on a digest answers with a private message of its own and leaves
// the digest, which the channel shares, as it is: at once, and after a
// deferral.
func TestDigestClicksArePrivate(t *testing.T) {
	b := coreBot(t)
	d := digestReply(t)
	release := make(chan struct{})
	slow := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if len(r.Values) > 0 {
			<-release
		}
		return b.Answer(ctx, r)
	})
	r := start(t, discordtest.New(t), slow, b.Commands(), func(c *discord.GatewayConfig) { c.DeferAfter = 100 * time.Millisecond })
	ctx := waitCtx(t)
	posted, err := newClient(t, r.fake).Post(ctx, discord.Post{ChannelID: r.fake.Channel().ID, Reply: d})
	if err != nil {
		t.Fatal(err)
	}

	click := r.fake.DispatchComponent(discordtest.Component{CustomID: d.Buttons[0][0].ID, MessageID: posted})
	cb, err := r.fake.WaitCallback(ctx, click.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackMessage || cb.Flags&discordtest.FlagEphemeral == 0 {
		t.Errorf("button: callback type %d flags %d; want a private message", cb.Type, cb.Flags)
	}

	pick := r.fake.DispatchComponent(discordtest.Component{CustomID: d.Menu.ID, Values: []string{"skeptic"}, MessageID: posted})
	if cb, err = r.fake.WaitCallback(ctx, pick.ID); err != nil || cb.Type != discordtest.CallbackDeferredUpdate {
		t.Fatalf("slow menu: callback %+v, %v; want a deferred update", cb, err)
	}
	close(release)
	if _, err := r.fake.WaitRequest(ctx, followup); err != nil {
		t.Fatal(err)
	}
	f := r.fake.Followups(pick.ID)
	var embeds []embed
	if len(f) == 1 {
		json.Unmarshal(f[0].Embeds, &embeds)
	}
	if len(f) != 1 || f[0].Flags&discordtest.FlagEphemeral == 0 || len(embeds) != 1 || embeds[0].Title != "The skeptical view" {
		t.Errorf("slow menu: follow-ups %+v", f)
	}
	for _, m := range r.fake.Messages(r.fake.Channel().ID) {
		if m.ID == posted && m.Edits != 0 {
			t.Errorf("the digest was edited %d times", m.Edits)
		}
	}
}

// followup matches a follow-up message, answered.
func followup(q discordtest.Request) bool {
	return q.Method == "POST" && strings.HasPrefix(q.Path, "/webhooks/") && q.Status != 0
}

// A slow private answer to a command asked without private:true is not
// edited into the public "thinking…" message: that goes, and the answer
// follows privately.
func TestSlowPrivateAnswer(t *testing.T) {
	release := make(chan struct{})
	h := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		<-release
		return &bot.Reply{Content: "Digest 1 set up.", Private: true}, nil
	})
	cmds := []bot.Command{{Name: "digest", Description: "d"}}
	r := start(t, discordtest.New(t), h, cmds, func(c *discord.GatewayConfig) { c.DeferAfter = 20 * time.Millisecond })
	ctx := waitCtx(t)
	i := r.fake.DispatchCommand(discordtest.Command{Name: "digest"})
	if cb, err := r.fake.WaitCallback(ctx, i.ID); err != nil || cb.Type != discordtest.CallbackDeferredMessage {
		t.Fatalf("callback %+v, %v", cb, err)
	}
	close(release)
	if _, err := r.fake.WaitOriginal(ctx, i.ID, func(m discordtest.Message) bool { return m.Deleted }); err != nil {
		t.Fatalf("the public deferral was not removed: %v", err)
	}
	if _, err := r.fake.WaitRequest(ctx, followup); err != nil {
		t.Fatal(err)
	}
	if f := r.fake.Followups(i.ID); len(f) != 1 || f[0].Content != "Digest 1 set up." || f[0].Flags&discordtest.FlagEphemeral == 0 {
		t.Errorf("follow-ups %+v", f)
	}
	if orig, _ := r.fake.Original(i.ID); orig.Edits != 0 {
		t.Errorf("the public message was edited with the private answer")
	}
}
