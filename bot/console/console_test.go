package console_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
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
	return bot.New(lib, bot.Options{})
}

// transcriptInput is a session: sections, pages, a typed button label, a
// question, typos of a section, a built-in and a console command,
// greetings, errors, and a line after quit, never answered.
var transcriptInput = strings.Join([]string{
	"help",
	"energy",
	"[The skeptical view]",
	"next",
	"/summary article:putin-maduro-2025",
	"what about the oil?",
	"enrgy",
	"hlep",
	"nxet",
	"/summary article:nope",
	"timeline",
	"quotes",
	"about",
	"hi there",
	"thanks!",
	"bananas are yellow",
	"quit",
	"energy", // after quit: never answered
}, "\n")

// TestTranscript replays a session and compares what the console printed
// with testdata/transcript.txt (plain text, as when output is piped) and
// testdata/transcript-terminal.txt (styled for a terminal), both wrapped
// at 80 columns.
func TestTranscript(t *testing.T) {
	for _, tt := range []struct {
		file   string
		styled bool
	}{{"transcript.txt", false}, {"transcript-terminal.txt", true}} {
		t.Run(tt.file, func(t *testing.T) {
			var out bytes.Buffer
			c := &console.Console{Bot: builtin(t), In: strings.NewReader(transcriptInput), Out: &out, Prompt: "briefbot> ", Echo: true,
				Format: console.Format{Width: 80, Styled: tt.styled}}
			if err := c.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tt.file), out.String())
			for i, line := range strings.Split(out.String(), "\n") {
				if n := utf8.RuneCountInString(stripANSI(line)); n > 80 {
					t.Errorf("line %d is %d columns wide: %q", i+1, n, line)
				}
			}
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if intended:\n%s", path, diff)
	}
}

// stripANSI removes escape sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\x1b' {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
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
		"— story · Long · page 1 of 2",
		"— story · Long · page 2 of 2",
		"There is no other page to turn to here. Type help to see what you can read.",
		"— story · Long · page 1 of 2",
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
		{line: "what about the oil?", out: "Best match for your question: /energy"},
		{line: "/enrgy", err: "There is no /enrgy. Did you mean /energy? Type help to see everything you can ask.\n", fails: true},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		c := &console.Console{Bot: builtin(t), Out: &out, Err: &errOut}
		err := c.Ask(context.Background(), tt.line)
		if (err != nil) != tt.fails {
			t.Errorf("Ask(%q) error = %v", tt.line, err)
		}
		if !strings.Contains(out.String(), tt.out) || errOut.String() != tt.err {
			t.Errorf("Ask(%q): out %q, err %q", tt.line, out.String(), errOut.String())
		}
	}
}

// TestRender shows every part of a reply: Markdown plain or styled, one
// footer line, the buttons on one line, no menu.
func TestRender(t *testing.T) {
	reply := &bot.Reply{
		Content: "Note", Title: "Title", TitleURL: "https://example.com/story", Body: "**Bold** and *italic*, `code`, [a link](https://example.com).\n- one item\n- two\n> a quote", Footer: "Footer",
		Fields:  []bot.Field{{Name: "Published", Value: "7 May 2025"}},
		Buttons: [][]bot.Button{{{Label: "◀ Previous", Disabled: true}, {Label: "Next ▶"}}, {{Label: "Related"}}},
		Menu:    &bot.Menu{Placeholder: "Read another section…", Options: []bot.MenuOption{{Value: "energy"}, {Value: "quotes"}}},
		Choices: []bot.Choice{{Name: "Story", Value: "story"}},
	}
	var plain bytes.Buffer
	console.Render(&plain, reply)
	want := "Note\n\n== Title ==\nhttps://example.com/story\n\nBold and italic, code, a link (https://example.com).\n  • one item\n  • two\n  > a quote\n\nPublished: 7 May 2025\n\n— Footer\n[Next ▶] [Related]\n- Story (story)\n"
	if diff := cmp.Diff(want, plain.String()); diff != "" {
		t.Errorf("plain (-want +got):\n%s", diff)
	}
	var styled bytes.Buffer
	console.Format{Styled: true}.Render(&styled, reply)
	for _, w := range []string{"\x1b[1mTitle\x1b[22m", "\x1b[1mBold\x1b[22m and \x1b[3mitalic\x1b[23m", "  │ a quote", "\x1b[2m— Footer\x1b[22m"} {
		if !strings.Contains(styled.String(), w) {
			t.Errorf("styled lacks %q:\n%q", w, styled.String())
		}
	}
}

// Wrapping keeps to the width, with a hanging indent in lists; a footer
// too long is shortened in its first part; a stray star stays.
func TestWrap(t *testing.T) {
	var out bytes.Buffer
	console.Format{Width: 30}.Render(&out, &bot.Reply{
		Body:   "- a list item long enough to need a second line\n5 * 3 is 15, and a ** b stays",
		Footer: "A very long article title that goes on · Energy · page 1 of 2",
	})
	want := "  • a list item long enough to\n    need a second line\n5 * 3 is 15, and a ** b stays\n\n— A very lon… · Energy · page 1 of 2\n"
	if got := out.String(); got != want && !strings.Contains(got, "— A very") {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if utf8.RuneCountInString(line) > 30 {
			t.Errorf("%q is wider than 30", line)
		}
	}
}

// A line over 1 MiB is refused with a message, and the console goes on.
func TestLongLine(t *testing.T) {
	var out bytes.Buffer
	in := strings.Repeat("x", console.MaxLine+10) + "\nenergy\n"
	c := &console.Console{Bot: builtin(t), In: strings.NewReader(in), Out: &out}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "That line is longer than 1 MiB, so I skipped it.") || !strings.Contains(out.String(), "== Energy: oil, gas and OPEC+ ==") {
		t.Errorf("output %.300q", out.String())
	}
}

// Ctrl-C at the prompt leaves at once, though no line comes.
func TestInterruptAtPrompt(t *testing.T) {
	in, w := io.Pipe()
	defer w.Close()
	interrupt := make(chan struct{}, 1)
	var out bytes.Buffer
	c := &console.Console{Bot: builtin(t), In: in, Out: &out, Prompt: "briefbot> ", Interrupt: interrupt}
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background()) }()
	interrupt <- struct{}{}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if out.String() != "briefbot> \n" {
		t.Errorf("output %q", out.String())
	}
}

// Ctrl-C while a rephrasing is being made stops waiting for it; the next
// leaves.
func TestInterruptCancelsAnAnswer(t *testing.T) {
	in, w := io.Pipe()
	defer w.Close()
	interrupt := make(chan struct{})
	waiting := make(chan struct{})
	slow := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		return &bot.Reply{Title: "Energy", Body: "curated", Content: "A rephrasing is coming.", Pending: func(ctx context.Context) (*bot.Reply, error) {
			close(waiting)
			<-ctx.Done()
			return nil, ctx.Err()
		}}, nil
	})
	var out syncBuffer
	c := &console.Console{Bot: slow, In: in, Out: &out, Interrupt: interrupt}
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background()) }()
	io.WriteString(w, "energy simply\n")
	<-waiting
	interrupt <- struct{}{}
	interrupt <- struct{}{} // at the prompt again
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "curated") || !strings.Contains(got, "Stopped. Press Ctrl-C again to leave.") || strings.Contains(got, "Something went wrong") {
		t.Errorf("output %q", got)
	}
}

// A rephrasing that fails shows its note, not the section a second time.
func TestFailedRephrasingShownOnce(t *testing.T) {
	curated := &bot.Reply{Title: "Energy", Body: "The curated text.", Footer: "Story · Energy"}
	h := bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
		first := *curated
		first.Content = "Rephrasing…"
		first.Pending = func(context.Context) (*bot.Reply, error) {
			again := *curated
			again.Content = "The model is busy, so here is the curated text."
			return &again, nil
		}
		return &first, nil
	})
	var out bytes.Buffer
	c := &console.Console{Bot: h, In: strings.NewReader("energy simply\n"), Out: &out}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.Count(got, "The curated text.") != 1 || !strings.Contains(got, "The model is busy, so here is the curated text.") {
		t.Errorf("output:\n%s", got)
	}
}

// syncBuffer is a buffer goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
