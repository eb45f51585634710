// Package postgres is briefbot's Store on PostgreSQL, for running several
// briefbot processes on one database: claims on digest slots are rows that
// the processes race for, so each slot is posted once.
//
// The queries and the schema are bot/internal/sqlstore's; this package
// connects, through pgx's database/sql driver, and says how PostgreSQL
// differs. Open applies the migrations not yet applied in one transaction,
// holding an advisory lock so that processes starting together take turns.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/briefbot/briefbot/bot/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// Options tunes Open. The zero value is fine.
type Options struct {
	// Logger gets a line per migration applied. Nil discards.
	Logger *slog.Logger
	// Schema, if set, is the schema the store keeps its tables in; Open
	// creates it if need be. Empty uses the connection's search_path.
	Schema string
	// MaxConns caps the pool (default: the URL's pool_max_conns, else the
	// larger of 4 and the number of CPUs).
	MaxConns int32
}

// Store is a bot.Store in PostgreSQL.
type Store struct {
	*sqlstore.Store
}

// Open connects to the PostgreSQL database at url
// (postgres://user@host:5432/db?sslmode=disable) and applies its
// migrations.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	// pgxpool's parser, though database/sql keeps the pool: it takes the
	// pool_* settings out of the URL, so that they stay settings of ours
	// rather than reach the server, and gives pgxpool's defaults.
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = opts.Schema
	}
	db := stdlib.OpenDB(*cfg.ConnConfig)
	db.SetMaxOpenConns(int(cfg.MaxConns))
	db.SetMaxIdleConns(int(cfg.MaxConns))
	db.SetConnMaxLifetime(cfg.MaxConnLifetime)
	db.SetConnMaxIdleTime(cfg.MaxConnIdleTime)
	if opts.Schema != "" {
		if err := createSchema(ctx, db, opts.Schema); err != nil {
			db.Close()
			return nil, fmt.Errorf("postgres: create schema %s: %w", opts.Schema, err)
		}
	}
	s, err := sqlstore.Open(ctx, db, dialect{}, opts.Logger)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &Store{s}, nil
}

func createSchema(ctx context.Context, db *sql.DB, schema string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// CREATE SCHEMA IF NOT EXISTS is not safe against itself: processes
	// starting together take turns.
	if err := lock(ctx, tx, "briefbot schema "+schema); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return err
	}
	return tx.Commit()
}

func lock(ctx context.Context, tx *sql.Tx, key string) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, key)
	return err
}

// dialect is PostgreSQL's sqlstore.Dialect: native times and booleans,
// rows locked FOR UPDATE and advisory locks for the rest.
type dialect struct{}

func (dialect) Name() string { return "postgres" }

func (dialect) Types() sqlstore.Types {
	return sqlstore.Types{
		Key:   "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
		Time:  "timestamptz",
		Bool:  "boolean",
		Bytes: "bytea",
		Day:   "date",
	}
}

func (dialect) Time(t time.Time) any { return t }

func (dialect) ScanTime(src any) (time.Time, error) {
	t, ok := src.(time.Time)
	if !ok {
		return time.Time{}, fmt.Errorf("a time column holds %T, not a timestamptz", src)
	}
	return t, nil
}

func (dialect) Bool(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (dialect) ForUpdate() string { return " FOR UPDATE" }

func (dialect) Lock(ctx context.Context, tx *sql.Tx, key string) error { return lock(ctx, tx, key) }

// LockMigrations locks per schema: stores in different schemas of one
// database migrate independently.
func (dialect) LockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('briefbot migrations ' || current_schema()))`)
	return err
}
