package bot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/content"
)

// The library of content/testdata/several: riverton-tram (the default) and
// riverton-harbour share the sections summary, cost and timeline, each
// described in its own words; riverton-library has sections of its own.
func severalBot(t *testing.T) *bot.Bot {
	t.Helper()
	lib, err := content.Load(os.DirFS(filepath.Join("..", "content", "testdata", "several")))
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(lib, bot.Options{})
}

func TestSeveralArticlesHelp(t *testing.T) {
	b := severalBot(t)
	tests := []struct {
		article    string
		has, lacks []string
	}{
		{"", []string{"**Riverton Council Approves Tram Line", "`/summary`", "`/cost` `/timeline`", "`/help article:riverton-harbour`", "`/help article:riverton-library`"}, []string{"`/books`", "`/hours`", "article:riverton-tram`:"}},
		{"riverton-harbour", []string{"**Riverton Harbour Reopens", "`/cost` `/timeline`", "add it to each command, like `/summary article:riverton-harbour`", "`/help article:riverton-tram` Riverton Council Approves Tram Line After Decade of Debate (March 3, 2026), the default"}, []string{"`/books`", "`/help article:riverton-harbour`"}},
		{"riverton-library", []string{"**Riverton Library Extends", "**Read**\nStart with `/books`, then pick a topic:\n`/hours`", "`/books article:riverton-library`"}, []string{"`/summary`", "`/cost`", "`/help article:riverton-library`"}},
	}
	for _, tt := range tests {
		t.Run(tt.article, func(t *testing.T) {
			r := answer(t, b, command("help", "article", tt.article))
			for _, s := range tt.has {
				if !strings.Contains(r.Body, s) {
					t.Errorf("help lacks %q:\n%s", s, r.Body)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(r.Body, s) {
					t.Errorf("help has %q:\n%s", s, r.Body)
				}
			}
			a, _ := b.Library().Article(tt.article)
			if r.Menu == nil || len(r.Menu.Options) != len(a.Sections) || r.Menu.Options[0].Value != a.Sections[0].Name {
				t.Errorf("menu = %+v, want the sections of %s", r.Menu, a.ID)
			}
		})
	}
	// In a DM or the console, the text grammar takes the option too.
	r := answer(t, b, &bot.Request{Kind: bot.KindText, Text: "help article:riverton-library", Source: bot.FromDM})
	if !strings.Contains(r.Body, "`/books`") || strings.Contains(r.Body, "`/cost`") {
		t.Errorf("help article:riverton-library in a DM:\n%s", r.Body)
	}
}

func TestSeveralArticlesSections(t *testing.T) {
	b := severalBot(t)
	tests := []struct {
		command, article, title, fact, footer, url string
	}{
		{"summary", "", "The story in brief", "31 to 14", "Riverton Gazette · The story in brief", "https://gazette.example/riverton/tram-line"},
		{"summary", "riverton-harbour", "The story in brief", "four months of repairs", "harbour-news.example.org · The story in brief", "https://www.harbour-news.example.org/2026/reopening"},
		{"cost", "riverton-harbour", "Paying for the repairs", "€40 million", "harbour-news.example.org · Paying for the repairs", "https://www.harbour-news.example.org/2026/reopening"},
		// A section only one article has needs no article option.
		{"books", "", "What is new on the shelves", "two thousand", "January 20, 2026 · What is new on the shelves", ""},
		{"hours", "riverton-library", "The new opening hours", "9 p.m.", "January 20, 2026 · The new opening hours", ""},
	}
	for _, tt := range tests {
		t.Run(tt.command+"-"+tt.article, func(t *testing.T) {
			r := answer(t, b, command(tt.command, "article", tt.article))
			if r.Title != tt.title || !strings.Contains(r.Body, tt.fact) || r.Footer != tt.footer || r.TitleURL != tt.url {
				t.Errorf("got title %q, footer %q, url %q, body\n%s", r.Title, r.Footer, r.TitleURL, r.Body)
			}
		})
	}
	if _, err := b.Answer(t.Context(), command("books", "article", "riverton-tram")); bot.KindOf(err) != bot.NotFound || !strings.Contains(bot.UserMessage(err), "/help article:riverton-tram") {
		t.Errorf("/books of an article without it: %v", err)
	}
	// Autocomplete offers only the articles that have the section.
	r := answer(t, b, &bot.Request{Kind: bot.KindAutocomplete, Command: "cost", Focused: "article", Options: map[string]string{"article": ""}})
	var ids []string
	for _, c := range r.Choices {
		ids = append(ids, c.Value)
	}
	if strings.Join(ids, " ") != "riverton-tram riverton-harbour" {
		t.Errorf("autocomplete for /cost offers %v", ids)
	}
}

// TestSeveralArticlesCommands: a command stands for every article that has
// the section, so neither its description nor its article option names an
// article that lacks it, or one article's story for all of them.
func TestSeveralArticlesCommands(t *testing.T) {
	b := severalBot(t)
	want := map[string]struct{ description, article string }{
		"summary":  {"The story in brief, in the article you choose", "Which article: riverton-tram or riverton-harbour (default: riverton-tram)"},
		"cost":     {"The /cost section of the article you choose", "Which article: riverton-tram or riverton-harbour (default: riverton-tram)"},
		"timeline": {"Key dates, in the article you choose", "Which article: riverton-tram or riverton-harbour (default: riverton-tram)"},
		"books":    {"Two thousand new books and a room for children", "The article: only riverton-library has this section"},
		"hours":    {"Open until 9 p.m. on weekdays from February", "The article: only riverton-library has this section"},
		"help":     {"What you can ask briefbot", "Which article's sections to list (default: riverton-tram)"},
		"about":    {"The article, its date and sources, and what briefbot is", "Which article (default: riverton-tram)"},
	}
	seen := 0
	for _, c := range b.Commands() {
		w, ok := want[c.Name]
		if !ok {
			t.Errorf("unexpected command /%s", c.Name)
			continue
		}
		seen++
		if c.Description != w.description {
			t.Errorf("/%s description = %q, want %q", c.Name, c.Description, w.description)
		}
		if c.Options[0].Name != bot.OptArticle || c.Options[0].Description != w.article {
			t.Errorf("/%s article option = %+v, want %q", c.Name, c.Options[0], w.article)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d commands registered", seen, len(want))
	}
}

func TestSeveralArticlesAbout(t *testing.T) {
	b := severalBot(t)
	tests := []struct {
		article string
		body    []string
		fields  map[string]string
	}{
		{"", []string{"Published by **Riverton Gazette** on March 3, 2026.", "Written by Ana Ruiz.", "The title links to the original.", "comes from this article, “Riverton Council Approves Tram Line After Decade of Debate”."},
			map[string]string{"Publisher": "Riverton Gazette", "Published": "March 3, 2026", "Updated": "March 4, 2026", "Sections": "3", "Sources it cites": "Riverton Gazette, Ministry of Transport"}},
		{"riverton-harbour", []string{"Published on **harbour-news.example.org** on February 10, 2026; the publisher is not named.", "comes from this article, “Riverton Harbour Reopens After Storm Repairs”."},
			map[string]string{"Publisher": "Not known", "Published": "February 10, 2026", "Sections": "3"}},
		{"riverton-library", []string{"The publisher of this story is not known. It is dated Riverton, January 20, 2026.", "briefbot has no link to the original.", "“Riverton Library Extends Its Opening Hours”."},
			map[string]string{"Publisher": "Not known", "Sections": "2", "Sources it cites": "Riverton City Hall"}},
	}
	for _, tt := range tests {
		t.Run(tt.article, func(t *testing.T) {
			r := answer(t, b, command("about", "article", tt.article))
			for _, s := range tt.body {
				if !strings.Contains(r.Body, s) {
					t.Errorf("about lacks %q:\n%s", s, r.Body)
				}
			}
			fields := map[string]string{}
			for _, f := range r.Fields {
				fields[f.Name] = f.Value
			}
			for k, v := range tt.fields {
				if fields[k] != v {
					t.Errorf("field %s = %q, want %q", k, fields[k], v)
				}
			}
		})
	}
}

// TestSeveralArticlesGolden pins every reply of the three articles.
func TestSeveralArticlesGolden(t *testing.T) {
	b := severalBot(t)
	cases := map[string]*bot.Request{}
	for _, a := range b.Library().Articles() {
		cases[a.ID+"-help"] = command("help", "article", a.ID)
		cases[a.ID+"-about"] = command("about", "article", a.ID)
		for _, s := range a.Sections {
			cases[a.ID+"-"+s.Name] = command(s.Name, "article", a.ID)
		}
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(answer(t, b, req), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "several", name+".json"), append(got, '\n'))
		})
	}
}
