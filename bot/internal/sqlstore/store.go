// Package sqlstore is the state store that bot/sqlite and bot/postgres share
// (digest subscriptions and slot claims, the rewrite cache and token budget,
// the question log):
// every query and transaction, written once on database/sql, and the
// migrations with the runner that applies them. What differs between the
// engines is a Dialect, which each of those packages provides with the
// connection.
//
// Queries are written with numbered placeholders ($1, $2…), which both
// drivers take as the ordinal of the argument.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/schedule"
)

// Store keeps briefbot's state on a database/sql handle: it is every
// store interface the features define.
type Store struct {
	db *sql.DB
	d  Dialect
	// done and notDone test slot_claims.done, spelt as its index is.
	done, notDone string
	// schedules spares a tz database load for every row read.
	schedules schedule.Cache
}

var (
	_ digest.Subscriptions = (*Store)(nil)
	_ digest.Slots         = (*Store)(nil)
	_ rewrite.Cache        = (*Store)(nil)
	_ rewrite.Budget       = (*Store)(nil)
)

// Open applies the migrations that db lacks and returns the store on it.
// The store owns db from then on: Close closes it. If Open fails, db is
// the caller's to close.
func Open(ctx context.Context, db *sql.DB, d Dialect, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := migrate(ctx, db, d, log); err != nil {
		return nil, err
	}
	return &Store{db: db, d: d, done: "done = " + d.Bool(true), notDone: "done = " + d.Bool(false)}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) internal(op string, err error) error {
	return &bot.Error{Kind: bot.Internal, Err: fmt.Errorf("%s: %s: %w", s.d.Name(), op, err)}
}

// utc is t as the store keeps it: in UTC, to the microsecond. PostgreSQL
// would round; truncating first makes every engine agree.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// arg is t as a query argument.
func (s *Store) arg(t time.Time) any { return s.d.Time(utc(t)) }

// nullArg is arg, with the zero time as NULL.
func (s *Store) nullArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.arg(t)
}

// into is a Scan destination for a time column; NULL reads as the zero
// time.
func (s *Store) into(t *time.Time) sql.Scanner { return timeDest{s.d, t} }

type timeDest struct {
	d Dialect
	t *time.Time
}

func (dst timeDest) Scan(src any) error {
	if src == nil {
		*dst.t = time.Time{}
		return nil
	}
	t, err := dst.d.ScanTime(src)
	if err != nil {
		return err
	}
	*dst.t = t.UTC()
	return nil
}
