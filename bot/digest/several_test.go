package digest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/sqlite"
	"github.com/briefbot/briefbot/content"
)

// severalEnv is digestEnv over content/testdata/several: riverton-tram
// (the default) and riverton-harbour share section names;
// riverton-library has its own.
func severalEnv(t *testing.T) *digestEnv {
	t.Helper()
	lib, err := content.Load(os.DirFS(filepath.Join("..", "..", "content", "testdata", "several")))
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "briefbot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := &digestEnv{store: store, clk: clocktest.New(digestStart), sender: &fakeSender{fail: map[string]error{}}}
	e.b = bot.New(lib, bot.Options{})
	digest.Register(e.b, digest.Config{Store: store, Sender: e.sender, Clock: e.clk, MinInterval: time.Hour})
	return e
}

func TestDigestSeveralArticles(t *testing.T) {
	e := severalEnv(t)
	var subscribe *bot.CommandOption
	for _, c := range e.b.Commands() {
		if c.Name == bot.CommandDigest {
			for i := range c.Options {
				if c.Options[i].Name == digest.Subscribe {
					subscribe = &c.Options[i]
				}
			}
		}
	}
	if subscribe == nil || subscribe.Options[0].Name != bot.OptArticle || subscribe.Options[0].Description != "Which article the digest briefs (default: riverton-tram)" {
		t.Fatalf("/digest subscribe options: %+v", subscribe)
	}

	// Without the option, the default article; with it, the one named.
	e.ok(t, admin(digest.Subscribe, "time", "08:30", "channel", "c1"))
	reply := e.ok(t, admin(digest.Subscribe, "time", "08:30", "channel", "c2", "article", "riverton-library"))
	if !strings.Contains(reply.Content, "Digest 2 of “Riverton Library Extends Its Opening Hours” set up") {
		t.Errorf("set up: %s", reply.Content)
	}
	if n := e.sender.sent[1].Reply.Content; !strings.Contains(n, "the briefbot digest of “Riverton Library Extends Its Opening Hours” daily at 08:30") {
		t.Errorf("notice: %s", n)
	}
	if _, err := e.answer(t, admin(digest.Subscribe, "time", "09:00", "article", "riverton-nowhere")); bot.KindOf(err) != bot.NotFound {
		t.Errorf("an unknown article: %v", err)
	}
	subs := e.all(t)
	if len(subs) != 2 || subs[0].ArticleID != "riverton-tram" || subs[1].ArticleID != "riverton-library" {
		t.Fatalf("stored %+v", subs)
	}
	list := e.ok(t, admin(digest.List))
	if !strings.Contains(list.Body, "**1** of “Riverton Council Approves Tram Line After Decade of Debate” · daily") ||
		!strings.Contains(list.Body, "**2** of “Riverton Library Extends Its Opening Hours” · daily") {
		t.Errorf("list:\n%s", list.Body)
	}

	// Each digest posts its own article.
	composer := digest.NewComposer(e.b.Library(), nil)
	for i, want := range []struct{ title, footer, url, first string }{
		{"Riverton Council Approves Tram Line After Decade of Debate", "briefbot digest · Riverton Gazette", "https://gazette.example/riverton/tram-line", "**Riverton, March 3, 2026**\n\nRiverton’s city council voted"},
		{"Riverton Library Extends Its Opening Hours", "briefbot digest · January 20, 2026", "", "**Riverton, January 20, 2026**\n\nThe library added"},
	} {
		r, err := composer.Compose(context.Background(), &subs[i], digestStart)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Check(); err != nil {
			t.Fatal(err)
		}
		if r.Title != want.title || r.Footer != want.footer || r.TitleURL != want.url || !strings.HasPrefix(r.Body, want.first) {
			t.Errorf("digest %d: title %q, footer %q, url %q, body\n%s", subs[i].ID, r.Title, r.Footer, r.TitleURL, r.Body)
		}
		c, err := bot.ParseComponentID(r.Menu.ID)
		if err != nil || c.Article != subs[i].ArticleID {
			t.Errorf("digest %d: menu for %+v", subs[i].ID, c)
		}
	}

	// /digest now takes the article too; in a DM the answer is the digest.
	dm := admin(digest.Now, "article", "riverton-harbour")
	dm.GuildID, dm.Source, dm.ChannelID = "", bot.FromDM, "dm1"
	if r := e.ok(t, dm); r.Title != "Riverton Harbour Reopens After Storm Repairs" {
		t.Errorf("/digest now article:riverton-harbour: %q", r.Title)
	}
	complete := admin(digest.Subscribe, "article", "lib")
	complete.Kind, complete.Focused = bot.KindAutocomplete, bot.OptArticle
	if r := e.ok(t, complete); len(r.Choices) != 1 || r.Choices[0].Value != "riverton-library" {
		t.Errorf("autocomplete: %+v", r.Choices)
	}
}
