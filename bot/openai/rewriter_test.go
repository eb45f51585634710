package openai_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/openai"
	"github.com/briefbot/briefbot/bot/openai/openaitest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
)

var slow = flag.Bool("slow", false, "wait out the 10-second upstream in TestAcknowledgeSlowUpstream")

// stack is the whole rephrasing path as cmd/briefbot will wire it, over
// the fake server: Rewriter → openai.Model → HTTP.
type stack struct {
	server *openaitest.Server
	time   *fakeTime
	cache  *rewritetest.Cache
	budget *rewritetest.Budget
	w      *rewrite.Rewriter
}

func newStack(t *testing.T, configure func(*rewrite.Config), script ...openaitest.Reply) *stack {
	t.Helper()
	st := &stack{
		server: openaitest.NewServer(t, script...),
		time:   newFakeTime(),
		cache:  rewritetest.NewCache(),
		budget: rewritetest.NewBudget(),
	}
	st.w = st.rewriter(t, configure)
	return st
}

// rewriter returns a new Rewriter and Model over the stack's server
// and cache, as after a restart.
func (st *stack) rewriter(t *testing.T, configure func(*rewrite.Config)) *rewrite.Rewriter {
	t.Helper()
	cfg := rewrite.Config{
		Model:  newModel(t, st.server, st.time, nil),
		Cache:  st.cache,
		Budget: st.budget,
		Clock:  st.time,
	}
	if configure != nil {
		configure(&cfg)
	}
	w, err := rewrite.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func rewriteReq(style bot.Style, lang string) bot.RewriteRequest {
	r := energy(style, lang)
	return bot.RewriteRequest{Passage: r.Passage, Style: r.Style, Language: r.Language, GuildID: "guild-1", UserID: "user-1"}
}

const (
	noteUnavailable = "Rephrasing is unavailable right now (the language model is not answering); here is the curated text."
	noteTimeout     = "The rephrasing took too long; here is the curated text."
	noteGuard       = "The rephrased text did not keep to the facts of the curated text, so here is the curated text."
	noteBudget      = "Rephrasing is unavailable right now (the daily budget for this server is used up); here is the curated text."
)

func TestRewriterOverHTTP(t *testing.T) {
	invented := "Venezuela now makes under 1.5 million barrels a day."
	tests := []struct {
		name      string
		script    []openaitest.Reply
		configure func(*rewrite.Config)
		req       bot.RewriteRequest
		text      string // "" for the curated text
		note      string
		calls     int
	}{
		{name: "success", script: []openaitest.Reply{openaitest.Text(goodSimple)},
			req: rewriteReq(bot.StyleSimple, ""), text: goodSimple, calls: 1},
		{name: "429 then success", script: []openaitest.Reply{{Status: 429, RetryAfter: "1"}, openaitest.Text(goodSimple)},
			req: rewriteReq(bot.StyleSimple, ""), text: goodSimple, calls: 2},
		{name: "500", script: []openaitest.Reply{openaitest.Status(500)},
			req: rewriteReq(bot.StyleSimple, ""), note: noteUnavailable, calls: 3},
		{name: "timeout", script: []openaitest.Reply{{Hang: true}},
			configure: func(c *rewrite.Config) { c.Timeout = 50 * time.Millisecond },
			req:       rewriteReq(bot.StyleSimple, ""), note: noteTimeout, calls: 1},
		{name: "malformed JSON", script: []openaitest.Reply{{Malformed: true}},
			req: rewriteReq(bot.StyleSimple, ""), note: noteUnavailable, calls: 1},
		{name: "invented number, strict retry, fallback", script: []openaitest.Reply{openaitest.Text(invented)},
			req: rewriteReq(bot.StyleSimple, ""), note: noteGuard, calls: 2},
		{name: "invented number, strict retry, faithful", script: []openaitest.Reply{openaitest.Text(invented), openaitest.Text(goodSimple)},
			req: rewriteReq(bot.StyleSimple, ""), text: goodSimple, calls: 2},
		{name: "@everyone is never sent", script: []openaitest.Reply{openaitest.Text("@everyone " + goodSimple)},
			req: rewriteReq(bot.StyleSimple, ""), note: noteGuard, calls: 2},
		{name: "too long", script: []openaitest.Reply{openaitest.Text(strings.Repeat(goodSimple+" ", 40))},
			req: rewriteReq(bot.StyleSimple, ""), note: noteGuard, calls: 2},
		{name: "translation", script: []openaitest.Reply{openaitest.Text(goodSpanish)},
			req: rewriteReq(bot.StyleCurated, "es"), text: goodSpanish, calls: 1},
		{name: "budget exhausted", script: []openaitest.Reply{openaitest.Text(goodSimple)},
			configure: func(c *rewrite.Config) {
				c.DailyTokens = 100
				c.Budget.AddTokens(context.Background(), "guild-1", time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC), 100)
			},
			req: rewriteReq(bot.StyleSimple, ""), note: noteBudget, calls: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStack(t, tt.configure, tt.script...)
			got := st.w.Rewrite(context.Background(), tt.req)
			want := bot.Rewrite{Text: tt.text, Note: tt.note}
			if tt.text == "" {
				want.Text = tt.req.Text
			} else {
				want.Model = "fake-model"
			}
			if got != want {
				t.Errorf("Rephrase = %+v\nwant %+v", got, want)
			}
			if strings.Contains(got.Text, "@everyone") {
				t.Error("a mention reached the reader")
			}
			if n := st.server.Calls(); n != tt.calls {
				t.Errorf("upstream calls = %d, want %d", n, tt.calls)
			}
			if tt.calls == 2 && tt.note == noteGuard {
				if sys := st.server.Last().System(); !strings.Contains(sys, "previous answer was rejected") {
					t.Errorf("the retry was not strict:\n%s", sys)
				}
			}
		})
	}
}

func TestRewriterOverHTTPTranslationPrompt(t *testing.T) {
	st := newStack(t, nil, openaitest.Text(goodSpanish))
	st.w.Rewrite(context.Background(), rewriteReq(bot.StyleBullets, "ru"))
	sys := st.server.Last().System()
	for _, want := range []string{"Style: bullet points", "write your answer in Russian (Русский)"} {
		if !strings.Contains(sys, want) {
			t.Errorf("system message lacks %q:\n%s", want, sys)
		}
	}
}

func TestRewriterOverHTTPCache(t *testing.T) {
	ctx := context.Background()
	st := newStack(t, nil, openaitest.Text(goodSimple))
	req := rewriteReq(bot.StyleSimple, "")
	first := st.w.Rewrite(ctx, req)
	if first.Provenance() != "rephrased by fake-model from the curated text" {
		t.Fatalf("first = %+v", first)
	}
	if got, final := st.w.Immediate(ctx, req); !final || got != first {
		t.Errorf("Immediate after = %+v, %v", got, final)
	}
	st.w.Wait()
	restarted := st.rewriter(t, nil)
	if got, final := restarted.Immediate(ctx, req); !final || got != first {
		t.Errorf("Immediate after a restart = %+v, %v", got, final)
	}
	if got := restarted.Rewrite(ctx, req); got != first {
		t.Errorf("Rephrase after a restart = %+v", got)
	}
	if n := st.server.Calls(); n != 1 {
		t.Errorf("upstream calls = %d, want 1", n)
	}
}

func TestRewriterOverHTTPCooldown(t *testing.T) {
	ctx := context.Background()
	st := newStack(t, func(c *rewrite.Config) { c.Cooldown = 20 * time.Second }, openaitest.Text(goodSimple))
	st.w.Rewrite(ctx, rewriteReq(bot.StyleSimple, ""))
	got := st.w.Rewrite(ctx, rewriteReq(bot.StyleFormal, ""))
	if got.Rewritten() || !strings.Contains(got.Note, "in 20 s") {
		t.Errorf("second request in the cooldown = %+v", got)
	}
	if n := st.server.Calls(); n != 1 {
		t.Errorf("upstream calls = %d, want 1", n)
	}
}

// TestUpstreamPerThousand measures upstream requests for 1,000 concurrent,
// then 1,000 repeated, then 1,000 after a restart requests for the same
// section and style, over HTTP. The goal is 1 in all.
func TestUpstreamPerThousand(t *testing.T) {
	ctx := context.Background()
	arrived, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	st := newStack(t, nil, openaitest.Reply{Func: func(openaitest.Request) openaitest.Reply {
		once.Do(func() { close(arrived) })
		return openaitest.Reply{Text: goodSimple, Hang: true, Release: release}
	}})
	var wg sync.WaitGroup
	results := make([]bot.Rewrite, 1000)
	for i := range results {
		req := rewriteReq(bot.StyleSimple, "")
		req.UserID = fmt.Sprint("user-", i)
		wg.Go(func() { results[i] = st.w.Rewrite(ctx, req) })
	}
	<-arrived
	close(release)
	wg.Wait()
	for i, r := range results {
		if r.Text != goodSimple {
			t.Fatalf("request %d = %+v", i, r)
		}
	}
	concurrent := st.server.Calls()
	for range 1000 {
		st.w.Rewrite(ctx, rewriteReq(bot.StyleSimple, ""))
	}
	repeated := st.server.Calls() - concurrent
	st.w.Wait()
	restarted := st.rewriter(t, nil)
	for range 1000 {
		restarted.Rewrite(ctx, rewriteReq(bot.StyleSimple, ""))
	}
	afterRestart := st.server.Calls() - concurrent - repeated
	t.Logf("upstream requests over HTTP: %d per 1,000 concurrent, %d per 1,000 repeated, %d per 1,000 after a restart",
		concurrent, repeated, afterRestart)
	if concurrent != 1 || repeated != 0 || afterRestart != 0 {
		t.Errorf("upstream requests = %d, %d, %d; want 1, 0, 0", concurrent, repeated, afterRestart)
	}
}

// TestAcknowledgeSlowUpstream measures what a transport does for a slash
// command with style=simple while the model takes 10 seconds: the time to
// the first acknowledgement (Immediate), for 100 different sections. With
// -slow it also waits for the edit.
func TestAcknowledgeSlowUpstream(t *testing.T) {
	release := make(chan struct{})
	st := newStack(t, func(c *rewrite.Config) { c.Timeout = 20 * time.Second },
		openaitest.Reply{Text: goodSimple, Delay: 10 * time.Second, Release: release})
	ctx := context.Background()
	var acks []time.Duration
	edits := make(chan bot.Rewrite, 100)
	start := time.Now()
	for i := range 100 {
		req := rewriteReq(bot.StyleSimple, "")
		req.ArticleVersion = fmt.Sprint("v", i) // a cache miss every time
		req.UserID = fmt.Sprint("user-", i)
		t0 := time.Now()
		now, final := st.w.Immediate(ctx, req)
		acks = append(acks, time.Since(t0))
		if final || !now.Pending || now.Text != req.Text {
			t.Fatalf("Immediate = %+v, %v", now, final)
		}
		go func() { edits <- st.w.Rewrite(ctx, req) }()
	}
	slices.Sort(acks)
	t.Logf("first acknowledgement with a 10 s upstream: median %v, max %v over %d requests", acks[len(acks)/2], acks[len(acks)-1], len(acks))
	if acks[len(acks)-1] > 100*time.Millisecond {
		t.Errorf("slowest acknowledgement took %v, want < 100 ms", acks[len(acks)-1])
	}
	if !*slow {
		close(release)
	}
	for range 100 {
		if got := <-edits; got.Text != goodSimple {
			t.Errorf("edit = %+v", got)
		}
	}
	t.Logf("all 100 edits ready after %v", time.Since(start).Round(time.Millisecond))
}

func BenchmarkImmediateOverHTTP(b *testing.B) {
	s := openaitest.NewServer(b, openaitest.Text(goodSimple))
	r, err := openai.New(openai.Config{BaseURL: s.BaseURL(), Model: "fake-model"})
	if err != nil {
		b.Fatal(err)
	}
	w, err := rewrite.New(rewrite.Config{Model: r, Cache: rewritetest.NewCache()})
	if err != nil {
		b.Fatal(err)
	}
	req := rewriteReq(bot.StyleSimple, "")
	b.Run("miss", func(b *testing.B) {
		for b.Loop() {
			w.Immediate(context.Background(), req)
		}
	})
	w.Rewrite(context.Background(), req)
	b.Run("hit", func(b *testing.B) {
		for b.Loop() {
			w.Immediate(context.Background(), req)
		}
	})
}
