package main

import (
	"context"
	"time"

	botask "github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/metrics"
	"github.com/briefbot/briefbot/bot/report"
	"github.com/briefbot/briefbot/bot/rewrite"
)

// timedStore times every operation of the store it wraps for the metrics
// (briefbot_store_query_seconds, by operation). It holds the store in a
// field rather than embedding it, so that a method added to the store
// interface does not compile until it is timed here too.
type timedStore struct {
	st store
	m  *metrics.Metrics
}

var _ store = timedStore{}

func (s timedStore) done(op string, start time.Time, err error) {
	s.m.StoreQuery(op, time.Since(start), err)
}

// Ping passes a readiness probe on, if the store has one.
func (s timedStore) Ping(ctx context.Context) (err error) {
	defer func(t time.Time) { s.done("Ping", t, err) }(time.Now())
	if p, ok := s.st.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (s timedStore) CreateSubscription(ctx context.Context, sub digest.Subscription, limit int) (_ digest.Subscription, err error) {
	defer func(t time.Time) { s.done("CreateSubscription", t, err) }(time.Now())
	return s.st.CreateSubscription(ctx, sub, limit)
}

func (s timedStore) Subscription(ctx context.Context, id int64) (_ digest.Subscription, err error) {
	defer func(t time.Time) { s.done("Subscription", t, err) }(time.Now())
	return s.st.Subscription(ctx, id)
}

func (s timedStore) GuildSubscriptions(ctx context.Context, guildID string) (_ []digest.Subscription, err error) {
	defer func(t time.Time) { s.done("GuildSubscriptions", t, err) }(time.Now())
	return s.st.GuildSubscriptions(ctx, guildID)
}

func (s timedStore) UserSubscriptions(ctx context.Context, userID string) (_ []digest.Subscription, err error) {
	defer func(t time.Time) { s.done("UserSubscriptions", t, err) }(time.Now())
	return s.st.UserSubscriptions(ctx, userID)
}

func (s timedStore) PauseSubscription(ctx context.Context, id int64, reason string) (_ digest.Subscription, err error) {
	defer func(t time.Time) { s.done("PauseSubscription", t, err) }(time.Now())
	return s.st.PauseSubscription(ctx, id, reason)
}

func (s timedStore) ResumeSubscription(ctx context.Context, id int64, now time.Time) (_ digest.Subscription, err error) {
	defer func(t time.Time) { s.done("ResumeSubscription", t, err) }(time.Now())
	return s.st.ResumeSubscription(ctx, id, now)
}

func (s timedStore) DeleteSubscription(ctx context.Context, id int64) (err error) {
	defer func(t time.Time) { s.done("DeleteSubscription", t, err) }(time.Now())
	return s.st.DeleteSubscription(ctx, id)
}

func (s timedStore) DueSubscriptions(ctx context.Context, now time.Time, limit int) (_ []digest.Subscription, err error) {
	defer func(t time.Time) { s.done("DueSubscriptions", t, err) }(time.Now())
	return s.st.DueSubscriptions(ctx, now, limit)
}

func (s timedStore) NextDue(ctx context.Context, now time.Time) (_ time.Time, err error) {
	defer func(t time.Time) { s.done("NextDue", t, err) }(time.Now())
	return s.st.NextDue(ctx, now)
}

func (s timedStore) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, now time.Time, lease time.Duration) (_ digest.Claim, err error) {
	defer func(t time.Time) { s.done("ClaimSlot", t, err) }(time.Now())
	return s.st.ClaimSlot(ctx, subID, slot, owner, now, lease)
}

func (s timedStore) MarkAttempt(ctx context.Context, c digest.Claim, now time.Time, lease time.Duration) (_ digest.Claim, err error) {
	defer func(t time.Time) { s.done("MarkAttempt", t, err) }(time.Now())
	return s.st.MarkAttempt(ctx, c, now, lease)
}

func (s timedStore) ReleaseClaim(ctx context.Context, c digest.Claim, now time.Time) (err error) {
	defer func(t time.Time) { s.done("ReleaseClaim", t, err) }(time.Now())
	return s.st.ReleaseClaim(ctx, c, now)
}

func (s timedStore) FinishSlot(ctx context.Context, c digest.Claim, messageID string, next, now time.Time) (err error) {
	defer func(t time.Time) { s.done("FinishSlot", t, err) }(time.Now())
	return s.st.FinishSlot(ctx, c, messageID, next, now)
}

func (s timedStore) SkipSlot(ctx context.Context, subID int64, slot, next time.Time) (err error) {
	defer func(t time.Time) { s.done("SkipSlot", t, err) }(time.Now())
	return s.st.SkipSlot(ctx, subID, slot, next)
}

func (s timedStore) Rephrasing(ctx context.Context, key string) (_ []byte, _ bool, err error) {
	defer func(t time.Time) { s.done("Rephrasing", t, err) }(time.Now())
	return s.st.Rephrasing(ctx, key)
}

func (s timedStore) PutRephrasing(ctx context.Context, key string, value []byte) (err error) {
	defer func(t time.Time) { s.done("PutRephrasing", t, err) }(time.Now())
	return s.st.PutRephrasing(ctx, key, value)
}

func (s timedStore) AddTokens(ctx context.Context, owner string, day time.Time, n int64) (_ int64, err error) {
	defer func(t time.Time) { s.done("AddTokens", t, err) }(time.Now())
	return s.st.AddTokens(ctx, owner, day, n)
}

func (s timedStore) Tokens(ctx context.Context, owner string, day time.Time) (_ int64, err error) {
	defer func(t time.Time) { s.done("Tokens", t, err) }(time.Now())
	return s.st.Tokens(ctx, owner, day)
}

func (s timedStore) RecordQuestion(ctx context.Context, q botask.Question) (err error) {
	defer func(t time.Time) { s.done("RecordQuestion", t, err) }(time.Now())
	return s.st.RecordQuestion(ctx, q)
}

func (s timedStore) PruneQuestions(ctx context.Context, before time.Time) (_ int64, err error) {
	defer func(t time.Time) { s.done("PruneQuestions", t, err) }(time.Now())
	return s.st.PruneQuestions(ctx, before)
}

func (s timedStore) UnansweredQuestions(ctx context.Context, since time.Time, limit int) (_ []botask.QuestionGroup, err error) {
	defer func(t time.Time) { s.done("UnansweredQuestions", t, err) }(time.Now())
	return s.st.UnansweredQuestions(ctx, since, limit)
}

func (s timedStore) RecordRejection(ctx context.Context, r rewrite.Rejection) (err error) {
	defer func(t time.Time) { s.done("RecordRejection", t, err) }(time.Now())
	return s.st.RecordRejection(ctx, r)
}

func (s timedStore) RejectionTallies(ctx context.Context, since time.Time) (_ int, _ []rewrite.CheckTally, err error) {
	defer func(t time.Time) { s.done("RejectionTallies", t, err) }(time.Now())
	return s.st.RejectionTallies(ctx, since)
}

func (s timedStore) AddReport(ctx context.Context, r report.Report, note string, at time.Time, dropAt int) (_ report.Report, err error) {
	defer func(t time.Time) { s.done("AddReport", t, err) }(time.Now())
	return s.st.AddReport(ctx, r, note, at, dropAt)
}

func (s timedStore) Reports(ctx context.Context) (_ []report.Report, err error) {
	defer func(t time.Time) { s.done("Reports", t, err) }(time.Now())
	return s.st.Reports(ctx)
}

func (s timedStore) PurgeReport(ctx context.Context, id int64, at time.Time) (_ report.Report, err error) {
	defer func(t time.Time) { s.done("PurgeReport", t, err) }(time.Now())
	return s.st.PurgeReport(ctx, id, at)
}

// Close closes the store; it is not timed.
func (s timedStore) Close() error { return s.st.Close() }
