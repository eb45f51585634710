package digest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	_ "time/tzdata"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/bot/sqlite"
)

// The tests run schedulers in a testing/synctest bubble, on the real
// clock, which the bubble fakes: time moves on only when every goroutine
// waits, straight to the next timer, so a test sleeps through days of
// schedules in an instant and sees what each slot did at its time.
// synctest.Wait is how a test knows that everything due has happened.
//
// The benchmark cannot run in a bubble; it steps a clocktest.Clock
// instead (see runUntil).

// store is what the schedulers and the tests use of a store.
type store interface {
	digest.Subscriptions
	digest.Slots
}

// fakeDiscord is a Poster that behaves as Discord does with nonces and
// enforce_nonce: a repeat within the window returns the first message.
type fakeDiscord struct {
	now    func() time.Time
	window time.Duration

	mu       sync.Mutex
	calls    []digest.Delivery
	messages []message
	byNonce  map[string]int // index in messages
	script   map[string][]error
	posted   chan struct{} // gets a value for every message made, if not nil
	// afterCreate, if set, runs after a message is made, before Post
	// returns; its error is returned as if the answer was lost.
	afterCreate func(d digest.Delivery) error
	// outage, if set, may fail a send before anything else happens.
	outage func(now time.Time) error

	publishes   []string       // every Publish, by message id
	crossposts  map[string]int // publishes that took effect, by message id
	publishFail []error        // what the next Publishes return
}

type message struct {
	ID string
	At time.Time
	d  digest.Delivery
}

func newFakeDiscord(now func() time.Time) *fakeDiscord {
	return &fakeDiscord{now: now, window: 10 * time.Minute, byNonce: map[string]int{}, script: map[string][]error{}, crossposts: map[string]int{}}
}

// Publish publishes a message once, as Discord's crosspost does; a
// message published already is published, as the Discord adapter reports
// Discord's "already crossposted".
func (f *fakeDiscord) Publish(ctx context.Context, d digest.Delivery, messageID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.publishes = append(f.publishes, messageID)
	if len(f.publishFail) > 0 {
		err := f.publishFail[0]
		f.publishFail = f.publishFail[1:]
		return err
	}
	if f.crossposts[messageID] == 0 {
		f.crossposts[messageID] = 1
	}
	return nil
}

// published returns how many times each message was published, by id.
func (f *fakeDiscord) published() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for id, n := range f.crossposts {
		out[id] = n
	}
	return out
}

// failNext makes the next sends to channel fail with errs, in order.
func (f *fakeDiscord) failNext(channel string, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[channel] = append(f.script[channel], errs...)
}

func (f *fakeDiscord) Post(ctx context.Context, d digest.Delivery) (string, error) {
	f.mu.Lock()
	f.calls = append(f.calls, d)
	target := d.ChannelID
	if d.DM() {
		target = "dm:" + d.UserID
	}
	now := f.now()
	if f.outage != nil {
		if err := f.outage(now); err != nil {
			f.mu.Unlock()
			return "", err
		}
	}
	if errs := f.script[target]; len(errs) > 0 {
		f.script[target] = errs[1:]
		f.mu.Unlock()
		return "", errs[0]
	}
	if i, ok := f.byNonce[d.Nonce]; ok && now.Sub(f.messages[i].At) <= f.window {
		id := f.messages[i].ID
		f.mu.Unlock()
		return id, nil
	}
	m := message{ID: fmt.Sprintf("m%d", len(f.messages)+1), At: now, d: d}
	f.messages = append(f.messages, m)
	f.byNonce[d.Nonce] = len(f.messages) - 1
	after, posted := f.afterCreate, f.posted
	f.mu.Unlock()
	if posted != nil {
		posted <- struct{}{}
	}
	if after != nil {
		if err := after(d); err != nil {
			return "", err
		}
	}
	return m.ID, nil
}

func (f *fakeDiscord) posts() []message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]message(nil), f.messages...)
}

func (f *fakeDiscord) sends() []digest.Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]digest.Delivery(nil), f.calls...)
}

// postedSlots returns the slots posted for a subscription, in UTC.
func (f *fakeDiscord) postedSlots(subID int64) []time.Time {
	var out []time.Time
	for _, m := range f.posts() {
		if m.d.SubscriptionID == subID {
			out = append(out, m.d.Slot.UTC())
		}
	}
	return out
}

// postError is a post refused as the Discord adapter reports it: a
// digest.PostFailure.
type postError struct {
	permanent  bool
	reason     string
	retryAfter time.Duration
	global     bool
	err        error
}

func (e *postError) Permanent() bool           { return e.permanent }
func (e *postError) Reason() string            { return e.reason }
func (e *postError) RetryAfter() time.Duration { return e.retryAfter }
func (e *postError) Global() bool              { return e.global }
func (e *postError) Unwrap() error             { return e.err }
func (e *postError) Error() string {
	if e.err != nil {
		return "post refused: " + e.err.Error()
	}
	return "post refused"
}

var _ digest.PostFailure = (*postError)(nil)

// compose makes "article, section N" and fails for article "gone".
func compose(ctx context.Context, sub *digest.Subscription, slot time.Time) (*bot.Reply, error) {
	if sub.ArticleID == "gone" {
		return nil, bot.Errorf(bot.NotFound, "The article %q is no longer in the library.", sub.ArticleID)
	}
	return &bot.Reply{Content: fmt.Sprintf("%s, section %d", sub.ArticleID, sub.Rotation)}, nil
}

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type harness struct {
	t testing.TB
	// clk is the clock of a benchmark; nil in a bubble, where the
	// schedulers run on the bubble's clock. busy counts the calls of
	// the schedulers into the store, the composer and Discord that have
	// not returned, for stepping clk.
	clk     *clocktest.Clock
	busy    *calls
	store   store
	discord *fakeDiscord
	logs    *syncBuffer
	running []*scheduler
}

type scheduler struct {
	*digest.Scheduler
	cancel context.CancelFunc
	done   chan struct{}
}

// newHarness returns a harness on a SQLite store of its own, with the
// bubble's clock at start. Call it inside synctest.Test.
func newHarness(t *testing.T, start time.Time) *harness {
	t.Helper()
	return newHarnessOn(t, start, openSQLite(t, filepath.Join(t.TempDir(), "briefbot.db")))
}

func openSQLite(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newHarnessOn returns a harness on store, with the bubble's clock at
// start. Call it inside synctest.Test.
func newHarnessOn(t *testing.T, start time.Time, store store) *harness {
	t.Helper()
	time.Sleep(time.Until(start))
	return newHarnessWith(t, nil, store)
}

func newHarnessWith(t testing.TB, clk *clocktest.Clock, store store) *harness {
	now := time.Now
	if clk != nil {
		now = clk.Now
	}
	h := &harness{t: t, clk: clk, busy: newCalls(), store: store, discord: newFakeDiscord(now), logs: &syncBuffer{}}
	t.Cleanup(func() {
		for _, r := range h.running {
			h.stop(r)
		}
		if t.Failed() {
			t.Logf("scheduler logs:\n%s", h.logs)
		}
	})
	return h
}

func (h *harness) now() time.Time {
	if h.clk != nil {
		return h.clk.Now()
	}
	return time.Now()
}

// start runs a scheduler on the harness's store, clock and Discord.
func (h *harness) start(opt digest.Options) *scheduler {
	return h.startOn(h.store, opt)
}

func (h *harness) startOn(store digest.Slots, opt digest.Options) *scheduler {
	r := &scheduler{done: make(chan struct{})}
	if h.clk != nil {
		opt.Clock = h.clk
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{
			Level: slog.LevelDebug,
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{} // the machine's time means nothing here
				}
				return a
			},
		}))
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = 24 * time.Hour // fewer wake-ups; tests call Wake
	}
	var poster digest.Poster = h.discord
	composer := compose
	if h.clk != nil {
		store = &countedSlots{Slots: store, busy: h.busy}
		poster = countedPoster{h.discord, h.busy}
		composer = func(ctx context.Context, sub *digest.Subscription, slot time.Time) (*bot.Reply, error) {
			defer h.busy.enter()()
			return compose(ctx, sub, slot)
		}
	}
	r.Scheduler = digest.NewScheduler(store, poster, composer, opt)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		defer close(r.done)
		if err := r.Run(ctx); err != nil {
			h.t.Errorf("Run: %v", err)
		}
	}()
	h.running = append(h.running, r)
	return r
}

// stop cancels a scheduler and waits for Run to return.
func (h *harness) stop(r *scheduler) {
	r.cancel()
	<-r.done
	for i, x := range h.running {
		if x == r {
			h.running = append(h.running[:i], h.running[i+1:]...)
			break
		}
	}
}

// wake calls Wake on a scheduler once every scheduler waits, and waits
// until they all wait again.
func (h *harness) wake(r *scheduler) {
	h.settle()
	r.Wake()
	h.settle()
}

// settle waits until every scheduler waits on the clock, with nothing in
// flight.
func (h *harness) settle() {
	if h.clk == nil {
		synctest.Wait()
	}
}

// runUntil lets the clock run to limit, every scheduler doing what comes
// due meanwhile at its time, and waits for what comes due at limit.
//
// A benchmark, out of a bubble, steps its clocktest.Clock instead, from
// one pending timer to the next, once no call of the schedulers is under
// way. That cannot see a worker between two calls, so the times it gives
// are close, not exact.
func (h *harness) runUntil(limit time.Time) {
	h.t.Helper()
	if h.clk == nil {
		time.Sleep(time.Until(limit))
		synctest.Wait()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a watchdog, not a sleep
	defer cancel()
	for {
		if err := h.clk.BlockUntil(ctx, 1); err != nil {
			h.t.Fatalf("the schedulers never waited on the clock: %v", err)
		}
		if err := h.busy.waitIdle(ctx); err != nil {
			h.t.Fatalf("a call of the schedulers never returned: %v", err)
		}
		next, _ := h.clk.Next()
		if next.After(limit) {
			h.clk.AdvanceTo(limit)
			return
		}
		h.clk.AdvanceTo(next)
	}
}

// subscribe creates a subscription whose next run is the first slot after
// the clock's time, and wakes the schedulers.
func (h *harness) subscribe(spec schedule.Spec, guild, channel string) digest.Subscription {
	h.t.Helper()
	return h.subscribeAt(spec, guild, channel, h.now())
}

// subscribeAt creates a subscription as if made at created: its next run
// is the first slot after that.
func (h *harness) subscribeAt(spec schedule.Spec, guild, channel string, created time.Time) digest.Subscription {
	h.t.Helper()
	return h.subscribeWith(spec, guild, channel, created, nil)
}

// subscribeWith is subscribeAt, with the subscription changed by set
// before it is stored.
func (h *harness) subscribeWith(spec schedule.Spec, guild, channel string, created time.Time, set func(*digest.Subscription)) digest.Subscription {
	h.t.Helper()
	sched, err := schedule.Parse(spec, created)
	if err != nil {
		h.t.Fatal(err)
	}
	sub := digest.Subscription{
		GuildID: guild, ChannelID: channel, UserID: "u-" + channel, Schedule: sched, ArticleID: "tides",
		NextRun: sched.Next(created), CreatedAt: created,
	}
	if set != nil {
		set(&sub)
	}
	sub, err = h.store.CreateSubscription(context.Background(), sub, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range h.running {
		h.wake(r)
	}
	return sub
}

func (h *harness) sub(id int64) digest.Subscription {
	h.t.Helper()
	s, err := h.store.Subscription(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

func (h *harness) wantLog(substr string) {
	h.t.Helper()
	if !strings.Contains(h.logs.String(), substr) {
		h.t.Errorf("logs lack %q", substr)
	}
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func sortedTimes(ts []time.Time) []time.Time {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts
}

// finishFails is a store whose FinishSlot fails the first n times, as if
// the process died between sending and recording.
type finishFails struct {
	digest.Slots
	mu sync.Mutex
	n  int
}

func (s *finishFails) FinishSlot(ctx context.Context, c digest.Claim, messageID string, next, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n > 0 {
		s.n--
		return errors.New("the process died before recording the post")
	}
	return s.Slots.FinishSlot(ctx, c, messageID, next, now)
}

// looks is a store that records when the scheduler looks for due
// subscriptions: the instants it wakes at.
type looks struct {
	digest.Slots
	mu sync.Mutex
	at []time.Time
}

func (s *looks) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]digest.Subscription, error) {
	s.mu.Lock()
	s.at = append(s.at, now.UTC())
	s.mu.Unlock()
	return s.Slots.DueSubscriptions(ctx, now, limit)
}

func (s *looks) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.at...)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// calls counts calls under way, and tells when there are none.
type calls struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n is 0
}

func newCalls() *calls {
	c := &calls{idle: make(chan struct{})}
	close(c.idle)
	return c
}

// enter counts a call; the function it returns ends it.
func (c *calls) enter() func() {
	c.mu.Lock()
	if c.n == 0 {
		c.idle = make(chan struct{})
	}
	c.n++
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		if c.n--; c.n == 0 {
			close(c.idle)
		}
		c.mu.Unlock()
	}
}

func (c *calls) waitIdle(ctx context.Context) error {
	c.mu.Lock()
	idle := c.idle
	c.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// countedSlots counts a scheduler's calls into its store.
type countedSlots struct {
	digest.Slots
	busy *calls
}

func (s *countedSlots) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]digest.Subscription, error) {
	defer s.busy.enter()()
	return s.Slots.DueSubscriptions(ctx, now, limit)
}

func (s *countedSlots) NextDue(ctx context.Context, now time.Time) (time.Time, error) {
	defer s.busy.enter()()
	return s.Slots.NextDue(ctx, now)
}

func (s *countedSlots) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, now time.Time, lease time.Duration) (digest.Claim, error) {
	defer s.busy.enter()()
	return s.Slots.ClaimSlot(ctx, subID, slot, owner, now, lease)
}

func (s *countedSlots) MarkAttempt(ctx context.Context, c digest.Claim, now time.Time, lease time.Duration) (digest.Claim, error) {
	defer s.busy.enter()()
	return s.Slots.MarkAttempt(ctx, c, now, lease)
}

func (s *countedSlots) ReleaseClaim(ctx context.Context, c digest.Claim, now time.Time) error {
	defer s.busy.enter()()
	return s.Slots.ReleaseClaim(ctx, c, now)
}

func (s *countedSlots) FinishSlot(ctx context.Context, c digest.Claim, messageID string, next, now time.Time) error {
	defer s.busy.enter()()
	return s.Slots.FinishSlot(ctx, c, messageID, next, now)
}

func (s *countedSlots) SkipSlot(ctx context.Context, subID int64, slot, next time.Time) error {
	defer s.busy.enter()()
	return s.Slots.SkipSlot(ctx, subID, slot, next)
}

func (s *countedSlots) PauseSubscription(ctx context.Context, id int64, reason string) (digest.Subscription, error) {
	defer s.busy.enter()()
	return s.Slots.PauseSubscription(ctx, id, reason)
}

// countedPoster counts a scheduler's posts.
type countedPoster struct {
	*fakeDiscord
	busy *calls
}

func (p countedPoster) Post(ctx context.Context, d digest.Delivery) (string, error) {
	defer p.busy.enter()()
	return p.fakeDiscord.Post(ctx, d)
}
