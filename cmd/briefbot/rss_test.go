package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
	"github.com/briefbot/briefbot/bot/postgres/pgtest"
	"github.com/briefbot/briefbot/bot/sqlite"
	"github.com/briefbot/briefbot/bot/storetest"
)

// BenchmarkIdleRSS builds briefbot, runs it against the fake Discord until it
// is connected and idle, and reports its resident memory as the kernel
// counts it: with an empty database, and with 100,000 digest subscriptions
// in SQLite (and in PostgreSQL when BRIEFBOT_TEST_POSTGRES is set), due
// later in the day. Linux only.
func BenchmarkIdleRSS(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	bin := filepath.Join(b.TempDir(), "briefbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	b.Run("empty", func(b *testing.B) {
		idleRSS(b, bin, filepath.Join(b.TempDir(), "briefbot.db"))
	})
	const n = 100_000
	b.Run("SQLite-100k", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "briefbot.db")
		s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		storetest.Populate(b, s, n, time.Now().Add(2*time.Hour), 20*time.Hour, 4)
		s.Close()
		idleRSS(b, bin, path)
	})
	b.Run("PostgreSQL-100k", func(b *testing.B) {
		schema := pgtest.NewSchema(b)
		storetest.Populate(b, pgtest.Open(b, schema), n, time.Now().Add(2*time.Hour), 20*time.Hour, 16)
		u, err := url.Parse(pgtest.URL(b))
		if err != nil {
			b.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		idleRSS(b, bin, u.String())
	})
}

func idleRSS(b *testing.B, bin, db string) {
	fake := discordtest.New(b)
	b.ResetTimer()
	var peak float64
	for range b.N {
		cmd := exec.Command(bin, "run")
		cmd.Env = append(os.Environ(), "DISCORD_TOKEN="+fake.Token(), "BRIEFBOT_DISCORD_URL="+fake.URL(), "BRIEFBOT_LOG_LEVEL=warn", "BRIEFBOT_DB="+db)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		mark := fake.Mark()
		if _, err := fake.WaitFrame(ctx, discordtest.After(mark, discordtest.SentDispatch("READY"))); err != nil {
			b.Fatalf("%v\n%s", err, stderr.String())
		}
		cancel()
		time.Sleep(2 * time.Second) // let start-up garbage be collected: idle means idle
		if rss := rssMB(b, cmd.Process.Pid); rss > peak {
			peak = rss
		}
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	b.ReportMetric(peak, "RSS-MB")
}

func rssMB(b *testing.B, pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
