// Package rewrite rewrites curated sections with a language model, in a
// style (brief, bullet points, simple, formal) or a language, for readers
// and for digests. Its Rewriter is the guarded front to a Model: a cache
// so that nothing is paid for twice, one upstream call for identical
// requests in flight, a daily token budget, a per-reader cooldown, and the
// guard's check of every answer against its source. It defines what it
// needs of the model and of the store; bot/openai and the SQL stores
// implement those.
package rewrite

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/guard"
)

// Config configures a Rewriter.
type Config struct {
	Model       Model         // required
	Cache       Cache         // required: the point is never to pay twice for one rewrite
	Budget      Budget        // nil: no daily budget
	DailyTokens int           // tokens per guild (or DM user) per UTC day; 0: unlimited
	Cooldown    time.Duration // between one reader's upstream requests; 0: none
	Timeout     time.Duration // for a whole rewrite, both attempts; 0: DefaultTimeout
	MaxLen      int           // longest rewrite shown, by bot.Len; 0: bot.MaxEmbedDescription
	Curated     string        // the code of the curated text's language; "": "en"
	Logger      *slog.Logger
	Clock       bot.Clock // the day budgets count by, and cooldowns; nil: bot.SystemClock
	Observer    Observer  // told of each outcome, for metrics; nil: none
	// Answers composes short answers to readers' questions; nil: Model,
	// if it is an AnswerModel too.
	Answers AnswerModel

	// Verifier, if set, checks every rewrite the guard passes; a rewrite
	// it flags, or cannot judge, is refused. Its tokens count against the
	// budget. A cached rewrite no verifier has checked is made afresh.
	Verifier      Verifier
	VerifyTimeout time.Duration // for one verification; 0: DefaultVerifyTimeout
	// Rejections, if set, records every refusal.
	Rejections Rejections
}

// DefaultTimeout bounds a whole rewrite when the config does not.
const DefaultTimeout = 20 * time.Second

// DefaultVerifyTimeout bounds one verification when the config does not.
const DefaultVerifyTimeout = 10 * time.Second

// CheckVerifier names the verifier's refusals among the guard's checks:
// a statement it found unsupported, or its failure to give a verdict.
const CheckVerifier guard.CheckName = "verifier"

// Rewriter is the core's guarded front to a Model: it implements
// bot.Rewriter. It answers at once from the cache or with the curated
// text, asks the model at most once per passage, style, language, model
// and prompt version (concurrent identical requests share one call),
// checks every answer with guard.Check, retries once strictly, and
// otherwise falls back to the curated text with a one-line note. Budgets
// and cooldowns apply only to upstream requests; the curated text is never
// limited.
//
// The circuit breaker and the retries on 429 and 5xx live in the Model
// (bot/openai), which sees the HTTP statuses; the Rewriter turns its
// Unavailable errors into notes.
type Rewriter struct {
	cfg   Config
	log   *slog.Logger
	clock bot.Clock

	mu      sync.Mutex
	flights map[string]*flight
	// answering are the composed answers in flight; made when the first
	// starts.
	answering map[string]*answerFlight
	asked     map[string]time.Time     // user → last upstream request
	sources   map[string]*guard.Source // passages read for the guard, by their text
	running   sync.WaitGroup           // flights, until their outcome is stored
}

var _ bot.Rewriter = (*Rewriter)(nil)

type flight struct {
	done chan struct{}
	res  bot.Rewrite
}

// New returns a Rewriter, or an error saying what in cfg is wrong.
func New(cfg Config) (*Rewriter, error) {
	if cfg.Model == nil {
		return nil, errors.New("rewrite: a Rewriter needs a Model")
	}
	if cfg.Cache == nil {
		return nil, errors.New("rewrite: a Rewriter needs a Cache")
	}
	if cfg.DailyTokens < 0 || cfg.Cooldown < 0 || cfg.Timeout < 0 || cfg.MaxLen < 0 || cfg.VerifyTimeout < 0 {
		return nil, errors.New("rewrite: negative limits")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.VerifyTimeout == 0 {
		cfg.VerifyTimeout = DefaultVerifyTimeout
	}
	if cfg.MaxLen == 0 {
		cfg.MaxLen = bot.MaxEmbedDescription
	}
	if cfg.Curated == "" {
		cfg.Curated = "en"
	}
	w := &Rewriter{
		cfg:     cfg,
		log:     cfg.Logger,
		clock:   cfg.Clock,
		flights: make(map[string]*flight),
		asked:   make(map[string]time.Time),
		sources: make(map[string]*guard.Source),
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.clock == nil {
		w.clock = bot.SystemClock{}
	}
	if w.cfg.Observer == nil {
		w.cfg.Observer = noObserver{}
	}
	return w, nil
}

// Enabled reports that a language model is configured: always, for a
// Rewriter (bot.RewritingOff is the one without).
func (w *Rewriter) Enabled() bool { return true }

// Timeout is the longest a rewrite may take upstream, both attempts
// together; Rewrite returns by then, give or take a cache read and write.
// A transport keeps its message editable at least that long.
func (w *Rewriter) Timeout() time.Duration { return w.cfg.Timeout }

// Notes the reader sees beside the curated text; one line each.
const (
	noteTimeout     = "The rephrasing took too long; here is the curated text."
	noteUnavailable = "Rephrasing is unavailable right now (the language model is not answering); here is the curated text."
	noteFailed      = "Rephrasing failed; here is the curated text."
	noteGuard       = "The rephrased text did not keep to the facts of the curated text, so here is the curated text."
	noteBudgetGuild = "Rephrasing is unavailable right now (the daily budget for this server is used up); here is the curated text."
	noteBudgetDM    = "Rephrasing is unavailable right now (your daily budget is used up); here is the curated text."
	noteBudgetError = "Rephrasing is unavailable right now (its budget cannot be checked); here is the curated text."
	noteUnverified  = "The rephrased text could not be checked against the curated text, so here is the curated text."
)

func noteCooldown(wait time.Duration) string {
	secs := int(math.Ceil(wait.Seconds()))
	return fmt.Sprintf("You can ask for another rephrasing in %d s; here is the curated text.", secs)
}

func notePending(style bot.Style, lang bot.Language) string {
	switch {
	case style == bot.StyleCurated:
		return "⏳ Translating into " + lang.Name + "…"
	case lang.IsZero():
		return "⏳ Rephrasing (" + strings.ToLower(style.Label()) + ")…"
	}
	return "⏳ Rephrasing (" + strings.ToLower(style.Label()) + ", in " + lang.Name + ")…"
}

// plan normalises req and reports whether it needs the model at all.
func (w *Rewriter) plan(req bot.RewriteRequest) (bot.RewriteRequest, bool) {
	if strings.EqualFold(req.Language.Code, w.cfg.Curated) {
		req.Language = bot.Language{}
	}
	return req, req.Style != bot.StyleCurated || !req.Language.IsZero()
}

func curated(req bot.RewriteRequest, note string) bot.Rewrite {
	return bot.Rewrite{Text: req.Text, Note: note}
}

func (w *Rewriter) key(req bot.RewriteRequest) string {
	recipe := w.cfg.Model.Recipe(req.Style, req.Language)
	return Key(req.Passage, req.Style, req.Language, recipe)
}

// Immediate returns at once, without asking the model, what to show now.
// final is true when that is the whole answer: the curated text when no
// rewrite was asked for, a cached rewrite, or the curated text with a note
// when over budget or cooling down. Otherwise the Rewrite is the curated
// text with a "rephrasing…" note and Pending set: show it (or defer), then
// call Rewrite and edit the message.
func (w *Rewriter) Immediate(ctx context.Context, req bot.RewriteRequest) (r bot.Rewrite, final bool) {
	req, needed := w.plan(req)
	if !needed {
		return curated(req, ""), true
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
	return bot.Rewrite{Text: req.Text, Note: notePending(req.Style, req.Language), Pending: true}, false
}

// Rewrite returns the rewritten passage, or the curated text with a
// one-line note saying why not. It never fails and never takes longer than
// the Rewriter's timeout (or ctx, if that ends first). Identical requests
// in flight share one upstream call; the answer is cached, also when the
// guard refused it, so it is never requested twice.
func (w *Rewriter) Rewrite(ctx context.Context, req bot.RewriteRequest) bot.Rewrite {
	req, needed := w.plan(req)
	if !needed {
		return curated(req, "")
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
func (w *Rewriter) lookup(ctx context.Context, key string, req bot.RewriteRequest) (bot.Rewrite, bool) {
	c, ok, err := LoadAnswer(ctx, w.cfg.Cache, key)
	if err != nil {
		w.log.ErrorContext(ctx, "rephrase cache load failed", "key", key, "err", err)
		return bot.Rewrite{}, false
	}
	if !ok {
		return bot.Rewrite{}, false
	}
	w.cfg.Observer.Rephrasing(OutcomeCacheHit, nil)
	if c.Rejected != "" || c.Text == "" {
		return curated(req, noteGuard), true
	}
	if w.cfg.Verifier != nil && c.VerifiedBy == "" {
		return bot.Rewrite{}, false // cached before verification was on
	}
	return bot.Rewrite{Text: c.Text, Model: c.Model}, true
}

// Cached returns the rewrite of req that the cache holds, and its cache
// key: what readers who ask for it are shown. ok is false when the cache
// holds none, or only a refusal.
func (w *Rewriter) Cached(ctx context.Context, req bot.RewriteRequest) (key string, a Answer, ok bool, err error) {
	req, needed := w.plan(req)
	if !needed {
		return "", Answer{}, false, nil
	}
	key = w.key(req)
	a, ok, err = LoadAnswer(ctx, w.cfg.Cache, key)
	if err != nil || !ok || a.Rejected != "" || a.Text == "" {
		return key, Answer{}, false, err
	}
	return key, a, true, nil
}

// join returns the flight for key, starting it if there is none and the
// reader may start one; note says why not.
func (w *Rewriter) join(ctx context.Context, key string, req bot.RewriteRequest) (*flight, string) {
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
	f = &flight{done: make(chan struct{})}
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

// Wait blocks until every rewrite started so far has ended and stored
// its outcome. Call it at shutdown, after the transports have stopped, so
// nothing that was paid for is lost.
func (w *Rewriter) Wait() { w.running.Wait() }

// stamp records that user started an upstream request now; w.mu is held.
func (w *Rewriter) stamp(user string) {
	now := w.clock.Now()
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
func (w *Rewriter) limit(ctx context.Context, req bot.RewriteRequest) string {
	if w.cfg.Cooldown > 0 && req.UserID != "" && !req.Scheduled {
		w.mu.Lock()
		last, ok := w.asked[req.UserID]
		w.mu.Unlock()
		if wait := last.Add(w.cfg.Cooldown).Sub(w.clock.Now()); ok && wait > 0 {
			w.cfg.Observer.Rephrasing(OutcomeCooldown, nil)
			return noteCooldown(wait)
		}
	}
	if w.cfg.Budget != nil && w.cfg.DailyTokens > 0 {
		owner, day := w.budgetOwner(req), w.clock.Now()
		used, err := w.cfg.Budget.Tokens(ctx, owner, day)
		if err != nil {
			w.log.ErrorContext(ctx, "rephrase budget read failed", "owner", owner, "err", err)
			w.cfg.Observer.Rephrasing(OutcomeUnavailable, nil)
			return noteBudgetError
		}
		if used >= int64(w.cfg.DailyTokens) {
			w.log.InfoContext(ctx, "rephrase budget used up", "owner", owner, "used", used, "limit", w.cfg.DailyTokens)
			w.cfg.Observer.Rephrasing(OutcomeBudget, nil)
			if req.GuildID == "" {
				return noteBudgetDM
			}
			return noteBudgetGuild
		}
	}
	return ""
}

// budgetOwner is who pays: the guild, or the user outside guilds.
func (w *Rewriter) budgetOwner(req bot.RewriteRequest) string {
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
func (w *Rewriter) fly(ctx context.Context, key string, req bot.RewriteRequest, f *flight) {
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
	res   bot.Rewrite
	spent int
	entry *Answer
}

// produce asks the model, checks its answer, and asks once more strictly
// if the guard refuses it. A faithful answer and a double refusal are
// cached; a failure to get an answer is not, so the next reader tries again.
func (w *Rewriter) produce(ctx context.Context, key string, req bot.RewriteRequest) outcome {
	if r, ok := w.lookup(ctx, key, req); ok {
		return outcome{res: r}
	}
	log := w.log.With("article", req.ArticleID, "section", req.Section, "style", string(req.Style), "lang", req.Language.Code)
	source := w.source(req.Source())
	mreq := ModelRequest{Passage: req.Passage, Style: req.Style, Language: req.Language}
	var o outcome
	var last *Answer
	var reasons, checks []string
	for attempt := 1; attempt <= 2; attempt++ {
		got, err := w.cfg.Model.Rewrite(ctx, mreq)
		if got != nil {
			o.spent += got.Tokens
		}
		if err != nil {
			o.res = curated(req, w.failure(ctx, log, attempt, err))
			return o
		}
		text := strings.TrimSpace(got.Text)
		err = source.Check(text, guard.Options{Language: req.Language.Code, SourceLanguage: w.cfg.Curated, Style: string(req.Style), MaxLen: w.cfg.MaxLen})
		var rej *guard.Rejection
		if !errors.As(err, &rej) && err != nil {
			rej = &guard.Rejection{Problems: []guard.Problem{{Check: guard.Empty, Reason: err.Error()}}}
		}
		if got.Truncated {
			if rej == nil {
				rej = &guard.Rejection{}
			}
			rej.Problems = append(rej.Problems, guard.Problem{Check: guard.Length, Reason: "the answer was cut off at the token limit"})
		}
		verifiedBy := ""
		if rej == nil && w.cfg.Verifier != nil {
			v, err := w.verify(ctx, req, text)
			if v != nil {
				o.spent += v.Tokens
			}
			switch {
			case err != nil:
				// No verdict: refused now, and not cached, so that a later
				// reader tries again.
				rej = &guard.Rejection{Problems: []guard.Problem{{Check: CheckVerifier, Reason: "the verifier gave no verdict: " + err.Error()}}}
				log.WarnContext(ctx, "rephrasing rejected", "attempt", attempt, "model", got.Model, "prompt", got.PromptVersion, "problems", rej, "reasons", rej.Reasons())
				w.record(ctx, req, got, attempt, rej)
				o.res = curated(req, noteUnverified)
				return o
			case len(v.Unsupported) > 0:
				rej = &guard.Rejection{}
				for _, s := range v.Unsupported {
					rej.Problems = append(rej.Problems, guard.Problem{Check: CheckVerifier, Found: bot.Clip(s, 200), Reason: "the verifier finds no support in the text for: " + bot.Clip(s, 200)})
				}
			default:
				verifiedBy = v.Model
			}
		}
		if rej == nil {
			entry := *got
			entry.Text, entry.Tokens, entry.VerifiedBy = text, o.spent, verifiedBy
			o.res, o.entry = bot.Rewrite{Text: text, Model: got.Model}, &entry
			w.cfg.Observer.Rephrasing(OutcomeModel, nil)
			return o
		}
		reasons, checks = rej.Reasons(), checkNames(rej)
		log.WarnContext(ctx, "rephrasing rejected", "attempt", attempt, "model", got.Model, "prompt", got.PromptVersion, "problems", rej, "reasons", reasons)
		w.record(ctx, req, got, attempt, rej)
		last = got
		mreq.Strict, mreq.Problems = true, reasons
	}
	o.res = curated(req, noteGuard)
	w.cfg.Observer.Rephrasing(OutcomeGuardRefused, checks)
	o.entry = &Answer{
		Model:         last.Model,
		PromptVersion: last.PromptVersion,
		Tokens:        o.spent,
		Rejected:      strings.Join(reasons, "; "),
	}
	return o
}

// maxSources bounds the passages kept read for the guard: a library's
// sections, many times over.
const maxSources = 512

// source returns text read for the guard, reading it the first time:
// every style and language of a section, and both attempts at each, are
// checked against the same passage.
func (w *Rewriter) source(text string) *guard.Source {
	w.mu.Lock()
	s, ok := w.sources[text]
	w.mu.Unlock()
	if ok {
		return s
	}
	s = guard.Prepare(text)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.sources) >= maxSources {
		clear(w.sources) // the library changed a great deal; start again
	}
	w.sources[text] = s
	return s
}

// verify asks the verifier about text, within its own timeout. A verdict
// that lists nothing but blanks is no verdict.
func (w *Rewriter) verify(ctx context.Context, req bot.RewriteRequest, text string) (*Verdict, error) {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.VerifyTimeout)
	defer cancel()
	v, err := w.cfg.Verifier.Verify(ctx, VerifyRequest{Passage: req.Passage, Style: req.Style, Language: req.Language, Text: text})
	if err != nil {
		return v, err
	}
	if v == nil {
		return nil, errors.New("no verdict")
	}
	var listed []string
	for _, s := range v.Unsupported {
		if s = strings.TrimSpace(s); s != "" {
			listed = append(listed, s)
		}
	}
	if len(listed) == 0 && len(v.Unsupported) > 0 {
		return v, errors.New("the verdict lists only blank statements")
	}
	v.Unsupported = listed
	return v, nil
}

// record keeps a refusal for briefbot rejections. A store that fails is
// logged: the reader is not kept waiting for it.
func (w *Rewriter) record(ctx context.Context, req bot.RewriteRequest, got *Answer, attempt int, rej *guard.Rejection) {
	if w.cfg.Rejections == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	r := Rejection{
		At: w.clock.Now(), ArticleID: req.ArticleID, ArticleVersion: req.ArticleVersion, Section: req.Section,
		Style: string(req.Style), Language: req.Language.Code, Model: got.Model, PromptVersion: got.PromptVersion,
		Attempt: attempt, Problems: rej.Problems,
	}
	if err := w.cfg.Rejections.RecordRejection(ctx, r); err != nil {
		w.log.ErrorContext(ctx, "recording a rejection failed", "err", err)
	}
}

// failure logs a Model error and returns the note for it.
func (w *Rewriter) failure(ctx context.Context, log *slog.Logger, attempt int, err error) string {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		log.WarnContext(ctx, "rephrasing timed out", "attempt", attempt, "timeout", w.cfg.Timeout, "err", err)
		w.cfg.Observer.Rephrasing(OutcomeTimeout, nil)
		return noteTimeout
	case bot.KindOf(err) == bot.Unavailable:
		log.WarnContext(ctx, "rephrasing unavailable", "attempt", attempt, "err", err)
		w.cfg.Observer.Rephrasing(OutcomeUnavailable, nil)
		return noteUnavailable
	default:
		log.ErrorContext(ctx, "rephrasing failed", "attempt", attempt, "err", err)
		w.cfg.Observer.Rephrasing(OutcomeFailed, nil)
		return noteFailed
	}
}

func (w *Rewriter) spend(ctx context.Context, req bot.RewriteRequest, n int) {
	if n > 0 {
		w.cfg.Observer.Tokens(n)
	}
	if w.cfg.Budget == nil || n <= 0 {
		return
	}
	owner, day := w.budgetOwner(req), w.clock.Now()
	// The tokens are spent whether or not the reader is still waiting.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if _, err := w.cfg.Budget.AddTokens(ctx, owner, day, int64(n)); err != nil {
		w.log.ErrorContext(ctx, "rephrase budget update failed", "owner", owner, "tokens", n, "err", err)
	}
}

func (w *Rewriter) save(ctx context.Context, key string, a Answer) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := SaveAnswer(ctx, w.cfg.Cache, key, a); err != nil {
		w.log.ErrorContext(ctx, "rephrase cache save failed", "key", key, "err", err)
	}
}

// checkNames lists, once each, the checks behind a rejection's problems.
func checkNames(rej *guard.Rejection) []string {
	var names []string
	for _, p := range rej.Problems {
		if c := string(p.Check); !slices.Contains(names, c) {
			names = append(names, c)
		}
	}
	return names
}
