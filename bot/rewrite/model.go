package rewrite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/briefbot/briefbot/bot"
)

// ModelRequest is what a Model is asked to do with a passage.
type ModelRequest struct {
	bot.Passage
	Style    bot.Style
	Language bot.Language // zero: keep the curated text's language
	Strict   bool         // the first answer was rejected; ask again more strictly
	Problems []string     // why it was rejected, for the strict prompt
}

// Answer is a model's rewrite of a passage, as it is cached.
type Answer struct {
	Text          string // the rewritten passage; empty when Rejected is set
	Model         string // the model that wrote it
	PromptVersion string // the version of the prompt it was written from
	Tokens        int    // tokens spent on it, prompt and answer, every attempt
	Truncated     bool   // the model stopped at its token limit
	Rejected      string // why the guard refused every attempt; cached so as not to pay again
	// VerifiedBy is the verifier model that found every statement of
	// Text supported by the source; empty when no verifier checked it.
	VerifiedBy string `json:",omitempty"`
}

// Recipe names what a Model would use for a style and language: it is
// part of the cache key, so a new model or an edited prompt starts afresh.
type Recipe struct {
	Model         string
	PromptVersion string
}

// Model rewrites a passage with a language model. bot/openai implements
// it. Errors are *bot.Error values: Unavailable when the model is down,
// busy or paused, anything else when it is misconfigured.
type Model interface {
	// Recipe returns the model and prompt version Rewrite would use, at
	// once and without asking anyone.
	Recipe(style bot.Style, lang bot.Language) Recipe
	// Rewrite rewrites req.Text. It does not check the answer: the
	// Rewriter does.
	Rewrite(ctx context.Context, req ModelRequest) (*Answer, error)
}

// Key is the cache key of a rewrite of p in style and lang made with
// recipe. It holds the article and its version, the section, a hash of
// the curated title and text (so an edit invalidates it even if a version
// was not bumped), the style, the language, the model and the prompt
// version. It is readable, for whoever looks at the table.
func Key(p bot.Passage, style bot.Style, lang bot.Language, recipe Recipe) string {
	sum := sha256.Sum256([]byte(p.Source()))
	part := func(s string) string {
		if s == "" {
			return "-"
		}
		return url.PathEscape(s)
	}
	return strings.Join([]string{
		"rephrase", "v1",
		part(p.ArticleID), part(p.ArticleVersion), part(p.Section), hex.EncodeToString(sum[:6]),
		part(string(style)), part(lang.Code), part(recipe.Model), part(recipe.PromptVersion),
	}, "/")
}

// Verifier is a second opinion on a rewrite the guard has passed: a model
// asked to list every statement of the rewrite that its source does not
// support. bot/openai implements it. An error means no verdict (the
// verifier failed, timed out, or answered something that is no verdict):
// the Rewriter then refuses the rewrite, failing closed.
type Verifier interface {
	Verify(ctx context.Context, req VerifyRequest) (*Verdict, error)
}

// VerifyRequest is a rewrite to verify against the passage it rewrites.
type VerifyRequest struct {
	bot.Passage
	Style    bot.Style
	Language bot.Language
	Text     string // the rewrite
}

// Verdict is a verifier's answer.
type Verdict struct {
	Unsupported []string // the rewrite's statements the source does not support; none: verified
	Model       string   // the verifier model
	Tokens      int      // tokens it spent, prompt and answer
}
