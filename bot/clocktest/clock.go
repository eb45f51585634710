// Package clocktest provides a fake bot.Clock for tests: time stands still
// until the test advances it, and timers fire, in order, as it does.
//
// The usual dance with code that runs in its own goroutine is
//
//	clk := clocktest.New(start)
//	go s.Run(ctx)              // s waits on a timer of clk
//	clk.BlockUntil(ctx, 1)     // s is now waiting
//	clk.Advance(time.Hour)     // its timer fires
//	clk.BlockUntil(ctx, 1)     // s has done its work and waits again
package clocktest

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// Clock is a fake bot.Clock. Its zero value is not usable; call New.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	seq     uint64
	pending []*timer
	changed chan struct{} // closed, and replaced, when pending changes
}

var _ bot.Clock = (*Clock)(nil)

// New returns a fake clock that reads now until it is advanced.
func New(now time.Time) *Clock {
	return &Clock{now: now, changed: make(chan struct{})}
}

// Now returns the fake time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer that fires when the clock reaches Now()+d. A d
// of zero or less fires at once.
func (c *Clock) NewTimer(d time.Duration) bot.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{clock: c, ch: make(chan time.Time, 1), when: c.now.Add(d)}
	if d <= 0 {
		t.ch <- c.now
		return t
	}
	c.seq++
	t.seq = c.seq
	c.pending = append(c.pending, t)
	c.notifyLocked()
	return t
}

// Advance moves the clock d forward. The timers that come due fire one by
// one in the order of their deadlines (ties in the order they were made),
// with Now reading each timer's deadline as it fires.
func (c *Clock) Advance(d time.Duration) {
	c.AdvanceTo(c.Now().Add(d))
}

// AdvanceTo moves the clock forward to t, firing timers as Advance does. It
// never moves the clock back.
func (c *Clock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		next := c.earliestLocked()
		if next == nil || next.when.After(t) {
			break
		}
		c.removeLocked(next)
		if next.when.After(c.now) {
			c.now = next.when
		}
		next.ch <- c.now // never blocks: each timer fires once into a buffer of one
	}
	if t.After(c.now) {
		c.now = t
	}
}

// AdvanceToNext moves the clock to the earliest pending timer's deadline,
// firing it and any other timers due then. It reports false, and does
// nothing, if no timer is pending.
func (c *Clock) AdvanceToNext() bool {
	when, ok := c.Next()
	if !ok {
		return false
	}
	c.AdvanceTo(when)
	return true
}

// Next returns the earliest deadline among the pending timers.
func (c *Clock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.earliestLocked(); t != nil {
		return t.when, true
	}
	return time.Time{}, false
}

// Timers returns the number of timers that have neither fired nor been
// stopped.
func (c *Clock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// BlockUntil waits until at least n timers are pending, which for code that
// only ever waits on this clock means it is blocked. It returns ctx's error
// if ctx is done first.
func (c *Clock) BlockUntil(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		have, changed := len(c.pending), c.changed
		c.mu.Unlock()
		if have >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *Clock) earliestLocked() *timer {
	if len(c.pending) == 0 {
		return nil
	}
	sort.Slice(c.pending, func(i, j int) bool {
		a, b := c.pending[i], c.pending[j]
		if !a.when.Equal(b.when) {
			return a.when.Before(b.when)
		}
		return a.seq < b.seq
	})
	return c.pending[0]
}

func (c *Clock) removeLocked(t *timer) bool {
	for i, p := range c.pending {
		if p == t {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
			c.notifyLocked()
			return true
		}
	}
	return false
}

func (c *Clock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

type timer struct {
	clock *Clock
	ch    chan time.Time
	when  time.Time
	seq   uint64
}

func (t *timer) C() <-chan time.Time { return t.ch }

func (t *timer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	return t.clock.removeLocked(t)
}
