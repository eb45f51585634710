package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// StoreRephrasings keeps rephrasings in a Store, so that none is paid for
// twice, also across restarts and between replicas.
func StoreRephrasings(s Store) RephraseCache { return storeCache{s} }

type storeCache struct{ s Store }

func (c storeCache) LoadRephrasing(ctx context.Context, key string) (Rephrasing, bool, error) {
	raw, ok, err := c.s.Rephrasing(ctx, key)
	if err != nil || !ok {
		return Rephrasing{}, false, err
	}
	var r Rephrasing
	if err := json.Unmarshal(raw, &r); err != nil {
		return Rephrasing{}, false, fmt.Errorf("cached rephrasing %q: %w", key, err)
	}
	return r, true, nil
}

func (c storeCache) SaveRephrasing(ctx context.Context, key string, r Rephrasing) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return c.s.PutRephrasing(ctx, key, raw)
}

// StoreBudget counts language-model tokens in a Store, so that a guild's
// daily budget holds across restarts and replicas.
func StoreBudget(s Store) TokenBudget { return storeBudget{s} }

type storeBudget struct{ s Store }

func (b storeBudget) TokensUsed(ctx context.Context, owner, day string) (int, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, err
	}
	n, err := b.s.Tokens(ctx, owner, d)
	return int(n), err
}

func (b storeBudget) AddTokens(ctx context.Context, owner, day string, n int) error {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return err
	}
	_, err = b.s.AddTokens(ctx, owner, d, int64(n))
	return err
}
