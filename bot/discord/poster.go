package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// Post is a message the bot posts of its own accord, not in answer to
// anyone: a digest, or the notice that a channel will receive them.
type Post struct {
	// ChannelID is where to post; "" posts in the DMs of UserID.
	ChannelID string
	UserID    string
	Reply     *bot.Reply
	// Nonce, if set, goes with enforce_nonce: for a few minutes Discord
	// answers a repeat with the message it already made, so a post sent
	// again after a crash is not posted twice. At most 25 characters.
	Nonce string
	// Paced means the caller paces its posts and retries them itself, so
	// a 429 comes back as a *PostError at once instead of being waited
	// out here.
	Paced bool
	// MentionRoleID is a role to ping: the message mentions it first, and
	// pings it and nobody else.
	MentionRoleID string
}

// PostError is a post that Discord refused or that did not reach it. Its
// methods say what the failure means for whoever posts again (the digest
// scheduler reads them as a digest.PostFailure).
type PostError struct {
	Status int // the HTTP status; 0 if there was no answer
	Code   int // Discord's JSON error code, if it gave one
	Err    error

	permanent  bool
	reason     string
	retryAfter time.Duration
	global     bool
}

// Permanent reports that no retry can help: the channel is gone, the bot
// may not post there, or the user takes no DMs from it.
func (e *PostError) Permanent() bool { return e.permanent }

// Reason says what is wrong for whoever reads /digest list, e.g.
// "Missing Permissions: the bot may not post in this channel".
func (e *PostError) Reason() string { return e.reason }

// RetryAfter is how long Discord asked to wait (a 429), or 0.
func (e *PostError) RetryAfter() time.Duration { return e.retryAfter }

// Global reports that the wait of a 429 holds for every request of the
// bot.
func (e *PostError) Global() bool { return e.global }

func (e *PostError) Error() string {
	s := "post failed"
	switch {
	case e.permanent:
		s = e.reason
	case e.retryAfter > 0:
		s = fmt.Sprintf("rate limited for %v (global %v)", e.retryAfter, e.global)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *PostError) Unwrap() error { return e.Err }

// Discord's JSON error codes that say a post can never succeed as it is.
const (
	codeUnknownChannel     = 10003
	codeUnknownUser        = 10013
	codeMissingAccess      = 50001
	codeCannotMessageUser  = 50007
	codeMissingPermissions = 50013
	codeInvalidRecipients  = 50033
	codeAlreadyCrossposted = 40033
)

// Publish publishes a message the bot posted in an announcement channel to
// the channels that follow it (Discord's crosspost). A message published
// already counts as published, so that a digest posted again after a crash
// (the nonce returns the same message) is not refused. Failures are
// *PostError, whose Reason says what briefbot needs.
func (c *Client) Publish(ctx context.Context, channelID, messageID string) error {
	err := c.s.ChannelMessageCrosspost(ctx, channelID, messageID)
	if err == nil || code(err) == codeAlreadyCrossposted {
		return nil
	}
	pe := postError(err, false)
	switch {
	case pe.Code == codeMissingPermissions || pe.Code == codeMissingAccess:
		pe.reason = "Missing Permissions: briefbot may not publish in the announcement channel (it needs View Channel and Send Messages there)"
	case pe.retryAfter > 0:
		pe.reason = fmt.Sprintf("Discord lets a channel publish only a few messages an hour; try again in %v", pe.retryAfter.Round(time.Minute))
	case pe.reason == "":
		pe.reason = "Discord did not publish the digest"
	}
	return pe
}

// IsAnnouncement reports whether a channel is an announcement channel, so
// that its messages can be published. Its errors are as Send's.
func (c *Client) IsAnnouncement(ctx context.Context, channelID string) (bool, error) {
	ch, err := c.s.Channel(ctx, channelID)
	if err != nil {
		in := Markup{}.Channel(channelID)
		switch code(err) {
		case codeUnknownChannel:
			return false, &bot.Error{Kind: bot.NotFound, Err: err, Message: "I can't find " + in + ": it may have been deleted, or briefbot is not in its server. Pick another channel."}
		case codeMissingAccess:
			return false, &bot.Error{Kind: bot.Forbidden, Err: err, Message: "I can't see " + in + ". Give briefbot the View Channel, Send Messages and Embed Links permissions there (Edit Channel → Permissions), then try again."}
		}
		return false, &bot.Error{Kind: bot.Unavailable, Err: err, Message: "Discord did not say what kind of channel " + in + " is. Try again in a moment."}
	}
	return ch.Type == discordgo.ChannelTypeGuildNews, nil
}

// Post posts p and returns the new message's id (or, for a repeated
// nonce, the first message's). Failures are *PostError.
func (c *Client) Post(ctx context.Context, p Post) (string, error) {
	channel := p.ChannelID
	if channel == "" {
		var err error
		if channel, err = c.dmChannel(ctx, p.UserID, p.Paced); err != nil {
			return "", err
		}
	}
	global := new(atomic.Bool)
	m, err := c.s.ChannelMessagePost(context.WithValue(ctx, globalLimitKey{}, global), channel, pinging(messageSend(p.Reply), p.MentionRoleID), p.Nonce, !p.Paced)
	if err != nil {
		pe := postError(err, global.Load())
		if p.ChannelID == "" && pe.Code == codeUnknownChannel {
			// The DM channel we knew is gone: open a new one next time.
			c.dms.forget(p.UserID)
			pe.permanent, pe.reason = false, ""
		}
		return "", pe
	}
	return m.ID, nil
}

// dmChannel returns the DM channel with a user, opening it if need be.
func (c *Client) dmChannel(ctx context.Context, userID string, paced bool) (string, error) {
	if userID == "" {
		return "", &PostError{permanent: true, reason: "No channel and no user to post to", Err: errors.New("empty post destination")}
	}
	if id, ok := c.dms.get(userID); ok {
		return id, nil
	}
	global := new(atomic.Bool)
	ch, err := c.s.UserChannelCreate(context.WithValue(ctx, globalLimitKey{}, global), userID, !paced)
	if err != nil {
		return "", postError(err, global.Load())
	}
	c.dms.put(userID, ch.ID)
	return ch.ID, nil
}

// postError says what a failed REST call means for a post.
func postError(err error, global bool) *PostError {
	pe := &PostError{Err: err, Status: status(err), Code: code(err)}
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		pe.Status, pe.retryAfter, pe.global = http.StatusTooManyRequests, max(rl.RetryAfter, time.Second/10), global
		return pe
	}
	pe.permanent = true
	switch pe.Code {
	case codeUnknownChannel:
		pe.reason = "Unknown Channel: the channel was deleted, or briefbot was removed from the server"
	case codeMissingAccess:
		pe.reason = "Missing Access: briefbot cannot see the channel (it needs View Channel)"
	case codeMissingPermissions:
		pe.reason = "Missing Permissions: briefbot may not post in the channel (it needs Send Messages and Embed Links)"
	case codeCannotMessageUser:
		pe.reason = "Cannot send messages to this user: they take no DMs from briefbot"
	case codeUnknownUser, codeInvalidRecipients:
		pe.reason = "Unknown User: briefbot cannot open a DM with this account"
	default:
		switch s := pe.Status; {
		case s >= 400 && s < 500 && s != http.StatusUnauthorized && s != http.StatusRequestTimeout && s != http.StatusConflict:
			pe.reason = fmt.Sprintf("Discord refused the digest (HTTP %d, code %d)", s, pe.Code)
		default: // 401 (a token problem for the whole bot), 5xx, the network: try again
			pe.permanent = false
		}
	}
	return pe
}

// Send posts r in a channel, or in a user's DMs when channelID is "",
// waiting out rate limits, and says in the error what to fix: it is the
// digest feature's Sender.
func (c *Client) Send(ctx context.Context, channelID, userID string, r *bot.Reply) error {
	_, err := c.Post(ctx, Post{ChannelID: channelID, UserID: userID, Reply: r})
	var pe *PostError
	if !errors.As(err, &pe) {
		return err
	}
	in := Markup{}.Channel(channelID)
	code := pe.Code
	if channelID == "" && code == codeUnknownChannel {
		code = 0 // a DM channel we knew of is gone; another is opened next time
	}
	switch code {
	case codeUnknownChannel:
		return &bot.Error{Kind: bot.NotFound, Err: err, Message: "I can't find " + in + ": it may have been deleted, or briefbot is not in its server. Pick another channel."}
	case codeMissingAccess:
		return &bot.Error{Kind: bot.Forbidden, Err: err, Message: "I can't see " + in + ". Give briefbot the View Channel, Send Messages and Embed Links permissions there (Edit Channel → Permissions), then try again."}
	case codeMissingPermissions:
		return &bot.Error{Kind: bot.Forbidden, Err: err, Message: "I'm not allowed to post in " + in + ". Give briefbot the Send Messages and Embed Links permissions there (Edit Channel → Permissions), then try again."}
	case codeCannotMessageUser, codeUnknownUser, codeInvalidRecipients:
		return &bot.Error{Kind: bot.Forbidden, Err: err, Message: "I can't send you direct messages. Allow direct messages from briefbot (User Settings → Privacy), then try again."}
	}
	switch {
	case pe.retryAfter > 0:
		secs := strconv.Itoa(int(pe.retryAfter.Round(time.Second)/time.Second) + 1)
		return &bot.Error{Kind: bot.Unavailable, Err: err, Message: "Discord is holding briefbot back right now. Try again in " + secs + " seconds."}
	case pe.permanent:
		return &bot.Error{Kind: bot.Internal, Err: err}
	}
	return &bot.Error{Kind: bot.Unavailable, Err: err, Message: "Discord did not take the message. Try again in a moment."}
}

// globalLimitKey marks a request whose 429, if global, the transport
// reports: discordgo keeps the X-RateLimit-Global header to itself.
type globalLimitKey struct{}

// noteGlobalLimit reports a global 429 to the request that met it.
func noteGlobalLimit(r *http.Request, resp *http.Response) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return
	}
	if !globalLimit(resp) {
		return
	}
	if flag, ok := r.Context().Value(globalLimitKey{}).(*atomic.Bool); ok {
		flag.Store(true)
	}
}

// globalLimit reports whether resp is a 429 of the global rate limit.
func globalLimit(resp *http.Response) bool {
	return resp.StatusCode == http.StatusTooManyRequests &&
		(resp.Header.Get("X-RateLimit-Global") != "" || resp.Header.Get("X-RateLimit-Scope") == "global")
}

// dmCache remembers the DM channel of each user the bot posts to, so that
// a DM digest costs one request, not two.
type dmCache struct {
	mu sync.Mutex
	m  map[string]string
}

// maxDMs bounds the cache; when full it starts afresh.
const maxDMs = 50_000

func (d *dmCache) get(user string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	id, ok := d.m[user]
	return id, ok
}

func (d *dmCache) put(user, channel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil || len(d.m) >= maxDMs {
		d.m = make(map[string]string)
	}
	d.m[user] = channel
}

func (d *dmCache) forget(user string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.m, user)
}
