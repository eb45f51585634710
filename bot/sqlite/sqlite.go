// Package sqlite is briefbot's default Store: one SQLite file, through the
// pure-Go driver modernc.org/sqlite (no cgo). It suits one process; for
// several, use bot/postgres.
//
// The queries and the schema are bot/internal/sqlstore's; this package
// opens the file and says how SQLite differs. Open applies the migrations
// not yet applied, in one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/briefbot/briefbot/bot/internal/sqlstore"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

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

// Store is a bot.Store in a SQLite file.
type Store struct {
	*sqlstore.Store
}

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
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)") // durable across process crashes; WAL keeps it consistent
	q.Add("_pragma", "foreign_keys(1)")     // deleting a subscription deletes its claims
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
	s, err := sqlstore.Open(ctx, db, dialect{}, opts.Logger)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return &Store{s}, nil
}

// dialect is SQLite's sqlstore.Dialect. Times are Unix microseconds and
// booleans 0 or 1, in INTEGER columns. Every transaction holds the one
// write lock from BEGIN (IMMEDIATE, above), so transactions already take
// turns and nothing needs locking within one.
type dialect struct{}

func (dialect) Name() string { return "sqlite" }

func (dialect) Types() sqlstore.Types {
	return sqlstore.Types{
		Key:   "INTEGER PRIMARY KEY AUTOINCREMENT", // AUTOINCREMENT: never reused
		Time:  "INTEGER",
		Bool:  "INTEGER",
		Bytes: "BLOB",
		Day:   "TEXT",
	}
}

func (dialect) Time(t time.Time) any { return t.UnixMicro() }

func (dialect) ScanTime(src any) (time.Time, error) {
	v, ok := src.(int64)
	if !ok {
		return time.Time{}, fmt.Errorf("a time column holds %T, not Unix microseconds", src)
	}
	return time.UnixMicro(v).UTC(), nil
}

func (dialect) Bool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (dialect) ForUpdate() string { return "" }

func (dialect) Lock(context.Context, *sql.Tx, string) error { return nil }

func (dialect) LockMigrations(context.Context, *sql.Tx) error { return nil }
