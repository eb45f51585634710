package clocktest_test

import (
	"context"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/google/go-cmp/cmp"
)

var start = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func TestTimersFireInDeadlineOrder(t *testing.T) {
	clk := clocktest.New(start)
	var fired []string
	timers := map[string]interface{ C() <-chan time.Time }{
		"3s":   clk.NewTimer(3 * time.Second),
		"1s":   clk.NewTimer(time.Second),
		"2s-a": clk.NewTimer(2 * time.Second),
		"2s-b": clk.NewTimer(2 * time.Second),
		"5s":   clk.NewTimer(5 * time.Second),
	}
	if got := clk.Timers(); got != 5 {
		t.Fatalf("Timers() = %d, want 5", got)
	}
	clk.Advance(3 * time.Second)
	for _, name := range []string{"1s", "2s-a", "2s-b", "3s", "5s"} {
		select {
		case when := <-timers[name].C():
			fired = append(fired, name)
			if want := start.Add(clockDuration(name)); !when.Equal(want) {
				t.Errorf("timer %s fired at %v, want %v", name, when, want)
			}
		default:
		}
	}
	if diff := cmp.Diff([]string{"1s", "2s-a", "2s-b", "3s"}, fired); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	if got, want := clk.Now(), start.Add(3*time.Second); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v", got, want)
	}
	if got := clk.Timers(); got != 1 {
		t.Errorf("Timers() after advance = %d, want 1", got)
	}
}

func clockDuration(name string) time.Duration {
	d, err := time.ParseDuration(name[:2])
	if err != nil {
		panic(err)
	}
	return d
}

func TestNowReadsEachDeadlineAsItFires(t *testing.T) {
	clk := clocktest.New(start)
	tm := clk.NewTimer(time.Minute)
	done := make(chan time.Time)
	go func() {
		<-tm.C()
		done <- clk.Now()
	}()
	clk.Advance(time.Minute)
	if got := <-done; got.Before(start.Add(time.Minute)) {
		t.Errorf("Now() after firing = %v, want at least %v", got, start.Add(time.Minute))
	}
}

func TestStop(t *testing.T) {
	clk := clocktest.New(start)
	tm := clk.NewTimer(time.Second)
	if !tm.Stop() {
		t.Error("first Stop() = false, want true")
	}
	if tm.Stop() {
		t.Error("second Stop() = true, want false")
	}
	clk.Advance(time.Hour)
	select {
	case <-tm.C():
		t.Error("a stopped timer fired")
	default:
	}
	fired := clk.NewTimer(time.Second)
	clk.Advance(time.Second)
	if fired.Stop() {
		t.Error("Stop() of a fired timer = true, want false")
	}
}

func TestZeroDurationFiresAtOnce(t *testing.T) {
	clk := clocktest.New(start)
	for _, d := range []time.Duration{0, -time.Second} {
		tm := clk.NewTimer(d)
		select {
		case got := <-tm.C():
			if !got.Equal(start) {
				t.Errorf("NewTimer(%v) fired with %v, want %v", d, got, start)
			}
		default:
			t.Errorf("NewTimer(%v) did not fire at once", d)
		}
	}
	if got := clk.Timers(); got != 0 {
		t.Errorf("Timers() = %d, want 0", got)
	}
}

func TestAdvanceNeverGoesBack(t *testing.T) {
	clk := clocktest.New(start)
	clk.AdvanceTo(start.Add(-time.Hour))
	if got := clk.Now(); !got.Equal(start) {
		t.Errorf("Now() = %v, want %v", got, start)
	}
}

func TestAdvanceToNext(t *testing.T) {
	clk := clocktest.New(start)
	if clk.AdvanceToNext() {
		t.Fatal("AdvanceToNext() with no timers = true")
	}
	tm := clk.NewTimer(90 * time.Minute)
	if when, ok := clk.Next(); !ok || !when.Equal(start.Add(90*time.Minute)) {
		t.Errorf("Next() = %v, %v; want %v, true", when, ok, start.Add(90*time.Minute))
	}
	if !clk.AdvanceToNext() {
		t.Fatal("AdvanceToNext() = false")
	}
	<-tm.C()
	if got := clk.Now(); !got.Equal(start.Add(90 * time.Minute)) {
		t.Errorf("Now() = %v", got)
	}
}

// A goroutine that loops on timers: BlockUntil tells the test when it is
// waiting, so the test can step it with no sleeps.
func TestBlockUntil(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	clk := clocktest.New(start)
	ticks := make(chan time.Time, 10)
	go func() {
		for range 3 {
			tm := clk.NewTimer(time.Minute)
			ticks <- <-tm.C()
		}
	}()
	for i := range 3 {
		if err := clk.BlockUntil(ctx, 1); err != nil {
			t.Fatalf("BlockUntil: %v", err)
		}
		clk.Advance(time.Minute)
		if got, want := <-ticks, start.Add(time.Duration(i+1)*time.Minute); !got.Equal(want) {
			t.Errorf("tick %d at %v, want %v", i, got, want)
		}
	}
}

func TestBlockUntilHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := clocktest.New(start).BlockUntil(ctx, 1); err != context.Canceled {
		t.Errorf("BlockUntil = %v, want context.Canceled", err)
	}
}
