package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"text/tabwriter"
)

// Config is everything briefbot can be told at start, from flags and their
// environment equivalents. A flag wins over its variable.
type Config struct {
	Content   string // folder of articles; empty for the built-in ones
	LogFormat string // text or json
	LogLevel  slog.Level

	Token string // DISCORD_TOKEN; read from the environment only, never a flag
}

// setting is one flag and the environment variable that stands for it.
type setting struct {
	flag, env, meta string
}

// flags binds a Config to a FlagSet and reads the environment for any flag
// not given on the command line.
type flags struct {
	fs       *flag.FlagSet
	settings []setting
}

func newFlags(name string, out io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return &flags{fs: fs}
}

// common registers the settings every subcommand shares.
func (f *flags) common(c *Config) {
	f.stringVar(&c.Content, "content", "BRIEFBOT_CONTENT", "DIR", "", "read articles from the Markdown files in `DIR` instead of the built-in ones")
	f.choiceVar(&c.LogFormat, "log-format", "BRIEFBOT_LOG_FORMAT", "text", "log as text or json", "text", "json")
	f.textVar(&c.LogLevel, "log-level", "BRIEFBOT_LOG_LEVEL", "LEVEL", slog.LevelInfo, "log at debug, info, warn or error")
}

func (f *flags) stringVar(p *string, name, env, meta, def, usage string) {
	f.fs.StringVar(p, name, def, usage)
	f.settings = append(f.settings, setting{name, env, meta})
}

func (f *flags) textVar(p *slog.Level, name, env, meta string, def slog.Level, usage string) {
	f.fs.TextVar(p, name, def, usage)
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

// parse reads args, then the environment for every flag not on the command
// line. An invalid value from either is refused with what to fix.
func (f *flags) parse(args []string, getenv func(string) string) error {
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	given := make(map[string]bool)
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, s := range f.settings {
		if given[s.flag] || s.env == "" {
			continue
		}
		if v := getenv(s.env); v != "" {
			if err := f.fs.Set(s.flag, v); err != nil {
				return fmt.Errorf("invalid value %q for %s: %v", v, s.env, err)
			}
		}
	}
	return nil
}

// usage prints the flags with their variables and defaults.
func (f *flags) usage(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	sorted := append([]setting(nil), f.settings...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].flag < sorted[j].flag })
	for _, s := range sorted {
		fl := f.fs.Lookup(s.flag)
		def := ""
		if fl.DefValue != "" && fl.DefValue != "0" && fl.DefValue != "false" {
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
func newLogger(c *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
