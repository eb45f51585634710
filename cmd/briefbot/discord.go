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

	"github.com/briefbot/briefbot/bot/discord"
	"github.com/bwmarrin/discordgo"
)

// invitePermissions are what the bot needs in a channel: View Channel,
// Send Messages and Embed Links. Interactions need no permission at all.
const invitePermissions = 1<<10 | 1<<11 | 1<<14

func discordConfig(c *Config, log *slog.Logger) discord.Config {
	// discordgo logs through a package variable; send it to our log.
	discordgo.Logger = func(level, caller int, format string, a ...any) {
		log.Warn(fmt.Sprintf(format, a...), "from", "discordgo")
	}
	return discord.Config{Token: c.Token, BaseURL: c.DiscordURL, Logger: log}
}

func needToken(c *Config, e env, what string) bool {
	if c.Token != "" {
		return true
	}
	fmt.Fprintf(e.stderr, "briefbot: DISCORD_TOKEN is not set, and %s needs it. Create a bot in the Discord developer portal (Bot → Reset Token), export DISCORD_TOKEN, and run again; or try briefbot console.\n", what)
	return false
}

// runBot runs the Discord bot: the gateway that answers, the digest
// scheduler that posts on its own, and with --http-addr the interactions
// endpoint too; see runDiscord.
func runBot(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	return runDiscord(ctx, c, log, e, "run")
}

// gatewayStopped reports why the bot stopped: a fatal error in words for
// the operator, anything else in the log.
func gatewayStopped(e env, log *slog.Logger, err error) int {
	var fatal *discord.FatalError
	if errors.As(err, &fatal) {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
	} else {
		log.Error("the Discord bot stopped", "err", err)
	}
	return exitFailed
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
	client, err := discord.NewClient(discordConfig(c, log))
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
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	return exitOK
}

func runInvite(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	id := c.AppID
	if id == "" {
		id = appIDFromToken(c.Token)
	}
	if id == "" {
		fmt.Fprintln(e.stderr, "briefbot: invite needs the application id: set --app-id (BRIEFBOT_APP_ID) from the developer portal, or DISCORD_TOKEN.")
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
