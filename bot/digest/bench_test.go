package digest_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/postgres/pgtest"
	"github.com/briefbot/briefbot/bot/sqlite"
	"github.com/briefbot/briefbot/bot/storetest"
)

// BenchmarkPosting runs the scheduler on a store of 100,000 subscriptions,
// of which b.N come due at the same instant, with an instant fake Discord
// on a fake clock. An op is one digest posted. It reports the posts in the
// busiest second of the fake clock (the pace: at most 50), the simulated
// seconds the burst took, and the memory of the process at the end.
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

func benchPosting(b *testing.B, s bot.Store) {
	const background = 100_000
	start := storetest.Epoch
	due := start.Add(time.Minute)
	// The many, due later in the day; then the burst, due together.
	storetest.Populate(b, s, background, start.Add(2*time.Hour), 20*time.Hour, 8)
	storetest.Populate(b, s, b.N, due, 0, 8)

	h := newHarnessOn(b, start, s)
	h.start(digest.Options{Rate: 50, Logger: discardLogger()})
	h.settle()
	b.ResetTimer()
	h.runUntil(due.Add(time.Duration(b.N)*20*time.Millisecond + time.Minute))
	b.StopTimer()

	posted := h.discord.posted()
	if len(posted) != b.N {
		b.Fatalf("%d posted, want %d", len(posted), b.N)
	}
	perSecond := map[int64]int{}
	busiest := 0
	for _, m := range posted {
		perSecond[m.At.Unix()]++
		busiest = max(busiest, perSecond[m.At.Unix()])
	}
	b.ReportMetric(float64(busiest), "max-posts/sim-s")
	b.ReportMetric(posted[len(posted)-1].At.Sub(posted[0].At).Seconds(), "sim-s")
	storetest.ReportMemory(b)
}
