package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	botask "github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/postgres"
	"github.com/briefbot/briefbot/bot/report"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/sqlite"
)

// store is what briefbot keeps its state in, as each feature sees it:
// digest subscriptions and the claims on their slots, the rewrite cache,
// the token budget and the refusals, readers' reports, and the question
// log. Both SQL stores implement all of it.
type store interface {
	digest.Subscriptions
	digest.Slots
	rewrite.Cache
	rewrite.Budget
	botask.QuestionLog
	botask.QuestionReport
	rewrite.Rejections
	rewrite.RejectionSummary
	report.Store
	// Close releases the store's resources.
	Close() error
}

// openStore opens the state store named by --db: PostgreSQL for a
// postgres:// or postgresql:// URL, else a SQLite file. Migrations are
// applied on the way.
func openStore(ctx context.Context, c *Config, log *slog.Logger) (store, error) {
	if isPostgres(c.DB) {
		s, err := postgres.Open(ctx, c.DB, postgres.Options{Logger: log})
		if err != nil {
			return nil, fmt.Errorf("opening the PostgreSQL database: %w", err)
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, c.DB, sqlite.Options{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("opening the SQLite database %q: %w (set --db or BRIEFBOT_DB to a writable file)", c.DB, err)
	}
	return s, nil
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}
