package ask_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
)

func newComposing(t *testing.T, m *rewritetest.AnswerModel) *bot.Bot {
	t.Helper()
	w, err := rewrite.New(rewrite.Config{Model: &rewritetest.Model{}, Answers: m, Cache: rewritetest.NewCache()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Wait)
	return newBot(t, ask.Config{Composer: w})
}

// With a model the statements come at once, and then a short answer
// composed from them, citing them by number, above them.
func TestComposedAnswer(t *testing.T) {
	m := &rewritetest.AnswerModel{}
	m.Script = append(m.Script, m.Reply("Russia pledged to supply Venezuela with advanced military equipment [1].", 20))
	b := newComposing(t, m)
	first := answer(t, b, dm("are they sending weapons?"))
	if first.Pending == nil || !strings.Contains(first.Content, "Writing a short answer") || !strings.HasPrefix(first.Body, "> **The hardware:**") {
		t.Fatalf("at once: pending %v, content %q, body %q", first.Pending != nil, first.Content, first.Body)
	}
	final, err := first.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := final.Check(); err != nil {
		t.Error(err)
	}
	if !strings.HasPrefix(final.Body, "Russia pledged to supply Venezuela with advanced military equipment [1].\n\n> **The hardware:**") || final.Content != "" {
		t.Errorf("composed: content %q body:\n%s", final.Content, final.Body)
	}
	if !strings.Contains(final.Footer, "short answer by fake-model") {
		t.Errorf("footer %q does not say who composed it", final.Footer)
	}
	if diff := len(final.Buttons) - len(first.Buttons); diff != 0 {
		t.Errorf("the composed answer has %d more rows of buttons", diff)
	}
	req := m.Requests()[0]
	if req.Question != "are they sending weapons?" || len(req.Statements) == 0 || !strings.HasPrefix(req.Statements[0], "**The hardware:**") {
		t.Errorf("the model was asked %+v", req)
	}
}

// An answer the guard refuses is not shown: the statements stay, with a
// word why.
func TestComposedAnswerFallsBack(t *testing.T) {
	m := &rewritetest.AnswerModel{}
	m.Script = append(m.Script, m.Reply("Russia will send 500 tanks [1].", 20))
	b := newComposing(t, m)
	first := answer(t, b, dm("are they sending weapons?"))
	final, err := first.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if final.Body != first.Body || !strings.Contains(final.Content, "did not keep to the statements") || strings.Contains(final.Body, "500") {
		t.Errorf("fallback: content %q body:\n%s", final.Content, final.Body)
	}
}

// A question asked in a language gets its answer in that language; "… in
// Russian" asks for Russian.
func TestComposedLanguage(t *testing.T) {
	m := &rewritetest.AnswerModel{}
	b := newComposing(t, m)
	for _, tt := range []struct{ question, lang string }{
		{"¿qué pasa con el petróleo?", "es"},
		{"what about the oil, in Russian?", "ru"},
		{"what about the oil?", ""},
	} {
		r := answer(t, b, dm(tt.question))
		if r.Pending == nil {
			t.Errorf("%q: no answer composed (%q)", tt.question, r.Body)
			continue
		}
		if _, err := r.Pending(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := m.Requests()
		if got := reqs[len(reqs)-1].Language.Code; got != tt.lang {
			t.Errorf("%q: composed in %q, want %q", tt.question, got, tt.lang)
		}
	}
	// A refusal composes nothing.
	if r := answer(t, b, dm("bananas are yellow")); r.Pending != nil {
		t.Error("a refusal is composed")
	}
}
