package answer_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/answer"
	"github.com/briefbot/briefbot/content"
)

// The tests answer from the built-in article, with the aliases of
// testdata/aliases.md, which is written in the content syntax so that it
// can move into the article file as it is.

var builtin = sync.OnceValues(func() ([]answer.Article, error) {
	lib, err := content.Load(content.Embedded())
	if err != nil {
		return nil, err
	}
	articleAliases, sectionAliases, err := readAliasFixture("testdata/aliases.md")
	if err != nil {
		return nil, err
	}
	var out []answer.Article
	for _, a := range lib.Articles() {
		out = append(out, fromBot(a, articleAliases, sectionAliases))
	}
	return out, nil
})

// fromBot maps the core's article to the answerer's input, as the core
// will.
func fromBot(a *bot.Article, articleAliases []answer.Alias, sectionAliases map[string][]answer.Alias) answer.Article {
	out := answer.Article{ID: a.ID, Title: a.Title, Sources: a.Sources, Aliases: articleAliases}
	for _, s := range a.Sections {
		out.Sections = append(out.Sections, answer.Section{
			Name:        s.Name,
			Title:       s.Title,
			Description: s.Description,
			Keywords:    s.Keywords,
			Aliases:     sectionAliases[s.Name],
			Body:        s.Body,
		})
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

// readAliasFixture reads the aliases of a file in the content syntax: a
// front matter list under "aliases:", and an "aliases:" line after a
// section's "## name" heading.
func readAliasFixture(path string) ([]answer.Alias, map[string][]answer.Alias, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var article []answer.Alias
	sections := make(map[string][]answer.Alias)
	sc := bufio.NewScanner(f)
	line, fences, inList, section := 0, 0, false, ""
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case text == "---":
			fences++
		case fences == 1 && strings.HasPrefix(text, "aliases:"):
			inList = true
		case fences == 1 && inList && strings.HasPrefix(strings.TrimSpace(text), "- "):
			groups, err := parseAliases(strings.TrimPrefix(strings.TrimSpace(text), "- "))
			if err != nil {
				return nil, nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			article = append(article, groups...)
		case strings.HasPrefix(text, "## "):
			section, _, _ = strings.Cut(strings.TrimPrefix(text, "## "), ":")
			section = strings.TrimSpace(section)
		case section != "" && strings.HasPrefix(text, "aliases:"):
			groups, err := parseAliases(strings.TrimPrefix(text, "aliases:"))
			if err != nil {
				return nil, nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			sections[section] = append(sections[section], groups...)
		}
	}
	return article, sections, sc.Err()
}

// parseAliases parses "tv = television; petróleo, нефть = oil".
func parseAliases(s string) ([]answer.Alias, error) {
	var out []answer.Alias
	for _, group := range strings.Split(s, ";") {
		if strings.TrimSpace(group) == "" {
			continue
		}
		terms, means, ok := strings.Cut(group, "=")
		if !ok {
			return nil, fmt.Errorf("alias group %q has no \"=\"", strings.TrimSpace(group))
		}
		a := answer.Alias{Means: strings.TrimSpace(means)}
		for _, t := range strings.Split(terms, ",") {
			if t = strings.TrimSpace(t); t != "" {
				a.Terms = append(a.Terms, t)
			}
		}
		out = append(out, a)
	}
	return out, nil
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
