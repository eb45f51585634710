package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/briefbot/briefbot/bot/report"
	"github.com/briefbot/briefbot/bot/rewrite"
)

var (
	_ report.Store       = (*Store)(nil)
	_ rewrite.Rejections = (*Store)(nil)
)

const reportColumns = `id, key, article_id, article_version, section, style, language, model, shown, reported, first_at, last_at, purged_at`

func textHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// AddReport implements report.Store.
func (s *Store) AddReport(ctx context.Context, r report.Report, note string, at time.Time, dropAt int) (report.Report, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return report.Report{}, s.internal("add report", err)
	}
	defer tx.Rollback()
	var id int64
	var count int
	err = tx.QueryRowContext(ctx, `INSERT INTO reports (key, text_hash, article_id, article_version, section, style, language, model, shown, reported, first_at, last_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)
		ON CONFLICT (key, text_hash) DO UPDATE SET reported = reports.reported + 1, last_at = excluded.last_at
		RETURNING id, reported`,
		r.Key, textHash(r.Text), r.ArticleID, r.ArticleVersion, r.Section, r.Style, r.Language, r.Model, r.Text, s.arg(at)).Scan(&id, &count)
	if err != nil {
		return report.Report{}, s.internal("add report", err)
	}
	if note != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_notes (report_id, at, note) VALUES ($1, $2, $3)`, id, s.arg(at), note); err != nil {
			return report.Report{}, s.internal("add report note", err)
		}
	}
	if count >= dropAt {
		if err := s.purge(ctx, tx, id, r.Key, at); err != nil {
			return report.Report{}, err
		}
	}
	got, err := s.report(ctx, tx, id)
	if err != nil {
		return report.Report{}, err
	}
	if err := tx.Commit(); err != nil {
		return report.Report{}, s.internal("add report", err)
	}
	return got, nil
}

// purge drops the cached rephrasing under key and marks report id purged,
// once.
func (s *Store) purge(ctx context.Context, tx *sql.Tx, id int64, key string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE reports SET purged_at = $1 WHERE id = $2 AND purged_at IS NULL`, s.arg(at), id); err != nil {
		return s.internal("purge report", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM rephrasings WHERE key = $1`, key); err != nil {
		return s.internal("purge report", err)
	}
	return nil
}

// PurgeReport implements report.Store.
func (s *Store) PurgeReport(ctx context.Context, id int64, at time.Time) (report.Report, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return report.Report{}, s.internal("purge report", err)
	}
	defer tx.Rollback()
	var key string
	err = tx.QueryRowContext(ctx, `SELECT key FROM reports WHERE id = $1`, id).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Report{}, fmt.Errorf("report %d: %w", id, report.ErrNotFound)
	}
	if err != nil {
		return report.Report{}, s.internal("purge report", err)
	}
	if err := s.purge(ctx, tx, id, key, at); err != nil {
		return report.Report{}, err
	}
	got, err := s.report(ctx, tx, id)
	if err != nil {
		return report.Report{}, err
	}
	if err := tx.Commit(); err != nil {
		return report.Report{}, s.internal("purge report", err)
	}
	return got, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) report(ctx context.Context, q querier, id int64) (report.Report, error) {
	rs, err := s.queryReports(ctx, q, `SELECT `+reportColumns+` FROM reports WHERE id = $1`, id)
	if err != nil {
		return report.Report{}, err
	}
	if len(rs) == 0 {
		return report.Report{}, fmt.Errorf("report %d: %w", id, report.ErrNotFound)
	}
	return rs[0], nil
}

// Reports implements report.Store.
func (s *Store) Reports(ctx context.Context) ([]report.Report, error) {
	return s.queryReports(ctx, s.db, `SELECT `+reportColumns+` FROM reports ORDER BY last_at DESC, id DESC`)
}

// queryReports reads reports and their notes.
func (s *Store) queryReports(ctx context.Context, q querier, query string, args ...any) ([]report.Report, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.internal("read reports", err)
	}
	var out []report.Report
	byID := make(map[int64]int)
	for rows.Next() {
		var r report.Report
		if err := rows.Scan(&r.ID, &r.Key, &r.ArticleID, &r.ArticleVersion, &r.Section, &r.Style, &r.Language, &r.Model, &r.Text,
			&r.Count, s.into(&r.First), s.into(&r.Last), s.into(&r.Purged)); err != nil {
			rows.Close()
			return nil, s.internal("read reports", err)
		}
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.internal("read reports", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	notes, err := q.QueryContext(ctx, `SELECT report_id, note FROM report_notes ORDER BY at, report_id`)
	if err != nil {
		return nil, s.internal("read report notes", err)
	}
	defer notes.Close()
	for notes.Next() {
		var id int64
		var note string
		if err := notes.Scan(&id, &note); err != nil {
			return nil, s.internal("read report notes", err)
		}
		if i, ok := byID[id]; ok {
			out[i].Notes = append(out[i].Notes, note)
		}
	}
	if err := notes.Err(); err != nil {
		return nil, s.internal("read report notes", err)
	}
	return out, nil
}

// RecordRejection implements rewrite.Rejections.
func (s *Store) RecordRejection(ctx context.Context, r rewrite.Rejection) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.internal("record rejection", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO rejections (at, article_id, article_version, section, style, language, model, prompt_version, attempt)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		s.arg(r.At), r.ArticleID, r.ArticleVersion, r.Section, r.Style, r.Language, r.Model, r.PromptVersion, r.Attempt).Scan(&id)
	if err != nil {
		return s.internal("record rejection", err)
	}
	for _, p := range r.Problems {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rejection_checks (rejection_id, check_name, found) VALUES ($1, $2, $3)`, id, string(p.Check), p.Found); err != nil {
			return s.internal("record rejection", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.internal("record rejection", err)
	}
	return nil
}

// RejectionTallies implements rewrite.RejectionSummary.
func (s *Store) RejectionTallies(ctx context.Context, since time.Time) (int, []rewrite.CheckTally, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM rejections WHERE at >= $1`, s.arg(since)).Scan(&total); err != nil {
		return 0, nil, s.internal("tally rejections", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.check_name, COUNT(DISTINCT r.id), MAX(r.at)
		FROM rejection_checks c JOIN rejections r ON r.id = c.rejection_id
		WHERE r.at >= $1 GROUP BY c.check_name ORDER BY COUNT(DISTINCT r.id) DESC, c.check_name`, s.arg(since))
	if err != nil {
		return 0, nil, s.internal("tally rejections", err)
	}
	defer rows.Close()
	out := []rewrite.CheckTally{}
	for rows.Next() {
		var t rewrite.CheckTally
		if err := rows.Scan(&t.Check, &t.Refusals, s.into(&t.Last)); err != nil {
			return 0, nil, s.internal("tally rejections", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, s.internal("tally rejections", err)
	}
	return total, out, nil
}
