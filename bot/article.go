package bot

import (
	"net/url"
	"strings"
	"time"
)

// Article is one curated news article: its metadata and its sections, in
// the order the editor wrote them.
type Article struct {
	ID        string // command-name rules: lowercase, ≤ 32 characters
	Title     string
	Dateline  string
	Published time.Time
	Updated   time.Time // the last update; zero when the article was never updated
	URL       string    // the original article, an absolute http(s) address; "" when unknown
	Publisher string    // who published it, e.g. a newspaper or site; "" when unknown
	Author    string    // who wrote it; "" when unknown
	Sources   []string
	Default   bool
	Aliases   []Alias // words readers use for the article's terms, in every section
	Version   string  // changes whenever the article's file changes
	Sections  []*Section
}

// Alias says that readers may ask with any of Terms for what the curated
// text calls Means: "tv" for "television", "нефть" for "oil".
type Alias struct {
	Terms []string
	Means string
}

// Section is one topic of an article, answered by the slash command Name.
type Section struct {
	Name        string // the command name, e.g. "energy"
	Title       string
	Description string // the slash command's description, ≤ 100 characters
	Keywords    []string
	Aliases     []Alias  // like the article's, for this section only
	Related     []string // names of sections to offer next
	Body        string   // Discord-flavoured Markdown

	pages []string // Body split by Paginate; filled by NewLibrary
}

// Pages returns the section's body split into pages that fit a reply.
func (s *Section) Pages() []string {
	if s.pages == nil {
		s.pages = Paginate(s.Body, PageSize)
	}
	return s.pages
}

// Section returns the article's section with the given command name, or nil.
func (a *Article) Section(name string) *Section {
	for _, s := range a.Sections {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// DateLayout is how every date of an article is shown to readers: the way
// news articles write them, "May 7, 2025".
const DateLayout = "January 2, 2006"

// Date is the article's publication date as readers see it.
func (a *Article) Date() string { return FormatDate(a.Published) }

// FormatDate shows t as DateLayout says, or "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// Site is the host of the article's address without "www.", such as
// "riotimesonline.com", or "" when the article has no URL.
func (a *Article) Site() string {
	u, err := url.Parse(a.URL)
	if err != nil || a.URL == "" {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// Credit names where the story comes from in a line: its publisher, or
// else its site; "" when neither is known.
func (a *Article) Credit() string {
	if a.Publisher != "" {
		return a.Publisher
	}
	return a.Site()
}

// Label is the short name of the article in a footer: its credit, or its
// date, or its id, so that a reader of several articles can tell which a
// reply comes from without the headline twice.
func (a *Article) Label() string {
	if c := a.Credit(); c != "" {
		return c
	}
	if d := a.Date(); d != "" {
		return d
	}
	return a.ID
}
