package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
	"github.com/briefbot/briefbot/bot/openai/openaitest"
)

// botProcess is `briefbot run` in-process against fakes.
type botProcess struct {
	stop func() int
}

// startBotProcess runs briefbot with vars until the test ends or stop is
// called, and waits for it to connect. tweaks change the world it runs in.
func startBotProcess(t testing.TB, fake *discordtest.Server, vars map[string]string, tweaks ...func(*env)) *botProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	mark := fake.Mark()
	e := env{
		getenv: func(k string) string { return vars[k] },
		stdin:  strings.NewReader(""), stdout: &lockedWriter{w: &strings.Builder{}}, stderr: &lockedWriter{w: &strings.Builder{}},
	}
	for _, tweak := range tweaks {
		tweak(&e)
	}
	go func() { done <- run(ctx, nil, e) }()
	var once sync.Once
	code := 0
	p := &botProcess{stop: func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}}
	t.Cleanup(func() { p.stop() })
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	if _, err := fake.WaitFrame(wctx, discordtest.After(mark, discordtest.SentDispatch("READY"))); err != nil {
		t.Fatalf("briefbot did not connect: %v", err)
	}
	return p
}

func llmVars(t testing.TB, fake *discordtest.Server, model *openaitest.Server, extra ...string) map[string]string {
	vars := map[string]string{
		"DISCORD_TOKEN":        fake.Token(),
		"BRIEFBOT_DISCORD_URL": fake.URL(),
		"BRIEFBOT_DB":          filepath.Join(t.TempDir(), "briefbot.db"),
		"BRIEFBOT_LLM_MODEL":   "fake-model",
		"OPENAI_BASE_URL":      model.BaseURL(),
		"OPENAI_API_KEY":       "sk-test-key",
		"BRIEFBOT_LOG_LEVEL":   "error",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return vars
}

type shown struct {
	Content string `json:"content"`
	Embeds  []struct {
		Title       string                `json:"title"`
		Description string                `json:"description"`
		Footer      struct{ Text string } `json:"footer"`
	} `json:"embeds"`
}

func decodeShown(t testing.TB, raw []byte) shown {
	t.Helper()
	var s shown
	if err := json.Unmarshal(raw, &s); err != nil || len(s.Embeds) != 1 {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return s
}

const simpleEnergy = "**Energy, simply:** Russia wants to help Venezuela's oil industry. Venezuela now pumps under 1 million barrels daily."

func styled(section, style string) discordtest.Command {
	return discordtest.Command{Name: section, Options: []discordtest.CommandOption{{Name: "style", Value: style}}}
}

func TestRephrasingEndToEnd(t *testing.T) {
	fake := discordtest.New(t)
	model := openaitest.NewServer(t, openaitest.Text(simpleEnergy))
	vars := llmVars(t, fake, model)
	p := startBotProcess(t, fake, vars)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	i := fake.DispatchCommand(styled("energy", "simple"))
	cb, err := fake.WaitCallback(ctx, i.ID)
	if err != nil {
		t.Fatal(err)
	}
	first := decodeShown(t, cb.Data)
	if cb.Type != discordtest.CallbackMessage || !strings.Contains(first.Content, "Rephrasing") || first.Embeds[0].Title != "Energy: oil, gas and OPEC+" {
		t.Fatalf("first answer: type %d, %+v; want the curated text at once, saying a rephrasing follows", cb.Type, first)
	}
	m, err := fake.WaitOriginal(ctx, i.ID, func(m discordtest.Message) bool { return m.Edits > 0 })
	if err != nil {
		t.Fatal(err)
	}
	var edited []struct {
		Title, Description string
		Footer             struct{ Text string }
	}
	json.Unmarshal(m.Embeds, &edited)
	if len(edited) != 1 || edited[0].Description != simpleEnergy || !strings.HasSuffix(edited[0].Footer.Text, "rephrased by fake-model from the curated text") {
		t.Errorf("edited answer = %+v", edited)
	}
	if got := model.Last().Authorization; got != "Bearer sk-test-key" {
		t.Errorf("Authorization %q", got)
	}

	again := fake.DispatchCommand(styled("energy", "simple"))
	cb, _ = fake.WaitCallback(ctx, again.ID)
	if s := decodeShown(t, cb.Data); s.Embeds[0].Description != simpleEnergy || s.Content != "" {
		t.Errorf("second ask: %+v; want the cached rephrasing at once", s)
	}
	if p.stop() != 0 {
		t.Error("briefbot did not shut down cleanly")
	}

	startBotProcess(t, fake, vars) // a restart on the same database
	after := fake.DispatchCommand(styled("energy", "simple"))
	cb, _ = fake.WaitCallback(ctx, after.ID)
	if s := decodeShown(t, cb.Data); s.Embeds[0].Description != simpleEnergy {
		t.Errorf("after a restart: %+v", s)
	}
	if model.Calls() != 1 {
		t.Errorf("the model was asked %d times for one rephrasing", model.Calls())
	}
	for _, req := range fake.Requests() {
		if am, ok := req.AllowedMentions(); ok && !strings.Contains(string(am), `"parse":[]`) {
			t.Errorf("%s %s: allowed_mentions %s", req.Method, req.Path, am)
		}
	}
}

// TestRephrasingFailures: whatever goes wrong upstream, the reader gets the
// curated text with a line saying why, and nothing the guard refused.
func TestRephrasingFailures(t *testing.T) {
	for _, tt := range []struct {
		name  string
		reply openaitest.Reply
		extra []string
		note  string
	}{
		{"timeout", openaitest.Reply{Hang: true}, []string{"BRIEFBOT_LLM_TIMEOUT", "300ms"}, "took too long"},
		{"server error", openaitest.Status(500), nil, "unavailable"},
		{"malformed", openaitest.Reply{Malformed: true}, nil, "unavailable"},
		{"invented number", openaitest.Text("Venezuela pumps 9 million barrels daily."), nil, "curated text"},
		{"ping", openaitest.Text("Russia will help Venezuela's oil industry, @everyone."), nil, "curated text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := discordtest.New(t)
			model := openaitest.NewServer(t, tt.reply)
			startBotProcess(t, fake, llmVars(t, fake, model, tt.extra...))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			i := fake.DispatchCommand(styled("energy", "brief"))
			if cb, err := fake.WaitCallback(ctx, i.ID); err != nil || cb.Type != discordtest.CallbackMessage {
				t.Fatalf("acknowledgement: %+v, %v", cb, err)
			}
			m, err := fake.WaitOriginal(ctx, i.ID, func(m discordtest.Message) bool { return m.Edits > 0 })
			if err != nil {
				t.Fatal(err)
			}
			var embeds []struct{ Description string }
			json.Unmarshal(m.Embeds, &embeds)
			if len(embeds) != 1 || !strings.HasPrefix(embeds[0].Description, "**The plan:**") {
				t.Errorf("final answer %+v: want the curated text", embeds)
			}
			if !strings.Contains(strings.ToLower(m.Content), tt.note) {
				t.Errorf("note %q, want it to mention %q", m.Content, tt.note)
			}
			for _, req := range fake.Requests() {
				if strings.Contains(string(req.Body), "@everyone") || strings.Contains(string(req.Body), "9 million") {
					t.Errorf("%s %s carried the refused text", req.Method, req.Path)
				}
			}
		})
	}
}

func TestRephrasingBudget(t *testing.T) {
	fake := discordtest.New(t)
	model := openaitest.NewServer(t, openaitest.Text(simpleEnergy))
	startBotProcess(t, fake, llmVars(t, fake, model, "BRIEFBOT_LLM_DAILY_TOKENS", "10", "BRIEFBOT_LLM_COOLDOWN", "0s"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	i := fake.DispatchCommand(styled("energy", "simple"))
	if _, err := fake.WaitOriginal(ctx, i.ID, func(m discordtest.Message) bool { return m.Edits > 0 }); err != nil {
		t.Fatal(err)
	}
	over := fake.DispatchCommand(styled("energy", "bullets"))
	cb, err := fake.WaitCallback(ctx, over.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := decodeShown(t, cb.Data)
	if !strings.Contains(s.Content, "budget") || !strings.HasPrefix(s.Embeds[0].Description, "**The plan:**") {
		t.Errorf("over budget: %+v; want the curated text and a note about the budget", s)
	}
	if model.Calls() != 1 {
		t.Errorf("%d upstream calls, want 1", model.Calls())
	}
}

// BenchmarkFirstAckSlowModel measures the time from dispatch to the
// interaction's acknowledgement while every rephrasing takes 10 seconds
// upstream: the reader sees the curated text at once.
func BenchmarkFirstAckSlowModel(b *testing.B) {
	fake := discordtest.New(b)
	release := make(chan struct{})
	model := openaitest.NewServer(b, openaitest.Reply{Delay: 10 * time.Second, Release: release, Text: simpleEnergy})
	startBotProcess(b, fake, llmVars(b, fake, model, "BRIEFBOT_LLM_COOLDOWN", "0s", "BRIEFBOT_LLM_DAILY_TOKENS", "0"))
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	styles := []string{"brief", "bullets", "simple", "formal"}
	sections := []string{"summary", "agreement", "energy", "security", "economy", "advocacy", "context", "reactions", "outlook", "skeptic", "conclusion", "timeline", "quotes", "sources"}
	var lat []time.Duration
	b.ResetTimer()
	for n := range b.N {
		i := fake.DispatchCommand(discordtest.Command{Name: sections[n%len(sections)], Options: []discordtest.CommandOption{
			{Name: "style", Value: styles[(n/len(sections))%len(styles)]},
			{Name: "language", Value: []string{"", "es", "ru", "pt"}[(n/(len(sections)*len(styles)))%4]},
		}})
		if _, err := fake.WaitCallback(ctx, i.ID); err != nil {
			b.Fatal(err)
		}
		d, _ := fake.Latency(i.ID)
		lat = append(lat, d)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
