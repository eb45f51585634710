package rewrite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/guard"
)

// Composing: a reader's question is answered first with the statements of
// the articles that answer it, verbatim; with an AnswerModel, the Rewriter
// then composes a short, direct answer from those statements alone, in the
// language of the question, each sentence ending with the markers of the
// statements it rests on ([1], [2]). Every sentence is checked by the guard
// against the statements it cites; an answer that fails is not shown, and
// the statements stay. Composed answers share the rewrites' cache, single
// flight, budget and cooldown.

// AnswerSource is one statement a composed answer may cite: the n-th of a
// request's Sources is [n].
type AnswerSource struct {
	ArticleID      string
	ArticleVersion string // must change whenever the article is edited
	Section        string
	Title          string // the section's title
	Text           string // the statement, verbatim
}

// AnswerRequest asks for a short answer to a reader's question, composed
// from the statements that answer it.
type AnswerRequest struct {
	Question string // as the reader asked it
	// Normalized is the question as answer.Normalize has it: questions
	// typed differently that ask the same share one composed answer.
	Normalized string
	Language   bot.Language   // the question's language; zero: the curated text's
	Sources    []AnswerSource // the statements, 1–9
	GuildID    string         // empty in DMs and the console
	UserID     string         // empty: no per-user cooldown (the console)
}

// Composed is what to show a reader for an AnswerRequest.
type Composed struct {
	// Text is the composed answer: sentences each ending with the
	// markers of the Sources it rests on. Empty when there is none.
	Text    string
	Model   string // the model that composed Text
	Note    string // one line: why there is no composed answer, or that one is coming
	Pending bool   // from ImmediateAnswer only: call ComposeAnswer and edit the message with its answer
}

// Provenance is the footer line of a composed answer.
func (c Composed) Provenance() string {
	if c.Text == "" {
		return ""
	}
	return "short answer by " + c.Model + " from the statements below"
}

// AnswerModel composes answers with a language model. bot/openai
// implements it. Errors are *bot.Error values, as Model's are.
type AnswerModel interface {
	// AnswerRecipe returns the model and prompt version Compose would
	// use for lang, at once.
	AnswerRecipe(lang bot.Language) Recipe
	// Compose writes the answer. It does not check it: the Rewriter does.
	Compose(ctx context.Context, req AnswerModelRequest) (*Answer, error)
}

// AnswerModelRequest is what an AnswerModel is asked to answer.
type AnswerModelRequest struct {
	Question   string
	Language   bot.Language // zero: the curated text's language
	Statements []string     // the n-th is cited as [n]
	Strict     bool         // the first answer was rejected; ask again more strictly
	Problems   []string     // why, for the strict prompt
}

// MaxComposed is the longest composed answer shown, by bot.Len: a short
// answer, with room in the reply for the statements it cites.
const MaxComposed = 1200

// Notes for composed answers.
const (
	notePendingAnswer = "⏳ Writing a short answer from these statements…"
	noteAnswerGuard   = "The short answer did not keep to the statements, so here they are as the article has them."
	noteAnswerFailed  = "A short answer is unavailable right now; here is what the article says."
	noteAnswerBudget  = "A short answer is unavailable right now (the daily budget is used up); here is what the article says."
)

// Composes reports whether the Rewriter composes answers: whether its
// model, or Config.Answers, is an AnswerModel.
func (w *Rewriter) Composes() bool { return w.answerModel() != nil }

func (w *Rewriter) answerModel() AnswerModel {
	if w.cfg.Answers != nil {
		return w.cfg.Answers
	}
	if m, ok := w.cfg.Model.(AnswerModel); ok {
		return m
	}
	return nil
}

// AnswerKey is the cache key of an answer to req composed with recipe: the
// articles and their versions, a hash of the statements, the language, the
// model, the prompt version and the normalised question.
func AnswerKey(req AnswerRequest, recipe Recipe) string {
	h := sha256.New()
	var articles []string
	for _, s := range req.Sources {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", s.ArticleID, s.Section, s.Text)
		a := url.PathEscape(s.ArticleID) + "@" + url.PathEscape(s.ArticleVersion)
		if !containsString(articles, a) {
			articles = append(articles, a)
		}
	}
	part := func(s string) string {
		if s == "" {
			return "-"
		}
		return url.PathEscape(s)
	}
	q := []rune(req.Normalized)
	if len(q) > 200 {
		q = q[:200]
	}
	qh := sha256.Sum256([]byte(req.Normalized))
	return strings.Join([]string{
		"answer", "v1", part(strings.Join(articles, ",")), hex.EncodeToString(h.Sum(nil)[:6]),
		part(req.Language.Code), part(recipe.Model), part(recipe.PromptVersion),
		hex.EncodeToString(qh[:6]), part(string(q)),
	}, "/")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// plan normalises req's language and reports whether a composed answer
// can be asked for at all.
func (w *Rewriter) planAnswer(req AnswerRequest) (AnswerRequest, bool) {
	if strings.EqualFold(req.Language.Code, w.cfg.Curated) {
		req.Language = bot.Language{}
	}
	return req, w.answerModel() != nil && len(req.Sources) > 0 && strings.TrimSpace(req.Normalized) != ""
}

func (w *Rewriter) answerKey(req AnswerRequest) string {
	return AnswerKey(req, w.answerModel().AnswerRecipe(req.Language))
}

// limits is the request whose reader and owner the budget and cooldown
// count for an answer.
func (req AnswerRequest) limits() bot.RewriteRequest {
	return bot.RewriteRequest{GuildID: req.GuildID, UserID: req.UserID}
}

// ImmediateAnswer returns at once, without asking the model, what to show
// with the statements now. final is true when that is all: a cached
// answer, or a note saying why there is none. Otherwise the Composed has
// Pending set and a "writing…" note: show the statements, then call
// ComposeAnswer and edit the message.
func (w *Rewriter) ImmediateAnswer(ctx context.Context, req AnswerRequest) (c Composed, final bool) {
	req, ok := w.planAnswer(req)
	if !ok {
		return Composed{}, true
	}
	key := w.answerKey(req)
	if c, ok := w.lookupAnswer(ctx, key); ok {
		return c, true
	}
	w.mu.Lock()
	f, flying := w.answering[key]
	w.mu.Unlock()
	if flying {
		select {
		case <-f.done:
			return f.res, true
		default:
		}
	} else if note := w.answerLimit(ctx, req); note != "" {
		return Composed{Note: note}, true
	}
	return Composed{Note: notePendingAnswer, Pending: true}, false
}

// ComposeAnswer returns the composed answer, or a note saying why there is
// none, within the Rewriter's timeout. It never fails. Identical requests
// in flight share one upstream call; the outcome is cached, a rejection
// too.
func (w *Rewriter) ComposeAnswer(ctx context.Context, req AnswerRequest) Composed {
	req, ok := w.planAnswer(req)
	if !ok {
		return Composed{}
	}
	key := w.answerKey(req)
	if c, ok := w.lookupAnswer(ctx, key); ok {
		return c
	}
	f, note := w.joinAnswer(ctx, key, req)
	if note != "" {
		return Composed{Note: note}
	}
	wait, cancel := context.WithTimeout(ctx, w.cfg.Timeout+storeTimeout)
	defer cancel()
	select {
	case <-f.done:
		return f.res
	case <-wait.Done():
		return Composed{Note: noteAnswerFailed}
	}
}

// answerLimit is limit for an answer, in an answer's words.
func (w *Rewriter) answerLimit(ctx context.Context, req AnswerRequest) string {
	switch note := w.limit(ctx, req.limits()); note {
	case "":
		return ""
	case noteBudgetGuild, noteBudgetDM:
		return noteAnswerBudget
	default:
		return noteAnswerFailed
	}
}

func (w *Rewriter) lookupAnswer(ctx context.Context, key string) (Composed, bool) {
	c, ok, err := LoadAnswer(ctx, w.cfg.Cache, key)
	if err != nil {
		w.log.ErrorContext(ctx, "answer cache load failed", "key", key, "err", err)
		return Composed{}, false
	}
	if !ok {
		return Composed{}, false
	}
	w.cfg.Observer.Rephrasing(OutcomeCacheHit, nil)
	if c.Rejected != "" || c.Text == "" {
		return Composed{Note: noteAnswerGuard}, true
	}
	return Composed{Text: c.Text, Model: c.Model}, true
}

type answerFlight struct {
	done chan struct{}
	res  Composed
}

func (w *Rewriter) joinAnswer(ctx context.Context, key string, req AnswerRequest) (*answerFlight, string) {
	w.mu.Lock()
	f, ok := w.answering[key]
	w.mu.Unlock()
	if ok {
		return f, ""
	}
	if note := w.answerLimit(ctx, req); note != "" {
		return nil, note
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if f, ok := w.answering[key]; ok {
		return f, ""
	}
	if w.answering == nil {
		w.answering = make(map[string]*answerFlight)
	}
	f = &answerFlight{done: make(chan struct{})}
	w.answering[key] = f
	if w.cfg.Cooldown > 0 && req.UserID != "" {
		w.stamp(req.UserID)
	}
	w.running.Add(1)
	go w.flyAnswer(context.WithoutCancel(ctx), key, req, f)
	return f, ""
}

func (w *Rewriter) flyAnswer(ctx context.Context, key string, req AnswerRequest, f *answerFlight) {
	defer w.running.Done()
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	res, spent, entry := w.composeAnswer(ctx, key, req)
	w.spend(ctx, req.limits(), spent)
	f.res = res
	close(f.done)
	if entry != nil {
		w.save(ctx, key, *entry)
	}
	w.mu.Lock()
	delete(w.answering, key)
	w.mu.Unlock()
}

// composeAnswer asks the model, checks its answer sentence by sentence,
// and asks once more strictly if the guard refuses it.
func (w *Rewriter) composeAnswer(ctx context.Context, key string, req AnswerRequest) (Composed, int, *Answer) {
	if c, ok := w.lookupAnswer(ctx, key); ok {
		return c, 0, nil
	}
	log := w.log.With("question", req.Normalized, "lang", req.Language.Code)
	m := w.answerModel()
	mreq := AnswerModelRequest{Question: req.Question, Language: req.Language}
	for _, s := range req.Sources {
		mreq.Statements = append(mreq.Statements, s.Text)
	}
	spent := 0
	var last *Answer
	var reasons, checks []string
	for attempt := 1; attempt <= 2; attempt++ {
		got, err := m.Compose(ctx, mreq)
		if got != nil {
			spent += got.Tokens
		}
		if err != nil {
			w.failure(ctx, log, attempt, err)
			return Composed{Note: noteAnswerFailed}, spent, nil
		}
		text := strings.TrimSpace(got.Text)
		problems, names := checkComposed(text, mreq.Statements, w.cfg.Curated, req.Language.Code)
		if got.Truncated {
			problems = append(problems, "the answer was cut off at the token limit")
			names = appendCheck(names, string(guard.Length))
		}
		if len(problems) == 0 {
			entry := *got
			entry.Text, entry.Tokens = text, spent
			w.cfg.Observer.Rephrasing(OutcomeModel, nil)
			return Composed{Text: text, Model: got.Model}, spent, &entry
		}
		log.WarnContext(ctx, "composed answer rejected", "attempt", attempt, "model", got.Model, "prompt", got.PromptVersion, "reasons", problems)
		reasons, checks, last = problems, names, got
		mreq.Strict, mreq.Problems = true, problems
	}
	w.cfg.Observer.Rephrasing(OutcomeGuardRefused, checks)
	return Composed{Note: noteAnswerGuard}, spent, &Answer{
		Model: last.Model, PromptVersion: last.PromptVersion, Tokens: spent, Rejected: strings.Join(reasons, "; "),
	}
}

// Cited is one sentence of a composed answer and the statements it cites,
// numbered from 1.
type Cited struct {
	Text  string // the sentence, with its markers
	Plain string // the sentence without them
	Cites []int
}

// markers are a sentence's citations: "[1]", "[1][3]", "[1, 2]".
var markers = regexp.MustCompile(`(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+`)

var markerNumbers = regexp.MustCompile(`\d+`)

// SplitCited cuts a composed answer into its sentences, each ending with
// its markers (the sentence's full stop may come before or after them). It
// fails on text after the last markers, and on a marker that cites no
// statement of n.
func SplitCited(text string, n int) ([]Cited, error) {
	var out []Cited
	at := 0
	for _, loc := range markers.FindAllStringIndex(text, -1) {
		end := loc[1]
		// The full stop may follow the markers: "… exploration [1]."
		for end < len(text) && strings.ContainsRune(".!?。;:", rune(text[end])) {
			end++
		}
		sentence := strings.TrimSpace(text[at:end])
		plain := strings.TrimSpace(text[at:loc[0]] + text[loc[1]:end])
		c := Cited{Text: sentence, Plain: plain}
		for _, d := range markerNumbers.FindAllString(text[loc[0]:loc[1]], -1) {
			k, err := strconv.Atoi(d)
			if err != nil || k < 1 || k > n {
				return nil, fmt.Errorf("the marker [%s] cites no statement (there are %d)", d, n)
			}
			if !containsInt(c.Cites, k) {
				c.Cites = append(c.Cites, k)
			}
		}
		if hasLetter(plain) {
			out = append(out, c)
		} else if len(out) > 0 {
			// Markers alone after a sentence's own: they cite it too.
			prev := &out[len(out)-1]
			prev.Text = strings.TrimSpace(prev.Text + " " + sentence)
			for _, k := range c.Cites {
				if !containsInt(prev.Cites, k) {
					prev.Cites = append(prev.Cites, k)
				}
			}
		}
		at = end
	}
	if rest := strings.TrimSpace(text[at:]); hasLetter(rest) {
		return nil, fmt.Errorf("the sentence %q cites no statement", clip(rest, 80))
	}
	if len(out) == 0 {
		return nil, errors.New("the answer cites no statement")
	}
	return out, nil
}

func containsInt(list []int, k int) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// CheckComposed checks a composed answer against the statements it was
// composed from: every sentence must end with markers that cite them, and
// pass guard.Check against the statements it cites, in the language asked
// (lang, "" for the curated language curated). It returns the problems,
// none when the answer may be shown.
func CheckComposed(text string, statements []string, curated, lang string) []string {
	problems, _ := checkComposed(text, statements, curated, lang)
	return problems
}

// checkCitation names the check of a composed answer's markers, for
// metrics beside the guard's checks.
const checkCitation = "citation"

// checkComposed is CheckComposed, naming also, once each, the checks that
// found the problems: the guard's, and checkCitation for the markers.
func checkComposed(text string, statements []string, curated, lang string) (problems, checks []string) {
	if strings.TrimSpace(text) == "" {
		return []string{"the answer is empty"}, []string{string(guard.Empty)}
	}
	if n := bot.Len(text); n > MaxComposed {
		return []string{fmt.Sprintf("the answer is %d characters long; at most %d fit", n, MaxComposed)}, []string{string(guard.Length)}
	}
	sentences, err := SplitCited(text, len(statements))
	if err != nil {
		return []string{err.Error()}, []string{checkCitation}
	}
	for _, s := range sentences {
		var src []string
		for _, k := range s.Cites {
			src = append(src, statements[k-1])
		}
		err := guard.Check(strings.Join(src, "\n\n"), s.Plain, guard.Options{Language: lang, SourceLanguage: curated, Style: "brief", MaxLen: MaxComposed})
		var rej *guard.Rejection
		switch {
		case errors.As(err, &rej):
			for _, r := range rej.Reasons() {
				problems = append(problems, fmt.Sprintf("%s (in %q)", r, clip(s.Plain, 60)))
			}
			for _, c := range checkNames(rej) {
				checks = appendCheck(checks, c)
			}
		case err != nil:
			problems = append(problems, err.Error())
			checks = appendCheck(checks, string(guard.Empty))
		}
	}
	return problems, checks
}

// appendCheck adds the check's name to names, once.
func appendCheck(names []string, check string) []string {
	if slices.Contains(names, check) {
		return names
	}
	return append(names, check)
}
