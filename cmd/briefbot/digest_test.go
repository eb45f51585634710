package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
	"github.com/briefbot/briefbot/bot/postgres/pgtest"
	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/bot/sqlite"
)

// These tests run `briefbot run` in-process against the fake Discord, with
// the digest scheduler on a fake clock that stands still until the test
// moves it. A test moves it to the instants it means, one at a time, and
// then waits for what should happen at that instant, told by the fake
// Discord and by the scheduler's log lines: nothing moves the clock while
// a digest is on its way, so the messages' times are the slots'. The fake
// Discord reads the same clock, so that its nonce window and the messages'
// times are the scheduler's.

// watchdog bounds every wait: nothing should take this long.
const watchdog = 30 * time.Second

// clockSteps moves the fake clock of one test.
type clockSteps struct {
	t   testing.TB
	clk *clocktest.Clock
}

func newClockSteps(t testing.TB, start time.Time) *clockSteps {
	return &clockSteps{t: t, clk: clocktest.New(start)}
}

// until moves the clock to at, and then on, to the timers due no later
// than limit as they come (a scheduler pacing its posts waits on them),
// until done reports that what the test waits for has happened.
func (c *clockSteps) until(at, limit time.Time, what string, done func() bool) {
	c.t.Helper()
	c.clk.AdvanceTo(at)
	deadline := time.Now().Add(watchdog)
	for !done() {
		if time.Now().After(deadline) {
			c.t.Fatalf("at %v, waited %v for %s", c.clk.Now(), watchdog, what)
		}
		if next, ok := c.clk.Next(); ok && !next.After(limit) {
			c.clk.AdvanceTo(next)
			continue
		}
		time.Sleep(time.Millisecond) // the bot is at work: look again soon
	}
}

// waiting reports whether n timers are pending: once the clock has moved,
// that each of n schedulers has looked at the store and waits again (a
// timer due by then fires at once, and is never pending).
func (c *clockSteps) waiting(n int) func() bool {
	return func() bool { return c.clk.Timers() >= n }
}

// at moves the clock to at and waits for done, moving it no further.
func (c *clockSteps) at(at time.Time, what string, done func() bool) {
	c.t.Helper()
	c.until(at, at, what, done)
}

// watchedLog is a process's log, which a test can wait on.
type watchedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *watchedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *watchedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// has reports whether the log holds at least n lines with msg.
func (l *watchedLog) has(msg string, n int) func() bool {
	return func() bool { return l.count(msg) >= n }
}

// count is how many lines of the log hold msg.
func (l *watchedLog) count(msg string) int { return strings.Count(l.String(), msg) }

// Log lines of the digest scheduler that tests wait for.
const (
	logPosted  = `msg="digest posted"`
	logPaused  = `msg="subscription paused"`
	logRetry   = `msg="digest not posted; will retry"`
	logSkipped = "older than the grace window: skipped"
)

// digestBot is `briefbot run` in-process, on the test's clock.
type digestBot struct {
	*botProcess
	name string
	logs *watchedLog
}

func (c *clockSteps) startBot(name string, fake *discordtest.Server, vars map[string]string) *digestBot {
	c.t.Helper()
	logs := &watchedLog{}
	p := startBotProcess(c.t, fake, vars, func(e *env) {
		e.clock, e.stderr = c.clk, logs
	})
	c.t.Cleanup(func() {
		if c.t.Failed() {
			c.t.Logf("logs of %s:\n%s", name, logs)
		}
	})
	return &digestBot{botProcess: p, name: name, logs: logs}
}

// stopBot stops a bot as SIGTERM would: between slots, nothing is in
// flight, so it leaves the store as a kill would.
func (c *clockSteps) stopBot(b *digestBot) {
	c.t.Helper()
	if code := b.stop(); code != 0 {
		c.t.Errorf("%s exited with %d", b.name, code)
	}
}

func digestVars(t testing.TB, fake *discordtest.Server, extra ...string) map[string]string {
	vars := map[string]string{
		"DISCORD_TOKEN":        fake.Token(),
		"BRIEFBOT_DISCORD_URL": fake.URL(),
		"BRIEFBOT_DB":          filepath.Join(t.TempDir(), "briefbot.db"),
		"BRIEFBOT_LOG_LEVEL":   "info",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return vars
}

// manageServer is the MANAGE_GUILD permission bit.
const manageServer = 1 << 5

// admin is a member who may manage the server, in its channel.
func admin(fake *discordtest.Server, channel string) discordtest.Origin {
	return discordtest.Origin{GuildID: fake.Guild().ID, ChannelID: channel, Permissions: discordtest.BasicPermissions | manageServer}
}

// digestCommand is /digest sub with options.
func digestCommand(o discordtest.Origin, sub string, opts ...string) discordtest.Command {
	var options []discordtest.CommandOption
	for i := 0; i+1 < len(opts); i += 2 {
		var v any = opts[i+1]
		if opts[i] == "id" {
			var n int
			fmt.Sscan(opts[i+1], &n)
			v = n
		}
		options = append(options, discordtest.CommandOption{Name: opts[i], Value: v})
	}
	return discordtest.Command{Origin: o, Name: "digest", Options: []discordtest.CommandOption{{Name: sub, Options: options}}}
}

type answer struct {
	Content string
	Private bool
	Title   string
	Body    string
}

// ask dispatches a command and returns the bot's answer.
func ask(t testing.TB, fake *discordtest.Server, c discordtest.Command) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), watchdog)
	defer cancel()
	i := fake.DispatchCommand(c)
	cb, err := fake.WaitCallback(ctx, i.ID)
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Embeds []struct{ Title, Description string }
	}
	json.Unmarshal(cb.Data, &data)
	a := answer{Content: cb.Content, Private: cb.Flags&discordtest.FlagEphemeral != 0}
	if len(data.Embeds) > 0 {
		a.Title, a.Body = data.Embeds[0].Title, data.Embeds[0].Description
	}
	return a
}

// digests returns the digests posted in a channel: the bot's messages
// with a nonce.
func digests(fake *discordtest.Server, channel string) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range fake.Messages(channel) {
		if m.Kind == discordtest.KindChannel && m.Nonce != "" {
			out = append(out, m)
		}
	}
	return out
}

// notices returns the bot's posts in a channel that are not digests.
func notices(fake *discordtest.Server, channel string) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range fake.Messages(channel) {
		if m.Kind == discordtest.KindChannel && m.Nonce == "" {
			out = append(out, m)
		}
	}
	return out
}

// digestPosts returns the requests that posted a digest in channel (any
// request carrying a nonce), answered or refused.
func digestPosts(fake *discordtest.Server, channel string) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range fake.Requests() {
		if r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" && strings.Contains(string(r.Body), `"nonce"`) {
			out = append(out, r)
		}
	}
	return out
}

// brief describes messages in a line each, for failures.
func brief(msgs []discordtest.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		fmt.Fprintf(&b, "\n  %s at %v, nonce %q, content %.60q", m.ID, m.Created, m.Nonce, m.Content)
	}
	return b.String()
}

func sectionOfTheDay(t testing.TB, m discordtest.Message) string {
	t.Helper()
	var embeds []struct{ Title, Description string }
	if err := json.Unmarshal(m.Embeds, &embeds); err != nil || len(embeds) != 1 {
		t.Fatalf("digest embeds %s: %v", m.Embeds, err)
	}
	_, day, ok := strings.Cut(embeds[0].Description, "**Section of the day: ")
	if !ok {
		t.Fatalf("no section of the day in %q", embeds[0].Description)
	}
	title, _, _ := strings.Cut(day, "**")
	return title
}

func checkNoPings(t testing.TB, fake *discordtest.Server) {
	t.Helper()
	for _, r := range fake.Requests() {
		if am, ok := r.AllowedMentions(); ok && !strings.Contains(string(am), `"parse":[]`) {
			t.Errorf("%s %s: allowed_mentions %s", r.Method, r.Path, am)
		}
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/messages") {
			if _, ok := r.AllowedMentions(); !ok {
				t.Errorf("%s %s has no allowed_mentions", r.Method, r.Path)
			}
		}
	}
}

// Monday 2 March 2026, 07:00 UTC.
var monday = time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)

// Subscribe through an interaction, and the digest arrives at its slot,
// with a nonce and pinging nobody; the next day's has another section of
// the day; /digest list shows when the next comes.
func TestDigestEndToEnd(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	p := steps.startBot("briefbot", fake, digestVars(t, fake))
	ch := fake.Channel().ID

	got := ask(t, fake, digestCommand(admin(fake, ch), "subscribe", "time", "08:30", "timezone", "Europe/Madrid"))
	if want := "Digest 1 set up: daily at 08:30 Europe/Madrid in <#" + ch + ">. The first comes <t:1772436600:f> (<t:1772436600:R>)."; !got.Private || !strings.HasPrefix(got.Content, want) {
		t.Fatalf("subscribe: private %v %q", got.Private, got.Content)
	}
	if n := notices(fake, ch); len(n) != 1 || !strings.HasPrefix(n[0].Content, "📰 This channel will receive the briefbot digest daily at 08:30 Europe/Madrid, set up by ") {
		t.Errorf("notices:%s", brief(n))
	}

	first := time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC) // 08:30 CET
	steps.at(first, "the first digest", p.logs.has(logPosted, 1))
	posted := digests(fake, ch)
	if len(posted) != 1 {
		t.Fatalf("%d digests after the first slot, want 1", len(posted))
	}
	if m := posted[0]; !m.Created.Equal(first) || m.Nonce != digest.Nonce(1, first) {
		t.Errorf("digest at %v with nonce %q; want at %v with %q", m.Created, m.Nonce, first, digest.Nonce(1, first))
	}
	for _, r := range digestPosts(fake, ch) {
		var body struct {
			EnforceNonce bool `json:"enforce_nonce"`
		}
		json.Unmarshal(r.Body, &body)
		if !body.EnforceNonce {
			t.Errorf("a digest was sent without enforce_nonce: %s", r.Body)
		}
	}

	steps.at(first.Add(24*time.Hour), "the second digest", p.logs.has(logPosted, 2))
	posted = digests(fake, ch)
	if len(posted) != 2 || !posted[1].Created.Equal(first.Add(24*time.Hour)) {
		t.Fatalf("digests after the second slot:%s", brief(posted))
	}
	if a, b := sectionOfTheDay(t, posted[0]), sectionOfTheDay(t, posted[1]); a == b {
		t.Errorf("two days running the section of the day is %q", a)
	}
	list := ask(t, fake, digestCommand(admin(fake, ch), "list"))
	if want := "Next: <t:1772609400:f> (<t:1772609400:R>) · active"; !list.Private || !strings.Contains(list.Body, want) {
		t.Errorf("list: private %v\n%s\nwant it to contain %q", list.Private, list.Body, want)
	}
	checkNoPings(t, fake)
}

// A personal digest, subscribed in a DM, comes to the DM.
func TestDigestInDMsEndToEnd(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	p := steps.startBot("briefbot", fake, digestVars(t, fake))
	user := fake.Human().ID

	got := ask(t, fake, digestCommand(discordtest.Origin{}, "subscribe", "time", "20:00"))
	if !strings.HasPrefix(got.Content, "Digest 1 set up: daily at 20:00 UTC in your DMs.") {
		t.Fatalf("subscribe in a DM: %q", got.Content)
	}
	steps.at(time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC), "the DM digest", p.logs.has(logPosted, 1))
	dm := fake.DMChannel(user)
	if n := len(notices(fake, dm)); n != 1 {
		t.Errorf("%d notices in the DM, want 1", n)
	}
	posted := digests(fake, dm)
	if slot := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC); len(posted) != 1 || !posted[0].Created.Equal(slot) {
		t.Errorf("DM digests:%s\nwant one at %v", brief(posted), slot)
	}
	checkNoPings(t, fake)
}

// A channel deleted after subscribing: Discord answers Unknown Channel,
// and the subscription is paused with the reason, which /digest list
// shows.
func TestDigestDeletedChannel(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	p := steps.startBot("briefbot", fake, digestVars(t, fake))
	news := fake.AddChannel(discordtest.Channel{GuildID: fake.Guild().ID, Name: "news"})

	ask(t, fake, digestCommand(admin(fake, fake.Channel().ID), "subscribe", "time", "08:00", "channel", news.ID))
	fake.Inject(discordtest.Fault{Method: "POST", Path: "/channels/" + news.ID + "/messages", Times: -1,
		Status: 404, Body: map[string]any{"message": "Unknown Channel", "code": 10003}})
	steps.at(monday.Add(time.Hour), "the pause", p.logs.has(logPaused, 1))
	// The next day's slot passes: the scheduler looks, and waits again.
	steps.at(monday.Add(26*time.Hour), "the scheduler to look", steps.waiting(1))

	if n := len(digestPosts(fake, news.ID)); n != 1 {
		t.Errorf("%d sends to the deleted channel, want 1: a paused digest is not tried again", n)
	}
	list := ask(t, fake, digestCommand(admin(fake, fake.Channel().ID), "list"))
	want := "⏸ Paused by briefbot: Unknown Channel: the channel was deleted, or briefbot was removed from the server. Fix that, then /digest resume id:1."
	if !strings.Contains(list.Body, want) {
		t.Errorf("list:\n%s\nwant it to contain %q", list.Body, want)
	}
}

// A member without Manage Server is refused privately, and nothing is
// stored or posted.
func TestDigestWithoutManageServer(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	steps.startBot("briefbot", fake, digestVars(t, fake))
	ch := fake.Channel().ID
	member := discordtest.Origin{GuildID: fake.Guild().ID, ChannelID: ch, Permissions: discordtest.BasicPermissions}

	got := ask(t, fake, digestCommand(member, "subscribe", "time", "08:00"))
	if want := "Only members with the Manage Server permission can set up digests in this server."; !got.Private || !strings.HasPrefix(got.Content, want) {
		t.Errorf("refusal: private %v %q", got.Private, got.Content)
	}
	if got := ask(t, fake, digestCommand(member, "now")); !got.Private || !strings.HasPrefix(got.Content, "Only members with the Manage Server permission can post digests") {
		t.Errorf("now: private %v %q", got.Private, got.Content)
	}
	if got := ask(t, fake, digestCommand(member, "list")); !strings.HasPrefix(got.Content, "There are no digests here yet.") {
		t.Errorf("list after the refusal: %q", got.Content)
	}
	if len(notices(fake, ch)) != 0 || len(digests(fake, ch)) != 0 {
		t.Errorf("the refusals posted in the channel:%s", brief(fake.Messages(ch)))
	}
}

// A 429 on the first send, and the digest is posted once, with the same
// nonce, once Discord lets it.
func TestDigestRateLimitedThenPosted(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	p := steps.startBot("briefbot", fake, digestVars(t, fake))
	ch := fake.Channel().ID
	fake.Inject(discordtest.Fault{Method: "POST", Path: "/channels/" + ch + "/messages"})       // the notice goes through,
	fake.Inject(discordtest.RateLimit("POST", "/channels/"+ch+"/messages", time.Second, false)) // the first digest meets a 429
	ask(t, fake, digestCommand(admin(fake, ch), "subscribe", "time", "08:00"))
	slot := monday.Add(time.Hour)
	steps.at(slot, "the 429", p.logs.has(logRetry, 1))
	steps.at(slot.Add(30*time.Second), "the digest, retried", p.logs.has(logPosted, 1))

	sends := digestPosts(fake, ch)
	if len(sends) != 2 || sends[0].Status != 429 || sends[1].Status != 200 {
		t.Fatalf("%d sends: want a 429 then a post", len(sends))
	}
	posted := digests(fake, ch)
	if len(posted) != 1 || posted[0].Nonce != digest.Nonce(1, slot) || !posted[0].Created.After(slot) || posted[0].Created.After(slot.Add(time.Minute)) {
		t.Errorf("digests:%s\nwant one, within a minute after %v", brief(posted), slot)
	}
	if sends[0].Body == nil || string(sends[0].Body) != string(sends[1].Body) {
		t.Errorf("the retry differs from the first send:\n%s\n%s", sends[0].Body, sends[1].Body)
	}
}

// Stopped between slots and started again: nothing twice, nothing lost.
// A slot missed while down is posted at start if it is within the grace
// window, and skipped if not.
func TestDigestRestart(t *testing.T) {
	for _, tt := range []struct {
		name     string
		down     time.Duration // after the second slot
		want     []time.Duration
		log      string
		postedAt time.Duration // the second slot's post, after the slot
	}{
		{"within grace", 30 * time.Minute, []time.Duration{0, 24 * time.Hour, 48 * time.Hour}, "", 30 * time.Minute},
		{"beyond grace", 2 * time.Hour, []time.Duration{0, 48 * time.Hour}, "older than the grace window: skipped", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			steps := newClockSteps(t, monday)
			fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
			vars := digestVars(t, fake, "BRIEFBOT_DIGEST_GRACE", "1h")
			ch := fake.Channel().ID
			a := steps.startBot("first run", fake, vars)
			ask(t, fake, digestCommand(admin(fake, ch), "subscribe", "time", "08:00"))
			slot := monday.Add(time.Hour)
			steps.at(slot, "the first digest", a.logs.has(logPosted, 1))
			steps.stopBot(a)

			restart := slot.Add(24*time.Hour + tt.down)
			steps.clk.AdvanceTo(restart)
			b := steps.startBot("second run", fake, vars)
			// The missed slot: posted at once, or skipped.
			caughtUp := b.logs.has(logSkipped, 1)
			if tt.postedAt != 0 {
				caughtUp = b.logs.has(logPosted, 1)
			}
			steps.at(restart, "the missed slot", caughtUp)
			steps.at(slot.Add(48*time.Hour), "the third digest", b.logs.has(logPosted, len(tt.want)-1))

			var got []time.Duration
			for _, m := range digests(fake, ch) {
				got = append(got, m.Created.Sub(slot))
			}
			want := append([]time.Duration(nil), tt.want...)
			if tt.postedAt != 0 {
				want[1] += tt.postedAt
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("digests at %v after the first slot, want %v", got, want)
			}
			if n, m := len(digestPosts(fake, ch)), len(tt.want); n != m {
				t.Errorf("%d sends for %d digests", n, m)
			}
			if tt.log != "" && !strings.Contains(b.logs.String(), tt.log) {
				t.Errorf("the second run's logs lack %q", tt.log)
			}
		})
	}
}

// Two briefbot processes on one PostgreSQL database post each slot once:
// two `run` gateways, and two `serve` replicas behind a load balancer
// that takes turns.
func TestDigestTwoProcessesOnPostgres(t *testing.T) {
	for _, path := range []string{"gateway", "http"} {
		t.Run(path, func(t *testing.T) { testDigestTwoProcessesOnPostgres(t, path) })
	}
}

func testDigestTwoProcessesOnPostgres(t *testing.T, path string) {
	schema := pgtest.NewSchema(t)
	pgtest.Open(t, schema) // creates the schema and migrates it
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	vars := digestVars(t, fake, "BRIEFBOT_DB", u.String(), "BRIEFBOT_DIGEST_MIN_INTERVAL", "1h")
	logs := map[string]*watchedLog{}
	if path == "gateway" {
		for _, name := range []string{"one", "two"} {
			logs[name] = steps.startBot(name, fake, vars).logs // the fake sends interactions to the latest
		}
	} else {
		var urls []string
		for _, name := range []string{"one", "two"} {
			s := startServe(t, name, fake, vars, nil, func(e *env) { e.clock = steps.clk })
			logs[name], urls = s.logs, append(urls, s.url)
		}
		ctx, cancel := context.WithTimeout(context.Background(), watchdog)
		defer cancel()
		if err := fake.SetInteractionsEndpoint(ctx, roundRobin(t, urls...)); err != nil {
			t.Fatal(err)
		}
	}
	var channels []string
	for i := range 4 {
		ch := fake.AddChannel(discordtest.Channel{GuildID: fake.Guild().ID, Name: fmt.Sprintf("news-%d", i)}).ID
		channels = append(channels, ch)
		got := ask(t, fake, digestCommand(admin(fake, ch), "subscribe", "cron", "0 * * * *"))
		if !strings.HasPrefix(got.Content, fmt.Sprintf("Digest %d set up", i+1)) {
			t.Fatalf("subscribe: %q", got.Content)
		}
	}
	posted := func(n int) func() bool {
		return func() bool { return logs["one"].count(logPosted)+logs["two"].count(logPosted) >= n }
	}
	for h := 1; h <= 6; h++ {
		// The four digests of the hour, paced: a second is ample.
		slot := monday.Add(time.Duration(h) * time.Hour)
		steps.until(slot, slot.Add(time.Second), fmt.Sprintf("the digests of %s", slot.Format("15:04")), posted(4*h))
	}
	steps.at(monday.Add(6*time.Hour+30*time.Minute), "both schedulers to look", steps.waiting(2))
	for _, ch := range channels {
		var got []string
		for _, m := range digests(fake, ch) {
			got = append(got, m.Created.Format("15:04"))
		}
		if want := "[08:00 09:00 10:00 11:00 12:00 13:00]"; fmt.Sprint(got) != want {
			t.Errorf("channel %s: digests at %v, want %s", ch, got, want)
		}
		if n := len(digestPosts(fake, ch)); n != 6 {
			t.Errorf("channel %s: %d sends for 6 slots", ch, n)
		}
	}
	by := map[string]int{}
	for name, l := range logs {
		by[name] = l.count(logPosted)
	}
	if path == "http" {
		for name, l := range logs {
			if n := l.count("registered slash commands") + l.count("slash commands are up to date"); n != 1 {
				t.Errorf("%s registered the commands %d times at start, want once", name, n)
			}
		}
	}
	t.Logf("digests posted by each process: %v", by)
}

// roundRobin is a load balancer in front of urls, which sends each request
// to the next in turn; it returns its own URL.
func roundRobin(t testing.TB, urls ...string) string {
	var mu sync.Mutex
	next := 0
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		mu.Lock()
		target, _ := url.Parse(urls[next%len(urls)])
		next++
		mu.Unlock()
		r.SetURL(target)
		r.Out.URL.Path, r.Out.URL.RawPath = target.Path, ""
	}, ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
		t.Logf("load balancer: %v", err)
		w.WriteHeader(http.StatusBadGateway)
	}}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv.URL + "/interactions"
}

// A process that sent a digest and died before recording it: after its
// lease, the next process sends the slot again with the same nonce,
// Discord answers with the message it already made, and the channel has
// one digest. (Discord's nonce memory is taken to be five minutes, as the
// scheduler assumes.) The digest pings a role and is published from an
// announcement channel: both sends ping that role alone, and the one
// message is published once.
func TestDigestCrashBetweenSendAndRecord(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now), discordtest.WithNonceWindow(5*time.Minute))
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "briefbot.db")
	open := func() *sqlite.Store {
		s, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	client, err := discord.NewClient(discord.Config{Token: fake.Token(), BaseURL: fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := library("")
	if err != nil {
		t.Fatal(err)
	}
	compose := digest.NewComposer(lib, nil).Compose
	logs := &watchedLog{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs)
		}
	})
	start := func(store digest.Slots) (stop func()) {
		sched := newScheduler(&Config{DigestGrace: time.Hour}, env{clock: steps.clk}, log, store, client, compose)
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); sched.Run(runCtx) }()
		var once sync.Once
		stop = func() { once.Do(func() { cancel(); <-done }) }
		t.Cleanup(stop)
		return stop
	}

	first := open()
	ch := fake.AddChannel(discordtest.Channel{GuildID: fake.Guild().ID, Name: "news", Type: discordtest.ChannelTypeAnnouncement}).ID
	role := fake.AddRole(discordtest.Role{GuildID: fake.Guild().ID, Name: "readers", Mentionable: true}).ID
	sched, err := schedule.Parse(schedule.Spec{Time: "08:00"}, monday)
	if err != nil {
		t.Fatal(err)
	}
	slot := sched.Next(monday)
	sub, err := first.CreateSubscription(ctx, digest.Subscription{GuildID: fake.Guild().ID, ChannelID: ch, UserID: "u", Schedule: sched, NextRun: slot, CreatedAt: monday,
		MentionRoleID: role, Publish: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	stopA := start(&diesBeforeRecording{Slots: first}) // the process that dies
	steps.at(slot, "the digest sent and not recorded", logs.has("digest posted but not recorded", 1))
	stopA()
	if n := len(digests(fake, ch)); n != 1 || !strings.Contains(logs.String(), "digest posted but not recorded") {
		t.Fatalf("%d digests after the first process; want it posted and not recorded", n)
	}
	if s, _ := first.Subscription(ctx, sub.ID); s.Rotation != 0 || !s.NextRun.Equal(slot) {
		t.Fatalf("the dead process recorded the post: %+v", s)
	}

	second := open()
	steps.clk.AdvanceTo(slot.Add(3 * time.Minute)) // the first's lease, two minutes, is over
	start(second)                                  // the next process
	steps.at(slot.Add(3*time.Minute), "the slot taken over", logs.has(logPosted, 1))

	sends := digestPosts(fake, ch)
	if len(sends) != 2 || string(sends[0].Body) != string(sends[1].Body) {
		t.Errorf("%d sends; want the slot sent twice, the same", len(sends))
	}
	posted := digests(fake, ch)
	if len(posted) != 1 || posted[0].Nonce != digest.Nonce(sub.ID, slot) {
		t.Fatalf("digests:%s\nwant one", brief(posted))
	}
	for _, r := range sends {
		if am, _ := r.AllowedMentions(); strings.Replace(string(am), `,"replied_user":false`, "", 1) != `{"parse":[],"roles":["`+role+`"]}` {
			t.Errorf("a send allows %s to be pinged, want the role alone", am)
		}
	}
	if posted[0].Crossposts != 1 {
		t.Errorf("the digest was published %d times, want once", posted[0].Crossposts)
	}
	s, _ := second.Subscription(ctx, sub.ID)
	if s.Rotation != 1 || s.LastMessageID != posted[0].ID || !s.NextRun.Equal(slot.Add(24*time.Hour)) {
		t.Errorf("after the second process: Rotation %d, LastMessageID %q (want %q), NextRun %v", s.Rotation, s.LastMessageID, posted[0].ID, s.NextRun)
	}
}

// diesBeforeRecording is a store whose first FinishSlot fails, as if the
// process died between sending a digest and recording it.
type diesBeforeRecording struct {
	digest.Slots
	mu   sync.Mutex
	died bool
}

func (s *diesBeforeRecording) FinishSlot(ctx context.Context, c digest.Claim, messageID string, next, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.died {
		s.died = true
		return errors.New("the process died before recording the post")
	}
	return s.Slots.FinishSlot(ctx, c, messageID, next, now)
}
