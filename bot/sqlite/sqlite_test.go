package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/briefbot/briefbot/bot/report/reporttest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
	"github.com/briefbot/briefbot/bot/sqlite"
	"github.com/briefbot/briefbot/bot/storetest"
)

func newStore(t *testing.T) storetest.Store { return openStore(t) }

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "briefbot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, newStore)
}

// The rephrasing cache and token budget of the LLM issue live in the store.
func TestRephraseCache(t *testing.T) {
	rewritetest.RunCacheTests(t, func(t *testing.T) rewrite.Cache { return newStore(t) })
}

func TestTokenBudget(t *testing.T) {
	rewritetest.RunBudgetTests(t, func(t *testing.T) rewrite.Budget { return newStore(t) })
}

// Readers' reports and the refusals of rewrites (issue 10).
func TestReports(t *testing.T) {
	reporttest.RunStoreTests(t, func(t *testing.T) reporttest.StoreAndCache { return openStore(t) })
}

func TestRejections(t *testing.T) {
	rewritetest.RunRejectionTests(t, func(t *testing.T) rewritetest.RejectionStore { return openStore(t) })
}

// Opening twice applies the migrations once.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "briefbot.db")
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := s.CreateSubscription(ctx, storetest.NewSubscription(t, "g", "c"), 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer s.Close()
	if _, err := s.Subscription(ctx, sub.ID); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}

// go test -bench . -benchtime 2s ./bot/sqlite
func BenchmarkStore100k(b *testing.B) {
	const n = 100_000
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "briefbot.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.Populate(b, s, n, storetest.Epoch, 24*time.Hour, 4)
	storetest.Bench(b, s, n)
}
