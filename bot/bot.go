package bot

import (
	"log/slog"
	"sync"
)

// Bot is the core, assembled: the library's section commands, help and
// about, the buttons and menus on their replies, and the text grammar of DMs
// and the console, behind one Mux. Adapters add commands of their own with
// Handle and wrap everything with Use before the bot starts answering.
type Bot struct {
	*Mux
	lib   *Library
	rw    Rewriter
	log   *slog.Logger
	views map[*Section]*sectionView
	// questions answers the free questions of the text grammar; nil
	// until a feature sets it with HandleQuestions.
	questions Handler

	helpOnce sync.Once
	help     map[Source]*Reply // built at the first /help, when every command is registered
}

// Options configure a Bot.
type Options struct {
	Logger *slog.Logger // defaults to a logger that discards
	// Rewriter rewrites sections on request; nil is RewritingOff, and
	// readers who ask for a style get the curated text with a note.
	Rewriter Rewriter
}

// Option names shared by section commands, help and about.
const (
	OptArticle  = "article"
	OptPrivate  = "private"
	OptStyle    = "style"
	OptLanguage = "language"
)

// New assembles a Bot over lib.
func New(lib *Library, opts Options) *Bot {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rw := opts.Rewriter
	if rw == nil {
		rw = RewritingOff
	}
	b := &Bot{Mux: NewMux(), lib: lib, rw: rw, log: log, views: make(map[*Section]*sectionView)}
	for _, a := range lib.Articles() {
		for _, s := range a.Sections {
			b.views[s] = newSectionView(a, s)
		}
	}
	articleOpt := CommandOption{
		Name: OptArticle, Description: "Which article (default: " + Clip(lib.Default().ID, 60) + ")",
		Type: OptionString, Autocomplete: true, MaxLength: MaxCommandName,
	}
	privateOpt := CommandOption{Name: OptPrivate, Description: "Show the answer only to me", Type: OptionBool}
	common := []CommandOption{articleOpt, privateOpt}
	sectionOpts := common
	if rw.Enabled() {
		styleOpt := CommandOption{Name: OptStyle, Description: "Rewrite the section: brief, bullet points, simple or formal", Type: OptionString}
		for _, st := range Styles() {
			styleOpt.Choices = append(styleOpt.Choices, Choice{Name: st.Label(), Value: string(st)})
		}
		langOpt := CommandOption{Name: OptLanguage, Description: "Translate the section, e.g. Español or Русский", Type: OptionString, Autocomplete: true, MaxLength: 40}
		sectionOpts = []CommandOption{articleOpt, styleOpt, langOpt, privateOpt}
	}

	for _, s := range lib.Sections() {
		b.Handle(Command{Name: s.Name, Description: s.Description, Options: sectionOpts}, HandlerFunc(b.answerSection))
	}
	b.Handle(Command{Name: CommandHelp, Description: "What you can ask briefbot", Options: []CommandOption{privateOpt}}, HandlerFunc(b.answerHelp))
	b.Handle(Command{Name: CommandAbout, Description: "The article, its date and sources, and what briefbot is", Options: common}, HandlerFunc(b.answerAbout))
	b.HandleComponent(ActionPage, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionSection, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionPick, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionDigestSection, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionDigestPick, HandlerFunc(b.answerComponent))
	b.HandleText(HandlerFunc(b.answerText))
	return b
}

// Library returns the articles the bot answers from.
func (b *Bot) Library() *Library { return b.lib }

// Rewriter returns what rewrites sections for the bot: RewritingOff if it
// has no language model.
func (b *Bot) Rewriter() Rewriter { return b.rw }

// HandleQuestions sets what answers the free questions of the text grammar
// (a line of a DM or the console that names no command): h gets them as
// KindText requests whose Text is the question. Without one, such a line
// is told to name a section. Call it before the bot answers requests.
func (b *Bot) HandleQuestions(h Handler) { b.questions = h }

// CompleteArticle suggests the articles whose id or title holds what the
// reader has typed in the option r.Focused, for a feature's article
// option.
func (b *Bot) CompleteArticle(r *Request) *Reply { return b.completeArticle(r) }
