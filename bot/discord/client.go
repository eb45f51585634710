// Package discord is briefbot's Discord transport, on discordgo: the
// gateway connection that receives slash commands, button clicks and direct
// messages, the REST calls that answer them, command registration, and
// posting digests. It turns Discord's payloads into bot.Requests and
// bot.Replies into Discord's payloads; it decides nothing itself.
//
// Every call to Discord goes through Session, which the real client makes
// from a discordgo session and tests replace with a recorder. Discord's
// 3-second rule is kept at the edge by deferrable, so the core answers
// synchronously; package discordtest is a fake Discord on the wire for
// what only the wire shows.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// DefaultBaseURL is where Discord's REST API and gateway discovery live.
const DefaultBaseURL = "https://discord.com"

// Config says how to reach Discord.
type Config struct {
	Token string // the bot token, without the "Bot " prefix
	// BaseURL is the base of REST and gateway discovery: Discord itself by
	// default, or a REST proxy such as nirn-proxy, or a fake in tests.
	BaseURL string
	// HTTPClient is used for every REST request; its transport is wrapped
	// to reach BaseURL. Nil means http.DefaultClient's transport.
	HTTPClient *http.Client
	Logger     *slog.Logger
	// Session, if set, is how the client reaches Discord, in place of a
	// discordgo session made from Token, BaseURL and HTTPClient, which
	// are then unused: for tests, which record what the bot sends.
	Session Session
	// Observer, if set, is told of every interaction, REST request and
	// gateway event, for metrics.
	Observer Observer
}

// Client is briefbot's REST side of Discord: the application, command
// registration, and messages. The Gateway uses one, and so do the
// register command and the digest poster.
type Client struct {
	s     Session
	log   *slog.Logger
	obs   Observer // nil: none
	appID string
	dms   dmCache
}

// NewClient returns a Client. It makes no request.
func NewClient(cfg Config) (*Client, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Session != nil {
		return &Client{s: cfg.Session, log: log, obs: cfg.Observer}, nil
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("no bot token: set DISCORD_TOKEN")
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	target, err := url.Parse(base)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return nil, fmt.Errorf("the Discord URL %q is not an http(s) URL such as %s", base, DefaultBaseURL)
	}
	s, err := discordgo.New("Bot " + strings.TrimSpace(cfg.Token))
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	client := *hc
	client.Transport = &rewrite{base: rt, target: target, obs: cfg.Observer}
	s.Client = &client
	s.UserAgent = "DiscordBot (https://github.com/briefbot/briefbot, 1) briefbot"
	s.LogLevel = discordgo.LogError
	s.StateEnabled = false
	s.ShouldReconnectOnError = false
	return &Client{s: session{s}, log: log, obs: cfg.Observer}, nil
}

// rewrite sends requests for discord.com to the configured base URL.
type rewrite struct {
	base   http.RoundTripper
	target *url.URL
	obs    Observer // nil: none
}

func (t *rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "discord.com" && (t.target.Host != "discord.com" || t.target.Scheme != "https") {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.target.Scheme, t.target.Host, t.target.Host
		r.URL.Path = strings.TrimSuffix(t.target.Path, "/") + r.URL.Path
		if r.URL.RawPath != "" {
			r.URL.RawPath = strings.TrimSuffix(t.target.EscapedPath(), "/") + r.URL.RawPath
		}
	}
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		noteGlobalLimit(r, resp)
	}
	if t.obs != nil {
		status, global := 0, false
		if err == nil {
			status, global = resp.StatusCode, globalLimit(resp)
		}
		t.obs.Request(route(r.Method, r.URL.Path), status, global)
	}
	return resp, err
}

// FatalError is a problem that reconnecting cannot fix: the operator must
// change something. Its message says what.
type FatalError struct {
	Code   int // HTTP status or gateway close code
	Reason string
}

func (e *FatalError) Error() string { return e.Reason }

// Application learns the bot's application id, checking the token on the
// way: a rejected token is a *FatalError.
func (c *Client) Application(ctx context.Context) (string, error) {
	if c.appID != "" {
		return c.appID, nil
	}
	app, err := c.s.Application(ctx)
	if err != nil {
		if status(err) == http.StatusUnauthorized {
			return "", &FatalError{Code: http.StatusUnauthorized, Reason: "Discord rejected the bot token (HTTP 401): check DISCORD_TOKEN; reset the token in the developer portal if it leaked"}
		}
		return "", fmt.Errorf("asking Discord for the application: %w", err)
	}
	c.appID = app.ID
	return app.ID, nil
}

// RegisterCommands makes Discord's slash commands match cmds — globally, or
// in one guild when guildID is set — with one bulk overwrite, and only when
// what Discord has differs: Discord limits how many commands an application
// may create a day. It reports whether it wrote.
func (c *Client) RegisterCommands(ctx context.Context, cmds []bot.Command, guildID string) (bool, error) {
	appID, err := c.Application(ctx)
	if err != nil {
		return false, err
	}
	want := applicationCommands(cmds, guildID == "")
	have, err := c.s.ApplicationCommands(ctx, appID, guildID)
	if err != nil {
		return false, fmt.Errorf("reading the registered commands: %w", err)
	}
	if sameCommands(have, want) {
		return false, nil
	}
	if err := c.s.ApplicationCommandBulkOverwrite(ctx, appID, guildID, want); err != nil {
		return false, fmt.Errorf("registering %d commands: %w", len(want), err)
	}
	return true, nil
}

// CommandsJSON is what RegisterCommands would send, for `briefbot commands`.
func CommandsJSON(cmds []bot.Command, guild bool) any {
	return applicationCommands(cmds, !guild)
}

// status is the HTTP status of a failed REST call, or 0.
func status(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

// code is Discord's JSON error code of a failed REST call, or 0.
func code(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}
