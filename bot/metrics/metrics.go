// Package metrics is briefbot's Prometheus adapter: it counts what the
// Discord adapter, the rewriter, the digest scheduler and the store tell
// their observers, and serves it with health checks on the operator's
// address (/metrics, /livez, /readyz).
//
// The packages it hears from define their own small observer interfaces
// and know nothing of Prometheus; Metrics implements them all with plain
// values (strings from small sets, counts, durations), so it imports
// nothing of the project either, and cmd/briefbot wires it in. No label
// carries a user id or anything a person typed: a command name outside
// the set it was given, like any value past a label's bound, counts as
// "other".
package metrics

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Options configures Metrics.
type Options struct {
	// Commands are the command names interactions may carry as a label;
	// any other is counted as "other".
	Commands []string
	// Registry to register with; nil makes one, with the Go runtime's and
	// the process's collectors.
	Registry *prometheus.Registry
}

// Metrics holds every metric briefbot exports.
type Metrics struct {
	reg *prometheus.Registry

	interactions  *prometheus.CounterVec
	firstResponse *prometheus.HistogramVec
	refused       *prometheus.CounterVec

	rephrasings     *prometheus.CounterVec
	guardRefusals   *prometheus.CounterVec
	rephraseTokens  prometheus.Counter
	digests         *prometheus.CounterVec
	digestLag       prometheus.Histogram
	restRequests    *prometheus.CounterVec
	rateLimits      *prometheus.CounterVec
	gwConnected     *prometheus.GaugeVec
	gwResumes       *prometheus.CounterVec
	gwReconnects    *prometheus.CounterVec
	storeQueries    *prometheus.HistogramVec
	storeErrors     *prometheus.CounterVec
	commands, other *bounded
	routes, checks  *bounded
}

// Label values that are known ahead, so that their series exist at 0
// before anything happens.
var (
	interactionTypes = []string{"command", "component", "autocomplete", "modal_submit"}
	outcomes         = []string{"answered", "deferred", "user_error", "error", "undelivered"}
	// RephrasingOutcomes are the outcomes a rephrasing reports.
	rephrasingOutcomes = []string{"cache_hit", "model", "guard_refused", "timeout", "unavailable", "failed", "budget", "cooldown"}
	digestOutcomes     = []string{"posted", "skipped", "failed", "paused"}
	refusalReasons     = []string{"not-covered", "instruction", "empty"}
)

// latencyBuckets suit an answer to Discord: most within milliseconds,
// the deferral at 2 s, Discord's limit at 3 s.
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 2.5, 3, 5}

// New returns the metrics, registered.
func New(opt Options) *Metrics {
	reg := opt.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &Metrics{
		reg: reg,
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_interactions_total",
			Help: "Interactions answered, by type (command, component, autocomplete, modal_submit), command (for a click, the action of its custom id) and outcome (answered, deferred, user_error, error, undelivered).",
		}, []string{"type", "command", "outcome"}),
		firstResponse: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "briefbot_interaction_first_response_seconds",
			Help:    "Time from an interaction's receipt to its first response (the answer, or the deferral), by type and command.",
			Buckets: latencyBuckets,
		}, []string{"type", "command"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_answers_refused_total",
			Help: "Questions the answerer refused, by reason (not-covered: the article does not say; instruction; empty).",
		}, []string{"reason"}),
		rephrasings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_rephrasings_total",
			Help: "Rephrasings by outcome: cache_hit, model (a faithful rewrite), guard_refused, timeout, unavailable, failed, budget (used up), cooldown.",
		}, []string{"outcome"}),
		guardRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_rephrasing_guard_refusals_total",
			Help: "Problems the guard found in rewrites it refused, by check (number, date, quote, name, …).",
		}, []string{"check"}),
		rephraseTokens: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "briefbot_rephrasing_tokens_total",
			Help: "Language-model tokens spent on rephrasings.",
		}),
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_digests_total",
			Help: "Digest slots by outcome: posted, skipped (missed or superseded), failed (an attempt to be retried), paused (the subscription, for a reason Discord gave).",
		}, []string{"outcome"}),
		digestLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "briefbot_digest_lag_seconds",
			Help:    "How long after its slot each digest was posted: the scheduler's lag behind due slots.",
			Buckets: []float64{.1, .5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600},
		}),
		restRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_discord_requests_total",
			Help: "Discord REST requests by route (ids and tokens as placeholders) and status (0: no answer).",
		}, []string{"route", "status"}),
		rateLimits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_discord_rate_limits_total",
			Help: "Discord REST requests answered 429, by route and whether the limit was global.",
		}, []string{"route", "global"}),
		gwConnected: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "briefbot_gateway_connected",
			Help: "1 while the shard's gateway connection is up (READY or RESUMED, not lost since), else 0.",
		}, []string{"shard"}),
		gwResumes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_gateway_resumes_total",
			Help: "Gateway sessions resumed after a lost connection, by shard.",
		}, []string{"shard"}),
		gwReconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_gateway_reconnects_total",
			Help: "Gateway reconnections, by shard: lost connections and failed attempts to connect, each followed by another try.",
		}, []string{"shard"}),
		storeQueries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "briefbot_store_query_seconds",
			Help:    "Time of each store operation, by operation.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"op"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_store_errors_total",
			Help: "Store operations that failed, by operation.",
		}, []string{"op"}),
		commands: newBounded(opt.Commands, 0),
		other:    newBounded(nil, 32),
		routes:   newBounded(nil, 64),
		checks:   newBounded(nil, 32),
	}
	reg.MustRegister(m.interactions, m.firstResponse, m.refused, m.rephrasings, m.guardRefusals, m.rephraseTokens,
		m.digests, m.digestLag, m.restRequests, m.rateLimits, m.gwConnected, m.gwResumes, m.gwReconnects,
		m.storeQueries, m.storeErrors)
	for _, o := range rephrasingOutcomes {
		m.rephrasings.WithLabelValues(o)
	}
	for _, o := range digestOutcomes {
		m.digests.WithLabelValues(o)
	}
	for _, r := range refusalReasons {
		m.refused.WithLabelValues(r)
	}
	for _, c := range opt.Commands {
		for _, o := range outcomes {
			m.interactions.WithLabelValues("command", c, o)
		}
	}
	return m
}

// KnowCommands adds command names that interactions may carry as a
// label, and makes their series, at 0.
func (m *Metrics) KnowCommands(names ...string) {
	for _, c := range names {
		m.commands.add(c)
		for _, o := range outcomes {
			m.interactions.WithLabelValues("command", c, o)
		}
	}
}

// Registry is where the metrics are registered.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Interaction counts one interaction and the time to its first response
// (0: none went out): the Discord adapter's Observer.
func (m *Metrics) Interaction(typ, command, outcome string, firstResponse time.Duration) {
	typ = oneOf(typ, interactionTypes)
	switch {
	case command == "", m.commands.has(command):
	case typ == "component":
		command = m.other.label(command) // the action of a custom id
	default:
		command = "other"
	}
	m.interactions.WithLabelValues(typ, command, oneOf(outcome, outcomes)).Inc()
	if firstResponse > 0 {
		m.firstResponse.WithLabelValues(typ, command).Observe(firstResponse.Seconds())
	}
}

// Request counts one Discord REST request: the Discord adapter's
// Observer.
func (m *Metrics) Request(route string, status int, global bool) {
	route = m.routes.label(route)
	m.restRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	if status == 429 {
		m.rateLimits.WithLabelValues(route, strconv.FormatBool(global)).Inc()
	}
}

// Gateway follows a shard's connection: the Discord adapter's Observer.
func (m *Metrics) Gateway(shard int, event string) {
	s := strconv.Itoa(shard)
	switch event {
	case "ready":
		m.gwConnected.WithLabelValues(s).Set(1)
		m.gwResumes.WithLabelValues(s)
		m.gwReconnects.WithLabelValues(s)
	case "resumed":
		m.gwConnected.WithLabelValues(s).Set(1)
		m.gwResumes.WithLabelValues(s).Inc()
	case "disconnected":
		m.gwConnected.WithLabelValues(s).Set(0)
		m.gwReconnects.WithLabelValues(s).Inc()
	case "reconnecting":
		m.gwConnected.WithLabelValues(s).Set(0)
		m.gwReconnects.WithLabelValues(s).Inc()
	}
}

// WatchHeartbeat exports a shard's heartbeat latency, read from latency
// at each scrape.
func (m *Metrics) WatchHeartbeat(shard int, latency func() time.Duration) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "briefbot_gateway_heartbeat_latency_seconds",
		Help:        "Time from the shard's last gateway heartbeat to Discord's acknowledgement; while one is awaited, the time since it was sent.",
		ConstLabels: prometheus.Labels{"shard": strconv.Itoa(shard)},
	}, func() float64 { return latency().Seconds() }))
	m.gwConnected.WithLabelValues(strconv.Itoa(shard))
}

// AnswerRefused counts a question the answerer refused, with its reason.
func (m *Metrics) AnswerRefused(reason string) {
	m.refused.WithLabelValues(oneOf(reason, refusalReasons)).Inc()
}

// Rephrasing counts one rephrasing by outcome; a guard refusal names the
// checks that refused it: the rewriter's Observer.
func (m *Metrics) Rephrasing(outcome string, checks []string) {
	m.rephrasings.WithLabelValues(oneOf(outcome, rephrasingOutcomes)).Inc()
	for _, c := range checks {
		m.guardRefusals.WithLabelValues(m.checks.label(c)).Inc()
	}
}

// Tokens counts language-model tokens spent: the rewriter's Observer.
func (m *Metrics) Tokens(n int) {
	if n > 0 {
		m.rephraseTokens.Add(float64(n))
	}
}

// Digest counts a digest slot by outcome: the scheduler's Observer.
func (m *Metrics) Digest(outcome string) {
	m.digests.WithLabelValues(oneOf(outcome, digestOutcomes)).Inc()
}

// DigestLag records how late after its slot a digest was posted: the
// scheduler's Observer.
func (m *Metrics) DigestLag(d time.Duration) { m.digestLag.Observe(max(d, 0).Seconds()) }

// StoreQuery records one store operation.
func (m *Metrics) StoreQuery(op string, d time.Duration, err error) {
	m.storeQueries.WithLabelValues(op).Observe(d.Seconds())
	if err != nil {
		m.storeErrors.WithLabelValues(op).Inc()
	}
}

// oneOf is v if it is one of the values, else "other".
func oneOf(v string, values []string) string {
	for _, ok := range values {
		if v == ok {
			return v
		}
	}
	return "other"
}

// bounded keeps a label's values to a known set and at most n more, the
// first seen; later ones are "other".
type bounded struct {
	mu    sync.Mutex
	known map[string]bool
	n     int
}

func newBounded(known []string, n int) *bounded {
	b := &bounded{known: make(map[string]bool, len(known)+n), n: n}
	for _, k := range known {
		b.known[k] = true
	}
	b.n += len(known)
	return b
}

func (b *bounded) add(v string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.known[v] {
		b.known[v] = true
		b.n++
	}
}

func (b *bounded) has(v string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.known[v]
}

func (b *bounded) label(v string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.known[v] {
		return v
	}
	if len(b.known) < b.n {
		b.known[v] = true
		return v
	}
	return "other"
}
