// Package openai is briefbot's rewrite.Model on the chat completions API, which
// OpenAI and the OpenAI-compatible servers (Ollama, vLLM, llama.cpp's
// server, LocalAI) all speak. It renders the prompts from the prompts
// package, retries 429s and 5xx with capped exponential backoff that
// honours Retry-After, stops asking for a while after repeated failures
// (a circuit breaker), maps upstream errors to bot.Error kinds without
// ever quoting the API key, and reports the tokens spent.
//
// It does not check what the model writes: the core's guard does.
package openai

//lint:file-ignore SA1019 MaxTokens is deprecated at OpenAI, but most OpenAI-compatible servers know only max_tokens; reasoning models get max_completion_tokens instead.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/backoff"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/prompts"
)

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1"

// Config configures a Model. Zero values take the defaults given.
type Config struct {
	BaseURL string // the API's base URL, with /v1 (Ollama: http://localhost:11434/v1); "": DefaultBaseURL
	APIKey  string // sent as a bearer token; may be empty for local servers
	Model   string // required: "gpt-4o-mini", "llama3.2:3b", …

	Prompts *prompts.Set // nil: prompts.Default()

	Timeout     time.Duration // for one HTTP attempt; 0: none but the caller's context
	MaxRetries  int           // retries after 429, 5xx, timeouts and network errors; 0: 2; negative: none
	MaxBackoff  time.Duration // longest wait between attempts; a longer Retry-After is not waited for; 0: 8 s
	MaxTokens   int           // for the answer; 0: 1500
	Temperature float32       // 0: 0.2; negative: the server's default

	BreakerFailures int           // failed calls in a row that open the circuit; 0: 5
	BreakerCooldown time.Duration // how long it stays open before one trial call; 0: 1 min

	HTTPClient *http.Client // nil: a client of its own
	Logger     *slog.Logger
	Clock      bot.Clock // the time of the circuit breaker and of the waits between retries; nil: bot.SystemClock
}

// String describes c without its API key, so logging a Config is safe.
func (c Config) String() string {
	key := "none"
	if c.APIKey != "" {
		key = "set"
	}
	return fmt.Sprintf("openai.Config{BaseURL: %q, Model: %q, APIKey: %s}", c.BaseURL, c.Model, key)
}

// Model rewrites passages with a chat completions model.
type Model struct {
	cfg     Config
	client  *goopenai.Client
	prompts atomic.Pointer[prompts.Set]
	log     *slog.Logger
	breaker breaker
}

var _ rewrite.Model = (*Model)(nil)

// New returns a Model, or an error saying what in cfg is wrong.
func New(cfg Config) (*Model, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("openai: the base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("openai: a model name is required")
	}
	if u.Host == "api.openai.com" && cfg.APIKey == "" {
		return nil, errors.New("openai: an API key is required for api.openai.com")
	}
	if cfg.MaxTokens < 0 || cfg.Timeout < 0 || cfg.MaxBackoff < 0 || cfg.BreakerFailures < 0 || cfg.BreakerCooldown < 0 {
		return nil, errors.New("openai: negative limits")
	}
	if cfg.Prompts == nil {
		if cfg.Prompts, err = prompts.Default(); err != nil {
			return nil, err
		}
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = 2
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 8 * time.Second
	}
	if cfg.MaxTokens == 0 {
		cfg.MaxTokens = 1500
	}
	switch {
	case cfg.Temperature == 0:
		cfg.Temperature = 0.2
	case cfg.Temperature < 0:
		cfg.Temperature = 0 // omitted from the request
	}
	if cfg.BreakerFailures == 0 {
		cfg.BreakerFailures = 5
	}
	if cfg.BreakerCooldown == 0 {
		cfg.BreakerCooldown = time.Minute
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = bot.SystemClock{}
	}
	cc := goopenai.DefaultConfig(cfg.APIKey)
	cc.BaseURL = cfg.BaseURL
	cc.HTTPClient = headerDoer{cfg.HTTPClient}
	m := &Model{
		cfg:     cfg,
		client:  goopenai.NewClientWithConfig(cc),
		log:     cfg.Logger.With("model", cfg.Model),
		breaker: breaker{threshold: cfg.BreakerFailures, cooldown: cfg.BreakerCooldown},
	}
	m.prompts.Store(cfg.Prompts)
	return m, nil
}

// SetPrompts makes set the prompts of every rewrite from now on, as when
// an editor changes the prompt folder. Versions change with the
// templates, so rewrites cached under the old prompts are not used again.
func (r *Model) SetPrompts(set *prompts.Set) { r.prompts.Store(set) }

// Prompts returns the prompts the model rewrites with.
func (r *Model) Prompts() *prompts.Set { return r.prompts.Load() }

// Recipe implements rewrite.Model: the model and the version of the prompt
// for style and lang.
func (r *Model) Recipe(style bot.Style, lang bot.Language) rewrite.Recipe {
	v, err := r.prompts.Load().Version(string(style), !lang.IsZero())
	if err != nil {
		v = "invalid"
	}
	return rewrite.Recipe{Model: r.cfg.Model, PromptVersion: v}
}

// Rewrite implements rewrite.Model.
func (r *Model) Rewrite(ctx context.Context, req rewrite.ModelRequest) (*rewrite.Answer, error) {
	msgs, err := r.prompts.Load().Render(prompts.Input{
		Style:    string(req.Style),
		Language: req.Language.Name,
		Native:   req.Language.Native,
		Title:    req.Title,
		Text:     req.Text,
		Strict:   req.Strict,
		Problems: req.Problems,
	})
	if err != nil {
		return nil, &bot.Error{Kind: bot.Invalid, Message: "This section cannot be rephrased that way.", Err: err}
	}
	return r.answer(ctx, msgs)
}

var _ rewrite.AnswerModel = (*Model)(nil)

// AnswerRecipe implements rewrite.AnswerModel: the model and the version
// of the answer prompt.
func (r *Model) AnswerRecipe(lang bot.Language) rewrite.Recipe {
	return rewrite.Recipe{Model: r.cfg.Model, PromptVersion: r.prompts.Load().AnswerVersion()}
}

// Compose implements rewrite.AnswerModel.
func (r *Model) Compose(ctx context.Context, req rewrite.AnswerModelRequest) (*rewrite.Answer, error) {
	msgs, err := r.prompts.Load().RenderAnswer(prompts.AnswerInput{
		Question:   req.Question,
		Language:   req.Language.Name,
		Native:     req.Language.Native,
		Statements: req.Statements,
		Strict:     req.Strict,
		Problems:   req.Problems,
	})
	if err != nil {
		return nil, &bot.Error{Kind: bot.Invalid, Message: "This question cannot be answered that way.", Err: err}
	}
	return r.answer(ctx, msgs)
}

// answer sends a rendered prompt and returns the model's answer with
// what it cost and the prompt it came from.
func (r *Model) answer(ctx context.Context, msgs prompts.Messages) (*rewrite.Answer, error) {
	c, err := r.chat(ctx, msgs.System, msgs.User, nil)
	if err != nil {
		return nil, err
	}
	return &rewrite.Answer{
		Text:          c.Text,
		Model:         r.cfg.Model,
		PromptVersion: msgs.Version,
		Tokens:        c.Tokens,
		Truncated:     c.Truncated,
	}, nil
}

// Completion is a model's answer to one chat: its text, cleaned of what
// models wrap answers in, the tokens spent and whether it was cut off.
type Completion struct {
	Text      string
	Tokens    int
	Truncated bool
}

// Complete asks the model once, with the retries and the circuit breaker
// of every call, and returns its answer unchecked: for callers with
// prompts of their own, such as briefbot draft --llm, which check it
// themselves.
func (r *Model) Complete(ctx context.Context, system, user string) (Completion, error) {
	return r.chat(ctx, system, user, nil)
}

// chat asks the model once, with the retries and the circuit breaker;
// format, if set, is the response_format asked for (the verifier's JSON
// schema).
func (r *Model) chat(ctx context.Context, system, user string, format *goopenai.ChatCompletionResponseFormat) (Completion, error) {
	if until, ok := r.breaker.allow(r.cfg.Clock.Now()); !ok {
		return Completion{}, &bot.Error{
			Kind:    bot.Unavailable,
			Message: "Rephrasing is paused after repeated failures of the language model.",
			Err:     fmt.Errorf("circuit open until %s", until.Format(time.RFC3339)),
		}
	}
	creq := goopenai.ChatCompletionRequest{
		Model: r.cfg.Model,
		Messages: []goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: system},
			{Role: goopenai.ChatMessageRoleUser, Content: user},
		},
		MaxTokens:      r.cfg.MaxTokens,
		Temperature:    r.cfg.Temperature,
		ResponseFormat: format,
	}
	if goopenai.NewReasoningValidator().Validate(creq) != nil {
		// Reasoning models take no temperature and count their limit as
		// max_completion_tokens; other servers know only max_tokens.
		creq.MaxCompletionTokens, creq.MaxTokens, creq.Temperature = creq.MaxTokens, 0, 0
	}
	resp, err := r.complete(ctx, creq)
	if err == nil && len(resp.Choices) == 0 {
		err = &bot.Error{Kind: bot.Unavailable, Message: "The language model sent an empty reply.", Err: errors.New("no choices")}
	}
	switch {
	case err == nil:
		r.record(true)
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		r.breaker.release() // the caller left; that says nothing of the model
	default:
		r.record(false)
	}
	if err != nil {
		return Completion{}, err
	}
	choice := resp.Choices[0]
	tokens := resp.Usage.TotalTokens
	if tokens == 0 { // some servers do not say; about four bytes a token
		tokens = (len(system) + len(user) + len(choice.Message.Content)) / 4
	}
	return Completion{
		Text:      clean(choice.Message.Content),
		Tokens:    tokens,
		Truncated: choice.FinishReason == goopenai.FinishReasonLength,
	}, nil
}

func (r *Model) record(ok bool) {
	switch r.breaker.record(r.cfg.Clock.Now(), ok) {
	case opened:
		r.log.Warn("language model failing; rephrasing paused", "failures", r.cfg.BreakerFailures, "for", r.cfg.BreakerCooldown)
	case closed:
		r.log.Info("language model answering again; rephrasing resumed")
	}
}

var thinkRE = regexp.MustCompile(`(?s)^\s*<think>.*?</think>`)

// clean removes what models wrap an answer in: a reasoning model's
// <think> block, a code fence around the whole answer, an echoed delimiter.
func clean(s string) string {
	s = thinkRE.ReplaceAllString(s, "")
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "```") && strings.HasSuffix(s, "```") && len(s) >= 6 {
		s = strings.TrimSuffix(s, "```")
		if _, body, ok := strings.Cut(s, "\n"); ok {
			s = body
		}
	}
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != prompts.Open && t != prompts.Close {
			lines = append(lines, l)
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// Check asks the server for its models and reports whether it answers and
// knows the configured one, for a startup or validate command. A server
// that lists no models is taken at its word.
func (r *Model) Check(ctx context.Context) error {
	list, err := r.client.ListModels(ctx)
	if err != nil {
		return r.failure(ctx, err, nil).err
	}
	var ids []string
	for _, m := range list.Models {
		if m.ID == r.cfg.Model {
			return nil
		}
		ids = append(ids, m.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	return bot.Errorf(bot.Invalid, "The language model server does not offer %q; it offers %s.", r.cfg.Model, strings.Join(ids, ", "))
}

// complete sends creq, retrying what may succeed on another try.
func (r *Model) complete(ctx context.Context, creq goopenai.ChatCompletionRequest) (goopenai.ChatCompletionResponse, error) {
	for attempt := 0; ; attempt++ {
		var hdr http.Header
		actx, cancel := context.WithValue(ctx, headerKey{}, &hdr), context.CancelFunc(func() {})
		if r.cfg.Timeout > 0 {
			actx, cancel = context.WithTimeout(actx, r.cfg.Timeout)
		}
		resp, err := r.client.CreateChatCompletion(actx, creq)
		cancel()
		if err == nil {
			return resp, nil
		}
		f := r.failure(ctx, err, hdr)
		if !f.retry || attempt >= r.cfg.MaxRetries {
			return resp, f.err
		}
		wait := f.retryAfter
		if wait == 0 {
			wait = backoff.Delay(attempt+1, 500*time.Millisecond, r.cfg.MaxBackoff)
		}
		if wait > r.cfg.MaxBackoff {
			r.log.Warn("language model asks to wait too long; giving up", "status", f.status, "retry_after", wait)
			return resp, f.err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return resp, f.err // no time left to try again
		}
		r.log.Info("language model request failed; retrying", "attempt", attempt+1, "status", f.status, "wait", wait, "err", f.err)
		if err := bot.Sleep(ctx, r.cfg.Clock, wait); err != nil {
			return resp, f.err
		}
	}
}

// failure is an upstream error, classified.
type failure struct {
	err        error
	retry      bool
	retryAfter time.Duration
	status     int
}

// failure maps an error from the client to a *bot.Error whose cause never
// holds the API key, and says whether to try again.
func (r *Model) failure(ctx context.Context, err error, hdr http.Header) failure {
	fail := func(kind bot.ErrorKind, retry bool, status int, msg string) failure {
		return failure{err: &bot.Error{Kind: kind, Message: msg, Err: r.redact(err)}, retry: retry, status: status}
	}
	if ctx.Err() != nil { // the caller's deadline or cancellation
		return failure{err: &bot.Error{Kind: bot.Unavailable, Message: "The language model took too long.", Err: ctx.Err()}}
	}
	status := 0
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	}
	var netErr net.Error
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case status == http.StatusTooManyRequests:
		f := fail(bot.Unavailable, true, status, "The language model is busy; try again later.")
		f.retryAfter = retryAfter(hdr, r.cfg.Clock.Now())
		return f
	case status >= 500 || status == http.StatusRequestTimeout:
		f := fail(bot.Unavailable, true, status, "The language model is unavailable right now.")
		f.retryAfter = retryAfter(hdr, r.cfg.Clock.Now())
		return f
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return fail(bot.Internal, false, status, "The language model server refused the API key.")
	case status == http.StatusNotFound:
		return fail(bot.Internal, false, status, fmt.Sprintf("The language model server answered 404: check the base URL (it usually ends in /v1) and the model %q.", r.cfg.Model))
	case status != 0:
		return fail(bot.Internal, false, status, fmt.Sprintf("The language model server refused the request (%d).", status))
	case errors.Is(err, context.DeadlineExceeded):
		return fail(bot.Unavailable, true, 0, "The language model took too long.")
	case errors.As(err, &syntaxErr) || errors.As(err, &typeErr) || errors.Is(err, io.ErrUnexpectedEOF):
		return fail(bot.Unavailable, false, 0, "The language model sent a reply that could not be read.")
	case errors.As(err, &netErr):
		return fail(bot.Unavailable, true, 0, "The language model cannot be reached.")
	}
	return fail(bot.Unavailable, false, 0, "The language model sent a reply that could not be read.")
}

// redact returns err's text with the API key blanked out, as a new error:
// nothing of the original chain, which might hold the key, goes to a log.
func (r *Model) redact(err error) error {
	s := err.Error()
	if k := r.cfg.APIKey; len(k) >= 4 {
		s = strings.ReplaceAll(s, k, "[redacted]")
	}
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return errors.New(s)
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// headerKey carries, in a request's context, where to put the response's
// headers: go-openai keeps them from its errors, and Retry-After is there.
type headerKey struct{}

type headerDoer struct{ c *http.Client }

func (d headerDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if resp != nil {
		if h, ok := req.Context().Value(headerKey{}).(*http.Header); ok {
			*h = resp.Header.Clone()
		}
	}
	return resp, err
}

// breaker is a circuit breaker: after threshold failed calls in a row it
// opens, and calls fail at once for cooldown; then one trial call goes
// through (half-open), and its outcome closes or reopens the circuit.
type breaker struct {
	threshold int
	cooldown  time.Duration

	mu       sync.Mutex
	failures int
	until    time.Time
	trial    bool // a half-open trial call is in flight
}

type transition int

const (
	unchanged transition = iota
	opened
	closed
)

// allow reports whether a call may go ahead, or until when it may not.
func (b *breaker) allow(now time.Time) (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.failures < b.threshold:
		return time.Time{}, true
	case now.Before(b.until) || b.trial:
		return b.until, false
	}
	b.trial = true
	return time.Time{}, true
}

// record counts a call's outcome.
func (b *breaker) record(now time.Time, ok bool) transition {
	b.mu.Lock()
	defer b.mu.Unlock()
	wasOpen := b.failures >= b.threshold
	b.trial = false
	if ok {
		b.failures = 0
		if wasOpen {
			return closed
		}
		return unchanged
	}
	b.failures++
	if b.failures >= b.threshold {
		b.until = now.Add(b.cooldown)
		if !wasOpen {
			return opened
		}
	}
	return unchanged
}

// release ends a trial call that neither failed nor succeeded.
func (b *breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
}
