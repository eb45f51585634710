// Package sqlite is briefbot's default Store: one SQLite file, through the
// pure-Go driver modernc.org/sqlite (no cgo). It suits one process; for
// several, use bot/postgres.
//
// The schema lives in migrations/*.sql, embedded, and Open applies those
// not yet applied, in one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/schedule"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options tunes Open. The zero value is fine.
type Options struct {
	// Logger gets a line per migration applied. Nil discards.
	Logger *slog.Logger
	// MaxConns caps the open connections (default 8). SQLite lets one
	// writer in at a time, whatever this says; readers run alongside it.
	MaxConns int
	// BusyTimeout is how long a writer waits for another (default 10s).
	BusyTimeout time.Duration
}

// Store keeps briefbot's state in a SQLite file: digest subscriptions and
// the claims on their slots (digest.Subscriptions, digest.Slots), the
// rewrite cache and the token budget (rewrite.Cache, rewrite.Budget).
type Store struct {
	db *sql.DB
	// schedules spares a tz database load for every row read.
	schedules schedule.Cache
}

var (
	_ digest.Subscriptions = (*Store)(nil)
	_ digest.Slots         = (*Store)(nil)
	_ rewrite.Cache        = (*Store)(nil)
	_ rewrite.Budget       = (*Store)(nil)
)

// Open opens (creating if need be) the SQLite database at path and applies
// its migrations.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 8
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 10 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)") // durable across process crashes; WAL keeps it consistent
	q.Add("_pragma", "foreign_keys(1)")
	// Every transaction here writes: take the write lock at BEGIN, so that
	// two never deadlock upgrading from read to write.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(opts.MaxConns)
	db.SetMaxIdleConns(opts.MaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := migrate(ctx, db, opts.Logger); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func migrate(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, file := range files {
		name := strings.TrimPrefix(file, "migrations/")
		digits, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(digits)
		if err != nil {
			return fmt.Errorf("migrate: %s does not start with a version number", name)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(file)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			version, name, time.Now().UnixMicro()); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		log.Info("applied migration", "migration", name)
	}
	return tx.Commit()
}

// Times are stored as Unix microseconds.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func fromNullMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicros(v.Int64)
}

func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(t), Valid: true}
}

func internal(op string, err error) error {
	return &bot.Error{Kind: bot.Internal, Err: fmt.Errorf("sqlite: %s: %w", op, err)}
}

const subColumns = `id, guild_id, channel_id, user_id, frequency, at_time, weekday, time_zone, cron,
	article_id, style, language, state, pause_reason, next_run, created_at, rotation,
	last_posted_at, last_message_id`

type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanSub(row scanner) (digest.Subscription, error) {
	var (
		sub           digest.Subscription
		spec          schedule.Spec
		freq, state   string
		next, created int64
		lastPosted    sql.NullInt64
	)
	err := row.Scan(&sub.ID, &sub.GuildID, &sub.ChannelID, &sub.UserID, &freq, &spec.Time, &spec.Weekday,
		&spec.TimeZone, &spec.Cron, &sub.ArticleID, &sub.Style, &sub.Language, &state, &sub.PauseReason,
		&next, &created, &sub.Rotation, &lastPosted, &sub.LastMessageID)
	if err != nil {
		return sub, err
	}
	spec.Frequency = schedule.Frequency(freq)
	if sub.Schedule, err = s.schedules.Parse(spec); err != nil {
		return sub, fmt.Errorf("subscription %d has a schedule that no longer parses: %w", sub.ID, err)
	}
	sub.State = digest.SubscriptionState(state)
	sub.NextRun, sub.CreatedAt, sub.LastPostedAt = fromMicros(next), fromMicros(created), fromNullMicros(lastPosted)
	return sub, nil
}

func (s *Store) querySubs(ctx context.Context, op, query string, args ...any) ([]digest.Subscription, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
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
	sub.NextRun = sub.NextRun.UTC().Truncate(time.Microsecond)
	sub.CreatedAt = sub.CreatedAt.UTC().Truncate(time.Microsecond)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return digest.Subscription{}, internal("create subscription", err)
	}
	defer tx.Rollback()
	if limit > 0 {
		var n int
		if sub.DM() {
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE guild_id = '' AND user_id = ?`, sub.UserID).Scan(&n)
		} else {
			err = tx.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE guild_id = ?`, sub.GuildID).Scan(&n)
		}
		if err != nil {
			return digest.Subscription{}, internal("create subscription", err)
		}
		if n >= limit {
			return digest.Subscription{}, digest.ErrSubscriptionLimit(sub.DM(), limit)
		}
	}
	spec := sub.Schedule.Spec()
	err = tx.QueryRowContext(ctx, `INSERT INTO subscriptions (guild_id, channel_id, user_id, frequency, at_time, weekday,
		time_zone, cron, article_id, style, language, state, pause_reason, next_run, created_at, rotation,
		last_posted_at, last_message_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		sub.GuildID, sub.ChannelID, sub.UserID, string(spec.Frequency), spec.Time, spec.Weekday, spec.TimeZone,
		spec.Cron, sub.ArticleID, sub.Style, sub.Language, string(sub.State), sub.PauseReason,
		micros(sub.NextRun), micros(sub.CreatedAt), sub.Rotation, nullMicros(sub.LastPostedAt), sub.LastMessageID,
	).Scan(&sub.ID)
	if err != nil {
		return digest.Subscription{}, internal("create subscription", err)
	}
	if err := tx.Commit(); err != nil {
		return digest.Subscription{}, internal("create subscription", err)
	}
	return sub, nil
}

// Subscription implements digest.Subscriptions.
func (s *Store) Subscription(ctx context.Context, id int64) (digest.Subscription, error) {
	sub, err := s.scanSub(s.db.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
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
		`SELECT `+subColumns+` FROM subscriptions WHERE guild_id = ? AND guild_id != '' ORDER BY id`, guildID)
}

// UserSubscriptions implements digest.Subscriptions.
func (s *Store) UserSubscriptions(ctx context.Context, userID string) ([]digest.Subscription, error) {
	return s.querySubs(ctx, "list user subscriptions",
		`SELECT `+subColumns+` FROM subscriptions WHERE guild_id = '' AND user_id = ? ORDER BY id`, userID)
}

// PauseSubscription implements digest.Subscriptions.
func (s *Store) PauseSubscription(ctx context.Context, id int64, reason string) (digest.Subscription, error) {
	sub, err := s.scanSub(s.db.QueryRowContext(ctx, `UPDATE subscriptions SET state = 'paused', pause_reason = ?
		WHERE id = ? RETURNING `+subColumns, reason, id))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, internal("pause subscription", err)
	}
	return sub, nil
}

// ResumeSubscription implements digest.Subscriptions.
func (s *Store) ResumeSubscription(ctx context.Context, id int64, now time.Time) (digest.Subscription, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	defer tx.Rollback()
	sub, err := s.scanSub(tx.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Subscription{}, digest.ErrSubscriptionNotFound(id)
	}
	if err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	sub.State, sub.PauseReason = digest.SubscriptionActive, ""
	sub.NextRun = sub.Schedule.Next(now).UTC().Truncate(time.Microsecond)
	if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET state = 'active', pause_reason = '', next_run = ? WHERE id = ?`,
		micros(sub.NextRun), id); err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	// Claims on slots before the new next run can never be used again.
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_claims WHERE subscription_id = ? AND slot < ?`, id, micros(sub.NextRun)); err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	if err := tx.Commit(); err != nil {
		return digest.Subscription{}, internal("resume subscription", err)
	}
	return sub, nil
}

// DeleteSubscription implements digest.Subscriptions.
func (s *Store) DeleteSubscription(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("delete subscription", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_claims WHERE subscription_id = ?`, id); err != nil {
		return internal("delete subscription", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)
	if err != nil {
		return internal("delete subscription", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return digest.ErrSubscriptionNotFound(id)
	}
	if err := tx.Commit(); err != nil {
		return internal("delete subscription", err)
	}
	return nil
}

// liveClaim is true for a subscription whose next slot someone holds, or
// has posted.
const liveClaim = `EXISTS (SELECT 1 FROM slot_claims c WHERE c.subscription_id = s.id AND c.slot = s.next_run
	AND (c.done = 1 OR c.lease_until > ?1))`

// DueSubscriptions implements digest.Slots.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]digest.Subscription, error) {
	return s.querySubs(ctx, "due subscriptions", `SELECT `+prefixed("s.", subColumns)+` FROM subscriptions s
		WHERE s.state = 'active' AND s.next_run <= ?1 AND NOT `+liveClaim+`
		ORDER BY s.next_run, s.id LIMIT ?2`, micros(now), limit)
}

// NextDue implements digest.Slots.
func (s *Store) NextDue(ctx context.Context, now time.Time) (time.Time, error) {
	var next, lease sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT s.next_run FROM subscriptions s WHERE s.state = 'active' AND NOT `+liveClaim+`
			ORDER BY s.next_run, s.id LIMIT 1),
		(SELECT min(lease_until) FROM slot_claims WHERE done = 0 AND lease_until > ?1)`, micros(now)).Scan(&next, &lease)
	if err != nil {
		return time.Time{}, internal("next due", err)
	}
	switch {
	case !next.Valid && !lease.Valid:
		return time.Time{}, nil
	case !lease.Valid || next.Valid && next.Int64 <= lease.Int64:
		return fromMicros(next.Int64), nil
	default:
		return fromMicros(lease.Int64), nil
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	defer tx.Rollback()
	var state string
	var nextRun int64
	err = tx.QueryRowContext(ctx, `SELECT state, next_run FROM subscriptions WHERE id = ?`, subID).Scan(&state, &nextRun)
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Claim{}, digest.ErrSubscriptionNotFound(subID)
	}
	if err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	if state != string(digest.SubscriptionActive) {
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Digest subscription %d is paused.", subID)
	}
	if nextRun != micros(slot) {
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is not its next run.", slot.UTC(), subID)
	}
	c := digest.Claim{SubscriptionID: subID, Slot: fromMicros(nextRun), Owner: owner,
		LeaseUntil: now.Add(lease).UTC().Truncate(time.Microsecond)}
	var (
		prevOwner string
		prevLease int64
		sentAt    sql.NullInt64
		done      bool
	)
	err = tx.QueryRowContext(ctx, `SELECT owner, lease_until, sent_at, attempts, done FROM slot_claims
		WHERE subscription_id = ? AND slot = ?`, subID, nextRun).Scan(&prevOwner, &prevLease, &sentAt, &c.Attempts, &done)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO slot_claims (subscription_id, slot, owner, lease_until) VALUES (?, ?, ?, ?)`,
			subID, nextRun, owner, micros(c.LeaseUntil))
	case err != nil:
	case done:
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d was already posted.", c.Slot, subID)
	case prevLease > micros(now):
		return digest.Claim{}, bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is claimed by %s until %v.",
			c.Slot, subID, prevOwner, fromMicros(prevLease))
	default: // the owner died: take over, keeping what it recorded of sends
		c.SentAt = fromNullMicros(sentAt)
		_, err = tx.ExecContext(ctx, `UPDATE slot_claims SET owner = ?, lease_until = ? WHERE subscription_id = ? AND slot = ?`,
			owner, micros(c.LeaseUntil), subID, nextRun)
	}
	if err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	if err := tx.Commit(); err != nil {
		return digest.Claim{}, internal("claim slot", err)
	}
	return c, nil
}

func lostClaim(c digest.Claim) error {
	return bot.Errorf(bot.Conflict, "%s no longer holds slot %v of digest subscription %d.", c.Owner, c.Slot.UTC(), c.SubscriptionID)
}

// MarkAttempt implements digest.Slots.
func (s *Store) MarkAttempt(ctx context.Context, c digest.Claim, now time.Time, lease time.Duration) (digest.Claim, error) {
	var sentAt, until int64
	err := s.db.QueryRowContext(ctx, `UPDATE slot_claims SET sent_at = ?1, attempts = attempts + 1, lease_until = ?2
		WHERE subscription_id = ?3 AND slot = ?4 AND owner = ?5 AND done = 0
		AND EXISTS (SELECT 1 FROM subscriptions WHERE id = ?3 AND state = 'active' AND next_run = ?4)
		RETURNING sent_at, attempts, lease_until`,
		micros(now), micros(now.Add(lease)), c.SubscriptionID, micros(c.Slot), c.Owner).Scan(&sentAt, &c.Attempts, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return digest.Claim{}, lostClaim(c)
	}
	if err != nil {
		return digest.Claim{}, internal("mark attempt", err)
	}
	c.SentAt, c.LeaseUntil = fromMicros(sentAt), fromMicros(until)
	return c, nil
}

// ReleaseClaim implements digest.Slots.
func (s *Store) ReleaseClaim(ctx context.Context, c digest.Claim, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE slot_claims SET lease_until = ?
		WHERE subscription_id = ? AND slot = ? AND owner = ? AND done = 0`, micros(now), c.SubscriptionID, micros(c.Slot), c.Owner)
	if err != nil {
		return internal("release claim", err)
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
		return internal("finish slot", err)
	}
	defer tx.Rollback()
	slot := micros(c.Slot)
	res, err := tx.ExecContext(ctx, `UPDATE slot_claims SET done = 1, message_id = ?, finished_at = ?
		WHERE subscription_id = ? AND slot = ? AND owner = ? AND done = 0`, messageID, micros(now), c.SubscriptionID, slot, c.Owner)
	if err != nil {
		return internal("finish slot", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lostClaim(c)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET
		next_run = CASE WHEN next_run = ? THEN ? ELSE next_run END,
		rotation = rotation + 1, last_posted_at = ?, last_message_id = ? WHERE id = ?`,
		slot, micros(next), micros(now), messageID, c.SubscriptionID); err != nil {
		return internal("finish slot", err)
	}
	// Keep the finished claim as a record; older ones are of no more use.
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_claims WHERE subscription_id = ? AND slot < ?`, c.SubscriptionID, slot); err != nil {
		return internal("finish slot", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("finish slot", err)
	}
	return nil
}

// SkipSlot implements digest.Slots.
func (s *Store) SkipSlot(ctx context.Context, subID int64, slot, next time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("skip slot", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET next_run = ? WHERE id = ? AND next_run = ?`,
		micros(next), subID, micros(slot))
	if err != nil {
		return internal("skip slot", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM subscriptions WHERE id = ?`, subID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return digest.ErrSubscriptionNotFound(subID)
		}
		return bot.Errorf(bot.Conflict, "Slot %v of digest subscription %d is not its next run.", slot.UTC(), subID)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_claims WHERE subscription_id = ? AND slot < ?`, subID, micros(next)); err != nil {
		return internal("skip slot", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("skip slot", err)
	}
	return nil
}

// Rephrasing implements rewrite.Cache.
func (s *Store) Rephrasing(ctx context.Context, key string) ([]byte, bool, error) {
	var value []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM rephrasings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
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
	_, err := s.db.ExecContext(ctx, `INSERT INTO rephrasings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return internal("put rephrasing", err)
	}
	return nil
}

// AddTokens implements rewrite.Budget.
func (s *Store) AddTokens(ctx context.Context, guildID string, day time.Time, n int64) (int64, error) {
	var total int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO token_usage (guild_id, day, tokens) VALUES (?, ?, ?)
		ON CONFLICT (guild_id, day) DO UPDATE SET tokens = tokens + excluded.tokens RETURNING tokens`,
		guildID, rewrite.UTCDay(day), n).Scan(&total)
	if err != nil {
		return 0, internal("add tokens", err)
	}
	return total, nil
}

// Tokens implements rewrite.Budget.
func (s *Store) Tokens(ctx context.Context, guildID string, day time.Time) (int64, error) {
	var total int64
	err := s.db.QueryRowContext(ctx, `SELECT tokens FROM token_usage WHERE guild_id = ? AND day = ?`,
		guildID, rewrite.UTCDay(day)).Scan(&total)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, internal("read tokens", err)
	}
	return total, nil
}
