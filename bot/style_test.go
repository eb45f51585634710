package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

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

func TestSplitStyle(t *testing.T) {
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
		rest, style, lang := bot.SplitStyle(tt.in)
		if rest != tt.rest || style != tt.style || lang.Code != tt.lang {
			t.Errorf("SplitStyle(%q) = %q, %q, %q; want %q, %q, %q", tt.in, rest, style, lang.Code, tt.rest, tt.style, tt.lang)
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

func TestRewritingOff(t *testing.T) {
	w := bot.RewritingOff
	if w.Enabled() {
		t.Error("RewritingOff is enabled")
	}
	l, _ := bot.LanguageByCode("ru")
	req := bot.RewriteRequest{Passage: bot.Passage{ArticleID: "a", Section: "energy", Title: "Energy", Text: "Oil."}, Style: bot.StyleSimple, Language: l}
	want := bot.Rewrite{Text: req.Text, Note: "Rephrasing is not set up on this bot; here is the curated text."}
	if got, final := w.Immediate(context.Background(), req); !final || got != want {
		t.Errorf("Immediate = %+v, %v; want %+v", got, final, want)
	}
	if got := w.Rewrite(context.Background(), req); got != want {
		t.Errorf("Rewrite = %+v; want %+v", got, want)
	}
	plain := req
	plain.Style, plain.Language = bot.StyleCurated, bot.Language{}
	if got := w.Rewrite(context.Background(), plain); got != (bot.Rewrite{Text: plain.Text}) {
		t.Errorf("Rewrite without a style = %+v", got)
	}
	// English is the curated text's language: no translation to refuse.
	plain.Language, _ = bot.LanguageByCode("en")
	if got := w.Rewrite(context.Background(), plain); got != (bot.Rewrite{Text: plain.Text}) {
		t.Errorf("Rewrite into English = %+v", got)
	}
}
