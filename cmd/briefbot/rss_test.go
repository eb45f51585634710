package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

// BenchmarkIdleRSS builds briefbot, runs it against the fake Discord until it
// is connected and idle, and reports its resident memory as the kernel
// counts it. Linux only.
func BenchmarkIdleRSS(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	bin := filepath.Join(b.TempDir(), "briefbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	fake := discordtest.New(b)
	var peak float64
	for range b.N {
		cmd := exec.Command(bin, "run")
		cmd.Env = append(os.Environ(), "DISCORD_TOKEN="+fake.Token(), "BRIEFBOT_DISCORD_URL="+fake.URL(), "BRIEFBOT_LOG_LEVEL=warn",
			"BRIEFBOT_DB="+filepath.Join(b.TempDir(), "briefbot.db"))
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
