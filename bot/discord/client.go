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
	"sync/atomic"
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
	// StartRetry is how long the calls a bot makes as it starts — the
	// application, command registration — retry a network error or an
	// answer of Discord's that a moment may mend (a 5xx, a 429), with
	// backoff: 0 is two minutes, less than 0 no retry. Clock times the
	// waits; nil is the system clock.
	StartRetry time.Duration
	Clock      bot.Clock
	// Observer, if set, is told of every interaction, REST request and
	// gateway event, for metrics.
	Observer Observer
}

// DefaultStartRetry is how long a start that fails is retried.
const DefaultStartRetry = 2 * time.Minute

// Client is briefbot's REST side of Discord: the application, command
// registration, and messages. The Gateway uses one, and so do the
// register command and the digest poster.
type Client struct {
	s     Session
	log   *slog.Logger
	base  string   // where REST goes, as configured
	obs   Observer // nil: none
	appID string
	dms   dmCache
	ids   commandIDs
	retry time.Duration
	clock bot.Clock
}

// NewClient returns a Client. It makes no request.
func NewClient(cfg Config) (*Client, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	c := &Client{log: log, obs: cfg.Observer, base: strings.TrimSuffix(base, "/"), retry: cfg.StartRetry, clock: cfg.Clock}
	if c.retry == 0 {
		c.retry = DefaultStartRetry
	}
	if c.clock == nil {
		c.clock = bot.SystemClock{}
	}
	if cfg.Session != nil {
		c.s = cfg.Session
		return c, nil
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("no bot token: set DISCORD_TOKEN")
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
	c.s = session{s}
	return c, nil
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
	if err != nil {
		if t.obs != nil {
			t.obs.Request(route(r.Method, r.URL.Path), 0, false)
		}
		// http.Client names the URL it was asked for, discord.com's;
		// say which one was dialled.
		return nil, &dialError{url: r.URL.Scheme + "://" + r.URL.Host, err: err}
	}
	noteGlobalLimit(r, resp)
	if t.obs != nil {
		t.obs.Request(route(r.Method, r.URL.Path), resp.StatusCode, globalLimit(resp))
	}
	return resp, nil
}

// dialError is a request that got no answer from where it was sent.
type dialError struct {
	url string // scheme and host
	err error
}

func (e *dialError) Error() string { return e.url + ": " + e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

// FatalError is a problem that reconnecting cannot fix: the operator must
// change something. Its message says what.
type FatalError struct {
	Code   int // HTTP status or gateway close code
	Reason string
}

func (e *FatalError) Error() string { return e.Reason }

// Application learns the bot's application id, checking the token on the
// way: a rejected token is a *FatalError. It is the first call a bot
// makes, so a failure that may pass is retried for the client's
// StartRetry (see startRetry).
func (c *Client) Application(ctx context.Context) (string, error) {
	if c.appID != "" {
		return c.appID, nil
	}
	var app *discordgo.Application
	err := c.startRetry(ctx, "asking Discord for the application", func() error {
		var err error
		app, err = c.s.Application(ctx)
		if status(err) == http.StatusUnauthorized {
			return &FatalError{Code: http.StatusUnauthorized, Reason: "Discord rejected the bot token (HTTP 401): check DISCORD_TOKEN; reset the token in the developer portal if it leaked"}
		}
		return err
	})
	if err != nil {
		return "", err
	}
	c.appID = app.ID
	return app.ID, nil
}

// startRetry runs op, one of the calls a bot makes as it starts, and
// again after a backoff while it fails in a way that a moment may mend —
// no answer, a 5xx, a 429 — for up to the client's StartRetry, logging
// each failure once. Anything else, a *FatalError or another 4xx, is
// returned at once. The error names where the requests went.
func (c *Client) startRetry(ctx context.Context, what string, op func() error) error {
	start := c.clock.Now()
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil {
			return nil
		}
		var fatal *FatalError
		if errors.As(err, &fatal) || !passing(err) || ctx.Err() != nil {
			return c.reachError(what, err)
		}
		wait := min(time.Second<<min(attempt-1, 5), 30*time.Second)
		if c.retry < 0 || c.clock.Now().Add(wait).Sub(start) > c.retry {
			return fmt.Errorf("%w (gave up after %d attempts in %v)", c.reachError(what, err), attempt, c.clock.Now().Sub(start).Round(time.Second))
		}
		c.log.Warn("cannot reach Discord; retrying", "what", what, "url", c.base, "attempt", attempt, "retry_in", wait, "err", c.describe(err))
		if bot.Sleep(ctx, c.clock, wait) != nil {
			return c.reachError(what, err)
		}
	}
}

// passing reports whether a failed call may succeed if tried again soon:
// it got no answer, or a 5xx or a 429.
func passing(err error) bool {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return true
	}
	s := status(err)
	return s == 0 || s >= 500 || s == http.StatusTooManyRequests
}

// reachError words a failed call for the operator: what was asked, where
// it went, and what came back.
func (c *Client) reachError(what string, err error) error {
	var fatal *FatalError
	if errors.As(err, &fatal) {
		return err
	}
	return fmt.Errorf("%s: %w", what, c.describe(err))
}

// describe says where a failed call went and what came back.
func (c *Client) describe(err error) error {
	var de *dialError
	if errors.As(err, &de) {
		return fmt.Errorf("cannot reach %s: %w", de.url, de.err)
	}
	if s := status(err); s != 0 {
		return fmt.Errorf("%s answered HTTP %d: %w", c.base, s, err)
	}
	return err
}

// RegisterCommands makes Discord's slash commands match cmds — globally, or
// in one guild when guildID is set — with one bulk overwrite, and only when
// what Discord has differs: Discord limits how many commands an application
// may create a day. It reports whether it wrote.
//
// It learns the registered commands' ids on the way, for Markup's command
// mentions; a failure that may pass is retried as Application's is.
func (c *Client) RegisterCommands(ctx context.Context, cmds []bot.Command, guildID string) (bool, error) {
	appID, err := c.Application(ctx)
	if err != nil {
		return false, err
	}
	want := applicationCommands(cmds, guildID == "")
	var have []*discordgo.ApplicationCommand
	if err := c.startRetry(ctx, "reading the registered commands", func() (err error) {
		have, err = c.s.ApplicationCommands(ctx, appID, guildID)
		return err
	}); err != nil {
		return false, err
	}
	if sameCommands(have, want) {
		c.ids.learn(have)
		return false, nil
	}
	if err := c.startRetry(ctx, fmt.Sprintf("registering %d commands", len(want)), func() (err error) {
		have, err = c.s.ApplicationCommandBulkOverwrite(ctx, appID, guildID, want)
		return err
	}); err != nil {
		return false, err
	}
	c.ids.learn(have)
	return true, nil
}

// LearnCommands learns the ids of the commands registered (globally, or
// in one guild), for Markup's command mentions, when the bot does not
// register them itself.
func (c *Client) LearnCommands(ctx context.Context, guildID string) error {
	appID, err := c.Application(ctx)
	if err != nil {
		return err
	}
	have, err := c.s.ApplicationCommands(ctx, appID, guildID)
	if err != nil {
		return c.reachError("reading the registered commands", err)
	}
	c.ids.learn(have)
	return nil
}

// Markup is how the client's Discord shows what replies name, with the
// command ids it has learned.
func (c *Client) Markup() Markup { return Markup{ids: &c.ids} }

// commandIDs are the registered commands' ids, by name, as the client
// learned them at registration.
type commandIDs struct {
	m atomic.Pointer[map[string]string]
}

func (c *commandIDs) learn(cmds []*discordgo.ApplicationCommand) {
	m := make(map[string]string, len(cmds))
	for _, cmd := range cmds {
		if cmd.ID != "" && (cmd.Type == 0 || cmd.Type == discordgo.ChatApplicationCommand) {
			m[cmd.Name] = cmd.ID
		}
	}
	c.m.Store(&m)
}

// id returns the id of the command name, or "" if it is not known.
func (c *commandIDs) id(name string) string {
	if c == nil {
		return ""
	}
	m := c.m.Load()
	if m == nil {
		return ""
	}
	return (*m)[name]
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
