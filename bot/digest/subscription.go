package digest

import (
	"context"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/schedule"
)

// SubscriptionState says whether a subscription's digests are posted.
type SubscriptionState string

const (
	SubscriptionActive SubscriptionState = "active"
	SubscriptionPaused SubscriptionState = "paused"
)

// Subscription is one scheduled digest: an article posted to a channel of a
// guild, or to a member's DMs, at the slots of a schedule.
type Subscription struct {
	// ID is short and typed by people (/digest remove id:12); the store
	// assigns it.
	ID int64
	// GuildID is the guild whose channel gets the digest, or "" for a
	// personal digest in the DMs of UserID.
	GuildID string
	// ChannelID is the channel to post in. For a DM digest it is the DM
	// channel if known, else "" and the poster opens one with UserID.
	ChannelID string
	// UserID is who subscribed; for a DM digest, the recipient.
	UserID    string
	Schedule  schedule.Schedule
	ArticleID string
	// Style and Language ask for a rephrased digest; "" means the
	// article as written.
	Style    string
	Language string
	// MentionRoleID is the role each digest pings, and no one else; ""
	// pings nobody.
	MentionRoleID string
	// Publish: each digest, posted in an announcement channel, is
	// published to the channels that follow it.
	Publish bool
	State   SubscriptionState
	// PauseReason says why the bot paused the subscription itself (say,
	// "Missing Access: the bot can no longer see #news"); "" when a person
	// paused it or it is active.
	PauseReason string
	// NextRun is the next slot to post, in UTC. While the subscription is
	// active it only moves forward: when a slot is posted or skipped, and
	// when it is resumed.
	NextRun   time.Time
	CreatedAt time.Time
	// Rotation counts the digests posted. The composer picks the section
	// of the day with it, so consecutive digests differ.
	Rotation int64
	// LastPostedAt and LastMessageID tell of the latest digest posted;
	// zero before the first.
	LastPostedAt  time.Time
	LastMessageID string
}

// DM reports whether the digest goes to a member's DMs.
func (s *Subscription) DM() bool { return s.GuildID == "" }

// Claim is a process's hold on one slot of one subscription: it may post
// that slot, and nobody else may, until the lease runs out or the slot is
// finished.
//
// Posting exactly once across restarts and replicas rests on three things:
//
//  1. A slot is posted only under a claim, and ClaimSlot grants a claim on
//     (subscription, slot) only if there is none, or if the one there is
//     not finished and its lease has run out (its owner died). A finished
//     claim is never granted again, and FinishSlot marks the claim
//     finished and moves NextRun past the slot in one transaction. So two
//     processes never post a slot at the same time, and a posted and
//     recorded slot is never posted again.
//  2. Before each send the owner calls MarkAttempt, which records when the
//     send began (SentAt) and renews the lease; a process that has lost
//     its claim learns it there and does not send.
//  3. Every send of a slot carries the same nonce, derived from
//     (subscription, slot), with enforce_nonce, so Discord returns the
//     message it already made instead of making a second one. That covers
//     the one gap the store cannot: a process that sent, then died before
//     FinishSlot. The next owner (after the lease) sends again with the
//     same nonce and gets the first message back. Discord remembers
//     nonces for a few minutes only, so a takeover whose SentAt is older
//     than that skips the slot rather than risk posting it twice.
//
// No slot is lost while some process is up: a claim whose owner died
// expires, the subscription becomes due again, and another process (or the
// same one restarted) takes the slot over.
type Claim struct {
	SubscriptionID int64
	Slot           time.Time // UTC
	Owner          string
	// LeaseUntil is when the claim lapses unless renewed.
	LeaseUntil time.Time
	// SentAt is when the latest send of this slot began, by this owner or
	// an earlier one; zero if no send was attempted.
	SentAt time.Time
	// Attempts counts the sends of this slot begun, over all owners.
	Attempts int
}

// Subscriptions keeps the subscriptions: what /digest reads and changes.
// The SQL stores (bot/sqlite, bot/postgres) implement it, and pass the
// conformance suite in bot/storetest.
//
// Errors are *bot.Error: NotFound for an unknown subscription, Conflict for
// a limit reached, Invalid for bad input, and Internal (with the cause) for
// anything else. Times are kept to the microsecond and returned in UTC.
type Subscriptions interface {
	// CreateSubscription stores sub as a new subscription and returns it
	// with its ID. If limit > 0 and the guild already has limit
	// subscriptions (for a DM digest: the user already has limit DM
	// digests), it fails with Conflict; the count and the insert are one
	// atomic step.
	CreateSubscription(ctx context.Context, sub Subscription, limit int) (Subscription, error)
	// Subscription returns the subscription with the given ID.
	Subscription(ctx context.Context, id int64) (Subscription, error)
	// GuildSubscriptions returns a guild's subscriptions, by ID.
	GuildSubscriptions(ctx context.Context, guildID string) ([]Subscription, error)
	// UserSubscriptions returns a user's DM digests, by ID.
	UserSubscriptions(ctx context.Context, userID string) ([]Subscription, error)
	// PauseSubscription pauses a subscription, with the reason if the bot
	// paused it itself ("" if a person did), and returns it.
	PauseSubscription(ctx context.Context, id int64, reason string) (Subscription, error)
	// ResumeSubscription makes a subscription active again, clears the
	// pause reason and sets NextRun to the first slot after now, so that
	// nothing missed while paused is posted.
	ResumeSubscription(ctx context.Context, id int64, now time.Time) (Subscription, error)
	// DeleteSubscription removes a subscription and its claims.
	DeleteSubscription(ctx context.Context, id int64) error
}

// Slots is what the Scheduler needs of a store: the subscriptions that are
// due, and claims on their slots (see Claim for how they make each slot
// posted once). The SQL stores implement it; errors are as for
// Subscriptions, with Conflict for a claim that cannot be had.
type Slots interface {
	// DueSubscriptions returns up to limit active subscriptions whose
	// NextRun is at or before now and whose slot nobody holds a live claim
	// on, earliest NextRun first (then by ID). It reads an index, not
	// every row.
	DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]Subscription, error)
	// NextDue returns when the scheduler should next look: the earliest
	// NextRun among active subscriptions that nobody holds a live claim
	// on, or the earliest expiry of a live claim, whichever is first. It
	// returns the zero time if there is neither.
	NextDue(ctx context.Context, now time.Time) (time.Time, error)

	// ClaimSlot claims the slot for owner until now+lease. The slot must
	// be the subscription's NextRun and the subscription active; a claim
	// already there must be unfinished and lapsed (lease ≤ now). Otherwise
	// it fails with Conflict (NotFound if there is no such subscription).
	ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, now time.Time, lease time.Duration) (Claim, error)
	// MarkAttempt records that the owner of c begins a send at now, and
	// renews its lease to now+lease. It fails with Conflict if c's owner
	// no longer holds the claim, or if the subscription was paused,
	// resumed or deleted since (a send must not follow a pause).
	MarkAttempt(ctx context.Context, c Claim, now time.Time, lease time.Duration) (Claim, error)
	// ReleaseClaim lets the claim lapse at once, so that another process
	// may take the slot over, keeping what it records of sends.
	ReleaseClaim(ctx context.Context, c Claim, now time.Time) error
	// FinishSlot marks the claimed slot posted as messageID, moves the
	// subscription's NextRun to next (if it is still the slot), adds one to
	// its Rotation and records the post. It fails with Conflict if c's
	// owner no longer holds the claim.
	FinishSlot(ctx context.Context, c Claim, messageID string, next, now time.Time) error
	// SkipSlot moves a subscription's NextRun from slot to next without
	// posting, and with no change to Rotation. It fails with Conflict if
	// NextRun is no longer slot. The caller logs why.
	SkipSlot(ctx context.Context, subID int64, slot, next time.Time) error
	// PauseSubscription is as in Subscriptions: the scheduler pauses a
	// subscription that Discord will never take a digest for.
	PauseSubscription(ctx context.Context, id int64, reason string) (Subscription, error)
}

// ErrSubscriptionNotFound is the error a store returns for an unknown
// subscription ID.
func ErrSubscriptionNotFound(id int64) error {
	return bot.Errorf(bot.NotFound, "There is no digest subscription %d.", id)
}

// ErrSubscriptionLimit is the error a store returns when a guild (or, for
// a DM digest, a user) already has limit subscriptions.
func ErrSubscriptionLimit(dm bool, limit int) error {
	if dm {
		return bot.Errorf(bot.Conflict, "You have reached the limit of %d personal digests: remove one with /digest remove first.", limit)
	}
	return bot.Errorf(bot.Conflict, "This server has reached its limit of %d digest subscriptions: remove one with /digest remove first.", limit)
}
