package discord_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
	"github.com/briefbot/briefbot/content"
	"github.com/bwmarrin/discordgo"
)

// wait bounds every wait in these tests: long enough never to fire on a
// loaded machine, short enough that a hang fails instead of blocking.
const wait = 30 * time.Second

func waitCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

func TestMain(m *testing.M) {
	// discordgo logs to the standard logger; keep test output to the tests.
	discordgo.Logger = func(int, int, string, ...any) {}
	os.Exit(m.Run())
}

func coreBot(t testing.TB) *bot.Bot {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{})
	if _, err := ask.Register(b, ask.Config{}); err != nil {
		t.Fatal(err)
	}
	return b
}

type running struct {
	fake *discordtest.Server
	gw   *discord.Gateway
	ep   *discord.Endpoint // over "http"
	stop func() error      // cancels Run and returns what it returned
	errc chan error
}

// start runs a Gateway against a fake Discord until the test ends.
func start(t testing.TB, fake *discordtest.Server, h bot.Handler, cmds []bot.Command, tweak func(*discord.GatewayConfig)) *running {
	t.Helper()
	cfg := discord.GatewayConfig{Config: discord.Config{Token: fake.Token(), BaseURL: fake.URL(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	if tweak != nil {
		tweak(&cfg)
	}
	gw, err := discord.NewGateway(cfg, h, cmds)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{fake: fake, gw: gw, errc: make(chan error, 1)}
	go func() { r.errc <- gw.Run(ctx) }()
	var once sync.Once
	var result error
	r.stop = func() error {
		once.Do(func() { cancel(); result = <-r.errc })
		return result
	}
	t.Cleanup(func() { r.stop() })
	select {
	case <-gw.Ready():
	case err := <-r.errc:
		r.errc <- err
	case <-time.After(wait):
		t.Fatal("the gateway never became ready")
	}
	return r
}

func startBot(t testing.TB, tweak func(*discord.GatewayConfig)) (*running, *bot.Bot) {
	b := coreBot(t)
	return start(t, discordtest.New(t), b, b.Commands(), tweak), b
}

// paths are the two ways interactions reach the bot: the gateway, and
// Discord's HTTP POSTs to the interactions endpoint. Every end-to-end
// test of interactions runs on both.
var paths = []string{"gateway", "http"}

// startOn runs the bot against a fake Discord until the test ends, with
// interactions coming over path. Over "http" it is deployed as briefbot
// serve is: the endpoint on an HTTP server, registering the commands, the
// fake posting interactions to it, and a gateway for direct messages
// only. tweak's DeferAfter and Clock apply to either.
func startOn(t testing.TB, path string, fake *discordtest.Server, h bot.Handler, cmds []bot.Command, tweak func(*discord.GatewayConfig)) *running {
	t.Helper()
	if path == "gateway" {
		return start(t, fake, h, cmds, tweak)
	}
	var cfg discord.GatewayConfig
	if tweak != nil {
		tweak(&cfg)
	}
	client, err := discord.NewClient(discord.Config{Token: fake.Token(), BaseURL: fake.URL(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Observer: cfg.Observer})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterCommands(waitCtx(t), cmds, ""); err != nil {
		t.Fatal(err)
	}
	ep, err := discord.NewEndpoint(discord.EndpointConfig{Client: client, PublicKey: fake.PublicKey(), DeferAfter: cfg.DeferAfter, Clock: cfg.Clock}, h, cmds)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ep)
	dms := start(t, fake, h, nil, func(c *discord.GatewayConfig) {
		if tweak != nil {
			tweak(c)
		}
		c.Client, c.DMOnly, c.SkipRegister = client, true, true
	})
	if err := fake.SetInteractionsEndpoint(waitCtx(t), srv.URL+"/interactions"); err != nil {
		t.Fatal(err)
	}
	stopGateway := dms.stop
	var once sync.Once
	var result error
	dms.stop = func() error {
		once.Do(func() {
			srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			if err := ep.Shutdown(ctx); err != nil {
				result = err
			}
			if err := stopGateway(); err != nil {
				result = err
			}
		})
		return result
	}
	dms.ep = ep
	t.Cleanup(func() { dms.stop() })
	return dms
}

// startBotOn is startBot over path.
func startBotOn(t testing.TB, path string, tweak func(*discord.GatewayConfig)) (*running, *bot.Bot) {
	b := coreBot(t)
	return startOn(t, path, discordtest.New(t), b, b.Commands(), tweak), b
}

type embed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Footer      struct {
		Text string `json:"text"`
	} `json:"footer"`
}

type component struct {
	Type       int         `json:"type"`
	CustomID   string      `json:"custom_id"`
	Label      string      `json:"label"`
	Disabled   bool        `json:"disabled"`
	Components []component `json:"components"`
}

type messageData struct {
	Content    string      `json:"content"`
	Flags      int64       `json:"flags"`
	Embeds     []embed     `json:"embeds"`
	Components []component `json:"components"`
	Choices    []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"choices"`
}

func decode(t testing.TB, raw []byte) messageData {
	t.Helper()
	var d messageData
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return d
}

// button finds a button by a prefix of its label.
func (d messageData) button(label string) (component, bool) {
	for _, row := range d.Components {
		for _, c := range row.Components {
			if c.Type == 2 && strings.HasPrefix(c.Label, label) {
				return c, true
			}
		}
	}
	return component{}, false
}

func TestRegistersOnlyWhenChanged(t *testing.T) {
	b := coreBot(t)
	fake := discordtest.New(t)
	first := start(t, fake, b, b.Commands(), nil)
	if err := first.stop(); err != nil {
		t.Fatal(err)
	}
	cmds := fake.Commands("")
	if len(cmds) != len(b.Commands()) {
		t.Fatalf("Discord has %d global commands, want %d", len(cmds), len(b.Commands()))
	}
	second := start(t, fake, b, b.Commands(), nil)
	if err := second.stop(); err != nil {
		t.Fatal(err)
	}
	puts := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/commands") {
			puts++
		}
	}
	if puts != 1 {
		t.Errorf("%d bulk overwrites over two starts with the same commands, want 1", puts)
	}

	guild := start(t, fake, b, b.Commands(), func(c *discord.GatewayConfig) { c.GuildID = fake.Guild().ID })
	guild.stop()
	if got := len(fake.Commands(fake.Guild().ID)); got != len(b.Commands()) {
		t.Errorf("guild registration: %d commands", got)
	}
}

func TestAutocomplete(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testAutocomplete(t, path) })
	}
}

func testAutocomplete(t *testing.T, path string) {
	r, _ := startBotOn(t, path, nil)
	ctx := waitCtx(t)
	for _, tt := range []struct {
		typed string
		want  int
	}{{"put", 1}, {"zzz", 0}} {
		i := r.fake.DispatchAutocomplete(discordtest.Command{Name: "energy", Options: []discordtest.CommandOption{{Name: "article", Value: tt.typed, Focused: true}}})
		cb, err := r.fake.WaitCallback(ctx, i.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := decode(t, cb.Data)
		if cb.Type != discordtest.CallbackAutocomplete || len(d.Choices) != tt.want {
			t.Errorf("typed %q: type %d, choices %+v", tt.typed, cb.Type, d.Choices)
		}
		if !strings.Contains(string(cb.Data), `"choices":[`) {
			t.Errorf("typed %q: no choices list in %s", tt.typed, cb.Data)
		}
	}
}

// A modal's submission is answered on either path: one from no modal the
// bot knows gets the core's private word that it has expired.
func TestModalSubmitAnswered(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			r, _ := startBotOn(t, path, nil)
			i := r.fake.DispatchModalSubmit(discordtest.ModalSubmit{CustomID: "v1:report", Fields: []discordtest.ModalField{{ID: "why", Value: "a wrong figure"}}})
			cb, err := r.fake.WaitCallback(waitCtx(t), i.ID)
			if err != nil {
				t.Fatal(err)
			}
			if cb.Type != discordtest.CallbackMessage || cb.Flags&discordtest.FlagEphemeral == 0 || !strings.Contains(cb.Content, "This button has expired") {
				t.Errorf("callback %d flags %d %q", cb.Type, cb.Flags, cb.Content)
			}
		})
	}
}

func TestSlowAnswerIsDeferredThenEdited(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testSlowAnswerIsDeferredThenEdited(t, path) })
	}
}

func testSlowAnswerIsDeferredThenEdited(t *testing.T, path string) {
	b := coreBot(t)
	release := make(chan struct{})
	slow := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if r.Command == "energy" || r.Kind == bot.KindComponent {
			<-release
		}
		return b.Answer(ctx, r)
	})
	r := startOn(t, path, discordtest.New(t), slow, b.Commands(), func(c *discord.GatewayConfig) { c.DeferAfter = 20 * time.Millisecond })
	ctx := waitCtx(t)

	i := r.fake.DispatchCommand(discordtest.Command{Name: "energy"})
	cb, err := r.fake.WaitCallback(ctx, i.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackDeferredMessage {
		t.Fatalf("callback type %d, want a deferral (5)", cb.Type)
	}
	click := r.fake.DispatchComponent(discordtest.Component{CustomID: "v1:sec:putin-maduro-2025:quotes:0"})
	cb, err = r.fake.WaitCallback(ctx, click.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackDeferredUpdate {
		t.Fatalf("component callback type %d, want a deferred update (6)", cb.Type)
	}
	close(release)
	m, err := r.fake.WaitOriginal(ctx, i.ID, func(m discordtest.Message) bool { return m.Edits > 0 })
	if err != nil {
		t.Fatal(err)
	}
	var embeds []embed
	json.Unmarshal(m.Embeds, &embeds)
	if len(embeds) != 1 || embeds[0].Title != "Energy: oil, gas and OPEC+" {
		t.Errorf("edited original = %+v", embeds)
	}
	if _, err := r.fake.WaitOriginal(ctx, click.ID, func(m discordtest.Message) bool { return m.Edits > 0 }); err != nil {
		t.Errorf("the component's message was not updated: %v", err)
	}
}

func TestShutdownFinishesAnswersInFlight(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testShutdownFinishesAnswersInFlight(t, path) })
	}
}

func testShutdownFinishesAnswersInFlight(t *testing.T, path string) {
	b := coreBot(t)
	entered, release := make(chan struct{}), make(chan struct{})
	slow := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		close(entered)
		<-release
		return b.Answer(ctx, r)
	})
	r := startOn(t, path, discordtest.New(t), slow, b.Commands(), func(c *discord.GatewayConfig) { c.DeferAfter = 20 * time.Millisecond })
	ctx := waitCtx(t)
	i := r.fake.DispatchCommand(discordtest.Command{Name: "energy"})
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- r.stop() }()
	if _, err := r.fake.WaitCallback(ctx, i.ID); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("Run = %v after shutdown", err)
	}
	if m, ok := r.fake.Original(i.ID); !ok || m.Edits == 0 {
		t.Error("shutdown did not wait for the answer in flight")
	}
}

// TestResumesAndAnswersOnce drops the connection and checks that the bot
// resumes, answers the interaction queued meanwhile once, and keeps the
// resumed session: discordgo's heartbeat goroutine for the lost connection
// must not close the resumed one.
func TestResumesAndAnswersOnce(t *testing.T) {
	r, _ := startBot(t, nil)
	ctx := waitCtx(t)
	release := r.fake.HoldConnections()
	r.fake.DropConnections()
	i := r.fake.DispatchCommand(discordtest.Command{Name: "summary"}) // queued for the replay
	release()
	if _, err := r.fake.WaitFrame(ctx, discordtest.Received(6)); err != nil {
		t.Fatalf("the bot did not RESUME: %v", err)
	}
	cb, err := r.fake.WaitCallback(ctx, i.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordtest.CallbackMessage {
		t.Errorf("callback type %d", cb.Type)
	}
	after := r.fake.DispatchCommand(discordtest.Command{Name: "energy"})
	if _, err := r.fake.WaitCallback(ctx, after.ID); err != nil {
		t.Fatalf("no answer after the resume: %v", err)
	}
	if n := len(r.fake.InteractionRequests(i.ID)); n != 1 {
		t.Errorf("the replayed interaction got %d requests, want one callback", n)
	}
	if r.fake.Starts() != 1 {
		t.Errorf("%d IDENTIFYs: a dropped connection must be resumed, not started over", r.fake.Starts())
	}
	for _, c := range r.fake.Conns() {
		if c.Resumed && c.BotClose != 0 {
			t.Errorf("the bot closed the resumed connection %d with code %d", c.ID, c.BotClose)
		}
	}
}

func TestRetriesRateLimitedCallback(t *testing.T) {
	r, _ := startBot(t, nil)
	ctx := waitCtx(t)
	r.fake.Inject(discordtest.RateLimit(http.MethodPost, "/interactions/*/*/callback", 50*time.Millisecond, false))
	i := r.fake.DispatchCommand(discordtest.Command{Name: "quotes"})
	if _, err := r.fake.WaitRequest(ctx, func(req discordtest.Request) bool {
		return strings.Contains(req.Path, i.ID) && req.Status == http.StatusNoContent
	}); err != nil {
		t.Fatal(err)
	}
	var statuses []int
	for _, req := range r.fake.InteractionRequests(i.ID) {
		statuses = append(statuses, req.Status)
	}
	if fmt.Sprint(statuses) != "[429 204]" {
		t.Errorf("callback statuses %v, want a 429 then success", statuses)
	}
}

func TestRejectedToken(t *testing.T) {
	b := coreBot(t)
	fake := discordtest.New(t)
	gw, err := discord.NewGateway(discord.GatewayConfig{Config: discord.Config{Token: "not-the-token", BaseURL: fake.URL()}}, b, b.Commands())
	if err != nil {
		t.Fatal(err)
	}
	err = gw.Run(waitCtx(t))
	var fatal *discord.FatalError
	if !errors.As(err, &fatal) || fatal.Code != 401 || !strings.Contains(err.Error(), "rejected the bot token") {
		t.Fatalf("Run = %v, want a fatal rejected-token error", err)
	}
	if strings.Contains(err.Error(), "not-the-token") {
		t.Error("the error shows the token")
	}
}

func TestTokenRevokedWhileConnected(t *testing.T) {
	r, _ := startBot(t, nil)
	r.fake.SetToken("a-new-token")
	r.fake.DropConnections()
	select {
	case err := <-r.errc:
		var fatal *discord.FatalError
		if !errors.As(err, &fatal) || fatal.Code != 4004 {
			t.Fatalf("Run = %v, want a fatal 4004", err)
		}
		r.errc <- err
	case <-time.After(wait):
		t.Fatal("the bot kept reconnecting with a rejected token")
	}
}

// TestNoPings checks every payload the bot sent in the other tests' kinds
// of traffic for allowed_mentions that suppress everything.
func TestNoPings(t *testing.T) {
	for _, path := range paths {
		t.Run(path, func(t *testing.T) { testNoPings(t, path) })
	}
}

func testNoPings(t *testing.T, path string) {
	b := coreBot(t)
	release := make(chan struct{})
	h := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		if r.Command == "timeline" {
			<-release // deferred, then edited in
		}
		return b.Answer(ctx, r)
	})
	r := startOn(t, path, discordtest.New(t), h, b.Commands(), func(c *discord.GatewayConfig) { c.DeferAfter = 100 * time.Millisecond })
	ctx := waitCtx(t)
	slow := r.fake.DispatchCommand(discordtest.Command{Name: "timeline"})
	if cb, err := r.fake.WaitCallback(ctx, slow.ID); err != nil || cb.Type != discordtest.CallbackDeferredMessage {
		t.Fatalf("slow command: %+v, %v", cb, err)
	}
	close(release)
	if _, err := r.fake.WaitOriginal(ctx, slow.ID, func(m discordtest.Message) bool { return m.Edits > 0 }); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"summary", "weather"} {
		i := r.fake.DispatchCommand(discordtest.Command{Name: name})
		r.fake.WaitCallback(ctx, i.ID)
	}
	c := r.fake.DispatchComponent(discordtest.Component{CustomID: "v1:sec:putin-maduro-2025:quotes:0"})
	r.fake.WaitCallback(ctx, c.ID)
	dm := r.fake.DMChannel(r.fake.Human().ID)
	r.fake.DispatchMessage(discordtest.Incoming{ChannelID: dm, Content: "energy"})
	if _, err := r.fake.WaitRequest(ctx, func(req discordtest.Request) bool {
		return req.Method == http.MethodPost && req.Path == "/channels/"+dm+"/messages"
	}); err != nil {
		t.Fatal(err)
	}
	// Over HTTP the callbacks are the endpoint's responses: checked as
	// the callback requests they stand for.
	reqs := r.fake.Requests()
	for _, d := range r.fake.Deliveries() {
		if d.InteractionID != "" {
			reqs = append(reqs, discordtest.Request{Method: http.MethodPost, Path: "/interactions/" + d.InteractionID + "/token/callback", Body: d.Body})
		}
	}
	checked := 0
	for _, req := range reqs {
		if !sendsMessage(req) {
			continue
		}
		checked++
		am, ok := req.AllowedMentions()
		if !ok || strings.ReplaceAll(string(am), " ", "") != `{"parse":[],"replied_user":false}` && strings.ReplaceAll(string(am), " ", "") != `{"parse":[]}` {
			t.Errorf("%s %s: allowed_mentions %s", req.Method, req.Path, am)
		}
	}
	if checked < 5 {
		t.Errorf("checked only %d payloads", checked)
	}
}

// sendsMessage reports whether a request carries message content.
func sendsMessage(r discordtest.Request) bool {
	switch {
	case strings.HasSuffix(r.Path, "/callback"):
		var cb struct{ Type int }
		json.Unmarshal(r.Body, &cb)
		return cb.Type == 4 || cb.Type == 7
	case strings.HasPrefix(r.Path, "/webhooks/") && r.Method != http.MethodDelete && r.Method != http.MethodGet:
		return true
	case strings.HasPrefix(r.Path, "/channels/") && strings.HasSuffix(r.Path, "/messages") && r.Method == http.MethodPost:
		return true
	}
	return false
}

func TestIdentifiesWithIntentsAndShard(t *testing.T) {
	b := coreBot(t)
	fake := discordtest.New(t)
	guild := fake.AddGuild(discordtest.Guild{ID: fmt.Sprint(int64(1) << 22), Name: "on shard 1"}) // (id >> 22) % 2 == 1
	fake.AddChannel(discordtest.Channel{GuildID: guild.ID, Name: "general"})
	r := start(t, fake, b, b.Commands(), func(c *discord.GatewayConfig) { c.ShardID, c.ShardCount = 1, 2 })
	id := fake.Conns()[0].Identify
	if id.Shard != [2]int{1, 2} {
		t.Errorf("IDENTIFY shard %v, want [1 2]", id.Shard)
	}
	if id.Intents != int64(discord.Intents) || id.Intents&discordtest.IntentMessageContent != 0 {
		t.Errorf("IDENTIFY intents %b: want Guilds and DirectMessages only", id.Intents)
	}
	i := r.fake.DispatchCommand(discordtest.Command{Origin: discordtest.Origin{GuildID: guild.ID}, Name: "summary"})
	if _, err := r.fake.WaitCallback(waitCtx(t), i.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := discord.NewGateway(discord.GatewayConfig{Config: discord.Config{Token: "x"}, ShardID: 2, ShardCount: 2}, b, nil); err == nil {
		t.Error("shard 2 of 2 accepted")
	}
}
