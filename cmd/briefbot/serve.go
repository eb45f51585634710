package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/metrics"
)

// defaultHTTPAddr is where serve takes interactions unless told.
const defaultHTTPAddr = ":8080"

// shutdownGrace bounds how long a stopping process waits for answers in
// flight.
const shutdownGrace = 10 * time.Second

// runServe answers Discord's interactions over HTTP: one replica of any
// number behind a load balancer, sharing state in PostgreSQL. It needs
// no gateway; with --gateway dm it also answers direct messages.
func runServe(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	return runDiscord(ctx, c, log, e, "serve")
}

// runDiscord runs briefbot on Discord as cmd ("run" or "serve") does: the
// gateway connection, for all events, DMs only or none (--gateway); the
// interactions endpoint if there is an address for it (--http-addr); the
// digest scheduler, in every process, since claims in the store make each
// digest posted once; the reloads of new content, which re-register the
// commands if they changed; and metrics and health (--metrics-addr). All
// stop on SIGINT or SIGTERM, each finishing what it has in flight; then
// rephrasings in flight are stored and the store is closed.
func runDiscord(ctx context.Context, c *Config, log *slog.Logger, e env, cmd string) int {
	mode, httpAddr := c.Gateway, c.HTTPAddr
	if mode == "auto" || mode == "" {
		mode = map[string]string{"run": "all", "serve": "off"}[cmd]
	}
	if cmd == "serve" && httpAddr == "" {
		httpAddr = defaultHTTPAddr
	}
	if !needToken(c, e, "the Discord bot") {
		return exitUsage
	}
	if mode == "off" && httpAddr == "" {
		fmt.Fprintln(e.stderr, "briefbot: with --gateway off, interactions come over HTTP: set --http-addr")
		return exitUsage
	}
	if httpAddr != "" {
		if c.PublicKey == "" {
			fmt.Fprintln(e.stderr, "briefbot: DISCORD_PUBLIC_KEY is not set, and the interactions endpoint needs it to check that requests come from Discord: copy the Public Key from the developer portal (General Information), export DISCORD_PUBLIC_KEY, and run again.")
			return exitUsage
		}
		if _, err := discord.ParsePublicKey(c.PublicKey); err != nil {
			fmt.Fprintf(e.stderr, "briefbot: DISCORD_PUBLIC_KEY: %v\n", err)
			return exitUsage
		}
	}

	// The listeners first: an address in use is said at once.
	var httpLn, metricsLn net.Listener
	for _, l := range []struct {
		addr, what string
		ln         *net.Listener
	}{{httpAddr, "--http-addr", &httpLn}, {c.MetricsAddr, "--metrics-addr", &metricsLn}} {
		if l.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %s: %v\n", l.what, err)
			return exitFailed
		}
		defer ln.Close()
		*l.ln = ln
	}
	if c.MetricsAddr != "" {
		e.metrics = metrics.New(metrics.Options{})
	}

	st, err := openStore(ctx, c, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	defer st.Close()
	if e.metrics != nil {
		st = timedStore{st: st, m: e.metrics}
	}
	dcfg := discordConfig(c, log, e)
	if e.metrics != nil {
		dcfg.Observer = e.metrics
	}
	client, err := discord.NewClient(dcfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitUsage
	}
	// The scheduler posts the digests of the current library: each Bot,
	// the first and every one a reload builds, brings its Composer; and
	// /digest wakes the scheduler when a subscription is made.
	var composer atomic.Pointer[digest.Composer]
	sched := newScheduler(c, e, log, st, client, func(ctx context.Context, sub *digest.Subscription, slot time.Time) (*bot.Reply, error) {
		return composer.Load().Compose(ctx, sub, slot)
	})
	digests := func(b *bot.Bot) digest.Config {
		cp := digest.NewComposer(b.Library(), b.Rewriter())
		composer.Store(cp)
		return digest.Config{
			Store: st, Sender: client, Composer: cp, Clock: e.now(),
			MinInterval: c.DigestMinInterval, Limit: c.DigestLimit, Wake: sched.Wake,
			Announcements: client,
		}
	}
	b, rws, feats, code := openFeatures(ctx, c, log, e, st, digests)
	if b == nil {
		return code
	}
	defer rws.done()
	knowCommands(e.metrics, b.Commands())
	// The transports answer with live, whose Bot a reload replaces.
	live := bot.NewLive(b)

	var gw *discord.Gateway
	if mode != "off" {
		gw, err = discord.NewGateway(discord.GatewayConfig{
			Config:     dcfg,
			Client:     client,
			GuildID:    c.GuildID,
			ShardID:    c.ShardID,
			ShardCount: c.ShardCount,
			DMOnly:     mode == "dm",
		}, live, b.Commands())
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
			return exitUsage
		}
	}
	var ep *discord.Endpoint
	if httpLn != nil {
		if ep, err = discord.NewEndpoint(discord.EndpointConfig{Client: client, PublicKey: c.PublicKey, Clock: e.now()}, live, b.Commands()); err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
			return exitUsage
		}
	}
	// The gateway registers the commands when it takes interactions;
	// otherwise this process does, at start and after each reload, as the
	// gateway would: replicas starting together find them up to date.
	gatewayRegisters := gw != nil && mode != "dm"
	setCommands := func(ctx context.Context, cmds []bot.Command) (bool, error) {
		knowCommands(e.metrics, cmds)
		if ep != nil {
			ep.SetCommands(cmds)
		}
		if gatewayRegisters {
			return gw.SetCommands(ctx, cmds)
		}
		return client.RegisterCommands(ctx, cmds, c.GuildID)
	}
	reload := &reloader{
		cfg: c, log: log.With("component", "reload"), live: live, rewriting: rws, commands: setCommands,
		build: func(lib *bot.Library) (*bot.Bot, error) { return assemble(lib, feats) },
	}
	if rws.model != nil {
		reload.prompt = promptVersions(rws.model.Prompts())
	}
	// A rejected token stops everything before a digest is tried with it;
	// a Discord that cannot be reached is tried for --start-retry.
	if _, err := client.Application(ctx); err != nil {
		if ctx.Err() != nil {
			return exitOK
		}
		return discordFailed(c, e, err)
	}
	if !gatewayRegisters {
		if err := registerCommands(ctx, client, b.Commands(), c.GuildID, log); err != nil {
			if ctx.Err() != nil {
				return exitOK
			}
			return discordFailed(c, e, err)
		}
	}

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	failed := make(chan error, 2)
	serve := func(ln net.Listener, h http.Handler, what string) *http.Server {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		log.Info("listening", "for", what, "addr", ln.Addr().String())
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				failed <- fmt.Errorf("%s: %w", what, err)
			}
		}()
		return srv
	}
	var metricsSrv, httpSrv *http.Server
	if e.metrics != nil {
		if gw != nil {
			e.metrics.WatchHeartbeat(gw.Shard(), gw.HeartbeatLatency)
		}
		metricsSrv = serve(metricsLn, e.metrics.Handler(readiness(live, st, gw)...), "metrics and health")
	}
	if ep != nil {
		mux := http.NewServeMux()
		mux.Handle("/interactions", ep)
		httpSrv = serve(httpLn, mux, "interactions")
	}

	scheduled, reloading := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(scheduled)
		sched.Run(runCtx)
	}()
	hup, stopHUP := e.hangups()
	defer stopHUP()
	go func() {
		defer close(reloading)
		reload.run(runCtx, e.now(), hup)
	}()
	var gwDone chan error // nil without a gateway: never ready
	if gw != nil {
		gwDone = make(chan error, 1)
		go func() { gwDone <- gw.Run(runCtx) }()
	}
	var stopped, served error
	select {
	case <-runCtx.Done():
	case served = <-failed:
	case stopped = <-gwDone:
		gwDone = nil // the gateway has stopped, for good or ill: so does the rest
	}
	stop()
	// No new interactions, then the answers in flight: the endpoint's, the
	// gateway's (which it waits for itself) and the scheduler's digests.
	grace, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if httpSrv != nil {
		httpSrv.Shutdown(grace)
		ep.Shutdown(grace)
	}
	if gwDone != nil {
		if err := <-gwDone; err != nil && stopped == nil {
			stopped = err
		}
	}
	<-scheduled
	<-reloading
	if metricsSrv != nil {
		metricsSrv.Shutdown(grace)
	}
	switch {
	case stopped != nil:
		return discordFailed(c, e, stopped)
	case served != nil:
		fmt.Fprintf(e.stderr, "briefbot: %v\n", served)
		return exitFailed
	}
	log.Info("shut down")
	return exitOK
}

// knowCommands tells the metrics, if any, the names of the commands, so
// that interactions count under them.
func knowCommands(m *metrics.Metrics, cmds []bot.Command) {
	if m == nil {
		return
	}
	names := make([]string, 0, len(cmds))
	for _, cmd := range cmds {
		names = append(names, cmd.Name)
	}
	m.KnowCommands(names...)
}

// registerCommands registers cmds unless Discord has them already.
func registerCommands(ctx context.Context, client *discord.Client, cmds []bot.Command, guildID string, log *slog.Logger) error {
	changed, err := client.RegisterCommands(ctx, cmds, guildID)
	if err != nil {
		return err
	}
	where := "globally"
	if guildID != "" {
		where = "in guild " + guildID
	}
	if changed {
		log.Info("registered slash commands", "count", len(cmds), "where", where)
	} else {
		log.Info("slash commands are up to date", "count", len(cmds), "where", where)
	}
	return nil
}

// readiness is what /readyz checks: the content is loaded, the store
// answers, and a gateway, if this process runs one, is connected.
func readiness(live *bot.Live, st store, gw *discord.Gateway) []metrics.Check {
	checks := []metrics.Check{
		{Name: "content", Test: func(context.Context) error {
			if len(live.Bot().Library().Articles()) == 0 {
				return errors.New("no article is loaded")
			}
			return nil
		}},
		{Name: "store", Test: func(ctx context.Context) error {
			p, ok := st.(interface{ Ping(context.Context) error })
			if !ok {
				return nil
			}
			return p.Ping(ctx)
		}},
	}
	if gw != nil {
		checks = append(checks, metrics.Check{Name: "gateway", Test: func(context.Context) error {
			if !gw.Connected() {
				return fmt.Errorf("shard %d is not connected to Discord (waiting for READY, or resuming)", gw.Shard())
			}
			return nil
		}})
	}
	return checks
}
