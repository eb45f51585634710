package bot

import (
	"fmt"
	"strings"
)

// Library is the set of articles the bot answers from. One is the default,
// used when a request names none. A Library is read-only once built and safe
// for concurrent use.
type Library struct {
	articles []*Article
	byID     map[string]*Article
	def      *Article
	sections []*Section // one per command name, first seen first; the default article's win
}

// NewLibrary checks the articles as a set and prepares them for answering.
// The articles are expected to be valid one by one (package content checks
// that, with file and line); NewLibrary refuses an empty set, duplicate
// ids, and more or less than one default where there are several articles.
func NewLibrary(articles ...*Article) (*Library, error) {
	if len(articles) == 0 {
		return nil, fmt.Errorf("no articles: add at least one article file")
	}
	l := &Library{articles: articles, byID: make(map[string]*Article, len(articles))}
	var defaults []string
	for _, a := range articles {
		if _, dup := l.byID[a.ID]; dup {
			return nil, fmt.Errorf("two articles have the id %q: ids must be unique", a.ID)
		}
		l.byID[a.ID] = a
		if a.Default {
			defaults = append(defaults, a.ID)
			l.def = a
		}
		for _, s := range a.Sections {
			s.Pages()
		}
	}
	switch {
	case len(articles) == 1:
		l.def = articles[0]
	case len(defaults) == 0:
		return nil, fmt.Errorf("no article is marked default: set default: true on one of %s", l.ids())
	case len(defaults) > 1:
		return nil, fmt.Errorf("more than one article is marked default (%s): keep default: true on one", strings.Join(defaults, ", "))
	}
	seen := make(map[string]bool)
	for _, a := range append([]*Article{l.def}, articles...) {
		for _, s := range a.Sections {
			if !seen[s.Name] {
				seen[s.Name] = true
				l.sections = append(l.sections, s)
			}
		}
	}
	return l, nil
}

// Default returns the default article.
func (l *Library) Default() *Article { return l.def }

// Articles returns every article, in load order.
func (l *Library) Articles() []*Article { return l.articles }

// Article returns the article with the given id; the empty id means the
// default. An unknown id is a NotFound error that lists the articles.
func (l *Library) Article(id string) (*Article, error) {
	if id == "" {
		return l.def, nil
	}
	if a, ok := l.byID[id]; ok {
		return a, nil
	}
	return nil, Errorf(NotFound, "There is no article %q. Articles: %s.", Clip(id, 40), l.ids())
}

// Sections returns one section per distinct command name across the
// library, the default article's first. Each stands for its command: its
// name and description are what Discord shows.
func (l *Library) Sections() []*Section { return l.sections }

// Having returns the articles that have a section named name: the
// default first if it has one, then the others in load order. A section
// command without an article option answers from the first.
func (l *Library) Having(name string) []*Article {
	var out []*Article
	for _, a := range append([]*Article{l.def}, l.articles...) {
		if a.Section(name) != nil && (len(out) == 0 || a != out[0]) {
			out = append(out, a)
		}
	}
	return out
}

// IsSection reports whether name is a section command in any article.
func (l *Library) IsSection(name string) bool {
	for _, s := range l.sections {
		if s.Name == name {
			return true
		}
	}
	return false
}

func (l *Library) ids() string {
	ids := make([]string, len(l.articles))
	for i, a := range l.articles {
		ids[i] = a.ID
	}
	return strings.Join(ids, ", ")
}

// Clip shortens s to at most n runes, ending it with "…" if it was longer,
// for quoting it back in a message. It never touches content, only echoes
// of user input and labels.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
