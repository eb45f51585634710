package digest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/content"
)

const articleTitle = "Putin and Maduro Sign Strategic Partnership Agreement in Moscow, Bolstering Russia-Venezuela Ties"

// newBot is the core over the built-in content, with /digest not set up.
func newBot(t testing.TB) *bot.Bot {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatalf("loading the built-in content: %v", err)
	}
	b := bot.New(lib, bot.Options{})
	digest.Register(b, digest.Config{})
	return b
}

// composerOf is the Composer of b's digests.
func composerOf(b *bot.Bot) *digest.Composer { return digest.NewComposer(b.Library(), b.Rewriter()) }

func answer(t *testing.T, b bot.Handler, r *bot.Request) *bot.Reply {
	t.Helper()
	reply, err := b.Answer(context.Background(), r)
	if err != nil {
		t.Fatalf("Answer(%+v): %v", r, err)
	}
	if err := reply.Check(); err != nil {
		t.Fatalf("Answer(%+v) breaks Discord's limits: %v", r, err)
	}
	return reply
}

func TestDigest(t *testing.T) {
	b := newBot(t)
	seen := map[string]bool{}
	sections := b.Library().Default().Sections
	for rotation := range len(sections) - 1 {
		r, err := composerOf(b).Digest(context.Background(), digest.Request{Rotation: int64(rotation)})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Check(); err != nil {
			t.Fatalf("rotation %d: %v", rotation, err)
		}
		if !strings.HasPrefix(r.Body, "**Moscow, May 7, 2025**\n\n"+sections[0].Body) {
			t.Errorf("rotation %d: the digest does not open with the dateline and summary:\n%s", rotation, r.Body)
		}
		day := sections[rotation+1]
		if !strings.Contains(r.Body, "**Section of the day: "+day.Title+"**\n"+day.Body) {
			t.Errorf("rotation %d: section of the day is not %s", rotation, day.Name)
		}
		c, err := bot.ParseComponentID(r.Buttons[0][0].ID)
		if err != nil || c.Section != day.Name || c.Action != bot.ActionDigestSection {
			t.Errorf("rotation %d: button opens %+v, %v", rotation, c, err)
		}
		if r.Content != "" || r.Footer != "briefbot digest · May 7, 2025" {
			t.Errorf("rotation %d: content %q, footer %q", rotation, r.Content, r.Footer)
		}
		seen[day.Name] = true
	}
	if len(seen) != len(sections)-1 {
		t.Errorf("%d digests showed %d different sections of the day", len(sections)-1, len(seen))
	}
	if _, err := composerOf(b).Digest(context.Background(), digest.Request{ArticleID: "nope"}); bot.KindOf(err) != bot.NotFound {
		t.Errorf("unknown article: %v", err)
	}
	if r, err := composerOf(b).Digest(context.Background(), digest.Request{Rotation: -3}); err != nil || r.Check() != nil {
		t.Errorf("negative rotation: %v", err)
	}
}

func TestDigestLongSectionOfTheDay(t *testing.T) {
	lib, err := bot.NewLibrary(&bot.Article{ID: "story", Title: "Story", Dateline: "Here", Sections: []*bot.Section{
		{Name: "summary", Title: "Summary", Description: "d", Body: strings.Repeat("Summary words. ", 150)},
		{Name: "long", Title: "Long", Description: "d", Body: strings.Repeat("Long words here. ", 400)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := composerOf(bot.New(lib, bot.Options{})).Digest(context.Background(), digest.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(r.Body, "*Continues: press the button below to read it all.*") {
		t.Errorf("a cut section of the day does not say it continues:\n%s", r.Body[len(r.Body)-200:])
	}
}
