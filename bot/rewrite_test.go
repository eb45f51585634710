package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
	"github.com/briefbot/briefbot/content"
)

// newRewritingBot is the built-in bot with a scripted language model.
func newRewritingBot(t *testing.T, model *rewritetest.Model, cache rewrite.Cache) *bot.Bot {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	rw, err := rewrite.New(rewrite.Config{Model: model, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(lib, bot.Options{Rewriter: rw})
}

func optionNames(c bot.Command) []string {
	var names []string
	for _, o := range c.Options {
		names = append(names, o.Name)
	}
	return names
}

func TestStyleOptionsOnlyWithAModel(t *testing.T) {
	for _, tt := range []struct {
		name string
		b    *bot.Bot
		want string
	}{
		{"off", newBot(t), "article private"},
		{"on", newRewritingBot(t, &rewritetest.Model{}, rewritetest.NewCache()), "article style language private"},
	} {
		for _, c := range tt.b.Commands() {
			if c.Name == "energy" {
				if got := strings.Join(optionNames(c), " "); got != tt.want {
					t.Errorf("%s: /energy options %q, want %q", tt.name, got, tt.want)
				}
			}
		}
	}
}

func TestRephrasedSection(t *testing.T) {
	model := &rewritetest.Model{Model: "test-model"}
	simple := "**Energy, simply:** Russia wants to help Venezuela pump more oil. Production is under 1 million barrels daily."
	model.Script = append(model.Script, model.Reply(simple, 120))
	cache := rewritetest.NewCache()
	b := newRewritingBot(t, model, cache)
	ctx := context.Background()

	first := answer(t, b, command("energy", "style", "simple"))
	if first.Pending == nil || !strings.Contains(first.Content, "Rephrasing") || first.Title != "Energy: oil, gas and OPEC+" {
		t.Fatalf("first answer: pending %v, content %q, title %q; want the curated text with a note while the model works", first.Pending != nil, first.Content, first.Title)
	}
	final, err := first.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := final.Check(); err != nil {
		t.Fatal(err)
	}
	if final.Body != simple || final.Title != "Energy: oil, gas and OPEC+ · Simple" || !strings.HasSuffix(final.Footer, "rephrased by test-model from the curated text") {
		t.Errorf("rephrased: title %q, footer %q, body %q", final.Title, final.Footer, final.Body)
	}
	for _, row := range final.Buttons {
		for _, btn := range row {
			if c, _ := bot.ParseComponentID(btn.ID); c.Style != "simple" {
				t.Errorf("button %q loses the style: %q", btn.Label, btn.ID)
			}
		}
	}

	again := answer(t, b, command("energy", "style", "simple"))
	if again.Pending != nil || again.Body != simple {
		t.Errorf("second answer: pending %v, body %q; want the cached rephrasing at once", again.Pending != nil, again.Body)
	}
	if model.Calls() != 1 {
		t.Errorf("%d model calls for one rephrasing", model.Calls())
	}

	// A fresh bot on the same cache stands for a restart, which first
	// waits for the rewrites in flight to be stored, as briefbot's
	// shutdown does.
	b.Rewriter().(*rewrite.Rewriter).Wait()
	restarted := newRewritingBot(t, model, cache)
	if r := answer(t, restarted, command("energy", "style", "simple")); r.Pending != nil || r.Body != simple || model.Calls() != 1 {
		t.Errorf("after a restart: pending %v, %d model calls", r.Pending != nil, model.Calls())
	}
}

func TestRephrasingFallsBack(t *testing.T) {
	model := &rewritetest.Model{}
	model.Script = append(model.Script, model.Reply("Production is under 7 million barrels daily. @everyone", 50))
	b := newRewritingBot(t, model, rewritetest.NewCache())
	first := answer(t, b, command("energy", "style", "brief"))
	final, err := first.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	curated := b.Library().Default().Section("energy").Body
	if final.Body != curated || final.Content == "" || strings.Contains(final.Body, "@everyone") {
		t.Errorf("a rejected rephrasing: content %q, body curated %v", final.Content, final.Body == curated)
	}
	if model.Calls() != 2 {
		t.Errorf("%d model calls, want 2 (one strict retry)", model.Calls())
	}
}

func TestStyleInText(t *testing.T) {
	model := &rewritetest.Model{}
	b := newRewritingBot(t, model, rewritetest.NewCache())
	for _, tt := range []struct {
		text, style, lang string
	}{
		{"energy simply", "simple", ""},
		{"summary in Spanish", "", "es"},
		{"/timeline as bullets", "bullets", ""},
	} {
		r := answer(t, b, &bot.Request{Kind: bot.KindText, Text: tt.text, Source: bot.FromDM, User: bot.User{ID: "u"}})
		if r.Pending == nil {
			t.Errorf("%q: no rephrasing under way", tt.text)
			continue
		}
		if _, err := r.Pending(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := model.Requests()
		last := reqs[len(reqs)-1]
		if string(last.Style) != tt.style || last.Language.Code != tt.lang {
			t.Errorf("%q: asked the model for style %q language %q", tt.text, last.Style, last.Language.Code)
		}
	}
	// Without a model the reader still gets the section, and a word why.
	r := answer(t, newBot(t), &bot.Request{Kind: bot.KindText, Text: "energy simply", Source: bot.FromDM})
	if r.Pending != nil || r.Title != "Energy: oil, gas and OPEC+" || r.Content == "" {
		t.Errorf("without a model: pending %v, title %q, note %q", r.Pending != nil, r.Title, r.Content)
	}
}

func TestStyleErrors(t *testing.T) {
	b := newRewritingBot(t, &rewritetest.Model{}, rewritetest.NewCache())
	for _, req := range []*bot.Request{command("energy", "style", "poetic"), command("energy", "language", "Klingon")} {
		if _, err := b.Answer(context.Background(), req); bot.KindOf(err) != bot.Invalid {
			t.Errorf("%v: %v, want an Invalid error", req.Options, err)
		}
	}
	r := answer(t, b, &bot.Request{Kind: bot.KindAutocomplete, Command: "energy", Focused: "language", Locale: "es-ES", Options: map[string]string{"language": ""}})
	if len(r.Choices) == 0 || r.Choices[0].Value != "es" {
		t.Errorf("language choices for a Spanish reader start with %+v", r.Choices[:min(len(r.Choices), 1)])
	}
	r = answer(t, b, &bot.Request{Kind: bot.KindAutocomplete, Command: "energy", Focused: "language", Options: map[string]string{"language": "ру"}})
	if len(r.Choices) == 0 || r.Choices[0].Value != "ru" {
		t.Errorf("typing ру suggests %+v", r.Choices)
	}
}

// A reader who turns to page 2 of a section in a style gets page 2, at once
// in the curated text and then in the rewrite that replaces it.
func TestPendingRewriteKeepsThePage(t *testing.T) {
	body := strings.TrimSpace(strings.Repeat("A long paragraph that needs turning pages.\n\n", 80))
	lib, err := bot.NewLibrary(&bot.Article{ID: "story", Title: "Story", Sections: []*bot.Section{
		{Name: "long", Title: "Long", Description: "d", Body: body},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rw, err := rewrite.New(rewrite.Config{Model: &rewritetest.Model{}, Cache: rewritetest.NewCache()}) // it echoes the text
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{Rewriter: rw})
	click := bot.ComponentID{Action: bot.ActionPage, Article: "story", Section: "long", Page: 1, Style: "simple"}.Encode()
	first := answer(t, b, &bot.Request{Kind: bot.KindComponent, CustomID: click, Source: bot.FromGuild, User: bot.User{ID: "u"}})
	if first.Pending == nil || !strings.HasSuffix(first.Footer, "page 2 of 2") {
		t.Fatalf("at once: pending %v, footer %q; want page 2 while the rewrite is made", first.Pending != nil, first.Footer)
	}
	final, err := first.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pages := bot.Paginate(body, bot.PageSize)
	if !strings.HasSuffix(final.Footer, "page 2 of 2") || final.Body != pages[1] {
		t.Errorf("the rewrite shows footer %q and body %.40q…; want page 2 of 2, %.40q…", final.Footer, final.Body, pages[1])
	}
}
