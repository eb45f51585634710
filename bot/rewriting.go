package bot

import (
	"context"
	"strings"
)

// Rewriter rewrites sections in a style or a language for a reader: what
// the section commands, the text grammar and the digest need of package
// rewrite, which implements it (cmd/briefbot wires it in). A Rewriter
// never fails: when it cannot rewrite, it says why in the Rewrite's Note
// and gives the curated text.
type Rewriter interface {
	// Enabled reports whether a language model is configured, so that
	// the style and language options are offered only when they can be
	// honoured.
	Enabled() bool
	// Immediate returns at once, without asking the model, what to show
	// now. final is true when that is the whole answer; otherwise the
	// Rewrite is the curated text with a "rewriting…" note and Pending
	// set: show it, then call Rewrite and edit the message.
	Immediate(ctx context.Context, req RewriteRequest) (r Rewrite, final bool)
	// Rewrite returns the rewritten passage, or the curated text with a
	// one-line note saying why not, within the Rewriter's timeout.
	Rewrite(ctx context.Context, req RewriteRequest) Rewrite
}

// Passage is one curated section as a rewrite sees it: the only source of
// facts a rewrite may use.
type Passage struct {
	ArticleID      string
	ArticleVersion string // must change whenever the article is edited
	Section        string // the section's name, e.g. "energy"
	Title          string
	Text           string // the curated text, Discord Markdown
}

// Source is what a rewrite is checked against: the title and the text.
func (p Passage) Source() string { return p.Title + "\n\n" + p.Text }

// RewriteRequest asks the Rewriter for a passage in a style and language on
// behalf of a reader.
type RewriteRequest struct {
	Passage
	Style    Style
	Language Language // zero, or the curated language: no translation
	GuildID  string   // empty in DMs and the console
	UserID   string   // empty: no per-user cooldown (the console)
	// Scheduled marks a digest's rephrasing: it is nobody's request, so
	// no reader's cooldown applies to it or starts with it. The budget
	// still does.
	Scheduled bool
}

// Rewrite is what to show the reader.
type Rewrite struct {
	Text    string // the rewritten text, or the curated text
	Model   string // the model that rewrote Text; empty when Text is the curated text
	Note    string // one line: why the curated text is shown, or that a rewrite is coming
	Pending bool   // from Immediate only: call Rewrite and edit the message with its answer
}

// Rewritten reports whether Text is a rewrite rather than the curated text.
func (r Rewrite) Rewritten() bool { return r.Model != "" }

// Provenance is the footer line of a rephrased text, "rephrased by <model>
// from the curated text", or "" for the curated text, whose footer shows its
// source as before.
func (r Rewrite) Provenance() string {
	if r.Model == "" {
		return ""
	}
	return "rephrased by " + r.Model + " from the curated text"
}

// RewritingOff is the Rewriter of a bot with no language model: the
// curated text, with a note when a style or language was asked for.
var RewritingOff Rewriter = rewritingOff{}

type rewritingOff struct{}

// noteOff is what a reader who asks for a style or a language is told
// when no model is configured.
const noteOff = "Rephrasing is not set up on this bot; here is the curated text."

func (rewritingOff) Enabled() bool { return false }

func (o rewritingOff) Immediate(ctx context.Context, req RewriteRequest) (Rewrite, bool) {
	return o.Rewrite(ctx, req), true
}

func (rewritingOff) Rewrite(ctx context.Context, req RewriteRequest) Rewrite {
	// English, the language of the curated text, is no translation.
	if req.Style == StyleCurated && (req.Language.IsZero() || strings.EqualFold(req.Language.Code, "en")) {
		return Rewrite{Text: req.Text}
	}
	return Rewrite{Text: req.Text, Note: noteOff}
}
