package rewrite_test

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
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
)

// The notes a reader sees beside the curated text.
const (
	noteTimeout     = "The rephrasing took too long; here is the curated text."
	noteUnavailable = "Rephrasing is unavailable right now (the language model is not answering); here is the curated text."
	noteFailed      = "Rephrasing failed; here is the curated text."
	noteGuard       = "The rephrased text did not keep to the facts of the curated text, so here is the curated text."
	noteBudgetGuild = "Rephrasing is unavailable right now (the daily budget for this server is used up); here is the curated text."
	noteBudgetDM    = "Rephrasing is unavailable right now (your daily budget is used up); here is the curated text."
)

// Sections of the curated Putin–Maduro article, as the guard sees them.
const (
	energySection = `Energy: oil, gas and OPEC+

**The plan:** The agreement prioritizes joint initiatives within OPEC+ and the Gas Exporting Countries Forum, focusing on oil and gas exploration technologies.

**Russia’s role:** Russia is a key supplier of petroleum expertise to Venezuela and aims to bolster Caracas’s struggling oil industry.

**The stakes:** Venezuela holds the world’s largest proven reserves, yet production has dropped to under 1 million barrels daily due to sanctions and mismanagement.

**Lost revenue:** Trump’s January 2025 ban on Chevron operations in Venezuela cut a key revenue source and has pushed Caracas closer to Moscow.

**The upside:** The agreement may boost Venezuela’s oil output, and the article notes that its energy focus aligns with global oil market needs.

**The caveat:** Per Reuters, Venezuela’s oil production has stagnated despite Russian support since 2019.`

	economySection = `Trade, wheat and insulin

**Trade boom:** Trade surged 70% in early 2024, with Russian exports to Venezuela up 453%, per RIO Times.

**Food and medicine:** Russia now provides wheat and insulin, becoming Venezuela’s third-largest wheat supplier in Latin America.

**Money and health:** The leaders also discussed financial and healthcare cooperation, though specifics remain undisclosed.

**The backdrop:** Facing U.S. sanctions and a collapsed economy, Maduro relies on Russia for oil technology, military support and diplomatic backing.

**The risk:** Critics warn that reliance on Russian aid risks long-term dependency, with limited economic diversification.`
)

// Rewrites of the energy section, good and bad. The section says Russia
// "aims to" bolster the oil industry, so a faithful rewrite says it wants
// to, not that it will; a translation keeps every statement, and a
// rewrite asked in another language is in that language.
const (
	goodSimple        = "Russia wants to help Venezuela with oil. Venezuela now makes under 1 million barrels a day. Its oil output has not grown since 2019."
	goodSimpleSpanish = "Rusia quiere ayudar a Venezuela con el petróleo. Venezuela produce ahora menos de 1 millón de barriles diarios. Su producción de petróleo no crece desde 2019."
	goodSimpleRussian = "Россия хочет помочь Венесуэле с нефтью. Сейчас Венесуэла добывает меньше 1 миллиона баррелей в день. Её добыча нефти не растёт с 2019 года."
	inventedSimple    = "Russia wants to help Venezuela with oil. Venezuela now makes under 1.5 million barrels a day. Its oil output has not grown since 2019."
	pingSimple        = "@everyone Russia wants to help Venezuela with oil."
	goodSpanish       = `**El plan:** El acuerdo prioriza iniciativas conjuntas en la OPEP+ y el Foro de Países Exportadores de Gas, centradas en tecnologías de exploración de petróleo y gas.

**El papel de Rusia:** Rusia es un proveedor clave de conocimientos petroleros para Venezuela y pretende reforzar la debilitada industria petrolera de Caracas.

**Lo que está en juego:** Venezuela tiene las mayores reservas probadas del mundo, pero su producción ha caído a menos de 1 millón de barriles diarios por las sanciones y la mala gestión.

**Ingresos perdidos:** La prohibición de Trump, en enero de 2025, de las operaciones de Chevron en Venezuela cortó una fuente clave de ingresos y ha acercado a Caracas a Moscú.

**La ventaja:** El acuerdo puede impulsar la producción petrolera de Venezuela, y el artículo señala que su enfoque energético se ajusta a las necesidades del mercado mundial del petróleo.

**La salvedad:** Según Reuters, la producción petrolera de Venezuela se ha estancado pese al apoyo ruso desde 2019.`
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
	w      *rewrite.Rewriter
	llm    *rewritetest.Model
	cache  *rewritetest.Cache
	budget *rewritetest.Budget
	clock  *clocktest.Clock
	logs   *bytes.Buffer
}

func newRewriteRig(t *testing.T, configure func(*rewrite.Config), script ...func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error)) *rewriteRig {
	t.Helper()
	r := &rewriteRig{
		llm:    &rewritetest.Model{Script: script},
		cache:  rewritetest.NewCache(),
		budget: rewritetest.NewBudget(),
		clock:  clocktest.New(time.Date(2025, 5, 7, 12, 0, 0, 0, time.UTC)),
		logs:   new(bytes.Buffer),
	}
	cfg := rewrite.Config{
		Model:  r.llm,
		Cache:  r.cache,
		Budget: r.budget,
		Logger: slog.New(slog.NewTextHandler(lockedWriter{w: r.logs}, nil)),
		Clock:  r.clock,
	}
	if configure != nil {
		configure(&cfg)
	}
	var err error
	if r.w, err = rewrite.New(cfg); err != nil {
		t.Fatal(err)
	}
	return r
}

// reopen returns a new Rewriter over the same cache and rephraser, as
// after a restart.
func (r *rewriteRig) reopen(t *testing.T) *rewrite.Rewriter {
	w, err := rewrite.New(rewrite.Config{Model: r.llm, Cache: r.cache, Clock: r.clock})
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

func TestRewriterRewrite(t *testing.T) {
	llm := &rewritetest.Model{}
	long := strings.Repeat("Russia helps Venezuela with oil. ", 200)
	curated := rewriteReq(bot.StyleSimple, "").Text
	tests := []struct {
		name   string
		req    bot.RewriteRequest
		script []func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error)
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
			script: rephraseScript(func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error) {
				r := llm.Answer("Russia will help", 50)
				r.Truncated = true
				return r, nil
			}, llm.Reply(goodSimple, 100)),
			want: bot.Rewrite{Text: goodSimple, Model: "fake-model"}, calls: 2},
		{name: "empty", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(llm.Reply("  ", 10)),
			want:   bot.Rewrite{Text: curated, Note: noteGuard}, calls: 2},
		{name: "unavailable", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(rewritetest.Fail(bot.Errorf(bot.Unavailable, "The language model is busy."))),
			want:   bot.Rewrite{Text: curated, Note: noteUnavailable}, calls: 1},
		{name: "misconfigured", req: rewriteReq(bot.StyleSimple, ""),
			script: rephraseScript(rewritetest.Fail(errors.New("401 bad key"))),
			want:   bot.Rewrite{Text: curated, Note: noteFailed}, calls: 1},
		{name: "nothing to do", req: rewriteReq(bot.StyleCurated, ""),
			want: bot.Rewrite{Text: curated}, calls: 0},
		{name: "curated language is nothing to do", req: rewriteReq(bot.StyleCurated, "en"),
			want: bot.Rewrite{Text: curated}, calls: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRewriteRig(t, nil, tt.script...)
			got := r.w.Rewrite(context.Background(), tt.req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Rewrite (-want +got):\n%s", diff)
			}
			if n := r.llm.Calls(); n != tt.calls {
				t.Errorf("upstream calls = %d, want %d", n, tt.calls)
			}
			if strings.Contains(got.Text, "@everyone") {
				t.Errorf("a mention reached the reader: %q", got.Text)
			}
			// Whatever happened, the next identical rewriteReq costs nothing
			// more unless the model was unreachable.
			r.w.Rewrite(context.Background(), tt.req)
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

func rephraseScript(s ...func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error)) []func(context.Context, rewrite.ModelRequest) (*rewrite.Answer, error) {
	return s
}

// The retry asks strictly and says why the first answer was refused.
func TestRewriterStrictRetry(t *testing.T) {
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, nil, llm.Reply(inventedSimple, 100), llm.Reply(goodSimple, 100))
	r.w.Rewrite(context.Background(), rewriteReq(bot.StyleSimple, ""))
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
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, nil, llm.Reply(inventedSimple, 100), llm.Reply(pingSimple, 100))
	r.w.Rewrite(context.Background(), rewriteReq(bot.StyleSimple, ""))
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
	llm := &rewritetest.Model{}
	// The model answers in the language asked: English, or Russian for
	// the change of language below.
	r := newRewriteRig(t, nil, func(ctx context.Context, req rewrite.ModelRequest) (*rewrite.Answer, error) {
		if req.Language.Code == "ru" {
			return llm.Answer(goodSimpleRussian, 100), nil
		}
		return llm.Answer(goodSimple, 100), nil
	})
	req := rewriteReq(bot.StyleSimple, "")
	first := r.w.Rewrite(ctx, req)
	if !first.Rewritten() {
		t.Fatalf("first = %+v", first)
	}
	for i := range 3 {
		if got := r.w.Rewrite(ctx, req); got != first {
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
	if got := restarted.Rewrite(ctx, req); got != first {
		t.Errorf("after a restart, Rewrite = %+v", got)
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
		r.w.Rewrite(ctx, q)
		calls++
		if n := r.llm.Calls(); n != calls {
			t.Errorf("%s: upstream calls = %d, want %d", c.name, n, calls)
		}
	}
}

// A refusal is remembered too: the model is not paid twice to fail.
func TestRewriterCachesRejections(t *testing.T) {
	ctx := context.Background()
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, nil, llm.Reply(inventedSimple, 100))
	req := rewriteReq(bot.StyleSimple, "")
	r.w.Rewrite(ctx, req)
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
	gate := rewritetest.NewGate()
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, func(c *rewrite.Config) { c.Cooldown = time.Minute }, gate.Step(llm.Reply(goodSimpleSpanish, 100)))
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
	go func() { done <- r.w.Rewrite(ctx, req) }()
	<-gate.Arrived()
	// While the flight is up, the reader who started it is cooling down,
	// but a rewriteReq for the same rephrasing still joins it.
	if got, final := r.w.Immediate(ctx, req); final || !got.Pending {
		t.Errorf("Immediate during the flight = %+v, %v", got, final)
	}
	gate.Open()
	if got := <-done; got.Text != goodSimpleSpanish {
		t.Errorf("Rewrite = %+v", got)
	}
}

func TestRewriterTimeout(t *testing.T) {
	ctx := context.Background()
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, func(c *rewrite.Config) { c.Timeout = 20 * time.Millisecond },
		rewritetest.NewGate().Step(nil), llm.Reply(goodSimple, 1))
	req := rewriteReq(bot.StyleSimple, "")
	want := bot.Rewrite{Text: req.Text, Note: noteTimeout}
	if got := r.w.Rewrite(ctx, req); got != want {
		t.Errorf("Rewrite = %+v; want %+v", got, want)
	}
	// A timeout is not remembered: the next reader tries again.
	if got := r.w.Rewrite(ctx, req); got.Text != goodSimple {
		t.Errorf("Rewrite after a timeout = %+v", got)
	}
	r.w.Wait()
	if !strings.Contains(r.logs.String(), "rephrasing timed out") {
		t.Errorf("timeout not logged:\n%s", r.logs)
	}
}

// A reader who stops waiting gets the curated text; the flight goes on and
// fills the cache for the next one.
func TestRewriterReaderGone(t *testing.T) {
	gate := rewritetest.NewGate()
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, nil, gate.Step(llm.Reply(goodSimple, 1)))
	req := rewriteReq(bot.StyleSimple, "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bot.Rewrite)
	go func() { done <- r.w.Rewrite(ctx, req) }()
	<-gate.Arrived()
	cancel()
	if got := <-done; got != (bot.Rewrite{Text: req.Text, Note: noteTimeout}) {
		t.Errorf("Rewrite after the reader left = %+v", got)
	}
	gate.Open()
	// The next reader joins the flight or finds its answer in the cache.
	if got := r.w.Rewrite(context.Background(), req); got.Text != goodSimple {
		t.Errorf("Rewrite afterwards = %+v", got)
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
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, func(c *rewrite.Config) { c.DailyTokens = 1000 }, llm.Reply(goodSimple, 600))
	day := time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC)
	req := rewriteReq(bot.StyleSimple, "")

	// Spending is counted per guild and day.
	r.w.Rewrite(ctx, req)
	r.w.Wait()
	if used, _ := r.budget.Tokens(ctx, "guild-1", day); used != 600 {
		t.Errorf("guild-1 used %d tokens, want 600", used)
	}
	r.w.Rewrite(ctx, bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleBrief, GuildID: "guild-1", UserID: "user-2"})
	r.w.Wait()
	if used, _ := r.budget.Tokens(ctx, "guild-1", day); used != 1200 {
		t.Errorf("guild-1 used %d tokens, want 1200", used)
	}

	// Over budget: the curated text with a note, at once and later.
	over := bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleFormal, GuildID: "guild-1", UserID: "user-3"}
	want := bot.Rewrite{Text: req.Text, Note: noteBudgetGuild}
	if got, final := r.w.Immediate(ctx, over); !final || got != want {
		t.Errorf("Immediate over budget = %+v, %v; want %+v", got, final, want)
	}
	if got := r.w.Rewrite(ctx, over); got != want {
		t.Errorf("Rewrite over budget = %+v; want %+v", got, want)
	}
	// What is cached, and the curated text, are never limited.
	if got := r.w.Rewrite(ctx, req); got.Text != goodSimple {
		t.Errorf("cached answer over budget = %+v", got)
	}
	if got := r.w.Rewrite(ctx, bot.RewriteRequest{Passage: req.Passage, GuildID: "guild-1"}); got != (bot.Rewrite{Text: req.Text}) {
		t.Errorf("curated answer over budget = %+v", got)
	}
	// Other guilds have their own budget; direct messages are counted per user.
	if got := r.w.Rewrite(ctx, bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleFormal, GuildID: "guild-2", UserID: "user-3"}); !got.Rewritten() {
		t.Errorf("another guild = %+v", got)
	}
	if _, err := r.budget.AddTokens(ctx, "user:user-4", day, 5000); err != nil {
		t.Fatal(err)
	}
	dm := bot.RewriteRequest{Passage: req.Passage, Style: bot.StyleBullets, UserID: "user-4"}
	if got := r.w.Rewrite(ctx, dm); got != (bot.Rewrite{Text: req.Text, Note: noteBudgetDM}) {
		t.Errorf("DM over budget = %+v", got)
	}
	// A new UTC day, a new budget. (The formal rephrasing is cached by
	// now, guild-2 having paid for it: the cache is shared.)
	calls := r.llm.Calls()
	r.clock.Advance(12 * time.Hour)
	over.Style = bot.StyleBullets
	if got := r.w.Rewrite(ctx, over); !got.Rewritten() {
		t.Errorf("next day = %+v", got)
	}
	if n := r.llm.Calls(); n != calls+1 {
		t.Errorf("upstream calls = %d, want %d", n, calls+1)
	}
}

func TestRewriterCooldown(t *testing.T) {
	ctx := context.Background()
	r := newRewriteRig(t, func(c *rewrite.Config) { c.Cooldown = 30 * time.Second })
	energy := rewriteReq(bot.StyleSimple, "")
	economy := energy
	economy.Passage = testPassage("economy", "v1")
	cooling := func(secs string) bot.Rewrite {
		return bot.Rewrite{Text: economy.Text, Note: "You can ask for another rephrasing in " + secs + " s; here is the curated text."}
	}
	if got := r.w.Rewrite(ctx, energy); !got.Rewritten() {
		t.Fatalf("first = %+v", got)
	}
	if got, final := r.w.Immediate(ctx, economy); !final || got != cooling("30") {
		t.Errorf("Immediate right after = %+v, %v", got, final)
	}
	r.clock.Advance(10 * time.Second)
	if got := r.w.Rewrite(ctx, economy); got != cooling("20") {
		t.Errorf("10 s later = %+v", got)
	}
	// Cached answers and other readers are not held back.
	if got := r.w.Rewrite(ctx, energy); !got.Rewritten() {
		t.Errorf("cached answer while cooling down = %+v", got)
	}
	other := economy
	other.UserID = "user-2"
	if got := r.w.Rewrite(ctx, other); !got.Rewritten() {
		t.Errorf("another reader = %+v", got)
	}
	r.clock.Advance(20 * time.Second)
	economy.Style = bot.StyleBrief
	if got := r.w.Rewrite(ctx, economy); !got.Rewritten() {
		t.Errorf("after the cooldown = %+v", got)
	}
}

// A cache that fails costs a call, not an answer.
func TestRewriterCacheDown(t *testing.T) {
	r := newRewriteRig(t, nil)
	r.cache.Fail(errors.New("disk full"))
	if got := r.w.Rewrite(context.Background(), rewriteReq(bot.StyleSimple, "")); !got.Rewritten() {
		t.Errorf("Rewrite with the cache down = %+v", got)
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
	gate := rewritetest.NewGate()
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, func(c *rewrite.Config) { c.Cooldown = time.Hour; c.DailyTokens = 1 << 20 },
		gate.Step(llm.Reply(goodSimple, 100)))
	var wg sync.WaitGroup
	results := make([]bot.Rewrite, 1000)
	for i := range results {
		req := rewriteReq(bot.StyleSimple, "")
		req.UserID = "user-" + string(rune('a'+i%26))
		wg.Go(func() { results[i] = r.w.Rewrite(ctx, req) })
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
		if got := r.w.Rewrite(ctx, rewriteReq(bot.StyleSimple, "")); got.Text != goodSimple {
			t.Fatalf("repeat = %+v", got)
		}
	}
	repeated := r.llm.Calls() - concurrent
	r.w.Wait()
	restarted := r.reopen(t)
	for range 1000 {
		restarted.Rewrite(ctx, rewriteReq(bot.StyleSimple, ""))
	}
	afterRestart := r.llm.Calls() - concurrent - repeated
	t.Logf("upstream requests: %d per 1,000 concurrent, %d per 1,000 repeated after that, %d per 1,000 after a restart",
		concurrent, repeated, afterRestart)
	if concurrent != 1 || repeated != 0 || afterRestart != 0 {
		t.Errorf("upstream requests = %d, %d, %d; want 1, 0, 0", concurrent, repeated, afterRestart)
	}
}

func TestKey(t *testing.T) {
	p := testPassage("energy", "v1")
	es, _ := bot.LanguageByCode("es")
	recipe := rewrite.Recipe{Model: "llama3.2:3b", PromptVersion: "simple-abc"}
	key := rewrite.Key(p, bot.StyleSimple, es, recipe)
	if !strings.HasPrefix(key, "rephrase/v1/putin-maduro-2025/v1/energy/") || !strings.HasSuffix(key, "/simple/es/llama3.2:3b/simple-abc") {
		t.Errorf("key = %q", key)
	}
	if again := rewrite.Key(p, bot.StyleSimple, es, recipe); again != key {
		t.Errorf("key is not stable: %q, %q", key, again)
	}
	others := []string{
		rewrite.Key(testPassage("economy", "v1"), bot.StyleSimple, es, recipe),
		rewrite.Key(testPassage("energy", "v2"), bot.StyleSimple, es, recipe),
		rewrite.Key(p, bot.StyleBrief, es, recipe),
		rewrite.Key(p, bot.StyleSimple, bot.Language{}, recipe),
		rewrite.Key(p, bot.StyleSimple, es, rewrite.Recipe{Model: "gpt-4o-mini", PromptVersion: "simple-abc"}),
		rewrite.Key(p, bot.StyleSimple, es, rewrite.Recipe{Model: "llama3.2:3b", PromptVersion: "simple-abd"}),
		rewrite.Key(bot.Passage{ArticleID: "a/b", ArticleVersion: "c"}, bot.StyleSimple, es, recipe),
		rewrite.Key(bot.Passage{ArticleID: "a", ArticleVersion: "b/c"}, bot.StyleSimple, es, recipe),
	}
	seen := map[string]bool{key: true}
	for _, k := range others {
		if seen[k] {
			t.Errorf("key %q collides", k)
		}
		seen[k] = true
	}
}

func BenchmarkImmediateMiss(b *testing.B) {
	llm := &rewritetest.Model{Script: rephraseScript(rewritetest.NewGate().Step(nil))}
	w, err := rewrite.New(rewrite.Config{Model: llm, Cache: rewritetest.NewCache()})
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

func TestPendingNote(t *testing.T) {
	w, err := rewrite.New(rewrite.Config{Model: &rewritetest.Model{}, Cache: rewritetest.NewCache()})
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
	*rewritetest.Cache
	release chan struct{}
}

func (c slowCache) PutRephrasing(ctx context.Context, key string, value []byte) error {
	select {
	case <-c.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return c.Cache.PutRephrasing(ctx, key, value)
}

// A slow store delays no reader; Wait waits for it.
func TestRewriterSlowStore(t *testing.T) {
	ctx := context.Background()
	cache := slowCache{Cache: rewritetest.NewCache(), release: make(chan struct{})}
	llm := &rewritetest.Model{}
	w, err := rewrite.New(rewrite.Config{Model: llm, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	req := rewriteReq(bot.StyleSimple, "")
	if got := w.Rewrite(ctx, req); !got.Rewritten() {
		t.Fatalf("Rewrite = %+v", got)
	}
	// While the answer is being stored, it is served from the flight.
	if got, final := w.Immediate(ctx, req); !final || !got.Rewritten() {
		t.Errorf("Immediate while storing = %+v, %v", got, final)
	}
	if got := w.Rewrite(ctx, req); !got.Rewritten() || llm.Calls() != 1 {
		t.Errorf("Rewrite while storing = %+v after %d calls", got, llm.Calls())
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

func TestNewRefusesIncompleteConfigs(t *testing.T) {
	if _, err := rewrite.New(rewrite.Config{Cache: rewritetest.NewCache()}); err == nil {
		t.Error("New without a model: nil error")
	}
	if _, err := rewrite.New(rewrite.Config{Model: &rewritetest.Model{}}); err == nil {
		t.Error("New with a model and no cache: nil error")
	}
	if _, err := rewrite.New(rewrite.Config{Model: &rewritetest.Model{}, Cache: rewritetest.NewCache(), Cooldown: -time.Second}); err == nil {
		t.Error("New with a negative cooldown: nil error")
	}
	w, err := rewrite.New(rewrite.Config{Model: &rewritetest.Model{}, Cache: rewritetest.NewCache()})
	if err != nil || !w.Enabled() {
		t.Errorf("New = %v, %v; want an enabled Rewriter", w, err)
	}
}
