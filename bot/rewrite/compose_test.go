package rewrite_test

import (
	"context"
	"slices"
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

// Statements of the curated article, as a composed answer cites them.
var (
	stPlan   = "**The plan:** The agreement prioritizes joint initiatives within OPEC+ (a group of oil-exporting countries that coordinate their output) and the Gas Exporting Countries Forum (a group of major gas exporters), focusing on oil and gas exploration technologies."
	stStakes = "**The stakes:** Venezuela holds the world’s largest proven reserves, yet production has dropped to under 1 million barrels daily due to sanctions and mismanagement."
)

func TestSplitCited(t *testing.T) {
	for _, tt := range []struct {
		text  string
		want  []rewrite.Cited
		fails string
	}{
		{text: "The pact covers oil [1]. Output fell [2].", want: []rewrite.Cited{
			{Text: "The pact covers oil [1].", Plain: "The pact covers oil.", Cites: []int{1}},
			{Text: "Output fell [2].", Plain: "Output fell.", Cites: []int{2}},
		}},
		{text: "Both [1][2]. And more [1, 2].", want: []rewrite.Cited{
			{Text: "Both [1][2].", Plain: "Both.", Cites: []int{1, 2}},
			{Text: "And more [1, 2].", Plain: "And more.", Cites: []int{1, 2}},
		}},
		{text: "Full stop first. [1]", want: []rewrite.Cited{{Text: "Full stop first. [1]", Plain: "Full stop first.", Cites: []int{1}}}},
		{text: "Cited [1]. Not cited.", fails: "cites no statement"},
		{text: "No marker at all.", fails: "cites no statement"},
		{text: "Out of range [3].", fails: "[3] cites no statement"},
		{text: "", fails: "cites no statement"},
	} {
		got, err := rewrite.SplitCited(tt.text, 2)
		if tt.fails != "" {
			if err == nil || !strings.Contains(err.Error(), tt.fails) {
				t.Errorf("SplitCited(%q) = %v, %v; want an error containing %q", tt.text, got, err, tt.fails)
			}
			continue
		}
		if err != nil {
			t.Errorf("SplitCited(%q): %v", tt.text, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SplitCited(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestCheckComposed(t *testing.T) {
	statements := []string{stPlan, stStakes}
	for _, tt := range []struct {
		name, text, lang string
		ok               bool
	}{
		{"faithful", "The agreement prioritizes joint initiatives within OPEC+ and the Gas Exporting Countries Forum [1]. Venezuela’s production has dropped to under 1 million barrels daily [2].", "", true},
		{"verbatim", stPlan + " [1]", "", true},
		{"invented figure", "Production has dropped to under 3 million barrels daily [2].", "", false},
		{"figure of the other statement", "The agreement prioritizes initiatives within OPEC+ on 1 million barrels daily [1].", "", false},
		{"uncited sentence", "The agreement prioritizes OPEC+ [1]. It is historic.", "", false},
		{"mention", "The agreement prioritizes OPEC+ @everyone [1].", "", false},
		{"another name", "Saudi Arabia welcomed the agreement on OPEC+ [1].", "", false},
		{"spanish", "El acuerdo prioriza iniciativas conjuntas dentro de la OPEP+ y el Foro de Países Exportadores de Gas [1]. La producción de Venezuela cayó a menos de 1 millón de barriles diarios [2].", "es", true},
	} {
		problems := rewrite.CheckComposed(tt.text, statements, "en", tt.lang)
		if (len(problems) == 0) != tt.ok {
			t.Errorf("%s: problems %q, want ok %v", tt.name, problems, tt.ok)
		}
	}
}

func answerRequest() rewrite.AnswerRequest {
	return rewrite.AnswerRequest{
		Question: "what about the oil?", Normalized: "what about the oil",
		Sources: []rewrite.AnswerSource{
			{ArticleID: "putin-maduro-2025", ArticleVersion: "v1", Section: "energy", Title: "Energy", Text: stPlan},
			{ArticleID: "putin-maduro-2025", ArticleVersion: "v1", Section: "energy", Title: "Energy", Text: stStakes},
		},
		GuildID: "g1", UserID: "u1",
	}
}

func newComposer(t *testing.T, m *rewritetest.AnswerModel, cfg rewrite.Config) *rewrite.Rewriter {
	t.Helper()
	cfg.Model, cfg.Answers = &rewritetest.Model{}, m
	if cfg.Cache == nil {
		cfg.Cache = rewritetest.NewCache()
	}
	w, err := rewrite.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestComposeAnswer(t *testing.T) {
	ctx := context.Background()
	m := &rewritetest.AnswerModel{}
	faithful := "The agreement focuses on oil and gas exploration technologies [1]. Production has dropped to under 1 million barrels daily [2]."
	m.Script = append(m.Script, m.Reply(faithful, 40))
	cache, budget := rewritetest.NewCache(), rewritetest.NewBudget()
	w := newComposer(t, m, rewrite.Config{Cache: cache, Budget: budget, DailyTokens: 1000})
	if !w.Composes() {
		t.Fatal("Composes = false with an answer model")
	}
	now, final := w.ImmediateAnswer(ctx, answerRequest())
	if final || !now.Pending || now.Text != "" || now.Note == "" {
		t.Fatalf("at first: %+v final %v; want a pending note", now, final)
	}
	got := w.ComposeAnswer(ctx, answerRequest())
	if got.Text != faithful || got.Model != "fake-model" || got.Note != "" {
		t.Errorf("composed %+v", got)
	}
	w.Wait()
	if used, _ := budget.Tokens(ctx, "g1", time.Now()); used != 40 {
		t.Errorf("budget counts %d tokens, want 40", used)
	}
	// The same question, typed otherwise: from the cache, at once.
	again := answerRequest()
	again.Question = "What about the OIL??"
	if now, final := w.ImmediateAnswer(ctx, again); !final || now.Text != faithful {
		t.Errorf("asked again: %+v final %v; want the cached answer", now, final)
	}
	// Other statements or another language are another answer.
	es := answerRequest()
	es.Language = bot.Language{Code: "es", Name: "Spanish", Native: "Español"}
	if _, final := w.ImmediateAnswer(ctx, es); final {
		t.Error("in Spanish: the English answer was reused")
	}
	if m.Calls() != 1 {
		t.Errorf("%d model calls, want 1", m.Calls())
	}
	req := m.Requests()[0]
	if req.Question != "what about the oil?" || len(req.Statements) != 2 || req.Statements[0] != stPlan {
		t.Errorf("the model was asked %+v", req)
	}
}

func TestComposeAnswerFallsBack(t *testing.T) {
	ctx := context.Background()
	m := &rewritetest.AnswerModel{}
	m.Script = append(m.Script, m.Reply("Production has dropped to 3 million barrels daily [2].", 30), m.Reply("Venezuela will join OPEC+ next year.", 30))
	cache := rewritetest.NewCache()
	w := newComposer(t, m, rewrite.Config{Cache: cache})
	got := w.ComposeAnswer(ctx, answerRequest())
	if got.Text != "" || !strings.Contains(got.Note, "did not keep to the statements") {
		t.Errorf("a rejected answer: %+v", got)
	}
	if m.Calls() != 2 || !m.Requests()[1].Strict || len(m.Requests()[1].Problems) == 0 {
		t.Errorf("%d calls, the second %+v; want one strict retry with the problems", m.Calls(), m.Requests()[len(m.Requests())-1])
	}
	w.Wait()
	// The rejection is cached: it is not paid for again.
	if now, final := w.ImmediateAnswer(ctx, answerRequest()); !final || now.Text != "" || now.Note == "" {
		t.Errorf("asked again: %+v final %v", now, final)
	}
	if m.Calls() != 2 {
		t.Errorf("%d model calls after asking again, want 2", m.Calls())
	}
}

func TestComposeAnswerLimits(t *testing.T) {
	ctx := context.Background()
	clock := clocktest.New(time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC))
	m := &rewritetest.AnswerModel{}
	w := newComposer(t, m, rewrite.Config{Cooldown: time.Minute, Clock: clock})
	if got := w.ComposeAnswer(ctx, answerRequest()); got.Text == "" {
		t.Fatalf("first answer: %+v", got)
	}
	w.Wait()
	other := answerRequest()
	other.Normalized = "and the gas"
	now, final := w.ImmediateAnswer(ctx, other)
	if !final || now.Text != "" || now.Note == "" {
		t.Errorf("within the cooldown: %+v final %v; want a note and no call", now, final)
	}
	budget := rewritetest.NewBudget()
	budget.AddTokens(ctx, "g1", clock.Now(), 500)
	w = newComposer(t, m, rewrite.Config{Budget: budget, DailyTokens: 500, Clock: clock})
	if now, final := w.ImmediateAnswer(ctx, other); !final || !strings.Contains(now.Note, "budget") {
		t.Errorf("over budget: %+v final %v", now, final)
	}
	// No statements, or no model for answers: nothing to compose.
	empty := answerRequest()
	empty.Sources = nil
	if now, final := w.ImmediateAnswer(ctx, empty); !final || now != (rewrite.Composed{}) {
		t.Errorf("no statements: %+v", now)
	}
	plain, err := rewrite.New(rewrite.Config{Model: &rewritetest.Model{}, Cache: rewritetest.NewCache()})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Composes() {
		t.Error("a rewrite-only model composes answers")
	}
}

// observed records what a Rewriter tells its Observer.
type observed struct {
	mu       sync.Mutex
	outcomes []string
	checks   []string
	tokens   int
}

func (o *observed) Rephrasing(outcome string, checks []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.outcomes = append(o.outcomes, outcome)
	o.checks = append(o.checks, checks...)
}

func (o *observed) Tokens(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tokens += n
}

// Composed answers go through the rewriting's cache, guard and budget, and
// the Observer hears of them as of rephrasings: the model's answer, a
// cache hit, a guard refusal with the checks that refused it.
func TestComposeAnswerObserved(t *testing.T) {
	ctx := context.Background()
	m := &rewritetest.AnswerModel{}
	faithful := "The agreement focuses on oil and gas exploration technologies [1]."
	m.Script = append(m.Script, m.Reply(faithful, 40),
		m.Reply("Production has dropped to 3 million barrels daily [2].", 30), m.Reply("Venezuela will join OPEC+ next year.", 30))
	obs := &observed{}
	w := newComposer(t, m, rewrite.Config{Cache: rewritetest.NewCache(), Observer: obs})
	if got := w.ComposeAnswer(ctx, answerRequest()); got.Text != faithful {
		t.Fatalf("composed %+v", got)
	}
	w.Wait()
	if now, final := w.ImmediateAnswer(ctx, answerRequest()); !final || now.Text != faithful {
		t.Fatalf("asked again: %+v final %v", now, final)
	}
	other := answerRequest()
	other.Normalized = "and the production"
	if got := w.ComposeAnswer(ctx, other); got.Text != "" {
		t.Fatalf("a rejected answer shown: %+v", got)
	}
	w.Wait()
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if got, want := strings.Join(obs.outcomes, " "), "model cache_hit guard_refused"; got != want {
		t.Errorf("outcomes %q, want %q", got, want)
	}
	// The second attempt cites nothing: the markers' check refused it.
	if !slices.Contains(obs.checks, "citation") {
		t.Errorf("checks %v, want citation among them", obs.checks)
	}
	if obs.tokens != 100 {
		t.Errorf("%d tokens observed, want 100", obs.tokens)
	}
}
