package draft_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/briefbot/briefbot/bot/draft"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// articles are the fixtures: the built-in article's source, plain text
// with headings on lines of their own, and a Markdown story of another
// kind, with a byline, subheadings, lists and a list of sources.
var articles = []struct{ name, path string }{
	{"putin-maduro", filepath.Join("..", "..", "content", "testdata", "article.txt")},
	{"tram", filepath.Join("testdata", "tram.md")},
}

// TestDraftGolden compares each draft with its golden file; go test
// -update rewrites them.
func TestDraftGolden(t *testing.T) {
	for _, tt := range articles {
		t.Run(tt.name, func(t *testing.T) {
			a := read(t, tt.path)
			got := a.Markdown()
			golden := filepath.Join("testdata", tt.name+".golden.md")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("draft differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

func read(t *testing.T, path string) *draft.Article {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := draft.Read(string(text))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDraftFinds checks what the drafts find in the two fixtures.
func TestDraftFinds(t *testing.T) {
	type found struct {
		ID, Title, Dateline, Published, Author string
		Sources, Sections                      []string
		Notes                                  []string
	}
	want := map[string]found{
		"putin-maduro": {
			ID:        "putin-maduro-2025",
			Title:     "Putin and Maduro Sign Strategic Partnership Agreement in Moscow, Bolstering Russia-Venezuela Ties",
			Dateline:  "Moscow",
			Published: "2025-05-07",
			Sources:   []string{"Reuters", "The Moscow Times", "TASS", "Bloomberg", "RIO Times", "posts on X"},
			Sections:  []string{"summary", "details", "context", "reactions", "skeptical", "conclusion", "timeline", "quotes", "sources"},
			Notes:     []string{`left out the text before the headline: "Posted in"`},
		},
		"tram": {
			ID:        "riverton-council-2026",
			Title:     "Riverton Council Approves €1.2 Billion Tram Line After Decade of Debate",
			Dateline:  "Riverton",
			Published: "2026-03-03",
			Author:    "Ana Ruiz",
			Sources:   []string{"Riverton Gazette", "Channel 4 News", "Ministry of Transport"},
			// The article's own "Timeline" heading gives way to the
			// gathered timeline; its "Sources" list is the sources.
			Sections: []string{"summary", "vote", "cost", "critics", "timeline-5", "timeline", "quotes", "sources"},
		},
	}
	for _, tt := range articles {
		a := read(t, tt.path)
		got := found{ID: a.ID, Title: a.Title, Dateline: a.Dateline, Published: a.Published.Format("2006-01-02"),
			Author: a.Author, Sources: a.Sources, Notes: a.Notes}
		for _, s := range a.Sections {
			got.Sections = append(got.Sections, s.Name)
		}
		if diff := cmp.Diff(want[tt.name], got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestDraftGathers checks the gathered sections of the built-in article:
// every dated sentence in date order, every quotation with its speaker,
// every source with what it is cited for.
func TestDraftGathers(t *testing.T) {
	a := read(t, articles[0].path)
	section := func(name string) string {
		for _, s := range a.Sections {
			if s.Name == name {
				return s.Body
			}
		}
		t.Fatalf("no section %s", name)
		return ""
	}
	var dates []string
	for _, m := range regexp.MustCompile(`(?m)^- \*\*([^*]+)\*\*`).FindAllStringSubmatch(section("timeline"), -1) {
		dates = append(dates, m[1])
	}
	wantDates := []string{"2019", "2022", "2022", "2023", "2024", "2024", "2024", "2024", "2024", "November 2024",
		"January 2025", "March 14, 2025", "May 7, 2025", "May 7", "May 7, 2025", "May 9"}
	if diff := cmp.Diff(wantDates, dates); diff != "" {
		t.Errorf("timeline dates (-want +got):\n%s", diff)
	}

	var quotes []string
	for _, q := range strings.Split(section("quotes"), "\n\n") {
		quotes = append(quotes, strings.ReplaceAll(q, "\n", " "))
	}
	wantQuotes := []string{
		"> “weighty, substantial, and very important framework document” — Kremlin spokesman Dmitry Peskov",
		"> “new axis of alliances” — @SprinterObserve",
		"> “multipolar world order” — no speaker is named",
		"> “collective West.” — no speaker is named",
		"> “BRICS is the epicenter of global changes.” — Nicolás Maduro",
		"> “our nations’ development interests.” — Vladimir Putin",
		"> “crucial for safeguarding national sovereignty.” — Venezuelan Vice President Delcy Rodríguez",
	}
	if diff := cmp.Diff(wantQuotes, quotes); diff != "" {
		t.Errorf("quotes (-want +got):\n%s", diff)
	}

	sources := section("sources")
	for _, want := range []string{
		"**TASS** — The agreement emphasizes coordination at the UN and other platforms to combat terrorism, extremism, and historical revisionism, per TASS.",
		"**Bloomberg** — A Bloomberg report noted concerns about Russia’s military support escalating regional tensions.",
	} {
		if !strings.Contains(sources, want) {
			t.Errorf("sources lacks %q:\n%s", want, sources)
		}
	}
}

// TestDraftValid drafts articles of every shape, odd ones too, and checks
// that each draft keeps the content format's rules: validate's own test
// is in cmd/briefbot, which may import the content package.
func TestDraftValid(t *testing.T) {
	long := strings.Repeat("Word ", 60)
	many := ""
	for i := range 30 {
		many += "\n\nHeading number " + string(rune('A'+i%26)) + "\n\nSome text of this part, said nobody."
	}
	inputs := map[string]string{
		"no headings":   "Officials met on Monday. They agreed on nothing, according to officials.",
		"no date":       "# A story without a date\n\nIt happened. “Something,” she said.",
		"one line":      "Hello",
		"cyrillic":      "# Путин и Мадуро подписали соглашение\n\nМОСКВА, 7 мая — Текст.\n\n## Энергетика\n\nНефть и газ.\n\n## Безопасность\n\nОружие.",
		"long headline": "# " + long + "\n\n## " + long + "\n\n" + long + ".",
		"many headings": "Thirty Headings Of One Article" + many,
		"empty heading": "# Title of it all\n\n## \n\n## Help\n\nText about help.\n\n## About\n\n## Ask\n\nText.",
		"reserved":      "# Title of it all\n\n## Help\n\nText.\n\n## About\n\nMore text.\n\n## Digest\n\nEven more.",
		"emoji":         "# " + strings.Repeat("🙂", 120) + "\n\n" + strings.Repeat("🙂", 200) + ".",
	}
	articleText := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, a := range articles {
		inputs[a.name] = articleText(a.path)
	}
	for name, text := range inputs {
		t.Run(name, func(t *testing.T) {
			a, err := draft.Read(text)
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, a)
		})
	}
	if _, err := draft.Read(" \n\n "); err != draft.ErrEmpty {
		t.Errorf("an empty article: %v, want ErrEmpty", err)
	}
}

var nameRE = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

func checkValid(t *testing.T, a *draft.Article) {
	t.Helper()
	u16 := func(s string) int { return len(utf16.Encode([]rune(s))) }
	if !nameRE.MatchString(a.ID) {
		t.Errorf("id %q", a.ID)
	}
	if a.Title == "" || u16(a.Title) > 256 {
		t.Errorf("title %q", a.Title)
	}
	if n := len(a.Sections); n == 0 || n > 25 {
		t.Errorf("%d sections", n)
	}
	names := map[string]bool{}
	for _, s := range a.Sections {
		names[s.Name] = true
	}
	if len(names) != len(a.Sections) {
		t.Errorf("section names repeat: %v", names)
	}
	for _, s := range a.Sections {
		switch {
		case !nameRE.MatchString(s.Name) || s.Name == "help" || s.Name == "about" || s.Name == "digest" || s.Name == "ask":
			t.Errorf("section name %q", s.Name)
		case s.Title == "" || u16(s.Title) > 80 || strings.Contains(s.Title, "\n"):
			t.Errorf("%s: title %q", s.Name, s.Title)
		case s.Description == "" || u16(s.Description) > 100 || strings.Contains(s.Description, "\n"):
			t.Errorf("%s: description %q", s.Name, s.Description)
		case len(s.Keywords) == 0:
			t.Errorf("%s: no keywords", s.Name)
		case strings.TrimSpace(s.Body) == "":
			t.Errorf("%s: empty body", s.Name)
		case len(s.Related) > 5:
			t.Errorf("%s: %d related", s.Name, len(s.Related))
		}
		for _, r := range s.Related {
			if !names[r] || r == s.Name {
				t.Errorf("%s: related %q", s.Name, r)
			}
		}
		for _, line := range strings.Split(s.Body, "\n") {
			if strings.HasPrefix(line, "#") {
				t.Errorf("%s: a body line reads as a heading: %q", s.Name, line)
			}
		}
	}
}

// FuzzRead makes sure no text makes Read fail or write a draft that
// breaks the format's rules.
func FuzzRead(f *testing.F) {
	for _, a := range articles {
		b, err := os.ReadFile(a.path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("# T\n\n## A\n\n“x” — y. per Z, according to")
	f.Fuzz(func(t *testing.T, text string) {
		a, err := draft.Read(text)
		if err != nil {
			return
		}
		checkValid(t, a)
	})
}
