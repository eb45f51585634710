package bot_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/content"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const articleTitle = "Putin and Maduro Sign Strategic Partnership Agreement in Moscow, Bolstering Russia-Venezuela Ties"

func newBot(t testing.TB) *bot.Bot {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatalf("loading the built-in content: %v", err)
	}
	return bot.New(lib, bot.Options{})
}

func command(name string, opts ...string) *bot.Request {
	r := &bot.Request{Kind: bot.KindCommand, Command: name, Source: bot.FromGuild, GuildID: "1", ChannelID: "2", User: bot.User{ID: "3", Name: "reader"}}
	if len(opts) > 0 {
		r.Options = map[string]string{}
		for i := 0; i+1 < len(opts); i += 2 {
			r.Options[opts[i]] = opts[i+1]
		}
	}
	return r
}

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

func TestSectionCommands(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		command, title, fact string
		related              []string
	}{
		{"summary", "The story in brief", "80th anniversary of the Soviet victory over Nazi Germany", []string{"agreement", "outlook", "skeptic"}},
		{"agreement", "What the pact says", "through 2030", []string{"energy", "security", "economy"}},
		{"energy", "Energy: oil, gas and OPEC+", "under 1 million barrels daily", []string{"economy", "skeptic", "context"}},
		{"security", "Security and defense cooperation", "November 2024 pacts signed in Caracas", []string{"reactions", "skeptic", "agreement"}},
		{"economy", "Trade, wheat and insulin", "Trade surged 70% in early 2024, with Russian exports to Venezuela up 453%", []string{"energy", "outlook", "context"}},
		{"advocacy", "A shared push for a multipolar world", "“multipolar world order”", []string{"context", "quotes", "reactions"}},
		{"context", "Why Moscow and Caracas are teaming up", "“collective West”", []string{"timeline", "advocacy", "reactions"}},
		{"reactions", "How the world reacted", "Edmundo González", []string{"outlook", "skeptic", "security"}},
		{"outlook", "What it could mean", "long-term dependency", []string{"skeptic", "conclusion", "reactions"}},
		{"skeptic", "The skeptical view", "stagnated despite Russian support since 2019", []string{"outlook", "energy", "conclusion"}},
		{"conclusion", "The bottom line", "practical and political hurdles", []string{"outlook", "skeptic", "sources"}},
		{"timeline", "Key dates", "**May 7, 2025**", []string{"context", "agreement", "quotes"}},
		{"quotes", "In their own words", "“BRICS is the epicenter of global changes.”", []string{"advocacy", "reactions", "sources"}},
		{"sources", "Where the reporting comes from", "**RIO Times**", []string{"quotes", "conclusion", "timeline"}},
	}
	if got, want := len(tests), len(b.Library().Default().Sections); got != want {
		t.Errorf("the table covers %d sections, the article has %d", got, want)
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			r := answer(t, b, command(tt.command))
			if r.Title != tt.title {
				t.Errorf("title = %q, want %q", r.Title, tt.title)
			}
			if !strings.Contains(r.Body, tt.fact) {
				t.Errorf("body lacks %q:\n%s", tt.fact, r.Body)
			}
			if want := "May 7, 2025 · " + tt.title; r.Footer != want {
				t.Errorf("footer = %q, want %q", r.Footer, want)
			}
			if r.Private {
				t.Error("answer is private without private:true")
			}
			var related []string
			for _, row := range r.Buttons {
				for _, btn := range row {
					c, err := bot.ParseComponentID(btn.ID)
					if err != nil {
						t.Fatalf("button %q: %v", btn.Label, err)
					}
					if c.Action == bot.ActionSection {
						related = append(related, c.Section)
					}
				}
			}
			if diff := cmp.Diff(tt.related, related); diff != "" {
				t.Errorf("related buttons (-want +got):\n%s", diff)
			}
			if r.Menu == nil || len(r.Menu.Options) != 14 {
				t.Fatalf("menu = %+v, want all 14 sections", r.Menu)
			}
			for _, o := range r.Menu.Options {
				if o.Default != (o.Value == tt.command) {
					t.Errorf("menu option %s: Default = %v", o.Value, o.Default)
				}
			}

			private := answer(t, b, command(tt.command, "private", "true", "article", "putin-maduro-2025"))
			if !private.Private || private.Body != r.Body {
				t.Errorf("with private:true and the article named: Private = %v, same body = %v", private.Private, private.Body == r.Body)
			}
		})
	}
}

// TestGolden pins the replies as the core builds them; run with -update
// after an intended change and read the diff.
func TestGolden(t *testing.T) {
	b := newBot(t)
	cases := map[string]*bot.Request{
		"about":                 command("about"),
		"help-guild":            command("help"),
		"help-dm":               {Kind: bot.KindText, Text: "hello", Source: bot.FromDM},
		"autocomplete-article":  {Kind: bot.KindAutocomplete, Command: "energy", Focused: "article", Options: map[string]string{"article": "put"}},
		"menu-pick-quotes":      {Kind: bot.KindComponent, CustomID: "v1:pick:putin-maduro-2025::0", Values: []string{"quotes"}},
		"button-related-energy": {Kind: bot.KindComponent, CustomID: "v1:sec:putin-maduro-2025:energy:0"},
		"text-question-oil":     {Kind: bot.KindText, Text: "What about the oil?", Source: bot.FromDM},
	}
	for _, s := range b.Library().Default().Sections {
		cases["section-"+s.Name] = command(s.Name)
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(answer(t, b, req), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "replies", name+".json"), append(got, '\n'))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", path, diff)
	}
}

func TestErrors(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		name string
		req  *bot.Request
		kind bot.ErrorKind
		says string
	}{
		{"unknown article", command("energy", "article", "nope"), bot.NotFound, `There is no article "nope". Articles: putin-maduro-2025.`},
		{"over-long article", command("energy", "article", strings.Repeat("x", 500)), bot.NotFound, "Articles: putin-maduro-2025"},
		{"bad private", command("energy", "private", "maybe"), bot.Invalid, `The private option takes true or false, not "maybe".`},
		{"unknown option", command("energy", "colour", "red"), bot.Invalid, `/energy has no option "colour". Its options are: article, private.`},
		{"unknown command", command("weather"), bot.NotFound, "I don't have a /weather command any more. Type /help to see what you can ask."},
		{"old button", &bot.Request{Kind: bot.KindComponent, CustomID: "v0:page:x:y:1"}, bot.Expired, "This button has expired."},
		{"foreign button", &bot.Request{Kind: bot.KindComponent, CustomID: "something-else"}, bot.Expired, "This button has expired."},
		{"removed section", &bot.Request{Kind: bot.KindComponent, CustomID: "v1:sec:putin-maduro-2025:weather:0"}, bot.Expired, "This button has expired."},
		{"removed article", &bot.Request{Kind: bot.KindComponent, CustomID: "v1:page:old-story:energy:1"}, bot.Expired, "This button has expired."},
		{"menu without value", &bot.Request{Kind: bot.KindComponent, CustomID: "v1:pick:putin-maduro-2025::0"}, bot.Expired, "This button has expired."},
		{"typo", &bot.Request{Kind: bot.KindText, Text: "enrgy"}, bot.NotFound, "There is no /enrgy. Did you mean /energy?"},
		{"slash typo", &bot.Request{Kind: bot.KindText, Text: "/sumary"}, bot.NotFound, "Did you mean /summary?"},
		{"prefix", &bot.Request{Kind: bot.KindText, Text: "/econ"}, bot.NotFound, "Did you mean /economy?"},
		{"unknown slash", &bot.Request{Kind: bot.KindText, Text: "/zzzz"}, bot.NotFound, "There is no /zzzz. Type help"},
		{"swapped letters", &bot.Request{Kind: bot.KindText, Text: "hlep"}, bot.NotFound, "There is no /hlep. Did you mean /help?"},
		{"swapped letters of about", &bot.Request{Kind: bot.KindText, Text: "/abuot"}, bot.NotFound, "Did you mean /about?"},
		{"a greeting with a question is a question", &bot.Request{Kind: bot.KindText, Text: "hi, what about bananas"}, bot.NotFound, "I couldn't match that"},
		{"no match", &bot.Request{Kind: bot.KindText, Text: "bananas are yellow"}, bot.NotFound, "I couldn't match that to a section"},
		{"text option typo", &bot.Request{Kind: bot.KindText, Text: "/energy artcle:x"}, bot.Invalid, `/energy has no option "artcle"`},
		{"text stray word", &bot.Request{Kind: bot.KindText, Text: "energy now"}, bot.Invalid, `I understood /energy but not "now"`},
		{"open quote", &bot.Request{Kind: bot.KindText, Text: `energy article:"x`}, bot.Invalid, "A quote is left open"},
		{"help takes no article", &bot.Request{Kind: bot.KindText, Text: "help article:x"}, bot.Invalid, `/help has no option "article". Its options are: private.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Answer(context.Background(), tt.req)
			if err == nil {
				t.Fatal("no error")
			}
			if got := bot.KindOf(err); got != tt.kind {
				t.Errorf("kind = %v, want %v (%v)", got, tt.kind, err)
			}
			if got := bot.UserMessage(err); !strings.Contains(got, tt.says) {
				t.Errorf("message = %q, want it to contain %q", got, tt.says)
			}
		})
	}
}

func TestText(t *testing.T) {
	b := newBot(t)
	tests := []struct {
		text, title, content string
	}{
		{"energy", "Energy: oil, gas and OPEC+", ""},
		{"/energy", "Energy: oil, gas and OPEC+", ""},
		{"  ENERGY? ", "Energy: oil, gas and OPEC+", ""},
		{"/summary article:putin-maduro-2025", "The story in brief", ""},
		{`/summary article:"putin-maduro-2025"`, "The story in brief", ""},
		{"help", "What you can ask briefbot", ""},
		{"hi", "What you can ask briefbot", "Hi! 👋"},
		{"Hola!", "What you can ask briefbot", "¡Hola! 👋"},
		{"hi there", "What you can ask briefbot", "Hi! 👋"},
		{"Hello everyone 👋", "What you can ask briefbot", "Hello! 👋"},
		{"thanks", "What you can ask briefbot", "You're welcome!"},
		{"Thank you so much!", "What you can ask briefbot", "You're welcome!"},
		{"thx", "What you can ask briefbot", "You're welcome!"},
		{"gracias", "What you can ask briefbot", "¡De nada!"},
		{"muchas gracias", "What you can ask briefbot", "¡De nada!"},
		{"спасибо", "What you can ask briefbot", "Пожалуйста!"},
		{"Спасибо большое", "What you can ask briefbot", "Пожалуйста!"},
		{"привет", "What you can ask briefbot", "Привет! 👋"},
		{"merci beaucoup", "What you can ask briefbot", "Avec plaisir !"},
		{"vielen Dank", "What you can ask briefbot", "Gern geschehen!"},
		{"obrigado", "What you can ask briefbot", "De nada!"},
		{"bom dia", "What you can ask briefbot", "Bom dia! 👋"},
		{"?", "What you can ask briefbot", ""},
		{"menu", "What you can ask briefbot", ""},
		{"", "What you can ask briefbot", ""},
		{"about", articleTitle, ""},
		{"what about the oil?", "Energy: oil, gas and OPEC+", "Best match for your question: /energy (Energy: oil, gas and OPEC+)"},
		{"Is Russia sending weapons?", "Security and defense cooperation", "Best match for your question: /security"},
		{"when was it signed", "Key dates", "Best match for your question: /timeline"},
		{"who said BRICS is the epicenter", "In their own words", "Best match for your question: /quotes"},
		{"what did Rodriguez say", "In their own words", "Best match for your question: /quotes"},
		{"is this deal hype, or realistic?", "The skeptical view", "Best match for your question: /skeptic"},
		{"how much wheat does Russia send", "Trade, wheat and insulin", "Best match for your question: /economy"},
		{"what happens next", "What it could mean", "Best match for your question: /outlook"},
		{"what did Brazil and Colombia think", "How the world reacted", "Best match for your question: /reactions"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := answer(t, b, &bot.Request{Kind: bot.KindText, Text: tt.text, Source: bot.FromDM})
			if r.Title != tt.title {
				t.Errorf("title = %q, want %q", r.Title, tt.title)
			}
			if !strings.HasPrefix(r.Content, tt.content) || (tt.content == "") != (r.Content == "") {
				t.Errorf("content = %q, want %q", r.Content, tt.content)
			}
		})
	}
}

func TestAutocomplete(t *testing.T) {
	b := newBot(t)
	for _, tt := range []struct {
		typed string
		want  int
	}{{"", 1}, {"putin", 1}, {"MADURO", 1}, {"venezuela", 1}, {"nothing-like-it", 0}} {
		r := answer(t, b, &bot.Request{Kind: bot.KindAutocomplete, Command: "summary", Focused: "article", Options: map[string]string{"article": tt.typed}})
		if len(r.Choices) != tt.want {
			t.Errorf("typed %q: %d choices, want %d", tt.typed, len(r.Choices), tt.want)
		}
		if r.Choices == nil {
			t.Errorf("typed %q: nil choices; an empty list must still be sent", tt.typed)
		}
	}
}

// The commands of briefbot's bot: the core's, and /digest.
func TestCommands(t *testing.T) {
	b := newBot(t)
	digest.Register(b, digest.Config{})
	var names []string
	for _, c := range b.Commands() {
		names = append(names, c.Name)
		if !bot.ValidName(c.Name) {
			t.Errorf("command name %q is not valid for Discord", c.Name)
		}
		if n := bot.Len(c.Description); n < 1 || n > bot.MaxDescription {
			t.Errorf("/%s description is %d characters", c.Name, n)
		}
		if len(c.Options) > bot.MaxCommandOptions {
			t.Errorf("/%s has %d options", c.Name, len(c.Options))
		}
		checkOptions(t, "/"+c.Name, c.Options)
	}
	want := []string{"summary", "agreement", "energy", "security", "economy", "advocacy", "context", "reactions", "outlook", "skeptic", "conclusion", "timeline", "quotes", "sources", "help", "about", "digest"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

// checkOptions checks options, and those of subcommands, against
// Discord's rules.
func checkOptions(t *testing.T, where string, opts []bot.CommandOption) {
	t.Helper()
	if len(opts) > bot.MaxCommandOptions {
		t.Errorf("%s has %d options", where, len(opts))
	}
	for _, o := range opts {
		if n := bot.Len(o.Description); !bot.ValidName(o.Name) || n < 1 || n > bot.MaxDescription {
			t.Errorf("%s option %q: description %d characters", where, o.Name, n)
		}
		checkOptions(t, where+" "+o.Name, o.Options)
	}
}

// TestSeveralArticles checks that the article option chooses among articles
// and that a section only some articles have says so.
func TestSeveralArticles(t *testing.T) {
	first := &bot.Article{ID: "first", Title: "First story", Default: true, Published: time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC),
		Sections: []*bot.Section{{Name: "summary", Title: "First summary", Description: "d", Body: "One."}, {Name: "extra", Title: "Extra", Description: "d", Body: "Only here."}}}
	second := &bot.Article{ID: "second", Title: "Second story",
		Sections: []*bot.Section{{Name: "summary", Title: "Second summary", Description: "d", Body: "Two."}}}
	lib, err := bot.NewLibrary(first, second)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{})
	if got := answer(t, b, command("summary")).Body; got != "One." {
		t.Errorf("default summary = %q", got)
	}
	if got := answer(t, b, command("summary", "article", "second")).Body; got != "Two." {
		t.Errorf("second summary = %q", got)
	}
	_, err = b.Answer(context.Background(), command("extra", "article", "second"))
	if bot.KindOf(err) != bot.NotFound || !strings.Contains(bot.UserMessage(err), `"Second story" has no /extra section`) {
		t.Errorf("missing section: %v", err)
	}
	r := answer(t, b, &bot.Request{Kind: bot.KindAutocomplete, Command: "summary", Focused: "article", Options: map[string]string{"article": "sec"}})
	if diff := cmp.Diff([]bot.Choice{{Name: "Second story", Value: "second"}}, r.Choices); diff != "" {
		t.Errorf("autocomplete (-want +got):\n%s", diff)
	}
	for _, bad := range [][]*bot.Article{{}, {first, second, {ID: "first"}}, {second, {ID: "third"}}, {first, {ID: "x", Default: true}}} {
		if _, err := bot.NewLibrary(bad...); err == nil {
			t.Errorf("NewLibrary(%d articles) accepted a bad set", len(bad))
		}
	}
}

func BenchmarkAnswerSection(b *testing.B) {
	bb := newBot(b)
	req := command("energy")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bb.Answer(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnswerText(b *testing.B) {
	bb := newBot(b)
	req := &bot.Request{Kind: bot.KindText, Text: "what about the oil?", Source: bot.FromDM}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bb.Answer(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// /help lists whatever else is registered: by the command's own line, or
// by its description.
func TestHelpListsRegisteredCommands(t *testing.T) {
	b := newBot(t)
	b.Handle(bot.Command{Name: "quiz", Description: "Test what you know about the article"}, bot.HandlerFunc(func(context.Context, *bot.Request) (*bot.Reply, error) {
		return &bot.Reply{Content: "?"}, nil
	}))
	b.Handle(bot.Command{Name: "poll", Description: "d", Help: func(src bot.Source) string {
		if src == bot.FromGuild {
			return "`/poll` asks the server."
		}
		return ""
	}}, bot.HandlerFunc(func(context.Context, *bot.Request) (*bot.Reply, error) { return &bot.Reply{Content: "?"}, nil }))
	guild := answer(t, b, command("help")).Body
	if !strings.Contains(guild, "\n`/quiz`: Test what you know about the article.\n`/poll` asks the server.") {
		t.Errorf("help in a server:\n%s", guild)
	}
	dm := answer(t, b, &bot.Request{Kind: bot.KindCommand, Command: "help", Source: bot.FromDM}).Body
	if !strings.Contains(dm, "`/quiz`") || strings.Contains(dm, "`/poll`") {
		t.Errorf("help in a DM:\n%s", dm)
	}
}

// A command with subcommands answers each with its own handler, inside
// the group's middleware, and says which there are when none is named.
func TestHandleGroup(t *testing.T) {
	m := bot.NewMux()
	var seen []string
	reply := func(text string) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
			seen = append(seen, text)
			return &bot.Reply{Content: text}, nil
		})
	}
	gate := func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
			seen = append(seen, "gate")
			return next.Answer(ctx, r)
		})
	}
	m.HandleGroup(bot.Command{Name: "poll", Description: "Polls"}, []bot.Subcommand{
		{Name: "open", Description: "Open one", Options: []bot.CommandOption{{Name: "question", Description: "q", Type: bot.OptionString}}, Handler: reply("opened")},
		{Name: "close", Description: "Close one", Handler: reply("closed")},
		{Name: "list", Description: "List them", Handler: reply("listed")},
	}, gate)
	ctx := context.Background()
	r, err := m.Answer(ctx, &bot.Request{Kind: bot.KindCommand, Command: "poll", Subcommand: "close"})
	if err != nil || r.Content != "closed" || strings.Join(seen, " ") != "gate closed" {
		t.Errorf("close: %v, %v after %v", r, err, seen)
	}
	_, err = m.Answer(ctx, &bot.Request{Kind: bot.KindCommand, Command: "poll"})
	if want := "Say what to do: /poll open, close or list."; bot.KindOf(err) != bot.Invalid || bot.UserMessage(err) != want {
		t.Errorf("no subcommand: %v", err)
	}
	_, err = m.Answer(ctx, &bot.Request{Kind: bot.KindCommand, Command: "poll", Subcommand: "close", Options: map[string]string{"question": "x"}})
	if want := `/poll close takes no options, so "question" is not one.`; bot.UserMessage(err) != want {
		t.Errorf("an option of another subcommand: %v", err)
	}
	var subs []string
	for _, o := range m.Commands()[0].Options {
		if o.Type == bot.OptionSubcommand {
			subs = append(subs, o.Name)
		}
	}
	if strings.Join(subs, " ") != "open close list" {
		t.Errorf("registered subcommands %v", subs)
	}
}

// mentionMarkup names commands as Discord's command mentions, with ids
// made from the names.
type mentionMarkup struct{ bot.PlainMarkup }

func (mentionMarkup) Command(name string) string {
	top, _, _ := strings.Cut(name, " ")
	return "</" + name + ":id-" + top + ">"
}

// /help names every command with the transport's markup, under its
// heading: what to read, how to ask, and the digests.
func TestHelpMentionsCommands(t *testing.T) {
	b := newBot(t)
	b.Handle(bot.Command{Name: "quiz", Description: "Test what you know about the article"}, bot.HandlerFunc(func(context.Context, *bot.Request) (*bot.Reply, error) {
		return &bot.Reply{Content: "?"}, nil
	}))
	b.HandleGroup(bot.Command{Name: "poll", Description: "Polls", Group: bot.GroupDigests, Help: func(bot.Source) string {
		return "`/poll open` asks the server; `/poll close` ends it; `/poll article:x` stays code."
	}}, []bot.Subcommand{
		{Name: "open", Description: "Open one", Handler: bot.HandlerFunc(func(context.Context, *bot.Request) (*bot.Reply, error) { return nil, nil })},
	})
	r := answer(t, b, &bot.Request{Kind: bot.KindCommand, Command: "help", Source: bot.FromGuild, Markup: mentionMarkup{}})
	want := []string{
		"**Read**\nStart with </summary:id-summary>, then pick a topic:\n</agreement:id-agreement> </energy:id-energy>",
		"</sources:id-sources>\n</about:id-about> says where the article comes from.",
		"\n\n**Ask**\nAdd `private:True` to any command",
		"\n</quiz:id-quiz>: Test what you know about the article.",
		"\n\n**Digests**\n</poll open:id-poll> asks the server; `/poll close` ends it; `/poll article:x` stays code.",
	}
	for _, w := range want {
		if !strings.Contains(r.Body, w) {
			t.Errorf("help lacks %q:\n%s", w, r.Body)
		}
	}
	// A greeting on that transport gets the same help.
	hi := answer(t, b, &bot.Request{Kind: bot.KindText, Text: "hi there!", Source: bot.FromDM, Markup: mentionMarkup{}})
	if hi.Content != "Hi! 👋 Here is what I can do." || !strings.Contains(hi.Body, "</energy:id-energy>") {
		t.Errorf("greeting: %q\n%s", hi.Content, hi.Body)
	}
}
