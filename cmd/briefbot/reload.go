package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/content"
	"github.com/briefbot/briefbot/prompts"
)

// reloader puts new content and prompts in place while briefbot runs: it
// validates them first, keeps the old ones when they are invalid (each
// problem logged as file:line: message), and otherwise swaps in a Bot
// built from them, so that the next answer uses them, and re-registers
// the slash commands if they changed.
type reloader struct {
	cfg  *Config
	log  *slog.Logger
	live *bot.Live
	// build assembles a Bot over a library, as at start.
	build func(lib *bot.Library) *bot.Bot
	// rewriting's model takes the new prompts; nil when rephrasing is off.
	rewriting rewriting
	// commands registers the new Bot's commands if they differ from the
	// registered ones, and reports whether it did; nil: none to register.
	commands func(ctx context.Context, cmds []bot.Command) (bool, error)

	mu     sync.Mutex // one reload at a time
	prompt string     // the versions of the prompts in use
}

// watchedFolders are the folders whose changes reload: the content
// folder, and the prompt folder when rephrasing is on. Built-in content
// and prompts never change while briefbot runs.
func watchedFolders(c *Config, rephrasing bool) []watched {
	var dirs []watched
	if c.Content != "" {
		dirs = append(dirs, watched{c.Content, ".md"})
	}
	if c.Prompts != "" && rephrasing {
		dirs = append(dirs, watched{c.Prompts, ".tmpl"})
	}
	return dirs
}

// run reloads whenever a watched file changes or SIGHUP comes, until ctx
// ends. A folder that cannot be watched is logged, and SIGHUP still works.
func (r *reloader) run(ctx context.Context, clock bot.Clock, hup <-chan os.Signal) {
	dirs := watchedFolders(r.cfg, r.rewriting.model != nil)
	reload := func(why string) { r.reload(ctx, why) }
	if err := watch(ctx, r.log, clock, dirs, hup, reload); err != nil {
		r.log.Error("cannot watch for changes; send SIGHUP to reload", "err", err)
		watch(ctx, r.log, clock, nil, hup, reload)
	}
}

// reload loads, checks and puts in place the content and prompts. It
// reports whether the new ones are in use.
func (r *reloader) reload(ctx context.Context, why string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	start := time.Now()
	log := r.log.With("reload", why)

	lib, err := library(r.cfg.Content)
	var problems []string
	var ps content.Problems
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			problems = append(problems, p.String())
		}
	case err != nil:
		problems = append(problems, err.Error())
	}
	var set *prompts.Set
	if r.rewriting.model != nil {
		if set, err = loadPrompts(r.cfg); err != nil {
			problems = append(problems, promptProblems(r.cfg.Prompts, err)...)
		}
	}
	if len(problems) > 0 {
		log.Error("the new content is invalid, so briefbot keeps answering from the old; fix these and save again", "problems", len(problems))
		for _, p := range problems {
			log.Error(p)
		}
		return false
	}

	versions := promptVersions(set)
	old := r.live.Bot()
	if sameContent(old.Library(), lib) && versions == r.prompt {
		log.Info("content unchanged")
		return true
	}
	if set != nil {
		r.rewriting.model.SetPrompts(set)
		r.prompt = versions
	}
	b := r.build(lib)
	r.live.Swap(b)
	registered := false
	if r.commands != nil {
		if registered, err = r.commands(ctx, b.Commands()); err != nil {
			log.Error("the new content is in use, but its slash commands could not be registered; they will be with the next reload", "err", err)
		}
	}
	sections := 0
	for _, a := range lib.Articles() {
		sections += len(a.Sections)
	}
	log.Info("reloaded content", "articles", len(lib.Articles()), "sections", sections,
		"commands_registered", registered, "took", time.Since(start).Round(time.Millisecond))
	return true
}

// sameContent reports whether two libraries hold the same article files,
// by their versions.
func sameContent(a, b *bot.Library) bool {
	x, y := a.Articles(), b.Articles()
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i].ID != y[i].ID || x[i].Version != y[i].Version {
			return false
		}
	}
	return true
}

// promptVersions is one string that changes when any prompt does.
func promptVersions(set *prompts.Set) string {
	if set == nil {
		return ""
	}
	var vs []string
	for _, st := range append([]string{""}, prompts.Styles()...) {
		for _, tr := range []bool{false, true} {
			if v, err := set.Version(st, tr); err == nil {
				vs = append(vs, v)
			}
		}
	}
	return strings.Join(vs, " ")
}

var templateAt = regexp.MustCompile(`^(?:prompts: )?template: ([^:\s]+):(\d+):(?:\d+:)? ?`)

// promptProblems turns the errors of loading the prompts into lines of
// file:line: message, with the file in the prompt folder.
func promptProblems(dir string, err error) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		if m := templateAt.FindStringSubmatch(line); m != nil {
			out = append(out, filepath.Join(dir, m[1])+":"+m[2]+": "+line[len(m[0]):])
			continue
		}
		out = append(out, dir+": "+strings.TrimPrefix(line, "prompts: "))
	}
	return out
}
