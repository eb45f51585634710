package answer_test

import (
	"flag"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/answer"
	"github.com/briefbot/briefbot/content"
)

// The tests answer from the built-in article, with the aliases its file
// gives.

var builtin = sync.OnceValues(func() ([]answer.Article, error) {
	lib, err := content.Load(content.Embedded())
	if err != nil {
		return nil, err
	}
	var out []answer.Article
	for _, a := range lib.Articles() {
		out = append(out, fromBot(a))
	}
	return out, nil
})

// fromBot maps the core's article to the answerer's input, as the core
// will.
func fromBot(a *bot.Article) answer.Article {
	out := answer.Article{ID: a.ID, Title: a.Title, Sources: a.Sources, Aliases: aliases(a.Aliases)}
	for _, s := range a.Sections {
		out.Sections = append(out.Sections, answer.Section{
			Name:        s.Name,
			Title:       s.Title,
			Description: s.Description,
			Keywords:    s.Keywords,
			Aliases:     aliases(s.Aliases),
			Body:        s.Body,
		})
	}
	return out
}

func aliases(in []bot.Alias) []answer.Alias {
	out := make([]answer.Alias, len(in))
	for i, a := range in {
		out[i] = answer.Alias{Terms: a.Terms, Means: a.Means}
	}
	return out
}

func newBuiltin(tb testing.TB) *answer.Index {
	tb.Helper()
	articles, err := builtin()
	if err != nil {
		tb.Fatal(err)
	}
	x, err := answer.New(articles...)
	if err != nil {
		tb.Fatal(err)
	}
	return x
}

var explainQ = flag.String("explain", "", "TestExplain: questions to explain, separated by |")

// TestExplain prints how the questions of -explain were read and scored.
func TestExplain(t *testing.T) {
	if *explainQ == "" {
		t.Skip("no -explain questions")
	}
	x := newBuiltin(t)
	for _, q := range strings.Split(*explainQ, "|") {
		t.Logf("%q\n%s", q, answer.Explain(x, q))
	}
}
