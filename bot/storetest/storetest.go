// Package storetest is the conformance suite that every Store passes:
// SQLite, PostgreSQL and any fake alike, so that they cannot drift apart.
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) Store { return openEmptyStore(t) })
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/google/go-cmp/cmp"
)

// Epoch is the time the suite starts from: a Wednesday.
var Epoch = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// Store is everything a store of briefbot's state implements: the
// interfaces of the digest feature and of the rewriter, and Close.
type Store interface {
	digest.Subscriptions
	digest.Slots
	rewrite.Cache
	rewrite.Budget
	// Close releases the store's resources.
	Close() error
}

// Run runs the conformance suite. newStore returns a new, empty store and
// arranges for it to be closed and removed when the test ends.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"CreateAndGet", testCreateAndGet},
		{"DigestOptions", testDigestOptions},
		{"NotFound", testNotFound},
		{"Limits", testLimits},
		{"LimitIsAtomic", testLimitIsAtomic},
		{"Listing", testListing},
		{"PauseResume", testPauseResume},
		{"Delete", testDelete},
		{"DueOrder", testDueOrder},
		{"NextDue", testNextDue},
		{"ClaimRules", testClaimRules},
		{"ClaimRace", testClaimRace},
		{"LeaseTakeover", testLeaseTakeover},
		{"Release", testRelease},
		{"Finish", testFinish},
		{"Skip", testSkip},
		{"Rephrasings", testRephrasings},
		{"Tokens", testTokens},
		{"TokensAtomic", testTokensAtomic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newStore(t))
		})
	}
}

// NewSubscription returns a valid, active guild subscription for tests:
// daily at 08:30 Europe/Madrid, next run its first slot after Epoch.
func NewSubscription(t testing.TB, guildID, channelID string) digest.Subscription {
	t.Helper()
	sched, err := schedule.Parse(schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, Epoch)
	if err != nil {
		t.Fatal(err)
	}
	return digest.Subscription{
		GuildID:   guildID,
		ChannelID: channelID,
		UserID:    "u-" + channelID,
		Schedule:  sched,
		ArticleID: "solar-storms",
		State:     digest.SubscriptionActive,
		NextRun:   sched.Next(Epoch).UTC(),
		CreatedAt: Epoch,
	}
}

func create(t *testing.T, s Store, sub digest.Subscription) digest.Subscription {
	t.Helper()
	got, err := s.CreateSubscription(context.Background(), sub, 0)
	if err != nil {
		t.Fatalf("CreateSubscription: %v", err)
	}
	return got
}

// createDue creates an active subscription whose next run is at.
func createDue(t *testing.T, s Store, guild string, at time.Time) digest.Subscription {
	t.Helper()
	sub := NewSubscription(t, guild, fmt.Sprintf("c-%d", at.UnixNano()))
	sub.NextRun = at
	return create(t, s, sub)
}

func wantKind(t *testing.T, what string, err error, kind bot.ErrorKind) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %v", what, kind)
		return
	}
	var e *bot.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %v is not a *bot.Error", what, err)
		return
	}
	if e.Kind != kind {
		t.Errorf("%s: kind %v (%v), want %v", what, e.Kind, err, kind)
	}
}

func testCreateAndGet(t *testing.T, s Store) {
	ctx := context.Background()
	cron, err := schedule.Parse(schedule.Spec{Cron: "0 9 * * 1-5", TimeZone: "America/New_York"}, Epoch)
	if err != nil {
		t.Fatal(err)
	}
	madrid, _ := time.LoadLocation("Europe/Madrid")
	guild := NewSubscription(t, "g1", "c1")
	guild.Style, guild.Language = "plain", "es"
	guild.CreatedAt = time.Date(2026, 3, 4, 13, 0, 0, 123456789, madrid) // not UTC, and finer than µs
	dm := digest.Subscription{
		UserID: "u2", Schedule: cron, ArticleID: "tides", State: digest.SubscriptionActive,
		NextRun: cron.Next(Epoch), CreatedAt: Epoch,
	}
	for _, in := range []digest.Subscription{guild, dm} {
		got, err := s.CreateSubscription(ctx, in, 10)
		if err != nil {
			t.Fatalf("CreateSubscription: %v", err)
		}
		if got.ID <= 0 {
			t.Errorf("ID = %d, want > 0", got.ID)
		}
		want := in
		want.ID = got.ID
		want.NextRun = in.NextRun.UTC().Truncate(time.Microsecond)
		want.CreatedAt = in.CreatedAt.UTC().Truncate(time.Microsecond)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CreateSubscription returned (-want +got):\n%s", diff)
		}
		read, err := s.Subscription(ctx, got.ID)
		if err != nil {
			t.Fatalf("Subscription(%d): %v", got.ID, err)
		}
		if diff := cmp.Diff(want, read); diff != "" {
			t.Errorf("Subscription(%d) (-want +got):\n%s", got.ID, diff)
		}
		if read.NextRun.Location() != time.UTC || read.CreatedAt.Location() != time.UTC {
			t.Errorf("times are not in UTC: %v, %v", read.NextRun.Location(), read.CreatedAt.Location())
		}
	}
	// A state left empty means active.
	in := NewSubscription(t, "g1", "c9")
	in.State = ""
	if got := create(t, s, in); got.State != digest.SubscriptionActive {
		t.Errorf("State = %q, want active", got.State)
	}
	// A subscription needs a schedule and a next run.
	bad := NewSubscription(t, "g1", "c8")
	bad.Schedule = schedule.Schedule{}
	_, err = s.CreateSubscription(ctx, bad, 0)
	wantKind(t, "CreateSubscription without a schedule", err, bot.Invalid)
}

// The role a digest pings and whether it is published come back from
// every read: by id, by guild, as due, paused and resumed.
func testDigestOptions(t *testing.T, s Store) {
	ctx := context.Background()
	in := NewSubscription(t, "g1", "news")
	in.MentionRoleID, in.Publish = "1191168914231394305", true
	plain := create(t, s, NewSubscription(t, "g1", "general"))
	sub := create(t, s, in)
	check := func(what string, got digest.Subscription, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got.MentionRoleID != in.MentionRoleID || !got.Publish {
			t.Errorf("%s: mention %q, publish %v; want %q, true", what, got.MentionRoleID, got.Publish, in.MentionRoleID)
		}
	}
	got, err := s.Subscription(ctx, sub.ID)
	check("Subscription", got, err)
	subs, err := s.GuildSubscriptions(ctx, "g1")
	if err != nil || len(subs) != 2 {
		t.Fatalf("GuildSubscriptions: %v, %d", err, len(subs))
	}
	if subs[0].ID != plain.ID || subs[0].MentionRoleID != "" || subs[0].Publish {
		t.Errorf("a subscription without options reads %q, %v", subs[0].MentionRoleID, subs[0].Publish)
	}
	check("GuildSubscriptions", subs[1], nil)
	due, err := s.DueSubscriptions(ctx, sub.NextRun, 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("DueSubscriptions: %v, %d", err, len(due))
	}
	check("DueSubscriptions", due[1], nil)
	got, err = s.PauseSubscription(ctx, sub.ID, "")
	check("PauseSubscription", got, err)
	got, err = s.ResumeSubscription(ctx, sub.ID, Epoch)
	check("ResumeSubscription", got, err)
}

func testNotFound(t *testing.T, s Store) {
	ctx := context.Background()
	const missing = 987654
	_, err := s.Subscription(ctx, missing)
	wantKind(t, "Subscription", err, bot.NotFound)
	_, err = s.PauseSubscription(ctx, missing, "")
	wantKind(t, "PauseSubscription", err, bot.NotFound)
	_, err = s.ResumeSubscription(ctx, missing, Epoch)
	wantKind(t, "ResumeSubscription", err, bot.NotFound)
	wantKind(t, "DeleteSubscription", s.DeleteSubscription(ctx, missing), bot.NotFound)
	_, err = s.ClaimSlot(ctx, missing, Epoch, "a", Epoch, time.Minute)
	wantKind(t, "ClaimSlot", err, bot.NotFound)
	wantKind(t, "SkipSlot", s.SkipSlot(ctx, missing, Epoch, Epoch.Add(time.Hour)), bot.NotFound)
	if subs, err := s.GuildSubscriptions(ctx, "nobody"); err != nil || len(subs) != 0 {
		t.Errorf("GuildSubscriptions(nobody) = %v, %v; want none", subs, err)
	}
	if bot.UserMessage(err) == "" {
		t.Error("a NotFound error has no message for the user")
	}
}

func testLimits(t *testing.T, s Store) {
	ctx := context.Background()
	tests := []struct {
		name  string
		sub   digest.Subscription
		limit int
		want  bot.ErrorKind // -1: success
	}{
		{"g1 first", NewSubscription(t, "g1", "c1"), 2, -1},
		{"g1 second", NewSubscription(t, "g1", "c2"), 2, -1},
		{"g1 third is one too many", NewSubscription(t, "g1", "c3"), 2, bot.Conflict},
		{"g1 with a higher limit", NewSubscription(t, "g1", "c3"), 3, -1},
		{"g2 has its own count", NewSubscription(t, "g2", "c1"), 1, -1},
		{"g2 full", NewSubscription(t, "g2", "c2"), 1, bot.Conflict},
		{"no limit", NewSubscription(t, "g2", "c3"), 0, -1},
		{"dm u1 first", digest.Subscription{}, 1, -1},
		{"dm u1 second", digest.Subscription{}, 1, bot.Conflict},
	}
	for _, tt := range tests {
		sub := tt.sub
		if sub.Schedule.IsZero() { // a DM digest of u1
			sub = NewSubscription(t, "", "")
			sub.UserID = "u1"
		}
		_, err := s.CreateSubscription(ctx, sub, tt.limit)
		if tt.want < 0 {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		wantKind(t, tt.name, err, tt.want)
		if err != nil && !strings.Contains(bot.UserMessage(err), "limit") && !strings.Contains(bot.UserMessage(err), "many") {
			t.Errorf("%s: message %q does not tell of the limit", tt.name, bot.UserMessage(err))
		}
	}
	// A guild subscription made by u1 does not count against u1's DMs,
	// and DM digests do not count against any guild.
	sub := NewSubscription(t, "g3", "c1")
	sub.UserID = "u1"
	if _, err := s.CreateSubscription(ctx, sub, 1); err != nil {
		t.Errorf("guild subscription by a user with a full DM quota: %v", err)
	}
}

func testLimitIsAtomic(t *testing.T, s Store) {
	ctx := context.Background()
	const limit, tries = 5, 24
	var wg sync.WaitGroup
	errs := make(chan error, tries)
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.CreateSubscription(ctx, NewSubscription(t, "race", fmt.Sprintf("c%d", i)), limit)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case bot.KindOf(err) != bot.Conflict:
			t.Errorf("concurrent create: %v (kind %v), want success or Conflict", err, bot.KindOf(err))
		}
	}
	subs, err := s.GuildSubscriptions(ctx, "race")
	if err != nil {
		t.Fatal(err)
	}
	if ok != limit || len(subs) != limit {
		t.Errorf("%d creates succeeded and the guild has %d subscriptions, want %d", ok, len(subs), limit)
	}
}

func ids(subs []digest.Subscription) []int64 {
	out := []int64{}
	for _, s := range subs {
		out = append(out, s.ID)
	}
	return out
}

func testListing(t *testing.T, s Store) {
	ctx := context.Background()
	a := create(t, s, NewSubscription(t, "g1", "c1"))
	b := create(t, s, NewSubscription(t, "g2", "c1"))
	c := create(t, s, NewSubscription(t, "g1", "c2"))
	dm := NewSubscription(t, "", "")
	dm.UserID = "u-c1" // also the creator of a and b
	d := create(t, s, dm)
	dm.UserID = "someone else"
	create(t, s, dm)
	tests := []struct {
		name string
		list func() ([]digest.Subscription, error)
		want []int64
	}{
		{"guild g1", func() ([]digest.Subscription, error) { return s.GuildSubscriptions(ctx, "g1") }, []int64{a.ID, c.ID}},
		{"guild g2", func() ([]digest.Subscription, error) { return s.GuildSubscriptions(ctx, "g2") }, []int64{b.ID}},
		{"guild g3", func() ([]digest.Subscription, error) { return s.GuildSubscriptions(ctx, "g3") }, []int64{}},
		{"DMs of u-c1", func() ([]digest.Subscription, error) { return s.UserSubscriptions(ctx, "u-c1") }, []int64{d.ID}},
		{"DMs of nobody", func() ([]digest.Subscription, error) { return s.UserSubscriptions(ctx, "nobody") }, []int64{}},
	}
	for _, tt := range tests {
		got, err := tt.list()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	got, _ := s.GuildSubscriptions(ctx, "g1")
	if diff := cmp.Diff(a, got[0]); diff != "" {
		t.Errorf("listed subscription differs from the created one (-want +got):\n%s", diff)
	}
}

func testPauseResume(t *testing.T, s Store) {
	ctx := context.Background()
	sub := create(t, s, NewSubscription(t, "g1", "c1"))
	paused, err := s.PauseSubscription(ctx, sub.ID, "Missing Access: the bot can no longer see this channel")
	if err != nil {
		t.Fatal(err)
	}
	want := sub
	want.State, want.PauseReason = digest.SubscriptionPaused, "Missing Access: the bot can no longer see this channel"
	if diff := cmp.Diff(want, paused); diff != "" {
		t.Errorf("PauseSubscription (-want +got):\n%s", diff)
	}
	if due, _ := s.DueSubscriptions(ctx, sub.NextRun.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("a paused subscription is due: %v", ids(due))
	}
	if next, _ := s.NextDue(ctx, Epoch); !next.IsZero() {
		t.Errorf("NextDue with only a paused subscription = %v, want zero", next)
	}
	_, err = s.ClaimSlot(ctx, sub.ID, sub.NextRun, "a", sub.NextRun, time.Minute)
	wantKind(t, "ClaimSlot of a paused subscription", err, bot.Conflict)

	// Resumed days later, it posts from the next slot on, not the missed ones.
	now := Epoch.Add(72*time.Hour + 5*time.Minute)
	resumed, err := s.ResumeSubscription(ctx, sub.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	want = sub
	want.NextRun = sub.Schedule.Next(now).UTC()
	if diff := cmp.Diff(want, resumed); diff != "" {
		t.Errorf("ResumeSubscription (-want +got):\n%s", diff)
	}
	if read, _ := s.Subscription(ctx, sub.ID); !cmp.Equal(want, read) {
		t.Errorf("after resume, Subscription = %+v, want %+v", read, want)
	}
	// A person's pause has no reason.
	paused, err = s.PauseSubscription(ctx, sub.ID, "")
	if err != nil || paused.State != digest.SubscriptionPaused || paused.PauseReason != "" {
		t.Errorf("PauseSubscription without reason = %+v, %v", paused, err)
	}
}

func testDelete(t *testing.T, s Store) {
	ctx := context.Background()
	sub := createDue(t, s, "g1", Epoch)
	if _, err := s.ClaimSlot(ctx, sub.ID, sub.NextRun, "a", Epoch, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSubscription(ctx, sub.ID); err != nil {
		t.Fatalf("DeleteSubscription: %v", err)
	}
	_, err := s.Subscription(ctx, sub.ID)
	wantKind(t, "Subscription after delete", err, bot.NotFound)
	wantKind(t, "second DeleteSubscription", s.DeleteSubscription(ctx, sub.ID), bot.NotFound)
	if next, _ := s.NextDue(ctx, Epoch); !next.IsZero() {
		t.Errorf("NextDue after delete = %v, want zero (the claim went with it)", next)
	}
	// IDs are not reused.
	again := create(t, s, NewSubscription(t, "g1", "c1"))
	if again.ID == sub.ID {
		t.Errorf("a new subscription got the deleted one's ID %d", sub.ID)
	}
}

func testDueOrder(t *testing.T, s Store) {
	ctx := context.Background()
	at := func(m int) time.Time { return Epoch.Add(time.Duration(m) * time.Minute) }
	s3 := createDue(t, s, "g", at(3))
	s1 := createDue(t, s, "g", at(1))
	s2a := createDue(t, s, "g", at(2))
	s2b := createDue(t, s, "g", at(2))
	createDue(t, s, "g", at(10)) // not due yet
	p := createDue(t, s, "g", at(0))
	if _, err := s.PauseSubscription(ctx, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		now   time.Time
		limit int
		want  []int64
	}{
		{at(5), 10, []int64{s1.ID, s2a.ID, s2b.ID, s3.ID}},
		{at(5), 2, []int64{s1.ID, s2a.ID}},
		{at(2), 10, []int64{s1.ID, s2a.ID, s2b.ID}}, // NextRun == now is due
		{at(0), 10, []int64{}},
	}
	for _, tt := range tests {
		got, err := s.DueSubscriptions(ctx, tt.now, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
			t.Errorf("DueSubscriptions(%v, %d) (-want +got):\n%s", tt.now, tt.limit, diff)
		}
	}
	// A live claim hides a subscription from other processes; a lapsed one
	// does not.
	if _, err := s.ClaimSlot(ctx, s1.ID, s1.NextRun, "a", at(5), time.Minute); err != nil {
		t.Fatal(err)
	}
	got, _ := s.DueSubscriptions(ctx, at(5), 10)
	if diff := cmp.Diff([]int64{s2a.ID, s2b.ID, s3.ID}, ids(got)); diff != "" {
		t.Errorf("due with s1 claimed (-want +got):\n%s", diff)
	}
	got, _ = s.DueSubscriptions(ctx, at(6), 10)
	if diff := cmp.Diff([]int64{s1.ID, s2a.ID, s2b.ID, s3.ID}, ids(got)); diff != "" {
		t.Errorf("due after s1's lease lapsed (-want +got):\n%s", diff)
	}
}

func testNextDue(t *testing.T, s Store) {
	ctx := context.Background()
	at := func(m int) time.Time { return Epoch.Add(time.Duration(m) * time.Minute) }
	next, err := s.NextDue(ctx, at(0))
	if err != nil || !next.IsZero() {
		t.Errorf("NextDue of an empty store = %v, %v; want zero", next, err)
	}
	a := createDue(t, s, "g", at(10))
	createDue(t, s, "g", at(30))
	check := func(now time.Time, want time.Time) {
		t.Helper()
		got, err := s.NextDue(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Errorf("NextDue(%v) = %v, want %v", now, got, want)
		}
		if !got.IsZero() && got.Location() != time.UTC {
			t.Errorf("NextDue is in %v, want UTC", got.Location())
		}
	}
	check(at(0), at(10))
	check(at(20), at(10)) // overdue counts
	// While a is claimed, its lease expiry is when to look again.
	c, err := s.ClaimSlot(ctx, a.ID, a.NextRun, "a", at(10), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	check(at(11), at(15))
	if c, err = s.MarkAttempt(ctx, c, at(12), 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	check(at(13), at(30)) // the other subscription comes first
	if err := s.FinishSlot(ctx, c, "m1", at(10).Add(24*time.Hour), at(13)); err != nil {
		t.Fatal(err)
	}
	check(at(13), at(30))
}

func testClaimRules(t *testing.T, s Store) {
	ctx := context.Background()
	sub := createDue(t, s, "g", Epoch)
	slot := sub.NextRun
	now := Epoch.Add(time.Second)
	_, err := s.ClaimSlot(ctx, sub.ID, slot.Add(-24*time.Hour), "a", now, time.Minute)
	wantKind(t, "claim of a slot that is not the next run", err, bot.Conflict)

	c, err := s.ClaimSlot(ctx, sub.ID, slot, "a", now, time.Minute)
	if err != nil {
		t.Fatalf("ClaimSlot: %v", err)
	}
	want := digest.Claim{SubscriptionID: sub.ID, Slot: slot, Owner: "a", LeaseUntil: now.Add(time.Minute)}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("ClaimSlot (-want +got):\n%s", diff)
	}
	for _, owner := range []string{"a", "b"} {
		_, err = s.ClaimSlot(ctx, sub.ID, slot, owner, now.Add(30*time.Second), time.Minute)
		wantKind(t, "claim of a live claim by "+owner, err, bot.Conflict)
	}
	c, err = s.MarkAttempt(ctx, c, now.Add(10*time.Second), 2*time.Minute)
	if err != nil {
		t.Fatalf("MarkAttempt: %v", err)
	}
	want.SentAt, want.Attempts, want.LeaseUntil = now.Add(10*time.Second), 1, now.Add(130*time.Second)
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("MarkAttempt (-want +got):\n%s", diff)
	}
	if err := s.FinishSlot(ctx, c, "m1", slot.Add(24*time.Hour), now.Add(11*time.Second)); err != nil {
		t.Fatalf("FinishSlot: %v", err)
	}
	// A pause between the claim and a send stops the send.
	other := createDue(t, s, "g", Epoch)
	oc, err := s.ClaimSlot(ctx, other.ID, other.NextRun, "a", now, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PauseSubscription(ctx, other.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = s.MarkAttempt(ctx, oc, now, time.Minute)
	wantKind(t, "MarkAttempt after a pause", err, bot.Conflict)
	// Finished is final, even once the lease has long lapsed.
	_, err = s.ClaimSlot(ctx, sub.ID, slot, "b", now.Add(time.Hour), time.Minute)
	wantKind(t, "claim of a finished slot", err, bot.Conflict)
	_, err = s.MarkAttempt(ctx, c, now.Add(12*time.Second), time.Minute)
	wantKind(t, "MarkAttempt of a finished claim", err, bot.Conflict)
}

func testClaimRace(t *testing.T, s Store) {
	ctx := context.Background()
	sub := createDue(t, s, "g", Epoch)
	const racers = 16
	var wg sync.WaitGroup
	winners := make(chan string, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("p%d", i)
			c, err := s.ClaimSlot(ctx, sub.ID, sub.NextRun, owner, Epoch, time.Minute)
			switch {
			case err == nil:
				if c.Owner != owner {
					t.Errorf("claim of %s returned owner %s", owner, c.Owner)
				}
				winners <- owner
			case bot.KindOf(err) != bot.Conflict:
				t.Errorf("ClaimSlot by %s: %v (kind %v), want Conflict", owner, err, bot.KindOf(err))
			}
		}()
	}
	wg.Wait()
	close(winners)
	var won []string
	for w := range winners {
		won = append(won, w)
	}
	if len(won) != 1 {
		t.Errorf("%d racers won the claim (%v), want exactly 1", len(won), won)
	}
}

func testLeaseTakeover(t *testing.T, s Store) {
	ctx := context.Background()
	sub := createDue(t, s, "g", Epoch)
	a, err := s.ClaimSlot(ctx, sub.ID, sub.NextRun, "a", Epoch, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if a, err = s.MarkAttempt(ctx, a, Epoch.Add(time.Second), time.Minute); err != nil {
		t.Fatal(err)
	}
	// a died after it began to send. At the end of its lease, b takes over
	// and learns that a send was begun.
	lapse := a.LeaseUntil
	b, err := s.ClaimSlot(ctx, sub.ID, sub.NextRun, "b", lapse, time.Minute)
	if err != nil {
		t.Fatalf("takeover at the end of the lease: %v", err)
	}
	want := digest.Claim{SubscriptionID: sub.ID, Slot: sub.NextRun, Owner: "b", LeaseUntil: lapse.Add(time.Minute),
		SentAt: Epoch.Add(time.Second), Attempts: 1}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("takeover claim (-want +got):\n%s", diff)
	}
	// a, back from the dead, has lost the claim.
	_, err = s.MarkAttempt(ctx, a, lapse.Add(time.Second), time.Minute)
	wantKind(t, "MarkAttempt by the former owner", err, bot.Conflict)
	wantKind(t, "FinishSlot by the former owner", s.FinishSlot(ctx, a, "m-a", sub.NextRun.Add(24*time.Hour), lapse), bot.Conflict)
	wantKind(t, "ReleaseClaim by the former owner", s.ReleaseClaim(ctx, a, lapse), bot.Conflict)
	if b, err = s.MarkAttempt(ctx, b, lapse.Add(time.Second), time.Minute); err != nil {
		t.Fatal(err)
	}
	if b.Attempts != 2 {
		t.Errorf("Attempts after two sends = %d, want 2", b.Attempts)
	}
	if err := s.FinishSlot(ctx, b, "m-b", sub.NextRun.Add(24*time.Hour), lapse.Add(2*time.Second)); err != nil {
		t.Errorf("FinishSlot by the new owner: %v", err)
	}
}

func testRelease(t *testing.T, s Store) {
	ctx := context.Background()
	sub := createDue(t, s, "g", Epoch)
	a, err := s.ClaimSlot(ctx, sub.ID, sub.NextRun, "a", Epoch, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if a, err = s.MarkAttempt(ctx, a, Epoch, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseClaim(ctx, a, Epoch.Add(time.Second)); err != nil {
		t.Fatalf("ReleaseClaim: %v", err)
	}
	if due, _ := s.DueSubscriptions(ctx, Epoch.Add(time.Second), 10); len(due) != 1 {
		t.Errorf("a released slot is not due")
	}
	b, err := s.ClaimSlot(ctx, sub.ID, sub.NextRun, "b", Epoch.Add(time.Second), time.Minute)
	if err != nil {
		t.Fatalf("claim after release: %v", err)
	}
	if !b.SentAt.Equal(Epoch) || b.Attempts != 1 {
		t.Errorf("claim after release forgot the send: %+v", b)
	}
}

func testFinish(t *testing.T, s Store) {
	ctx := context.Background()
	sub := createDue(t, s, "g", Epoch)
	slot := sub.NextRun
	for i := range 3 {
		now := slot.Add(time.Second)
		c, err := s.ClaimSlot(ctx, sub.ID, slot, "a", now, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if c, err = s.MarkAttempt(ctx, c, now, time.Minute); err != nil {
			t.Fatal(err)
		}
		next := sub.Schedule.Next(slot).UTC()
		msg := fmt.Sprintf("m%d", i)
		if err := s.FinishSlot(ctx, c, msg, next, now.Add(time.Second)); err != nil {
			t.Fatalf("FinishSlot: %v", err)
		}
		wantKind(t, "second FinishSlot", s.FinishSlot(ctx, c, msg, next, now), bot.Conflict)
		got, err := s.Subscription(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := sub
		want.NextRun, want.Rotation = next, int64(i+1)
		want.LastPostedAt, want.LastMessageID = now.Add(time.Second), msg
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after FinishSlot %d (-want +got):\n%s", i, diff)
		}
		slot = next
	}
}

func testSkip(t *testing.T, s Store) {
	ctx := context.Background()
	sub := createDue(t, s, "g", Epoch)
	next := Epoch.Add(24 * time.Hour)
	if err := s.SkipSlot(ctx, sub.ID, sub.NextRun, next); err != nil {
		t.Fatalf("SkipSlot: %v", err)
	}
	wantKind(t, "SkipSlot of a slot no longer next", s.SkipSlot(ctx, sub.ID, sub.NextRun, next), bot.Conflict)
	got, err := s.Subscription(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := sub
	want.NextRun = next
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after SkipSlot (-want +got):\n%s", diff)
	}
	// A slot claimed, then skipped, is gone from the due list.
	c, err := s.ClaimSlot(ctx, sub.ID, next, "a", next, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SkipSlot(ctx, sub.ID, next, next.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueSubscriptions(ctx, next.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("skipped slot still due")
	}
	wantKind(t, "FinishSlot of a skipped slot's claim", s.FinishSlot(ctx, c, "m", next.Add(24*time.Hour), next), bot.Conflict)
}

func testRephrasings(t *testing.T, s Store) {
	ctx := context.Background()
	if _, ok, err := s.Rephrasing(ctx, "missing"); err != nil || ok {
		t.Errorf("Rephrasing(missing) = ok %v, %v; want not ok", ok, err)
	}
	big := []byte(strings.Repeat("Ünïcödé and bytes \x00\xff ", 4000))
	tests := []struct {
		key   string
		value []byte
	}{
		{"v3|tides|2|plain|en|model|p1", []byte("The tide comes in twice a day.")},
		{"empty", []byte{}},
		{"big", big},
		{strings.Repeat("k", 500), []byte("long key")},
	}
	for _, tt := range tests {
		if err := s.PutRephrasing(ctx, tt.key, tt.value); err != nil {
			t.Fatalf("PutRephrasing(%.20q): %v", tt.key, err)
		}
	}
	for _, tt := range tests {
		got, ok, err := s.Rephrasing(ctx, tt.key)
		if err != nil || !ok {
			t.Fatalf("Rephrasing(%.20q) = ok %v, %v", tt.key, ok, err)
		}
		if string(got) != string(tt.value) {
			t.Errorf("Rephrasing(%.20q) = %.40q, want %.40q", tt.key, got, tt.value)
		}
	}
	if err := s.PutRephrasing(ctx, tests[0].key, []byte("replaced")); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Rephrasing(ctx, tests[0].key); string(got) != "replaced" {
		t.Errorf("after a second put, Rephrasing = %q, want replaced", got)
	}
}

func testTokens(t *testing.T, s Store) {
	ctx := context.Background()
	day := time.Date(2026, 3, 4, 23, 30, 0, 0, time.UTC)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	steps := []struct {
		guild string
		at    time.Time
		add   int64
		want  int64
	}{
		{"g1", day, 100, 100},
		{"g1", day.Add(20 * time.Minute), 50, 150},
		{"g1", day.Add(40 * time.Minute), 7, 7}, // the next UTC day
		{"g2", day, 1, 1},
		{"g1", day.In(tokyo), 0, 150}, // the same instant, read in another zone
	}
	for _, st := range steps {
		got, err := s.AddTokens(ctx, st.guild, st.at, st.add)
		if err != nil {
			t.Fatal(err)
		}
		if got != st.want {
			t.Errorf("AddTokens(%s, %v, %d) = %d, want %d", st.guild, st.at, st.add, got, st.want)
		}
	}
	for _, c := range []struct {
		guild string
		at    time.Time
		want  int64
	}{{"g1", day, 150}, {"g1", day.Add(time.Hour), 7}, {"g2", day, 1}, {"g3", day, 0}} {
		if got, err := s.Tokens(ctx, c.guild, c.at); err != nil || got != c.want {
			t.Errorf("Tokens(%s, %v) = %d, %v; want %d", c.guild, c.at, got, err, c.want)
		}
	}
}

func testTokensAtomic(t *testing.T, s Store) {
	ctx := context.Background()
	const workers, adds = 8, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	var totals []int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range adds {
				n, err := s.AddTokens(ctx, "g", Epoch, 3)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				totals = append(totals, n)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if got, _ := s.Tokens(ctx, "g", Epoch); got != workers*adds*3 {
		t.Errorf("Tokens = %d, want %d", got, workers*adds*3)
	}
	// Every add saw a distinct total: none was lost or double counted.
	sort.Slice(totals, func(i, j int) bool { return totals[i] < totals[j] })
	for i, n := range totals {
		if n != int64(i+1)*3 {
			t.Fatalf("totals returned by AddTokens are not 3, 6, 9, …: %v", totals)
		}
	}
}
