package discord

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/content"
)

// TestCommandsSeveralArticles pins the registration payload of a library
// of three articles (content/testdata/several), two of which share
// section names, and checks it against Discord's rules.
func TestCommandsSeveralArticles(t *testing.T) {
	lib, err := content.Load(os.DirFS(filepath.Join("..", "..", "content", "testdata", "several")))
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{})
	digest.Register(b, digest.Config{})
	cmds := applicationCommands(b.Commands(), true)
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.Name
		checkOptions(t, c.Name, c.Options)
	}
	if got := strings.Join(names, " "); got != "summary cost timeline books hours help about digest" {
		t.Errorf("commands %s", got)
	}
	golden(t, "commands-several.json", cmds)
}

// TestEmbedTitleURL: the title of a reply links to the article.
func TestEmbedTitleURL(t *testing.T) {
	e := renderEmbeds(&bot.Reply{Title: "Story", TitleURL: "https://example.com/story", Body: "text"})
	if len(e) != 1 || e[0].URL != "https://example.com/story" {
		t.Errorf("embeds %+v", e)
	}
}
