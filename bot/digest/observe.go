package digest

import "time"

// Observer is told what the Scheduler does with each slot, for metrics:
// bot/metrics implements it, and cmd/briefbot wires it in through
// Options.Observer. Its methods must be quick and safe for concurrent
// use.
type Observer interface {
	// Digest reports what became of a slot: DigestPosted, DigestSkipped,
	// DigestFailed (an attempt, to be retried) or DigestPaused.
	Digest(outcome string)
	// DigestLag reports how long after its slot a digest was posted.
	DigestLag(d time.Duration)
}

// The outcomes of a digest slot.
const (
	DigestPosted  = "posted"
	DigestSkipped = "skipped" // missed while down, superseded by a later slot, or too old to send again
	DigestFailed  = "failed"  // an attempt that failed and is retried
	DigestPaused  = "paused"  // Discord will never take it: the subscription is paused
)

type noObserver struct{}

func (noObserver) Digest(string)           {}
func (noObserver) DigestLag(time.Duration) {}
