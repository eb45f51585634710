package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/backoff"
	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Intents are the gateway events briefbot asks for: guild events (for
// interactions in servers) and direct messages. Never the privileged
// MESSAGE_CONTENT: DM content is readable without it.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages

// GatewayConfig configures a Gateway.
type GatewayConfig struct {
	Config
	// Client, if set, is the REST client to answer with, shared with
	// whatever else posts for the bot (the digest poster), so that they
	// share Discord's rate limits too. Nil makes one from Config.
	Client *Client
	// GuildID, when set, registers commands in that guild only, where
	// changes show at once: for development.
	GuildID string
	// SkipRegister leaves Discord's commands as they are.
	SkipRegister bool
	// ShardID and ShardCount split guilds between processes; ShardCount 0
	// or 1 means one process for all.
	ShardID, ShardCount int
	// DeferAfter is how long an answer may take before the interaction is
	// acknowledged with a deferral and edited later; Discord allows 3 s.
	// Default 2 s.
	DeferAfter time.Duration
	// ShutdownGrace bounds how long shutdown waits for answers in flight.
	// Default 10 s.
	ShutdownGrace time.Duration
	// DMOnly makes the gateway answer direct messages and nothing else:
	// interactions then come to the HTTP endpoint (see Endpoint), and the
	// gateway neither registers the commands nor learns their ids: who
	// runs the endpoint does, on the same Client. DMs arrive on shard 0
	// only, so it must be shard 0.
	DMOnly bool
	// Clock times the deferral, the reconnect backoff, the pause before
	// resuming and the shutdown grace. Nil is the system clock.
	Clock bot.Clock
}

// Gateway connects briefbot to Discord's gateway and answers what arrives.
type Gateway struct {
	*answerer
	cfg      GatewayConfig
	cmdMu    sync.Mutex // guards commands, and orders their registrations
	commands []bot.Command

	conn      atomic.Pointer[Connection] // the connection, once there is one
	connected atomic.Bool                // READY or RESUMED, and not lost since
	botID     atomic.Value               // string: the bot's user id, from READY
	seen      *recent
	inflight  sync.WaitGroup
	down      chan struct{} // a connection was lost
	ready     chan struct{} // closed at the first READY
	once      sync.Once
}

// NewGateway returns a Gateway that answers with h and registers cmds.
func NewGateway(cfg GatewayConfig, h bot.Handler, cmds []bot.Command) (*Gateway, error) {
	if cfg.ShardCount < 0 || cfg.ShardID < 0 || (cfg.ShardCount > 0 && cfg.ShardID >= cfg.ShardCount) || (cfg.ShardCount == 0 && cfg.ShardID != 0) {
		return nil, fmt.Errorf("shard %d of %d is not a shard: the shard id runs from 0 to the shard count minus one", cfg.ShardID, cfg.ShardCount)
	}
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = 2 * time.Second
	}
	if cfg.DMOnly && cfg.ShardID != 0 {
		return nil, fmt.Errorf("a gateway for direct messages must be shard 0, where Discord sends them, not shard %d", cfg.ShardID)
	}
	if cfg.DeferAfter >= 3*time.Second {
		return nil, fmt.Errorf("defer-after %v is too late: Discord drops interactions not acknowledged within 3s", cfg.DeferAfter)
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 10 * time.Second
	}
	client := cfg.Client
	if client == nil {
		if cfg.Config.Clock == nil {
			cfg.Config.Clock = cfg.Clock
		}
		var err error
		if client, err = NewClient(cfg.Config); err != nil {
			return nil, err
		}
	}
	g := &Gateway{
		answerer: newAnswerer(client, h, cfg.Clock, cfg.DeferAfter),
		cfg:      cfg, commands: cmds,
		seen: newRecent(10000), down: make(chan struct{}, 1), ready: make(chan struct{}),
	}
	g.know(cmds)
	return g, nil
}

// Client returns the REST client the gateway answers with.
func (g *Gateway) Client() *Client { return g.client }

// Ready is closed once the gateway has connected for the first time.
func (g *Gateway) Ready() <-chan struct{} { return g.ready }

// Connected reports whether the gateway is connected now: it has had
// READY, or RESUMED after losing its connection, and has not lost it
// since. A readiness check asks it.
func (g *Gateway) Connected() bool { return g.connected.Load() }

// Shard is the gateway's shard, 0 when unsharded.
func (g *Gateway) Shard() int { return g.cfg.ShardID }

// HeartbeatLatency is the time between the connection's last heartbeat
// and Discord's acknowledgement of it, or 0 when there is none to tell.
func (g *Gateway) HeartbeatLatency() time.Duration {
	c := g.conn.Load()
	if c == nil {
		return 0
	}
	if h, ok := (*c).(interface{ HeartbeatLatency() time.Duration }); ok {
		return h.HeartbeatLatency()
	}
	return 0
}

// event tells the observer of a change in the connection.
func (g *Gateway) event(e string) {
	if g.obs != nil {
		g.obs.Gateway(g.cfg.ShardID, e)
	}
}

// Run connects, answers until ctx is done, and then shuts down gracefully:
// it stops receiving, finishes the answers in flight, and closes. It
// returns nil after a shutdown, or the error that stopped it — a
// *FatalError for a rejected token or a disallowed intent.
func (g *Gateway) Run(ctx context.Context) error {
	appID, err := g.client.Application(ctx)
	if err != nil {
		return err
	}
	if g.registers() {
		g.cmdMu.Lock()
		changed, err := g.client.RegisterCommands(ctx, g.commands, g.cfg.GuildID)
		count := len(g.commands)
		g.cmdMu.Unlock()
		if err != nil {
			return err
		}
		where := "globally"
		if g.cfg.GuildID != "" {
			where = "in guild " + g.cfg.GuildID
		}
		if changed {
			g.log.Info("registered slash commands", "count", count, "where", where)
		} else {
			g.log.Info("slash commands are up to date", "count", count, "where", where)
		}
	} else if !g.cfg.DMOnly {
		if err := g.client.LearnCommands(ctx, g.cfg.GuildID); err != nil {
			// Without the ids, commands are named as code: still usable.
			g.log.Warn("cannot read the registered commands; /help names them without links", "err", err)
		}
	}
	g.log.Info("connecting to Discord", "application", appID, "shard", g.cfg.ShardID, "shards", max(g.cfg.ShardCount, 1))

	var ws Connection
	defer func() {
		if ws != nil {
			ws.Close()
		}
		g.drain()
	}()
	fresh := true
	for attempt := 0; ; attempt++ {
		if fresh {
			if ws != nil {
				ws.Close()
			}
			ws = g.client.s.Connect(g.cfg.ShardID, g.cfg.ShardCount, g.handle(ctx))
			g.conn.Store(&ws)
			fresh = false
		}
		err := ws.Open()
		switch {
		case err == nil, errors.Is(err, discordgo.ErrWSAlreadyOpen):
			attempt = -1
			select {
			case <-ctx.Done():
				return nil
			case <-g.down:
				if ctx.Err() != nil {
					return nil
				}
				g.log.Warn("lost the gateway connection; resuming")
				if !g.settle(ctx) {
					return nil
				}
				continue
			}
		}
		closeCode := 0
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			closeCode = ce.Code
		}
		if fatal := fatalClose(closeCode); fatal != nil {
			return fatal
		}
		if closeCode == 4007 || closeCode == 4009 || closeCode == 4003 {
			fresh = true // the session cannot be resumed: identify anew
		}
		wait := backoff.Delay(attempt, time.Second, time.Minute) // at once, then doubling from 1 s
		g.log.Warn("cannot connect to the gateway; retrying", "err", err, "close_code", closeCode, "retry_in", wait)
		g.event(GatewayReconnecting)
		if bot.Sleep(ctx, g.clock, wait) != nil {
			return nil
		}
	}
}

// registers reports whether the gateway registers the commands: unless
// told not to, or it takes direct messages only, when the interactions and
// their registration are the endpoint's.
func (g *Gateway) registers() bool { return !g.cfg.SkipRegister && !g.cfg.DMOnly }

// SetCommands makes cmds the gateway's slash commands, as after new
// content is loaded, and registers them with Discord only if they differ
// from the ones the gateway has: Discord limits how many commands an
// application may create a day, and most edits change a section's text,
// not its command. It reports whether it registered. The commands answer
// as cmds say (an always-private one, privately) from now on, registered
// or not.
func (g *Gateway) SetCommands(ctx context.Context, cmds []bot.Command) (bool, error) {
	g.cmdMu.Lock()
	defer g.cmdMu.Unlock()
	g.know(cmds)
	global := g.cfg.GuildID == ""
	same := sameCommands(applicationCommands(g.commands, global), applicationCommands(cmds, global))
	if same || !g.registers() {
		g.commands = cmds
		return false, nil
	}
	changed, err := g.client.RegisterCommands(ctx, cmds, g.cfg.GuildID)
	if err != nil {
		return false, err // keep the old ones, so that the next try compares with them
	}
	g.commands = cmds
	return changed, nil
}

// handle answers the gateway's events under ctx. discordgo calls it in
// goroutines of its own, outside any recover, so it recovers: a panic is
// logged with its stack and the bot goes on.
func (g *Gateway) handle(ctx context.Context) func(event any) {
	return func(event any) {
		defer recoverPanic(g.log, "handling a gateway event")
		switch e := event.(type) {
		case *discordgo.Ready:
			g.botID.Store(e.User.ID)
			g.log.Info("connected to Discord", "user", e.User.Username, "guilds", len(e.Guilds))
			g.connected.Store(true)
			g.event(GatewayReady)
			g.once.Do(func() { close(g.ready) })
		case *discordgo.Resumed:
			g.log.Info("resumed the gateway session")
			g.connected.Store(true)
			g.event(GatewayResumed)
		case *discordgo.Disconnect:
			g.connected.Store(false)
			g.event(GatewayDisconnected)
			select {
			case g.down <- struct{}{}:
			default:
			}
		case *discordgo.InteractionCreate:
			if g.cfg.DMOnly || ctx.Err() != nil || !g.seen.add("i"+e.ID) {
				return
			}
			g.inflight.Add(1)
			defer g.inflight.Done()
			g.interaction(ctx, e.Interaction, g.clock.Now(), g.client.callback(e.Interaction))
		case *discordgo.MessageCreate:
			if ctx.Err() != nil || !g.isDM(e.Message) || !g.seen.add("m"+e.ID) {
				return
			}
			g.inflight.Add(1)
			defer g.inflight.Done()
			g.directMessage(ctx, e.Message)
		}
	}
}

// callback sends an interaction's response over REST, as an interaction
// from the gateway is answered.
func (c *Client) callback(i *discordgo.Interaction) callbackFunc {
	return func(ctx context.Context, r *discordgo.InteractionResponse) error {
		if r.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
			return c.s.InteractionChoices(ctx, i, r.Data.Choices)
		}
		return c.s.InteractionRespond(ctx, i, r)
	}
}

// recoverPanic, deferred, stops a panic in a goroutine the adapter runs and
// logs it with its stack.
func recoverPanic(log *slog.Logger, what string) {
	if p := recover(); p != nil {
		log.Error("panic while "+what, "panic", p, "stack", string(debug.Stack()))
	}
}

// drain waits, within the grace period, for answers in flight.
func (g *Gateway) drain() {
	done := make(chan struct{})
	go func() { g.inflight.Wait(); close(done) }()
	grace := g.clock.NewTimer(g.cfg.ShutdownGrace)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C():
		g.log.Warn("shutting down with answers still in flight", "grace", g.cfg.ShutdownGrace)
	}
}

// isDM reports whether m is a direct message from a person, other than
// the bot itself, that should be answered.
func (g *Gateway) isDM(m *discordgo.Message) bool {
	if m.GuildID != "" || m.Author == nil || m.Author.Bot || m.Author.System {
		return false
	}
	if id, _ := g.botID.Load().(string); id != "" && m.Author.ID == id {
		return false
	}
	return m.Type == discordgo.MessageTypeDefault || m.Type == discordgo.MessageTypeReply
}

// fatalClose turns a gateway close code that reconnecting cannot fix into a
// message for the operator.
func fatalClose(code int) *FatalError {
	reasons := map[int]string{
		4004: "Discord rejected the bot token (gateway close code 4004): check DISCORD_TOKEN",
		4010: "Discord refused the shard (close code 4010): check --shard-id and --shard-count",
		4011: "Discord requires sharding for this many guilds (close code 4011): run with --shard-count set",
		4012: "Discord refused the gateway API version (close code 4012): upgrade briefbot",
		4013: "Discord refused the intents (close code 4013)",
		4014: "Discord refused a privileged intent (close code 4014): briefbot asks only for Guilds and Direct Messages; check the bot's settings in the developer portal",
	}
	if r, ok := reasons[code]; ok {
		return &FatalError{Code: code, Reason: r}
	}
	return nil
}

// settleTime is how long to wait after losing a connection before
// resuming; see settle.
const settleTime = 250 * time.Millisecond

// settle waits a moment after a lost connection and forgets the losses
// reported meanwhile. discordgo's heartbeat goroutine for the lost
// connection may still be running: if its write fails it calls Close on the
// session, and were the session already resumed on a new connection, that
// Close would end it with code 1000, which makes Discord drop the session
// and every event queued for it. Resuming after that goroutine has had its
// say keeps its Close on the old, already closed connection. It reports
// false if ctx ended meanwhile.
func (g *Gateway) settle(ctx context.Context) bool {
	if bot.Sleep(ctx, g.clock, settleTime) != nil {
		return false
	}
	select {
	case <-g.down:
	default:
	}
	return true
}

// recent remembers the last n ids seen, so that an event Discord delivers
// twice (a replay after a resume) is answered once.
type recent struct {
	mu    sync.Mutex
	ids   map[string]struct{}
	order []string
	next  int
}

func newRecent(n int) *recent {
	return &recent{ids: make(map[string]struct{}, n), order: make([]string, n)}
}

// add records id and reports whether it is new.
func (r *recent) add(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.ids[id]; ok {
		return false
	}
	if old := r.order[r.next]; old != "" {
		delete(r.ids, old)
	}
	r.order[r.next] = id
	r.next = (r.next + 1) % len(r.order)
	r.ids[id] = struct{}{}
	return true
}
