package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
)

// liveClaim is true for a subscription whose next slot someone holds, or
// has posted, at the time $1.
func (s *Store) liveClaim() string {
	return `EXISTS (SELECT 1 FROM slot_claims c WHERE c.subscription_id = s.id AND c.slot = s.next_run
	AND (c.` + s.done + ` OR c.lease_until > $1))`
}

// DueSubscriptions implements digest.Slots.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]digest.Subscription, error) {
	return s.querySubs(ctx, "due subscriptions", `SELECT `+prefixed("s.", subColumns)+` FROM subscriptions s
		WHERE s.state = 'active' AND s.next_run <= $1 AND NOT `+s.liveClaim()+`
		ORDER BY s.next_run, s.id LIMIT $2`, s.arg(now), limit)
}

// NextDue implements digest.Slots.
func (s *Store) NextDue(ctx context.Context, now time.Time) (time.Time, error) {
	var next, lease time.Time // zero for NULL
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT s.next_run FROM subscriptions s WHERE s.state = 'active' AND NOT `+s.liveClaim()+`
			ORDER BY s.next_run, s.id LIMIT 1),
		(SELECT min(lease_until) FROM slot_claims WHERE `+s.notDone+` AND lease_until > $1)`, s.arg(now)).Scan(s.into(&next), s.into(&lease))
	if err != nil {
		return time.Time{}, s.internal("next due", err)
	}
	if lease.IsZero() || !next.IsZero() && !next.After(lease) {
		return next, nil
	}
	return lease, nil
}

// ClaimSlot implements digest.Slots.
func (s *Store) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, now time.Time, lease time.Duration) (digest.Claim, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return digest.Claim{}, s.internal("claim slot", err)
	}
	defer tx.Rollback()
	// Locking the subscription's row makes claimers of it take turns.
	var state string
	var nextRun time.Time
	err = tx.QueryRowContext(ctx, `SELECT state, next_run FROM subscriptions WHERE id = $1`+s.d.ForUpdate(), subID).Scan(&state, s.into(&nextRun))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Claim{}, digest.ErrSubscriptionNotFound(subID)
	}
	if err != nil {
		return digest.Claim{}, s.internal("claim slot", err)
	}
	if state != string(digest.SubscriptionActive) {
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Digest subscription %d is paused.", subID)
	}
	if !nextRun.Equal(utc(slot)) {
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is not its next run.", slot.UTC(), subID)
	}
	c := digest.Claim{SubscriptionID: subID, Slot: nextRun, Owner: owner, LeaseUntil: utc(now.Add(lease))}
	var (
		prevOwner         string
		prevLease, sentAt time.Time
		done              bool
	)
	err = tx.QueryRowContext(ctx, `SELECT owner, lease_until, sent_at, attempts, done FROM slot_claims
		WHERE subscription_id = $1 AND slot = $2`, subID, s.arg(nextRun)).Scan(&prevOwner, s.into(&prevLease), s.into(&sentAt), &c.Attempts, &done)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO slot_claims (subscription_id, slot, owner, lease_until) VALUES ($1, $2, $3, $4)`,
			subID, s.arg(nextRun), owner, s.arg(c.LeaseUntil))
	case err != nil:
	case done:
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d was already posted.", c.Slot, subID)
	case prevLease.After(utc(now)):
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is claimed by %s until %v.",
			c.Slot, subID, prevOwner, prevLease)
	default: // the owner died: take over, keeping what it recorded of sends
		c.SentAt = sentAt
		_, err = tx.ExecContext(ctx, `UPDATE slot_claims SET owner = $1, lease_until = $2 WHERE subscription_id = $3 AND slot = $4`,
			owner, s.arg(c.LeaseUntil), subID, s.arg(nextRun))
	}
	if err != nil {
		return digest.Claim{}, s.internal("claim slot", err)
	}
	if err := tx.Commit(); err != nil {
		return digest.Claim{}, s.internal("claim slot", err)
	}
	return c, nil
}

func lostClaim(c digest.Claim) error {
	return bot.Errorf(bot.Conflict, "%s no longer holds slot %v of digest subscription %d.", c.Owner, c.Slot.UTC(), c.SubscriptionID)
}

// MarkAttempt implements digest.Slots.
func (s *Store) MarkAttempt(ctx context.Context, c digest.Claim, now time.Time, lease time.Duration) (digest.Claim, error) {
	err := s.db.QueryRowContext(ctx, `UPDATE slot_claims SET sent_at = $1, attempts = attempts + 1, lease_until = $2
		WHERE subscription_id = $3 AND slot = $4 AND owner = $5 AND `+s.notDone+`
		AND EXISTS (SELECT 1 FROM subscriptions WHERE id = $3 AND state = 'active' AND next_run = $4)
		RETURNING sent_at, attempts, lease_until`,
		s.arg(now), s.arg(now.Add(lease)), c.SubscriptionID, s.arg(c.Slot), c.Owner).Scan(s.into(&c.SentAt), &c.Attempts, s.into(&c.LeaseUntil))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Claim{}, lostClaim(c)
	}
	if err != nil {
		return digest.Claim{}, s.internal("mark attempt", err)
	}
	return c, nil
}

// ReleaseClaim implements digest.Slots.
func (s *Store) ReleaseClaim(ctx context.Context, c digest.Claim, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE slot_claims SET lease_until = $1
		WHERE subscription_id = $2 AND slot = $3 AND owner = $4 AND `+s.notDone, s.arg(now), c.SubscriptionID, s.arg(c.Slot), c.Owner)
	if err != nil {
		return s.internal("release claim", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lostClaim(c)
	}
	return nil
}

// FinishSlot implements digest.Slots.
func (s *Store) FinishSlot(ctx context.Context, c digest.Claim, messageID string, next, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.internal("finish slot", err)
	}
	defer tx.Rollback()
	slot := s.arg(c.Slot)
	res, err := tx.ExecContext(ctx, `UPDATE slot_claims SET `+s.done+`, message_id = $1, finished_at = $2
		WHERE subscription_id = $3 AND slot = $4 AND owner = $5 AND `+s.notDone, messageID, s.arg(now), c.SubscriptionID, slot, c.Owner)
	if err != nil {
		return s.internal("finish slot", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lostClaim(c)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET
		next_run = CASE WHEN next_run = $1 THEN $2 ELSE next_run END,
		rotation = rotation + 1, last_posted_at = $3, last_message_id = $4 WHERE id = $5`,
		slot, s.arg(next), s.arg(now), messageID, c.SubscriptionID); err != nil {
		return s.internal("finish slot", err)
	}
	// Keep the finished claim as a record; older ones are of no more use.
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_claims WHERE subscription_id = $1 AND slot < $2`, c.SubscriptionID, slot); err != nil {
		return s.internal("finish slot", err)
	}
	if err := tx.Commit(); err != nil {
		return s.internal("finish slot", err)
	}
	return nil
}

// SkipSlot implements digest.Slots.
func (s *Store) SkipSlot(ctx context.Context, subID int64, slot, next time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.internal("skip slot", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET next_run = $1 WHERE id = $2 AND next_run = $3`,
		s.arg(next), subID, s.arg(slot))
	if err != nil {
		return s.internal("skip slot", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM subscriptions WHERE id = $1)`, subID).Scan(&exists); err != nil {
			return s.internal("skip slot", err)
		}
		if !exists {
			return digest.ErrSubscriptionNotFound(subID)
		}
		return bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is not its next run.", slot.UTC(), subID)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_claims WHERE subscription_id = $1 AND slot < $2`, subID, s.arg(next)); err != nil {
		return s.internal("skip slot", err)
	}
	if err := tx.Commit(); err != nil {
		return s.internal("skip slot", err)
	}
	return nil
}
