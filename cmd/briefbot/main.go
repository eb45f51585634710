// Command briefbot is a Discord bot that briefs a community on a news
// article. With no Discord token it starts a local console on the built-in
// article; see `briefbot --help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path"
	"slices"
	"strings"
	"syscall"
	_ "time/tzdata" // digest time zones on machines without a tz database
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	botanswer "github.com/briefbot/briefbot/bot/answer"
	botask "github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/metrics"
	"github.com/briefbot/briefbot/bot/report"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/content"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	// Ctrl-C is the console's when it runs (it stops an answer, or
	// leaves), and otherwise stops briefbot as SIGTERM does.
	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	interrupt := make(chan struct{}, 1)
	go func() {
		for range sigint {
			select {
			case interrupt <- struct{}{}:
			default:
			}
		}
	}()
	out := int(os.Stdout.Fd())
	code := run(ctx, os.Args[1:], env{
		getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		tty: term.IsTerminal(int(os.Stdin.Fd())), stdoutTTY: term.IsTerminal(out),
		columns: func() int {
			w, _, err := term.GetSize(out)
			if err != nil {
				return 0
			}
			return w
		},
		interrupt: interrupt,
	})
	stop()
	os.Exit(code)
}

// env is the world a run sees, so that tests can give it another.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	tty            bool // stdin is a terminal: show a prompt
	// stdoutTTY: stdout is a terminal, columns wide (0: unknown), so
	// answers are styled and wrapped for it.
	stdoutTTY bool
	columns   func() int
	// interrupt gets a value for each Ctrl-C; nil for none.
	interrupt <-chan struct{}

	// clock is the time of the run: digests are scheduled by it, and
	// rewrites' budgets and cooldowns counted; nil is the real clock.
	clock bot.Clock

	// hup delivers SIGHUP, which tells briefbot run, serve and preview
	// to reload; nil: the process's own SIGHUP, asked for by the command.
	hup <-chan os.Signal

	// metrics, when set, counts what the run does (--metrics-addr).
	metrics *metrics.Metrics
}

// hangups returns what delivers SIGHUP to a command that reloads on it,
// and what to call when it no longer listens. Only such commands catch
// it: for the others it keeps its usual meaning.
func (e env) hangups() (<-chan os.Signal, func()) {
	if e.hup != nil {
		return e.hup, func() {}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}

// now is the clock of the run.
func (e env) now() bot.Clock {
	if e.clock == nil {
		return bot.SystemClock{}
	}
	return e.clock
}

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1 // the command ran and failed: invalid content, an unknown question
	exitUsage   = 2 // the command line or a setting is wrong
	builtinPath = "content/articles"
)

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int
}

func commands() []command {
	return []command{
		{"run", "", "run the Discord bot (needs DISCORD_TOKEN)", runBot},
		{"serve", "", "answer Discord's interactions over HTTP, one of any number of replicas (needs DISCORD_TOKEN and DISCORD_PUBLIC_KEY)", runServe},
		{"console", "", "talk to the bot in this terminal", runConsole},
		{"ask", "QUESTION", "print one answer, e.g. briefbot ask /skeptic or briefbot ask \"what about the oil?\" (exit 1 when the article does not say)", runAsk},
		{"validate", "[DIR]", "check articles (a folder, or one .md file) and print every problem as file:line: message", runValidate},
		{"draft", "ARTICLE", "print a starting content file drafted from a news article (-o FILE writes it; --llm: the model drafts it, checked)", runDraft},
		{"preview", "[DIR]", "show every reply as Discord would, on a local web page that refreshes as you edit (--addr)", runPreview},
		{"commands", "", "print the slash commands that would be registered, as JSON", runCommands},
		{"register", "", "register the slash commands with Discord and exit", runRegister},
		{"invite", "", "print the link that adds the bot to a server", runInvite},
		{"version", "", "print briefbot's version, commit and Go version", runVersion},
		{"questions", "[N]", "print the N (default 20) questions readers asked most that the article could not answer", runQuestions},
		{"reports", "[--purge ID]", "list readers' reports of rephrasings; --purge drops one's cached rephrasing", runReports},
		{"rejections", "[--days N]", "tally the refusals of rephrasings of the last days, by check", runRejections},
	}
}

// commandDoc is what a command's own --help says beyond its summary.
type commandDoc struct {
	// flags are the settings the command reads, by flag name; the others
	// are left to briefbot --help. Nil lists them all.
	flags []string
	// examples are command lines to try.
	examples []string
	// own are flags the command reads itself from its arguments (true:
	// the flag takes a value), and ownUsage says what they do.
	own      map[string]bool
	ownUsage string
}

// The settings of the commands that answer from the articles.
var (
	contentFlags = []string{"content", "log-format", "log-level", "llm-model", "llm-url", "llm-timeout", "llm-daily-tokens", "prompts", "db",
		"llm-verify", "llm-verify-model", "llm-verify-timeout"}
	discordFlags = []string{"discord-url", "guild", "start-retry", "log-format", "log-level"}
	// botFlags are the settings of the bot on Discord, run and serve.
	botFlags = append(slices.Clone(contentFlags), "discord-url", "guild", "start-retry", "llm-cooldown",
		"digest-min-interval", "digest-grace", "digest-limit", "digest-rate", "question-log-days",
		"http-addr", "gateway", "metrics-addr")
)

// commandDocs are the commands' own help. A command with no entry lists
// every setting.
var commandDocs = map[string]commandDoc{
	"run": {
		flags: append(slices.Clone(botFlags), "shard-id", "shard-count"),
		examples: []string{"DISCORD_TOKEN=… briefbot run", "DISCORD_TOKEN=… briefbot run --guild 123456789012345678 --log-level debug",
			"DISCORD_TOKEN=… briefbot run --gateway dm --db postgres://briefbot@db/briefbot"},
	},
	"serve": {
		flags: slices.Clone(botFlags),
		examples: []string{"DISCORD_TOKEN=… DISCORD_PUBLIC_KEY=… briefbot serve --db postgres://briefbot@db/briefbot",
			"DISCORD_TOKEN=… DISCORD_PUBLIC_KEY=… briefbot serve --http-addr :8080 --metrics-addr 127.0.0.1:9090"},
	},
	"console": {
		flags:    append(slices.Clone(contentFlags), "width"),
		examples: []string{"briefbot console", "briefbot console --content stories --width 100"},
	},
	"ask": {
		flags:    append(slices.Clone(contentFlags), "width"),
		examples: []string{"briefbot ask /summary", `briefbot ask "what about the oil?"`, "briefbot ask /energy --log-level debug"},
	},
	"validate": {
		flags:    []string{"content", "source"},
		examples: []string{"briefbot validate", "briefbot validate stories/", "briefbot validate --source story.txt stories/story.md"},
	},
	"draft": {
		flags:    []string{"llm-model", "llm-url", "llm-timeout", "prompts", "log-level"},
		examples: []string{"briefbot draft story.txt -o stories/story.md", "briefbot draft - < story.txt", "briefbot draft story.txt --llm --llm-model llama3.2 -o stories/story.md"},
		own:      map[string]bool{"o": true, "llm": false},
		ownUsage: "  -o FILE    write the draft to FILE, which must not exist yet, instead of standard output\n" +
			"  --llm      have the language model (--llm-model) draft each section; only its sentences the article bears out are kept\n",
	},
	"preview": {
		flags:    []string{"addr", "content", "log-level"},
		examples: []string{"briefbot preview", "briefbot preview stories/ --addr 127.0.0.1:9000"},
	},
	"commands": {
		flags:    []string{"content", "guild"},
		examples: []string{"briefbot commands > commands.json"},
	},
	"register": {
		flags:    append([]string{"content"}, discordFlags...),
		examples: []string{"DISCORD_TOKEN=… briefbot register", "DISCORD_TOKEN=… briefbot register --guild 123456789012345678"},
	},
	"invite": {
		flags:    []string{"app-id", "discord-url"},
		examples: []string{"DISCORD_TOKEN=… briefbot invite", "briefbot invite --app-id 1191168914231394305"},
	},
	"questions": {
		flags:    []string{"db", "log-level"},
		examples: []string{"briefbot questions", "briefbot questions 50 --db postgres://briefbot@db/briefbot"},
	},
	"version": {flags: []string{}, examples: []string{"briefbot version"}},
	"reports": {
		flags:    []string{"db", "purge", "log-level"},
		examples: []string{"briefbot reports", "briefbot reports --purge 3"},
	},
	"rejections": {
		flags:    []string{"db", "days", "log-level"},
		examples: []string{"briefbot rejections", "briefbot rejections --days 1"},
	},
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

// commandName finds the subcommand in args: the first argument that is
// neither a flag nor a flag's value. It returns it and the other
// arguments.
func commandName(args []string, f *flags) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return "", args
		}
		if len(a) > 1 && a[0] == '-' {
			if name, _, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "="); !hasVal && f.takesValue(name) {
				i++
			}
			continue
		}
		return a, append(slices.Clone(args[:i]), args[i+1:]...)
	}
	return "", args
}

func run(ctx context.Context, args []string, e env) int {
	var cfg Config
	f := newFlags("briefbot", io.Discard)
	f.common(&cfg)
	name, args := commandName(args, f)
	if name == "help" {
		if topic, _ := commandName(args, f); topic != "" && findCommand(topic) != nil {
			commandUsage(e.stdout, findCommand(topic), f)
		} else {
			usage(e.stdout, f)
		}
		return exitOK
	}
	cmd := findCommand(name)
	if cmd == nil && name != "" {
		names := []string{"help"}
		for _, c := range commands() {
			names = append(names, c.name)
		}
		fmt.Fprintf(e.stderr, "briefbot: unknown command %q", name)
		if guess := bot.Suggest(strings.ToLower(name), names); guess != "" {
			fmt.Fprintf(e.stderr, ": did you mean %s?", guess)
		}
		fmt.Fprint(e.stderr, "\n\n")
		usage(e.stderr, f)
		return exitUsage
	}
	var own map[string]bool
	if cmd != nil {
		own = commandDocs[cmd.name].own
	}
	rest, err := f.parse(args, e.getenv, own)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			if cmd != nil {
				commandUsage(e.stdout, cmd, f)
			} else {
				usage(e.stdout, f)
			}
			return exitOK
		}
		help := "briefbot --help"
		if cmd != nil {
			help = "briefbot " + cmd.name + " --help"
		}
		fmt.Fprintf(e.stderr, "briefbot: %v\nRun %s for the settings.\n", err, help)
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitUsage
	}
	cfg.Token = strings.TrimSpace(e.getenv("DISCORD_TOKEN"))
	cfg.LLMKey = strings.TrimSpace(e.getenv("OPENAI_API_KEY"))
	cfg.PublicKey = strings.TrimSpace(e.getenv("DISCORD_PUBLIC_KEY"))
	local := cmd == nil && cfg.Token == "" || cmd != nil && (cmd.name == "console" || cmd.name == "ask")
	if local && !f.given["log-level"] {
		// In the terminal, logs would come between the answers: only
		// warnings and errors, unless asked for.
		cfg.LogLevel = slog.LevelWarn
	}
	log := newLogger(&cfg, e.stderr)

	if console := cmd == nil && cfg.Token == "" || cmd != nil && cmd.name == "console"; !console && e.interrupt != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-e.interrupt:
				cancel()
			case <-ctx.Done():
			}
		}()
	}

	if cmd == nil { // no command: the bot when there is a token, else the console
		if cfg.Token == "" {
			fmt.Fprintln(e.stderr, "No DISCORD_TOKEN is set, so this is the local console on the built-in article. Type help, or quit to leave.")
			return runConsole(ctx, &cfg, log, rest, e)
		}
		return runBot(ctx, &cfg, log, rest, e)
	}
	return cmd.run(ctx, &cfg, log, rest, e)
}

const settingsHeading = "Flags (each also read from the environment variable shown; a flag wins). Flags go before or after the command:\n"

func usage(w io.Writer, f *flags) {
	fmt.Fprint(w, `briefbot briefs a Discord community on a news article.

Usage: briefbot [command] [flags]

With no command, briefbot runs the Discord bot when DISCORD_TOKEN is set and
the local console when it is not. briefbot COMMAND --help tells more of one.

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-22s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprint(w, "\n"+settingsHeading)
	f.usage(w)
	fmt.Fprint(w, "\nEnvironment only (secrets never go on the command line):\n  DISCORD_TOKEN       the bot token from the Discord developer portal\n  DISCORD_PUBLIC_KEY  the application's public key (General Information), for serve and --http-addr\n  OPENAI_API_KEY      the key of the OpenAI-compatible API, if it needs one\n")
}

// commandUsage is a command's own help: what it does, how to call it,
// examples, and the settings it reads.
func commandUsage(w io.Writer, c *command, f *flags) {
	doc := commandDocs[c.name]
	fmt.Fprintf(w, "briefbot %s: %s\n\nUsage: briefbot %s [flags] %s\n", c.name, c.summary, c.name, c.args)
	if len(doc.examples) > 0 {
		fmt.Fprint(w, "\nExamples:\n")
		for _, ex := range doc.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
	if doc.ownUsage != "" {
		fmt.Fprint(w, "\nFlags of "+c.name+":\n"+doc.ownUsage)
	}
	if doc.flags == nil || len(doc.flags) > 0 {
		fmt.Fprint(w, "\n"+settingsHeading)
		f.usage(w, doc.flags...)
	}
	fmt.Fprint(w, "\nbriefbot --help lists every command and setting.\n")
}

// library loads the articles from dir, or the built-in ones when dir is
// empty. Invalid content is reported as file:line: message, with the file
// named as the user knows it.
func library(dir string) (*bot.Library, error) {
	fsys, prefix := content.Embedded(), builtinPath
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("content folder %q does not exist: set --content or BRIEFBOT_CONTENT to a folder of articles", dir)
		}
		fsys, prefix = os.DirFS(dir), dir
	}
	lib, err := content.Load(fsys)
	var ps content.Problems
	if errors.As(err, &ps) {
		for i := range ps {
			ps[i].File = path.Join(prefix, ps[i].File)
		}
		return nil, ps
	}
	return lib, err
}

// newBot loads the content and assembles the core and its features, or
// says why it cannot. With a model configured, rewrites are cached in
// st; a nil st (the console) opens a store itself when it needs one.
// digests, if not nil, says how /digest schedules digests; nil leaves them
// off (the command is there, and says so).
func newBot(ctx context.Context, c *Config, log *slog.Logger, e env, st store, digests func(*bot.Bot) digest.Config) (*bot.Bot, func(), int) {
	b, rws, code := openBot(ctx, c, log, e, st, digests)
	return b, rws.done, code
}

// openBot is newBot, keeping the rewriting for reloads.
func openBot(ctx context.Context, c *Config, log *slog.Logger, e env, st store, digests func(*bot.Bot) digest.Config) (*bot.Bot, rewriting, int) {
	b, rws, _, code := openFeatures(ctx, c, log, e, st, digests)
	return b, rws, code
}

// openFeatures is openBot, keeping also what a reload assembles a Bot with.
func openFeatures(ctx context.Context, c *Config, log *slog.Logger, e env, st store, digests func(*bot.Bot) digest.Config) (*bot.Bot, rewriting, features, int) {
	lib, err := library(c.Content)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: the content is invalid, so briefbot will not start:\n%v\n", err)
		return nil, rewriting{}, features{}, exitFailed
	}
	var obs rewrite.Observer
	if e.metrics != nil {
		obs = e.metrics
	}
	rws, err := openRewriting(ctx, c, log, e.now(), st, obs)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return nil, rewriting{}, features{}, exitUsage
	}
	f := features{rw: rws.rw, log: log, digests: digests, ask: botask.Config{Clock: e.now(), Logger: log.With("component", "ask")}}
	if e.metrics != nil {
		f.ask.Observer = e.metrics
	}
	if composer, ok := rws.rw.(botask.Composer); ok {
		f.ask.Composer = composer
	}
	if st != nil {
		f.ask.Log, f.ask.Retention = st, c.questionRetention()
		f.extra = append(f.extra, withReports(st, rws.rw, log, e.now()))
	}
	b, err := assemble(lib, f)
	if err != nil {
		rws.done()
		fmt.Fprintf(e.stderr, "briefbot: the content is invalid, so briefbot will not start:\n%v\n", err)
		return nil, rewriting{}, features{}, exitFailed
	}
	return b, rws, f, exitOK
}

// features are what assemble builds a Bot with besides the content: the
// same at start and at every reload.
type features struct {
	rw      bot.Rewriter // nil: no rewriting
	log     *slog.Logger
	digests func(*bot.Bot) digest.Config // nil: digests off
	ask     botask.Config
	extra   []func(*bot.Bot) // more features, registered after the others
}

// withReports registers readers' reports of rephrasings on a Bot, when it
// rephrases: they are made in Discord, where the bot has its store.
func withReports(st store, rw bot.Rewriter, log *slog.Logger, clock bot.Clock) func(*bot.Bot) {
	return func(b *bot.Bot) {
		if r, ok := rw.(*rewrite.Rewriter); ok {
			report.Register(b, report.Config{Store: st, Rewrites: r, Logger: log, Clock: clock})
		}
	}
}

// assemble builds the core over lib with its features: what a start does,
// and every reload again with the new content. It fails when the articles
// cannot be indexed for questions.
func assemble(lib *bot.Library, f features) (*bot.Bot, error) {
	log := f.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := bot.New(lib, bot.Options{Logger: log, Rewriter: f.rw})
	var dcfg digest.Config
	if f.digests != nil {
		dcfg = f.digests(b)
	}
	digest.Register(b, dcfg)
	if _, err := botask.Register(b, f.ask); err != nil {
		return nil, err
	}
	for _, register := range f.extra {
		register(b)
	}
	b.Use(bot.Recover(log))
	return b, nil
}

// local is the configuration of the console and ask: the one reader at
// the keyboard waits out no cooldown between rephrasings.
func local(c *Config) *Config {
	l := *c
	l.LLMCooldown = 0
	return &l
}

// format is how the console writes answers: styled for a terminal unless
// NO_COLOR or TERM=dumb say not to, and wrapped at --width, else at the
// terminal's width, else at 80 columns.
func format(c *Config, e env) console.Format {
	f := console.Format{Width: c.Width, Styled: e.stdoutTTY && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"}
	if f.Width < 0 {
		f.Width = 80
		if e.stdoutTTY && e.columns != nil {
			if w := e.columns(); w > 0 {
				f.Width = w
			}
		}
	}
	return f
}

func runConsole(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "briefbot console takes no arguments (got %q); to ask one question use briefbot ask\n", strings.Join(args, " "))
		return exitUsage
	}
	b, done, code := newBot(ctx, local(c), log, e, nil, nil)
	if b == nil {
		return code
	}
	defer done()
	con := &console.Console{Bot: b, In: e.stdin, Out: e.stdout, Log: log, User: consoleUser(e), Format: format(c, e), Interrupt: e.interrupt}
	if e.tty {
		con.Prompt = "briefbot> "
	}
	if err := con.Run(ctx); err != nil {
		fmt.Fprintf(e.stderr, "briefbot: reading input: %v\n", err)
		return exitFailed
	}
	return exitOK
}

func runAsk(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	question := strings.TrimSpace(strings.Join(args, " "))
	if question == "" {
		fmt.Fprintln(e.stderr, `briefbot ask needs a question, e.g. briefbot ask /skeptic or briefbot ask "what about the oil?"`)
		return exitUsage
	}
	if n := utf8.RuneCountInString(question); n > botask.MaxQuestion {
		fmt.Fprintf(e.stderr, "briefbot ask: the question is %d characters long; ask in at most %d\n", n, botask.MaxQuestion)
		return exitUsage
	}
	b, done, code := newBot(ctx, local(c), log, e, nil, nil)
	if b == nil {
		return code
	}
	defer done()
	con := &console.Console{Bot: b, Out: e.stdout, Err: e.stderr, Log: log, User: consoleUser(e), Format: format(c, e)}
	// An answer, 0; the article does not say, or the line asks for what
	// does not exist, 1.
	if err := con.Ask(ctx, question); err != nil {
		return exitFailed
	}
	return exitOK
}

func runValidate(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	dir := c.Content
	switch len(args) {
	case 0:
	case 1:
		dir = args[0]
	default:
		fmt.Fprintln(e.stderr, "briefbot validate takes at most one folder or file")
		return exitUsage
	}
	if st, err := os.Stat(dir); c.Source != "" || err == nil && !st.IsDir() {
		return validateFaithful(c.Source, dir, e)
	}
	lib, err := library(dir)
	if err != nil {
		fmt.Fprintln(e.stdout, err)
		return exitFailed
	}
	where := dir
	if where == "" {
		where = "the built-in content"
	}
	// The answerer reads the aliases: one that means no word of the
	// articles could never help.
	var arts []botanswer.Article
	for _, a := range lib.Articles() {
		arts = append(arts, botask.Article(a))
	}
	if _, err := botanswer.New(arts...); err != nil {
		fmt.Fprintf(e.stdout, "%s: %v\n", where, strings.TrimPrefix(err.Error(), "answer: "))
		return exitFailed
	}
	sections := 0
	for _, a := range lib.Articles() {
		sections += len(a.Sections)
	}
	fmt.Fprintf(e.stdout, "%s is valid: %d article(s), %d section(s).\n", where, len(lib.Articles()), sections)
	return exitOK
}

func consoleUser(e env) bot.User {
	name := e.getenv("USER")
	if name == "" {
		name = "console"
	}
	return bot.User{ID: "console", Name: name}
}
