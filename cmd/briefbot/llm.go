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

// rewriting is the core's rewriting front and what is behind it: off (a
// nil Rewriter and model) unless a model is configured. Rewrites are
// cached in the store given to openRewriting, or in one it opens; budgets
// and cooldowns go by its clock. done waits for rewrites in flight to be
// stored and closes what was opened. A reload gives the model new prompts.
type rewriting struct {
	rw    bot.Rewriter
	model *openai.Model
	done  func()
}

// loadPrompts reads the prompt templates of --prompts, or the built-in ones.
func loadPrompts(c *Config) (*prompts.Set, error) {
	if c.Prompts == "" {
		return prompts.Default()
	}
	if st, serr := os.Stat(c.Prompts); serr != nil || !st.IsDir() {
		return nil, fmt.Errorf("prompts folder %q does not exist: set --prompts or BRIEFBOT_PROMPTS to a folder of templates", c.Prompts)
	}
	return prompts.Load(os.DirFS(c.Prompts))
}

// openRewriting builds the rewriting of a run; obs, if not nil, hears of
// every rephrasing's outcome, for metrics.
func openRewriting(ctx context.Context, c *Config, log *slog.Logger, clock bot.Clock, st store, obs rewrite.Observer) (rewriting, error) {
	if c.LLMModel == "" {
		return rewriting{done: func() {}}, nil
	}
	set, err := loadPrompts(c)
	if err != nil {
		return rewriting{}, fmt.Errorf("the prompt templates are invalid: %w", err)
	}
	model, err := openai.New(openai.Config{BaseURL: c.LLMURL, APIKey: c.LLMKey, Model: c.LLMModel, Prompts: set, Logger: log.With("llm", c.LLMModel), Clock: clock})
	if err != nil {
		return rewriting{}, err
	}
	var verifier rewrite.Verifier
	verifyModel := ""
	if c.LLMVerify {
		verifyModel = c.LLMVerifyModel
		if verifyModel == "" {
			verifyModel = c.LLMModel
		}
		v, err := openai.NewVerifier(openai.Config{BaseURL: c.LLMURL, APIKey: c.LLMKey, Model: verifyModel, Logger: log.With("llm", verifyModel), Clock: clock})
		if err != nil {
			return rewriting{}, fmt.Errorf("the verifier model: %w", err)
		}
		verifier = v
	}
	closeStore := func() {}
	if st == nil {
		if st, err = openStore(ctx, c, log); err != nil {
			return rewriting{}, fmt.Errorf("rephrasings are cached in the database: %w", err)
		}
		closeStore = func() { st.Close() }
	}
	rw, err := rewrite.New(rewrite.Config{
		Model:         model,
		Cache:         st,
		Budget:        st,
		DailyTokens:   c.LLMDailyTokens,
		Cooldown:      c.LLMCooldown,
		Timeout:       c.LLMTimeout,
		Logger:        log,
		Clock:         clock,
		Verifier:      verifier,
		VerifyTimeout: c.LLMVerifyTimeout,
		Rejections:    st,
		Observer:      obs,
	})
	if err != nil {
		closeStore()
		return rewriting{}, err
	}
	log.Info("rephrasing is on", "model", c.LLMModel, "verifier", verifyModel)
	return rewriting{rw: rw, model: model, done: func() { rw.Wait(); closeStore() }}, nil
}
