package sqlstore

import "context"

// Ping reports whether the database answers: for a readiness check.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return s.internal("ping", err)
	}
	return nil
}
