package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/rephrasetest"
)

// The notes a reader sees beside the curated text.
const (
	noteOff         = "Rephrasing is not set up on this bot; here is the curated text."
	noteTimeout     = "The rephrasing took too long; here is the curated text."
	noteUnavailable = "Rephrasing is unavailable right now (the language model is not answering); here is the curated text."
	noteFailed      = "Rephrasing failed; here is the curated text."
	noteGuard       = "The rephrased text did not keep to the facts of the curated text, so here is the curated text."
	noteBudgetGuild = "Rephrasing is unavailable right now (the daily budget for this server is used up); here is the curated text."
	noteBudgetDM    = "Rephrasing is unavailable right now (your daily budget is used up); here is the curated text."
)

// Rewrites of the energy section, good and bad.
const (
	goodSimple     = "Russia will help Venezuela with oil. Venezuela now makes under 1 million barrels a day. Its oil output has not grown since 2019."
	inventedSimple = "Russia will help Venezuela with oil. Venezuela now makes under 1.5 million barrels a day."
	pingSimple     = "@everyone Russia will help Venezuela with oil."
	goodSpanish    = "Rusia ayudará a Venezuela con el petróleo. La producción cayó a menos de 1 millón de barriles diarios; está estancada desde 2019."
)

func testPassage(section, version string) bot.Passage {
	src := energySection
	if section == "economy" {
		src = economySection
	}
	title, text, _ := strings.Cut(src, "\n\n")
	return bot.Passage{ArticleID: "putin-maduro-2025", ArticleVersion: version, Section: section, Title: title, Text: text}
}

func rewriteReq(style bot.Style, lang string) bot.RewriteRequest {
	l, _ := bot.LanguageByCode(lang)
	return bot.RewriteRequest{Passage: testPassage("energy", "v1"), Style: style, Language: l, GuildID: "guild-1", UserID: "user-1"}
}

type rewriteRig struct {
	w      *bot.Rewriter
	llm    *rephrasetest.Rephraser
	cache  *rephrasetest.Cache
	budget *rephrasetest.Budget
	clock  *clocktest.Clock
	logs   *bytes.Buffer
}

func newRewriteRig(t *testing.T, configure func(*bot.RewriterConfig), script ...func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error)) *rewriteRig {
	t.Helper()
	r := &rewriteRig{
		llm:    &rephrasetest.Rephraser{Script: script},
		cache:  rephrasetest.NewCache(),
		budget: rephrasetest.NewBudget(),
		clock:  clocktest.New(time.Date(2025, 5, 7, 12, 0, 0, 0, time.UTC)),
		logs:   new(bytes.Buffer),
	}
	cfg := bot.RewriterConfig{
		Rephraser: r.llm,
		Cache:     r.cache,
		Budget:    r.budget,
		Logger:    slog.New(slog.NewTextHandler(lockedWriter{w: r.logs}, nil)),
		Now:       r.clock.Now,
	}
	if configure != nil {
		configure(&cfg)
	}
	var err error
	if r.w, err = bot.NewRewriter(cfg); err != nil {
		t.Fatal(err)
	}
	return r
}

// reopen returns a new Rewriter over the same cache and rephraser, as
// after a restart.
func (r *rewriteRig) reopen(t *testing.T) *bot.Rewriter {
	w, err := bot.NewRewriter(bot.RewriterConfig{Rephraser: r.llm, Cache: r.cache, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// lockedWriter lets flights log while a test runs.
type lockedWriter struct{ w *bytes.Buffer }

var lockedWriterMu sync.Mutex

func (s lockedWriter) Write(p []byte) (int, error) {
	lockedWriterMu.Lock()
	defer lockedWriterMu.Unlock()
	return s.w.Write(p)
}

func TestRewriterRephrase(t *testing.T) {
	llm := &rephrasetest.Rephraser{}
	long := strings.Repeat("Russia helps Venezuela with oil. ", 200)
	curated := rewriteReq(bot.StyleSimple, "").Text
	tests := []struct {
		name   string
		req    bot.RewriteRequest
		script []func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error)
		want   bot.Rewrite
		calls  int
	}{
		{name: "success", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply(goodSimple, 120)),
			want:   bot.Rewrite{Text: goodSimple, Model: "fake-model"}, calls: 1},
		{name: "surrounding space trimmed", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply("\n  "+goodSimple+"\n", 120)),
			want:   bot.Rewrite{Text: goodSimple, Model: "fake-model"}, calls: 1},
		{name: "translation", req: rewriteReq(bot.StyleCurated, "es"),
			script: rephraseScript(llm.Reply(goodSpanish, 150)),
			want:   bot.Rewrite{Text: goodSpanish, Model: "fake-model"}, calls: 1},
		{name: "invented number then faithful", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply(inventedSimple, 100), llm.Reply(goodSimple, 100)),
			want:   bot.Rewrite{Text: goodSimple, Model: "fake-model"}, calls: 2},
		{name: "invented number twice", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply(inventedSimple, 100)),
			want:   bot.Rewrite{Text: curated, Note: noteGuard}, calls: 2},
		{name: "everyone is never sent", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply(pingSimple, 100)),
			want:   bot.Rewrite{Text: curated, Note: noteGuard}, calls: 2},
		{name: "too long", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply(long, 2000)),
			want:   bot.Rewrite{Text: curated, Note: noteGuard}, calls: 2},
		{name: "cut off then complete", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error) {
				r := llm.Answer("Russia will help", 50)
				r.Truncated = true
				return r, nil
			}, llm.Reply(goodSimple, 100)),
			want: bot.Rewrite{Text: goodSimple, Model: "fake-model"}, calls: 2},
		{name: "empty", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply("  ", 10)),
			want:   bot.Rewrite{Text: curated, Note: noteGuard}, calls: 2},
		{name: "unavailable", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(rephrasetest.Fail(bot.Errorf(bot.Unavailable, "The language model is busy."))),
			want:   bot.Rewrite{Text: curated, Note: noteUnavailable}, calls: 1},
		{name: "misconfigured", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(rephrasetest.Fail(errors.New("401 bad key"))),
			want:   bot.Rewrite{Text: curated, Note: noteFailed}, calls: 1},
		{name: "nothing to do", req: rewriteReq(bot.StyleCurated, ""),
			want: bot.Rewrite{Text: curated}, calls: 0},
		{name: "curated language is nothing to do", req: rewriteReq(bot.StyleCurated, "en"),
			want: bot.Rewrite{Text: curated}, calls: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRewriteRig(t, nil, tt.script...)
			got := r.w.Rephrase(context.Background(), tt.req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Rephrase (-want +got):\n%s", diff)
			}
			if n := r.llm.Calls(); n != tt.calls {
				t.Errorf("upstream calls = %d, want %d", n, tt.calls)
			}
			if strings.Contains(got.Text, "@everyone") {
				t.Errorf("a mention reached the reader: %q", got.Text)
			}
			// Whatever happened, the next identical rewriteReq costs nothing
			// more unless the model was unreachable.
			r.w.Rephrase(context.Background(), tt.req)
			again := tt.calls
			if tt.want.Note == noteUnavailable || tt.want.Note == noteFailed {
				again++
			}
			if n := r.llm.Calls(); n != again {
				t.Errorf("after asking again: upstream calls = %d, want %d", n, again)
			}
		})
	}
}

func rephraseScript(s ...func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error)) []func(context.Context, bot.RephraseRequest) (*bot.Rephrasing, error) {
	return s
}

// The retry asks strictly and says why the first answer was refused.
func TestRewriterStrictRetry(t *testing.T) {
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, nil, llm.Reply(inventedSimple, 100), llm.Reply(goodSimple, 100))
	r.w.Rephrase(context.Background(), rewriteReq(bot.StyleSimple, ""))
	reqs := r.llm.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	if reqs[0].Strict || len(reqs[0].Problems) > 0 {
		t.Errorf("first rewriteReq is strict: %+v", reqs[0])
	}
	want := []string{`the number "1.5 million" is not in the text`}
	if !reqs[1].Strict || !cmp.Equal(reqs[1].Problems, want) {
		t.Errorf("retry: strict %v, guardProblems %q; want strict, %q", reqs[1].Strict, reqs[1].Problems, want)
	}
	if reqs[1].Text != reqs[0].Text || reqs[1].Style != bot.StyleSimple {
		t.Errorf("retry changed the request: %+v", reqs[1])
	}
}

func TestRewriterLogsRejections(t *testing.T) {
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, nil, llm.Reply(inventedSimple, 100), llm.Reply(pingSimple, 100))
	r.w.Rephrase(context.Background(), rewriteReq(bot.StyleSimple, ""))
	r.w.Wait()
	logs := r.logs.String()
	for _, want := range []string{
		`msg="rephrasing rejected" article=putin-maduro-2025 section=energy style=simple lang="" attempt=1`,
		`the number \"1.5 million\" is not in the text`,
		`attempt=2`,
		`the answer mentions @everyone`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestRewriterCache(t *testing.T) {
	ctx := context.Background()
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, nil, llm.Reply(goodSimple, 100))
	req := rewriteReq(bot.StyleSimple, "")
	first := r.w.Rephrase(ctx, req)
	if !first.Rephrased() {
		t.Fatalf("first = %+v", first)
	}
	for i := range 3 {
		if got := r.w.Rephrase(ctx, req); got != first {
			t.Errorf("repeat %d = %+v, want %+v", i, got, first)
		}
		if got, final := r.w.Immediate(ctx, req); !final || got != first {
			t.Errorf("Immediate = %+v, %v; want %+v, final", got, final, first)
		}
	}
	r.w.Wait()
	restarted := r.reopen(t)
	if got, final := restarted.Immediate(ctx, req); !final || got != first {
		t.Errorf("after a restart, Immediate = %+v, %v", got, final)
	}
	if got := restarted.Rephrase(ctx, req); got != first {
		t.Errorf("after a restart, Rephrase = %+v", got)
	}
	if n := r.llm.Calls(); n != 1 {
		t.Errorf("upstream calls = %d, want 1", n)
	}

	// A new article version, prompt or model asks afresh; so does another
	// style or language.
	changes := []struct {
		name   string
		change func(*bot.RewriteRequest)
	}{
		{"article edited", func(q *bot.RewriteRequest) { q.ArticleVersion = "v2" }},
		{"text edited without a new version", func(q *bot.RewriteRequest) { q.Text += " More." }},
		{"prompt edited", func(*bot.RewriteRequest) { r.llm.Prompt = "p2" }},
		{"model changed", func(*bot.RewriteRequest) { r.llm.Model = "other-model" }},
		{"another style", func(q *bot.RewriteRequest) { q.Style = bot.StyleBrief }},
		{"another language", func(q *bot.RewriteRequest) { q.Language, _ = bot.LanguageByCode("ru") }},
	}
	calls := 1
	for _, c := range changes {
		q := req
		c.change(&q)
		if _, final := r.w.Immediate(ctx, q); final {
			t.Errorf("%s: Immediate guardFinding a cached answer", c.name)
		}
		r.w.Rephrase(ctx, q)
		calls++
		if n := r.llm.Calls(); n != calls {
			t.Errorf("%s: upstream calls = %d, want %d", c.name, n, calls)
		}
	}
}

// A refusal is remembered too: the model is not paid twice to fail.
func TestRewriterCachesRejections(t *testing.T) {
	ctx := context.Background()
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, nil, llm.Reply(inventedSimple, 100))
	req := rewriteReq(bot.StyleSimple, "")
	r.w.Rephrase(ctx, req)
	r.w.Wait()
	got, final := r.reopen(t).Immediate(ctx, req)
	want := bot.Rewrite{Text: req.Text, Note: noteGuard}
	if !final || got != want {
		t.Errorf("Immediate after a refusal = %+v, %v; want %+v", got, final, want)
	}
	entries := r.cache.Entries()
	if len(entries) != 1 {
		t.Fatalf("cache holds %d entries", len(entries))
	}
	for _, e := range entries {
		if e.Text != "" || !strings.Contains(e.Rejected, "1.5 million") || e.Tokens != 200 {
			t.Errorf("cached refusal = %+v", e)
		}
	}
	if n := r.llm.Calls(); n != 2 {
		t.Errorf("upstream calls = %d, want 2", n)
	}
}

func TestRewriterImmediate(t *testing.T) {
	ctx := context.Background()
	gate := rephrasetest.NewGate()
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, func(c *bot.RewriterConfig) { c.Cooldown = time.Minute }, gate.Step(llm.Reply(goodSimple, 100)))
	req := rewriteReq(bot.StyleSimple, "es")
	got, final := r.w.Immediate(ctx, req)
	want := bot.Rewrite{Text: req.Text, Note: "⏳ Rephrasing (simple, in Spanish)…", Pending: true}
	if final || got != want {
		t.Errorf("Immediate = %+v, %v; want %+v, not final", got, final, want)
	}
	if n := r.llm.Calls(); n != 0 {
		t.Errorf("Immediate called upstream %d times", n)
	}

	done := make(chan bot.Rewrite)
	go func() { done <- r.w.Rephrase(ctx, req) }()
	<-gate.Arrived()
	// While the flight is up, the reader who started it is cooling down,
	// but a rewriteReq for the same rephrasing still joins it.
	if got, final := r.w.Immediate(ctx, req); final || !got.Pending {
		t.Errorf("Immediate during the flight = %+v, %v", got, final)
	}
	gate.Open()
	if got := <-done; got.Text != goodSimple {
		t.Errorf("Rephrase = %+v", got)
	}
}

func TestRewriterOff(t *testing.T) {
	w, err := bot.NewRewriter(bot.RewriterConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Enabled() {
		t.Error("Enabled without a rephraser")
	}
	req := rewriteReq(bot.StyleSimple, "ru")
	want := bot.Rewrite{Text: req.Text, Note: noteOff}
	if got, final := w.Immediate(context.Background(), req); !final || got != want {
		t.Errorf("Immediate = %+v, %v; want %+v", got, final, want)
	}
	if got := w.Rephrase(context.Background(), req); got != want {
		t.Errorf("Rephrase = %+v; want %+v", got, want)
	}
	plain := rewriteReq(bot.StyleCurated, "")
	if got := w.Rephrase(context.Background(), plain); got != (bot.Rewrite{Text: plain.Text}) {
		t.Errorf("Rephrase without a style = %+v", got)
	}

	if _, err := bot.NewRewriter(bot.RewriterConfig{Rephraser: &rephrasetest.Rephraser{}}); err == nil {
		t.Error("NewRewriter with a rephraser and no cache: nil error")
	}
}

func TestRewriterTimeout(t *testing.T) {
	ctx := context.Background()
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, func(c *bot.RewriterConfig) { c.Timeout = 20 * time.Millisecond },
		rephrasetest.NewGate().Step(nil), llm.Reply(goodSimple, 1))
	req := rewriteReq(bot.StyleSimple, "")
	want := bot.Rewrite{Text: req.Text, Note: noteTimeout}
	if got := r.w.Rephrase(ctx, req); got != want {
		t.Errorf("Rephrase = %+v; want %+v", got, want)
	}
	// A timeout is not remembered: the next reader tries again.
	if got := r.w.Rephrase(ctx, req); got.Text != goodSimple {
		t.Errorf("Rephrase after a timeout = %+v", got)
	}
	r.w.Wait()
	if !strings.Contains(r.logs.String(), "rephrasing timed out") {
		t.Errorf("timeout not logged:\n%s", r.logs)
	}
}

// A reader who stops waiting gets the curated text; the flight goes on and
// fills the cache for the next one.
func TestRewriterReaderGone(t *testing.T) {
	gate := rephrasetest.NewGate()
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, nil, gate.Step(llm.Reply(goodSimple, 1)))
	req := rewriteReq(bot.StyleSimple, "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bot.Rewrite)
	go func() { done <- r.w.Rephrase(ctx, req) }()
	<-gate.Arrived()
	cancel()
	if got := <-done; got != (bot.Rewrite{Text: req.Text, Note: noteTimeout}) {
		t.Errorf("Rephrase after the reader left = %+v", got)
	}
	gate.Open()
	// The next reader joins the flight or finds its answer in the cache.
	if got := r.w.Rephrase(context.Background(), req); got.Text != goodSimple {
		t.Errorf("Rephrase afterwards = %+v", got)
	}
	if got, final := r.w.Immediate(context.Background(), req); !final || got.Text != goodSimple {
		t.Errorf("Immediate afterwards = %+v, %v", got, final)
	}
	if n := r.llm.Calls(); n != 1 {
		t.Errorf("upstream calls = %d, want 1", n)
	}
}

func TestRewriterBudget(t *testing.T) {
	ctx := context.Background()
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, func(c *bot.RewriterConfig) { c.DailyTokens = 1000 }, llm.Reply(goodSimple, 600))
	day := "2025-05-07"
	req := rewriteReq(bot.StyleSimple, "")

	// Spending is counted per guild and day.
	r.w.Rephrase(ctx, req)
	r.w.Wait()
	if used, _ := r.budget.TokensUsed(ctx, "guild-1", day); used != 600 {
		t.Errorf("guild-1 used %d tokens, want 600", used)
	}
	r.w.Rephrase(ctx, bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleBrief, GuildID: "guild-1", UserID: "user-2"})
	r.w.Wait()
	if used, _ := r.budget.TokensUsed(ctx, "guild-1", day); used != 1200 {
		t.Errorf("guild-1 used %d tokens, want 1200", used)
	}

	// Over budget: the curated text with a note, at once and later.
	over := bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleFormal, GuildID: "guild-1", UserID: "user-3"}
	want := bot.Rewrite{Text: req.Text, Note: noteBudgetGuild}
	if got, final := r.w.Immediate(ctx, over); !final || got != want {
		t.Errorf("Immediate over budget = %+v, %v; want %+v", got, final, want)
	}
	if got := r.w.Rephrase(ctx, over); got != want {
		t.Errorf("Rephrase over budget = %+v; want %+v", got, want)
	}
	// What is cached, and the curated text, are never limited.
	if got := r.w.Rephrase(ctx, req); got.Text != goodSimple {
		t.Errorf("cached answer over budget = %+v", got)
	}
	if got := r.w.Rephrase(ctx, bot.RewriteRequest{Passage: req.Passage, GuildID: "guild-1"}); got != (bot.Rewrite{Text: req.Text}) {
		t.Errorf("curated answer over budget = %+v", got)
	}
	// Other guilds have their own budget; direct messages are counted per user.
	if got := r.w.Rephrase(ctx, bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleFormal, GuildID: "guild-2", UserID: "user-3"}); !got.Rephrased() {
		t.Errorf("another guild = %+v", got)
	}
	if err := r.budget.AddTokens(ctx, "user:user-4", day, 5000); err != nil {
		t.Fatal(err)
	}
	dm := bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleBullets, UserID: "user-4"}
	if got := r.w.Rephrase(ctx, dm); got != (bot.Rewrite{Text: req.Text, Note: noteBudgetDM}) {
		t.Errorf("DM over budget = %+v", got)
	}
	// A new UTC day, a new budget. (The formal rephrasing is cached by
	// now, guild-2 having paid for it: the cache is shared.)
	calls := r.llm.Calls()
	r.clock.Advance(12 * time.Hour)
	over.Style = bot.StyleBullets
	if got := r.w.Rephrase(ctx, over); !got.Rephrased() {
		t.Errorf("next day = %+v", got)
	}
	if n := r.llm.Calls(); n != calls+1 {
		t.Errorf("upstream calls = %d, want %d", n, calls+1)
	}
}

func TestRewriterCooldown(t *testing.T) {
	ctx := context.Background()
	r := newRewriteRig(t, func(c *bot.RewriterConfig) { c.Cooldown = 30 * time.Second })
	energy := rewriteReq(bot.StyleSimple, "")
	economy := energy
	economy.Passage = testPassage("economy", "v1")
	cooling := func(secs string) bot.Rewrite {
		return bot.Rewrite{Text: economy.Text, Note: "You can ask for another rephrasing in " + secs + " s; here is the curated text."}
	}
	if got := r.w.Rephrase(ctx, energy); !got.Rephrased() {
		t.Fatalf("first = %+v", got)
	}
	if got, final := r.w.Immediate(ctx, economy); !final || got != cooling("30") {
		t.Errorf("Immediate right after = %+v, %v", got, final)
	}
	r.clock.Advance(10 * time.Second)
	if got := r.w.Rephrase(ctx, economy); got != cooling("20") {
		t.Errorf("10 s later = %+v", got)
	}
	// Cached answers and other readers are not held back.
	if got := r.w.Rephrase(ctx, energy); !got.Rephrased() {
		t.Errorf("cached answer while cooling down = %+v", got)
	}
	other := economy
	other.UserID = "user-2"
	if got := r.w.Rephrase(ctx, other); !got.Rephrased() {
		t.Errorf("another reader = %+v", got)
	}
	r.clock.Advance(20 * time.Second)
	economy.Style = bot.StyleBrief
	if got := r.w.Rephrase(ctx, economy); !got.Rephrased() {
		t.Errorf("after the cooldown = %+v", got)
	}
}

// A cache that fails costs a call, not an answer.
func TestRewriterCacheDown(t *testing.T) {
	r := newRewriteRig(t, nil)
	r.cache.Fail(errors.New("disk full"))
	if got := r.w.Rephrase(context.Background(), rewriteReq(bot.StyleSimple, "")); !got.Rephrased() {
		t.Errorf("Rephrase with the cache down = %+v", got)
	}
	r.w.Wait()
	if !strings.Contains(r.logs.String(), "disk full") {
		t.Errorf("cache failure not logged:\n%s", r.logs)
	}
}

// TestRewriterUpstreamPerThousand measures how many upstream requests
// 1,000 concurrent and then 1,000 repeated requests for the same section
// and style cost, and 1,000 more after a restart. The goal is 1.
func TestRewriterUpstreamPerThousand(t *testing.T) {
	ctx := context.Background()
	gate := rephrasetest.NewGate()
	llm := &rephrasetest.Rephraser{}
	r := newRewriteRig(t, func(c *bot.RewriterConfig) { c.Cooldown = time.Hour; c.DailyTokens = 1 << 20 },
		gate.Step(llm.Reply(goodSimple, 100)))
	var wg sync.WaitGroup
	results := make([]bot.Rewrite, 1000)
	for i := range results {
		req := rewriteReq(bot.StyleSimple, "")
		req.UserID = "user-" + string(rune('a'+i%26))
		wg.Go(func() { results[i] = r.w.Rephrase(ctx, req) })
	}
	<-gate.Arrived()
	gate.Open()
	wg.Wait()
	for i, got := range results {
		if got.Text != goodSimple {
			t.Fatalf("request %d = %+v", i, got)
		}
	}
	concurrent := r.llm.Calls()
	for range 1000 {
		if got := r.w.Rephrase(ctx, rewriteReq(bot.StyleSimple, "")); got.Text != goodSimple {
			t.Fatalf("repeat = %+v", got)
		}
	}
	repeated := r.llm.Calls() - concurrent
	r.w.Wait()
	restarted := r.reopen(t)
	for range 1000 {
		restarted.Rephrase(ctx, rewriteReq(bot.StyleSimple, ""))
	}
	afterRestart := r.llm.Calls() - concurrent - repeated
	t.Logf("upstream requests: %d per 1,000 concurrent, %d per 1,000 repeated after that, %d per 1,000 after a restart",
		concurrent, repeated, afterRestart)
	if concurrent != 1 || repeated != 0 || afterRestart != 0 {
		t.Errorf("upstream requests = %d, %d, %d; want 1, 0, 0", concurrent, repeated, afterRestart)
	}
}

func TestRephraseKey(t *testing.T) {
	p := testPassage("energy", "v1")
	es, _ := bot.LanguageByCode("es")
	recipe := bot.Recipe{Model: "llama3.2:3b", PromptVersion: "simple-abc"}
	key := bot.RephraseKey(p, bot.StyleSimple, es, recipe)
	if !strings.HasPrefix(key, "rephrase/v1/putin-maduro-2025/v1/energy/") || !strings.HasSuffix(key, "/simple/es/llama3.2:3b/simple-abc") {
		t.Errorf("key = %q", key)
	}
	if again := bot.RephraseKey(p, bot.StyleSimple, es, recipe); again != key {
		t.Errorf("key is not stable: %q, %q", key, again)
	}
	others := []string{
		bot.RephraseKey(testPassage("economy", "v1"), bot.StyleSimple, es, recipe),
		bot.RephraseKey(testPassage("energy", "v2"), bot.StyleSimple, es, recipe),
		bot.RephraseKey(p, bot.StyleBrief, es, recipe),
		bot.RephraseKey(p, bot.StyleSimple, bot.Language{}, recipe),
		bot.RephraseKey(p, bot.StyleSimple, es, bot.Recipe{Model: "gpt-4o-mini", PromptVersion: "simple-abc"}),
		bot.RephraseKey(p, bot.StyleSimple, es, bot.Recipe{Model: "llama3.2:3b", PromptVersion: "simple-abd"}),
		bot.RephraseKey(bot.Passage{ArticleID: "a/b", ArticleVersion: "c"}, bot.StyleSimple, es, recipe),
		bot.RephraseKey(bot.Passage{ArticleID: "a", ArticleVersion: "b/c"}, bot.StyleSimple, es, recipe),
	}
	seen := map[string]bool{key: true}
	for _, k := range others {
		if seen[k] {
			t.Errorf("key %q collides", k)
		}
		seen[k] = true
	}
}

func TestParseStyle(t *testing.T) {
	for in, want := range map[string]bot.Style{
		"": bot.StyleCurated, "simple": bot.StyleSimple, "Simply": bot.StyleSimple, "simpler": bot.StyleSimple,
		"bullets": bot.StyleBullets, "bullet  points": bot.StyleBullets, "short": bot.StyleBrief, "brief": bot.StyleBrief,
		"shorter": bot.StyleBrief, "formal": bot.StyleFormal, "TL;DR": bot.StyleBrief,
	} {
		if got, err := bot.ParseStyle(in); got != want || err != nil {
			t.Errorf("ParseStyle(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := bot.ParseStyle("poetic")
	if bot.KindOf(err) != bot.Invalid || !strings.Contains(bot.UserMessage(err), "brief, bullets, simple or formal") {
		t.Errorf("ParseStyle(poetic) = %v", err)
	}
}

func TestSplitRephrasing(t *testing.T) {
	tests := []struct {
		in    string
		rest  string
		style bot.Style
		lang  string
	}{
		{"energy simply", "energy", bot.StyleSimple, ""},
		{"summary in Spanish", "", bot.StyleBrief, "es"},
		{"security as bullet points in ru", "security", bot.StyleBullets, "ru"},
		{"energía en español", "energía", "", "es"},
		{"economy, shorter, по-русски", "economy,", bot.StyleBrief, "ru"},
		{"context in plain english", "context", bot.StyleSimple, ""},
		{"formal russian reactions", "reactions", bot.StyleFormal, "ru"},
		{"what's in it for venezuela", "what's in it for venezuela", "", ""},
		{"tell me about energy", "tell me about energy", "", ""},
		{"energy in pt", "energy", "", "pt"},
		{"skeptic more simply in traditional chinese", "skeptic", bot.StyleSimple, "zh-TW"},
	}
	for _, tt := range tests {
		rest, style, lang := bot.SplitRephrasing(tt.in)
		if rest != tt.rest || style != tt.style || lang.Code != tt.lang {
			t.Errorf("SplitRephrasing(%q) = %q, %q, %q; want %q, %q, %q", tt.in, rest, style, lang.Code, tt.rest, tt.style, tt.lang)
		}
	}
}

func TestProvenance(t *testing.T) {
	if got := (bot.Rewrite{Text: "x", Model: "llama3.2:3b"}).Provenance(); got != "rephrased by llama3.2:3b from the curated text" {
		t.Errorf("Provenance = %q", got)
	}
	if got := (bot.Rewrite{Text: "x"}).Provenance(); got != "" {
		t.Errorf("curated Provenance = %q", got)
	}
}

func BenchmarkImmediateMiss(b *testing.B) {
	llm := &rephrasetest.Rephraser{Script: rephraseScript(rephrasetest.NewGate().Step(nil))}
	w, err := bot.NewRewriter(bot.RewriterConfig{Rephraser: llm, Cache: rephrasetest.NewCache()})
	if err != nil {
		b.Fatal(err)
	}
	req := rewriteReq(bot.StyleSimple, "es")
	for b.Loop() {
		if _, final := w.Immediate(context.Background(), req); final {
			b.Fatal("final")
		}
	}
}

func BenchmarkCheckRephrasing(b *testing.B) {
	for b.Loop() {
		_ = bot.CheckRephrasing(agreementSection, "Putin y Maduro firmaron el acuerdo el 7 de mayo de 2025 en el Kremlin. Más de 300 acuerdos; hoja de ruta hasta 2030. Peskov: «documento marco de peso».", bot.GuardOptions{Translated: true})
	}
}

func TestPendingNote(t *testing.T) {
	w, err := bot.NewRewriter(bot.RewriterConfig{Rephraser: &rephrasetest.Rephraser{}, Cache: rephrasetest.NewCache()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		style bot.Style
		lang  string
		want  string
	}{
		{bot.StyleBullets, "", "⏳ Rephrasing (bullet points)…"},
		{bot.StyleCurated, "ru", "⏳ Translating into Russian…"},
		{bot.StyleSimple, "es", "⏳ Rephrasing (simple, in Spanish)…"},
	} {
		if got, _ := w.Immediate(context.Background(), rewriteReq(tt.style, tt.lang)); got.Note != tt.want {
			t.Errorf("%s/%s: note %q, want %q", tt.style, tt.lang, got.Note, tt.want)
		}
	}
}

// slowCache holds every save until released.
type slowCache struct {
	*rephrasetest.Cache
	release chan struct{}
}

func (c slowCache) SaveRephrasing(ctx context.Context, key string, r bot.Rephrasing) error {
	select {
	case <-c.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return c.Cache.SaveRephrasing(ctx, key, r)
}

// A slow store delays no reader; Wait waits for it.
func TestRewriterSlowStore(t *testing.T) {
	ctx := context.Background()
	cache := slowCache{Cache: rephrasetest.NewCache(), release: make(chan struct{})}
	llm := &rephrasetest.Rephraser{}
	w, err := bot.NewRewriter(bot.RewriterConfig{Rephraser: llm, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	req := rewriteReq(bot.StyleSimple, "")
	if got := w.Rephrase(ctx, req); !got.Rephrased() {
		t.Fatalf("Rephrase = %+v", got)
	}
	// While the answer is being stored, it is served from the flight.
	if got, final := w.Immediate(ctx, req); !final || !got.Rephrased() {
		t.Errorf("Immediate while storing = %+v, %v", got, final)
	}
	if got := w.Rephrase(ctx, req); !got.Rephrased() || llm.Calls() != 1 {
		t.Errorf("Rephrase while storing = %+v after %d calls", got, llm.Calls())
	}
	waited := make(chan struct{})
	go func() { w.Wait(); close(waited) }()
	select {
	case <-waited:
		t.Fatal("Wait returned before the answer was stored")
	default:
	}
	close(cache.release)
	<-waited
	if n := len(cache.Entries()); n != 1 {
		t.Errorf("cache holds %d entries after Wait, want 1", n)
	}
}
