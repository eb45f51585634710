// Package rewritetest helps test rewriting: in-memory implementations of
// rewrite.Cache and rewrite.Budget, a scripted rewrite.Model, and the
// conformance suites every real cache and budget (the SQL stores) runs, so
// the in-memory ones and the real ones cannot drift apart.
package rewritetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/guard"
	"github.com/briefbot/briefbot/bot/rewrite"
)

// Cache is an in-memory rewrite.Cache that counts what it is asked.
type Cache struct {
	mu    sync.Mutex
	m     map[string][]byte
	loads int
	saves int
	err   error
}

var _ rewrite.Cache = (*Cache)(nil)

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{m: make(map[string][]byte)} }

// Rephrasing implements rewrite.Cache.
func (c *Cache) Rephrasing(ctx context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loads++
	if c.err != nil {
		return nil, false, c.err
	}
	v, ok := c.m[key]
	return bytes.Clone(v), ok, nil
}

// PutRephrasing implements rewrite.Cache.
func (c *Cache) PutRephrasing(ctx context.Context, key string, value []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saves++
	if c.err != nil {
		return c.err
	}
	c.m[key] = bytes.Clone(value)
	return nil
}

// Delete drops what the cache holds under key, as a store does when a
// rephrasing is purged.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

// Fail makes every later call fail with err; nil heals the cache.
func (c *Cache) Fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

// Entries returns the answers the cache holds, read as the Rewriter
// reads them.
func (c *Cache) Entries() map[string]rewrite.Answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]rewrite.Answer, len(c.m))
	for k, v := range c.m {
		var a rewrite.Answer
		if err := json.Unmarshal(v, &a); err != nil {
			panic(fmt.Sprintf("rewritetest: the cache holds %q under %q, not an answer: %v", v, k, err))
		}
		out[k] = a
	}
	return out
}

// Saves is how many times PutRephrasing was called.
func (c *Cache) Saves() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.saves
}

// Budget is an in-memory rewrite.Budget.
type Budget struct {
	mu sync.Mutex
	m  map[string]int64
}

var _ rewrite.Budget = (*Budget)(nil)

// NewBudget returns a Budget with nothing spent.
func NewBudget() *Budget { return &Budget{m: make(map[string]int64)} }

func budgetKey(owner string, day time.Time) string { return owner + "\x00" + rewrite.UTCDay(day) }

// Tokens implements rewrite.Budget.
func (b *Budget) Tokens(ctx context.Context, owner string, day time.Time) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.m[budgetKey(owner, day)], nil
}

// AddTokens implements rewrite.Budget.
func (b *Budget) AddTokens(ctx context.Context, owner string, day time.Time, n int64) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[budgetKey(owner, day)] += n
	return b.m[budgetKey(owner, day)], nil
}

// Model is a scripted rewrite.Model. Each call is answered by the next
// function of Script; the last one answers every call after it. With no
// script it echoes the curated text, which the guard accepts as a rewrite
// in the curated text's language (not as a translation into another).
type Model struct {
	Model  string // "fake-model" if empty
	Prompt string // the prompt version; "p1" if empty
	Script []func(ctx context.Context, req rewrite.ModelRequest) (*rewrite.Answer, error)

	mu   sync.Mutex
	reqs []rewrite.ModelRequest
}

var _ rewrite.Model = (*Model)(nil)

func (r *Model) model() string {
	if r.Model == "" {
		return "fake-model"
	}
	return r.Model
}

// Recipe implements rewrite.Model.
func (r *Model) Recipe(style bot.Style, lang bot.Language) rewrite.Recipe {
	p := r.Prompt
	if p == "" {
		p = "p1"
	}
	return rewrite.Recipe{Model: r.model(), PromptVersion: fmt.Sprintf("%s-%s-%v", style, p, !lang.IsZero())}
}

// Rewrite implements rewrite.Model.
func (r *Model) Rewrite(ctx context.Context, req rewrite.ModelRequest) (*rewrite.Answer, error) {
	r.mu.Lock()
	n := len(r.reqs)
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	if len(r.Script) == 0 {
		return r.Answer(req.Text, 10), nil
	}
	return r.Script[min(n, len(r.Script)-1)](ctx, req)
}

// Answer is a rewrite of text by this Model that spent tokens.
func (r *Model) Answer(text string, tokens int) *rewrite.Answer {
	return &rewrite.Answer{Text: text, Model: r.model(), PromptVersion: "p", Tokens: tokens}
}

// Reply returns a script step that answers text, spending tokens.
func (r *Model) Reply(text string, tokens int) func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error) {
	return func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error) {
		return r.Answer(text, tokens), nil
	}
}

// Fail returns a script step that fails with err.
func Fail(err error) func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error) {
	return func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error) { return nil, err }
}

// AnswerModel is a scripted rewrite.AnswerModel. Each call takes the next
// step of Script (the last one again once they run out); with no script it
// answers with every statement verbatim, each cited: "<statement> [n]".
type AnswerModel struct {
	Model  string // "fake-model" if empty
	Prompt string // the prompt version; "a1" if empty
	Script []func(ctx context.Context, req rewrite.AnswerModelRequest) (*rewrite.Answer, error)

	mu   sync.Mutex
	reqs []rewrite.AnswerModelRequest
}

var _ rewrite.AnswerModel = (*AnswerModel)(nil)

// AnswerRecipe implements rewrite.AnswerModel.
func (m *AnswerModel) AnswerRecipe(lang bot.Language) rewrite.Recipe {
	p := m.Prompt
	if p == "" {
		p = "a1"
	}
	model := m.Model
	if model == "" {
		model = "fake-model"
	}
	return rewrite.Recipe{Model: model, PromptVersion: p}
}

// Compose implements rewrite.AnswerModel.
func (m *AnswerModel) Compose(ctx context.Context, req rewrite.AnswerModelRequest) (*rewrite.Answer, error) {
	m.mu.Lock()
	n := len(m.reqs)
	m.reqs = append(m.reqs, req)
	m.mu.Unlock()
	if len(m.Script) == 0 {
		var parts []string
		for i, s := range req.Statements {
			parts = append(parts, fmt.Sprintf("%s [%d]", s, i+1))
		}
		return m.Answer(strings.Join(parts, " "), 10), nil
	}
	return m.Script[min(n, len(m.Script)-1)](ctx, req)
}

// Answer is an answer by this model that spent tokens.
func (m *AnswerModel) Answer(text string, tokens int) *rewrite.Answer {
	return &rewrite.Answer{Text: text, Model: m.AnswerRecipe(bot.Language{}).Model, PromptVersion: "a", Tokens: tokens}
}

// Reply returns a script step that answers text, spending tokens.
func (m *AnswerModel) Reply(text string, tokens int) func(context.Context, rewrite.AnswerModelRequest) (*rewrite.Answer, error) {
	return func(context.Context, rewrite.AnswerModelRequest) (*rewrite.Answer, error) {
		return m.Answer(text, tokens), nil
	}
}

// Calls returns how many answers were asked for.
func (m *AnswerModel) Calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.reqs)
}

// Requests returns what was asked, in order.
func (m *AnswerModel) Requests() []rewrite.AnswerModelRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]rewrite.AnswerModelRequest(nil), m.reqs...)
}

// Gate holds calls until it is opened, and tells when the first arrives,
// so a test can act while a call is in flight without sleeping.
type Gate struct {
	arrived chan struct{}
	open    chan struct{}
	once    sync.Once
}

// NewGate returns a closed Gate.
func NewGate() *Gate { return &Gate{arrived: make(chan struct{}), open: make(chan struct{})} }

// Step returns a script step that waits for the gate to open (or ctx to
// end, returning its error), then acts as next.
func (g *Gate) Step(next func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error)) func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error) {
	return func(ctx context.Context, req rewrite.ModelRequest) (*rewrite.Answer, error) {
		g.once.Do(func() { close(g.arrived) })
		select {
		case <-g.open:
			return next(ctx, req)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Arrived is closed when the first call reaches the gate.
func (g *Gate) Arrived() <-chan struct{} { return g.arrived }

// Open lets every call through, now and later.
func (g *Gate) Open() { close(g.open) }

// Calls is how many times Rewrite was called.
func (r *Model) Calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// Requests returns the requests Rewrite was called with.
func (r *Model) Requests() []rewrite.ModelRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]rewrite.ModelRequest(nil), r.reqs...)
}

// RunCacheTests checks that a rewrite.Cache keeps the answers it is given,
// apart, whole and replaceable. newCache returns an empty cache; a real
// store should also check that entries outlive a reopen.
func RunCacheTests(t *testing.T, newCache func(t *testing.T) rewrite.Cache) {
	ctx := context.Background()
	p := bot.Passage{ArticleID: "putin-maduro-2025", ArticleVersion: "v1", Section: "energy", Title: "Energy", Text: "Oil."}
	es, _ := bot.LanguageByCode("es")
	keyA := rewrite.Key(p, bot.StyleSimple, bot.Language{}, rewrite.Recipe{Model: "m", PromptVersion: "1"})
	keyB := rewrite.Key(p, bot.StyleSimple, es, rewrite.Recipe{Model: "m", PromptVersion: "1"})
	long := strings.Repeat("Ж", bot.MaxEmbedDescription)
	a := rewrite.Answer{Text: "Petróleo: 70 % — «sí»\n- Русский " + long, Model: "llama3.2:3b", PromptVersion: "simple-abc", Tokens: 1234}
	rejected := rewrite.Answer{Model: "m", PromptVersion: "simple-abc", Tokens: 99, Rejected: `the number "2" is not in the text`}

	t.Run("miss", func(t *testing.T) {
		c := newCache(t)
		if _, ok, err := rewrite.LoadAnswer(ctx, c, keyA); ok || err != nil {
			t.Errorf("LoadAnswer on an empty cache = %v, %v", ok, err)
		}
	})
	t.Run("round trip", func(t *testing.T) {
		c := newCache(t)
		for key, want := range map[string]rewrite.Answer{keyA: a, keyB: rejected} {
			if err := rewrite.SaveAnswer(ctx, c, key, want); err != nil {
				t.Fatal(err)
			}
		}
		for key, want := range map[string]rewrite.Answer{keyA: a, keyB: rejected} {
			got, ok, err := rewrite.LoadAnswer(ctx, c, key)
			if err != nil || !ok || got != want {
				t.Errorf("LoadAnswer(%s) = %+v, %v, %v; want %+v", key, got, ok, err, want)
			}
		}
	})
	t.Run("replace", func(t *testing.T) {
		c := newCache(t)
		b := a
		b.Text = "Again."
		for _, r := range []rewrite.Answer{a, b} {
			if err := rewrite.SaveAnswer(ctx, c, keyA, r); err != nil {
				t.Fatal(err)
			}
		}
		if got, _, _ := rewrite.LoadAnswer(ctx, c, keyA); got != b {
			t.Errorf("after replacing: %+v, want %+v", got, b)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		c := newCache(t)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				key := fmt.Sprintf("%s/%d", keyA, i)
				if err := rewrite.SaveAnswer(ctx, c, key, a); err != nil {
					t.Error(err)
				}
				if _, ok, err := rewrite.LoadAnswer(ctx, c, key); !ok || err != nil {
					t.Errorf("LoadAnswer(%s) = %v, %v", key, ok, err)
				}
			})
		}
		wg.Wait()
	})
}

// RunBudgetTests checks that a rewrite.Budget counts per owner and UTC day.
func RunBudgetTests(t *testing.T, newBudget func(t *testing.T) rewrite.Budget) {
	ctx := context.Background()
	b := newBudget(t)
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	steps := []struct {
		owner, day string
		add        int64
		total      int64
	}{
		{"guild-1", "2025-05-07", 100, 100},
		{"guild-1", "2025-05-07", 250, 350},
		{"guild-1", "2025-05-08", 7, 7},
		{"guild-2", "2025-05-07", 40, 40},
		{"user:42", "2025-05-07", 1, 1},
	}
	for _, s := range steps {
		total, err := b.AddTokens(ctx, s.owner, day(s.day), s.add)
		if err != nil {
			t.Fatal(err)
		}
		if total != s.total {
			t.Errorf("AddTokens(%s, %s, %d) = %d, want %d", s.owner, s.day, s.add, total, s.total)
		}
	}
	for _, want := range []struct {
		owner, day string
		used       int64
	}{
		{"guild-1", "2025-05-07", 350},
		{"guild-1", "2025-05-08", 7},
		{"guild-2", "2025-05-07", 40},
		{"user:42", "2025-05-07", 1},
		{"guild-3", "2025-05-07", 0},
	} {
		if got, err := b.Tokens(ctx, want.owner, day(want.day)); err != nil || got != want.used {
			t.Errorf("Tokens(%s, %s) = %d, %v; want %d", want.owner, want.day, got, err, want.used)
		}
	}
	// A day is a UTC day, whatever the zone of the time given.
	late := time.Date(2025, 5, 7, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)) // 8 May in UTC
	if got, err := b.Tokens(ctx, "guild-1", late); err != nil || got != 7 {
		t.Errorf("Tokens(guild-1, %v) = %d, %v; want 8 May's 7", late, got, err)
	}
}

// Verifier is a scripted rewrite.Verifier. Each call is answered by the
// next function of Script; the last one answers every call after it. With
// no script it finds every rewrite supported.
type Verifier struct {
	Model  string // "fake-verifier" if empty
	Script []func(ctx context.Context, req rewrite.VerifyRequest) (*rewrite.Verdict, error)

	mu   sync.Mutex
	reqs []rewrite.VerifyRequest
}

var _ rewrite.Verifier = (*Verifier)(nil)

// Verify implements rewrite.Verifier.
func (v *Verifier) Verify(ctx context.Context, req rewrite.VerifyRequest) (*rewrite.Verdict, error) {
	v.mu.Lock()
	n := len(v.reqs)
	v.reqs = append(v.reqs, req)
	v.mu.Unlock()
	if len(v.Script) == 0 {
		return v.Verdict(5), nil
	}
	return v.Script[min(n, len(v.Script)-1)](ctx, req)
}

// Verdict is this Verifier's verdict listing unsupported statements,
// spending tokens.
func (v *Verifier) Verdict(tokens int, unsupported ...string) *rewrite.Verdict {
	m := v.Model
	if m == "" {
		m = "fake-verifier"
	}
	return &rewrite.Verdict{Unsupported: unsupported, Model: m, Tokens: tokens}
}

// Flags returns a script step that lists unsupported as unsupported.
func (v *Verifier) Flags(tokens int, unsupported ...string) func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error) {
	return func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error) {
		return v.Verdict(tokens, unsupported...), nil
	}
}

// Hangs is a script step that waits for its context to end.
func Hangs(ctx context.Context, _ rewrite.VerifyRequest) (*rewrite.Verdict, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// Calls is how many verifications were asked for.
func (v *Verifier) Calls() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.reqs)
}

// Requests returns the verifications asked for, in order.
func (v *Verifier) Requests() []rewrite.VerifyRequest {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]rewrite.VerifyRequest(nil), v.reqs...)
}

// Rejections is an in-memory rewrite.Rejections.
type Rejections struct {
	mu   sync.Mutex
	list []rewrite.Rejection
}

var _ rewrite.Rejections = (*Rejections)(nil)

// RecordRejection implements rewrite.Rejections.
func (r *Rejections) RecordRejection(ctx context.Context, rej rewrite.Rejection) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rej)
	return nil
}

// All returns the rejections recorded, in order.
func (r *Rejections) All() []rewrite.Rejection {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]rewrite.Rejection(nil), r.list...)
}

// RejectionTallies implements rewrite.RejectionSummary.
func (r *Rejections) RejectionTallies(ctx context.Context, since time.Time) (int, []rewrite.CheckTally, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	total := 0
	byCheck := map[string]*rewrite.CheckTally{}
	for _, rej := range r.list {
		if rej.At.Before(since) {
			continue
		}
		total++
		seen := map[string]bool{}
		for _, p := range rej.Problems {
			c := string(p.Check)
			if seen[c] {
				continue
			}
			seen[c] = true
			t := byCheck[c]
			if t == nil {
				t = &rewrite.CheckTally{Check: c}
				byCheck[c] = t
			}
			t.Refusals++
			if rej.At.After(t.Last) {
				t.Last = rej.At
			}
		}
	}
	out := []rewrite.CheckTally{}
	for _, t := range byCheck {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Refusals != out[j].Refusals {
			return out[i].Refusals > out[j].Refusals
		}
		return out[i].Check < out[j].Check
	})
	return total, out, nil
}

// RejectionStore records refusals and tallies them.
type RejectionStore interface {
	rewrite.Rejections
	rewrite.RejectionSummary
}

// RunRejectionTests is the conformance suite of rewrite.Rejections and
// rewrite.RejectionSummary. newStore returns a new, empty store.
func RunRejectionTests(t *testing.T, newStore func(t *testing.T) RejectionStore) {
	ctx := context.Background()
	s := newStore(t)
	day := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	rej := func(at time.Time, attempt int, checks ...string) rewrite.Rejection {
		r := rewrite.Rejection{At: at, ArticleID: "a", ArticleVersion: "v1", Section: "energy", Style: "simple", Language: "es",
			Model: "m", PromptVersion: "p", Attempt: attempt}
		for _, c := range checks {
			r.Problems = append(r.Problems, guard.Problem{Check: guard.CheckName(c), Found: "span of " + c, Reason: "why"})
		}
		return r
	}
	for _, r := range []rewrite.Rejection{
		rej(day.Add(-10*24*time.Hour), 1, "number"),         // too old
		rej(day.Add(-2*time.Hour), 1, "number", "coverage"), // two checks, one refusal
		rej(day.Add(-time.Hour), 2, "number", "number"),     // one check twice: counted once
		rej(day, 1, "verifier"),
	} {
		if err := s.RecordRejection(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	total, got, err := s.RejectionTallies(ctx, day.Add(-7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []rewrite.CheckTally{
		{Check: "number", Refusals: 2, Last: day.Add(-time.Hour)},
		{Check: "coverage", Refusals: 1, Last: day.Add(-2 * time.Hour)},
		{Check: "verifier", Refusals: 1, Last: day},
	}
	if total != 3 {
		t.Errorf("%d refusals since a week, want 3", total)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RejectionTallies (-want +got):\n%s", diff)
	}
	if total, got, err := s.RejectionTallies(ctx, day.Add(time.Minute)); err != nil || total != 0 || len(got) != 0 {
		t.Errorf("since after the last: %d, %+v, %v", total, got, err)
	}
}
