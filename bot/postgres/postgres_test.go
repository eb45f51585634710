package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/briefbot/briefbot/bot/postgres"
	"github.com/briefbot/briefbot/bot/postgres/pgtest"
	"github.com/briefbot/briefbot/bot/report/reporttest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
	"github.com/briefbot/briefbot/bot/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return pgtest.New(t) })
}

// The rephrasing cache and token budget of the LLM issue live in the store.
func TestRephraseCache(t *testing.T) {
	rewritetest.RunCacheTests(t, func(t *testing.T) rewrite.Cache { return pgtest.New(t) })
}

func TestTokenBudget(t *testing.T) {
	rewritetest.RunBudgetTests(t, func(t *testing.T) rewrite.Budget { return pgtest.New(t) })
}

// Readers' reports and the refusals of rewrites (issue 10).
func TestReports(t *testing.T) {
	reporttest.RunStoreTests(t, func(t *testing.T) reporttest.StoreAndCache { return pgtest.New(t) })
}

func TestRejections(t *testing.T) {
	rewritetest.RunRejectionTests(t, func(t *testing.T) rewritetest.RejectionStore { return pgtest.New(t) })
}

// Processes that start together on a new database migrate it once.
func TestConcurrentOpen(t *testing.T) {
	url, schema := pgtest.URL(t), pgtest.NewSchema(t)
	const processes = 4
	var wg sync.WaitGroup
	stores := make([]*postgres.Store, processes)
	errs := make([]error, processes)
	for i := range processes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	ctx := context.Background()
	sub, err := stores[0].CreateSubscription(ctx, storetest.NewSubscription(t, "g", "c"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stores[processes-1].Subscription(ctx, sub.ID); err != nil {
		t.Errorf("another process cannot read the subscription: %v", err)
	}
}

// BRIEFBOT_TEST_POSTGRES=… go test -bench . ./bot/postgres
func BenchmarkStore100k(b *testing.B) {
	const n = 100_000
	s := pgtest.New(b)
	storetest.Populate(b, s, n, storetest.Epoch, 24*time.Hour, 16)
	storetest.Bench(b, s, n)
}
