package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/openai"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/prompts"
)

// newRewriter builds the core's rewriting front: off (a nil Rewriter)
// unless a model is configured. Rewrites are cached in st, or in a store
// opened here when st is nil; budgets and cooldowns go by clock. done
// waits for rewrites in flight to be stored and closes what was opened
// here.
func newRewriter(ctx context.Context, c *Config, log *slog.Logger, clock bot.Clock, st store, obs rewrite.Observer) (bot.Rewriter, func(), error) {
	if c.LLMModel == "" {
		return nil, func() {}, nil
	}
	set, err := prompts.Default()
	if c.Prompts != "" {
		if st, serr := os.Stat(c.Prompts); serr != nil || !st.IsDir() {
			return nil, nil, fmt.Errorf("prompts folder %q does not exist: set --prompts or BRIEFBOT_PROMPTS to a folder of templates", c.Prompts)
		}
		set, err = prompts.Load(os.DirFS(c.Prompts))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("the prompt templates are invalid: %w", err)
	}
	model, err := openai.New(openai.Config{BaseURL: c.LLMURL, APIKey: c.LLMKey, Model: c.LLMModel, Prompts: set, Logger: log.With("llm", c.LLMModel), Clock: clock})
	if err != nil {
		return nil, nil, err
	}
	closeStore := func() {}
	if st == nil {
		if st, err = openStore(ctx, c, log); err != nil {
			return nil, nil, fmt.Errorf("rephrasings are cached in the database: %w", err)
		}
		closeStore = func() { st.Close() }
	}
	rw, err := rewrite.New(rewrite.Config{
		Model:       model,
		Cache:       st,
		Budget:      st,
		DailyTokens: c.LLMDailyTokens,
		Cooldown:    c.LLMCooldown,
		Timeout:     c.LLMTimeout,
		Logger:      log,
		Clock:       clock,
		Observer:    obs,
	})
	if err != nil {
		closeStore()
		return nil, nil, err
	}
	log.Info("rephrasing is on", "model", c.LLMModel)
	return rw, func() { rw.Wait(); closeStore() }, nil
}
