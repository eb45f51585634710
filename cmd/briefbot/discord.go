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

	"github.com/briefbot/briefbot/bot"
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

// runBot runs the Discord bot: the gateway that answers, the digest
// scheduler that posts on its own, the reloads of new content, and with
// --http-addr the interactions endpoint too; see runDiscord.
func runBot(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	return runDiscord(ctx, c, log, e, "run")
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
		what := commandCount(b.Commands())
		if err == nil && changed {
			fmt.Fprintf(e.stdout, "Registered %s %s.\n", what, where)
		} else if err == nil {
			fmt.Fprintf(e.stdout, "The %s %s are already up to date.\n", what, strings.SplitN(where, " (", 2)[0])
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

// commandCount says how many commands there are of each type: "18 slash
// commands and 1 message command".
func commandCount(cmds []bot.Command) string {
	slash, message := 0, 0
	for _, c := range cmds {
		if c.Type == bot.MessageCommand {
			message++
		} else {
			slash++
		}
	}
	s := fmt.Sprintf("%d slash commands", slash)
	switch message {
	case 0:
	case 1:
		s += " and 1 message command"
	default:
		s += fmt.Sprintf(" and %d message commands", message)
	}
	return s
}
