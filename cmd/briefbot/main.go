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
	"strings"
	"syscall"
	_ "time/tzdata" // digest time zones on machines without a tz database

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/metrics"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/content"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, tty: isTerminal(os.Stdin)})
	stop()
	os.Exit(code)
}

// env is the world a run sees, so that tests can give it another.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	tty            bool // stdin is a terminal: show a prompt

	// clock is the time of the run: digests are scheduled by it, and
	// rewrites' budgets and cooldowns counted; nil is the real clock.
	clock bot.Clock

	// metrics, when set, counts what the run does (--metrics-addr).
	metrics *metrics.Metrics
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
		{"ask", "QUESTION", "print one answer, e.g. briefbot ask /skeptic", runAsk},
		{"validate", "[DIR]", "check articles (a folder, or one .md file) and print every problem as file:line: message", runValidate},
		{"draft", "ARTICLE", "print a starting content file drafted from a news article (-o FILE writes it)", runDraft},
		{"commands", "", "print the slash commands that would be registered, as JSON", runCommands},
		{"register", "", "register the slash commands with Discord and exit", runRegister},
		{"invite", "", "print the link that adds the bot to a server", runInvite},
	}
}

func run(ctx context.Context, args []string, e env) int {
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		usage(e.stdout, nil)
		return exitOK
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == name {
			cmd = &c
		}
	}
	if cmd == nil && name != "" {
		fmt.Fprintf(e.stderr, "briefbot: unknown command %q\n\n", name)
		usage(e.stderr, nil)
		return exitUsage
	}

	var cfg Config
	f := newFlags("briefbot", io.Discard)
	f.common(&cfg)
	if err := f.parse(args, e.getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(e.stdout, f)
			return exitOK
		}
		fmt.Fprintf(e.stderr, "briefbot: %v\nRun briefbot --help for the settings.\n", err)
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitUsage
	}
	cfg.Token = strings.TrimSpace(e.getenv("DISCORD_TOKEN"))
	cfg.LLMKey = strings.TrimSpace(e.getenv("OPENAI_API_KEY"))
	cfg.PublicKey = strings.TrimSpace(e.getenv("DISCORD_PUBLIC_KEY"))
	log := newLogger(&cfg, e.stderr)

	if cmd == nil { // no command: the bot when there is a token, else the console
		if cfg.Token == "" {
			fmt.Fprintln(e.stderr, "No DISCORD_TOKEN is set, so this is the local console on the built-in article. Type help, or quit to leave.")
			return runConsole(ctx, &cfg, log, f.fs.Args(), e)
		}
		return runBot(ctx, &cfg, log, f.fs.Args(), e)
	}
	return cmd.run(ctx, &cfg, log, f.fs.Args(), e)
}

func usage(w io.Writer, f *flags) {
	fmt.Fprint(w, `briefbot briefs a Discord community on a news article.

Usage: briefbot [command] [flags]

With no command, briefbot runs the Discord bot when DISCORD_TOKEN is set and
the local console when it is not.

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-22s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	if f == nil {
		var cfg Config
		f = newFlags("briefbot", io.Discard)
		f.common(&cfg)
	}
	fmt.Fprint(w, "\nFlags (each also read from the environment variable shown; a flag wins):\n")
	f.usage(w)
	fmt.Fprint(w, "\nEnvironment only (secrets never go on the command line):\n  DISCORD_TOKEN       the bot token from the Discord developer portal\n  DISCORD_PUBLIC_KEY  the application's public key (General Information), for serve and --http-addr\n  OPENAI_API_KEY      the key of the OpenAI-compatible API, if it needs one\n")
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
	lib, err := library(c.Content)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: the content is invalid, so briefbot will not start:\n%v\n", err)
		return nil, nil, exitFailed
	}
	var obs rewrite.Observer
	if e.metrics != nil {
		obs = e.metrics
	}
	rw, done, err := newRewriter(ctx, c, log, e.now(), st, obs)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return nil, nil, exitUsage
	}
	b := bot.New(lib, bot.Options{Logger: log, Rewriter: rw})
	var dcfg digest.Config
	if digests != nil {
		dcfg = digests(b)
	}
	digest.Register(b, dcfg)
	b.Use(bot.Recover(log))
	return b, done, exitOK
}

func runConsole(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "briefbot console takes no arguments (got %q); to ask one question use briefbot ask\n", strings.Join(args, " "))
		return exitUsage
	}
	b, done, code := newBot(ctx, c, log, e, nil, nil)
	if b == nil {
		return code
	}
	defer done()
	con := &console.Console{Bot: b, In: e.stdin, Out: e.stdout, Log: log, User: consoleUser(e)}
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
	b, done, code := newBot(ctx, c, log, e, nil, nil)
	if b == nil {
		return code
	}
	defer done()
	con := &console.Console{Bot: b, Out: e.stdout, Err: e.stderr, Log: log, User: consoleUser(e)}
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

// isTerminal reports whether f is a terminal rather than a pipe or file.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
