package sqlstore

import (
	"context"
	"database/sql"
	"time"
)

// A Dialect is what the shared SQL needs to know of an engine.
type Dialect interface {
	// Name prefixes the store's errors: "sqlite", "postgres".
	Name() string
	// Types names the column types the migrations write differently.
	Types() Types
	// Time returns t (UTC, to the microsecond) as a query argument, in the
	// form the engine's time columns keep.
	Time(t time.Time) any
	// ScanTime returns the time a non-NULL time column was read as.
	ScanTime(src any) (time.Time, error)
	// Bool returns the SQL literal of b. A query spells it as the partial
	// indexes do, so that the planner matches the two.
	Bool(b bool) string
	// ForUpdate is what follows a SELECT to lock the rows it reads until
	// the transaction ends, so that transactions which go on to change
	// them take turns; "" where every transaction holds the one write lock
	// from its start.
	ForUpdate() string
	// Lock makes the transactions that lock the same key take turns: it
	// returns once tx holds the key, until tx ends.
	Lock(ctx context.Context, tx *sql.Tx, key string) error
	// LockMigrations is Lock for the migrations of the store's tables, so
	// that processes starting together apply each migration once.
	LockMigrations(ctx context.Context, tx *sql.Tx) error
}

// Types are the column types of the migrations that the engines spell
// differently.
type Types struct {
	// Key is an int64 primary key that the database assigns and never
	// reuses, with its constraint.
	Key string
	// Time is a time as Dialect.Time writes it.
	Time string
	// Bool is a boolean, written with Dialect.Bool.
	Bool string
	// Bytes is a byte string.
	Bytes string
	// Day is a UTC calendar day, written as "2006-01-02".
	Day string
}
