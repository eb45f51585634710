package digest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/postgres"
	"github.com/briefbot/briefbot/bot/postgres/pgtest"
	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/bot/storetest"
	"github.com/google/go-cmp/cmp"
)

func times(ss ...string) []time.Time {
	out := []time.Time{}
	for _, s := range ss {
		out = append(out, utc(s))
	}
	return out
}

// Slots posted over a window, for each kind of schedule, in several zones
// and around the days the clocks change.
func TestSlots(t *testing.T) {
	tests := []struct {
		name       string
		spec       schedule.Spec
		guild      string
		from, till string
		want       []time.Time
	}{
		{"daily in Madrid", schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, "g",
			"2026-03-02 00:00", "2026-03-05 00:00", times("2026-03-02 07:30", "2026-03-03 07:30", "2026-03-04 07:30")},
		{"weekdays in New York, across its spring change", schedule.Spec{Frequency: "weekdays", Time: "09:00", TimeZone: "America/New_York"}, "g",
			"2026-03-05 00:00", "2026-03-11 00:00", times("2026-03-05 14:00", "2026-03-06 14:00", "2026-03-09 13:00", "2026-03-10 13:00")},
		{"weekly on Monday in Tokyo is Sunday in UTC", schedule.Spec{Frequency: "weekly", Weekday: "monday", Time: "07:00", TimeZone: "Asia/Tokyo"}, "g",
			"2026-03-02 00:00", "2026-03-17 00:00", times("2026-03-08 22:00", "2026-03-15 22:00")},
		{"cron at weekends in Sydney", schedule.Spec{Cron: "0 12 * * 6,0", TimeZone: "Australia/Sydney"}, "g",
			"2026-03-02 00:00", "2026-03-09 00:00", times("2026-03-07 01:00", "2026-03-08 01:00")},
		{"a DM digest", schedule.Spec{Time: "20:00"}, "",
			"2026-03-02 00:00", "2026-03-04 00:00", times("2026-03-02 20:00", "2026-03-03 20:00")},
		{"Madrid spring forward: 02:30 is posted at 03:00 CEST", schedule.Spec{Time: "02:30", TimeZone: "Europe/Madrid"}, "g",
			"2026-03-27 12:00", "2026-03-31 00:00", times("2026-03-28 01:30", "2026-03-29 01:00", "2026-03-30 00:30")},
		{"Madrid fall back: 02:30 is posted once, the first time", schedule.Spec{Time: "02:30", TimeZone: "Europe/Madrid"}, "g",
			"2026-10-24 12:00", "2026-10-27 00:00", times("2026-10-25 00:30", "2026-10-26 01:30")},
		{"New York fall back: hourly at :30 skips the repeated 01:30", schedule.Spec{Cron: "30 * * * *", TimeZone: "America/New_York"}, "g",
			"2026-11-01 04:00", "2026-11-01 09:00", times("2026-11-01 04:30", "2026-11-01 05:30", "2026-11-01 07:30", "2026-11-01 08:30")},
		{"New York spring forward: 02:00 and 02:30 make one post at 03:00 EDT", schedule.Spec{Cron: "0,30 2 * * *", TimeZone: "America/New_York"}, "g",
			"2026-03-07 12:00", "2026-03-09 12:00", times("2026-03-08 07:00", "2026-03-09 06:00", "2026-03-09 06:30")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, utc(tt.from))
				h.start(digest.Options{})
				sub := h.subscribe(tt.spec, tt.guild, "news")
				h.runUntil(utc(tt.till))
				if diff := cmp.Diff(tt.want, h.discord.postedSlots(sub.ID)); diff != "" {
					t.Errorf("posted slots (-want +got):\n%s", diff)
				}
				for _, m := range h.discord.posts() {
					if !m.At.Equal(m.d.Slot) {
						t.Errorf("slot %v posted at %v, want on time", m.d.Slot, m.At)
					}
					if m.d.Nonce != digest.Nonce(sub.ID, m.d.Slot) {
						t.Errorf("nonce %q, want %q", m.d.Nonce, digest.Nonce(sub.ID, m.d.Slot))
					}
					if tt.guild == "" && (m.d.GuildID != "" || m.d.UserID != sub.UserID || !m.d.DM()) {
						t.Errorf("DM digest delivered as %+v", m.d)
					}
				}
			})
		})
	}
}

// Slots missed while no scheduler ran: the latest is posted if within the
// grace window (1h), the others are skipped.
func TestCatchUp(t *testing.T) {
	daily := schedule.Spec{Time: "08:00"}
	hourly := schedule.Spec{Cron: "0 * * * *"}
	tests := []struct {
		name    string
		spec    schedule.Spec
		created string // the subscription was made then, and the bot went down
		start   string // the scheduler starts
		till    string
		want    []time.Time
		log     string
	}{
		{"within grace", daily, "2026-03-01 12:00", "2026-03-02 08:40", "2026-03-03 12:00",
			times("2026-03-02 08:00", "2026-03-03 08:00"), ""},
		{"exactly at the end of grace", daily, "2026-03-01 12:00", "2026-03-02 09:00", "2026-03-03 12:00",
			times("2026-03-02 08:00", "2026-03-03 08:00"), ""},
		{"beyond grace", daily, "2026-03-01 12:00", "2026-03-02 09:30", "2026-03-03 12:00",
			times("2026-03-03 08:00"), "older than the grace window: skipped"},
		{"down for days, the latest within grace", daily, "2026-02-26 12:00", "2026-03-02 08:30", "2026-03-03 12:00",
			times("2026-03-02 08:00", "2026-03-03 08:00"), "digest slots skipped: a later one is due"},
		{"down for days, the latest beyond grace", daily, "2026-02-26 12:00", "2026-03-02 10:00", "2026-03-03 12:00",
			times("2026-03-03 08:00"), "older than the grace window: skipped"},
		{"hourly, down five hours", hourly, "2026-03-02 02:30", "2026-03-02 08:20", "2026-03-02 10:30",
			times("2026-03-02 08:00", "2026-03-02 09:00", "2026-03-02 10:00"), "a later one is due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, utc(tt.start))
				sub := h.subscribeAt(tt.spec, "g", "news", utc(tt.created))
				h.start(digest.Options{Grace: time.Hour})
				h.runUntil(utc(tt.till))
				if diff := cmp.Diff(tt.want, h.discord.postedSlots(sub.ID)); diff != "" {
					t.Errorf("posted slots (-want +got):\n%s", diff)
				}
				if tt.log != "" {
					h.wantLog(tt.log)
				}
			})
		})
	}
}

// The section of the day rotates: each digest sees the count of those
// before it.
func TestRotation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, utc("2026-03-02 00:00"))
		h.start(digest.Options{})
		sub := h.subscribe(schedule.Spec{Time: "07:00"}, "g", "news")
		h.runUntil(utc("2026-03-06 00:00"))
		var got []string
		for _, m := range h.discord.posts() {
			got = append(got, m.d.Reply.Content)
		}
		want := []string{"tides, section 0", "tides, section 1", "tides, section 2", "tides, section 3"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("payloads (-want +got):\n%s", diff)
		}
		after := h.sub(sub.ID)
		if after.Rotation != 4 || after.LastMessageID != "m4" || !after.LastPostedAt.Equal(utc("2026-03-05 07:00")) {
			t.Errorf("after four digests: Rotation %d, LastMessageID %q, LastPostedAt %v", after.Rotation, after.LastMessageID, after.LastPostedAt)
		}
		if !after.NextRun.Equal(utc("2026-03-06 07:00")) {
			t.Errorf("NextRun = %v", after.NextRun)
		}
	})
}

// Errors that no retry can mend pause the subscription, with the reason.
func TestPermanentErrorsPause(t *testing.T) {
	tests := []struct {
		name    string
		article string
		fail    error
		reason  string
	}{
		{"Missing Permissions", "tides",
			&postError{permanent: true, reason: "Missing Permissions: the bot may not post in #news", err: errors.New("HTTP 403, code 50013")},
			"Missing Permissions: the bot may not post in #news"},
		{"Unknown Channel", "tides",
			fmt.Errorf("wrapped: %w", &postError{permanent: true, reason: "Unknown Channel: #news was deleted"}),
			"Unknown Channel: #news was deleted"},
		{"the article is gone", "gone", nil, `The article "gone" is no longer in the library.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, utc("2026-03-02 00:00"))
				h.start(digest.Options{})
				sched, _ := schedule.Parse(schedule.Spec{Time: "07:00"}, time.Now())
				sub, err := h.store.CreateSubscription(context.Background(), digest.Subscription{
					GuildID: "g", ChannelID: "news", Schedule: sched, ArticleID: tt.article, NextRun: sched.Next(time.Now()),
				}, 0)
				if err != nil {
					t.Fatal(err)
				}
				if tt.fail != nil {
					h.discord.failNext("news", tt.fail)
				}
				h.wake(h.running[0])
				h.runUntil(utc("2026-03-05 00:00"))
				got := h.sub(sub.ID)
				if got.State != digest.SubscriptionPaused || got.PauseReason != tt.reason {
					t.Errorf("State %q, PauseReason %q; want paused, %q", got.State, got.PauseReason, tt.reason)
				}
				if n := len(h.discord.posts()); n != 0 {
					t.Errorf("%d digests posted, want none", n)
				}
				if tt.fail != nil && len(h.discord.sends()) != 1 {
					t.Errorf("%d sends, want 1: a paused subscription is not tried again", len(h.discord.sends()))
				}
				h.wantLog("subscription paused")
			})
		})
	}
}

// A 429 and a 5xx are retried, with the same nonce, and the digest is
// posted once.
func TestRetryThenSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, utc("2026-03-02 00:00"))
		h.start(digest.Options{MinBackoff: 2 * time.Second})
		sub := h.subscribe(schedule.Spec{Time: "07:00"}, "g", "news")
		h.discord.failNext("news",
			&postError{retryAfter: 30 * time.Second, err: errors.New("HTTP 429")},
			errors.New("HTTP 503 Service Unavailable"))
		h.runUntil(utc("2026-03-02 12:00"))
		sends := h.discord.sends()
		if len(sends) != 3 {
			t.Fatalf("%d sends, want 3", len(sends))
		}
		for _, d := range sends {
			if d.Nonce != sends[0].Nonce {
				t.Errorf("nonces differ: %q and %q", d.Nonce, sends[0].Nonce)
			}
		}
		posted := h.discord.posts()
		if len(posted) != 1 {
			t.Fatalf("%d digests posted, want 1", len(posted))
		}
		// 30s as Discord asked, then a backoff of 4s for the second failure.
		if want := utc("2026-03-02 07:00").Add(34 * time.Second); !posted[0].At.Equal(want) {
			t.Errorf("posted at %v, want %v", posted[0].At, want)
		}
		if got := h.sub(sub.ID); got.Rotation != 1 || got.State != digest.SubscriptionActive {
			t.Errorf("after the retries: %+v", got)
		}
	})
}

// A global rate limit holds back every post, not just the one that met it.
func TestGlobalRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, utc("2026-03-02 00:00"))
		h.start(digest.Options{Workers: 1})
		a := h.subscribe(schedule.Spec{Time: "07:00"}, "g", "a")
		b := h.subscribe(schedule.Spec{Time: "07:00"}, "g", "b")
		h.discord.failNext("a", &postError{retryAfter: 10 * time.Second, global: true})
		h.runUntil(utc("2026-03-02 08:00"))
		at := map[int64]time.Time{}
		for _, m := range h.discord.posts() {
			at[m.d.SubscriptionID] = m.At
		}
		hold := utc("2026-03-02 07:00").Add(10 * time.Second)
		if at[a.ID].Before(hold) || at[b.ID].Before(hold) {
			t.Errorf("posted at %v and %v, want both after the global limit's %v", at[a.ID], at[b.ID], hold)
		}
	})
}

// While Discord is down, a slot is retried until the next one is due,
// then given up for it.
func TestRetriesEndAtTheNextSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, utc("2026-03-02 08:30"))
		h.discord.outage = func(now time.Time) error {
			if now.Before(utc("2026-03-02 10:30")) {
				return errors.New("HTTP 502 Bad Gateway")
			}
			return nil
		}
		h.start(digest.Options{})
		sub := h.subscribe(schedule.Spec{Cron: "0 * * * *"}, "g", "news")
		h.runUntil(utc("2026-03-02 11:30"))
		want := times("2026-03-02 10:00", "2026-03-02 11:00") // 09:00 gave way to 10:00, which got through at 10:30
		if diff := cmp.Diff(want, h.discord.postedSlots(sub.ID)); diff != "" {
			t.Errorf("posted slots (-want +got):\n%s", diff)
		}
		if n := len(h.discord.sends()); n < 50 {
			t.Errorf("only %d sends during a 2-hour outage", n)
		}
		h.wantLog("its next slot is due already")
	})
}

// A process that sent a digest and died before recording it: the next one
// sends it again with the same nonce, and Discord returns the first
// message. Past Discord's memory of the nonce, the slot is skipped rather
// than risk a repeat.
func TestRestartAfterCrash(t *testing.T) {
	tests := []struct {
		name      string
		restart   time.Duration // after the slot
		wantSends int
		wantRot   int64
		log       string
	}{
		{"within the nonce window", 3 * time.Minute, 2, 1, "digest posted"},
		{"beyond the nonce window", 20 * time.Minute, 1, 0, "too long ago for Discord to recognise a repeat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				slot := utc("2026-03-02 07:00")
				h := newHarness(t, utc("2026-03-02 06:00"))
				crashy := &finishFails{Slots: h.store, n: 1}
				opt := digest.Options{Lease: 2 * time.Minute, NonceWindow: 5 * time.Minute}
				a := h.startOn(crashy, opt)
				// The digest pings a role and is published: the
				// repeat asks the same, and the one message is
				// published once.
				sub := h.subscribeWith(schedule.Spec{Time: "07:00"}, "g", "news", h.now(), func(s *digest.Subscription) {
					s.MentionRoleID, s.Publish = "r1", true
				})
				h.runUntil(slot.Add(time.Minute))
				h.stop(a) // it "died" before its lease ran out
				h.wantLog("digest posted but not recorded")

				time.Sleep(time.Until(slot.Add(tt.restart)))
				b := h.startOn(crashy, opt)
				h.runUntil(slot.Add(time.Hour))
				sends := h.discord.sends()
				if len(sends) != tt.wantSends {
					t.Fatalf("%d sends, want %d", len(sends), tt.wantSends)
				}
				for _, d := range sends {
					if d.Nonce != digest.Nonce(sub.ID, slot) {
						t.Errorf("send with nonce %q, want %q", d.Nonce, digest.Nonce(sub.ID, slot))
					}
					if d.MentionRoleID != "r1" || !d.Publish {
						t.Errorf("send pings %q, publishes %v; want r1 and true", d.MentionRoleID, d.Publish)
					}
				}
				posts := h.discord.posts()
				if n := len(posts); n != 1 {
					t.Fatalf("%d messages on Discord, want 1", n)
				}
				if got := h.discord.published(); got[posts[0].ID] != 1 || len(got) != 1 {
					t.Errorf("published %v, want %s once", got, posts[0].ID)
				}
				got := h.sub(sub.ID)
				if got.Rotation != tt.wantRot || !got.NextRun.Equal(slot.Add(24*time.Hour)) {
					t.Errorf("after the restart: Rotation %d, NextRun %v", got.Rotation, got.NextRun)
				}
				if b.Owner() == a.Owner() {
					t.Errorf("two runs share the owner %q", a.Owner())
				}
				h.wantLog(tt.log)
			})
		})
	}
}

// Two schedulers on one store, each with its own connection to it, post
// every slot exactly once between them.
func TestTwoSchedulers(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		path := t.TempDir() + "/briefbot.db"
		synctest.Test(t, func(t *testing.T) {
			testTwoSchedulers(t, openSQLite(t, path), openSQLite(t, path))
		})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		schema := pgtest.NewSchema(t)
		synctest.Test(t, func(t *testing.T) {
			testTwoSchedulers(t, openQuietPostgres(t, schema), openQuietPostgres(t, schema))
		})
	})
}

// openQuietPostgres opens a store in schema whose connection pool keeps
// still. pgxpool checks its connections every minute and retires them
// after an hour: in a bubble, through two simulated days, that is
// thousands of wake-ups and reconnections, which the bubble cannot skip
// (the network does not block for good). These are pgxpool's settings, in
// the URL; a store on database/sql's pool would need none of them.
func openQuietPostgres(t *testing.T, schema string) store {
	t.Helper()
	url := pgtest.URL(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	url += sep + "pool_health_check_period=1000h&pool_max_conn_idle_time=1000h&pool_max_conn_lifetime=1000h"
	s, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testTwoSchedulers(t *testing.T, one, two store) {
	start := utc("2026-03-07 12:00")
	h := newHarnessOn(t, start, one)
	specs := []schedule.Spec{
		{Time: "08:00", TimeZone: "Europe/Madrid"},
		{Cron: "0 * * * *", TimeZone: "America/New_York"},
		{Cron: "*/30 8-18 * * *"},
		{Frequency: "weekdays", Time: "09:15", TimeZone: "Asia/Tokyo"},
		{Frequency: "weekly", Weekday: "sunday", Time: "02:30", TimeZone: "America/New_York"},
	}
	var subs []digest.Subscription
	for i := range 30 {
		// One in three pings a role and is published.
		subs = append(subs, h.subscribeWith(specs[i%len(specs)], "g", fmt.Sprintf("c%d", i), h.now(), func(s *digest.Subscription) {
			if i%3 == 0 {
				s.MentionRoleID, s.Publish = fmt.Sprintf("r%d", i), true
			}
		}))
	}
	opt := digest.Options{Workers: 4}
	h.startOn(one, opt)
	h.startOn(two, opt)
	end := utc("2026-03-09 12:00")   // across New York's clock change
	h.runUntil(end.Add(time.Minute)) // time for the posts of the last slot, paced

	total := 0
	for _, sub := range subs {
		var want []time.Time
		for slot := range sub.Schedule.Slots(start) {
			if slot.After(end) {
				break
			}
			want = append(want, slot.UTC())
		}
		total += len(want)
		if diff := cmp.Diff(want, sortedTimes(h.discord.postedSlots(sub.ID))); diff != "" {
			t.Errorf("subscription %d (%s) posted slots (-want +got):\n%s", sub.ID, sub.Schedule, diff)
		}
	}
	if n := len(h.discord.sends()); n != total {
		t.Errorf("%d sends for %d slots: the schedulers sent some twice", n, total)
	}
	published := h.discord.published()
	for _, m := range h.discord.posts() {
		want := 0
		if m.d.Publish {
			want = 1
		}
		pings := m.d.MentionRoleID != ""
		if published[m.ID] != want || pings != m.d.Publish {
			t.Errorf("message %s of subscription %d: published %d times, pings %q", m.ID, m.d.SubscriptionID, published[m.ID], m.d.MentionRoleID)
		}
	}

	by := map[string]int{}
	for _, line := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(line, "msg=\"digest posted\"") {
			for _, r := range h.running {
				if strings.Contains(line, r.Owner()) {
					by[r.Owner()]++
				}
			}
		}
	}
	t.Logf("%d slots posted, by owner: %v", total, by)
}

// A digest that cannot be published stays posted, and its slot recorded:
// the log says why it was not published.
func TestPublishFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slot := utc("2026-03-02 07:00")
		h := newHarness(t, utc("2026-03-02 06:00"))
		h.discord.publishFail = []error{&postError{permanent: true, reason: "Missing Permissions: briefbot may not publish in the channel (it needs Send Messages there)"}}
		h.start(digest.Options{})
		sub := h.subscribeWith(schedule.Spec{Time: "07:00"}, "g", "news", h.now(), func(s *digest.Subscription) { s.Publish = true })
		h.runUntil(slot.Add(time.Minute))
		if n := len(h.discord.posts()); n != 1 {
			t.Fatalf("%d messages, want 1", n)
		}
		if got := h.sub(sub.ID); got.Rotation != 1 || !got.NextRun.Equal(slot.Add(24*time.Hour)) {
			t.Errorf("the slot is not recorded: Rotation %d, NextRun %v", got.Rotation, got.NextRun)
		}
		h.wantLog(`msg="digest posted but not published"`)
		h.wantLog(`reason="Missing Permissions: briefbot may not publish in the channel (it needs Send Messages there)"`)

		// The next day's is published.
		h.runUntil(slot.Add(24*time.Hour + time.Minute))
		posts := h.discord.posts()
		if len(posts) != 2 || h.discord.published()[posts[1].ID] != 1 {
			t.Errorf("the second digest: %d messages, published %v", len(posts), h.discord.published())
		}
	})
}

// Posts are paced under the global rate: never more than Rate in one
// second of the clock, with thousands of other subscriptions due later.
func TestPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, utc("2026-03-02 06:00"))
		storetest.Populate(t, h.store.(storetest.Store), 5000, utc("2026-03-02 08:00"), 12*time.Hour, 4)
		const n = 300
		for i := range n {
			h.subscribe(schedule.Spec{Time: "07:00"}, "g", fmt.Sprintf("c%d", i))
		}
		h.start(digest.Options{Rate: 50})
		h.runUntil(utc("2026-03-02 07:01"))
		posted := h.discord.posts()
		if len(posted) != n {
			t.Fatalf("%d posted, want %d", len(posted), n)
		}
		perSecond := map[int64]int{}
		for _, m := range posted {
			perSecond[m.At.Unix()]++
		}
		for sec, c := range perSecond {
			if c > 50 {
				t.Errorf("%d posts in the second %v", c, time.Unix(sec, 0).UTC())
			}
		}
		span := posted[len(posted)-1].At.Sub(posted[0].At)
		if want := time.Duration(n-1) * 20 * time.Millisecond; span != want {
			t.Errorf("%d posts took %v, want %v at 50 a second", n, span, want)
		}
	})
}

// Wake makes the scheduler look at once, so that a new subscription is
// not left waiting for the next poll.
func TestWake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, utc("2026-03-02 06:00"))
		seen := &looks{Slots: h.store}
		r := h.startOn(seen, digest.Options{PollInterval: 24 * time.Hour})
		// With no subscriptions, it looks, then sleeps until the poll.
		h.runUntil(utc("2026-03-03 06:00"))
		if diff := cmp.Diff(times("2026-03-02 06:00", "2026-03-03 06:00"), seen.times()); diff != "" {
			t.Errorf("with no subscriptions, looks at (-want +got):\n%s", diff)
		}
		sched, _ := schedule.Parse(schedule.Spec{Time: "06:05"}, time.Now())
		sub, err := h.store.CreateSubscription(context.Background(), digest.Subscription{
			GuildID: "g", ChannelID: "c", Schedule: sched, ArticleID: "tides", NextRun: sched.Next(time.Now()),
		}, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Woken, it looks at once and sleeps until the subscription is due.
		h.wake(r)
		h.runUntil(utc("2026-03-03 06:10"))
		// (At 06:05 it looks again as each result comes in.)
		if diff := cmp.Diff(times("2026-03-02 06:00", "2026-03-03 06:00", "2026-03-03 06:00", "2026-03-03 06:05"), seen.times()[:4]); diff != "" {
			t.Errorf("after Wake, looks at (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(times("2026-03-03 06:05"), h.discord.postedSlots(sub.ID)); diff != "" {
			t.Errorf("posted slots (-want +got):\n%s", diff)
		}
	})
}

// Stopping waits for a send in flight to finish and be recorded.
func TestStopFinishesSendInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, utc("2026-03-02 06:00"))
		entered, release := make(chan struct{}), make(chan struct{})
		h.discord.afterCreate = func(digest.Delivery) error {
			close(entered)
			<-release
			return nil
		}
		r := h.start(digest.Options{})
		sub := h.subscribe(schedule.Spec{Time: "07:00"}, "g", "news")
		h.runUntil(utc("2026-03-02 07:00"))
		<-entered
		stopped := make(chan struct{})
		go func() {
			r.cancel()
			<-r.done
			close(stopped)
		}()
		synctest.Wait() // Run has done all it can without the send
		select {
		case <-stopped:
			t.Fatal("Run returned with a send in flight")
		default:
		}
		close(release)
		<-stopped
		if got := h.sub(sub.ID); got.Rotation != 1 || got.LastMessageID != "m1" {
			t.Errorf("the send in flight was not recorded: %+v", got)
		}
	})
}

func TestNonce(t *testing.T) {
	slot := utc("2026-03-02 07:00")
	tests := []struct {
		id   int64
		slot time.Time
	}{
		{1, slot}, {1, slot.Add(time.Minute)}, {2, slot}, {1 << 62, slot},
		{9223372036854775807, time.Date(2999, 12, 31, 23, 59, 0, 0, time.UTC)},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		n := digest.Nonce(tt.id, tt.slot)
		if len(n) > 25 {
			t.Errorf("Nonce(%d, %v) = %q: %d characters, Discord takes 25", tt.id, tt.slot, n, len(n))
		}
		if seen[n] {
			t.Errorf("Nonce(%d, %v) = %q repeats", tt.id, tt.slot, n)
		}
		seen[n] = true
		if again := digest.Nonce(tt.id, tt.slot.In(time.FixedZone("X", 3600))); again != n {
			t.Errorf("Nonce depends on the zone of the slot: %q and %q", n, again)
		}
	}
}
