package discord_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

// /help names the commands as mentions a reader can click, with the ids
// Discord gave them at registration; so does a greeting in a DM.
func TestHelpMentionsRegisteredCommands(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testHelpMentionsRegisteredCommands(t, path) })
	}
}

func testHelpMentionsRegisteredCommands(t *testing.T, path string) {
	r, _ := startBotOn(t, path, nil)
	ctx := waitCtx(t)
	ids := map[string]string{}
	for _, c := range r.fake.Commands("") {
		ids[c.Name] = c.ID
	}
	i := r.fake.DispatchCommand(discordtest.Command{Origin: discordtest.Origin{GuildID: r.fake.Guild().ID}, Name: "help"})
	cb, err := r.fake.WaitCallback(ctx, i.ID)
	if err != nil {
		t.Fatal(err)
	}
	help := decode(t, cb.Data).Embeds[0].Description
	for _, name := range []string{"summary", "energy", "skeptic", "about"} {
		if want := "</" + name + ":" + ids[name] + ">"; ids[name] == "" || !strings.Contains(help, want) {
			t.Errorf("help lacks %s:\n%s", want, help)
		}
	}
	if strings.Contains(help, "`/energy`") {
		t.Errorf("help names /energy as code:\n%s", help)
	}

	dm := r.fake.DMChannel(r.fake.Human().ID)
	r.fake.DispatchMessage(discordtest.Incoming{ChannelID: dm, Content: "hi there!"})
	m, err := r.fake.WaitMessage(ctx, dm)
	if err != nil {
		t.Fatal(err)
	}
	var embeds []embed
	json.Unmarshal(m.Embeds, &embeds)
	if m.Content != "Hi! 👋 Here is what I can do." || len(embeds) != 1 || !strings.Contains(embeds[0].Description, "</energy:"+ids["energy"]+">") {
		t.Errorf("greeting answered %q %s", m.Content, m.Embeds)
	}
}

// A digest that pings a role mentions it first and allows that one role
// alone to be pinged: never everyone, here or users.
func TestPostPingsOneRole(t *testing.T) {
	fake := discordtest.New(t)
	c := newClient(t, fake)
	role := fake.AddRole(discordtest.Role{GuildID: fake.Guild().ID, Name: "readers", Mentionable: true})
	ch := fake.Channel().ID
	if _, err := c.Post(waitCtx(t), discord.Post{ChannelID: ch, Reply: digestReply(t), Nonce: "d1.a", Paced: true, MentionRoleID: role.ID}); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages(ch)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Content, "<@&"+role.ID+">") {
		t.Fatalf("messages %+v", msgs)
	}
	// discordgo always sends replied_user, false: that pings nobody.
	got := strings.Replace(strings.Join(strings.Fields(string(msgs[0].AllowedMentions)), ""), `,"replied_user":false`, "", 1)
	if want := `{"parse":[],"roles":["` + role.ID + `"]}`; got != want {
		t.Errorf("allowed_mentions %s, want %s", msgs[0].AllowedMentions, want)
	}
}

// Publish crossposts a message of an announcement channel once, and a
// second time is no error; elsewhere it says why not.
func TestPublish(t *testing.T) {
	fake := discordtest.New(t)
	c := newClient(t, fake)
	ctx := waitCtx(t)
	guild := fake.Guild().ID
	news := fake.AddChannel(discordtest.Channel{GuildID: guild, Name: "news", Type: discordtest.ChannelTypeAnnouncement})
	id, err := c.Post(ctx, discord.Post{ChannelID: news.ID, Reply: &bot.Reply{Content: "digest"}, Nonce: "d1.b"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := c.Publish(ctx, news.ID, id); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	if m := fake.Messages(news.ID); len(m) != 1 || m[0].Crossposts != 1 {
		t.Errorf("messages %+v, want one crossposted once", m)
	}
	for _, ch := range []struct {
		id, want string
		ok       bool
	}{{news.ID, "", true}, {fake.Channel().ID, "", false}} {
		got, err := c.IsAnnouncement(ctx, ch.id)
		if err != nil || got != ch.ok {
			t.Errorf("IsAnnouncement(%s) = %v, %v", ch.id, got, err)
		}
	}
	if _, err := c.IsAnnouncement(ctx, fake.NewID()); bot.KindOf(err) != bot.NotFound {
		t.Errorf("IsAnnouncement of no channel: %v", err)
	}

	// Where briefbot may not send, it may not publish: the reason says
	// what it needs.
	fake.SetChannelAccess(news.ID, discordtest.AccessNoSend)
	err = c.Publish(ctx, news.ID, fake.Messages(news.ID)[0].ID)
	var pf digest.PostFailure
	if !errors.As(err, &pf) || !strings.Contains(pf.Reason(), "it needs View Channel and Send Messages there") {
		t.Errorf("Publish without Send Messages: %v", err)
	}
}

// The calls a bot makes as it starts are retried while Discord answers
// 5xx, one log line an attempt, and then succeed; a bot that cannot reach
// Discord gives up in time, naming the URL it dialled.
func TestStartRetries(t *testing.T) {
	fake := discordtest.New(t)
	fake.FailNext("GET", "/applications/@me", 2, http.StatusServiceUnavailable, nil)
	clk := clocktest.New(time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC))
	var logs syncLog
	c, err := discord.NewClient(discord.Config{Token: fake.Token(), BaseURL: fake.URL(), Clock: clk, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := waitCtx(t)
	done := make(chan error, 1)
	go func() { _, err := c.Application(ctx); done <- err }()
	for range 2 {
		if err := clk.BlockUntil(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clk.AdvanceToNext()
	}
	if err := <-done; err != nil {
		t.Fatalf("Application after two 503s: %v", err)
	}
	if n := strings.Count(logs.String(), "cannot reach Discord; retrying"); n != 2 {
		t.Errorf("%d retry lines, want 2:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "attempt=1") || !strings.Contains(logs.String(), "attempt=2") || !strings.Contains(logs.String(), "url="+fake.URL()) {
		t.Errorf("retry lines:\n%s", logs.String())
	}

	// Nothing listens: the error names the address dialled, not
	// discord.com, after the retries of the window.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	c, _ = discord.NewClient(discord.Config{Token: fake.Token(), BaseURL: addr, Clock: clk, StartRetry: 10 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	go func() { _, err := c.Application(ctx); done <- err }()
	for {
		select {
		case err := <-done:
			msg := err.Error()
			if !strings.Contains(msg, "cannot reach "+addr) || strings.Contains(msg, "discord.com") || !strings.Contains(msg, "gave up after 4 attempts") {
				t.Errorf("error %q", msg)
			}
			return
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		default:
			if clk.Timers() > 0 {
				clk.AdvanceToNext()
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// A 401 is not retried: it is fatal at once.
func TestStartDoesNotRetryABadToken(t *testing.T) {
	fake := discordtest.New(t)
	c, _ := discord.NewClient(discord.Config{Token: "wrong", BaseURL: fake.URL(), Clock: clocktest.New(time.Now())})
	_, err := c.Application(waitCtx(t))
	var fatal *discord.FatalError
	if !errors.As(err, &fatal) {
		t.Errorf("Application with a bad token: %v", err)
	}
}

type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
