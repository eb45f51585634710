package discord_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/bwmarrin/discordgo"
)

// recorder is a fake discord.Session. It answers every call at once, as
// Discord would, and records each with its payload as JSON, so that tests
// of rendering, deferral and errors read what the adapter would send
// without a wire. Its connections open at once and say READY; a test
// delivers events with dispatch, each in a goroutine of its own, as
// discordgo does. What only the wire shows — resuming, close codes,
// heartbeats, nonces, Discord's own 3-second window — is discordtest's.
type recorder struct {
	mu       sync.Mutex
	calls    []call
	changed  chan struct{} // closed and replaced on every call
	faults   map[string][]func() error
	opens    []error // what the next Opens return; then nil
	handle   func(event any)
	ids      int
	commands map[string][]*discordgo.ApplicationCommand
}

// call is one call to the recorder.
type call struct {
	Call string `json:"call"`
	// On is what the call is about: an interaction, a channel, a user,
	// an interaction and a follow-up.
	On   string          `json:"on,omitempty"`
	Body json.RawMessage `json:"body,omitempty"`
}

var _ discord.Session = (*recorder)(nil)

func newRecorder() *recorder {
	return &recorder{changed: make(chan struct{}), faults: map[string][]func() error{}, commands: map[string][]*discordgo.ApplicationCommand{}}
}

// inject makes the next call named name run f: f may return the call's
// error, or panic.
func (r *recorder) inject(name string, f func() error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults[name] = append(r.faults[name], f)
}

// failOpens makes the next Opens return errs, one each.
func (r *recorder) failOpens(errs ...error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opens = append(r.opens, errs...)
}

// record notes a call, then runs its fault, if one was injected.
func (r *recorder) record(name, on string, body any) error {
	var raw json.RawMessage
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			panic(fmt.Sprintf("recorder: %s: %v", name, err))
		}
		raw = b
	}
	r.mu.Lock()
	r.calls = append(r.calls, call{Call: name, On: on, Body: raw})
	close(r.changed)
	r.changed = make(chan struct{})
	var fault func() error
	if fs := r.faults[name]; len(fs) > 0 {
		fault, r.faults[name] = fs[0], fs[1:]
	}
	r.mu.Unlock()
	if fault != nil {
		return fault()
	}
	return nil
}

func (r *recorder) nextID() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids++
	return fmt.Sprint(900 + r.ids)
}

// Calls returns the calls recorded since mark, a length of an earlier
// Calls or 0.
func (r *recorder) since(mark int) []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls[mark:]...)
}

// mark is the number of calls so far.
func (r *recorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// wait waits until a call named name has been recorded since mark.
func (r *recorder) wait(ctx context.Context, mark int, name string) error {
	for {
		r.mu.Lock()
		changed := r.changed
		for _, c := range r.calls[mark:] {
			if c.Call == name {
				r.mu.Unlock()
				return nil
			}
		}
		r.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("no %s call: %w", name, ctx.Err())
		}
	}
}

// dispatch delivers a gateway event in a goroutine of its own, as discordgo
// does, and returns a channel closed when the bot has handled it.
func (r *recorder) dispatch(event any) <-chan struct{} {
	r.mu.Lock()
	handle := r.handle
	r.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		handle(event)
	}()
	return done
}

func (r *recorder) Application(context.Context) (*discordgo.Application, error) {
	if err := r.record("Application", "", nil); err != nil {
		return nil, err
	}
	return &discordgo.Application{ID: "app"}, nil
}

func (r *recorder) ApplicationCommands(_ context.Context, appID, guildID string) ([]*discordgo.ApplicationCommand, error) {
	if err := r.record("ApplicationCommands", guildID, nil); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commands[guildID], nil
}

func (r *recorder) ApplicationCommandBulkOverwrite(_ context.Context, appID, guildID string, cmds []*discordgo.ApplicationCommand) ([]*discordgo.ApplicationCommand, error) {
	if err := r.record("ApplicationCommandBulkOverwrite", guildID, cmds); err != nil {
		return nil, err
	}
	// Discord gives each command an id: here, "id-" and its name.
	stored := make([]*discordgo.ApplicationCommand, len(cmds))
	for i, c := range cmds {
		cp := *c
		cp.ID = "id-" + c.Name
		stored[i] = &cp
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.commands[guildID] = stored
	return stored, nil
}

func (r *recorder) InteractionRespond(_ context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	return r.record("InteractionRespond", i.ID, resp)
}

func (r *recorder) InteractionChoices(_ context.Context, i *discordgo.Interaction, choices []*discordgo.ApplicationCommandOptionChoice) error {
	return r.record("InteractionChoices", i.ID, choices)
}

func (r *recorder) InteractionResponseEdit(_ context.Context, i *discordgo.Interaction, e *discordgo.WebhookEdit) error {
	return r.record("InteractionResponseEdit", i.ID, e)
}

func (r *recorder) InteractionResponseDelete(_ context.Context, i *discordgo.Interaction) error {
	return r.record("InteractionResponseDelete", i.ID, nil)
}

func (r *recorder) FollowupMessageCreate(_ context.Context, i *discordgo.Interaction, wait bool, p *discordgo.WebhookParams) (*discordgo.Message, error) {
	body := struct {
		Wait   bool                     `json:"wait"`
		Params *discordgo.WebhookParams `json:"params"`
	}{wait, p}
	if err := r.record("FollowupMessageCreate", i.ID, body); err != nil {
		return nil, err
	}
	if !wait {
		return nil, nil
	}
	return &discordgo.Message{ID: r.nextID(), ChannelID: i.ChannelID}, nil
}

func (r *recorder) FollowupMessageEdit(_ context.Context, i *discordgo.Interaction, messageID string, e *discordgo.WebhookEdit) error {
	return r.record("FollowupMessageEdit", i.ID+"/"+messageID, e)
}

func (r *recorder) ChannelMessageSendComplex(_ context.Context, channelID string, m *discordgo.MessageSend) (*discordgo.Message, error) {
	if err := r.record("ChannelMessageSendComplex", channelID, m); err != nil {
		return nil, err
	}
	return &discordgo.Message{ID: r.nextID(), ChannelID: channelID}, nil
}

func (r *recorder) ChannelMessageEditComplex(_ context.Context, e *discordgo.MessageEdit) error {
	return r.record("ChannelMessageEditComplex", e.Channel+"/"+e.ID, e)
}

func (r *recorder) ChannelMessagePost(_ context.Context, channelID string, m *discordgo.MessageSend, nonce string, retry bool) (*discordgo.Message, error) {
	body := struct {
		Message *discordgo.MessageSend `json:"message"`
		Nonce   string                 `json:"nonce"`
		Retry   bool                   `json:"retry"`
	}{m, nonce, retry}
	if err := r.record("ChannelMessagePost", channelID, body); err != nil {
		return nil, err
	}
	return &discordgo.Message{ID: r.nextID(), ChannelID: channelID}, nil
}

func (r *recorder) UserChannelCreate(_ context.Context, userID string, retry bool) (*discordgo.Channel, error) {
	if err := r.record("UserChannelCreate", userID, map[string]bool{"retry": retry}); err != nil {
		return nil, err
	}
	return &discordgo.Channel{ID: "dm-" + userID, Type: discordgo.ChannelTypeDM}, nil
}

func (r *recorder) Channel(_ context.Context, channelID string) (*discordgo.Channel, error) {
	if err := r.record("Channel", channelID, nil); err != nil {
		return nil, err
	}
	typ := discordgo.ChannelTypeGuildText
	if strings.HasPrefix(channelID, "news") {
		typ = discordgo.ChannelTypeGuildNews
	}
	return &discordgo.Channel{ID: channelID, Type: typ}, nil
}

func (r *recorder) ChannelMessageCrosspost(_ context.Context, channelID, messageID string) error {
	return r.record("ChannelMessageCrosspost", channelID+"/"+messageID, nil)
}

func (r *recorder) Connect(shardID, shardCount int, handle func(event any)) discord.Connection {
	r.record("Connect", "", map[string]int{"shard": shardID, "shards": shardCount})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handle = handle
	return recordedConn{r}
}

type recordedConn struct{ r *recorder }

func (c recordedConn) Open() error {
	c.r.record("Open", "", nil)
	c.r.mu.Lock()
	var err error
	if len(c.r.opens) > 0 {
		err, c.r.opens = c.r.opens[0], c.r.opens[1:]
	}
	c.r.mu.Unlock()
	if err == nil {
		c.r.dispatch(&discordgo.Ready{User: &discordgo.User{ID: botUserID, Username: "briefbot", Bot: true}})
	}
	return err
}

func (c recordedConn) Close() error {
	c.r.record("Close", "", nil)
	return nil
}

// botUserID is the bot's user id on a recorder.
const botUserID = "100"

// newClock is a fake clock for a recorder's gateway.
func newClock() *clocktest.Clock { return clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) }

// deferAfter is the deferral on a recorder's gateway.
const deferAfter = 2 * time.Second

// onRecorder is a Gateway answering with h on a recorder, its time on a
// fake clock. It runs until the test ends.
type onRecorder struct {
	rec   *recorder
	clock *clocktest.Clock
	gw    *discord.Gateway
	logs  *lockedBuffer
	errc  chan error
	stop  func() error

	// Over "http": the endpoint, which interactions are posted to, and
	// the key that signs them. The gateway then takes DMs only.
	ep  *discord.Endpoint
	key ed25519.PrivateKey
}

func startRecorded(t testing.TB, h bot.Handler, tweak func(*discord.GatewayConfig)) *onRecorder {
	t.Helper()
	return startRecordedOn(t, "gateway", h, tweak)
}

// startRecordedOn is startRecorded with interactions coming over path
// (see paths). Over "http" they are posted, signed with a key made for the
// test, to an Endpoint answering with h on the same recorder and clock,
// and the gateway takes direct messages only.
func startRecordedOn(t testing.TB, path string, h bot.Handler, tweak func(*discord.GatewayConfig)) *onRecorder {
	t.Helper()
	o := &onRecorder{rec: newRecorder(), clock: newClock(), logs: &lockedBuffer{}, errc: make(chan error, 1)}
	cfg := discord.GatewayConfig{
		Config:       discord.Config{Session: o.rec, Logger: slog.New(slog.NewTextHandler(o.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))},
		SkipRegister: true,
		DeferAfter:   deferAfter,
		Clock:        o.clock,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	if path == "http" {
		client, err := discord.NewClient(cfg.Config)
		if err != nil {
			t.Fatal(err)
		}
		pub, key, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		o.key = key
		o.ep, err = discord.NewEndpoint(discord.EndpointConfig{Client: client, PublicKey: hex.EncodeToString(pub), DeferAfter: cfg.DeferAfter, Clock: cfg.Clock}, h, nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Client, cfg.DMOnly = client, true
	}
	gw, err := discord.NewGateway(cfg, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.gw = gw
	ctx, cancel := context.WithCancel(context.Background())
	go func() { o.errc <- gw.Run(ctx) }()
	var once sync.Once
	var result error
	o.stop = func() error {
		once.Do(func() { cancel(); result = <-o.errc })
		return result
	}
	t.Cleanup(func() { o.stop() })
	select {
	case <-gw.Ready():
	case err := <-o.errc:
		t.Fatalf("Run = %v before READY", err)
	case <-time.After(wait):
		t.Fatal("the gateway never became ready")
	}
	return o
}

// answer delivers an event and returns the calls the bot made for it. A
// slow one is held until the deferral has gone out.
func (o *onRecorder) answer(t testing.TB, event any, slow *gate) []call {
	t.Helper()
	ctx := waitCtx(t)
	mark := o.rec.mark()
	var done <-chan struct{}
	if ic, ok := event.(*discordgo.InteractionCreate); ok && o.ep != nil {
		done = o.post(t, ic.Interaction)
	} else {
		done = o.rec.dispatch(event)
	}
	if slow != nil {
		if err := o.clock.BlockUntil(ctx, 1); err != nil {
			t.Fatalf("the bot never waited for the deferral: %v", err)
		}
		o.clock.Advance(deferAfter)
		if err := o.rec.wait(ctx, mark, "InteractionRespond"); err != nil {
			t.Fatal(err)
		}
		slow.open()
	}
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("the bot never finished with the event")
	}
	return o.rec.since(mark)
}

// post posts an interaction to the endpoint, signed at the clock's time as
// Discord signs it, and returns a channel closed when the bot has finished
// with it, edits and all. The HTTP response is recorded as the callback
// the gateway would have sent, so that both paths record the same calls.
func (o *onRecorder) post(t testing.TB, i *discordgo.Interaction) <-chan struct{} {
	t.Helper()
	body, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(o.clock.Now().Unix(), 10)
	req := httptest.NewRequest(http.MethodPost, "/interactions", bytes.NewReader(body))
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(o.key, append([]byte(ts), body...))))
	req.Header.Set("X-Signature-Timestamp", ts)
	w := &recordedResponse{rec: o.rec, on: i.ID, header: http.Header{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		o.ep.ServeHTTP(w, req)
		discord.WaitEndpoint(o.ep)
	}()
	return done
}

// recordedResponse is an HTTP response of the endpoint, recorded as the
// callback it is.
type recordedResponse struct {
	rec    *recorder
	on     string
	header http.Header
	status int
}

func (w *recordedResponse) Header() http.Header { return w.header }

func (w *recordedResponse) WriteHeader(status int) { w.status = status }

func (w *recordedResponse) Write(b []byte) (int, error) {
	if w.status != 0 && w.status != http.StatusOK {
		w.rec.record("HTTPStatus", w.on, map[string]any{"status": w.status, "body": string(b)})
		return len(b), nil
	}
	var cb struct {
		Type int `json:"type"`
		Data struct {
			Choices json.RawMessage `json:"choices"`
		} `json:"data"`
	}
	json.Unmarshal(b, &cb)
	if cb.Type == int(discordgo.InteractionApplicationCommandAutocompleteResult) {
		w.rec.record("InteractionChoices", w.on, cb.Data.Choices)
	} else {
		w.rec.record("InteractionRespond", w.on, json.RawMessage(b))
	}
	return len(b), nil
}

// gate holds a handler until opened.
type gate struct {
	ch   chan struct{}
	once sync.Once
}

func newGate() *gate  { return &gate{ch: make(chan struct{})} }
func (g *gate) open() { g.once.Do(func() { close(g.ch) }) }
func (g *gate) wait() { <-g.ch }

// lockedBuffer is a log destination safe for the bot's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

var _ io.Writer = (*lockedBuffer)(nil)

// Events as Discord sends them, for the recorder to deliver.

type option struct {
	name    string
	value   any
	focused bool
}

func interactionCreate(id string, typ discordgo.InteractionType, data discordgo.InteractionData, guild bool) *discordgo.InteractionCreate {
	i := &discordgo.Interaction{
		ID: id, AppID: "app", Type: typ, Data: data, ChannelID: "200", Token: "token-" + id, Locale: discordgo.EnglishUS, Version: 1,
	}
	user := &discordgo.User{ID: "300", Username: "reader"}
	if guild {
		i.GuildID = "400"
		i.Member = &discordgo.Member{User: user, Permissions: discordgo.PermissionSendMessages}
	} else {
		i.User = user
	}
	return &discordgo.InteractionCreate{Interaction: i}
}

func commandData(name string, opts []option) discordgo.ApplicationCommandInteractionData {
	d := discordgo.ApplicationCommandInteractionData{ID: "cmd-" + name, Name: name, CommandType: discordgo.ChatApplicationCommand}
	for _, o := range opts {
		typ := discordgo.ApplicationCommandOptionString
		if _, ok := o.value.(bool); ok {
			typ = discordgo.ApplicationCommandOptionBoolean
		}
		d.Options = append(d.Options, &discordgo.ApplicationCommandInteractionDataOption{Name: o.name, Type: typ, Value: o.value, Focused: o.focused})
	}
	return d
}

// slash is a slash command in a guild.
func slash(id, name string, opts ...option) *discordgo.InteractionCreate {
	return interactionCreate(id, discordgo.InteractionApplicationCommand, commandData(name, opts), true)
}

// typing is an autocomplete request in a guild.
func typing(id, name string, opts ...option) *discordgo.InteractionCreate {
	return interactionCreate(id, discordgo.InteractionApplicationCommandAutocomplete, commandData(name, opts), true)
}

// click is a button click, or with values a menu pick, on message 500.
func click(id, customID string, values ...string) *discordgo.InteractionCreate {
	typ := discordgo.ButtonComponent
	if len(values) > 0 {
		typ = discordgo.SelectMenuComponent
	}
	e := interactionCreate(id, discordgo.InteractionMessageComponent, discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: typ, Values: values}, true)
	e.Message = &discordgo.Message{ID: "500", ChannelID: "200", Author: &discordgo.User{ID: botUserID, Bot: true}}
	return e
}

// dmFrom is a direct message to the bot.
func dmFrom(id string, author *discordgo.User, text string) *discordgo.MessageCreate {
	return &discordgo.MessageCreate{Message: &discordgo.Message{ID: id, ChannelID: "dm-" + author.ID, Content: text, Author: author, Type: discordgo.MessageTypeDefault}}
}

var reader = &discordgo.User{ID: "300", Username: "reader"}

// carriesMessage reports whether a call sends message content: a
// callback other than a deferral or choices, an edit, a follow-up, a
// channel message.
func (c call) carriesMessage(t testing.TB) bool {
	switch c.Call {
	case "InteractionRespond":
		typ := c.callbackType(t)
		return typ == 4 || typ == 7
	case "InteractionResponseEdit", "FollowupMessageCreate", "FollowupMessageEdit", "ChannelMessageSendComplex", "ChannelMessageEditComplex", "ChannelMessagePost":
		return true
	}
	return false
}

// message decodes the payload of a call, looking inside a callback's data
// and a follow-up's params.
func (c call) message(t testing.TB) messageData {
	t.Helper()
	var wrapped struct {
		Data   json.RawMessage `json:"data"`
		Params json.RawMessage `json:"params"`
	}
	json.Unmarshal(c.Body, &wrapped)
	switch {
	case wrapped.Data != nil:
		return decode(t, wrapped.Data)
	case wrapped.Params != nil:
		return decode(t, wrapped.Params)
	}
	return decode(t, c.Body)
}

// callbackType is the type of an InteractionRespond call.
func (c call) callbackType(t testing.TB) int {
	t.Helper()
	var cb struct{ Type int }
	if err := json.Unmarshal(c.Body, &cb); err != nil {
		t.Fatal(err)
	}
	return cb.Type
}

// names lists the calls' names, for messages.
func names(calls []call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Call)
	}
	return out
}
