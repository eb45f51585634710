package rewrite

// Observer is told how each rephrasing went, for metrics: bot/metrics
// implements it, and cmd/briefbot wires it in through Config.Observer.
// Its methods must be quick and safe for concurrent use.
type Observer interface {
	// Rephrasing reports one outcome (OutcomeCacheHit, …): a reader's
	// request answered from the cache or refused by a limit, or a call
	// to the model and what came of it. For OutcomeGuardRefused, checks
	// names the guard's checks that refused the rewrite.
	Rephrasing(outcome string, checks []string)
	// Tokens reports tokens spent upstream.
	Tokens(n int)
}

// The outcomes of a rephrasing.
const (
	OutcomeCacheHit     = "cache_hit"     // answered from the cache (a refusal cached counts too)
	OutcomeModel        = "model"         // the model's rewrite, faithful
	OutcomeGuardRefused = "guard_refused" // the guard refused both attempts
	OutcomeTimeout      = "timeout"       // the model took too long
	OutcomeUnavailable  = "unavailable"   // the model, or the budget's store, is not answering
	OutcomeFailed       = "failed"        // the model failed otherwise
	OutcomeBudget       = "budget"        // the day's tokens are spent
	OutcomeCooldown     = "cooldown"      // the reader asked too soon again
)

// noObserver observes nothing.
type noObserver struct{}

func (noObserver) Rephrasing(string, []string) {}
func (noObserver) Tokens(int)                  {}
