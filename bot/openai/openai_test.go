package openai_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/openai"
	"github.com/briefbot/briefbot/bot/openai/openaitest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/prompts"
)

const (
	apiKey      = "sk-test-0123456789abcdef"
	energyTitle = "Energy: oil, gas and OPEC+"
	energyText  = `**The plan:** The agreement prioritizes joint initiatives within OPEC+ and the Gas Exporting Countries Forum, focusing on oil and gas exploration technologies.

**The stakes:** Venezuela holds the world’s largest proven reserves, yet production has dropped to under 1 million barrels daily due to sanctions and mismanagement.

**The caveat:** Per Reuters, Venezuela’s oil production has stagnated despite Russian support since 2019.`

	goodSimple = "Russia and Venezuela will work together on oil and gas. Venezuela now makes under 1 million barrels a day. Its oil output has not grown since 2019."
	// A translation keeps every statement of the section.
	goodSpanish = `**El plan:** El acuerdo prioriza iniciativas conjuntas en la OPEP+ y el Foro de Países Exportadores de Gas, centradas en tecnologías de exploración de petróleo y gas.

**Lo que está en juego:** Venezuela tiene las mayores reservas probadas del mundo, pero su producción ha caído a menos de 1 millón de barriles diarios por las sanciones y la mala gestión.

**La salvedad:** Según Reuters, la producción petrolera de Venezuela se ha estancado pese al apoyo ruso desde 2019.`
)

// fakeTime is a fake clock whose timers fire at once, moving the clock by
// their span: a wait between retries takes no time, and is recorded.
type fakeTime struct {
	*clocktest.Clock
	mu     sync.Mutex
	sleeps []time.Duration
}

func newFakeTime() *fakeTime {
	return &fakeTime{Clock: clocktest.New(time.Date(2025, 5, 7, 12, 0, 0, 0, time.UTC))}
}

func (f *fakeTime) NewTimer(d time.Duration) bot.Timer {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.mu.Unlock()
	f.Advance(d)
	return f.Clock.NewTimer(0)
}

func (f *fakeTime) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

func newModel(t *testing.T, s *openaitest.Server, ft *fakeTime, change func(*openai.Config)) *openai.Model {
	t.Helper()
	cfg := openai.Config{
		BaseURL: s.BaseURL(),
		APIKey:  apiKey,
		Model:   "fake-model",
		Clock:   ft,
	}
	if change != nil {
		change(&cfg)
	}
	r, err := openai.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func energy(style bot.Style, lang string) rewrite.ModelRequest {
	l, _ := bot.LanguageByCode(lang)
	return rewrite.ModelRequest{
		Passage:  bot.Passage{ArticleID: "putin-maduro-2025", ArticleVersion: "v1", Section: "energy", Title: energyTitle, Text: energyText},
		Style:    style,
		Language: l,
	}
}

func TestRewriteSuccess(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Reply{Text: goodSimple, PromptTokens: 400, CompletionTokens: 60})
	r := newModel(t, s, newFakeTime(), nil)
	got, err := r.Rewrite(context.Background(), energy(bot.StyleSimple, ""))
	if err != nil {
		t.Fatal(err)
	}
	want := &rewrite.Answer{Text: goodSimple, Model: "fake-model", PromptVersion: r.Recipe(bot.StyleSimple, bot.Language{}).PromptVersion, Tokens: 460}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rewrite (-want +got):\n%s", diff)
	}
	set, _ := prompts.Default()
	msgs, _ := set.Render(prompts.Input{Style: "simple", Title: energyTitle, Text: energyText})
	req := s.Last()
	if req.Model != "fake-model" || req.System() != msgs.System || req.User() != msgs.User ||
		req.MaxTokens != 1500 || req.Temperature < 0.19 || req.Temperature > 0.21 || req.Authorization != "Bearer "+apiKey || req.Stream {
		t.Errorf("request = %+v", req)
	}
}

func TestRewriteTranslationCarriesLanguage(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Text(goodSpanish))
	r := newModel(t, s, newFakeTime(), nil)
	if _, err := r.Rewrite(context.Background(), energy(bot.StyleCurated, "es")); err != nil {
		t.Fatal(err)
	}
	sys := s.Last().System()
	if !strings.Contains(sys, "write your answer in Spanish (Español)") {
		t.Errorf("system message does not ask for Spanish:\n%s", sys)
	}
	if es, en := r.Recipe(bot.StyleSimple, bot.Language{Code: "es"}), r.Recipe(bot.StyleSimple, bot.Language{}); es == en {
		t.Errorf("translated and untranslated prompts share a version: %+v", es)
	}
}

func TestRewriteStrict(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Text(goodSimple))
	r := newModel(t, s, newFakeTime(), nil)
	req := energy(bot.StyleBullets, "")
	req.Strict, req.Problems = true, []string{`the number "1.5 million" is not in the text`}
	if _, err := r.Rewrite(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if sys := s.Last().System(); !strings.Contains(sys, "previous answer was rejected") || !strings.Contains(sys, "1.5 million") {
		t.Errorf("strict prompt:\n%s", sys)
	}
}

func TestRewriteRetries(t *testing.T) {
	tests := []struct {
		name   string
		script []openaitest.Reply
		change func(*openai.Config)
		calls  int
		sleeps []time.Duration
		kind   bot.ErrorKind // of the error; -1 for success
	}{
		{name: "429 with Retry-After then success",
			script: []openaitest.Reply{{Status: 429, RetryAfter: "3"}, openaitest.Text(goodSimple)},
			calls:  2, sleeps: []time.Duration{3 * time.Second}, kind: -1},
		{name: "429 with an HTTP date",
			script: []openaitest.Reply{{Status: 429, RetryAfter: "Wed, 07 May 2025 12:00:05 GMT"}, openaitest.Text(goodSimple)},
			calls:  2, sleeps: []time.Duration{5 * time.Second}, kind: -1},
		{name: "503s then success, with backoff",
			script: []openaitest.Reply{openaitest.Status(503), openaitest.Status(502), openaitest.Text(goodSimple)},
			calls:  3, sleeps: []time.Duration{500 * time.Millisecond, time.Second}, kind: -1},
		{name: "500 every time",
			script: []openaitest.Reply{openaitest.Status(500)},
			calls:  3, sleeps: []time.Duration{500 * time.Millisecond, time.Second}, kind: bot.Unavailable},
		{name: "backoff is capped",
			script: []openaitest.Reply{openaitest.Status(500)},
			change: func(c *openai.Config) { c.MaxRetries = 5; c.MaxBackoff = 2 * time.Second },
			calls:  6, sleeps: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second}, kind: bot.Unavailable},
		{name: "no retries",
			script: []openaitest.Reply{openaitest.Status(500)},
			change: func(c *openai.Config) { c.MaxRetries = -1 },
			calls:  1, kind: bot.Unavailable},
		{name: "Retry-After longer than we wait",
			script: []openaitest.Reply{{Status: 429, RetryAfter: "60"}, openaitest.Text(goodSimple)},
			calls:  1, kind: bot.Unavailable},
		{name: "401 is not retried",
			script: []openaitest.Reply{{Status: 401, Message: "Incorrect API key provided: " + apiKey}},
			calls:  1, kind: bot.Internal},
		{name: "404 is not retried",
			script: []openaitest.Reply{{Status: 404, Message: "model not found"}},
			calls:  1, kind: bot.Internal},
		{name: "400 is not retried",
			script: []openaitest.Reply{{Status: 400, Message: "bad request"}},
			calls:  1, kind: bot.Internal},
		{name: "malformed JSON is not retried",
			script: []openaitest.Reply{{Malformed: true}},
			calls:  1, kind: bot.Unavailable},
		{name: "an attempt that hangs past its timeout is retried",
			script: []openaitest.Reply{{Hang: true}, openaitest.Text(goodSimple)},
			change: func(c *openai.Config) { c.Timeout = 20 * time.Millisecond },
			calls:  2, sleeps: []time.Duration{500 * time.Millisecond}, kind: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.NewServer(t, tt.script...)
			ft := newFakeTime()
			r := newModel(t, s, ft, tt.change)
			got, err := r.Rewrite(context.Background(), energy(bot.StyleSimple, ""))
			if tt.kind == -1 {
				if err != nil || got.Text != goodSimple {
					t.Errorf("Rewrite = %+v, %v", got, err)
				}
			} else if err == nil || bot.KindOf(err) != tt.kind {
				t.Errorf("Rewrite error = %v (kind %v), want kind %v", err, bot.KindOf(err), tt.kind)
			}
			if err != nil && strings.Contains(err.Error(), apiKey) {
				t.Errorf("the error quotes the API key: %v", err)
			}
			if s.Calls() != tt.calls {
				t.Errorf("calls = %d, want %d", s.Calls(), tt.calls)
			}
			if diff := cmp.Diff(tt.sleeps, ft.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRewriteCallerDeadline(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Reply{Hang: true})
	r := newModel(t, s, newFakeTime(), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := r.Rewrite(ctx, energy(bot.StyleSimple, ""))
	if bot.KindOf(err) != bot.Unavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Rewrite past the deadline = %v", err)
	}
	if s.Calls() != 1 {
		t.Errorf("calls = %d, want 1 (no retry past the caller's deadline)", s.Calls())
	}
}

func TestCircuitBreaker(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Status(500))
	ft := newFakeTime()
	r := newModel(t, s, ft, func(c *openai.Config) {
		c.MaxRetries, c.BreakerFailures, c.BreakerCooldown = -1, 3, time.Minute
	})
	ctx := context.Background()
	call := func() error {
		_, err := r.Rewrite(ctx, energy(bot.StyleSimple, ""))
		return err
	}
	for range 3 {
		call()
	}
	if s.Calls() != 3 {
		t.Fatalf("calls = %d, want 3", s.Calls())
	}
	// Open: calls fail at once, without asking the server.
	err := call()
	if bot.KindOf(err) != bot.Unavailable || !strings.Contains(bot.UserMessage(err), "paused") || s.Calls() != 3 {
		t.Errorf("open circuit: %v after %d calls", err, s.Calls())
	}
	// After the cooldown one trial goes through; it fails and reopens.
	ft.Advance(time.Minute)
	call()
	call()
	if s.Calls() != 4 {
		t.Errorf("half-open: calls = %d, want 4", s.Calls())
	}
	// The next trial succeeds and closes it.
	ft.Advance(time.Minute)
	s.Script(openaitest.Text(goodSimple))
	for range 3 {
		if err := call(); err != nil {
			t.Errorf("closed circuit: %v", err)
		}
	}
	if s.Calls() != 7 {
		t.Errorf("closed: calls = %d, want 7", s.Calls())
	}
}

// A caller that goes away proves nothing about the model: the circuit
// does not count it.
func TestCircuitBreakerIgnoresCancellation(t *testing.T) {
	arrived := make(chan struct{})
	s := openaitest.NewServer(t, openaitest.Reply{Func: func(openaitest.Request) openaitest.Reply {
		close(arrived)
		return openaitest.Reply{Hang: true}
	}})
	r := newModel(t, s, newFakeTime(), func(c *openai.Config) { c.BreakerFailures = 1 })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	r.Rewrite(ctx, energy(bot.StyleSimple, ""))
	s.Script(openaitest.Text(goodSimple))
	if _, err := r.Rewrite(context.Background(), energy(bot.StyleSimple, "")); err != nil {
		t.Errorf("after a cancelled call: %v", err)
	}
}

func TestRewriteAnswers(t *testing.T) {
	tests := []struct {
		name  string
		reply openaitest.Reply
		want  rewrite.Answer
	}{
		{"think block", openaitest.Text("<think>The user wants it simple.</think>\n\n" + goodSimple), rewrite.Answer{Text: goodSimple}},
		{"code fence", openaitest.Text("```markdown\n" + goodSimple + "\n```"), rewrite.Answer{Text: goodSimple}},
		{"echoed delimiters", openaitest.Text(prompts.Open + "\n" + goodSimple + "\n" + prompts.Close), rewrite.Answer{Text: goodSimple}},
		{"cut off", openaitest.Reply{Text: "Russia and Venezuela will", FinishReason: "length"}, rewrite.Answer{Text: "Russia and Venezuela will", Truncated: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.NewServer(t, tt.reply)
			got, err := newModel(t, s, newFakeTime(), nil).Rewrite(context.Background(), energy(bot.StyleSimple, ""))
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tt.want.Text || got.Truncated != tt.want.Truncated {
				t.Errorf("got %q (truncated %v), want %q (%v)", got.Text, got.Truncated, tt.want.Text, tt.want.Truncated)
			}
		})
	}
}

func TestRewriteWithoutUsage(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Reply{Text: goodSimple, NoUsage: true})
	got, err := newModel(t, s, newFakeTime(), nil).Rewrite(context.Background(), energy(bot.StyleSimple, ""))
	if err != nil {
		t.Fatal(err)
	}
	if got.Tokens < 300 {
		t.Errorf("estimated %d tokens; the prompt alone is longer", got.Tokens)
	}
}

func TestReasoningModel(t *testing.T) {
	s := openaitest.NewServer(t, openaitest.Text(goodSimple))
	r := newModel(t, s, newFakeTime(), func(c *openai.Config) { c.Model = "o3-mini" })
	if _, err := r.Rewrite(context.Background(), energy(bot.StyleSimple, "")); err != nil {
		t.Fatal(err)
	}
	if req := s.Last(); req.MaxTokens != 0 || req.MaxCompletionTokens != 1500 || req.Temperature != 0 {
		t.Errorf("request for a reasoning model = %+v", req)
	}
}

func TestNew(t *testing.T) {
	for _, cfg := range []openai.Config{
		{Model: ""},
		{BaseURL: "localhost:11434", Model: "m"},
		{BaseURL: "ftp://example.com/v1", Model: "m"},
		{Model: "gpt-4o-mini"}, // OpenAI without a key
		{BaseURL: "http://localhost:11434/v1", Model: "m", MaxTokens: -1},
	} {
		if _, err := openai.New(cfg); err == nil {
			t.Errorf("New(%v) = nil error", cfg)
		}
	}
	if _, err := openai.New(openai.Config{BaseURL: "http://localhost:11434/v1/", Model: "llama3.2:3b"}); err != nil {
		t.Errorf("Ollama without a key: %v", err)
	}
	if s := fmt.Sprint(openai.Config{APIKey: apiKey, Model: "m"}); strings.Contains(s, apiKey) {
		t.Errorf("Config prints its key: %s", s)
	}
}

func TestCheck(t *testing.T) {
	s := openaitest.NewServer(t)
	r := newModel(t, s, newFakeTime(), nil)
	if err := r.Check(context.Background()); err != nil {
		t.Errorf("Check = %v", err)
	}
	s.Models = []string{"llama3.2:3b"}
	if err := r.Check(context.Background()); bot.KindOf(err) != bot.Invalid || !strings.Contains(err.Error(), "llama3.2:3b") {
		t.Errorf("Check with the model missing = %v", err)
	}
	s.Models = nil
	if err := r.Check(context.Background()); err != nil {
		t.Errorf("Check with no models listed = %v", err)
	}
	s.Close()
	if err := r.Check(context.Background()); bot.KindOf(err) != bot.Unavailable {
		t.Errorf("Check with the server gone = %v", err)
	}
}
