package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/bwmarrin/discordgo"
)

// invitePermissions are what the bot needs in a channel: View Channel,
// Send Messages and Embed Links. Interactions need no permission at all.
const invitePermissions = 1<<10 | 1<<11 | 1<<14

func discordConfig(c *Config, log *slog.Logger, e env) discord.Config {
	// discordgo logs through a package variable; send it to our log, at
	// debug: what it reports (a connection that failed, a heartbeat
	// missed) the adapter logs itself, once, with what it does about it.
	discordgo.Logger = func(level, caller int, format string, a ...any) {
		log.Debug(fmt.Sprintf(format, a...), "from", "discordgo")
	}
	retry := c.StartRetry
	if retry == 0 {
		retry = -1 // the adapter's 0 is its default
	}
	return discord.Config{Token: c.Token, BaseURL: c.DiscordURL, Logger: log, StartRetry: retry, Clock: e.now()}
}

func needToken(c *Config, e env, what string) bool {
	if c.Token == "" {
		fmt.Fprintf(e.stderr, "briefbot: DISCORD_TOKEN is not set, and %s needs it. Create a bot in the Discord developer portal (Bot → Reset Token), export DISCORD_TOKEN, and run again; or try briefbot console.\n", what)
		return false
	}
	if err := checkToken(c.Token); err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return false
	}
	return true
}

// checkToken refuses a token pasted with what is not the token: the
// "Bot " prefix of the Authorization header, or quotes. It never says
// the token.
func checkToken(token string) error {
	if prefix, _, ok := strings.Cut(token, " "); ok && (strings.EqualFold(prefix, "Bot") || strings.EqualFold(prefix, "Bearer")) {
		return fmt.Errorf("DISCORD_TOKEN starts with %q: drop the `%s ` prefix and set the token alone; briefbot adds the prefix itself", prefix+" ", prefix)
	}
	if strings.ContainsAny(token[:1]+token[len(token)-1:], `"'`) {
		return errors.New("DISCORD_TOKEN is in quotes: set the token without them")
	}
	if strings.ContainsAny(token, " \t\n") {
		return errors.New("DISCORD_TOKEN has spaces in it: copy the token again from the developer portal (Bot → Reset Token)")
	}
	return nil
}

// discordFailed says why the bot could not go on: a fatal error in words
// for the operator; else, as it cannot reach Discord, where to look.
func discordFailed(c *Config, e env, err error) int {
	var fatal *discord.FatalError
	if errors.As(err, &fatal) {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "briefbot: %v\nCheck --discord-url (BRIEFBOT_DISCORD_URL, now %s) and the network; --start-retry says how long to keep trying.\n", err, c.DiscordURL)
	return exitFailed
}

// runBot runs the Discord bot: the gateway that answers, and the digest
// scheduler that posts on its own. Both stop on SIGINT or SIGTERM, each
// finishing what it has in flight; then rephrasings in flight are stored
// and the store is closed.
func runBot(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	if !needToken(c, e, "the Discord bot") {
		return exitUsage
	}
	store, err := openStore(ctx, c, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	defer store.Close()
	dcfg := discordConfig(c, log, e)
	client, err := discord.NewClient(dcfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitUsage
	}
	// The scheduler posts the digests of the current library: each Bot,
	// the first and every one a reload builds, brings its Composer.
	var composer atomic.Pointer[digest.Composer]
	sched := newScheduler(c, e, log, store, client, func(ctx context.Context, sub *digest.Subscription, slot time.Time) (*bot.Reply, error) {
		return composer.Load().Compose(ctx, sub, slot)
	})
	digests := func(b *bot.Bot) digest.Config {
		cp := digest.NewComposer(b.Library(), b.Rewriter())
		composer.Store(cp)
		return digest.Config{
			Store: store, Sender: client, Composer: cp, Clock: e.now(),
			MinInterval: c.DigestMinInterval, Limit: c.DigestLimit, Wake: sched.Wake,
			Announcements: client,
		}
	}
	b, rws, code := openBot(ctx, c, log, e, store, digests)
	if b == nil {
		return code
	}
	defer rws.done()
	// Transports answer with live, whose Bot a reload replaces.
	live := bot.NewLive(b)
	gw, err := discord.NewGateway(discord.GatewayConfig{
		Config:     dcfg,
		Client:     client,
		GuildID:    c.GuildID,
		ShardID:    c.ShardID,
		ShardCount: c.ShardCount,
	}, live, b.Commands())
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitUsage
	}
	reload := &reloader{
		cfg: c, log: log.With("component", "reload"), live: live, rewriting: rws, commands: gw.SetCommands,
		build: func(lib *bot.Library) *bot.Bot {
			return assemble(lib, rws.rw, log, digests, withReports(store, rws.rw, log, e.now()))
		},
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

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
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
	err = gw.Run(runCtx)
	stop() // the gateway has stopped, for good or ill: so do the scheduler and the reloads
	<-scheduled
	<-reloading
	if err != nil {
		return discordFailed(c, e, err)
	}
	log.Info("shut down")
	return exitOK
}

func runCommands(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	b, done, code := newBot(ctx, c, log, e, nil, nil)
	if b == nil {
		return code
	}
	defer done()
	out, err := json.MarshalIndent(discord.CommandsJSON(b.Commands(), c.GuildID != ""), "", "  ")
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	fmt.Fprintln(e.stdout, string(out))
	return exitOK
}

func runRegister(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	if !needToken(c, e, "register") {
		return exitUsage
	}
	b, done, code := newBot(ctx, c, log, e, nil, nil)
	if b == nil {
		return code
	}
	defer done()
	client, err := discord.NewClient(discordConfig(c, log, e))
	if err == nil {
		var changed bool
		changed, err = client.RegisterCommands(ctx, b.Commands(), c.GuildID)
		where := "globally (they can take a while to show in every client)"
		if c.GuildID != "" {
			where = "in guild " + c.GuildID
		}
		if err == nil && changed {
			fmt.Fprintf(e.stdout, "Registered %d slash commands %s.\n", len(b.Commands()), where)
		} else if err == nil {
			fmt.Fprintf(e.stdout, "The %d slash commands %s are already up to date.\n", len(b.Commands()), strings.SplitN(where, " (", 2)[0])
		}
	}
	if err != nil {
		return discordFailed(c, e, err)
	}
	return exitOK
}

func runInvite(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	id := c.AppID
	if id == "" && c.Token != "" {
		if err := checkToken(c.Token); err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
			return exitUsage
		}
		if id = appIDFromToken(c.Token); id == "" {
			fmt.Fprintln(e.stderr, "briefbot: DISCORD_TOKEN is set but is not a bot token, so the application id cannot be read from it: a bot token has three parts joined by dots, the first the application id in base64. Copy the token again (developer portal → Bot → Reset Token), or give --app-id (BRIEFBOT_APP_ID), the Application ID on the General Information page.")
			return exitUsage
		}
	}
	if id == "" {
		fmt.Fprintln(e.stderr, "briefbot: invite needs the application id: set --app-id (BRIEFBOT_APP_ID), the Application ID on the General Information page of the developer portal, or DISCORD_TOKEN.")
		return exitUsage
	}
	q := url.Values{}
	q.Set("client_id", id)
	q.Set("scope", "bot applications.commands")
	q.Set("permissions", fmt.Sprint(invitePermissions))
	fmt.Fprintln(e.stdout, strings.TrimSuffix(c.DiscordURL, "/")+"/oauth2/authorize?"+q.Encode())
	return exitOK
}

// appIDFromToken reads the bot's user id from the first part of its token,
// which is that id in base64; for bots it is also the application id.
func appIDFromToken(token string) string {
	first, _, ok := strings.Cut(token, ".")
	if !ok {
		return ""
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(first, "="))
	if err != nil || !snowflake(string(raw)) {
		return ""
	}
	return string(raw)
}
