package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/schedule"
)

const subColumns = `id, guild_id, channel_id, user_id, frequency, at_time, weekday, time_zone, cron,
	article_id, style, language, state, pause_reason, next_run, created_at, rotation,
	last_posted_at, last_message_id, mention_role, publish`

func prefixed(prefix, columns string) string {
	fields := strings.Split(columns, ",")
	for i, f := range fields {
		fields[i] = prefix + strings.TrimSpace(f)
	}
	return strings.Join(fields, ", ")
}

type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanSub(row scanner) (digest.Subscription, error) {
	var (
		sub         digest.Subscription
		spec        schedule.Spec
		freq, state string
	)
	err := row.Scan(&sub.ID, &sub.GuildID, &sub.ChannelID, &sub.UserID, &freq, &spec.Time, &spec.Weekday,
		&spec.TimeZone, &spec.Cron, &sub.ArticleID, &sub.Style, &sub.Language, &state, &sub.PauseReason,
		s.into(&sub.NextRun), s.into(&sub.CreatedAt), &sub.Rotation, s.into(&sub.LastPostedAt), &sub.LastMessageID,
		&sub.MentionRoleID, &sub.Publish)
	if err != nil {
		return sub, err
	}
	spec.Frequency = schedule.Frequency(freq)
	if sub.Schedule, err = s.schedules.Parse(spec); err != nil {
		return sub, fmt.Errorf("subscription %d has a schedule that no longer parses: %w", sub.ID, err)
	}
	sub.State = digest.SubscriptionState(state)
	return sub, nil
}

func (s *Store) querySubs(ctx context.Context, op, query string, args ...any) ([]digest.Subscription, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.internal(op, err)
	}
	defer rows.Close()
	subs := []digest.Subscription{}
	for rows.Next() {
		sub, err := s.scanSub(rows)
		if err != nil {
			return nil, s.internal(op, err)
		}
		subs = append(subs, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, s.internal(op, err)
	}
	return subs, nil
}

// CreateSubscription implements digest.Subscriptions.
func (s *Store) CreateSubscription(ctx context.Context, sub digest.Subscription, limit int) (digest.Subscription, error) {
	if sub.Schedule.IsZero() || sub.NextRun.IsZero() {
		return digest.Subscription{}, bot.Errorf(bot.Invalid, "A digest subscription needs a schedule.")
	}
	if sub.State == "" {
		sub.State = digest.SubscriptionActive
	}
	sub.NextRun, sub.CreatedAt = utc(sub.NextRun), utc(sub.CreatedAt)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return digest.Subscription{}, s.internal("create subscription", err)
	}
	defer tx.Rollback()
	if limit > 0 {
		// Count and insert under a lock on the guild (or the user's DMs),
		// so that two creates cannot both see room for one more.
		scope := "guild " + sub.GuildID
		if sub.DM() {
			scope = "dm " + sub.UserID
		}
		if err := s.d.Lock(ctx, tx, "briefbot subscriptions "+scope); err != nil {
			return digest.Subscription{}, s.internal("create subscription", err)
		}
		var n int
		if sub.DM() {
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE guild_id = '' AND user_id = $1`, sub.UserID).Scan(&n)
		} else {
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE guild_id = $1`, sub.GuildID).Scan(&n)
		}
		if err != nil {
			return digest.Subscription{}, s.internal("create subscription", err)
		}
		if n >= limit {
			return digest.Subscription{}, digest.ErrSubscriptionLimit(sub.DM(), limit)
		}
	}
	spec := sub.Schedule.Spec()
	err = tx.QueryRowContext(ctx, `INSERT INTO subscriptions (guild_id, channel_id, user_id, frequency, at_time, weekday,
		time_zone, cron, article_id, style, language, state, pause_reason, next_run, created_at, rotation,
		last_posted_at, last_message_id, mention_role, publish)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		sub.GuildID, sub.ChannelID, sub.UserID, string(spec.Frequency), spec.Time, spec.Weekday, spec.TimeZone,
		spec.Cron, sub.ArticleID, sub.Style, sub.Language, string(sub.State), sub.PauseReason,
		s.arg(sub.NextRun), s.arg(sub.CreatedAt), sub.Rotation, s.nullArg(sub.LastPostedAt), sub.LastMessageID,
		sub.MentionRoleID, sub.Publish,
	).Scan(&sub.ID)
	if err != nil {
		return digest.Subscription{}, s.internal("create subscription", err)
	}
	if err := tx.Commit(); err != nil {
		return digest.Subscription{}, s.internal("create subscription", err)
	}
	return sub, nil
}

// Subscription implements digest.Subscriptions.
func (s *Store) Subscription(ctx context.Context, id int64) (digest.Subscription, error) {
	sub, err := s.scanSub(s.db.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, s.internal("get subscription", err)
	}
	return sub, nil
}

// GuildSubscriptions implements digest.Subscriptions.
func (s *Store) GuildSubscriptions(ctx context.Context, guildID string) ([]digest.Subscription, error) {
	return s.querySubs(ctx, "list guild subscriptions",
		`SELECT `+subColumns+` FROM subscriptions WHERE guild_id = $1 AND guild_id <> '' ORDER BY id`, guildID)
}

// UserSubscriptions implements digest.Subscriptions.
func (s *Store) UserSubscriptions(ctx context.Context, userID string) ([]digest.Subscription, error) {
	return s.querySubs(ctx, "list user subscriptions",
		`SELECT `+subColumns+` FROM subscriptions WHERE guild_id = '' AND user_id = $1 ORDER BY id`, userID)
}

// PauseSubscription implements digest.Subscriptions.
func (s *Store) PauseSubscription(ctx context.Context, id int64, reason string) (digest.Subscription, error) {
	sub, err := s.scanSub(s.db.QueryRowContext(ctx, `UPDATE subscriptions SET state = 'paused', pause_reason = $1
		WHERE id = $2 RETURNING `+subColumns, reason, id))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, s.internal("pause subscription", err)
	}
	return sub, nil
}

// ResumeSubscription implements digest.Subscriptions.
func (s *Store) ResumeSubscription(ctx context.Context, id int64, now time.Time) (digest.Subscription, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return digest.Subscription{}, s.internal("resume subscription", err)
	}
	defer tx.Rollback()
	sub, err := s.scanSub(tx.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = $1`+s.d.ForUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, s.internal("resume subscription", err)
	}
	sub.State, sub.PauseReason = digest.SubscriptionActive, ""
	sub.NextRun = utc(sub.Schedule.Next(now))
	if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET state = 'active', pause_reason = '', next_run = $1 WHERE id = $2`,
		s.arg(sub.NextRun), id); err != nil {
		return digest.Subscription{}, s.internal("resume subscription", err)
	}
	// Claims on slots before the new next run can never be used again.
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_claims WHERE subscription_id = $1 AND slot < $2`, id, s.arg(sub.NextRun)); err != nil {
		return digest.Subscription{}, s.internal("resume subscription", err)
	}
	if err := tx.Commit(); err != nil {
		return digest.Subscription{}, s.internal("resume subscription", err)
	}
	return sub, nil
}

// DeleteSubscription implements digest.Subscriptions.
func (s *Store) DeleteSubscription(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = $1`, id) // claims go by cascade
	if err != nil {
		return s.internal("delete subscription", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return digest.ErrSubscriptionNotFound(id)
	}
	return nil
}
