package content_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/content"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestEmbedded(t *testing.T) {
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	a := lib.Default()
	if a.ID != "putin-maduro-2025" || a.Date() != "May 7, 2025" || a.Dateline != "Moscow" || len(a.Sources) != 6 {
		t.Errorf("front matter = %q %q %q %v", a.ID, a.Date(), a.Dateline, a.Sources)
	}
	var names []string
	for _, s := range a.Sections {
		names = append(names, s.Name)
		if len(s.Keywords) == 0 || s.Description == "" || s.Body == "" {
			t.Errorf("section %s is missing keywords, description or body", s.Name)
		}
	}
	want := []string{"summary", "agreement", "energy", "security", "economy", "advocacy", "context", "reactions", "outlook", "skeptic", "conclusion", "timeline", "quotes", "sources"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if len(a.Aliases) == 0 {
		t.Error("the built-in article has no aliases in its front matter")
	}
	if len(a.Version) != 12 {
		t.Errorf("version %q: want 12 hex digits", a.Version)
	}
}

// TestMetadata reads the optional front matter fields onto the article.
func TestMetadata(t *testing.T) {
	lib, err := content.Load(fstest.MapFS{"a.md": {Data: []byte(article(
		"url: https://example.com/world/putin-maduro?ref=feed\n" +
			"publisher: The Example Times\n" +
			"author: A. Reporter\n" +
			"updated: 2025-05-08\n"))}})
	if err != nil {
		t.Fatal(err)
	}
	a := lib.Default()
	got := []string{a.URL, a.Publisher, a.Author, a.Updated.Format(time.DateOnly)}
	want := []string{"https://example.com/world/putin-maduro?ref=feed", "The Example Times", "A. Reporter", "2025-05-08"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}

	lib, err = content.Load(fstest.MapFS{"a.md": {Data: []byte(article("updated: 2025-05-07\n"))}})
	if err != nil {
		t.Fatalf("updated on the day of publication: %v", err)
	}
	if a := lib.Default(); a.URL != "" || a.Publisher != "" || a.Author != "" || !a.Updated.Equal(a.Published) {
		t.Errorf("unset fields = %q %q %q, updated %v", a.URL, a.Publisher, a.Author, a.Updated)
	}
}

// TestURL accepts only the full address of a page a reader can open.
func TestURL(t *testing.T) {
	tests := []struct{ url, problem string }{
		{"https://example.com/story", ""},
		{"http://example.com", ""},
		{"https://example.com/a%20b?q=1#top", ""},
		{"example.com/story", "is not absolute"},
		{"/story", "is not absolute"},
		{"https://", "has no host"},
		{"https:///story", "has no host"},
		{"mailto:desk@example.com", "must start with https:// or http://, not mailto:"},
		{"javascript:alert(1)", "must start with https:// or http://, not javascript:"},
		{"https://example.com/a story", "is not a web address"},
		{"https://exa mple.com", "is not a web address"},
	}
	for _, tt := range tests {
		_, err := content.Load(fstest.MapFS{"a.md": {Data: []byte(article("url: '" + tt.url + "'\n"))}})
		switch {
		case tt.problem == "" && err != nil:
			t.Errorf("url %q: %v", tt.url, err)
		case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
			t.Errorf("url %q: got %v, want a problem that says %q", tt.url, err, tt.problem)
		}
	}
}

// TestAliases reads alias groups from the front matter and from a
// section's aliases line.
func TestAliases(t *testing.T) {
	src := article("aliases:\n  - tv, telly = television\n  - 'twitter = X'\n")
	src = strings.Replace(src, "keywords: one, two\n", "keywords: one, two\naliases: petróleo, нефть = oil ; white house = U.S. government;\n", 1)
	lib, err := content.Load(fstest.MapFS{"a.md": {Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	a := lib.Default()
	want := []bot.Alias{{Terms: []string{"tv", "telly"}, Means: "television"}, {Terms: []string{"twitter"}, Means: "X"}}
	if diff := cmp.Diff(want, a.Aliases); diff != "" {
		t.Errorf("article aliases (-want +got):\n%s", diff)
	}
	want = []bot.Alias{{Terms: []string{"petróleo", "нефть"}, Means: "oil"}, {Terms: []string{"white house"}, Means: "U.S. government"}}
	if diff := cmp.Diff(want, a.Sections[0].Aliases); diff != "" {
		t.Errorf("section aliases (-want +got):\n%s", diff)
	}
}

// article is a small valid article file with extra lines of front matter.
func article(frontMatter string) string {
	return "---\nid: story\ntitle: A test article\ndateline: Moscow\npublished: 2025-05-07\n" + frontMatter +
		"sources:\n  - Reuters\n---\n\n## summary: The story\ndescription: What happened\nkeywords: one, two\n\nBody text.\n"
}

// TestInvalid loads each folder under testdata/invalid, which has one kind
// of mistake, and compares the problems reported with its want.txt.
func TestInvalid(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "invalid", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			_, err := content.Load(os.DirFS(dir))
			var ps content.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load = %v, want Problems", err)
			}
			got := err.Error() + "\n"
			wantFile := filepath.Join("testdata", "invalid-want", filepath.Base(dir)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(wantFile), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("problems differ (-want +got):\n%s", diff)
			}
			for _, p := range ps {
				if p.File == "" || p.Message == "" {
					t.Errorf("problem without a file or message: %+v", p)
				}
			}
		})
	}
}

// TestNoRepetition checks that each fact of the built-in article has one
// home: no statement (sentence or list item) of more than eight words
// appears in more than one section, not even inside a longer one. It
// compares every run of nine words of each statement, so a line copied
// into another sentence is caught too. Other sections point to the home
// section instead of repeating it.
func TestNoRepetition(t *testing.T) {
	const words = 9
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	type place struct{ section, statement string }
	first := make(map[string]place) // nine words → where they first appear
	reported := make(map[[2]string]bool)
	checked := 0
	for _, s := range lib.Default().Sections {
		for _, st := range statements(s.Body) {
			w := strings.Fields(normalise(st))
			if len(w) >= words {
				checked++
			}
			for i := 0; i+words <= len(w); i++ {
				run := strings.Join(w[i:i+words], " ")
				p, seen := first[run]
				if !seen {
					first[run] = place{s.Name, st}
					continue
				}
				if pair := [2]string{p.statement, st}; p.section != s.Name && !reported[pair] {
					reported[pair] = true
					t.Errorf("/%s and /%s both say %q; keep it in one and point to it from the other:\n/%s: %s\n/%s: %s",
						p.section, s.Name, run, p.section, p.statement, s.Name, st)
				}
			}
		}
	}
	if checked < 40 {
		t.Errorf("checked only %d statements: statements() no longer finds them", checked)
	}
}

// TestStatements makes sure the repetition test splits text as it must.
func TestStatements(t *testing.T) {
	body := "**The plan:** Trade rose. The U.S. and Russia agreed. Did it work? Yes!\n\n- **Energy** — joint work\n> “a quote.”\n— a speaker"
	want := []string{"Trade rose.", "The U.S. and Russia agreed.", "Did it work?", "Yes!", "Energy — joint work", "“a quote.”", "a speaker"}
	if diff := cmp.Diff(want, statements(body)); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	if got := normalise("**Russia’s** U.S. “role”, 70%"); got != "russia s u s role 70" {
		t.Errorf("normalise = %q", got)
	}
}

var (
	// marker opens a list item, a quotation or its attribution.
	marker = regexp.MustCompile(`^(?:[-*>]|—)\s+`)
	// leadIn is a bold label that opens a paragraph, as in "**The plan:** …".
	leadIn = regexp.MustCompile(`^\*\*[^*]+[:?]\*\*\s*`)
	// sentenceEnd ends a sentence (group 1) when the next starts with a
	// capital or a quotation mark; "U.S. sanctions" goes on.
	sentenceEnd = regexp.MustCompile(`([.!?][”’)]*)\s+[\p{Lu}“]`)
	nonWord     = regexp.MustCompile(`[^\p{L}\p{N}]+`)
)

// statements splits a section body into its sentences and list items,
// without list markers and the bold labels that open paragraphs.
func statements(body string) []string {
	var out []string
	for _, line := range strings.Split(body, "\n") {
		line = marker.ReplaceAllString(strings.TrimSpace(line), "")
		line = strings.ReplaceAll(leadIn.ReplaceAllString(line, ""), "**", "")
		for line != "" {
			m := sentenceEnd.FindStringSubmatchIndex(line)
			if m == nil {
				out = append(out, line)
				break
			}
			out = append(out, line[:m[3]])
			line = strings.TrimSpace(line[m[3]:])
		}
	}
	return out
}

// normalise lowercases s and keeps only its words, one space apart.
func normalise(s string) string {
	return strings.TrimSpace(nonWord.ReplaceAllString(strings.ToLower(s), " "))
}

// TestLimits loads an article with every field as long as validate allows
// and checks that every reply the bot builds from it stays within Discord's
// limits; one character more in any field is refused.
func TestLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	const sections = 25
	fields := map[string]string{
		"id":        long(bot.MaxCommandName),
		"title":     long(bot.MaxEmbedTitle),
		"dateline":  long(bot.MaxFieldValue),
		"publisher": long(bot.MaxFieldName),
		"author":    long(bot.MaxFieldName),
		"url":       "https://example.com/" + long(512-len("https://example.com/")),
	}
	// Two sources joined by ", " fill the sources field.
	source := long((bot.MaxFieldValue - 2) / 2)
	file := func(fields map[string]string, sectionTitle, description string) string {
		var b strings.Builder
		b.WriteString("---\n")
		for _, f := range []string{"id", "title", "dateline", "publisher", "author", "url"} {
			b.WriteString(f + ": " + fields[f] + "\n")
		}
		b.WriteString("published: 2025-05-07\nupdated: 2025-05-08\nsources:\n  - " + source + "\n  - " + source + "\n---\n")
		for i := range sections {
			fmt.Fprintf(&b, "\n## %s: %s\ndescription: %s\nkeywords: k\nrelated: %s\n\n", name(i), sectionTitle, description, related(i))
			for range bot.MaxPages {
				b.WriteString(strings.Repeat("word ", bot.PageSize/5-1) + "\n\n")
			}
		}
		return b.String()
	}
	load := func(src string) (*bot.Library, error) {
		return content.Load(fstest.MapFS{"a.md": {Data: []byte(src)}})
	}

	lib, err := load(file(fields, long(80), long(bot.MaxDescription)))
	if err != nil {
		t.Fatalf("an article at every limit: %v", err)
	}
	a := lib.Default()
	if n := len(a.Sections[0].Pages()); n != bot.MaxPages {
		t.Fatalf("a section has %d pages, want %d", n, bot.MaxPages)
	}
	b := bot.New(lib, bot.Options{})
	digests := digest.NewComposer(lib, nil)
	ctx := context.Background()
	check := func(what string, r *bot.Request) *bot.Reply {
		t.Helper()
		reply, err := b.Answer(ctx, r)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if err := reply.Check(); err != nil {
			t.Errorf("%s breaks Discord's limits: %v", what, err)
		}
		return reply
	}
	for _, src := range []bot.Source{bot.FromGuild, bot.FromDM, bot.FromConsole} {
		check("help", &bot.Request{Kind: bot.KindCommand, Command: bot.CommandHelp, Source: src})
	}
	check("about", &bot.Request{Kind: bot.KindCommand, Command: bot.CommandAbout})
	check("article autocomplete", &bot.Request{Kind: bot.KindAutocomplete, Command: bot.CommandAbout, Focused: bot.OptArticle, Options: map[string]string{bot.OptArticle: ""}})
	pages := 0
	for _, s := range a.Sections {
		reply := check("/"+s.Name, &bot.Request{Kind: bot.KindCommand, Command: s.Name})
		pages++
		for page := 2; ; page++ {
			next := buttonLabelled(reply, "Next")
			if next == nil || next.Disabled {
				break
			}
			reply = check(fmt.Sprintf("/%s page %d", s.Name, page), &bot.Request{Kind: bot.KindComponent, CustomID: next.ID})
			pages++
		}
	}
	if want := sections * bot.MaxPages; pages != want {
		t.Errorf("paged through %d pages, want %d", pages, want)
	}
	for rotation := range sections {
		reply, err := digests.Digest(ctx, digest.Request{Rotation: int64(rotation)})
		if err != nil {
			t.Fatal(err)
		}
		if err := reply.Check(); err != nil {
			t.Errorf("digest %d breaks Discord's limits: %v", rotation, err)
		}
	}

	for f, v := range fields {
		t.Run(f+" too long", func(t *testing.T) {
			over := maps.Clone(fields)
			over[f] = v + "x"
			_, err := load(file(over, long(80), long(bot.MaxDescription)))
			if err == nil || !strings.Contains(err.Error(), ": "+f+" ") {
				t.Errorf("a %s of %d characters: got %v, want a problem with the %s", f, len(v)+1, err, f)
			}
		})
	}
	if _, err := load(file(fields, long(81), long(bot.MaxDescription))); err == nil {
		t.Error("a section title of 81 characters is accepted")
	}
	if _, err := load(file(fields, long(80), long(bot.MaxDescription+1))); err == nil {
		t.Errorf("a description of %d characters is accepted", bot.MaxDescription+1)
	}
}

// name is the i-th section's name, as long as a command name may be.
func name(i int) string { return fmt.Sprintf("%s%02d", strings.Repeat("s", bot.MaxCommandName-2), i) }

// related names the five sections after the i-th, as many as fit in a row.
func related(i int) string {
	var names []string
	for j := 1; j <= bot.MaxButtonsPerRow; j++ {
		names = append(names, name((i+j)%25))
	}
	return strings.Join(names, ", ")
}

func buttonLabelled(r *bot.Reply, label string) *bot.Button {
	for _, row := range r.Buttons {
		for i := range row {
			if strings.Contains(row[i].Label, label) {
				return &row[i]
			}
		}
	}
	return nil
}

// TestInspect: invalid content is kept as far as it can be shown, and each
// problem is placed at its section.
func TestInspect(t *testing.T) {
	d, err := content.Inspect(os.DirFS(filepath.Join("testdata", "invalid", "description-too-long")))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Problems) != 1 || d.Library == nil || d.Library.Default().Section("summary") == nil {
		t.Fatalf("problems %v, library %v", d.Problems, d.Library)
	}
	if a, s := d.Where(d.Problems[0]); a != "story" || s != "summary" {
		t.Errorf("the problem is placed at %q %q, want story summary", a, s)
	}
	if a, s := d.Where(content.Problem{File: "a.md", Line: 3}); a != "story" || s != "" {
		t.Errorf("a front matter line is placed at %q %q", a, s)
	}
	// Two articles with the same id, neither the default: the first is
	// shown, as the default.
	d, err = content.Inspect(os.DirFS(filepath.Join("testdata", "invalid", "duplicate-article-id")))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Problems) == 0 || d.Library == nil || len(d.Library.Articles()) != 1 {
		t.Errorf("duplicate ids: problems %v, library %+v", d.Problems, d.Library)
	}
	valid, err := content.Inspect(content.Embedded())
	if err != nil || len(valid.Problems) != 0 || valid.Library == nil {
		t.Errorf("the built-in content: %v %v", err, valid.Problems)
	}
}
