package backoff_test

import (
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/backoff"
)

func TestDelay(t *testing.T) {
	for _, tt := range []struct {
		n          int
		base, ceil time.Duration
		want       time.Duration
	}{
		{0, time.Second, time.Minute, 0},
		{-3, time.Second, time.Minute, 0},
		{1, time.Second, time.Minute, time.Second},
		{2, time.Second, time.Minute, 2 * time.Second},
		{6, time.Second, time.Minute, 32 * time.Second},
		{7, time.Second, time.Minute, time.Minute},
		{1 << 30, time.Second, time.Minute, time.Minute}, // no overflow however many
		{3, 500 * time.Millisecond, 8 * time.Second, 2 * time.Second},
		{1, 2 * time.Minute, time.Minute, time.Minute}, // the ceiling wins over the base
		{4, 0, time.Minute, 0},
	} {
		if got := backoff.Delay(tt.n, tt.base, tt.ceil); got != tt.want {
			t.Errorf("Delay(%d, %v, %v) = %v, want %v", tt.n, tt.base, tt.ceil, got, tt.want)
		}
	}
}
