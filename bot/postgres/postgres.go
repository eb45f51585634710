// Package postgres is briefbot's Store on PostgreSQL, through pgx, for
// running several briefbot processes on one database: claims on digest
// slots are rows that the processes race for, so each slot is posted once.
//
// The schema lives in migrations/*.sql, embedded. Open applies those not
// yet applied in one transaction, holding an advisory lock so that
// processes starting together take turns.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options tunes Open. The zero value is fine.
type Options struct {
	// Logger gets a line per migration applied. Nil discards.
	Logger *slog.Logger
	// Schema, if set, is the schema the store keeps its tables in; Open
	// creates it if need be. Empty uses the connection's search_path.
	Schema string
	// MaxConns caps the pool (default: pgxpool's, the larger of 4 and the
	// number of CPUs).
	MaxConns int32
}

// Store keeps briefbot's state in PostgreSQL: digest subscriptions and
// the claims on their slots (digest.Subscriptions, digest.Slots), the
// rewrite cache and the token budget (rewrite.Cache, rewrite.Budget).
type Store struct {
	pool *pgxpool.Pool
	// schedules spares a tz database load for every row read.
	schedules schedule.Cache
}

var (
	_ digest.Subscriptions = (*Store)(nil)
	_ digest.Slots         = (*Store)(nil)
	_ rewrite.Cache        = (*Store)(nil)
	_ rewrite.Budget       = (*Store)(nil)
)

// Open connects to the PostgreSQL database at url
// (postgres://user@host:5432/db?sslmode=disable) and applies its
// migrations.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Schema != "" {
		if err := createSchema(ctx, cfg.ConnConfig.Copy(), opts.Schema); err != nil {
			return nil, err
		}
		cfg.ConnConfig.RuntimeParams["search_path"] = opts.Schema
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool, opts.Logger); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &Store{pool: pool}, nil
}

func createSchema(ctx context.Context, cfg *pgx.ConnConfig, schema string) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	// CREATE SCHEMA IF NOT EXISTS is not safe against itself: processes
	// starting together take turns.
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('briefbot schema ' || $1))`, schema); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize())
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: create schema %s: %w", schema, err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// migrate applies the migrations not yet applied. Processes starting
// together serialise on an advisory lock (one per schema), so each
// migration runs once; each runs in one transaction with its record in
// schema_migrations.
func migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	const lock = `hashtext('briefbot migrations ' || current_schema())`
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+lock+`)`); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+lock+`)`)

	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, file := range files {
		name := strings.TrimPrefix(file, "migrations/")
		digits, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(digits)
		if err != nil {
			return fmt.Errorf("migrate: %s does not start with a version number", name)
		}
		var applied bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&applied); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if applied {
			continue
		}
		body, err := migrations.ReadFile(file)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, version, name); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		log.Info("applied migration", "migration", name)
	}
	return tx.Commit(ctx)
}

// ts is a time as PostgreSQL keeps it: to the microsecond. PostgreSQL
// rounds; truncating here first makes it agree with the SQLite store.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func nullTS(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := ts(t)
	return &u
}

func fromNullTS(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func internal(op string, err error) error {
	return &bot.Error{Kind: bot.Internal, Err: fmt.Errorf("postgres: %s: %w", op, err)}
}

const subColumns = `id, guild_id, channel_id, user_id, frequency, at_time, weekday, time_zone, cron,
	article_id, style, language, state, pause_reason, next_run, created_at, rotation,
	last_posted_at, last_message_id`

func (s *Store) scanSub(row pgx.Row) (digest.Subscription, error) {
	var (
		sub         digest.Subscription
		spec        schedule.Spec
		freq, state string
		lastPosted  *time.Time
	)
	err := row.Scan(&sub.ID, &sub.GuildID, &sub.ChannelID, &sub.UserID, &freq, &spec.Time, &spec.Weekday,
		&spec.TimeZone, &spec.Cron, &sub.ArticleID, &sub.Style, &sub.Language, &state, &sub.PauseReason,
		&sub.NextRun, &sub.CreatedAt, &sub.Rotation, &lastPosted, &sub.LastMessageID)
	if err != nil {
		return sub, err
	}
	spec.Frequency = schedule.Frequency(freq)
	if sub.Schedule, err = s.schedules.Parse(spec); err != nil {
		return sub, fmt.Errorf("subscription %d has a schedule that no longer parses: %w", sub.ID, err)
	}
	sub.State = digest.SubscriptionState(state)
	sub.NextRun, sub.CreatedAt, sub.LastPostedAt = sub.NextRun.UTC(), sub.CreatedAt.UTC(), fromNullTS(lastPosted)
	return sub, nil
}

func (s *Store) querySubs(ctx context.Context, op, query string, args ...any) ([]digest.Subscription, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	subs := []digest.Subscription{}
	for rows.Next() {
		sub, err := s.scanSub(rows)
		if err != nil {
			return nil, internal(op, err)
		}
		subs = append(subs, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(op, err)
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
	sub.NextRun, sub.CreatedAt = ts(sub.NextRun), ts(sub.CreatedAt)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return digest.Subscription{}, internal("create subscription", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if limit > 0 {
		// Count and insert under a lock on the guild (or the user's DMs),
		// so that two creates cannot both see room for one more.
		scope := "guild " + sub.GuildID
		if sub.DM() {
			scope = "dm " + sub.UserID
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('briefbot subscriptions ' || $1))`, scope); err != nil {
			return digest.Subscription{}, internal("create subscription", err)
		}
		var n int
		if sub.DM() {
			err = tx.QueryRow(ctx, `SELECT count(*) FROM subscriptions WHERE guild_id = '' AND user_id = $1`, sub.UserID).Scan(&n)
		} else {
			err = tx.QueryRow(ctx, `SELECT count(*) FROM subscriptions WHERE guild_id = $1`, sub.GuildID).Scan(&n)
		}
		if err != nil {
			return digest.Subscription{}, internal("create subscription", err)
		}
		if n >= limit {
			return digest.Subscription{}, digest.ErrSubscriptionLimit(sub.DM(), limit)
		}
	}
	spec := sub.Schedule.Spec()
	err = tx.QueryRow(ctx, `INSERT INTO subscriptions (guild_id, channel_id, user_id, frequency, at_time, weekday,
		time_zone, cron, article_id, style, language, state, pause_reason, next_run, created_at, rotation,
		last_posted_at, last_message_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		sub.GuildID, sub.ChannelID, sub.UserID, string(spec.Frequency), spec.Time, spec.Weekday, spec.TimeZone,
		spec.Cron, sub.ArticleID, sub.Style, sub.Language, string(sub.State), sub.PauseReason,
		sub.NextRun, sub.CreatedAt, sub.Rotation, nullTS(sub.LastPostedAt), sub.LastMessageID,
	).Scan(&sub.ID)
	if err != nil {
		return digest.Subscription{}, internal("create subscription", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return digest.Subscription{}, internal("create subscription", err)
	}
	return sub, nil
}

// Subscription implements digest.Subscriptions.
func (s *Store) Subscription(ctx context.Context, id int64) (digest.Subscription, error) {
	sub, err := s.scanSub(s.pool.QueryRow(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, internal("get subscription", err)
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
	sub, err := s.scanSub(s.pool.QueryRow(ctx, `UPDATE subscriptions SET state = 'paused', pause_reason = $1
		WHERE id = $2 RETURNING `+subColumns, reason, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, internal("pause subscription", err)
	}
	return sub, nil
}

// ResumeSubscription implements digest.Subscriptions.
func (s *Store) ResumeSubscription(ctx context.Context, id int64, now time.Time) (digest.Subscription, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	sub, err := s.scanSub(tx.QueryRow(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = $1 FOR UPDATE`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	sub.State, sub.PauseReason = digest.SubscriptionActive, ""
	sub.NextRun = ts(sub.Schedule.Next(now))
	if _, err := tx.Exec(ctx, `UPDATE subscriptions SET state = 'active', pause_reason = '', next_run = $1 WHERE id = $2`,
		sub.NextRun, id); err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	// Claims on slots before the new next run can never be used again.
	if _, err := tx.Exec(ctx, `DELETE FROM slot_claims WHERE subscription_id = $1 AND slot < $2`, id, sub.NextRun); err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	return sub, nil
}

// DeleteSubscription implements digest.Subscriptions.
func (s *Store) DeleteSubscription(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM subscriptions WHERE id = $1`, id) // claims go by cascade
	if err != nil {
		return internal("delete subscription", err)
	}
	if tag.RowsAffected() == 0 {
		return digest.ErrSubscriptionNotFound(id)
	}
	return nil
}

// liveClaim is true for a subscription whose next slot someone holds, or
// has posted.
const liveClaim = `EXISTS (SELECT 1 FROM slot_claims c WHERE c.subscription_id = s.id AND c.slot = s.next_run
	AND (c.done OR c.lease_until > $1))`

// DueSubscriptions implements digest.Slots.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]digest.Subscription, error) {
	return s.querySubs(ctx, "due subscriptions", `SELECT `+prefixed("s.", subColumns)+` FROM subscriptions s
		WHERE s.state = 'active' AND s.next_run <= $1 AND NOT `+liveClaim+`
		ORDER BY s.next_run, s.id LIMIT $2`, ts(now), limit)
}

// NextDue implements digest.Slots.
func (s *Store) NextDue(ctx context.Context, now time.Time) (time.Time, error) {
	var next, lease *time.Time
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT s.next_run FROM subscriptions s WHERE s.state = 'active' AND NOT `+liveClaim+`
			ORDER BY s.next_run, s.id LIMIT 1),
		(SELECT min(lease_until) FROM slot_claims WHERE NOT done AND lease_until > $1)`, ts(now)).Scan(&next, &lease)
	if err != nil {
		return time.Time{}, internal("next due", err)
	}
	switch {
	case next == nil && lease == nil:
		return time.Time{}, nil
	case lease == nil || next != nil && !next.After(*lease):
		return next.UTC(), nil
	default:
		return lease.UTC(), nil
	}
}

func prefixed(prefix, columns string) string {
	fields := strings.Split(columns, ",")
	for i, f := range fields {
		fields[i] = prefix + strings.TrimSpace(f)
	}
	return strings.Join(fields, ", ")
}

// ClaimSlot implements digest.Slots.
func (s *Store) ClaimSlot(ctx context.Context, subID int64, slot time.Time, owner string, now time.Time, lease time.Duration) (digest.Claim, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// Locking the subscription's row makes claimers of it take turns.
	var state string
	var nextRun time.Time
	err = tx.QueryRow(ctx, `SELECT state, next_run FROM subscriptions WHERE id = $1 FOR UPDATE`, subID).Scan(&state, &nextRun)
	if errors.Is(err, pgx.ErrNoRows) {
		return digest.Claim{}, digest.ErrSubscriptionNotFound(subID)
	}
	if err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	if state != string(digest.SubscriptionActive) {
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Digest subscription %d is paused.", subID)
	}
	if !nextRun.Equal(ts(slot)) {
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is not its next run.", slot.UTC(), subID)
	}
	c := digest.Claim{SubscriptionID: subID, Slot: nextRun.UTC(), Owner: owner, LeaseUntil: ts(now.Add(lease))}
	var (
		prevOwner string
		prevLease time.Time
		sentAt    *time.Time
		done      bool
	)
	err = tx.QueryRow(ctx, `SELECT owner, lease_until, sent_at, attempts, done FROM slot_claims
		WHERE subscription_id = $1 AND slot = $2`, subID, nextRun).Scan(&prevOwner, &prevLease, &sentAt, &c.Attempts, &done)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		_, err = tx.Exec(ctx, `INSERT INTO slot_claims (subscription_id, slot, owner, lease_until) VALUES ($1, $2, $3, $4)`,
			subID, nextRun, owner, c.LeaseUntil)
	case err != nil:
	case done:
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d was already posted.", c.Slot, subID)
	case prevLease.After(ts(now)):
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is claimed by %s until %v.",
			c.Slot, subID, prevOwner, prevLease.UTC())
	default: // the owner died: take over, keeping what it recorded of sends
		c.SentAt = fromNullTS(sentAt)
		_, err = tx.Exec(ctx, `UPDATE slot_claims SET owner = $1, lease_until = $2 WHERE subscription_id = $3 AND slot = $4`,
			owner, c.LeaseUntil, subID, nextRun)
	}
	if err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	return c, nil
}

func lostClaim(c digest.Claim) error {
	return bot.Errorf(bot.Conflict, "%s no longer holds slot %v of digest subscription %d.", c.Owner, c.Slot.UTC(), c.SubscriptionID)
}

// MarkAttempt implements digest.Slots.
func (s *Store) MarkAttempt(ctx context.Context, c digest.Claim, now time.Time, lease time.Duration) (digest.Claim, error) {
	var sentAt, until time.Time
	err := s.pool.QueryRow(ctx, `UPDATE slot_claims SET sent_at = $1, attempts = attempts + 1, lease_until = $2
		WHERE subscription_id = $3 AND slot = $4 AND owner = $5 AND NOT done
		AND EXISTS (SELECT 1 FROM subscriptions WHERE id = $3 AND state = 'active' AND next_run = $4)
		RETURNING sent_at, attempts, lease_until`,
		ts(now), ts(now.Add(lease)), c.SubscriptionID, ts(c.Slot), c.Owner).Scan(&sentAt, &c.Attempts, &until)
	if errors.Is(err, pgx.ErrNoRows) {
		return digest.Claim{}, lostClaim(c)
	}
	if err != nil {
		return digest.Claim{}, internal("mark attempt", err)
	}
	c.SentAt, c.LeaseUntil = sentAt.UTC(), until.UTC()
	return c, nil
}

// ReleaseClaim implements digest.Slots.
func (s *Store) ReleaseClaim(ctx context.Context, c digest.Claim, now time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE slot_claims SET lease_until = $1
		WHERE subscription_id = $2 AND slot = $3 AND owner = $4 AND NOT done`, ts(now), c.SubscriptionID, ts(c.Slot), c.Owner)
	if err != nil {
		return internal("release claim", err)
	}
	if tag.RowsAffected() == 0 {
		return lostClaim(c)
	}
	return nil
}

// FinishSlot implements digest.Slots.
func (s *Store) FinishSlot(ctx context.Context, c digest.Claim, messageID string, next, now time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return internal("finish slot", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	slot := ts(c.Slot)
	tag, err := tx.Exec(ctx, `UPDATE slot_claims SET done = true, message_id = $1, finished_at = $2
		WHERE subscription_id = $3 AND slot = $4 AND owner = $5 AND NOT done`, messageID, ts(now), c.SubscriptionID, slot, c.Owner)
	if err != nil {
		return internal("finish slot", err)
	}
	if tag.RowsAffected() == 0 {
		return lostClaim(c)
	}
	if _, err := tx.Exec(ctx, `UPDATE subscriptions SET
		next_run = CASE WHEN next_run = $1 THEN $2 ELSE next_run END,
		rotation = rotation + 1, last_posted_at = $3, last_message_id = $4 WHERE id = $5`,
		slot, ts(next), ts(now), messageID, c.SubscriptionID); err != nil {
		return internal("finish slot", err)
	}
	// Keep the finished claim as a record; older ones are of no more use.
	if _, err := tx.Exec(ctx, `DELETE FROM slot_claims WHERE subscription_id = $1 AND slot < $2`, c.SubscriptionID, slot); err != nil {
		return internal("finish slot", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return internal("finish slot", err)
	}
	return nil
}

// SkipSlot implements digest.Slots.
func (s *Store) SkipSlot(ctx context.Context, subID int64, slot, next time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return internal("skip slot", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	tag, err := tx.Exec(ctx, `UPDATE subscriptions SET next_run = $1 WHERE id = $2 AND next_run = $3`, ts(next), subID, ts(slot))
	if err != nil {
		return internal("skip slot", err)
	}
	if tag.RowsAffected() == 0 {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM subscriptions WHERE id = $1)`, subID).Scan(&exists); err == nil && !exists {
			return digest.ErrSubscriptionNotFound(subID)
		}
		return bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is not its next run.", slot.UTC(), subID)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM slot_claims WHERE subscription_id = $1 AND slot < $2`, subID, ts(next)); err != nil {
		return internal("skip slot", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return internal("skip slot", err)
	}
	return nil
}

// Rephrasing implements rewrite.Cache.
func (s *Store) Rephrasing(ctx context.Context, key string) ([]byte, bool, error) {
	var value []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM rephrasings WHERE key = $1`, key).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, internal("get rephrasing", err)
	}
	if value == nil {
		value = []byte{}
	}
	return value, true, nil
}

// PutRephrasing implements rewrite.Cache.
func (s *Store) PutRephrasing(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO rephrasings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return internal("put rephrasing", err)
	}
	return nil
}

// utcDate is the UTC calendar day of t, as a date column wants it.
func utcDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AddTokens implements rewrite.Budget.
func (s *Store) AddTokens(ctx context.Context, guildID string, day time.Time, n int64) (int64, error) {
	var total int64
	err := s.pool.QueryRow(ctx, `INSERT INTO token_usage (guild_id, day, tokens) VALUES ($1, $2, $3)
		ON CONFLICT (guild_id, day) DO UPDATE SET tokens = token_usage.tokens + excluded.tokens RETURNING tokens`,
		guildID, utcDate(day), n).Scan(&total)
	if err != nil {
		return 0, internal("add tokens", err)
	}
	return total, nil
}

// Tokens implements rewrite.Budget.
func (s *Store) Tokens(ctx context.Context, guildID string, day time.Time) (int64, error) {
	var total int64
	err := s.pool.QueryRow(ctx, `SELECT tokens FROM token_usage WHERE guild_id = $1 AND day = $2`,
		guildID, utcDate(day)).Scan(&total)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, internal("read tokens", err)
	}
	return total, nil
}
