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
	"time"
	_ "time/tzdata"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/bot/sqlite"
)

// The tests run schedulers on a fake clock and step it from one wait of
// theirs to the next, through Options.OnIdle: no sleeps.

// fakeDiscord is a Poster that behaves as Discord does with nonces and
// enforce_nonce: a repeat within the window returns the first message.
type fakeDiscord struct {
	clk    *clocktest.Clock
	window time.Duration

	mu       sync.Mutex
	calls    []digest.Delivery[string]
	messages []message
	byNonce  map[string]int // index in messages
	script   map[string][]error
	// afterCreate, if set, runs after a message is made, before Post
	// returns; its error is returned as if the answer was lost.
	afterCreate func(d digest.Delivery[string]) error
	// outage, if set, may fail a send before anything else happens.
	outage func(now time.Time) error
}

type message struct {
	ID string
	At time.Time
	d  digest.Delivery[string]
}

func newFakeDiscord(clk *clocktest.Clock) *fakeDiscord {
	return &fakeDiscord{clk: clk, window: 10 * time.Minute, byNonce: map[string]int{}, script: map[string][]error{}}
}

// failNext makes the next sends to channel fail with errs, in order.
func (f *fakeDiscord) failNext(channel string, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[channel] = append(f.script[channel], errs...)
}

func (f *fakeDiscord) Post(ctx context.Context, d digest.Delivery[string]) (string, error) {
	f.mu.Lock()
	f.calls = append(f.calls, d)
	target := d.ChannelID
	if d.DM() {
		target = "dm:" + d.UserID
	}
	if f.outage != nil {
		if err := f.outage(f.clk.Now()); err != nil {
			f.mu.Unlock()
			return "", err
		}
	}
	if errs := f.script[target]; len(errs) > 0 {
		f.script[target] = errs[1:]
		f.mu.Unlock()
		return "", errs[0]
	}
	now := f.clk.Now()
	if i, ok := f.byNonce[d.Nonce]; ok && now.Sub(f.messages[i].At) <= f.window {
		id := f.messages[i].ID
		f.mu.Unlock()
		return id, nil
	}
	m := message{ID: fmt.Sprintf("m%d", len(f.messages)+1), At: now, d: d}
	f.messages = append(f.messages, m)
	f.byNonce[d.Nonce] = len(f.messages) - 1
	after := f.afterCreate
	f.mu.Unlock()
	if after != nil {
		if err := after(d); err != nil {
			return "", err
		}
	}
	return m.ID, nil
}

func (f *fakeDiscord) posted() []message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]message(nil), f.messages...)
}

func (f *fakeDiscord) sends() []digest.Delivery[string] {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]digest.Delivery[string](nil), f.calls...)
}

// postedSlots returns the slots posted for a subscription, in UTC.
func (f *fakeDiscord) postedSlots(subID int64) []time.Time {
	var out []time.Time
	for _, m := range f.posted() {
		if m.d.SubscriptionID == subID {
			out = append(out, m.d.Slot.UTC())
		}
	}
	return out
}

// compose makes "article, section N" and fails for article "gone".
func compose(ctx context.Context, sub *bot.Subscription, slot time.Time) (string, error) {
	if sub.ArticleID == "gone" {
		return "", bot.Errorf(bot.NotFound, "The article %q is no longer in the library.", sub.ArticleID)
	}
	return fmt.Sprintf("%s, section %d", sub.ArticleID, sub.Rotation), nil
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
	t       testing.TB
	clk     *clocktest.Clock
	store   bot.Store
	discord *fakeDiscord
	logs    *syncBuffer
	running []*scheduler
}

type scheduler struct {
	*digest.Scheduler[string]
	idle   chan time.Time
	stop   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
	until  time.Time
	waits  bool // reported idle and not woken since
}

func newHarness(t testing.TB, start time.Time) *harness {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "briefbot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return newHarnessOn(t, start, s)
}

func newHarnessOn(t testing.TB, start time.Time, store bot.Store) *harness {
	clk := clocktest.New(start)
	h := &harness{t: t, clk: clk, store: store, discord: newFakeDiscord(clk), logs: &syncBuffer{}}
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

// start runs a scheduler on the harness's store, clock and Discord.
func (h *harness) start(opt digest.Options) *scheduler {
	return h.startOn(h.store, opt)
}

func (h *harness) startOn(store bot.Store, opt digest.Options) *scheduler {
	r := &scheduler{idle: make(chan time.Time), stop: make(chan struct{}), done: make(chan struct{})}
	opt.Clock = h.clk
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{
			Level: slog.LevelDebug,
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{} // real time means nothing here
				}
				return a
			},
		}))
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = 24 * time.Hour // fewer steps; tests call Wake
	}
	opt.OnIdle = func(until time.Time) {
		select {
		case r.idle <- until:
		case <-r.stop:
		}
	}
	r.Scheduler = digest.New[string](store, h.discord, compose, opt)
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
	select {
	case <-r.stop:
	default:
		close(r.stop)
	}
	<-r.done
	for i, x := range h.running {
		if x == r {
			h.running = append(h.running[:i], h.running[i+1:]...)
			break
		}
	}
}

// wake calls Wake on an idle scheduler and notes that it is busy again.
func (h *harness) wake(r *scheduler) {
	h.settle()
	r.Wake()
	r.waits = false
}

// settle waits until every scheduler waits on the clock.
func (h *harness) settle() {
	h.t.Helper()
	for _, r := range h.running {
		if r.waits {
			continue
		}
		select {
		case r.until = <-r.idle:
			r.waits = true
		case <-time.After(20 * time.Second): // a watchdog, not a sleep: nothing should take this long
			h.t.Fatalf("scheduler %s never waited on the clock", r.Owner())
		}
	}
}

// runUntil steps the clock from one wait of the schedulers to the next,
// up to limit.
func (h *harness) runUntil(limit time.Time) {
	h.t.Helper()
	for {
		h.settle()
		if len(h.running) == 0 {
			h.clk.AdvanceTo(limit)
			return
		}
		next := h.running[0].until
		for _, r := range h.running[1:] {
			if r.until.Before(next) {
				next = r.until
			}
		}
		if next.After(limit) {
			h.clk.AdvanceTo(limit)
			return
		}
		h.clk.AdvanceTo(next)
		for _, r := range h.running {
			if !r.until.After(next) {
				r.waits = false
			}
		}
	}
}

// subscribe creates a subscription whose next run is the first slot after
// the clock's time, and wakes the schedulers.
func (h *harness) subscribe(spec schedule.Spec, guild, channel string) bot.Subscription {
	h.t.Helper()
	return h.subscribeAt(spec, guild, channel, h.clk.Now())
}

// subscribeAt creates a subscription as if made at created: its next run
// is the first slot after that.
func (h *harness) subscribeAt(spec schedule.Spec, guild, channel string, created time.Time) bot.Subscription {
	h.t.Helper()
	sched, err := schedule.Parse(spec, created)
	if err != nil {
		h.t.Fatal(err)
	}
	sub, err := h.store.CreateSubscription(context.Background(), bot.Subscription{
		GuildID: guild, ChannelID: channel, UserID: "u-" + channel, Schedule: sched, ArticleID: "tides",
		NextRun: sched.Next(created), CreatedAt: created,
	}, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range h.running {
		h.wake(r)
	}
	return sub
}

func (h *harness) sub(id int64) bot.Subscription {
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
	bot.Store
	mu sync.Mutex
	n  int
}

func (s *finishFails) FinishSlot(ctx context.Context, c bot.Claim, messageID string, next, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n > 0 {
		s.n--
		return errors.New("the process died before recording the post")
	}
	return s.Store.FinishSlot(ctx, c, messageID, next, now)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
