package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Style is how a reader wants a section rewritten. The zero Style keeps the
// curated text's own style (a translation may still be asked for).
type Style string

const (
	StyleCurated Style = ""        // as the editor wrote it
	StyleBrief   Style = "brief"   // a few sentences
	StyleBullets Style = "bullets" // a bullet list
	StyleSimple  Style = "simple"  // plain words, short sentences
	StyleFormal  Style = "formal"  // a formal register
)

// Styles returns the styles a reader may choose, in the order offered.
func Styles() []Style { return []Style{StyleBrief, StyleBullets, StyleSimple, StyleFormal} }

// Label is the style's name in a choice list.
func (s Style) Label() string {
	switch s {
	case StyleBrief:
		return "Brief"
	case StyleBullets:
		return "Bullet points"
	case StyleSimple:
		return "Simple"
	case StyleFormal:
		return "Formal"
	case StyleCurated:
		return "As written"
	}
	return string(s)
}

// styleWords are the words a reader might type for each style.
var styleWords = map[string]Style{
	"brief": StyleBrief, "briefly": StyleBrief, "short": StyleBrief, "shorter": StyleBrief,
	"summary": StyleBrief, "summarise": StyleBrief, "summarize": StyleBrief, "tldr": StyleBrief,
	"tl;dr": StyleBrief, "concise": StyleBrief,
	"bullets": StyleBullets, "bullet": StyleBullets, "bulleted": StyleBullets, "points": StyleBullets,
	"bullet-points": StyleBullets, "bulletpoints": StyleBullets,
	"simple": StyleSimple, "simply": StyleSimple, "simpler": StyleSimple, "simplified": StyleSimple,
	"simplify": StyleSimple, "plain": StyleSimple, "plainly": StyleSimple, "easy": StyleSimple,
	"easier": StyleSimple, "eli5": StyleSimple,
	"formal": StyleFormal, "formally": StyleFormal, "formaler": StyleFormal,
}

// ParseStyle reads a style option or a word a reader typed: "simple",
// "simply", "simpler", "bullet points", "short", "brief", "formal". An empty
// string is StyleCurated.
func ParseStyle(s string) (Style, error) {
	key := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if key == "" || key == "curated" || key == "as written" {
		return StyleCurated, nil
	}
	if key == "bullet points" {
		return StyleBullets, nil
	}
	if st, ok := styleWords[key]; ok {
		return st, nil
	}
	return "", Errorf(Invalid, "There is no style %q; choose brief, bullets, simple or formal.", strings.TrimSpace(s))
}

// SplitRephrasing reads the words a reader may add to a question in a DM or
// the console — "energy simply", "summary in Spanish", "security as bullet
// points in ru" — and returns the rest of the text with those words removed,
// and the style and language they ask for. "summary" alone asks for a brief
// style; what an empty rest means is the caller's choice.
func SplitRephrasing(text string) (rest string, style Style, lang Language) {
	words := strings.Fields(text)
	keep := make([]bool, len(words))
	bare := func(i int) string {
		if i < 0 || i >= len(words) {
			return ""
		}
		return strings.ToLower(strings.TrimFunc(words[i], func(r rune) bool {
			return unicode.IsPunct(r) && r != ';' && r != '-'
		}))
	}
	for i := range words {
		keep[i] = true
	}
	drop := func(from, to int) {
		for j := from; j <= to; j++ {
			keep[j] = false
		}
		// a filler word before: "as bullets", "in short", "more simply", "in plain"
		if from > 0 && keep[from-1] {
			switch bare(from - 1) {
			case "as", "in", "more", "but", "en", "на", "auf":
				keep[from-1] = false
			}
		}
	}
	for i := 0; i < len(words); i++ {
		if !keep[i] {
			continue
		}
		w := bare(i)
		pair := w + " " + bare(i+1)
		switch {
		case pair == "bullet points" || pair == "plain english" || pair == "plain language" || pair == "plain words":
			style = StyleSimple
			if w == "bullet" {
				style = StyleBullets
			}
			drop(i, i+1)
			i++
		case styleWords[w] != "":
			style = styleWords[w]
			drop(i, i)
		default:
			if l, ok := LookupLanguage(pair); ok && strings.Contains(pair, " ") && bare(i+1) != "" {
				lang = l
				drop(i, i+1)
				i++
				continue
			}
			if l, ok := readerLanguage(w, bare(i-1)); ok {
				lang = l
				drop(i, i)
			}
		}
	}
	var out []string
	for i, w := range words {
		if keep[i] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " "), style, lang
}

// readerLanguage reads w as a language a reader asks for. A name counts on
// its own ("spanish"); a bare code only after a preposition ("in ru"), and
// not the codes that are also everyday English words ("in it").
func readerLanguage(w, before string) (Language, bool) {
	if w == "" {
		return Language{}, false
	}
	if l, ok := LookupLanguage(w); ok && !strings.EqualFold(w, l.Code) {
		return l, true
	}
	switch before {
	case "in", "en", "на", "auf", "em":
	default:
		return Language{}, false
	}
	switch w {
	case "it", "no", "he", "id", "hi":
		return Language{}, false
	}
	return LanguageByCode(w)
}

// Passage is one curated section as rephrasing sees it: the only source of
// facts a rephrasing may use.
type Passage struct {
	ArticleID      string
	ArticleVersion string // must change whenever the article is edited
	Section        string // the section's name, e.g. "energy"
	Title          string
	Text           string // the curated text, Discord Markdown
}

// source is what a rephrasing is checked against: the title and the text.
func (p Passage) source() string { return p.Title + "\n\n" + p.Text }

// RephraseRequest is what a Rephraser is asked to do with a passage.
type RephraseRequest struct {
	Passage
	Style    Style
	Language Language // zero: keep the curated text's language
	Strict   bool     // the first answer was rejected; ask again more strictly
	Problems []string // why it was rejected, for the strict prompt
}

// Rephrasing is a rephraser's answer, as it is cached.
type Rephrasing struct {
	Text          string // the rewritten passage; empty when Rejected is set
	Model         string // the model that wrote it
	PromptVersion string // the version of the prompt it was written from
	Tokens        int    // tokens spent on it, prompt and answer, every attempt
	Truncated     bool   // the model stopped at its token limit
	Rejected      string // why the guard refused every attempt; cached so as not to pay again
}

// Recipe names what a Rephraser would use for a style and language: it is
// part of the cache key, so a new model or an edited prompt starts afresh.
type Recipe struct {
	Model         string
	PromptVersion string
}

// Rephraser rewrites a passage with a language model. bot/openai implements
// it. Errors are *Error values: Unavailable when the model is down, busy or
// paused, anything else when it is misconfigured.
type Rephraser interface {
	// Recipe returns the model and prompt version Rephrase would use, at
	// once and without asking anyone.
	Recipe(style Style, lang Language) Recipe
	// Rephrase rewrites req.Text. It does not check the answer: the core does.
	Rephrase(ctx context.Context, req RephraseRequest) (*Rephrasing, error)
}

// RephraseCache keeps rephrasings across requests and restarts. The SQL
// stores implement it; keys come from RephraseKey.
type RephraseCache interface {
	// LoadRephrasing returns the rephrasing stored under key; ok is false
	// if there is none.
	LoadRephrasing(ctx context.Context, key string) (r Rephrasing, ok bool, err error)
	// SaveRephrasing stores r under key, replacing what was there.
	SaveRephrasing(ctx context.Context, key string, r Rephrasing) error
}

// TokenBudget counts the language-model tokens spent per owner (a guild, or
// a user outside guilds) per UTC day, given as "2006-01-02".
type TokenBudget interface {
	TokensUsed(ctx context.Context, owner, day string) (int, error)
	AddTokens(ctx context.Context, owner, day string, n int) error
}

// RephraseKey is the cache key of a rephrasing of p in style and lang made
// with recipe. It holds the article and its version, the section, a hash of
// the curated title and text (so an edit invalidates it even if a version
// was not bumped), the style, the language, the model and the prompt
// version. It is readable, for whoever looks at the table.
func RephraseKey(p Passage, style Style, lang Language, recipe Recipe) string {
	sum := sha256.Sum256([]byte(p.source()))
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
	Text    string // the rephrased text, or the curated text
	Model   string // the model that rephrased Text; empty when Text is the curated text
	Note    string // one line: why the curated text is shown, or that a rephrasing is coming
	Pending bool   // from Immediate only: call Rephrase and edit the message with its answer
}

// Rephrased reports whether Text is a rephrasing rather than the curated text.
func (r Rewrite) Rephrased() bool { return r.Model != "" }

// Provenance is the footer line of a rephrased text, "rephrased by <model>
// from the curated text", or "" for the curated text, whose footer shows its
// source as before.
func (r Rewrite) Provenance() string {
	if r.Model == "" {
		return ""
	}
	return "rephrased by " + r.Model + " from the curated text"
}

// RewriterConfig configures a Rewriter. The zero value is a Rewriter with
// rephrasing off.
type RewriterConfig struct {
	Rephraser   Rephraser     // nil: rephrasing is off and readers get the curated text
	Cache       RephraseCache // required with a Rephraser
	Budget      TokenBudget   // nil: no daily budget
	DailyTokens int           // tokens per guild (or DM user) per UTC day; 0: unlimited
	Cooldown    time.Duration // between one reader's upstream requests; 0: none
	Timeout     time.Duration // for a whole rephrasing, both attempts; 0: 20 s
	MaxLen      int           // longest rephrasing shown, by Len; 0: MaxEmbedDescription
	Curated     string        // the code of the curated text's language; "": "en"
	Logger      *slog.Logger
	Now         func() time.Time // nil: time.Now
}

// DefaultRephraseTimeout bounds a whole rephrasing when the config does not.
const DefaultRephraseTimeout = 20 * time.Second

// Rewriter is the core's guarded front to a Rephraser. It answers at once
// from the cache or with the curated text, asks the model at most once per
// passage, style, language, model and prompt version (concurrent identical
// requests share one call), checks every answer with CheckRephrasing,
// retries once strictly, and otherwise falls back to the curated text with
// a one-line note. Budgets and cooldowns apply only to upstream requests;
// the curated text is never limited.
//
// The circuit breaker and the retries on 429 and 5xx live in the
// Rephraser (bot/openai), which sees the HTTP statuses; the Rewriter turns
// its Unavailable errors into notes.
type Rewriter struct {
	cfg RewriterConfig
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	flights map[string]*rephraseFlight
	asked   map[string]time.Time // user → last upstream request
	running sync.WaitGroup       // flights, until their outcome is stored
}

type rephraseFlight struct {
	done chan struct{}
	res  Rewrite
}

// NewRewriter returns a Rewriter. With a Rephraser it needs a Cache: the
// point is to never pay twice for the same rephrasing.
func NewRewriter(cfg RewriterConfig) (*Rewriter, error) {
	if cfg.Rephraser != nil && cfg.Cache == nil {
		return nil, errors.New("bot: a Rewriter with a Rephraser needs a RephraseCache")
	}
	if cfg.DailyTokens < 0 || cfg.Cooldown < 0 || cfg.Timeout < 0 || cfg.MaxLen < 0 {
		return nil, errors.New("bot: negative rephrasing limits")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultRephraseTimeout
	}
	if cfg.MaxLen == 0 {
		cfg.MaxLen = MaxEmbedDescription
	}
	if cfg.Curated == "" {
		cfg.Curated = "en"
	}
	w := &Rewriter{
		cfg:     cfg,
		log:     cfg.Logger,
		now:     cfg.Now,
		flights: make(map[string]*rephraseFlight),
		asked:   make(map[string]time.Time),
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.now == nil {
		w.now = time.Now
	}
	return w, nil
}

// Enabled reports whether a language model is configured, so transports
// offer the style and language options only when they can be honoured.
func (w *Rewriter) Enabled() bool { return w.cfg.Rephraser != nil }

// Timeout is the longest a rephrasing may take upstream, both attempts
// together; Rephrase returns by then, give or take a cache read and write.
// A transport keeps its message editable at least that long.
func (w *Rewriter) Timeout() time.Duration { return w.cfg.Timeout }

// Notes the reader sees beside the curated text; one line each.
const (
	noteOff         = "Rephrasing is not set up on this bot; here is the curated text."
	noteTimeout     = "The rephrasing took too long; here is the curated text."
	noteUnavailable = "Rephrasing is unavailable right now (the language model is not answering); here is the curated text."
	noteFailed      = "Rephrasing failed; here is the curated text."
	noteGuard       = "The rephrased text did not keep to the facts of the curated text, so here is the curated text."
	noteBudgetGuild = "Rephrasing is unavailable right now (the daily budget for this server is used up); here is the curated text."
	noteBudgetDM    = "Rephrasing is unavailable right now (your daily budget is used up); here is the curated text."
	noteBudgetError = "Rephrasing is unavailable right now (its budget cannot be checked); here is the curated text."
)

func noteCooldown(wait time.Duration) string {
	secs := int(math.Ceil(wait.Seconds()))
	return fmt.Sprintf("You can ask for another rephrasing in %d s; here is the curated text.", secs)
}

func notePending(style Style, lang Language) string {
	switch {
	case style == StyleCurated:
		return "⏳ Translating into " + lang.Name + "…"
	case lang.IsZero():
		return "⏳ Rephrasing (" + strings.ToLower(style.Label()) + ")…"
	}
	return "⏳ Rephrasing (" + strings.ToLower(style.Label()) + ", in " + lang.Name + ")…"
}

// plan normalises req and reports whether it needs the model at all.
func (w *Rewriter) plan(req RewriteRequest) (RewriteRequest, bool) {
	if strings.EqualFold(req.Language.Code, w.cfg.Curated) {
		req.Language = Language{}
	}
	return req, req.Style != StyleCurated || !req.Language.IsZero()
}

func curated(req RewriteRequest, note string) Rewrite {
	return Rewrite{Text: req.Text, Note: note}
}

func (w *Rewriter) key(req RewriteRequest) string {
	recipe := w.cfg.Rephraser.Recipe(req.Style, req.Language)
	return RephraseKey(req.Passage, req.Style, req.Language, recipe)
}

// Immediate returns at once, without asking the model, what to show now.
// final is true when that is the whole answer: the curated text when no
// rephrasing was asked for, a cached rephrasing, or the curated text with a
// note when rephrasing is off, over budget or cooling down. Otherwise the
// Rewrite is the curated text with a "rephrasing…" note and Pending set:
// show it (or defer), then call Rephrase and edit the message.
func (w *Rewriter) Immediate(ctx context.Context, req RewriteRequest) (r Rewrite, final bool) {
	req, needed := w.plan(req)
	switch {
	case !needed:
		return curated(req, ""), true
	case w.cfg.Rephraser == nil:
		return curated(req, noteOff), true
	}
	key := w.key(req)
	if r, ok := w.lookup(ctx, key, req); ok {
		return r, true
	}
	w.mu.Lock()
	f, flying := w.flights[key]
	w.mu.Unlock()
	if flying {
		select {
		case <-f.done: // answered, and being stored
			return f.res, true
		default:
		}
	} else if note := w.limit(ctx, req); note != "" {
		return curated(req, note), true
	}
	return Rewrite{Text: req.Text, Note: notePending(req.Style, req.Language), Pending: true}, false
}

// Rephrase returns the rephrased passage, or the curated text with a
// one-line note saying why not. It never fails and never takes longer than
// the Rewriter's timeout (or ctx, if that ends first). Identical requests
// in flight share one upstream call; the answer is cached, also when the
// guard refused it, so it is never requested twice.
func (w *Rewriter) Rephrase(ctx context.Context, req RewriteRequest) Rewrite {
	req, needed := w.plan(req)
	switch {
	case !needed:
		return curated(req, "")
	case w.cfg.Rephraser == nil:
		return curated(req, noteOff)
	}
	key := w.key(req)
	if r, ok := w.lookup(ctx, key, req); ok {
		return r
	}
	f, note := w.join(ctx, key, req)
	if note != "" {
		return curated(req, note)
	}
	// The flight ends within the timeout unless a store hangs; the reader
	// is not kept waiting for that.
	wait, cancel := context.WithTimeout(ctx, w.cfg.Timeout+storeTimeout)
	defer cancel()
	select {
	case <-f.done:
		return f.res
	case <-wait.Done():
		return curated(req, noteTimeout)
	}
}

// storeTimeout bounds each write to the cache and the budget, which go on
// after the reader has stopped waiting.
const storeTimeout = 5 * time.Second

// lookup reads the cache. A cache that fails is logged and treated as a
// miss: the reader still gets an answer.
func (w *Rewriter) lookup(ctx context.Context, key string, req RewriteRequest) (Rewrite, bool) {
	c, ok, err := w.cfg.Cache.LoadRephrasing(ctx, key)
	if err != nil {
		w.log.ErrorContext(ctx, "rephrase cache load failed", "key", key, "err", err)
		return Rewrite{}, false
	}
	if !ok {
		return Rewrite{}, false
	}
	if c.Rejected != "" || c.Text == "" {
		return curated(req, noteGuard), true
	}
	return Rewrite{Text: c.Text, Model: c.Model}, true
}

// join returns the flight for key, starting it if there is none and the
// reader may start one; note says why not.
func (w *Rewriter) join(ctx context.Context, key string, req RewriteRequest) (*rephraseFlight, string) {
	w.mu.Lock()
	f, ok := w.flights[key]
	w.mu.Unlock()
	if ok {
		return f, ""
	}
	if note := w.limit(ctx, req); note != "" {
		return nil, note
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if f, ok := w.flights[key]; ok {
		return f, ""
	}
	f = &rephraseFlight{done: make(chan struct{})}
	w.flights[key] = f
	if w.cfg.Cooldown > 0 && req.UserID != "" && !req.Scheduled {
		w.stamp(req.UserID)
	}
	// The flight belongs to every reader waiting for it, not to the one
	// who started it: it runs on its own clock and fills the cache even
	// if that reader goes away.
	w.running.Add(1)
	go w.fly(context.WithoutCancel(ctx), key, req, f)
	return f, ""
}

// Wait blocks until every rephrasing started so far has ended and stored
// its outcome. Call it at shutdown, after the transports have stopped, so
// nothing that was paid for is lost.
func (w *Rewriter) Wait() { w.running.Wait() }

// stamp records that user started an upstream request now; w.mu is held.
func (w *Rewriter) stamp(user string) {
	now := w.now()
	if len(w.asked) > 1024 {
		for u, t := range w.asked {
			if now.Sub(t) >= w.cfg.Cooldown {
				delete(w.asked, u)
			}
		}
	}
	w.asked[user] = now
}

// limit returns a note if the reader may not start an upstream request now.
func (w *Rewriter) limit(ctx context.Context, req RewriteRequest) string {
	if w.cfg.Cooldown > 0 && req.UserID != "" && !req.Scheduled {
		w.mu.Lock()
		last, ok := w.asked[req.UserID]
		w.mu.Unlock()
		if wait := last.Add(w.cfg.Cooldown).Sub(w.now()); ok && wait > 0 {
			return noteCooldown(wait)
		}
	}
	if w.cfg.Budget != nil && w.cfg.DailyTokens > 0 {
		owner, day := w.budgetOwner(req), w.now().UTC().Format(time.DateOnly)
		used, err := w.cfg.Budget.TokensUsed(ctx, owner, day)
		if err != nil {
			w.log.ErrorContext(ctx, "rephrase budget read failed", "owner", owner, "err", err)
			return noteBudgetError
		}
		if used >= w.cfg.DailyTokens {
			w.log.InfoContext(ctx, "rephrase budget used up", "owner", owner, "used", used, "limit", w.cfg.DailyTokens)
			if req.GuildID == "" {
				return noteBudgetDM
			}
			return noteBudgetGuild
		}
	}
	return ""
}

// budgetOwner is who pays: the guild, or the user outside guilds.
func (w *Rewriter) budgetOwner(req RewriteRequest) string {
	if req.GuildID != "" {
		return req.GuildID
	}
	return "user:" + req.UserID
}

// fly runs one flight to its end. It counts the tokens spent before it
// hands its result to the waiters, so that a reader who asks again at once
// finds the budget up to date; it caches the result after, so a slow cache
// delays no reader. The flight stays in the table until its result is
// cached, so a request that misses the cache finds the flight, and one
// that misses the flight finds the cache when its own flight looks there
// first.
func (w *Rewriter) fly(ctx context.Context, key string, req RewriteRequest, f *rephraseFlight) {
	defer w.running.Done()
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	o := w.produce(ctx, key, req)
	w.spend(ctx, req, o.spent)
	f.res = o.res
	close(f.done)
	if o.entry != nil {
		w.save(ctx, key, *o.entry)
	}
	w.mu.Lock()
	delete(w.flights, key)
	w.mu.Unlock()
}

// outcome is what a flight produced: the answer, the tokens it cost, and
// what to cache, if anything.
type outcome struct {
	res   Rewrite
	spent int
	entry *Rephrasing
}

// produce asks the model, checks its answer, and asks once more strictly
// if the guard refuses it. A faithful answer and a double refusal are
// cached; a failure to get an answer is not, so the next reader tries again.
func (w *Rewriter) produce(ctx context.Context, key string, req RewriteRequest) outcome {
	if r, ok := w.lookup(ctx, key, req); ok {
		return outcome{res: r}
	}
	log := w.log.With("article", req.ArticleID, "section", req.Section, "style", string(req.Style), "lang", req.Language.Code)
	rreq := RephraseRequest{Passage: req.Passage, Style: req.Style, Language: req.Language}
	var o outcome
	var last *Rephrasing
	var reasons []string
	for attempt := 1; attempt <= 2; attempt++ {
		got, err := w.cfg.Rephraser.Rephrase(ctx, rreq)
		if got != nil {
			o.spent += got.Tokens
		}
		if err != nil {
			o.res = curated(req, w.failure(ctx, log, attempt, err))
			return o
		}
		text := strings.TrimSpace(got.Text)
		err = CheckRephrasing(req.source(), text, GuardOptions{Translated: !req.Language.IsZero(), MaxLen: w.cfg.MaxLen})
		var rej *Rejection
		if errors.As(err, &rej) && got.Truncated {
			rej.Problems = append(rej.Problems, Problem{Rule: RuleLength, Reason: "the answer was cut off at the token limit"})
		} else if err == nil && got.Truncated {
			rej = &Rejection{Problems: []Problem{{Rule: RuleLength, Reason: "the answer was cut off at the token limit"}}}
		}
		if rej == nil {
			entry := *got
			entry.Text, entry.Tokens = text, o.spent
			o.res, o.entry = Rewrite{Text: text, Model: got.Model}, &entry
			return o
		}
		reasons = rej.Reasons()
		log.WarnContext(ctx, "rephrasing rejected", "attempt", attempt, "model", got.Model, "prompt", got.PromptVersion, "reasons", reasons)
		last = got
		rreq.Strict, rreq.Problems = true, reasons
	}
	o.res = curated(req, noteGuard)
	o.entry = &Rephrasing{
		Model:         last.Model,
		PromptVersion: last.PromptVersion,
		Tokens:        o.spent,
		Rejected:      strings.Join(reasons, "; "),
	}
	return o
}

// failure logs a Rephraser error and returns the note for it.
func (w *Rewriter) failure(ctx context.Context, log *slog.Logger, attempt int, err error) string {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		log.WarnContext(ctx, "rephrasing timed out", "attempt", attempt, "timeout", w.cfg.Timeout, "err", err)
		return noteTimeout
	case KindOf(err) == Unavailable:
		log.WarnContext(ctx, "rephrasing unavailable", "attempt", attempt, "err", err)
		return noteUnavailable
	default:
		log.ErrorContext(ctx, "rephrasing failed", "attempt", attempt, "err", err)
		return noteFailed
	}
}

func (w *Rewriter) spend(ctx context.Context, req RewriteRequest, n int) {
	if w.cfg.Budget == nil || n <= 0 {
		return
	}
	owner, day := w.budgetOwner(req), w.now().UTC().Format(time.DateOnly)
	// The tokens are spent whether or not the reader is still waiting.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := w.cfg.Budget.AddTokens(ctx, owner, day, n); err != nil {
		w.log.ErrorContext(ctx, "rephrase budget update failed", "owner", owner, "tokens", n, "err", err)
	}
}

func (w *Rewriter) save(ctx context.Context, key string, r Rephrasing) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := w.cfg.Cache.SaveRephrasing(ctx, key, r); err != nil {
		w.log.ErrorContext(ctx, "rephrase cache save failed", "key", key, "err", err)
	}
}
