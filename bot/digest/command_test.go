package digest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
	"github.com/briefbot/briefbot/bot/sqlite"
	"github.com/briefbot/briefbot/content"
	"github.com/google/go-cmp/cmp"
)

// sent is one message a fakeSender was asked to post.
type sent struct {
	Channel, User string
	Reply         *bot.Reply
}

// fakeSender records what /digest posts and refuses channels as Discord
// would.
type fakeSender struct {
	sent []sent
	fail map[string]error // by channel, or "dm:<user>"
}

func (f *fakeSender) Send(ctx context.Context, channelID, userID string, r *bot.Reply) error {
	key := channelID
	if key == "" {
		key = "dm:" + userID
	}
	if err := f.fail[key]; err != nil {
		return err
	}
	f.sent = append(f.sent, sent{channelID, userID, r})
	return nil
}

// announcements says which channels are announcement channels; "gone"
// does not exist.
type announcements map[string]bool

func (a announcements) IsAnnouncement(ctx context.Context, channelID string) (bool, error) {
	if channelID == "gone" {
		return false, bot.Errorf(bot.NotFound, "I can't find <#gone>.")
	}
	return a[channelID], nil
}

// digestEnv is a bot with /digest on a real store, a fake clock and a
// fake Discord.
type digestEnv struct {
	b      *bot.Bot
	store  *sqlite.Store
	clk    *clocktest.Clock
	sender *fakeSender
	wakes  int
}

// Monday 2 March 2026, 07:00 UTC.
var digestStart = time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)

func newDigestEnv(t *testing.T, limit int, rw bot.Rewriter) *digestEnv {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "briefbot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := &digestEnv{store: store, clk: clocktest.New(digestStart), sender: &fakeSender{fail: map[string]error{}}}
	e.b = bot.New(lib, bot.Options{Rewriter: rw})
	digest.Register(e.b, digest.Config{
		Store: store, Sender: e.sender, Clock: e.clk, MinInterval: time.Hour, Limit: limit,
		Wake: func() { e.wakes++ }, Announcements: announcements{"news": true},
	})
	return e
}

// discordMarkup writes moments and channels as the Discord adapter does,
// so that replies here read as they do in Discord.
type discordMarkup struct{}

func (discordMarkup) Time(t time.Time) string {
	u := strconv.FormatInt(t.Unix(), 10)
	return "<t:" + u + ":f> (<t:" + u + ":R>)"
}

func (discordMarkup) Channel(id string) string { return "<#" + id + ">" }

func (discordMarkup) Command(name string) string { return "</" + name + ":1>" }

func (discordMarkup) Role(id string) string { return "<@&" + id + ">" }

// admin is a member with Manage Server in guild g1, channel c1.
func admin(sub string, opts ...string) *bot.Request {
	r := &bot.Request{Kind: bot.KindCommand, Command: "digest", Subcommand: sub, Options: map[string]string{},
		Source: bot.FromGuild, GuildID: "g1", ChannelID: "c1", User: bot.User{ID: "u1", Name: "Ana"},
		Permissions: bot.ManageServer | 1<<10 | 1<<11, Markup: discordMarkup{}}
	for i := 0; i+1 < len(opts); i += 2 {
		r.Options[opts[i]] = opts[i+1]
	}
	return r
}

// member is admin without Manage Server.
func member(sub string, opts ...string) *bot.Request {
	r := admin(sub, opts...)
	r.User, r.Permissions = bot.User{ID: "u2", Name: "Bo"}, 1<<10|1<<11
	return r
}

// inDM is a request in a DM with the bot, from user u.
func inDM(u, sub string, opts ...string) *bot.Request {
	r := admin(sub, opts...)
	r.Source, r.GuildID, r.ChannelID, r.Permissions = bot.FromDM, "", "dm-"+u, 0
	r.User = bot.User{ID: u, Name: u}
	return r
}

func (e *digestEnv) answer(t *testing.T, r *bot.Request) (*bot.Reply, error) {
	t.Helper()
	reply, err := e.b.Answer(context.Background(), r)
	if err == nil {
		if cerr := reply.Check(); cerr != nil {
			t.Fatalf("%s %s: the reply breaks Discord's limits: %v", r.Command, r.Subcommand, cerr)
		}
	}
	return reply, err
}

func (e *digestEnv) ok(t *testing.T, r *bot.Request) *bot.Reply {
	t.Helper()
	reply, err := e.answer(t, r)
	if err != nil {
		t.Fatalf("/digest %s %v: %v", r.Subcommand, r.Options, err)
	}
	return reply
}

func (e *digestEnv) all(t *testing.T) []digest.Subscription {
	t.Helper()
	var all []digest.Subscription
	for _, g := range []string{"g1", "g2"} {
		subs, err := e.store.GuildSubscriptions(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, subs...)
	}
	for _, u := range []string{"u1", "u2", "u3"} {
		subs, err := e.store.UserSubscriptions(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, subs...)
	}
	return all
}

func TestDigestSubscribe(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	reply := e.ok(t, admin(digest.Subscribe, "time", "08:30", "timezone", "europe/madrid", "channel", "c9"))
	subs := e.all(t)
	if len(subs) != 1 {
		t.Fatalf("%d subscriptions stored, want 1", len(subs))
	}
	s := subs[0]
	first := time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC) // 08:30 CET
	if s.GuildID != "g1" || s.ChannelID != "c9" || s.UserID != "u1" || s.State != digest.SubscriptionActive ||
		!s.NextRun.Equal(first) || s.Schedule.String() != "daily at 08:30 Europe/Madrid" || s.ArticleID != "putin-maduro-2025" {
		t.Errorf("stored %+v", s)
	}
	wantReply := fmt.Sprintf("Digest %d set up: daily at 08:30 Europe/Madrid in <#c9>. The first comes <t:1772436600:f> (<t:1772436600:R>). "+
		"/digest preview shows what it will look like; /digest pause id:%d stops it for a while.", s.ID, s.ID)
	if !reply.Private || reply.Content != wantReply {
		t.Errorf("reply (private %v):\n%s\nwant\n%s", reply.Private, reply.Content, wantReply)
	}
	wantNotice := []sent{{Channel: "c9", Reply: &bot.Reply{Content: "📰 This channel will receive the briefbot digest daily at 08:30 Europe/Madrid, set up by Ana. The first comes <t:1772436600:f> (<t:1772436600:R>)."}}}
	if diff := cmp.Diff(wantNotice, e.sender.sent); diff != "" {
		t.Errorf("notice (-want +got):\n%s", diff)
	}
	if e.wakes != 1 {
		t.Errorf("the scheduler was woken %d times, want 1", e.wakes)
	}

	// Without a channel, the digest goes where the command was used; a
	// weekly digest on the weekday it is now.
	e.ok(t, admin(digest.Subscribe, "time", "18:00", "frequency", "weekly"))
	e.ok(t, admin(digest.Subscribe, "cron", "0 9 * * 1-5", "timezone", "America/New_York"))
	var got []string
	for _, s := range e.all(t) {
		got = append(got, s.ChannelID+" "+s.Schedule.String()+" "+s.NextRun.Format(time.RFC3339))
	}
	want := []string{
		"c9 daily at 08:30 Europe/Madrid 2026-03-02T07:30:00Z",
		"c1 weekly on Monday at 18:00 UTC 2026-03-02T18:00:00Z",
		`c1 cron "0 9 * * 1-5" America/New_York 2026-03-02T14:00:00Z`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subscriptions (-want +got):\n%s", diff)
	}
}

// Every way a subscription can be refused: the message says what to fix,
// and nothing is stored or posted.
func TestDigestSubscribeErrors(t *testing.T) {
	noSend := bot.Errorf(bot.Forbidden, "I can't post in <#c7>: give briefbot View Channel, Send Messages and Embed Links there, then try again.")
	tests := []struct {
		name string
		req  *bot.Request
		kind bot.ErrorKind
		msg  string
	}{
		{"bad time", admin(digest.Subscribe, "time", "25:00"), bot.Invalid,
			`Time must be HH:MM in 24-hour form, e.g. 08:30 (got "25:00").`},
		{"no time", admin(digest.Subscribe, "timezone", "UTC"), bot.Invalid,
			"Time is required: HH:MM in 24-hour form, e.g. 08:30."},
		{"unknown time zone", admin(digest.Subscribe, "time", "08:30", "timezone", "Europe/Madird"), bot.Invalid,
			`Unknown time zone "Europe/Madird": did you mean Europe/Madrid? Use an IANA name such as Europe/Paris.`},
		{"bad cron", admin(digest.Subscribe, "cron", "61 8 * * *"), bot.Invalid,
			`Cron expression "61 8 * * *": end of range (61) above maximum (59): 61; five fields: minute hour day-of-month month day-of-week.`},
		{"cron with a time", admin(digest.Subscribe, "cron", "0 8 * * *", "time", "08:00"), bot.Invalid,
			"Give either a cron expression or a time, not both: the cron expression sets the time."},
		{"cron with a frequency", admin(digest.Subscribe, "cron", "0 8 * * *", "frequency", "daily"), bot.Invalid,
			"Give a frequency or a cron expression, not both: the cron expression sets the days and the time."},
		{"too frequent", admin(digest.Subscribe, "cron", "*/30 * * * *"), bot.Invalid,
			`Cron "*/30 * * * *" UTC posts 30 minutes apart at its closest (Mon 2 Mar 07:30 and 08:00 UTC); digests may come at most once every 1 hour.`},
		{"a style with rephrasing off", admin(digest.Subscribe, "time", "08:30", "style", "simple"), bot.Invalid,
			`/digest subscribe has no option "style". Its options are: time, timezone, frequency, channel, cron, mention, publish.`},
		{"no Manage Server", member(digest.Subscribe, "time", "08:30"), bot.Forbidden,
			"Only members with the Manage Server permission can set up digests in this server. Anyone can see them with /digest list, or get a digest of their own in a DM with briefbot."},
		{"a channel the bot cannot post in", admin(digest.Subscribe, "time", "08:30", "channel", "c7"), bot.Forbidden, noSend.Message},
		{"a channel option in a DM", inDM("u3", digest.Subscribe, "time", "08:30", "channel", "c1"), bot.Invalid,
			"In a DM the digest comes to you here, so leave out the channel option. To post in a server's channel, use /digest subscribe in that server."},
		{"closed DMs", inDM("u2", digest.Subscribe, "time", "08:30"), bot.Forbidden,
			"I can't send you direct messages: allow them in your privacy settings, then try again."},
		{"the console", &bot.Request{Kind: bot.KindCommand, Command: "digest", Subcommand: digest.Subscribe, Source: bot.FromConsole, Options: map[string]string{"time": "08:30"}}, bot.Invalid,
			"Digests are for Discord: use /digest in a server, or in a DM with briefbot for a digest of your own."},
		{"no subcommand", admin(""), bot.Invalid,
			"Say what to do: /digest subscribe, list, remove, pause, resume, preview or now."},
		{"an unknown option", admin(digest.Subscribe, "when", "08:30"), bot.Invalid,
			`/digest subscribe has no option "when". Its options are: time, timezone, frequency, channel, cron, mention, publish.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newDigestEnv(t, 10, nil)
			e.sender.fail["c7"] = noSend
			e.sender.fail["dm:u2"] = bot.Errorf(bot.Forbidden, "I can't send you direct messages: allow them in your privacy settings, then try again.")
			_, err := e.answer(t, tt.req)
			if bot.KindOf(err) != tt.kind || bot.UserMessage(err) != tt.msg {
				t.Errorf("got %v: %q\nwant %v: %q", bot.KindOf(err), bot.UserMessage(err), tt.kind, tt.msg)
			}
			if subs := e.all(t); len(subs) != 0 {
				t.Errorf("%d subscriptions stored", len(subs))
			}
			if len(e.sender.sent) != 0 || e.wakes != 0 {
				t.Errorf("%d messages posted and %d wakes after a refusal", len(e.sender.sent), e.wakes)
			}
		})
	}
}

func TestDigestLimit(t *testing.T) {
	e := newDigestEnv(t, 2, nil)
	e.ok(t, admin(digest.Subscribe, "time", "08:00"))
	e.ok(t, admin(digest.Subscribe, "time", "09:00"))
	_, err := e.answer(t, admin(digest.Subscribe, "time", "10:00"))
	if want := "This server has reached its limit of 2 digest subscriptions: remove one with /digest remove first."; bot.KindOf(err) != bot.Conflict || bot.UserMessage(err) != want {
		t.Errorf("a third: %v", err)
	}
	_, err = e.answer(t, admin(digest.Subscribe, "time", "08:00"))
	if bot.KindOf(err) != bot.Conflict {
		t.Errorf("a third: %v", err)
	}
	// Another server and a member's DMs have limits of their own.
	other := admin(digest.Subscribe, "time", "08:00")
	other.GuildID, other.ChannelID = "g2", "c2"
	e.ok(t, other)
	e.ok(t, inDM("u1", digest.Subscribe, "time", "07:00"))
	e.ok(t, inDM("u1", digest.Subscribe, "time", "19:00"))
	_, err = e.answer(t, inDM("u1", digest.Subscribe, "time", "20:00"))
	if want := "You have reached the limit of 2 personal digests: remove one with /digest remove first."; bot.UserMessage(err) != want {
		t.Errorf("a third DM digest: %v", err)
	}
	if n := len(e.all(t)); n != 5 {
		t.Errorf("%d subscriptions, want 5", n)
	}
	if n := len(e.sender.sent); n != 5 {
		t.Errorf("%d notices, want one per subscription", n)
	}
}

func TestDigestDuplicate(t *testing.T) {
	e := newDigestEnv(t, 0, nil)
	e.ok(t, admin(digest.Subscribe, "time", "08:00", "timezone", "Europe/Madrid"))
	_, err := e.answer(t, admin(digest.Subscribe, "time", "8:00", "timezone", "Europe/Madrid"))
	if want := "Digest 1 already comes daily at 08:00 Europe/Madrid in <#c1>. /digest list shows it."; bot.UserMessage(err) != want {
		t.Errorf("the same again: %v", err)
	}
	e.ok(t, admin(digest.Subscribe, "time", "08:00", "timezone", "Europe/Madrid", "channel", "c2"))
}

// Anyone may have a digest of their own in their DMs.
func TestDigestInDM(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	reply := e.ok(t, inDM("u3", digest.Subscribe, "time", "20:00", "frequency", "weekdays"))
	subs := e.all(t)
	if len(subs) != 1 || !subs[0].DM() || subs[0].UserID != "u3" || subs[0].ChannelID != "" {
		t.Fatalf("stored %+v; want a DM digest for u3", subs)
	}
	if !strings.HasPrefix(reply.Content, "Digest 1 set up: weekdays at 20:00 UTC in your DMs.") {
		t.Errorf("reply %q", reply.Content)
	}
	want := []sent{{User: "u3", Reply: &bot.Reply{Content: "📰 You will receive the briefbot digest here weekdays at 20:00 UTC. The first comes <t:1772481600:f> (<t:1772481600:R>). /digest list shows your digests."}}}
	if diff := cmp.Diff(want, e.sender.sent); diff != "" {
		t.Errorf("notice (-want +got):\n%s", diff)
	}
	list := e.ok(t, inDM("u3", digest.List))
	if list.Title != "Your digests" || !strings.Contains(list.Body, "**1** · weekdays at 20:00 UTC in your DMs") {
		t.Errorf("list: %q %q", list.Title, list.Body)
	}
	// Someone else's list is their own.
	if got := e.ok(t, inDM("u2", digest.List)); !strings.HasPrefix(got.Content, "There are no digests here yet.") {
		t.Errorf("another user's list: %+v", got)
	}
	// The text grammar of DMs works too.
	text := e.ok(t, &bot.Request{Kind: bot.KindText, Text: "/digest pause id:1", Source: bot.FromDM, ChannelID: "dm-u3", User: bot.User{ID: "u3"}})
	if !strings.HasPrefix(text.Content, "Digest 1 paused") {
		t.Errorf("typed pause: %q", text.Content)
	}
	text = e.ok(t, &bot.Request{Kind: bot.KindText, Text: "digest list", Source: bot.FromDM, ChannelID: "dm-u3", User: bot.User{ID: "u3"}})
	if !strings.Contains(text.Body, "⏸ Paused. /digest resume id:1 starts it again.") {
		t.Errorf("typed list: %q", text.Body)
	}
	for line, want := range map[string]string{
		"/digest list please": `I understood /digest list but not "please". Say what to do first (subscribe, list, remove, pause, resume, preview, now), then any options as key:value.`,
		"digest":              "Say what to do: /digest subscribe, list, remove, pause, resume, preview or now.",
		"/digest later":       `/digest has no "later". Type /help to see what you can ask.`,
	} {
		_, err := e.answer(t, &bot.Request{Kind: bot.KindText, Text: line, Source: bot.FromDM, ChannelID: "dm-u3", User: bot.User{ID: "u3"}})
		if bot.UserMessage(err) != want {
			t.Errorf("%q: %q, want %q", line, bot.UserMessage(err), want)
		}
	}
}

func TestDigestConsole(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	for _, line := range []string{"/digest list", "digest subscribe time:08:30", "/digest"} {
		_, err := e.answer(t, &bot.Request{Kind: bot.KindText, Text: line, Source: bot.FromConsole, User: bot.User{ID: "console"}})
		if want := "Digests are for Discord: use /digest in a server, or in a DM with briefbot for a digest of your own."; bot.UserMessage(err) != want {
			t.Errorf("%q in the console: %v", line, err)
		}
	}
	off := bot.New(e.b.Library(), bot.Options{})
	digest.Register(off, digest.Config{})
	_, err := off.Answer(context.Background(), admin(digest.List))
	if bot.KindOf(err) != bot.Unavailable || bot.UserMessage(err) != "Scheduled digests are not set up on this bot." {
		t.Errorf("with no store: %v", err)
	}
}

func TestDigestList(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	ctx := context.Background()
	e.ok(t, admin(digest.Subscribe, "time", "08:30", "timezone", "Europe/Madrid"))
	e.ok(t, admin(digest.Subscribe, "time", "12:00", "frequency", "weekly", "channel", "c2"))
	e.ok(t, admin(digest.Subscribe, "cron", "0 18 * * 1-5", "channel", "c3"))
	if _, err := e.store.PauseSubscription(ctx, 2, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.PauseSubscription(ctx, 3, "Missing Permissions: the bot may not post in this channel"); err != nil {
		t.Fatal(err)
	}
	// Another server's digest is not listed.
	other := admin(digest.Subscribe, "time", "08:00")
	other.GuildID = "g2"
	e.ok(t, other)

	// Anyone may list.
	got := e.ok(t, member(digest.List))
	want := &bot.Reply{
		Private: true,
		Title:   "Digests in this server",
		Body: "**1** · daily at 08:30 Europe/Madrid in <#c1>\nNext: <t:1772436600:f> (<t:1772436600:R>) · active\n\n" +
			"**2** · weekly on Monday at 12:00 UTC in <#c2>\n⏸ Paused. /digest resume id:2 starts it again.\n\n" +
			`**3** · cron "0 18 * * 1-5" UTC in <#c3>` + "\n⏸ Paused by briefbot: Missing Permissions: the bot may not post in this channel. Fix that, then /digest resume id:3.",
		Footer: "Times are shown in your own time zone. /digest pause, resume and remove take the number.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
	empty := admin(digest.List)
	empty.GuildID = "g3"
	if got := e.ok(t, empty); got.Content != "There are no digests here yet. /digest subscribe sets one up (it takes the Manage Server permission)." || !got.Private {
		t.Errorf("empty list: %+v", got)
	}
}

// pause, resume and remove touch only the asker's own digests; anything
// else reads as an unknown id.
func TestDigestIDs(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	e.ok(t, admin(digest.Subscribe, "time", "08:30"))      // 1, in g1
	e.ok(t, inDM("u3", digest.Subscribe, "time", "08:30")) // 2, u3's DMs
	other := admin(digest.Subscribe, "time", "08:30")      // 3, in g2
	other.GuildID = "g2"
	e.ok(t, other)
	notHere := "There is no digest %d here. /digest list shows this server's digests and their numbers."
	for _, sub := range []string{digest.Pause, digest.Resume, digest.Remove} {
		for _, tt := range []struct {
			req  *bot.Request
			kind bot.ErrorKind
			msg  string
		}{
			{admin(sub, "id", "99"), bot.NotFound, fmt.Sprintf(notHere, 99)},
			{admin(sub, "id", "2"), bot.NotFound, fmt.Sprintf(notHere, 2)},
			{admin(sub, "id", "3"), bot.NotFound, fmt.Sprintf(notHere, 3)},
			{inDM("u2", sub, "id", "2"), bot.NotFound, "There is no digest 2 here. /digest list shows your digests and their numbers."},
			{inDM("u3", sub, "id", "1"), bot.NotFound, "There is no digest 1 here. /digest list shows your digests and their numbers."},
			{admin(sub, "id", "abc"), bot.Invalid, `The id is the number /digest list shows for a digest, such as 3 (got "abc").`},
			{member(sub, "id", "1"), bot.Forbidden, "Only members with the Manage Server permission can " + sub + " digests in this server. Anyone can see them with /digest list, or get a digest of their own in a DM with briefbot."},
		} {
			_, err := e.answer(t, tt.req)
			if bot.KindOf(err) != tt.kind || bot.UserMessage(err) != tt.msg {
				t.Errorf("%s id:%s from %q/%s: %v %q, want %v %q", sub, tt.req.Options["id"], tt.req.GuildID, tt.req.User.ID, bot.KindOf(err), bot.UserMessage(err), tt.kind, tt.msg)
			}
		}
	}
	if n := len(e.all(t)); n != 3 {
		t.Errorf("%d subscriptions left, want all 3", n)
	}
	for _, s := range e.all(t) {
		if s.State != digest.SubscriptionActive {
			t.Errorf("subscription %d is %s", s.ID, s.State)
		}
	}
}

func TestDigestPauseResumeRemove(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	ctx := context.Background()
	e.ok(t, admin(digest.Subscribe, "time", "08:30", "channel", "c5"))
	e.sender.sent = nil

	if got := e.ok(t, admin(digest.Pause, "id", "1")).Content; got != "Digest 1 paused: nothing more in <#c5> until /digest resume id:1." {
		t.Errorf("pause: %q", got)
	}
	if s, _ := e.store.Subscription(ctx, 1); s.State != digest.SubscriptionPaused || s.PauseReason != "" {
		t.Errorf("after pause: %+v", s)
	}
	if got := e.ok(t, admin(digest.Pause, "id", "1")).Content; got != "Digest 1 is paused already. /digest resume id:1 starts it again." {
		t.Errorf("pause again: %q", got)
	}

	// Resuming posts a notice first: if the bot still may not post, the
	// digest stays paused and the error says why.
	e.sender.fail["c5"] = bot.Errorf(bot.Forbidden, "I can't post in <#c5>.")
	if _, err := e.answer(t, admin(digest.Resume, "id", "1")); bot.UserMessage(err) != "I can't post in <#c5>." {
		t.Errorf("resume where the bot may not post: %v", err)
	}
	if s, _ := e.store.Subscription(ctx, 1); s.State != digest.SubscriptionPaused {
		t.Errorf("resumed although the notice failed: %+v", s)
	}
	delete(e.sender.fail, "c5")
	e.clk.Advance(48 * time.Hour) // Wednesday 07:00
	wakes := e.wakes
	got := e.ok(t, admin(digest.Resume, "id", "1")).Content
	if want := "Digest 1 resumed: daily at 08:30 UTC in <#c5>. The next comes <t:1772613000:f> (<t:1772613000:R>)."; got != want {
		t.Errorf("resume: %q, want %q", got, want)
	}
	if s, _ := e.store.Subscription(ctx, 1); s.State != digest.SubscriptionActive || !s.NextRun.Equal(time.Date(2026, 3, 4, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("after resume: %+v", s)
	}
	if e.wakes != wakes+1 || len(e.sender.sent) != 1 || e.sender.sent[0].Channel != "c5" {
		t.Errorf("resume: %d wakes, notices %+v", e.wakes-wakes, e.sender.sent)
	}
	if got := e.ok(t, admin(digest.Resume, "id", "1")).Content; !strings.HasPrefix(got, "Digest 1 is active already.") {
		t.Errorf("resume again: %q", got)
	}
	if got := e.ok(t, admin(digest.Remove, "id", "1")).Content; got != "Digest 1 removed: no more digests daily at 08:30 UTC in <#c5>." {
		t.Errorf("remove: %q", got)
	}
	if _, err := e.store.Subscription(ctx, 1); bot.KindOf(err) != bot.NotFound {
		t.Errorf("after remove: %v", err)
	}
}

func TestDigestPreviewAndNow(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	ctx := context.Background()
	sections := e.b.Library().Default().Sections

	// Nothing scheduled: a sample.
	got := e.ok(t, member(digest.Preview))
	if !got.Private || got.Title != articleTitle || !strings.HasPrefix(got.Content, "No digest comes here yet") {
		t.Errorf("preview with nothing scheduled: %+v", got)
	}

	e.ok(t, admin(digest.Subscribe, "time", "08:30", "channel", "c5"))
	e.ok(t, admin(digest.Subscribe, "time", "07:30", "channel", "c6"))
	// c6's digest has posted twice: its third comes next.
	c6, _ := e.store.Subscription(ctx, 2)
	for range 2 {
		claim, err := e.store.ClaimSlot(ctx, 2, c6.NextRun, "test", c6.NextRun, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		next := c6.Schedule.Next(c6.NextRun)
		if err := e.store.FinishSlot(ctx, claim, "m", next, c6.NextRun); err != nil {
			t.Fatal(err)
		}
		c6.NextRun = next
	}
	e.sender.sent = nil

	got = e.ok(t, member(digest.Preview))
	if want := "Digest 1, due <t:1772440200:f> (<t:1772440200:R>) in <#c5>:"; !got.Private || got.Content != want {
		t.Errorf("preview: private %v, %q; want %q", got.Private, got.Content, want)
	}
	if day := sections[1]; !strings.Contains(got.Body, "Section of the day: "+day.Title) {
		t.Errorf("preview of a digest yet to post shows another section of the day:\n%s", got.Body)
	}

	// now posts at once, with the channel's own rotation.
	if got := e.ok(t, admin(digest.Now, "channel", "c6")); !got.Private || got.Content != "Posted the digest in <#c6>." {
		t.Errorf("now: %+v", got)
	}
	if len(e.sender.sent) != 1 || e.sender.sent[0].Channel != "c6" || !strings.Contains(e.sender.sent[0].Reply.Body, "Section of the day: "+sections[3].Title) {
		t.Errorf("now posted %+v", e.sender.sent)
	}
	if _, err := e.answer(t, member(digest.Now)); bot.KindOf(err) != bot.Forbidden {
		t.Errorf("now without Manage Server: %v", err)
	}
	e.sender.fail["c7"] = bot.Errorf(bot.NotFound, "I can't find that channel.")
	if _, err := e.answer(t, admin(digest.Now, "channel", "c7")); bot.UserMessage(err) != "I can't find that channel." {
		t.Errorf("now in a missing channel: %v", err)
	}
	// In a DM, the answer is the digest.
	if got := e.ok(t, inDM("u3", digest.Now)); got.Private || got.Title != articleTitle {
		t.Errorf("now in a DM: %+v", got)
	}
	if len(e.sender.sent) != 1 {
		t.Errorf("%d posts", len(e.sender.sent))
	}
}

func TestDigestAutocomplete(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	r := admin(digest.Subscribe, "timezone", "new y")
	r.Kind, r.Focused = bot.KindAutocomplete, "timezone"
	got := e.ok(t, r)
	if len(got.Choices) == 0 || got.Choices[0] != (bot.Choice{Name: "America/New_York", Value: "America/New_York"}) {
		t.Errorf("choices %+v", got.Choices)
	}
	r.Options["timezone"] = ""
	if got := e.ok(t, r); len(got.Choices) != bot.MaxChoices || got.Choices[0].Value != "UTC" {
		t.Errorf("with nothing typed: %+v", got.Choices)
	}
}

// simpleSpanish holds faithful simple Spanish rewrites of the sections a
// digest sends on the test's day: the summary and the section of the day.
var simpleSpanish = map[string]string{
	"summary": `**Qué pasó:** El presidente ruso, Vladimir Putin, y el presidente venezolano, Nicolás Maduro, firmaron un acuerdo de asociación estratégica y cooperación en el Kremlin el 7 de mayo de 2025. Maduro estaba de visita por el 80 aniversario de la victoria soviética sobre la Alemania nazi. → /agreement

**Lo principal:** Energía, seguridad y defensa, lazos económicos y una voz común en el mundo, con un plan hasta 2030. → /agreement

**Por qué importa:** El artículo lo llama un paso importante para las relaciones entre Rusia y Venezuela. → /conclusion

**Las dudas:** El artículo advierte que su impacto puede ser exagerado. → /skeptic`,
	"agreement": `**La firma:** Los líderes firmaron el pacto en el Kremlin el 7 de mayo de 2025, tras sus conversaciones. La televisión estatal rusa lo transmitió.

**La base:** El pacto se apoya en más de 300 acuerdos bilaterales y fija un plan de cooperación hasta 2030.

**Qué incluye:** Según el artículo, energía, seguridad y defensa, lazos económicos y una voz común en el mundo.

**Cómo empezó:** Putin lo propuso en una videollamada el 14 de marzo de 2025, cuando se cumplían 80 años de relaciones diplomáticas.`,
}

// A subscription's style and language are honoured through the Rewriter,
// waiting for it; a reader's cooldown does not hold a digest back.
func TestDigestRephrased(t *testing.T) {
	// The model answers in simple Spanish, as asked: an echo of the
	// curated English text is no translation, and the guard refuses it.
	model := &rewritetest.Model{Model: "test-model"}
	model.Script = append(model.Script, func(_ context.Context, req rewrite.ModelRequest) (*rewrite.Answer, error) {
		text, ok := simpleSpanish[req.Section]
		if !ok {
			return nil, fmt.Errorf("no simple Spanish rewrite of %q in the test", req.Section)
		}
		return model.Answer(text, 10), nil
	})
	rw, err := rewrite.New(rewrite.Config{Model: model, Cache: rewritetest.NewCache(), Cooldown: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	e := newDigestEnv(t, 10, rw)
	_, err = e.answer(t, inDM("u3", digest.Subscribe, "time", "08:30", "language", "Klingon"))
	if want := `I don't know the language "Klingon". Start typing its name and pick it from the list, e.g. Español or Русский.`; bot.UserMessage(err) != want {
		t.Errorf("unknown language: %v", err)
	}
	sub := e.ok(t, inDM("u3", digest.Subscribe, "time", "08:30", "style", "simple", "language", "Español"))
	if !strings.Contains(sub.Content, "Digest 1 set up") {
		t.Fatalf("subscribe: %q", sub.Content)
	}
	s, _ := e.store.Subscription(context.Background(), 1)
	if s.Style != "simple" || s.Language != "es" {
		t.Fatalf("stored style %q, language %q", s.Style, s.Language)
	}
	got, err := composerOf(e.b).Subscription(context.Background(), &s)
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Check(); err != nil {
		t.Fatal(err)
	}
	if model.Calls() != 2 {
		t.Errorf("%d rephrasings, want the summary and the section of the day", model.Calls())
	}
	for _, req := range model.Requests() {
		if req.Style != bot.StyleSimple || req.Language.Code != "es" {
			t.Errorf("asked for %q in %q", req.Style, req.Language.Code)
		}
	}
	if got.Content != "" || !strings.HasSuffix(got.Footer, " · Simple · Español · rephrased by test-model from the curated text") {
		t.Errorf("content %q, footer %q", got.Content, got.Footer)
	}
	c, _ := bot.ParseComponentID(got.Buttons[0][0].ID)
	if c.Style != "simple" || c.Language != "es" || c.Action != bot.ActionDigestSection {
		t.Errorf("button %+v", c)
	}

	// When the model fails, the curated text, with the reason.
	down := &rewritetest.Model{Script: []func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error){
		rewritetest.Fail(bot.Errorf(bot.Unavailable, "down")),
	}}
	rw, _ = rewrite.New(rewrite.Config{Model: down, Cache: rewritetest.NewCache()})
	e = newDigestEnv(t, 10, rw)
	curated, err := composerOf(e.b).Digest(context.Background(), digest.Request{Style: bot.StyleBrief, UserID: "u3"})
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := composerOf(newBot(t)).Digest(context.Background(), digest.Request{})
	if curated.Body != plain.Body || !strings.Contains(curated.Content, "unavailable") {
		t.Errorf("with the model down: content %q, same body %v", curated.Content, curated.Body == plain.Body)
	}
}

// A click on a digest opens the section in a message for the reader
// alone; the digest stays as it is for the channel.
func TestDigestButtonsArePrivate(t *testing.T) {
	b := newBot(t)
	d, err := composerOf(b).Digest(context.Background(), digest.Request{Rotation: 1})
	if err != nil {
		t.Fatal(err)
	}
	click := answer(t, b, &bot.Request{Kind: bot.KindComponent, CustomID: d.Buttons[0][0].ID, Source: bot.FromGuild})
	if !click.Private || click.Title != b.Library().Default().Sections[2].Title {
		t.Errorf("button: private %v, title %q", click.Private, click.Title)
	}
	pick := answer(t, b, &bot.Request{Kind: bot.KindComponent, CustomID: d.Menu.ID, Values: []string{"skeptic"}, Source: bot.FromGuild})
	if !pick.Private || pick.Title != "The skeptical view" {
		t.Errorf("menu: private %v, title %q", pick.Private, pick.Title)
	}
	// Its own buttons turn its pages as usual.
	for _, row := range click.Buttons {
		for _, btn := range row {
			if c, _ := bot.ParseComponentID(btn.ID); c.Action == bot.ActionDigestSection || c.Action == bot.ActionDigestPick {
				t.Errorf("button %q of the opened section is a digest's", btn.Label)
			}
		}
	}
}

// /help names /digest subscribe where it can be used, once digests are set
// up, after what the reader can do there.
func TestDigestInHelp(t *testing.T) {
	help := func(b *bot.Bot, src bot.Source) string {
		t.Helper()
		return answer(t, b, &bot.Request{Kind: bot.KindCommand, Command: bot.CommandHelp, Source: src}).Body
	}
	e := newDigestEnv(t, 10, nil)
	for src, want := range map[bot.Source]string{
		bot.FromDM:    "Type a section name.\n\n**Digests**\n`/digest subscribe` brings you a digest here every day, at the time you choose; `/digest list` shows yours.",
		bot.FromGuild: "You can also DM me a question.\n\n**Digests**\n`/digest subscribe` posts a digest in a channel on a schedule, and can ping a role with it or publish it from an announcement channel (it takes Manage Server); `/digest list` shows the server's digests.",
	} {
		if got := help(e.b, src); !strings.HasSuffix(got, want) {
			t.Errorf("help in %v ends\n%s\nwant it to end\n%s", src, got[max(0, len(got)-200):], want)
		}
	}
	if got := help(e.b, bot.FromConsole); strings.Contains(got, "/digest") {
		t.Errorf("help in the console names /digest:\n%s", got)
	}
	off := newBot(t)
	for _, src := range []bot.Source{bot.FromDM, bot.FromGuild, bot.FromConsole} {
		if got := help(off, src); strings.Contains(got, "/digest") {
			t.Errorf("help in %v names /digest, which is not set up:\n%s", src, got)
		}
	}
}

// Every schedule the parser refuses is an Invalid error whose message is
// a sentence: capital first, full stop last.
func TestDigestScheduleErrors(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	for _, opts := range [][]string{
		{"timezone", "UTC"},
		{"time", "8.30"},
		{"time", "24:00"},
		{"time", "08:30", "timezone", "Europe/Pariss"},
		{"time", "08:30", "timezone", "Mars/Olympus_Mons"},
		{"time", "08:30", "frequency", "hourly"},
		{"cron", "0 25 * * *"},
		{"cron", "0 0 8 * * *"},
		{"cron", "@every 1h"},
		{"cron", "CRON_TZ=Europe/Paris 0 8 * * *"},
		{"cron", "0 8 * * *", "time", "08:00"},
		{"cron", "0 8 30 2 *"},
		{"frequency", "cron"},
	} {
		_, err := e.answer(t, admin(digest.Subscribe, opts...))
		msg := bot.UserMessage(err)
		if bot.KindOf(err) != bot.Invalid || msg == "" || strings.ToUpper(msg[:1]) != msg[:1] || !strings.HasSuffix(msg, ".") {
			t.Errorf("subscribe %v: %v %q, want an Invalid sentence", opts, bot.KindOf(err), msg)
		}
	}
}

// Without a transport's markup, /digest names moments and channels in
// plain text: the core writes no Discord markup of its own.
func TestDigestPlainMarkup(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	r := admin(digest.Subscribe, "time", "08:30", "timezone", "Europe/Madrid", "channel", "c9")
	r.Markup = nil
	reply := e.ok(t, r)
	if want := "in #c9. The first comes Mon 2 Mar 2026 07:30 UTC."; !strings.Contains(reply.Content, want) {
		t.Errorf("reply %q, want it to contain %q", reply.Content, want)
	}
	if strings.Contains(reply.Content, "<") || strings.Contains(e.sender.sent[0].Reply.Content, "<") {
		t.Errorf("Discord markup without Discord: %q, notice %q", reply.Content, e.sender.sent[0].Reply.Content)
	}
}

// A digest may ping one role, which briefbot must be allowed to ping, and
// may be published from an announcement channel; /digest list and the
// notice say so.
func TestDigestMentionAndPublish(t *testing.T) {
	e := newDigestEnv(t, 10, nil)
	withRole := func(r *bot.Request, mentionable bool, perms bot.Permissions) *bot.Request {
		r.Roles = map[string]bot.Role{"r1": {ID: "r1", Name: "Readers", Mentionable: mentionable}}
		r.AppPermissions = perms
		return r
	}
	reply := e.ok(t, withRole(admin(digest.Subscribe, "time", "08:30", "channel", "news", "mention", "r1", "publish", "true"), true, bot.SendMessages))
	subs := e.all(t)
	if len(subs) != 1 || subs[0].MentionRoleID != "r1" || !subs[0].Publish {
		t.Fatalf("stored %+v", subs)
	}
	if !strings.Contains(reply.Content, "set up: daily at 08:30 UTC in <#news>") {
		t.Errorf("reply %q", reply.Content)
	}
	wantNotice := "📰 This channel will receive the briefbot digest daily at 08:30 UTC, set up by Ana. The first comes <t:1772440200:f> (<t:1772440200:R>). " +
		"Each digest pings <@&r1> and is published to the channels that follow this one."
	if len(e.sender.sent) != 1 || e.sender.sent[0].Reply.Content != wantNotice {
		t.Errorf("notice %+v, want %q", e.sender.sent, wantNotice)
	}
	list := e.ok(t, admin(digest.List))
	if want := fmt.Sprintf("**%d** · daily at 08:30 UTC in <#news> · pings <@&r1> and is published to the channels that follow this one\nNext:", subs[0].ID); !strings.Contains(list.Body, want) {
		t.Errorf("list:\n%s\nwant %q", list.Body, want)
	}

	// A role nobody may mention, pinged with the Mention Everyone
	// permission; only the role.
	e.ok(t, withRole(admin(digest.Subscribe, "time", "09:30", "mention", "r1"), false, bot.SendMessages|bot.MentionEveryone))
	if subs := e.all(t); len(subs) != 2 || subs[1].MentionRoleID != "r1" || subs[1].Publish {
		t.Errorf("stored %+v", subs[1])
	}

	for _, tt := range []struct {
		name string
		req  *bot.Request
		kind bot.ErrorKind
		says string
	}{
		{"a role briefbot may not ping", withRole(admin(digest.Subscribe, "time", "10:30", "mention", "r1"), false, bot.SendMessages), bot.Forbidden,
			`briefbot may not ping @Readers: the role does not let anyone mention it, and briefbot lacks the Mention @everyone, @here, and All Roles permission. Turn on "Allow anyone to @mention this role" (Server Settings → Roles → Readers), or give briefbot that permission, then try again.`},
		{"@everyone", withRole(admin(digest.Subscribe, "time", "10:30", "mention", "g1"), true, bot.Administrator), bot.Invalid,
			"A digest pings one role, never @everyone: pick a role, or make one for the readers who want the ping."},
		{"a role Discord did not resolve", admin(digest.Subscribe, "time", "10:30", "mention", "r9"), bot.Invalid, "I can't find that role."},
		{"a role in a DM", withRole(inDM("u3", digest.Subscribe, "time", "10:30", "mention", "r1"), true, 0), bot.Invalid,
			"In a DM the digest comes to you alone, so there is no role to ping: leave out the mention option."},
		{"publish in a text channel", admin(digest.Subscribe, "time", "10:30", "publish", "true"), bot.Invalid,
			"<#c1> is not an announcement channel, so there is nothing to publish to. Pick an announcement channel (or make this one one: Edit Channel → Overview → Announcement Channel), or leave out publish."},
		{"publish in a channel that is gone", admin(digest.Subscribe, "time", "10:30", "channel", "gone", "publish", "true"), bot.NotFound, "I can't find <#gone>."},
		{"publish in a DM", inDM("u3", digest.Subscribe, "time", "10:30", "publish", "true"), bot.Invalid,
			"In a DM there is nothing to publish to: leave out the publish option."},
		{"publish as no boolean", admin(digest.Subscribe, "time", "10:30", "publish", "often"), bot.Invalid, `The publish option takes true or false, not "often".`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.sender.sent)
			_, err := e.answer(t, tt.req)
			if bot.KindOf(err) != tt.kind || !strings.Contains(bot.UserMessage(err), tt.says) {
				t.Errorf("got %v: %q\nwant %v: %q", bot.KindOf(err), bot.UserMessage(err), tt.kind, tt.says)
			}
			if len(e.sender.sent) != before || len(e.all(t)) != 2 {
				t.Errorf("a refused subscribe posted or stored something")
			}
		})
	}

	// Without Announcements, publish is refused; mention still works.
	lib, _ := content.Load(content.Embedded())
	off := bot.New(lib, bot.Options{})
	digest.Register(off, digest.Config{Store: e.store, Sender: e.sender, Clock: e.clk})
	_, err := off.Answer(context.Background(), admin(digest.Subscribe, "time", "11:30", "channel", "news", "publish", "true"))
	if bot.KindOf(err) != bot.Unavailable || !strings.Contains(bot.UserMessage(err), "Publishing digests is not set up on this bot") {
		t.Errorf("publish without Announcements: %v", err)
	}
}
