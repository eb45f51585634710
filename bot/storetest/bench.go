package storetest

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/schedule"
)

// Populate adds n active daily subscriptions to s, in guilds of 100, with
// next runs spread evenly over spread after from: the i-th (from 0) is due
// at from + i×(spread/n). It uses workers goroutines.
func Populate(tb testing.TB, s Store, n int, from time.Time, spread time.Duration, workers int) {
	tb.Helper()
	sched, err := schedule.Parse(schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, from)
	if err != nil {
		tb.Fatal(err)
	}
	step := spread / time.Duration(n)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				_, err := s.CreateSubscription(context.Background(), digest.Subscription{
					GuildID: "g" + strconv.Itoa(i/100), ChannelID: "c" + strconv.Itoa(i), UserID: "u" + strconv.Itoa(i),
					Schedule: sched, ArticleID: "tides", NextRun: from.Add(time.Duration(i) * step), CreatedAt: from,
				}, 0)
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// Bench benchmarks s, which holds the n subscriptions that
// Populate(b, s, n, Epoch, 24*time.Hour, …) made: finding due subscriptions as more of
// them are due, finding the next one, claiming and finishing slots, and
// the memory of the process.
func Bench(b *testing.B, s Store, n int) {
	ctx := context.Background()
	step := 24 * time.Hour / time.Duration(n)
	dueAt := func(due int) time.Time { return Epoch.Add(time.Duration(due-1) * step) }

	type query struct{ due, limit int }
	queries := []query{{0, 100}, {1, 100}, {100, 100}, {10_000, 100}, {n, 100}, // the scheduler's batch
		{1_000, 1_000}, {10_000, 10_000}} // all that are due
	for _, q := range queries {
		due, limit := q.due, q.limit
		{
			b.Run(fmt.Sprintf("DueSubscriptions/due=%d/limit=%d", due, limit), func(b *testing.B) {
				now := dueAt(due)
				want := min(due, limit)
				for b.Loop() {
					got, err := s.DueSubscriptions(ctx, now, limit)
					if err != nil {
						b.Fatal(err)
					}
					if len(got) != want {
						b.Fatalf("%d due, want %d", len(got), want)
					}
				}
			})
		}
	}
	b.Run("NextDue", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.NextDue(ctx, Epoch); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ClaimAttemptFinish", func(b *testing.B) {
		// Subscriptions of their own, due a year after the others so that
		// the queries above find the same rows on every run, posted in
		// turn, each a day later than its last post.
		sched, err := schedule.Parse(schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, Epoch)
		if err != nil {
			b.Fatal(err)
		}
		subs := make([]digest.Subscription, 1000)
		for i := range subs {
			subs[i], err = s.CreateSubscription(ctx, digest.Subscription{
				GuildID: "claims", ChannelID: "claim" + strconv.Itoa(i), UserID: "u",
				Schedule: sched, ArticleID: "tides", NextRun: Epoch.AddDate(1, 0, 0).Add(time.Duration(i) * time.Second), CreatedAt: Epoch,
			}, 0)
			if err != nil {
				b.Fatal(err)
			}
		}
		i := 0
		for b.Loop() {
			sub := &subs[i%len(subs)]
			i++
			now := sub.NextRun
			c, err := s.ClaimSlot(ctx, sub.ID, sub.NextRun, "bench", now, time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			if c, err = s.MarkAttempt(ctx, c, now, time.Minute); err != nil {
				b.Fatal(err)
			}
			next := sub.NextRun.Add(24 * time.Hour)
			if err := s.FinishSlot(ctx, c, "m", next, now); err != nil {
				b.Fatal(err)
			}
			sub.NextRun = next
		}
	})
	b.Run("Footprint", func(b *testing.B) {
		for b.Loop() {
		}
		ReportMemory(b)
	})
}

// ReportMemory reports the live Go heap and the resident set size of the
// process (where /proc tells it) as benchmark metrics, in MB.
func ReportMemory(b *testing.B) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/1e6, "heap-MB")
	if rss, ok := RSS(); ok {
		b.ReportMetric(float64(rss)/1e6, "rss-MB")
	}
}

// RSS returns the resident set size of the process, in bytes, on Linux.
func RSS() (int64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1000, err == nil
		}
	}
	return 0, false
}
