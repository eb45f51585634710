// Package digest is briefbot's scheduled digests, the whole feature: the
// subscriptions and what they need of a store, the /digest commands that
// make and change them, the Composer that writes a digest from an article,
// and the Scheduler, the transport whose requests come from the clock.
//
// A Scheduler sleeps until the earliest subscription is due, claims each
// due slot in the store, has the Composer make the digest and a Poster
// (the Discord adapter) send it, and records the post. See Claim for why
// each slot is posted exactly once across restarts and replicas.
//
// What the Scheduler does with each due subscription:
//
//   - While it runs, every slot is posted, however late (a backlog paced
//     at the global rate, a Discord outage retried with backoff). If a
//     slot is still unposted when the schedule's next slot comes, the
//     older one is skipped: a digest is news, and two at once help nobody.
//   - Slots missed while no scheduler ran (they are older than its start):
//     the most recent is posted if it is at most Grace old; older ones are
//     skipped and logged.
//   - A permanent error from Discord (Unknown Channel, Missing Access,
//     Missing Permissions, a DM that cannot be sent) pauses the
//     subscription with the reason, which /digest list shows.
package digest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/backoff"
)

// Delivery is one digest to post.
type Delivery struct {
	SubscriptionID int64
	Slot           time.Time
	// GuildID is "" for a DM digest.
	GuildID string
	// ChannelID is where to post. For a DM digest it may be "": open a DM
	// channel with UserID.
	ChannelID string
	UserID    string
	// Nonce is the same for every send of one slot. Send it with
	// enforce_nonce: true, so that Discord answers a repeat with the
	// message it already made.
	Nonce string
	Reply *bot.Reply
	// MentionRoleID is the one role the digest pings; "" pings nobody.
	MentionRoleID string
	// Publish asks for the posted digest to be published to the channels
	// that follow its announcement channel (see Publisher).
	Publish bool
}

// DM reports whether the digest goes to a member's DMs.
func (d Delivery) DM() bool { return d.GuildID == "" }

// Poster sends digests; the Discord adapter implements it. Post returns
// the new message's ID. Its errors tell the scheduler what to do, by the
// PostFailure methods of an error in their chain:
//
//   - Permanent: the subscription is paused and Reason is shown in
//     /digest list. For Unknown Channel (10003), Missing Access (50001),
//     Missing Permissions (50013), Cannot send messages to this user
//     (50007), and other 4xx answers that a retry cannot mend.
//   - RetryAfter (and Global for a global limit): for a 429. The slot is
//     retried after RetryAfter; a global limit holds back every post for
//     that long.
//   - Any other error (a 5xx, a network error, a timeout): retried with
//     backoff.
type Poster interface {
	Post(ctx context.Context, d Delivery) (messageID string, err error)
}

// Publisher is a Poster that can also publish a posted digest from its
// announcement channel to the channels that follow it. The scheduler
// publishes a Delivery that asks for it after posting, before the slot is
// recorded: a process that dies in between leaves the slot to the next,
// whose repeated post (the nonce) returns the same message, and Publish
// of a message published already must succeed. A failure to publish is
// logged with its Reason, and the digest stays posted.
type Publisher interface {
	Publish(ctx context.Context, d Delivery, messageID string) error
}

// PostFailure is what a Poster's error says about itself when a plain
// retry with backoff is not the answer. The scheduler finds it with
// errors.As anywhere in the error's chain.
type PostFailure interface {
	error
	// Permanent reports that no retry can help: pause the subscription.
	Permanent() bool
	// Reason says why, for the people who read /digest list, e.g.
	// "Missing Permissions: the bot may not post in this channel".
	Reason() string
	// RetryAfter is how long Discord asked to wait (a 429), or 0.
	RetryAfter() time.Duration
	// Global reports that the wait applies to every request of the bot.
	Global() bool
}

// ComposeFunc makes the digest for one slot of a subscription: the
// headline, dateline, summary and section of the day (sub.Rotation picks
// it, so consecutive digests differ). Composer.Compose is one. An error of
// kind NotFound, Invalid or Forbidden (say, the article is gone) pauses the
// subscription with the error's user message; any other error is retried
// with backoff.
type ComposeFunc func(ctx context.Context, sub *Subscription, slot time.Time) (*bot.Reply, error)

// Nonce returns the nonce of one slot of a subscription: the same for
// every send of that slot, different for any other, and at most 25
// characters (Discord's limit).
func Nonce(subID int64, slot time.Time) string {
	return "d" + strconv.FormatUint(uint64(subID), 36) + "." + strconv.FormatInt(slot.Unix(), 36)
}

// Options configures a Scheduler. Zero fields take the defaults.
type Options struct {
	// Clock is the clock to run on (default bot.SystemClock).
	Clock bot.Clock
	// Logger (default: discard).
	Logger *slog.Logger
	// Owner names this process in claims; it must differ between
	// processes, and between runs of one (default: random).
	Owner string
	// Grace is how old a slot missed while no scheduler ran may be and
	// still be posted (default 1h; BRIEFBOT_DIGEST_GRACE).
	Grace time.Duration
	// Lease is how long a claim lasts unless renewed (default 2m). A
	// process that dies holding one delays that slot by up to Lease. It
	// must exceed the time to compose a digest.
	Lease time.Duration
	// NonceWindow is how long Discord is trusted to remember a nonce
	// (default 5m). A slot taken over from a process that began to send it
	// longer ago than this is skipped, not sent again: it may have been
	// posted, and a second send would not be recognised as a repeat.
	NonceWindow time.Duration
	// Rate is the most posts per second (default 50, Discord's global
	// limit; give each of N processes 50/N, less what else the bot sends),
	// and Burst how many may go at once (default 1: evenly spaced).
	Rate  float64
	Burst int
	// Workers is how many digests are composed and sent at once
	// (default 16): enough to keep Rate with Discord's latency.
	Workers int
	// MinBackoff and MaxBackoff bound the wait before a retry (defaults
	// 2s and 1m); it doubles with each failure of a slot.
	MinBackoff, MaxBackoff time.Duration
	// AttemptTimeout bounds one send (default 30s).
	AttemptTimeout time.Duration
	// PollInterval is the longest the scheduler sleeps without looking at
	// the store (default 1m): subscriptions that another process makes
	// are seen within it. Wake makes it look at once.
	PollInterval time.Duration
	// BatchSize is how many due subscriptions one query reads (default 100).
	BatchSize int
	// Observer is told what becomes of each slot, for metrics (default:
	// none).
	Observer Observer
}

// Scheduler posts the digests of a store's subscriptions as they come
// due. Make one with NewScheduler and call Run.
type Scheduler struct {
	store   Slots
	poster  Poster
	compose ComposeFunc
	opt     Options
	clock   bot.Clock
	log     *slog.Logger
	wake    chan struct{}
}

// NewScheduler returns a scheduler that posts the digests of store's
// subscriptions with poster, composed by compose.
func NewScheduler(store Slots, poster Poster, compose ComposeFunc, opt Options) *Scheduler {
	if opt.Clock == nil {
		opt.Clock = bot.SystemClock{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Owner == "" {
		b := make([]byte, 6)
		rand.Read(b)
		opt.Owner = "briefbot-" + hex.EncodeToString(b)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opt.Grace, time.Hour)
	def(&opt.Lease, 2*time.Minute)
	def(&opt.NonceWindow, 5*time.Minute)
	def(&opt.MinBackoff, 2*time.Second)
	def(&opt.MaxBackoff, time.Minute)
	def(&opt.AttemptTimeout, 30*time.Second)
	def(&opt.PollInterval, time.Minute)
	if opt.Rate <= 0 {
		opt.Rate = 50
	}
	if opt.Burst <= 0 {
		opt.Burst = 1
	}
	if opt.Workers <= 0 {
		opt.Workers = 16
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 100
	}
	if opt.Observer == nil {
		opt.Observer = noObserver{}
	}
	return &Scheduler{
		store: store, poster: poster, compose: compose, opt: opt,
		clock: opt.Clock, log: opt.Logger.With("owner", opt.Owner),
		wake: make(chan struct{}, 1),
	}
}

// Owner returns the name this scheduler claims slots under.
func (s *Scheduler) Owner() string { return s.opt.Owner }

// Wake makes a running scheduler look at the store at once. Call it after
// a subscription is made or resumed, so that a slot due before the
// scheduler's next look is not late. It never blocks.
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// job is one subscription's due slot, in hand.
type job struct {
	sub      Subscription
	claim    *Claim // held, for a retry
	failures int    // sends or composes of this slot that failed here
}

// result is what a worker reports of a job.
type result struct {
	subID      int64
	retry      *job // try again at retryAt
	retryAt    time.Time
	holdAllFor time.Duration // a global rate limit
}

// run is the state of one Run, owned by its loop goroutine.
type run struct {
	jobs     chan job
	results  chan result
	inflight map[int64]bool // subscriptions in a worker or waiting for a retry
	running  int            // jobs in workers
	retries  []result
	pace     pacer
}

// Run posts digests until ctx is done. It finishes the sends in flight,
// lets the claims it holds for retries lapse at once so that another
// process may take them over, and returns nil.
func (s *Scheduler) Run(ctx context.Context) error {
	started := s.clock.Now()
	r := &run{
		jobs:     make(chan job),
		results:  make(chan result, s.opt.Workers),
		inflight: map[int64]bool{},
		pace:     newPacer(s.opt.Rate, s.opt.Burst),
	}
	s.log.Info("digest scheduler started", "grace", s.opt.Grace, "rate", s.opt.Rate, "workers", s.opt.Workers)
	done := make(chan struct{})
	for range s.opt.Workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range r.jobs {
				r.results <- s.process(ctx, started, j)
			}
		}()
	}
	s.loop(ctx, r)
	close(r.jobs)
	for finished := 0; finished < s.opt.Workers; {
		select {
		case res := <-r.results:
			s.absorb(r, res)
		case <-done:
			finished++
		}
	}
	for len(r.results) > 0 {
		s.absorb(r, <-r.results)
	}
	// Hand over the slots waiting for a retry.
	bg := context.WithoutCancel(ctx)
	for _, res := range r.retries {
		if res.retry.claim != nil {
			if err := s.store.ReleaseClaim(bg, *res.retry.claim, s.clock.Now()); err != nil {
				s.log.Warn("could not release claim", "subscription", res.subID, "err", err)
			}
		}
	}
	s.log.Info("digest scheduler stopped")
	return nil
}

func (s *Scheduler) loop(ctx context.Context, r *run) {
	for ctx.Err() == nil {
		now := s.clock.Now()
		var queue []job
		// Retries that are due, then due subscriptions not in hand.
		kept := r.retries[:0]
		for _, res := range r.retries {
			if res.retryAt.After(now) {
				kept = append(kept, res)
			} else {
				queue = append(queue, *res.retry)
			}
		}
		r.retries = kept
		due, err := s.store.DueSubscriptions(ctx, now, s.opt.BatchSize)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("cannot read due subscriptions", "err", err)
			}
			s.sleep(ctx, r, now.Add(s.opt.MinBackoff), false)
			continue
		}
		fresh := 0
		for _, sub := range due {
			if !r.inflight[sub.ID] {
				r.inflight[sub.ID] = true
				queue = append(queue, job{sub: sub})
				fresh++
			}
		}
		for i, j := range queue {
			r.inflight[j.sub.ID] = true
			if !s.pace(ctx, r) || !s.dispatch(ctx, r, j) {
				// Shutting down: put back what was not sent, for Run to release.
				for _, left := range queue[i:] {
					r.retries = append(r.retries, result{subID: left.sub.ID, retry: &left})
				}
				return
			}
		}
		if fresh == s.opt.BatchSize {
			continue // there may be more due
		}
		s.sleep(ctx, r, s.nextWake(ctx, r, now, fresh), false)
	}
}

// nextWake is when to look at the store next.
func (s *Scheduler) nextWake(ctx context.Context, r *run, now time.Time, fresh int) time.Time {
	wake := now.Add(s.opt.PollInterval)
	next, err := s.store.NextDue(ctx, now)
	if err != nil && ctx.Err() == nil {
		s.log.Error("cannot read the next due subscription", "err", err)
	}
	// A due subscription not dispatched is in hand already: its result
	// wakes the loop, so do not spin on it.
	if !next.IsZero() && next.Before(wake) && (next.After(now) || fresh > 0) {
		wake = next
	}
	for _, res := range r.retries {
		if res.retryAt.Before(wake) {
			wake = res.retryAt
		}
	}
	return wake
}

// sleep waits until the clock reaches until, absorbing the results of
// workers meanwhile. Unless pacing, a result or Wake ends the wait early,
// for the loop to look again. It reports false if ctx is done.
func (s *Scheduler) sleep(ctx context.Context, r *run, until time.Time, pacing bool) bool {
	t := s.clock.NewTimer(until.Sub(s.clock.Now()))
	defer t.Stop()
	for {
		var wake <-chan struct{}
		if !pacing {
			wake = s.wake
		}
		select {
		case <-t.C():
			return true
		case res := <-r.results:
			s.absorb(r, res)
			if !pacing {
				return true
			}
		case <-wake:
			return true
		case <-ctx.Done():
			return false
		}
	}
}

// dispatch hands j to a worker, absorbing results while all are busy.
func (s *Scheduler) dispatch(ctx context.Context, r *run, j job) bool {
	for {
		select {
		case r.jobs <- j:
			r.running++
			return true
		case res := <-r.results:
			s.absorb(r, res)
		case <-ctx.Done():
			return false
		}
	}
}

func (s *Scheduler) absorb(r *run, res result) {
	r.running--
	if res.holdAllFor > 0 {
		r.pace.holdUntil(s.clock.Now().Add(res.holdAllFor))
	}
	if res.retry != nil {
		r.retries = append(r.retries, res) // still in hand
		return
	}
	delete(r.inflight, res.subID)
}

// process takes one due slot as far as it can: claim, compose, send,
// record; or skip, pause, or ask for a retry.
func (s *Scheduler) process(ctx context.Context, started time.Time, j job) result {
	sub := j.sub
	done := result{subID: sub.ID}
	log := s.log.With("subscription", sub.ID, "guild", sub.GuildID, "channel", sub.ChannelID)
	now := s.clock.Now()
	var claim Claim
	if j.claim != nil {
		claim = *j.claim
		if next := sub.Schedule.Next(claim.Slot); !next.After(now) {
			log.Warn("digest not posted: its next slot is due already", "slot", claim.Slot, "failures", j.failures)
			s.skip(ctx, log, sub.ID, claim.Slot, next)
			return done
		}
	} else {
		slot := sub.NextRun
		// Slots older than the latest due one are superseded.
		if latest := sub.Schedule.Prev(now).UTC(); latest.After(slot) {
			log.Info("digest slots skipped: a later one is due", "from", slot, "to", latest)
			if !s.skip(ctx, log, sub.ID, slot, latest) {
				return done
			}
			slot, sub.NextRun = latest, latest
		}
		if slot.Before(started) && now.Sub(slot) > s.opt.Grace {
			log.Warn("digest slot missed while no scheduler ran, and older than the grace window: skipped",
				"slot", slot, "late", now.Sub(slot), "grace", s.opt.Grace)
			s.skip(ctx, log, sub.ID, slot, sub.Schedule.Next(slot))
			return done
		}
		var err error
		claim, err = s.store.ClaimSlot(ctx, sub.ID, slot, s.opt.Owner, now, s.opt.Lease)
		switch kind := bot.KindOf(err); {
		case err == nil:
		case kind == bot.Conflict || kind == bot.NotFound:
			log.Debug("slot not claimed", "slot", slot, "err", err)
			return done
		default:
			if ctx.Err() == nil {
				log.Error("cannot claim digest slot", "slot", slot, "err", err)
			}
			j.failures++
			return s.retry(j, now, 0)
		}
		if !claim.SentAt.IsZero() && now.Sub(claim.SentAt) > s.opt.NonceWindow {
			log.Warn("digest slot skipped: a process that died began to send it, too long ago for Discord to recognise a repeat",
				"slot", slot, "sent_at", claim.SentAt)
			s.skip(ctx, log, sub.ID, slot, sub.Schedule.Next(slot))
			return done
		}
	}
	log = log.With("slot", claim.Slot)
	j.claim = &claim

	reply, err := s.compose(ctx, &sub, claim.Slot)
	if err != nil {
		switch bot.KindOf(err) {
		case bot.NotFound, bot.Invalid, bot.Forbidden:
			s.pause(ctx, log, claim, bot.UserMessage(err), err)
			return done
		}
		if ctx.Err() != nil {
			s.release(ctx, log, claim)
			return done
		}
		log.Error("cannot compose digest", "err", err)
		s.opt.Observer.Digest(DigestFailed)
		j.failures++
		return s.retry(j, now, 0)
	}
	if ctx.Err() != nil {
		s.release(ctx, log, claim)
		return done
	}

	claim, err = s.store.MarkAttempt(ctx, claim, s.clock.Now(), s.opt.Lease)
	if err != nil {
		log.Warn("digest slot not sent: the claim is lost or the subscription paused", "err", err)
		return done
	}
	j.claim = &claim
	// The send and its record run to the end even if ctx is cancelled
	// meanwhile: stopping halfway is what the nonce is there to mend, not
	// something to do on purpose.
	bg := context.WithoutCancel(ctx)
	sendCtx, cancel := context.WithTimeout(bg, s.opt.AttemptTimeout)
	delivery := Delivery{
		SubscriptionID: sub.ID, Slot: claim.Slot, GuildID: sub.GuildID, ChannelID: sub.ChannelID,
		UserID: sub.UserID, Nonce: Nonce(sub.ID, claim.Slot), Reply: reply,
		MentionRoleID: sub.MentionRoleID, Publish: sub.Publish && !sub.DM(),
	}
	msgID, err := s.poster.Post(sendCtx, delivery)
	if p, ok := s.poster.(Publisher); ok && err == nil && delivery.Publish {
		s.publish(sendCtx, log, p, delivery, msgID)
	}
	cancel()
	now = s.clock.Now()
	if err == nil {
		if err := s.store.FinishSlot(bg, claim, msgID, sub.Schedule.Next(claim.Slot), now); err != nil {
			log.Error("digest posted but not recorded; a retry will send it again with the same nonce", "message", msgID, "err", err)
			return done
		}
		log.Info("digest posted", "message", msgID, "attempts", claim.Attempts)
		s.opt.Observer.Digest(DigestPosted)
		s.opt.Observer.DigestLag(now.Sub(claim.Slot))
		return done
	}
	var pf PostFailure
	if errors.As(err, &pf) && pf.Permanent() {
		s.pause(bg, log, claim, pf.Reason(), err)
		return done
	}
	j.failures++
	log.Warn("digest not posted; will retry", "failures", j.failures, "err", err)
	s.opt.Observer.Digest(DigestFailed)
	res := s.retry(j, now, 0)
	if pf != nil && pf.RetryAfter() > 0 {
		res = s.retry(j, now, pf.RetryAfter())
		if pf.Global() {
			res.holdAllFor = pf.RetryAfter()
		}
	}
	return res
}

// publish publishes a posted digest, logging why it could not.
func (s *Scheduler) publish(ctx context.Context, log *slog.Logger, p Publisher, d Delivery, messageID string) {
	err := p.Publish(ctx, d, messageID)
	if err == nil {
		log.Info("digest published", "message", messageID)
		return
	}
	reason := "it could not be published"
	var pf PostFailure
	if errors.As(err, &pf) && pf.Reason() != "" {
		reason = pf.Reason()
	}
	log.Warn("digest posted but not published", "message", messageID, "reason", reason, "err", err)
}

// retry asks for j again after a backoff that doubles with each failure,
// or after wait if that is longer.
func (s *Scheduler) retry(j job, now time.Time, wait time.Duration) result {
	d := max(backoff.Delay(max(j.failures, 1), s.opt.MinBackoff, s.opt.MaxBackoff), wait)
	return result{subID: j.sub.ID, retry: &j, retryAt: now.Add(d)}
}

func (s *Scheduler) skip(ctx context.Context, log *slog.Logger, subID int64, slot, next time.Time) bool {
	err := s.store.SkipSlot(context.WithoutCancel(ctx), subID, slot, next.UTC())
	if err != nil {
		log.Warn("cannot skip digest slot", "slot", slot, "err", err)
		return false
	}
	s.opt.Observer.Digest(DigestSkipped)
	return true
}

func (s *Scheduler) release(ctx context.Context, log *slog.Logger, c Claim) {
	if err := s.store.ReleaseClaim(context.WithoutCancel(ctx), c, s.clock.Now()); err != nil {
		log.Warn("cannot release claim", "err", err)
	}
}

func (s *Scheduler) pause(ctx context.Context, log *slog.Logger, c Claim, reason string, cause error) {
	bg := context.WithoutCancel(ctx)
	if _, err := s.store.PauseSubscription(bg, c.SubscriptionID, reason); err != nil {
		log.Error("cannot pause subscription", "reason", reason, "err", err)
		return
	}
	log.Warn("subscription paused", "reason", reason, "err", cause)
	s.opt.Observer.Digest(DigestPaused)
	s.release(bg, log, c)
}

// pace waits until the pacer lets one more post go, and takes its token.
// A global rate limit reported meanwhile holds it back further.
func (s *Scheduler) pace(ctx context.Context, r *run) bool {
	for {
		now := s.clock.Now()
		at := r.pace.allowed()
		if !at.After(now) {
			r.pace.take(now)
			return true
		}
		if !s.sleep(ctx, r, at, true) {
			return false
		}
	}
}

// pacer spaces posts by the generic cell rate algorithm: a token bucket
// that refills at a rate and holds a burst of tokens.
type pacer struct {
	interval  time.Duration
	tolerance time.Duration // (burst-1) intervals
	tat       time.Time     // theoretical arrival time of the next post
	hold      time.Time     // no post before this (a global rate limit)
}

func newPacer(rate float64, burst int) pacer {
	interval := time.Duration(float64(time.Second) / rate)
	return pacer{interval: interval, tolerance: time.Duration(burst-1) * interval}
}

// allowed is when the next post may go.
func (p *pacer) allowed() time.Time {
	at := p.tat.Add(-p.tolerance)
	if p.hold.After(at) {
		at = p.hold
	}
	return at
}

// take uses a token at now.
func (p *pacer) take(now time.Time) {
	tat := p.tat
	if tat.Before(now) {
		tat = now
	}
	p.tat = tat.Add(p.interval)
}

// holdUntil lets no post go before t.
func (p *pacer) holdUntil(t time.Time) {
	if t.After(p.hold) {
		p.hold = t
	}
}
