package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/briefbot/briefbot/bot"
)

func TestPaginate(t *testing.T) {
	para := strings.Repeat("word ", 100) // 500 characters
	tests := []struct {
		name  string
		text  string
		size  int
		pages []int // length of each page, by bot.Len
	}{
		{"empty", "", 10, []int{0}},
		{"fits", "short text", 10, []int{10}},
		{"paragraphs", para + "\n\n" + para + "\n\n" + para, 1200, []int{1001, 499}},
		{"lines", "aaaa\nbbbb\ncccc", 10, []int{9, 4}},
		{"sentences", "One two. Three four. Five six.", 21, []int{20, 9}},
		{"words", "alpha beta gamma delta", 12, []int{10, 11}},
		{"no spaces", strings.Repeat("x", 25), 10, []int{10, 10, 5}},
		{"astral runes count two", strings.Repeat("😀", 6), 4, []int{4, 4, 4}},
		{"break only in the second half", "a " + strings.Repeat("b", 20), 10, []int{10, 10, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := bot.Paginate(tt.text, tt.size)
			var got []int
			for _, p := range pages {
				got = append(got, bot.Len(p))
			}
			if !equalInts(got, tt.pages) {
				t.Errorf("page lengths = %v, want %v\npages: %q", got, tt.pages, pages)
			}
			checkPages(t, tt.text, pages, tt.size)
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkPages fails unless pages fit size and hold every non-space character
// of text, in order.
func checkPages(t *testing.T, text string, pages []string, size int) {
	t.Helper()
	for i, p := range pages {
		if n := bot.Len(p); n > size {
			t.Fatalf("page %d is %d long, over %d", i+1, n, size)
		}
		if len(pages) > 1 && strings.TrimSpace(p) == "" {
			t.Fatalf("page %d of %d is empty", i+1, len(pages))
		}
	}
	if got, want := squeeze(strings.Join(pages, "")), squeeze(text); got != want {
		t.Fatalf("paging lost or changed text:\n got %q\nwant %q", got, want)
	}
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// FuzzSection gives a section arbitrary text and checks that every page of
// its answer fits Discord's limits, that Next walks through all pages, and
// that the pages hold all of the text.
func FuzzSection(f *testing.F) {
	f.Add("A short body.", "Title")
	f.Add(strings.Repeat("Paragraph with words. ", 400), "Long")
	f.Add(strings.Repeat("😀", 5000), "Emoji")
	f.Add(strings.Repeat("x", 9000), "x")
	f.Add("\xff\xfe broken utf-8 \xc3", "Broken")
	f.Fuzz(func(t *testing.T, body, title string) {
		body = strings.TrimSpace(body)
		title = strings.TrimSpace(title)
		if body == "" || title == "" || bot.Len(title) > 80 || len(bot.Paginate(body, bot.PageSize)) > bot.MaxPages {
			t.Skip("content validation refuses this section")
		}
		a := &bot.Article{ID: "fuzz", Title: strings.Repeat("T", 256), Sections: []*bot.Section{
			{Name: "long", Title: title, Description: "d", Body: body},
			{Name: "other", Title: "Other", Description: "d", Body: "Other body."},
		}}
		lib, err := bot.NewLibrary(a)
		if err != nil {
			t.Fatal(err)
		}
		b := bot.New(lib, bot.Options{})
		reply, err := b.Answer(context.Background(), &bot.Request{Kind: bot.KindCommand, Command: "long"})
		if err != nil {
			t.Fatal(err)
		}
		var pages []string
		for {
			if err := reply.Check(); err != nil {
				t.Fatalf("page %d: %v", len(pages)+1, err)
			}
			pages = append(pages, reply.Body)
			next := nextButton(reply)
			if next == nil || next.Disabled {
				break
			}
			if len(pages) > bot.MaxPages {
				t.Fatal("Next never ends")
			}
			if reply, err = b.Answer(context.Background(), &bot.Request{Kind: bot.KindComponent, CustomID: next.ID}); err != nil {
				t.Fatal(err)
			}
		}
		checkPages(t, body, pages, bot.PageSize)
	})
}

func nextButton(r *bot.Reply) *bot.Button {
	for _, row := range r.Buttons {
		for i := range row {
			if strings.HasPrefix(row[i].Label, "Next") {
				return &row[i]
			}
		}
	}
	return nil
}

func TestPagingButtons(t *testing.T) {
	var sb strings.Builder
	for i := range 300 {
		fmt.Fprintf(&sb, "Sentence %d of the long section. ", i)
	}
	body := sb.String() // four pages
	lib, err := bot.NewLibrary(&bot.Article{ID: "story", Title: "Story", Sections: []*bot.Section{{Name: "long", Title: "Long", Description: "d", Body: body}}})
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{})
	first := answer(t, b, command("long"))
	if first.Footer != "story · Long · page 1 of 4" {
		t.Errorf("footer = %q", first.Footer)
	}
	prev, next := first.Buttons[0][0], first.Buttons[0][1]
	if !prev.Disabled || next.Disabled {
		t.Errorf("page 1: Previous disabled = %v, Next disabled = %v", prev.Disabled, next.Disabled)
	}
	second := answer(t, b, &bot.Request{Kind: bot.KindComponent, CustomID: next.ID})
	if second.Footer != "story · Long · page 2 of 4" || second.Body == first.Body {
		t.Errorf("after Next: footer %q", second.Footer)
	}
	back := answer(t, b, &bot.Request{Kind: bot.KindComponent, CustomID: second.Buttons[0][0].ID})
	if back.Body != first.Body {
		t.Error("Previous from page 2 is not page 1")
	}
	// A page number past the end, from content that has since shrunk,
	// shows the last page rather than failing.
	last := answer(t, b, &bot.Request{Kind: bot.KindComponent, CustomID: bot.ComponentID{Action: bot.ActionPage, Article: "story", Section: "long", Page: 20}.Encode()})
	if last.Footer != "story · Long · page 4 of 4" || !last.Buttons[0][1].Disabled {
		t.Errorf("page past the end: footer %q", last.Footer)
	}
}

func TestComponentID(t *testing.T) {
	long := strings.Repeat("a", bot.MaxCommandName)
	for _, c := range []bot.ComponentID{
		{Action: bot.ActionPage, Article: "putin-maduro-2025", Section: "energy", Page: 2},
		{Action: bot.ActionPick, Article: "putin-maduro-2025"},
		{Action: bot.ActionSection, Article: long, Section: long, Page: bot.MaxPages - 1, Style: "bullets", Language: "pt-BR"},
	} {
		id := c.Encode()
		if len(id) > bot.MaxCustomID {
			t.Errorf("%q is %d bytes, over Discord's %d", id, len(id), bot.MaxCustomID)
		}
		got, err := bot.ParseComponentID(id)
		if err != nil || got != c {
			t.Errorf("ParseComponentID(%q) = %+v, %v; want %+v", id, got, err, c)
		}
	}
	for _, bad := range []string{"", "v1", "v2:page:a:b:0", "v1:page:a:b", "v1:page:a:b:x", "v1:page:a:b:-1", "v1:page:A:b:0", "v1:jump:a:b:0", "v1:page:a:b:0:style", "v1:page:a:b:99", strings.Repeat("v1:", 40)} {
		if _, err := bot.ParseComponentID(bad); bot.KindOf(err) != bot.Expired {
			t.Errorf("ParseComponentID(%q) = %v, want an Expired error", bad, err)
		}
	}
}

func TestLive(t *testing.T) {
	mk := func(title string) *bot.Bot {
		lib, err := bot.NewLibrary(&bot.Article{ID: "story", Title: "Story", Version: title, Sections: []*bot.Section{{Name: "news", Title: title, Description: "d", Body: "Text of " + title + "."}}})
		if err != nil {
			t.Fatal(err)
		}
		return bot.New(lib, bot.Options{})
	}
	first, second := mk("First"), mk("Second")
	live := bot.NewLive(first)
	if r := answer(t, live, command("news")); r.Title != "First" {
		t.Errorf("before the swap: %q", r.Title)
	}
	if old := live.Swap(second); old != first || live.Bot() != second {
		t.Error("Swap did not return the old Bot, or Bot is not the new one")
	}
	if r := answer(t, live, command("news")); r.Title != "Second" {
		t.Errorf("after the swap: %q", r.Title)
	}
}
