package bot

import (
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

// Date is the article's publication date as readers see it.
func (a *Article) Date() string {
	if a.Published.IsZero() {
		return ""
	}
	return a.Published.Format("2 January 2006")
}
