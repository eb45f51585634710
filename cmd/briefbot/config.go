package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord"
)

// Config is everything briefbot can be told at start, from flags and their
// environment equivalents. A flag wins over its variable.
type Config struct {
	Content   string // folder of articles; empty for the built-in ones
	Source    string // validate: the news article the curated text must be faithful to
	LogFormat string // text or json
	LogLevel  slog.Level

	DiscordURL string // REST and gateway discovery: Discord, a REST proxy, or a fake
	GuildID    string // register commands in this guild only (development)
	ShardID    int
	ShardCount int
	AppID      string // for invite without a token
	DB         string // a SQLite file, or a postgres:// URL

	LLMURL         string // an OpenAI-compatible API's base URL
	LLMModel       string // rephrasing is off unless set
	LLMKey         string // OPENAI_API_KEY; environment only, like the token
	LLMTimeout     time.Duration
	LLMDailyTokens int
	LLMCooldown    time.Duration
	Prompts        string // a folder of prompt templates replacing the built-in ones

	LLMVerify        bool          // ask a verifier model about every rewrite the guard passes
	LLMVerifyModel   string        // the verifier model; "": LLMModel
	LLMVerifyTimeout time.Duration // for one verification
	Purge            int64         // reports: the report whose cached rephrasing to drop
	Days             int           // rejections: how many days back to tally

	DigestMinInterval time.Duration // the shortest time allowed between two digests of a subscription
	DigestGrace       time.Duration // how old a digest missed while down may be and still be posted
	DigestLimit       int           // subscriptions per server, and per user in DMs; 0: no limit
	DigestRate        float64       // digests posted a second by this process; 0: DefaultDigestRate / shards

	PreviewAddr string        // where briefbot preview serves its page
	Width       int           // console and ask: wrap at this many columns; 0: no wrapping; -1: the terminal's width, or 80
	StartRetry  time.Duration // how long a start that cannot reach Discord is retried; 0: not retried

	QuestionLogDays int // how long refused and low-confidence questions are kept; 0: none are

	HTTPAddr    string // where serve (and run, if set) takes Discord's interactions over HTTP
	MetricsAddr string // where /metrics, /livez and /readyz are served; "" for off
	Gateway     string // auto, all, dm or off: what the gateway connection is for
	PublicKey   string // DISCORD_PUBLIC_KEY; environment only, like the token

	Token string // DISCORD_TOKEN; read from the environment only, never a flag
}

// setting is one flag and the environment variable that stands for it.
type setting struct {
	flag, env, meta string
}

// flags binds a Config to a FlagSet and reads the environment for any flag
// not given on the command line.
//
// The parsing is the standard library's flag values with a loop of its own
// around them, not a flag library: the ones that read the environment
// (peterbourgon/ff among them) name each variable after its flag with one
// prefix, and briefbot's variables are not all named so (OPENAI_BASE_URL,
// BRIEFBOT_GUILD_ID); and none of them reads flags after a subcommand's
// arguments, which briefbot must.
type flags struct {
	fs       *flag.FlagSet
	settings []setting
	given    map[string]bool // set on the command line or by its variable
}

func newFlags(name string, out io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return &flags{fs: fs, given: map[string]bool{}}
}

// common registers the settings every subcommand shares.
func (f *flags) common(c *Config) {
	f.stringVar(&c.Content, "content", "BRIEFBOT_CONTENT", "DIR", "", "read articles from the Markdown files in `DIR` instead of the built-in ones")
	f.stringVar(&c.Source, "source", "", "FILE", "", "with validate: check the curated text against the news article in `FILE`: every figure, date, quotation and name must be in it")
	f.choiceVar(&c.LogFormat, "log-format", "BRIEFBOT_LOG_FORMAT", "text", "log as text or json", "text", "json")
	f.textVar(&c.LogLevel, "log-level", "BRIEFBOT_LOG_LEVEL", "LEVEL", slog.LevelInfo, "log at debug, info, warn or error (default info; warn in the console and ask)")
	f.stringVar(&c.DiscordURL, "discord-url", "BRIEFBOT_DISCORD_URL", "URL", discord.DefaultBaseURL, "base `URL` for Discord's REST API and gateway discovery, e.g. a REST proxy")
	f.stringVar(&c.GuildID, "guild", "BRIEFBOT_GUILD_ID", "ID", "", "register commands in this guild only, where changes show at once (for development)")
	f.intVar(&c.ShardID, "shard-id", "BRIEFBOT_SHARD_ID", "N", 0, "this process's shard, from 0")
	f.intVar(&c.ShardCount, "shard-count", "BRIEFBOT_SHARD_COUNT", "N", 0, "how many shards share the guilds (0: no sharding)")
	f.stringVar(&c.DB, "db", "BRIEFBOT_DB", "PATH|URL", "briefbot.db", "where state is kept: a SQLite file, or a postgres:// URL for several instances")
	f.stringVar(&c.LLMURL, "llm-url", "OPENAI_BASE_URL", "URL", "", "an OpenAI-compatible API, e.g. http://localhost:11434/v1 for Ollama (default OpenAI's)")
	f.stringVar(&c.LLMModel, "llm-model", "BRIEFBOT_LLM_MODEL", "NAME", "", "the model that rephrases sections on request; rephrasing is off when empty")
	f.durationVar(&c.LLMTimeout, "llm-timeout", "BRIEFBOT_LLM_TIMEOUT", 20*time.Second, "how long a rephrasing may take before the curated text stays")
	f.intVar(&c.LLMDailyTokens, "llm-daily-tokens", "BRIEFBOT_LLM_DAILY_TOKENS", "N", 200000, "tokens each server (or DM user) may spend a day (0: no limit)")
	f.durationVar(&c.LLMCooldown, "llm-cooldown", "BRIEFBOT_LLM_COOLDOWN", 10*time.Second, "time between one reader's rephrasing requests")
	f.stringVar(&c.Prompts, "prompts", "BRIEFBOT_PROMPTS", "DIR", "", "read prompt templates from `DIR` instead of the built-in ones")
	f.boolVar(&c.LLMVerify, "llm-verify", "BRIEFBOT_LLM_VERIFY", false, "after the guard passes a rephrasing, ask a verifier model for any statement the curated text does not support; any, or no answer, keeps the curated text")
	f.stringVar(&c.LLMVerifyModel, "llm-verify-model", "BRIEFBOT_LLM_VERIFY_MODEL", "NAME", "", "the verifier model, on the same API (default the --llm-model)")
	f.durationVar(&c.LLMVerifyTimeout, "llm-verify-timeout", "BRIEFBOT_LLM_VERIFY_TIMEOUT", 10*time.Second, "how long one verification may take before the rephrasing is refused")
	f.int64Var(&c.Purge, "purge", "", "ID", 0, "with reports: drop the cached rephrasing of report `ID`, so the next reader gets a fresh one")
	f.intVar(&c.Days, "days", "", "N", 7, "with rejections: tally the refusals of the last `N` days")
	f.stringVar(&c.AppID, "app-id", "BRIEFBOT_APP_ID", "ID", "", "the application id, for invite when DISCORD_TOKEN is not set")
	f.durationVar(&c.DigestMinInterval, "digest-min-interval", "BRIEFBOT_DIGEST_MIN_INTERVAL", time.Hour, "the shortest time allowed between two digests of one subscription (0: any)")
	f.durationVar(&c.DigestGrace, "digest-grace", "BRIEFBOT_DIGEST_GRACE", time.Hour, "a digest missed while briefbot was down is posted at start if it is at most this late; older ones are skipped")
	f.intVar(&c.DigestLimit, "digest-limit", "BRIEFBOT_DIGEST_LIMIT", "N", 10, "digest subscriptions each server may have, and each member in DMs (0: no limit)")
	f.floatVar(&c.DigestRate, "digest-rate", "BRIEFBOT_DIGEST_RATE", "N", 0, fmt.Sprintf("digests this process posts a second at most (default %v, divided by --shard-count)", DefaultDigestRate))
	f.stringVar(&c.PreviewAddr, "addr", "BRIEFBOT_PREVIEW_ADDR", "HOST:PORT", "127.0.0.1:8090", "with preview: where to serve the page; keep it on 127.0.0.1, this machine only")

	f.intVar(&c.Width, "width", "BRIEFBOT_WIDTH", "N", -1, "console and ask: wrap answers at N columns (default the terminal's width, or 80 when output is not a terminal; 0: no wrapping)")
	f.durationVar(&c.StartRetry, "start-retry", "BRIEFBOT_START_RETRY", discord.DefaultStartRetry, "how long to keep trying to reach Discord at start, when it or the network fails (0: give up at once)")

	f.intVar(&c.QuestionLogDays, "question-log-days", "BRIEFBOT_QUESTION_LOG_DAYS", "N", 30, "days the questions the article could not answer are kept for briefbot questions (0: none are kept)")

	// Running for many servers: the interactions endpoint, the gateway's
	// part, metrics and health.
	f.stringVar(&c.HTTPAddr, "http-addr", "BRIEFBOT_HTTP_ADDR", "ADDR", "", "take Discord's interactions over HTTP at POST /interactions on `ADDR` (serve: default :8080; run: only if set)")
	f.choiceVar(&c.Gateway, "gateway", "BRIEFBOT_GATEWAY", "auto", "what the gateway connection is for: all events, dm (direct messages only, as shard 0), off, or auto: all for run, off for serve", "auto", "all", "dm", "off")
	f.stringVar(&c.MetricsAddr, "metrics-addr", "BRIEFBOT_METRICS_ADDR", "ADDR", "", "serve Prometheus metrics at /metrics, and /livez and /readyz, on `ADDR`, e.g. 127.0.0.1:9090 (off unless set)")
}

// questionRetention is how long the question log keeps a question.
func (c *Config) questionRetention() time.Duration {
	return time.Duration(c.QuestionLogDays) * 24 * time.Hour
}

// DefaultDigestRate is how many digests a second all of briefbot's
// processes post together, unless told otherwise: under Discord's global
// limit of 50 requests a second, with room for answering DMs and posting
// notices.
const DefaultDigestRate = 40

// digestRate is the pace of this process's digests: its share of
// DefaultDigestRate when several processes share the work as shards.
func (c *Config) digestRate() float64 {
	if c.DigestRate > 0 {
		return c.DigestRate
	}
	return DefaultDigestRate / float64(max(c.ShardCount, 1))
}

func (f *flags) floatVar(p *float64, name, env, meta string, def float64, usage string) {
	*p = def
	f.fs.Var(parsed(p, func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, errors.New("not a number: give one such as 40 or 2.5")
		}
		return v, nil
	}), name, usage)
	f.settings = append(f.settings, setting{name, env, meta})
}

func (f *flags) durationVar(p *time.Duration, name, env string, def time.Duration, usage string) {
	*p = def
	f.fs.Var(parsed(p, func(s string) (time.Duration, error) {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, errors.New("not a duration: give a duration such as 30m or 2h")
		}
		return d, nil
	}), name, usage)
	f.settings = append(f.settings, setting{name, env, "DURATION"})
}

func (f *flags) boolVar(p *bool, name, env string, def bool, usage string) {
	f.fs.BoolVar(p, name, def, usage)
	f.settings = append(f.settings, setting{name, env, ""})
}

func (f *flags) int64Var(p *int64, name, env, meta string, def int64, usage string) {
	f.fs.Int64Var(p, name, def, usage)
	f.settings = append(f.settings, setting{name, env, meta})
}

func (f *flags) intVar(p *int, name, env, meta string, def int, usage string) {
	*p = def
	f.fs.Var(parsed(p, func(s string) (int, error) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, errors.New("not a whole number: give one such as 10")
		}
		return v, nil
	}), name, usage)
	f.settings = append(f.settings, setting{name, env, meta})
}

// value is a flag.Value of a T that parse reads, with errors that say
// what to give instead.
type value[T any] struct {
	p     *T
	parse func(string) (T, error)
}

func parsed[T any](p *T, parse func(string) (T, error)) *value[T] { return &value[T]{p, parse} }

func (v *value[T]) Set(s string) error {
	x, err := v.parse(s)
	if err == nil {
		*v.p = x
	}
	return err
}

func (v *value[T]) String() string {
	if v == nil || v.p == nil {
		return ""
	}
	switch x := any(*v.p).(type) {
	case time.Duration:
		return x.String()
	case slog.Level:
		return strings.ToLower(x.String())
	}
	return fmt.Sprint(*v.p)
}

// Validate checks what flag parsing cannot, with messages that say what to
// fix.
func (c *Config) Validate() error {
	if c.ShardCount < 0 || c.ShardID < 0 || (c.ShardCount == 0 && c.ShardID != 0) || (c.ShardCount > 0 && c.ShardID >= c.ShardCount) {
		return fmt.Errorf("shard %d of %d: --shard-id must be from 0 to --shard-count minus one", c.ShardID, c.ShardCount)
	}
	if u, err := url.Parse(c.DiscordURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--discord-url %q must be an http(s) URL such as %s", c.DiscordURL, discord.DefaultBaseURL)
	}
	if c.GuildID != "" && !snowflake(c.GuildID) {
		return fmt.Errorf("--guild %q is not a guild id: a guild id is a 17–20 digit number. In Discord, turn on Developer Mode (User Settings → Advanced), then right-click the server and Copy Server ID", c.GuildID)
	}
	if c.LLMURL != "" {
		if u, err := url.Parse(c.LLMURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--llm-url %q must be an http(s) URL such as http://localhost:11434/v1", c.LLMURL)
		}
	}
	if c.LLMTimeout <= 0 || c.LLMCooldown < 0 || c.LLMDailyTokens < 0 {
		return fmt.Errorf("--llm-timeout must be positive, and --llm-cooldown and --llm-daily-tokens not negative")
	}
	if c.LLMVerifyTimeout <= 0 {
		return fmt.Errorf("--llm-verify-timeout %v must be positive, e.g. 10s", c.LLMVerifyTimeout)
	}
	if c.Purge < 0 || c.Days <= 0 {
		return fmt.Errorf("--purge must be a report id from briefbot reports, and --days a number of days from 1")
	}
	if c.DigestMinInterval < 0 {
		return fmt.Errorf("--digest-min-interval %v must not be negative: use e.g. 1h, or 0 to allow any schedule", c.DigestMinInterval)
	}
	if c.DigestGrace <= 0 {
		return fmt.Errorf("--digest-grace %v must be positive, e.g. 1h: digests missed while briefbot was down are posted at start if they are at most this late", c.DigestGrace)
	}
	if c.DigestLimit < 0 {
		return fmt.Errorf("--digest-limit %d must not be negative: use e.g. 10, or 0 for no limit", c.DigestLimit)
	}
	if c.DigestRate < 0 || c.DigestRate > 50 {
		return fmt.Errorf("--digest-rate %v must be from 0 to 50 digests a second: Discord lets a bot make 50 requests a second in all (0: %v divided by --shard-count)", c.DigestRate, DefaultDigestRate)
	}
	if c.QuestionLogDays < 0 || c.QuestionLogDays > 3650 {
		return fmt.Errorf("--question-log-days %d must be from 0 (keep no questions) to 3650", c.QuestionLogDays)
	}
	for _, a := range []struct{ flag, addr string }{{"--http-addr", c.HTTPAddr}, {"--metrics-addr", c.MetricsAddr}} {
		if _, _, err := net.SplitHostPort(a.addr); a.addr != "" && err != nil {
			return fmt.Errorf("%s %q must be a host and port to listen on, such as :8080 or 127.0.0.1:9090", a.flag, a.addr)
		}
	}
	if c.Gateway == "dm" && c.ShardID != 0 {
		return fmt.Errorf("--gateway dm takes direct messages, which Discord sends to shard 0 only: drop --shard-id %d", c.ShardID)
	}
	if c.AppID != "" && !snowflake(c.AppID) {
		return fmt.Errorf("--app-id %q is not an application id: an application id is a 17–20 digit number, the Application ID on the General Information page of the developer portal", c.AppID)
	}
	if c.Width < -1 {
		return fmt.Errorf("--width %d must be a number of columns, such as 100, or 0 for no wrapping", c.Width)
	}
	if c.StartRetry < 0 {
		return fmt.Errorf("--start-retry %v must not be negative: use e.g. 2m, or 0 to give up at once", c.StartRetry)
	}
	return nil
}

// snowflake reports whether s looks like a Discord id: 17 to 20 digits
// (ids made since 2015 and for the coming decades).
func snowflake(s string) bool {
	if len(s) < 17 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (f *flags) stringVar(p *string, name, env, meta, def, usage string) {
	f.fs.StringVar(p, name, def, usage)
	f.settings = append(f.settings, setting{name, env, meta})
}

// textVar is a log level flag: debug, info, warn or error, in any case
// (slog's offsets, such as info+2, too).
func (f *flags) textVar(p *slog.Level, name, env, meta string, def slog.Level, usage string) {
	*p = def
	f.fs.Var(parsed(p, func(s string) (slog.Level, error) {
		var l slog.Level
		if strings.EqualFold(s, "warning") {
			s = "warn"
		}
		if err := l.UnmarshalText([]byte(s)); err != nil {
			return 0, errors.New("the log levels are debug, info, warn and error")
		}
		return l, nil
	}), name, usage)
	f.settings = append(f.settings, setting{name, env, meta})
}

// choiceVar is a string flag that accepts only the given values.
func (f *flags) choiceVar(p *string, name, env, def, usage string, values ...string) {
	*p = def
	f.fs.Func(name, usage+" (default "+def+")", func(v string) error {
		for _, ok := range values {
			if v == ok {
				*p = v
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(values, ", "))
	})
	f.settings = append(f.settings, setting{name, env, strings.Join(values, "|")})
}

// errUnknownFlag is a flag that briefbot does not have.
type errUnknownFlag struct{ name, guess string }

func (e *errUnknownFlag) Error() string {
	if e.guess != "" {
		return fmt.Sprintf("there is no flag --%s: did you mean --%s?", e.name, e.guess)
	}
	return fmt.Sprintf("there is no flag --%s", e.name)
}

// parse reads the flags in args wherever they are — before the
// subcommand, after it, among its arguments; "--" ends them — and then
// the environment for every flag not given. It returns the other
// arguments in order, with the flags in own, which a subcommand reads
// itself (true: it takes a value), left among them. -h or --help is
// flag.ErrHelp. An invalid value from either place, or an unknown flag, is
// refused with what to fix.
func (f *flags) parse(args []string, getenv func(string) string, own map[string]bool) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a) // "-" too: standard input
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return nil, flag.ErrHelp
		}
		if takesValue, ok := own[name]; ok {
			rest = append(rest, a)
			if takesValue && !hasVal && i+1 < len(args) {
				i++
				rest = append(rest, args[i])
			}
			continue
		}
		fl := f.fs.Lookup(name)
		if fl == nil {
			names := make([]string, 0, len(f.settings))
			for _, s := range f.settings {
				names = append(names, s.flag)
			}
			return nil, &errUnknownFlag{name: name, guess: bot.Suggest(name, names)}
		}
		if !hasVal {
			if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				val = "true"
			} else if i+1 < len(args) {
				i++
				val = args[i]
			} else {
				return nil, fmt.Errorf("--%s needs a value: %s", name, strings.ReplaceAll(fl.Usage, "`", ""))
			}
		}
		if err := fl.Value.Set(val); err != nil {
			return nil, fmt.Errorf("invalid value %q for --%s: %v", val, name, err)
		}
		f.given[name] = true
	}
	for _, s := range f.settings {
		if f.given[s.flag] || s.env == "" {
			continue
		}
		if v := getenv(s.env); v != "" {
			if err := f.fs.Set(s.flag, v); err != nil {
				return nil, fmt.Errorf("invalid value %q for %s (--%s): %v", v, s.env, s.flag, err)
			}
			f.given[s.flag] = true
		}
	}
	return rest, nil
}

// takesValue reports whether the flag named takes a value from the next
// argument: the command line's flags that are not booleans.
func (f *flags) takesValue(name string) bool {
	fl := f.fs.Lookup(name)
	if fl == nil {
		return false
	}
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// usage prints the flags with their variables and defaults: those named
// in only, or all of them when only is nil.
func (f *flags) usage(w io.Writer, only ...string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	sorted := make([]setting, 0, len(f.settings))
	for _, s := range f.settings {
		if only == nil || slices.Contains(only, s.flag) {
			sorted = append(sorted, s)
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].flag < sorted[j].flag })
	for _, s := range sorted {
		fl := f.fs.Lookup(s.flag)
		def := ""
		if fl.DefValue != "" && fl.DefValue != "0" && fl.DefValue != "false" && fl.DefValue != "0s" {
			def = " (default " + fl.DefValue + ")"
		}
		if strings.Contains(fl.Usage, "(default") {
			def = ""
		}
		env := ""
		if s.env != "" {
			env = "$" + s.env
		}
		fmt.Fprintf(tw, "  --%s %s\t%s\t%s%s\n", s.flag, s.meta, env, strings.ReplaceAll(fl.Usage, "`", ""), def)
	}
	tw.Flush()
}

// newLogger builds the process logger; only cmd decides where logs go.
// Durations are written as people read them, "1h0m0s", in JSON too, where
// slog would write nanoseconds.
func newLogger(c *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Value.Kind() == slog.KindDuration {
			a.Value = slog.StringValue(a.Value.Duration().String())
		}
		return a
	}}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
