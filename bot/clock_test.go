package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
)

func TestSleep(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	clk := clocktest.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	done := make(chan error)
	go func() { done <- bot.Sleep(ctx, clk, time.Hour) }()
	if err := clk.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	if err := <-done; err != nil {
		t.Errorf("Sleep = %v, want nil", err)
	}

	cctx, ccancel := context.WithCancel(ctx)
	go func() { done <- bot.Sleep(cctx, clk, time.Hour) }()
	if err := clk.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	ccancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Sleep after cancel = %v, want context.Canceled", err)
	}
	if n := clk.Timers(); n != 0 {
		t.Errorf("Sleep left %d timers pending", n)
	}
}

func TestSystemClock(t *testing.T) {
	var c bot.Clock = bot.SystemClock{}
	before := time.Now()
	if got := c.Now(); got.Before(before) {
		t.Errorf("Now() = %v, before %v", got, before)
	}
	if err := bot.Sleep(context.Background(), c, time.Millisecond); err != nil {
		t.Errorf("Sleep = %v", err)
	}
}
