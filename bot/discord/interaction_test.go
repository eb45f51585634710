package discord_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// scripted answers as the core does, and with a few commands and custom
// ids of its own for what the core's commands seldom do: fail, answer
// privately after a public deferral, or promise a rephrasing.
func scripted(b *bot.Bot) bot.Handler {
	better := func(title string) func(context.Context) (*bot.Reply, error) {
		return func(context.Context) (*bot.Reply, error) {
			return &bot.Reply{Title: title, Body: "The rephrased body.", Buttons: [][]bot.Button{{{Label: "More", ID: "v1:more"}}}}, nil
		}
	}
	return bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		switch {
		case r.Command == "fail", r.CustomID == "v1:fail", r.Text == "fail":
			return nil, bot.Errorf(bot.Invalid, "That did not work.")
		case r.Command == "setup":
			return &bot.Reply{Content: "Digest 1 set up.", Private: true}, nil
		case r.Command == "rephrase", r.Text == "rephrase":
			return &bot.Reply{Content: "The first answer.", Pending: better("Rephrased")}, nil
		case r.Command == "rephrase-private":
			return &bot.Reply{Content: "The first private answer.", Private: true, Pending: better("Rephrased privately")}, nil
		}
		return b.Answer(ctx, r)
	})
}

// held makes h wait for g before answering.
func held(h bot.Handler, g *gate) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		g.wait()
		return h.Answer(ctx, r)
	})
}

// TestInteractionPayloads pins, in testdata/interactions/, every call the
// adapter makes for each kind of interaction and direct message: answered
// at once, or slow and deferred (2 s on the gateway's clock), and then
// edited, followed up or rephrased. Run go test -update to rewrite them.
func TestInteractionPayloads(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testInteractionPayloads(t, path) })
	}
}

func testInteractionPayloads(t *testing.T, path string) {
	b := coreBot(t)
	d := digestReply(t)
	private := option{name: bot.OptPrivate, value: true}
	for _, tt := range []struct {
		name  string
		event any
		slow  bool
	}{
		{"section", slash("1", "energy"), false},
		{"section-private", slash("1", "about", private), false},
		{"error-unknown-article", slash("1", "energy", option{name: "article", value: "nope"}), false},
		{"error-unknown-command", slash("1", "weather"), false},
		{"error-long-option", slash("1", "energy", option{name: "article", value: strings.Repeat("x", 1000)}), false},
		{"error", slash("1", "fail"), false},
		{"click", click("1", "v1:sec:putin-maduro-2025:quotes:0"), false},
		{"click-expired", click("1", "v0:whatever"), false},
		{"click-digest", click("1", d.Buttons[0][0].ID), false},
		{"autocomplete", typing("1", "energy", option{name: "article", value: "put", focused: true}), false},
		{"autocomplete-none", typing("1", "energy", option{name: "article", value: "zzz", focused: true}), false},
		{"rephrase", slash("1", "rephrase"), false},
		{"slow", slash("1", "timeline"), true},
		{"slow-private", slash("1", "quotes", private), true},
		{"slow-private-answer", slash("1", "setup"), true},
		{"slow-error", slash("1", "fail"), true},
		{"slow-click", click("1", "v1:sec:putin-maduro-2025:security:0"), true},
		{"slow-click-error", click("1", "v1:fail"), true},
		{"slow-click-digest", click("1", d.Menu.ID, "skeptic"), true},
		{"slow-rephrase", slash("1", "rephrase"), true},
		{"slow-rephrase-private", slash("1", "rephrase-private"), true},
		{"dm", dmFrom("1", reader, "energy"), false},
		{"dm-no-match", dmFrom("1", reader, "bananas are yellow"), false},
		{"dm-error", dmFrom("1", reader, "fail"), false},
		{"dm-rephrase", dmFrom("1", reader, "rephrase"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, g := scripted(b), (*gate)(nil)
			if tt.slow {
				g = newGate()
				h = held(h, g)
			}
			calls := startRecordedOn(t, path, h, nil).answer(t, tt.event, g)
			if len(calls) == 0 {
				t.Fatal("no calls")
			}
			discord.Golden(t, "interactions/"+tt.name+".json", calls)
			for _, c := range calls {
				if c.carriesMessage(t) {
					checkNoPings(t, c)
				}
			}
		})
	}
}

// checkNoPings fails unless a call that carries a message suppresses every
// mention.
func checkNoPings(t *testing.T, c call) {
	t.Helper()
	s := strings.ReplaceAll(string(c.Body), " ", "")
	if !strings.Contains(s, `"allowed_mentions":{"parse":[]}`) && !strings.Contains(s, `"allowed_mentions":{"parse":[],"replied_user":false}`) {
		t.Errorf("%s: allowed_mentions does not suppress everything: %s", c.Call, c.Body)
	}
}

func TestSectionCommands(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testSectionCommands(t, path) })
	}
}

func testSectionCommands(t *testing.T, path string) {
	b := coreBot(t)
	o := startRecordedOn(t, path, b, nil)
	for _, s := range b.Library().Default().Sections {
		t.Run(s.Name, func(t *testing.T) {
			calls := o.answer(t, slash("1"+s.Name, s.Name), nil)
			if len(calls) != 1 || calls[0].Call != "InteractionRespond" {
				t.Fatalf("calls %v, want one callback", names(calls))
			}
			d := calls[0].message(t)
			if typ := calls[0].callbackType(t); typ != 4 || len(d.Embeds) != 1 {
				t.Fatalf("callback type %d with %d embeds", typ, len(d.Embeds))
			}
			if e := d.Embeds[0]; e.Title != s.Title || e.Description != s.Body || !strings.HasSuffix(e.Footer.Text, " · "+s.Title) {
				t.Errorf("embed = %+v, want the curated %s section", e, s.Name)
			}
			if d.Flags != 0 {
				t.Errorf("flags = %d: a plain command must answer publicly", d.Flags)
			}
		})
	}
	calls := o.answer(t, slash("2", "energy", option{name: bot.OptPrivate, value: true}), nil)
	if d := calls[0].message(t); d.Flags&int64(discordgo.MessageFlagsEphemeral) == 0 {
		t.Error("private:true answered publicly")
	}
}

func TestButtonsAndMenu(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testButtonsAndMenu(t, path) })
	}
}

func testButtonsAndMenu(t *testing.T, path string) {
	body := strings.Repeat("A long paragraph that needs turning pages. ", 200)
	lib, err := bot.NewLibrary(&bot.Article{ID: "story", Title: "Story", Sections: []*bot.Section{
		{Name: "long", Title: "Long", Description: "d", Body: body, Related: []string{"short"}},
		{Name: "short", Title: "Short", Description: "d", Body: "Short body."},
	}})
	if err != nil {
		t.Fatal(err)
	}
	o := startRecordedOn(t, path, bot.New(lib, bot.Options{}), nil)
	first := o.answer(t, slash("1", "long"), nil)[0].message(t)
	next, ok := first.button("Next")
	if !ok {
		t.Fatalf("no Next button in %+v", first.Components)
	}
	updated := func(c []call) (int, messageData) {
		t.Helper()
		if len(c) != 1 || c[0].Call != "InteractionRespond" {
			t.Fatalf("calls %v, want one callback", names(c))
		}
		return c[0].callbackType(t), c[0].message(t)
	}

	typ, second := updated(o.answer(t, click("2", next.CustomID), nil))
	if typ != 7 || !strings.Contains(second.Embeds[0].Footer.Text, "page 2 of") {
		t.Errorf("Next: callback type %d, footer %q; want an update to page 2", typ, second.Embeds[0].Footer.Text)
	}
	rel, ok := first.button("Short")
	if !ok {
		t.Fatal("no related-section button")
	}
	if typ, d := updated(o.answer(t, click("3", rel.CustomID), nil)); typ != 7 || d.Embeds[0].Title != "Short" {
		t.Errorf("related button: type %d, %+v", typ, d.Embeds)
	}
	if typ, d := updated(o.answer(t, click("4", "v1:pick:story::0", "short"), nil)); typ != 7 || d.Embeds[0].Title != "Short" {
		t.Errorf("menu: type %d, %+v", typ, d.Embeds)
	}
	if typ, d := updated(o.answer(t, click("5", "v0:whatever"), nil)); typ != 4 || d.Flags&int64(discordgo.MessageFlagsEphemeral) == 0 || !strings.Contains(d.Content, "expired") {
		t.Errorf("expired button: type %d flags %d %q; want a private note", typ, d.Flags, d.Content)
	}
}

func TestBadInput(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testBadInput(t, path) })
	}
}

func testBadInput(t *testing.T, path string) {
	o := startRecordedOn(t, path, coreBot(t), nil)
	for n, tt := range []struct {
		name string
		cmd  *discordgo.InteractionCreate
		says string
	}{
		{"unknown command", slash("1", "weather"), "I don't have a /weather command"},
		{"unknown article", slash("2", "energy", option{name: "article", value: "nope"}), "Articles: putin-maduro-2025"},
		{"over-long value", slash("3", "energy", option{name: "article", value: strings.Repeat("x", 1000)}), "too long"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := o.answer(t, tt.cmd, nil)
			if len(calls) != 1 {
				t.Fatalf("case %d: calls %v", n, names(calls))
			}
			d := calls[0].message(t)
			if typ := calls[0].callbackType(t); typ != 4 || d.Flags&int64(discordgo.MessageFlagsEphemeral) == 0 || !strings.Contains(d.Content, tt.says) {
				t.Errorf("type %d flags %d content %q; want a private message saying %q", typ, d.Flags, d.Content, tt.says)
			}
		})
	}
}

func TestDirectMessages(t *testing.T) {
	o := startRecorded(t, coreBot(t), nil)
	// Messages the bot must ignore: its own, and another bot's.
	if calls := o.answer(t, dmFrom("1", &discordgo.User{ID: botUserID, Username: "briefbot"}, "energy"), nil); len(calls) != 0 {
		t.Errorf("the bot answered itself: %v", names(calls))
	}
	if calls := o.answer(t, dmFrom("2", &discordgo.User{ID: "301", Username: "otherbot", Bot: true}, "energy"), nil); len(calls) != 0 {
		t.Errorf("the bot answered another bot: %v", names(calls))
	}
	for n, tt := range []struct {
		text, content, title, body string
	}{
		{"energy", "", "Energy: oil, gas and OPEC+", ""},
		{"what about the weapons?", "", "what about the weapons?", "`/security` · Security and defense cooperation"},
		{"hello", "", "What you can ask briefbot", ""},
		{"bananas are yellow", "", "", "The article doesn't say."},
		{"/enrgy", "Did you mean /energy?", "What you can ask briefbot", ""},
	} {
		id := string(rune('a' + n))
		calls := o.answer(t, dmFrom(id, reader, tt.text), nil)
		if len(calls) != 1 || calls[0].Call != "ChannelMessageSendComplex" || calls[0].On != "dm-"+reader.ID {
			t.Fatalf("after %q the bot made the calls %v, want one message in the DM", tt.text, names(calls))
		}
		got := calls[0].message(t)
		if !strings.Contains(got.Content, tt.content) || len(got.Embeds) != 1 || got.Embeds[0].Title != tt.title || !strings.Contains(got.Embeds[0].Description, tt.body) {
			t.Errorf("%q: content %q, embeds %+v; want %q with %q holding %q", tt.text, got.Content, got.Embeds, tt.content, tt.title, tt.body)
		}
		var ref struct {
			Reference struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if json.Unmarshal(calls[0].Body, &ref); ref.Reference.MessageID != id {
			t.Errorf("%q: the answer does not reply to the message: %s", tt.text, calls[0].Body)
		}
	}
}

// A click on a digest answers with a private message of its own and leaves
// the digest, which the channel shares, as it is: at once, and after a
// deferral.
func TestDigestClicksArePrivate(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testDigestClicksArePrivate(t, path) })
	}
}

func testDigestClicksArePrivate(t *testing.T, path string) {
	b, d := coreBot(t), digestReply(t)
	g := newGate()
	slow := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if len(r.Values) > 0 {
			g.wait()
		}
		return b.Answer(ctx, r)
	})
	o := startRecordedOn(t, path, slow, nil)

	calls := o.answer(t, click("1", d.Buttons[0][0].ID), nil)
	if len(calls) != 1 || calls[0].callbackType(t) != 4 || calls[0].message(t).Flags&int64(discordgo.MessageFlagsEphemeral) == 0 {
		t.Errorf("button: calls %v; want a private message", names(calls))
	}

	calls = o.answer(t, click("2", d.Menu.ID, "skeptic"), g)
	if len(calls) != 2 || calls[0].callbackType(t) != 6 || calls[1].Call != "FollowupMessageCreate" {
		t.Fatalf("slow menu: calls %v; want a deferred update and a follow-up", names(calls))
	}
	f := calls[1].message(t)
	if f.Flags&int64(discordgo.MessageFlagsEphemeral) == 0 || len(f.Embeds) != 1 || f.Embeds[0].Title != "The skeptical view" {
		t.Errorf("slow menu: follow-up %+v", f)
	}
	for _, c := range o.rec.since(0) {
		if strings.Contains(c.Call, "Edit") {
			t.Errorf("the digest was edited: %s %s", c.Call, c.Body)
		}
	}
}

// A slow private answer to a command asked without private:true is not
// edited into the public "thinking…" message: that goes, and the answer
// follows privately.
func TestSlowPrivateAnswer(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testSlowPrivateAnswer(t, path) })
	}
}

func testSlowPrivateAnswer(t *testing.T, path string) {
	g := newGate()
	o := startRecordedOn(t, path, held(scripted(coreBot(t)), g), nil)
	calls := o.answer(t, slash("1", "setup"), g)
	if got := strings.Join(names(calls), " "); got != "InteractionRespond InteractionResponseDelete FollowupMessageCreate" {
		t.Fatalf("calls %s; want the deferral, its removal and a follow-up", got)
	}
	if typ := calls[0].callbackType(t); typ != 5 {
		t.Errorf("callback type %d, want a deferral (5)", typ)
	}
	if f := calls[2].message(t); f.Content != "Digest 1 set up." || f.Flags&int64(discordgo.MessageFlagsEphemeral) == 0 {
		t.Errorf("follow-up %+v", f)
	}
}

// A panic — in the core, in an edit, in a rephrasing, in a gateway event —
// is logged with its stack, never ends the process, and the person who
// asked still hears that something went wrong when no answer reached them.
func TestPanicsAreRecovered(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testPanicsAreRecovered(t, path) })
	}
}

func testPanicsAreRecovered(t *testing.T, path string) {
	b := coreBot(t)
	// Each handler answers /summary, which shows that the bot goes on.
	boom := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if r.Command == "summary" {
			return b.Answer(ctx, r)
		}
		panic("boom")
	})
	rephraseBoom := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if r.Command == "summary" {
			return b.Answer(ctx, r)
		}
		return &bot.Reply{Content: "first", Pending: func(context.Context) (*bot.Reply, error) { panic("boom") }}, nil
	})
	panics := func() error { panic("boom") }
	wentWrong := bot.UserMessage(errors.New("x"))
	for _, tt := range []struct {
		name   string
		h      bot.Handler
		slow   bool
		inject string // a call that panics
		event  any
		want   string // the calls made
		says   string // what the last call says; "" for nothing
	}{
		{"handler", boom, false, "", slash("1", "energy"), "InteractionRespond", wentWrong},
		{"slow handler", boom, true, "", slash("1", "energy"), "InteractionRespond InteractionResponseDelete FollowupMessageCreate", wentWrong},
		{"slow click handler", boom, true, "", click("1", "v1:x"), "InteractionRespond FollowupMessageCreate", wentWrong},
		{"callback", b, false, "InteractionRespond", slash("1", "energy"), "InteractionRespond InteractionRespond", wentWrong},
		{"edit of a slow answer", b, true, "InteractionResponseEdit", slash("1", "energy"),
			"InteractionRespond InteractionResponseEdit InteractionResponseDelete FollowupMessageCreate", wentWrong},
		{"rephrasing", rephraseBoom, false, "", slash("1", "energy"), "InteractionRespond", ""},
		{"edit of a rephrasing", scripted(b), false, "InteractionResponseEdit", slash("1", "rephrase"), "InteractionRespond InteractionResponseEdit", ""},
		{"direct message", boom, false, "", dmFrom("1", reader, "energy"), "ChannelMessageSendComplex", wentWrong},
		{"gateway event", b, false, "", &discordgo.Ready{}, "", ""}, // no user: a nil dereference
	} {
		t.Run(tt.name, func(t *testing.T) {
			if path == "http" && (tt.inject == "InteractionRespond" || tt.name == "gateway event") {
				t.Skip("over HTTP the callback is the response, which no REST call sends, and interactions need no gateway")
			}
			h, g := tt.h, (*gate)(nil)
			if tt.slow {
				g = newGate()
				h = held(h, g)
			}
			o := startRecordedOn(t, path, h, nil)
			if tt.inject != "" {
				o.rec.inject(tt.inject, panics)
			}
			calls := o.answer(t, tt.event, g)
			if got := strings.Join(names(calls), " "); got != tt.want {
				t.Fatalf("calls %q, want %q", got, tt.want)
			}
			if tt.says != "" {
				last := calls[len(calls)-1].message(t)
				if last.Content != tt.says || last.Flags&int64(discordgo.MessageFlagsEphemeral) == 0 && !strings.HasPrefix(calls[len(calls)-1].Call, "Channel") {
					t.Errorf("the last call says %q (flags %d), want %q privately", last.Content, last.Flags, tt.says)
				}
			}
			if logs := o.logs.String(); !strings.Contains(logs, "panic=boom") && !strings.Contains(logs, "nil pointer") || !strings.Contains(logs, "goroutine ") {
				t.Errorf("the panic was not logged with its stack:\n%s", logs)
			}
			// The bot goes on answering.
			if calls := o.answer(t, slash("2", "summary"), nil); len(calls) != 1 || calls[0].callbackType(t) != 4 {
				t.Errorf("after the panic: calls %v", names(calls))
			}
		})
	}
}

// A connection that fails is retried at once, then after a backoff on the
// gateway's clock; a fatal close code stops the gateway.
func TestReconnectBackoffOnTheClock(t *testing.T) {
	ctx := waitCtx(t)
	rec := newRecorder()
	rec.failOpens(errors.New("dial failed"), errors.New("dial failed"))
	clk := newClock()
	gw, err := discord.NewGateway(discord.GatewayConfig{Config: discord.Config{Session: rec}, SkipRegister: true, Clock: clk}, coreBot(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- gw.Run(runCtx) }()
	if err := clk.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if when, _ := clk.Next(); when.Sub(clk.Now()) != time.Second {
		t.Errorf("the second retry waits %v, want 1s", when.Sub(clk.Now()))
	}
	if got := countCalls(rec, "Open"); got != 2 {
		t.Errorf("%d Opens before the backoff, want 2: a failure is retried at once", got)
	}
	clk.Advance(time.Second)
	select {
	case <-gw.Ready():
	case err := <-errc:
		t.Fatalf("Run = %v", err)
	case <-ctx.Done():
		t.Fatal("never connected after the backoff")
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("Run = %v after shutdown", err)
	}

	for _, code := range []int{4004, 4010, 4011, 4012, 4013, 4014} {
		rec := newRecorder()
		rec.failOpens(&websocket.CloseError{Code: code})
		gw, err := discord.NewGateway(discord.GatewayConfig{Config: discord.Config{Session: rec}, SkipRegister: true, Clock: newClock()}, coreBot(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		var fatal *discord.FatalError
		if err := gw.Run(ctx); !errors.As(err, &fatal) || fatal.Code != code {
			t.Errorf("close code %d: Run = %v, want a fatal error", code, err)
		}
	}
}

// After a lost connection the gateway pauses on its clock before resuming.
func TestLostConnectionSettlesOnTheClock(t *testing.T) {
	ctx := waitCtx(t)
	o := startRecorded(t, coreBot(t), nil)
	mark := o.rec.mark()
	o.rec.dispatch(&discordgo.Disconnect{})
	if err := o.clock.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if n := countCalls(o.rec, "Open"); n != 1 {
		t.Errorf("resumed before the pause: %d Opens", n)
	}
	o.clock.Advance(250 * time.Millisecond)
	if err := o.rec.wait(ctx, mark, "Open"); err != nil {
		t.Fatal(err)
	}
}

// Shutdown waits for answers in flight within the grace, on the clock.
func TestShutdownGraceOnTheClock(t *testing.T) {
	ctx := waitCtx(t)
	g := newGate()
	defer g.open()
	o := startRecorded(t, held(coreBot(t), g), func(c *discord.GatewayConfig) { c.ShutdownGrace = time.Minute })
	o.rec.dispatch(slash("1", "energy"))
	if err := o.clock.BlockUntil(ctx, 1); err != nil { // the deferral
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- o.stop() }()
	if err := o.clock.BlockUntil(ctx, 2); err != nil { // and the grace
		t.Fatal(err)
	}
	select {
	case err := <-stopped:
		t.Fatalf("Run = %v with an answer in flight", err)
	default:
	}
	o.clock.Advance(time.Minute)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(o.logs.String(), "shutting down with answers still in flight") {
		t.Errorf("no warning in the log:\n%s", o.logs.String())
	}
}

func countCalls(r *recorder, name string) int {
	n := 0
	for _, c := range r.since(0) {
		if c.Call == name {
			n++
		}
	}
	return n
}

// A gateway for direct messages only (serve's --gateway dm) leaves an
// interaction that reaches it alone: the endpoint answers those.
func TestDMOnlyGatewayIgnoresInteractions(t *testing.T) {
	o := startRecordedOn(t, "http", coreBot(t), nil)
	mark := o.rec.mark()
	<-o.rec.dispatch(slash("1", "energy"))
	if calls := o.rec.since(mark); len(calls) != 0 {
		t.Errorf("the DM gateway answered an interaction: %v", names(calls))
	}
	if calls := o.answer(t, dmFrom("2", reader, "energy"), nil); len(calls) != 1 || calls[0].Call != "ChannelMessageSendComplex" {
		t.Errorf("a DM: calls %v", names(calls))
	}
	if _, err := discord.NewGateway(discord.GatewayConfig{Config: discord.Config{Session: newRecorder()}, DMOnly: true, ShardID: 1, ShardCount: 2}, coreBot(t), nil); err == nil {
		t.Error("a DM gateway on shard 1 was accepted")
	}
}

// A command that new content makes always private (bot.Command.Private,
// handed over by SetCommands as a reload does) is acknowledged privately
// from then on, on either path, and publicly before.
func TestSetCommandsMakesPrivate(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			b := coreBot(t)
			var mu sync.Mutex
			gates := []*gate{newGate(), newGate()}
			slow := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
				mu.Lock()
				g := gates[0]
				gates = gates[1:]
				mu.Unlock()
				g.wait()
				return b.Answer(ctx, r)
			})
			o := startRecordedOn(t, path, slow, nil)
			deferredPrivately := func(id string, g *gate) bool {
				t.Helper()
				calls := o.answer(t, slash(id, "energy"), g)
				if len(calls) == 0 || calls[0].callbackType(t) != 5 {
					t.Fatalf("calls %v; want a deferral first", names(calls))
				}
				return calls[0].message(t).Flags&int64(discordgo.MessageFlagsEphemeral) != 0
			}
			first, second := gates[0], gates[1]
			if deferredPrivately("1", first) {
				t.Error("deferred privately before the command was private")
			}
			cmds := []bot.Command{{Name: "energy", Description: "Energy", Private: true}}
			if o.ep != nil {
				o.ep.SetCommands(cmds)
			} else if _, err := o.gw.SetCommands(waitCtx(t), cmds); err != nil {
				t.Fatal(err)
			}
			if !deferredPrivately("2", second) {
				t.Error("deferred publicly after SetCommands made the command private")
			}
		})
	}
}
