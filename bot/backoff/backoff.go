// Package backoff says how long to wait before trying again something that
// failed: a wait that doubles with each attempt, up to a ceiling. The
// gateway's reconnects, the language model's retries and the digest
// scheduler's retries all wait by it. It is a pure leaf.
package backoff

import "time"

// Delay is the wait before retry n (1 for the first): base, doubled for
// each retry after the first, and never more than ceiling. A retry number
// below 1 waits nothing.
func Delay(n int, base, ceiling time.Duration) time.Duration {
	if n < 1 || base <= 0 {
		return 0
	}
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}
