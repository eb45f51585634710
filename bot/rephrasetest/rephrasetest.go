// Package rephrasetest helps test rephrasing: in-memory implementations of
// bot.RephraseCache and bot.TokenBudget, a scripted bot.Rephraser, and the
// conformance suites every real cache and budget (the SQL stores) runs, so
// the in-memory ones and the real ones cannot drift apart.
package rephrasetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// Cache is an in-memory bot.RephraseCache that counts what it is asked.
type Cache struct {
	mu    sync.Mutex
	m     map[string]bot.Rephrasing
	loads int
	saves int
	err   error
}

var _ bot.RephraseCache = (*Cache)(nil)

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{m: make(map[string]bot.Rephrasing)} }

// LoadRephrasing implements bot.RephraseCache.
func (c *Cache) LoadRephrasing(ctx context.Context, key string) (bot.Rephrasing, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loads++
	if c.err != nil {
		return bot.Rephrasing{}, false, c.err
	}
	r, ok := c.m[key]
	return r, ok, nil
}

// SaveRephrasing implements bot.RephraseCache.
func (c *Cache) SaveRephrasing(ctx context.Context, key string, r bot.Rephrasing) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saves++
	if c.err != nil {
		return c.err
	}
	c.m[key] = r
	return nil
}

// Fail makes every later call fail with err; nil heals the cache.
func (c *Cache) Fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

// Entries returns a copy of what the cache holds.
func (c *Cache) Entries() map[string]bot.Rephrasing {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]bot.Rephrasing, len(c.m))
	for k, v := range c.m {
		out[k] = v
	}
	return out
}

// Saves is how many times SaveRephrasing was called.
func (c *Cache) Saves() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.saves
}

// Budget is an in-memory bot.TokenBudget.
type Budget struct {
	mu sync.Mutex
	m  map[string]int
}

var _ bot.TokenBudget = (*Budget)(nil)

// NewBudget returns a Budget with nothing spent.
func NewBudget() *Budget { return &Budget{m: make(map[string]int)} }

func budgetKey(owner, day string) string { return owner + "\x00" + day }

// TokensUsed implements bot.TokenBudget.
func (b *Budget) TokensUsed(ctx context.Context, owner, day string) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.m[budgetKey(owner, day)], nil
}

// AddTokens implements bot.TokenBudget.
func (b *Budget) AddTokens(ctx context.Context, owner, day string, n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[budgetKey(owner, day)] += n
	return nil
}

// Rephraser is a scripted bot.Rephraser. Each call is answered by the next
// function of Script; the last one answers every call after it. With no
// script it echoes the curated text, a rewrite the guard always accepts.
type Rephraser struct {
	Model  string // "fake-model" if empty
	Prompt string // the prompt version; "p1" if empty
	Script []func(ctx context.Context, req bot.RephraseRequest) (*bot.Rephrasing, error)

	mu   sync.Mutex
	reqs []bot.RephraseRequest
}

var _ bot.Rephraser = (*Rephraser)(nil)

func (r *Rephraser) model() string {
	if r.Model == "" {
		return "fake-model"
	}
	return r.Model
}

// Recipe implements bot.Rephraser.
func (r *Rephraser) Recipe(style bot.Style, lang bot.Language) bot.Recipe {
	p := r.Prompt
	if p == "" {
		p = "p1"
	}
	return bot.Recipe{Model: r.model(), PromptVersion: fmt.Sprintf("%s-%s-%v", style, p, !lang.IsZero())}
}

// Rephrase implements bot.Rephraser.
func (r *Rephraser) Rephrase(ctx context.Context, req bot.RephraseRequest) (*bot.Rephrasing, error) {
	r.mu.Lock()
	n := len(r.reqs)
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	if len(r.Script) == 0 {
		return r.Answer(req.Text, 10), nil
	}
	return r.Script[min(n, len(r.Script)-1)](ctx, req)
}

// Answer is a rephrasing of text by this Rephraser that spent tokens.
func (r *Rephraser) Answer(text string, tokens int) *bot.Rephrasing {
	return &bot.Rephrasing{Text: text, Model: r.model(), PromptVersion: "p", Tokens: tokens}
}

// Reply returns a script step that answers text, spending tokens.
func (r *Rephraser) Reply(text string, tokens int) func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error) {
	return func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error) {
		return r.Answer(text, tokens), nil
	}
}

// Fail returns a script step that fails with err.
func Fail(err error) func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error) {
	return func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error) { return nil, err }
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
func (g *Gate) Step(next func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error)) func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error) {
	return func(ctx context.Context, req bot.RephraseRequest) (*bot.Rephrasing, error) {
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

// Calls is how many times Rephrase was called.
func (r *Rephraser) Calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// Requests returns the requests Rephrase was called with.
func (r *Rephraser) Requests() []bot.RephraseRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.RephraseRequest(nil), r.reqs...)
}

// RunCacheTests checks that a bot.RephraseCache keeps what it is given,
// apart, whole and replaceable. newCache returns an empty cache; a real
// store should also check that entries outlive a reopen.
func RunCacheTests(t *testing.T, newCache func(t *testing.T) bot.RephraseCache) {
	ctx := context.Background()
	p := bot.Passage{ArticleID: "putin-maduro-2025", ArticleVersion: "v1", Section: "energy", Title: "Energy", Text: "Oil."}
	es, _ := bot.LanguageByCode("es")
	keyA := bot.RephraseKey(p, bot.StyleSimple, bot.Language{}, bot.Recipe{Model: "m", PromptVersion: "1"})
	keyB := bot.RephraseKey(p, bot.StyleSimple, es, bot.Recipe{Model: "m", PromptVersion: "1"})
	long := strings.Repeat("Ж", bot.MaxEmbedDescription)
	a := bot.Rephrasing{Text: "Petróleo: 70 % — «sí»\n- Русский " + long, Model: "llama3.2:3b", PromptVersion: "simple-abc", Tokens: 1234}
	rejected := bot.Rephrasing{Model: "m", PromptVersion: "simple-abc", Tokens: 99, Rejected: `the number "2" is not in the text`}

	t.Run("miss", func(t *testing.T) {
		c := newCache(t)
		if _, ok, err := c.LoadRephrasing(ctx, keyA); ok || err != nil {
			t.Errorf("LoadRephrasing on an empty cache = %v, %v", ok, err)
		}
	})
	t.Run("round trip", func(t *testing.T) {
		c := newCache(t)
		for key, want := range map[string]bot.Rephrasing{keyA: a, keyB: rejected} {
			if err := c.SaveRephrasing(ctx, key, want); err != nil {
				t.Fatal(err)
			}
		}
		for key, want := range map[string]bot.Rephrasing{keyA: a, keyB: rejected} {
			got, ok, err := c.LoadRephrasing(ctx, key)
			if err != nil || !ok || got != want {
				t.Errorf("LoadRephrasing(%s) = %+v, %v, %v; want %+v", key, got, ok, err, want)
			}
		}
	})
	t.Run("replace", func(t *testing.T) {
		c := newCache(t)
		b := a
		b.Text = "Again."
		for _, r := range []bot.Rephrasing{a, b} {
			if err := c.SaveRephrasing(ctx, keyA, r); err != nil {
				t.Fatal(err)
			}
		}
		if got, _, _ := c.LoadRephrasing(ctx, keyA); got != b {
			t.Errorf("after replacing: %+v, want %+v", got, b)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		c := newCache(t)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				key := fmt.Sprintf("%s/%d", keyA, i)
				if err := c.SaveRephrasing(ctx, key, a); err != nil {
					t.Error(err)
				}
				if _, ok, err := c.LoadRephrasing(ctx, key); !ok || err != nil {
					t.Errorf("LoadRephrasing(%s) = %v, %v", key, ok, err)
				}
			})
		}
		wg.Wait()
	})
}

// RunBudgetTests checks that a bot.TokenBudget counts per owner and day.
func RunBudgetTests(t *testing.T, newBudget func(t *testing.T) bot.TokenBudget) {
	ctx := context.Background()
	b := newBudget(t)
	steps := []struct {
		owner, day string
		add        int
	}{
		{"guild-1", "2025-05-07", 100},
		{"guild-1", "2025-05-07", 250},
		{"guild-1", "2025-05-08", 7},
		{"guild-2", "2025-05-07", 40},
		{"user:42", "2025-05-07", 1},
	}
	for _, s := range steps {
		if err := b.AddTokens(ctx, s.owner, s.day, s.add); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []struct {
		owner, day string
		used       int
	}{
		{"guild-1", "2025-05-07", 350},
		{"guild-1", "2025-05-08", 7},
		{"guild-2", "2025-05-07", 40},
		{"user:42", "2025-05-07", 1},
		{"guild-3", "2025-05-07", 0},
	} {
		if got, err := b.TokensUsed(ctx, want.owner, want.day); err != nil || got != want.used {
			t.Errorf("TokensUsed(%s, %s) = %d, %v; want %d", want.owner, want.day, got, err, want.used)
		}
	}
}
