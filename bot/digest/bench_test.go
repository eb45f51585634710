package digest_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/postgres/pgtest"
	"github.com/briefbot/briefbot/bot/sqlite"
	"github.com/briefbot/briefbot/bot/storetest"
)

// BenchmarkPosting runs the scheduler on a store of 100,000 subscriptions,
// of which b.N come due at the same instant, with an instant fake Discord
// on a fake clock. An op is one digest posted. It reports the memory of the
// process at the end. A benchmark cannot run in a synctest bubble, and
// its clocktest.Clock is stepped without knowing whether a worker is
// between two calls, so the times of the posts are not exact here: the
// pace is checked by TestPacing, in a bubble, under load.
//
//	go test -run '^$' -bench Posting -benchtime 5000x ./bot/digest
func BenchmarkPosting(b *testing.B) {
	b.Run("SQLite", func(b *testing.B) {
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "briefbot.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		benchPosting(b, s)
	})
	b.Run("PostgreSQL", func(b *testing.B) {
		benchPosting(b, pgtest.New(b))
	})
}

func benchPosting(b *testing.B, s storetest.Store) {
	const background = 100_000
	start := storetest.Epoch
	due := start.Add(time.Minute)
	// The many, due later in the day; then the burst, due together.
	storetest.Populate(b, s, background, start.Add(2*time.Hour), 20*time.Hour, 8)
	storetest.Populate(b, s, b.N, due, 0, 8)

	h := newHarnessWith(b, clocktest.New(start), s)
	h.discord.posted = make(chan struct{}, b.N)
	h.start(digest.Options{Rate: 50, Logger: discardLogger()})
	b.ResetTimer()
	h.runUntil(due.Add(time.Duration(b.N)*20*time.Millisecond + time.Minute))
	for range b.N {
		<-h.discord.posted
	}
	b.StopTimer()

	posted := h.discord.posts()
	if len(posted) != b.N {
		b.Fatalf("%d posted, want %d", len(posted), b.N)
	}
	storetest.ReportMemory(b)
}
