package discord_test

import (
	"slices"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

// BenchmarkInteractionLatency measures, on loopback against the fake, the
// time from the fake writing an INTERACTION_CREATE to the socket to it
// receiving the bot's callback, one interaction at a time. Run with
// -benchtime=1000x or more for stable percentiles.
func BenchmarkInteractionLatency(b *testing.B) {
	r, bb := startBot(b, nil)
	sections := bb.Library().Default().Sections
	ctx := waitCtx(b)
	var lat []time.Duration
	b.ResetTimer()
	for n := range b.N {
		i := r.fake.DispatchCommand(discordtest.Command{Name: sections[n%len(sections)].Name})
		if _, err := r.fake.WaitCallback(ctx, i.ID); err != nil {
			b.Fatal(err)
		}
		d, ok := r.fake.Latency(i.ID)
		if !ok {
			b.Fatal("no latency recorded")
		}
		lat = append(lat, d)
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
