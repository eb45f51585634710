package sqlstore

import (
	"context"
	"time"

	"github.com/briefbot/briefbot/bot/ask"
)

var (
	_ ask.QuestionLog    = (*Store)(nil)
	_ ask.QuestionReport = (*Store)(nil)
)

// RecordQuestion implements ask.QuestionLog.
func (s *Store) RecordQuestion(ctx context.Context, q ask.Question) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO questions (question, normalized, article_id, asked_at, refused) VALUES ($1, $2, $3, $4, `+s.boolArg(q.Refused)+`)`,
		q.Text, q.Normalized, q.Article, s.arg(q.AskedAt))
	if err != nil {
		return s.internal("record question", err)
	}
	return nil
}

// boolArg is b as the literal the dialect writes.
func (s *Store) boolArg(b bool) string { return s.d.Bool(b) }

// PruneQuestions implements ask.QuestionLog.
func (s *Store) PruneQuestions(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM questions WHERE asked_at < $1`, s.arg(before))
	if err != nil {
		return 0, s.internal("prune questions", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.internal("prune questions", err)
	}
	return n, nil
}

// UnansweredQuestions implements ask.QuestionReport.
func (s *Store) UnansweredQuestions(ctx context.Context, since time.Time, limit int) ([]ask.QuestionGroup, error) {
	if limit <= 0 {
		return nil, nil
	}
	// Each group's example is its latest question.
	rows, err := s.db.QueryContext(ctx, `
		SELECT g.normalized, g.asked, g.refused, g.last_at, q.question, q.article_id
		FROM (
			SELECT normalized, COUNT(*) AS asked,
				SUM(CASE WHEN refused = `+s.d.Bool(true)+` THEN 1 ELSE 0 END) AS refused,
				MAX(asked_at) AS last_at
			FROM questions WHERE asked_at >= $1 GROUP BY normalized
		) g JOIN questions q ON q.id = (
			SELECT l.id FROM questions l WHERE l.normalized = g.normalized AND l.asked_at >= $1
			ORDER BY l.asked_at DESC, l.id DESC LIMIT 1)
		ORDER BY g.asked DESC, g.last_at DESC, g.normalized
		LIMIT $2`, s.arg(since), limit)
	if err != nil {
		return nil, s.internal("list questions", err)
	}
	defer rows.Close()
	var out []ask.QuestionGroup
	for rows.Next() {
		var g ask.QuestionGroup
		var asked, refused int64
		if err := rows.Scan(&g.Normalized, &asked, &refused, s.into(&g.Last), &g.Example, &g.Article); err != nil {
			return nil, s.internal("list questions", err)
		}
		g.Asked, g.Refused = int(asked), int(refused)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, s.internal("list questions", err)
	}
	return out, nil
}
