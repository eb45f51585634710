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
	index []*sectionIndex // the default article's sections, for free questions

	helpOnce sync.Once
	help     map[helpKey]*Reply // built at the first /help, when every command is registered
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
	for _, s := range lib.Default().Sections {
		b.index = append(b.index, newSectionIndex(s))
	}
	articleOpt := CommandOption{
		Name: OptArticle, Description: "Which article (default: " + Clip(lib.Default().ID, 60) + ")",
		Type: OptionString, Autocomplete: true, MaxLength: MaxCommandName,
	}
	privateOpt := CommandOption{Name: OptPrivate, Description: "Show the answer only to me", Type: OptionBool}
	common := []CommandOption{articleOpt, privateOpt}
	var rewriteOpts []CommandOption
	if rw.Enabled() {
		styleOpt := CommandOption{Name: OptStyle, Description: "Rewrite the section: brief, bullet points, simple or formal", Type: OptionString}
		for _, st := range Styles() {
			styleOpt.Choices = append(styleOpt.Choices, Choice{Name: st.Label(), Value: string(st)})
		}
		langOpt := CommandOption{Name: OptLanguage, Description: "Translate the section, e.g. Español or Русский", Type: OptionString, Autocomplete: true, MaxLength: 40}
		rewriteOpts = []CommandOption{styleOpt, langOpt}
	}

	for _, s := range lib.Sections() {
		has := lib.Having(s.Name)
		opts := append([]CommandOption{sectionArticleOption(lib, articleOpt, has)}, rewriteOpts...)
		opts = append(opts, privateOpt)
		b.Handle(Command{Name: s.Name, Description: sectionDescription(s, has), Options: opts}, HandlerFunc(b.answerSection))
	}
	helpOpts := []CommandOption{privateOpt}
	if len(lib.Articles()) > 1 {
		helpArticle := articleOpt
		helpArticle.Description = "Which article's sections to list (default: " + Clip(lib.Default().ID, 50) + ")"
		helpOpts = []CommandOption{helpArticle, privateOpt}
	}
	b.Handle(Command{Name: CommandHelp, Description: "What you can ask briefbot", Options: helpOpts}, HandlerFunc(b.answerHelp))
	b.Handle(Command{Name: CommandAbout, Description: "The article, its date and sources, and what briefbot is", Options: common}, HandlerFunc(b.answerAbout))
	b.HandleComponent(ActionPage, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionSection, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionPick, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionDigestSection, HandlerFunc(b.answerComponent))
	b.HandleComponent(ActionDigestPick, HandlerFunc(b.answerComponent))
	b.HandleText(HandlerFunc(b.answerText))
	return b
}

// sectionArticleOption is the article option of a section command: it
// names the articles that have the section, and the one it answers from
// when none is named, never an article without it.
func sectionArticleOption(lib *Library, opt CommandOption, has []*Article) CommandOption {
	if len(lib.Articles()) == 1 {
		return opt
	}
	ids := make([]string, len(has))
	for i, a := range has {
		ids[i] = a.ID
	}
	opt.Description = "Which article: " + orList(ids) + " (default: " + has[0].ID + ")"
	if len(has) == 1 {
		opt.Description = "The article: only " + has[0].ID + " has this section"
	}
	if Len(opt.Description) > MaxDescription {
		opt.Description = "Which article (default: " + Clip(has[0].ID, 60) + ")"
	}
	return opt
}

// sectionDescription is a section command's description. Articles that
// share a section name may describe it each in its own words, which name
// their own story: then the command, which stands for all of them, says
// what the section is without naming any article.
func sectionDescription(s *Section, has []*Article) string {
	sameDescription, sameTitle := true, true
	for _, a := range has[1:] {
		other := a.Section(s.Name)
		sameDescription = sameDescription && other.Description == s.Description
		sameTitle = sameTitle && other.Title == s.Title
	}
	switch {
	case sameDescription:
		return s.Description
	case sameTitle:
		return Clip(s.Title+", in the article you choose", MaxDescription)
	}
	return Clip("The /"+s.Name+" section of the article you choose", MaxDescription)
}

// Library returns the articles the bot answers from.
func (b *Bot) Library() *Library { return b.lib }

// Rewriter returns what rewrites sections for the bot: RewritingOff if it
// has no language model.
func (b *Bot) Rewriter() Rewriter { return b.rw }
