package console_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/content"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func builtin(t *testing.T) *bot.Bot {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{})
	if _, err := ask.Register(b, ask.Config{}); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTranscript replays a session and compares what the console printed
// with testdata/transcript.txt.
func TestTranscript(t *testing.T) {
	input := strings.Join([]string{
		"help",
		"energy",
		"next",
		"/summary article:putin-maduro-2025",
		"what about the oil?",
		"enrgy",
		"/summary article:nope",
		"timeline",
		"quotes",
		"about",
		"bananas are yellow",
		"quit",
		"energy", // after quit: never answered
	}, "\n")
	var out bytes.Buffer
	c := &console.Console{Bot: builtin(t), In: strings.NewReader(input), Out: &out, Prompt: "briefbot> ", Echo: true}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "transcript.txt")
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("transcript differs (-want +got); run go test -update if intended:\n%s", diff)
	}
}

// TestPages turns the pages of a long section by typing next and previous.
func TestPages(t *testing.T) {
	var body strings.Builder
	for i := range 400 {
		fmt.Fprintf(&body, "Sentence %d. ", i)
	}
	lib, err := bot.NewLibrary(&bot.Article{ID: "story", Title: "Story", Sections: []*bot.Section{
		{Name: "long", Title: "Long", Description: "d", Body: body.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c := &console.Console{Bot: bot.New(lib, bot.Options{}), In: strings.NewReader("long\nnext\nnext\nprevious\nprev\nprevious\n"), Out: &out}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var footers []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "— ") || strings.HasPrefix(line, "There is no other page") {
			footers = append(footers, line)
		}
	}
	want := []string{
		"— Story · Long · page 1 of 2",
		"— Story · Long · page 2 of 2",
		"There is no other page to turn to here. Type help to see what you can read.",
		"— Story · Long · page 1 of 2",
		"There is no other page to turn to here. Type help to see what you can read.",
		"There is no other page to turn to here. Type help to see what you can read.",
	}
	if diff := cmp.Diff(want, footers); diff != "" {
		t.Errorf("pages turned (-want +got):\n%s\n%s", diff, out.String())
	}
	if !strings.Contains(out.String(), "[Next ▶]") {
		t.Error("buttons are not shown as [labels]")
	}
}

func TestAsk(t *testing.T) {
	tests := []struct {
		line, out, err string
		fails          bool
	}{
		{line: "/skeptic", out: "== The skeptical view =="},
		{line: "what about the oil?", out: "**[1]** `/energy` · Energy: oil, gas and OPEC+"},
		{line: "whats the oil price today", out: "The article doesn't say.", fails: true},
		{line: "/enrgy", err: "There is no /enrgy. Did you mean /energy? Type help to see everything you can ask.\n", fails: true},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		c := &console.Console{Bot: builtin(t), Out: &out, Err: &errOut}
		err := c.Ask(context.Background(), tt.line)
		if (err != nil) != tt.fails || tt.fails && tt.err == "" && !errors.Is(err, console.ErrUnanswered) {
			t.Errorf("Ask(%q) error = %v", tt.line, err)
		}
		if !strings.Contains(out.String(), tt.out) || errOut.String() != tt.err {
			t.Errorf("Ask(%q): out %q, err %q", tt.line, out.String(), errOut.String())
		}
	}
}

// TestRender shows every part of a reply.
func TestRender(t *testing.T) {
	var out bytes.Buffer
	console.Render(&out, &bot.Reply{
		Content: "Note", Title: "Title", Body: "Body", Footer: "Footer",
		Fields:  []bot.Field{{Name: "Published", Value: "7 May 2025"}},
		Buttons: [][]bot.Button{{{Label: "◀ Previous", Disabled: true}, {Label: "Next ▶"}}},
		Menu:    &bot.Menu{Placeholder: "Read another section…", Options: []bot.MenuOption{{Value: "energy"}, {Value: "quotes"}}},
		Choices: []bot.Choice{{Name: "Story", Value: "story"}},
	})
	want := "Note\n\n== Title ==\n\nBody\n\nPublished: 7 May 2025\n\n— Footer\n[Next ▶]\nRead another section: /energy /quotes\n- Story (story)\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
