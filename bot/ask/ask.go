// Package ask answers readers' questions from the articles: the /ask
// command, the message command "Answer from the article" (a member picks a
// message, and its text is answered privately to them), and the free
// questions of DMs and the console. One answerer serves them all: the
// statements of the articles that answer the question (bot/answer), quoted
// verbatim, each with where it comes from, with a button to the full
// section and the related ones; or, when the articles do not say, a plain
// "The article doesn't say" with the nearest sections. With a language
// model, a short answer composed from those statements alone is edited in
// after them (bot/rewrite composes and guards it). Refused and
// low-confidence questions go to a question log, so that editors see what
// readers could not get.
package ask

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/answer"
	"github.com/briefbot/briefbot/bot/rewrite"
)

// Names of the commands and their option.
const (
	// MessageCommand is the name of the message command, as Discord shows
	// it in a message's Apps menu.
	MessageCommand = "Answer from the article"
	OptQuestion    = "question"
)

// MaxQuestion is the longest question answered, in characters.
const MaxQuestion = answer.MaxQuestion

// LowConfidence is the confidence below which an answered question is
// logged for the editors: the statements found cover less than this share
// of what it asks.
const LowConfidence = 0.7

// Composer composes short answers from the statements with a language
// model: what ask needs of package rewrite, whose Rewriter implements it.
type Composer interface {
	// Composes reports whether answers are composed at all.
	Composes() bool
	// ImmediateAnswer says at once what to show with the statements; when
	// final is false, ComposeAnswer brings the composed answer.
	ImmediateAnswer(ctx context.Context, req rewrite.AnswerRequest) (c rewrite.Composed, final bool)
	// ComposeAnswer composes the answer, or says why not, within its
	// timeout.
	ComposeAnswer(ctx context.Context, req rewrite.AnswerRequest) rewrite.Composed
}

// Config configures the answerer. The zero value answers with the
// statements and logs nothing.
type Config struct {
	// Log keeps refused and low-confidence questions; nil keeps none.
	Log QuestionLog
	// Retention is how long the log keeps a question; 0 records none.
	Retention time.Duration
	// Composer composes short answers; nil shows the statements alone.
	Composer Composer
	Clock    bot.Clock    // when questions are asked; nil: bot.SystemClock
	Logger   *slog.Logger // nil: none
	// Observer is told of every question refused, for metrics; nil: none.
	Observer Observer
}

// Observer is told of the questions the answerer refuses, for metrics:
// bot/metrics implements it, and cmd/briefbot wires it in through
// Config.Observer. It must be quick and safe for concurrent use.
type Observer interface {
	// AnswerRefused reports a question refused, with why: the
	// answer.Refusal, "not-covered" (the articles do not say),
	// "instruction" or "empty".
	AnswerRefused(reason string)
}

// Asker answers questions from a library's articles.
type Asker struct {
	b     *bot.Bot
	lib   *bot.Library
	cfg   Config
	log   *slog.Logger
	all   *answer.Index            // every article
	byID  map[string]*answer.Index // one article, when there are several
	prune pruner
}

// New indexes the articles of b's library. It fails when an article cannot
// be indexed: an alias that means no word of the articles, say.
func New(b *bot.Bot, cfg Config) (*Asker, error) {
	if cfg.Clock == nil {
		cfg.Clock = bot.SystemClock{}
	}
	a := &Asker{b: b, lib: b.Library(), cfg: cfg, log: cfg.Logger}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if cfg.Composer != nil && !cfg.Composer.Composes() {
		a.cfg.Composer = nil
	}
	var all []answer.Article
	for _, art := range a.lib.Articles() {
		all = append(all, Article(art))
	}
	var err error
	if a.all, err = answer.New(all...); err != nil {
		return nil, err
	}
	if len(all) > 1 {
		a.byID = make(map[string]*answer.Index, len(all))
		for i, art := range all {
			if a.byID[art.ID], err = answer.New(all[i]); err != nil {
				return nil, err
			}
		}
	}
	return a, nil
}

// Register indexes the library and adds /ask, the message command and the
// free questions of the text grammar to b.
func Register(b *bot.Bot, cfg Config) (*Asker, error) {
	a, err := New(b, cfg)
	if err != nil {
		return nil, err
	}
	articleOpt := bot.CommandOption{
		Name: bot.OptArticle, Description: "Which article (default: every article)",
		Type: bot.OptionString, Autocomplete: true, MaxLength: bot.MaxCommandName,
	}
	if len(a.lib.Articles()) == 1 {
		articleOpt.Description = "Which article (default: " + bot.Clip(a.lib.Default().ID, 60) + ")"
	}
	b.Handle(bot.Command{
		Name:        bot.CommandAsk,
		Description: "Ask a question: the answer is what the article says, and where",
		Options: []bot.CommandOption{
			{Name: OptQuestion, Description: "Your question, in your own words and language", Type: bot.OptionString, Required: true, MaxLength: MaxQuestion},
			articleOpt,
			{Name: bot.OptPrivate, Description: "Show the answer only to me", Type: bot.OptionBool},
		},
		Help: a.helpAsk,
	}, bot.HandlerFunc(a.answerCommand))
	b.Handle(bot.Command{
		Type:    bot.MessageCommand,
		Name:    MessageCommand,
		Private: true,
		Help:    a.helpMessage,
	}, bot.HandlerFunc(a.answerMessage))
	b.HandleQuestions(bot.HandlerFunc(a.answerText))
	return a, nil
}

func (a *Asker) helpAsk(src bot.Source) string {
	switch src {
	case bot.FromConsole:
		return "" // typed questions are answered; the console's help says so
	}
	return "`/" + bot.CommandAsk + "`: ask a question in your own words, in your language; I answer with what the article says, and where it says it."
}

func (a *Asker) helpMessage(src bot.Source) string {
	if src != bot.FromGuild {
		return ""
	}
	return "**" + MessageCommand + "**: on any message, open Apps and pick it; I answer the message from the article, only for you."
}

// Article is a's articles as the answerer reads it.
func Article(a *bot.Article) answer.Article {
	out := answer.Article{ID: a.ID, Title: a.Title, Sources: a.Sources, Aliases: aliases(a.Aliases)}
	for _, s := range a.Sections {
		out.Sections = append(out.Sections, answer.Section{
			Name:        s.Name,
			Title:       s.Title,
			Description: s.Description,
			Keywords:    s.Keywords,
			Aliases:     aliases(s.Aliases),
			Body:        s.Body,
		})
	}
	return out
}

func aliases(in []bot.Alias) []answer.Alias {
	out := make([]answer.Alias, len(in))
	for i, al := range in {
		out[i] = answer.Alias{Terms: al.Terms, Means: al.Means}
	}
	return out
}

func (a *Asker) answerCommand(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	if r.Kind == bot.KindAutocomplete {
		return a.b.CompleteArticle(r), nil
	}
	private, err := r.Bool(bot.OptPrivate)
	if err != nil {
		return nil, err
	}
	id := r.Option(bot.OptArticle)
	if id != "" {
		if _, err := a.lib.Article(id); err != nil {
			return nil, err
		}
	}
	reply, err := a.Ask(ctx, r, r.Option(OptQuestion), id)
	if err != nil {
		return nil, err
	}
	reply.Private = private
	return reply, nil
}

func (a *Asker) answerMessage(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	if strings.TrimSpace(r.Target) == "" {
		return nil, bot.Errorf(bot.Invalid, "That message has no text to answer from the article.")
	}
	reply, err := a.Ask(ctx, r, r.Target, "")
	if err != nil {
		return nil, err
	}
	reply.Private = true
	return reply, nil
}

func (a *Asker) answerText(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	return a.Ask(ctx, r, r.Text, "")
}

// errEmpty is the error of an empty question.
var errEmpty = bot.Errorf(bot.Invalid, "Ask a question, e.g. /ask question:what does the deal say about oil?")

// Ask answers question from the article with id article, or from every
// article when id is "", on behalf of the reader of r. A question over
// MaxQuestion characters is an Invalid error; a question the articles do
// not answer is a reply that says so, with Unanswered set.
func (a *Asker) Ask(ctx context.Context, r *bot.Request, question, article string) (*bot.Reply, error) {
	question = strings.TrimSpace(question)
	if n := utf8.RuneCountInString(question); n > MaxQuestion {
		return nil, bot.Errorf(bot.Invalid, "Your question is %d characters long; I answer questions of up to %d. Ask it in fewer words.", n, MaxQuestion)
	}
	if question == "" {
		return nil, errEmpty
	}
	x := a.all
	if article != "" && a.byID != nil {
		x = a.byID[article]
	}
	// "… in Spanish" asks for the answer in a language, not about Spanish.
	asked := question
	lang := bot.Language{}
	if rest, _, l := bot.SplitStyle(question); !l.IsZero() && strings.TrimSpace(rest) != "" {
		asked, lang = rest, l
	}
	res, err := x.Answer(asked)
	if err != nil {
		return nil, bot.Errorf(bot.Invalid, "Your question is too long; I answer questions of up to %d characters.", MaxQuestion)
	}
	a.record(ctx, question, article, res)
	if res.Refusal != answer.Answered {
		if a.cfg.Observer != nil {
			a.cfg.Observer.AnswerRefused(string(res.Refusal))
		}
		return a.refusal(r, question, article, res), nil
	}
	if lang.IsZero() {
		lang, _ = bot.LanguageByCode(res.Language)
	}
	v := a.view(r, question, res)
	reply := v.reply(rewrite.Composed{})
	if a.cfg.Composer == nil {
		return reply, nil
	}
	req := a.composeRequest(r, question, lang, res)
	now, final := a.cfg.Composer.ImmediateAnswer(ctx, req)
	reply = v.reply(now)
	if !final {
		reply.Pending = func(ctx context.Context) (*bot.Reply, error) {
			return v.reply(a.cfg.Composer.ComposeAnswer(ctx, req)), nil
		}
	}
	return reply, nil
}

func (a *Asker) composeRequest(r *bot.Request, question string, lang bot.Language, res answer.Result) rewrite.AnswerRequest {
	req := rewrite.AnswerRequest{
		Question:   question,
		Normalized: answer.Normalize(question),
		Language:   lang,
		GuildID:    r.GuildID,
		UserID:     r.User.ID,
	}
	for _, s := range res.Statements {
		src := rewrite.AnswerSource{ArticleID: s.Article, Section: s.Section, Title: s.SectionTitle, Text: s.Text}
		if art, err := a.lib.Article(s.Article); err == nil {
			src.ArticleVersion = art.Version
		}
		req.Sources = append(req.Sources, src)
	}
	return req
}

// pruner prunes the question log at most once an hour.
type pruner struct {
	mu   sync.Mutex
	last time.Time
}

// due reports whether it is time to prune, and marks it done.
func (p *pruner) due(now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.last.IsZero() && now.Sub(p.last) < time.Hour {
		return false
	}
	p.last = now
	return true
}

// logTimeout bounds a write to the question log: a slow store must not
// hold an answer up for long.
const logTimeout = 2 * time.Second

// record logs a refused or low-confidence question. Instruction attempts
// and lines with nothing to look for are no question an editor could
// answer, and are left out. A failing log is logged, and the reader still
// gets the answer.
func (a *Asker) record(ctx context.Context, question, article string, res answer.Result) {
	if a.cfg.Log == nil || a.cfg.Retention <= 0 {
		return
	}
	refused := res.Refusal == answer.NotCovered
	if !refused && (res.Refusal != answer.Answered || res.Confidence >= LowConfidence) {
		return
	}
	if article == "" {
		switch {
		case len(res.Statements) > 0:
			article = res.Statements[0].Article
		case len(res.Nearest) > 0:
			article = res.Nearest[0].Article
		default:
			article = a.lib.Default().ID
		}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logTimeout)
	defer cancel()
	now := a.cfg.Clock.Now()
	q := Question{Text: question, Normalized: answer.Normalize(question), Article: article, AskedAt: now, Refused: refused}
	if err := a.cfg.Log.RecordQuestion(ctx, q); err != nil {
		a.log.ErrorContext(ctx, "could not log a question", "err", err)
		return
	}
	if a.prune.due(now) {
		if n, err := a.cfg.Log.PruneQuestions(ctx, now.Add(-a.cfg.Retention)); err != nil {
			a.log.ErrorContext(ctx, "could not prune the question log", "err", err)
		} else if n > 0 {
			a.log.Info("pruned the question log", "questions", n, "older than", a.cfg.Retention)
		}
	}
}

// Question is one question the log keeps: what was asked, of which
// article, when, and whether it was refused (else it was answered with
// low confidence). Who asked, and where, is not kept.
type Question struct {
	Text       string
	Normalized string // as answer.Normalize has it, to group questions asked alike
	Article    string
	AskedAt    time.Time
	Refused    bool
}

// QuestionLog keeps the questions readers could not get answered. The SQL
// stores implement it.
type QuestionLog interface {
	// RecordQuestion adds q to the log.
	RecordQuestion(ctx context.Context, q Question) error
	// PruneQuestions removes the questions asked before before, and
	// returns how many it removed.
	PruneQuestions(ctx context.Context, before time.Time) (int64, error)
}

// QuestionGroup is the questions of the log asked alike: their normalised
// form, the latest wording, how often, and how often refused.
type QuestionGroup struct {
	Normalized string
	Example    string // the latest question asked in this form
	Article    string // the article of the latest
	Asked      int
	Refused    int
	Last       time.Time
}

// QuestionReport lists the most frequent questions of the log, for
// editors. The SQL stores implement it.
type QuestionReport interface {
	// UnansweredQuestions returns at most limit groups of the questions
	// asked since since, the most asked first (then the latest).
	UnansweredQuestions(ctx context.Context, since time.Time, limit int) ([]QuestionGroup, error)
}
