package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/briefbot/briefbot/bot/rewrite"
)

// Rephrasing implements rewrite.Cache.
func (s *Store) Rephrasing(ctx context.Context, key string) ([]byte, bool, error) {
	var value []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM rephrasings WHERE key = $1`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.internal("get rephrasing", err)
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
	_, err := s.db.ExecContext(ctx, `INSERT INTO rephrasings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return s.internal("put rephrasing", err)
	}
	return nil
}

// AddTokens implements rewrite.Budget.
func (s *Store) AddTokens(ctx context.Context, guildID string, day time.Time, n int64) (int64, error) {
	var total int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO token_usage (guild_id, day, tokens) VALUES ($1, $2, $3)
		ON CONFLICT (guild_id, day) DO UPDATE SET tokens = token_usage.tokens + excluded.tokens RETURNING tokens`,
		guildID, rewrite.UTCDay(day), n).Scan(&total)
	if err != nil {
		return 0, s.internal("add tokens", err)
	}
	return total, nil
}

// Tokens implements rewrite.Budget.
func (s *Store) Tokens(ctx context.Context, guildID string, day time.Time) (int64, error) {
	var total int64
	err := s.db.QueryRowContext(ctx, `SELECT tokens FROM token_usage WHERE guild_id = $1 AND day = $2`,
		guildID, rewrite.UTCDay(day)).Scan(&total)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, s.internal("read tokens", err)
	}
	return total, nil
}
