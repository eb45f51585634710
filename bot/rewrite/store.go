package rewrite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/briefbot/briefbot/bot/guard"
)

// Cache keeps answers across requests, restarts and replicas, so that none
// is paid for twice. The SQL stores implement it; keys come from Key, and
// values are what SaveAnswer writes.
type Cache interface {
	// Rephrasing returns the value cached under key and whether there was
	// one.
	Rephrasing(ctx context.Context, key string) (value []byte, ok bool, err error)
	// PutRephrasing caches value under key, replacing any value there.
	PutRephrasing(ctx context.Context, key string, value []byte) error
}

// Budget counts the language-model tokens spent per owner (a guild, or
// "user:<id>" outside guilds) per UTC day, across restarts and replicas.
// The SQL stores implement it.
type Budget interface {
	// AddTokens adds n to the tokens owner used on the UTC day of day
	// and returns the new total, atomically.
	AddTokens(ctx context.Context, owner string, day time.Time, n int64) (int64, error)
	// Tokens returns the tokens owner used on the UTC day of day.
	Tokens(ctx context.Context, owner string, day time.Time) (int64, error)
}

// UTCDay returns the UTC calendar day of t, as a Budget keys token usage:
// "2006-01-02".
func UTCDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// LoadAnswer returns the answer cached under key; ok is false if there is
// none.
func LoadAnswer(ctx context.Context, c Cache, key string) (a Answer, ok bool, err error) {
	raw, ok, err := c.Rephrasing(ctx, key)
	if err != nil || !ok {
		return Answer{}, false, err
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return Answer{}, false, fmt.Errorf("cached rephrasing %q: %w", key, err)
	}
	return a, true, nil
}

// SaveAnswer caches a under key, replacing what was there.
func SaveAnswer(ctx context.Context, c Cache, key string, a Answer) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return c.PutRephrasing(ctx, key, raw)
}

// Rejections records every refusal of a rewrite, by the guard or the
// verifier, so that an operator can see when a model or a prompt goes bad
// (briefbot rejections). The SQL stores implement it.
type Rejections interface {
	RecordRejection(ctx context.Context, r Rejection) error
}

// Rejection is one refused attempt at a rewrite: what was asked, of which
// model, and each check that refused it with the span it found.
type Rejection struct {
	At             time.Time
	ArticleID      string
	ArticleVersion string
	Section        string
	Style          string
	Language       string
	Model          string
	PromptVersion  string
	Attempt        int             // 1, or 2 for the strict retry
	Problems       []guard.Problem // Check and Found are kept; at least one
}

// CheckTally is how often one check refused rewrites over some days.
type CheckTally struct {
	Check    string
	Refusals int       // refused attempts in which the check found a problem
	Last     time.Time // the latest of them
}

// RejectionSummary tallies the refusals recorded since a time, by check:
// what briefbot rejections shows. The SQL stores implement it.
type RejectionSummary interface {
	// RejectionTallies returns how many refused attempts there were since
	// since, and for each check how many of them it refused, the most
	// first.
	RejectionTallies(ctx context.Context, since time.Time) (total int, tallies []CheckTally, err error)
}
