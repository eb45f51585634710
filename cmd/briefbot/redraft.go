package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/draft"
	"github.com/briefbot/briefbot/bot/guard"
	"github.com/briefbot/briefbot/bot/openai"
	"github.com/briefbot/briefbot/content"
	"github.com/briefbot/briefbot/prompts"
)

// redraft has the language model draft each section of a from the
// article's text (the prompt is draft.tmpl), keeps the sentences that
// guard.Check and the faithfulness check both pass against the article,
// lists the others on stderr, and makes sure the result still validates
// and is faithful: a section that is not goes back to the article's own
// sentences.
func redraft(ctx context.Context, c *Config, log *slog.Logger, e env, a *draft.Article, source string) int {
	if c.LLMModel == "" {
		fmt.Fprintln(e.stderr, "briefbot draft --llm needs a model: set --llm-model or BRIEFBOT_LLM_MODEL (and --llm-url or OPENAI_BASE_URL for a server other than OpenAI's), e.g. briefbot draft ARTICLE --llm --llm-model NAME")
		return exitUsage
	}
	set, err := loadPrompts(c)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot draft: the prompt templates are invalid: %v\n", err)
		return exitUsage
	}
	model, err := openai.New(openai.Config{BaseURL: c.LLMURL, APIKey: c.LLMKey, Model: c.LLMModel, Prompts: set, Logger: log.With("llm", c.LLMModel), Clock: e.now()})
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot draft: %v\n", err)
		return exitUsage
	}
	extractive := append([]draft.Section(nil), a.Sections...)
	faithful := content.FaithfulTo(source)
	check := func(sentence string) error {
		var r *guard.Rejection
		if err := guard.Check(source, sentence, guard.Options{MaxLen: bot.MaxEmbedDescription}); errors.As(err, &r) {
			// A sentence is checked against the whole article, so what
			// it keeps of the whole (coverage) and of its statements is
			// no measure of it; every other check is.
			var reasons []string
			for _, p := range r.Problems {
				if p.Check != guard.Coverage && p.Check != guard.Statements {
					reasons = append(reasons, p.Reason)
				}
			}
			if len(reasons) > 0 {
				return errors.New(strings.Join(reasons, "; "))
			}
		} else if err != nil {
			return err
		}
		if ps := faithful(sentence); len(ps) > 0 {
			return errors.New(strings.Join(ps, "; "))
		}
		return nil
	}
	rewrite := func(ctx context.Context, s draft.Section) (string, error) {
		m, err := set.Draft(prompts.DraftInput{Title: s.Title, Passage: s.Body, Article: source})
		if err != nil {
			return "", err
		}
		ctx, cancel := context.WithTimeout(ctx, c.LLMTimeout)
		defer cancel()
		out, err := model.Complete(ctx, m.System, m.User)
		if err != nil {
			return "", errors.New(bot.UserMessage(err))
		}
		return out.Text, nil
	}
	dropped, err := a.Redraft(ctx, rewrite, check)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot draft: %v\n", err)
		return exitFailed
	}
	for _, d := range dropped {
		fmt.Fprintf(e.stderr, "briefbot draft: dropped from /%s: %q: %s\n", d.Section, d.Sentence, d.Reason)
	}
	// The last word is the checks the editor will run: a section they
	// would refuse goes back to the article's own sentences.
	for range 2 {
		bad := refused(a.Markdown(), source)
		if len(bad) == 0 {
			break
		}
		for i := range a.Sections {
			if why, ok := bad[a.Sections[i].Name]; ok {
				a.Sections[i].Body = extractive[i].Body
				a.Notes = append(a.Notes, fmt.Sprintf("kept the article's own sentences in %s: the model's draft would not validate (%s)", a.Sections[i].Name, why))
			}
		}
	}
	fmt.Fprintf(e.stderr, "briefbot draft: %s drafted the sections; %d sentence(s) dropped\n", c.LLMModel, len(dropped))
	return exitOK
}

// refused returns, by section name, why briefbot validate --source would
// refuse the draft md.
func refused(md, source string) map[string]string {
	dir, err := os.MkdirTemp("", "briefbot-draft-")
	if err != nil {
		return map[string]string{"": err.Error()}
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "draft.md"), []byte(md), 0o600); err != nil {
		return map[string]string{"": err.Error()}
	}
	fsys := os.DirFS(dir)
	var ps content.Problems
	if _, err := content.Load(fsys); !errors.As(err, &ps) && err != nil {
		return map[string]string{"": err.Error()}
	}
	ps = append(ps, content.CheckFaithful(source, fsys)...)
	if len(ps) == 0 {
		return nil
	}
	d, err := content.Inspect(fsys)
	out := map[string]string{}
	for _, p := range ps {
		section := ""
		if err == nil {
			_, section = d.Where(p)
		}
		if _, ok := out[section]; !ok {
			out[section] = p.String()
		}
	}
	return out
}
