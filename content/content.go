// Package content holds briefbot's curated articles and reads them.
//
// An article is a Markdown file with YAML front matter and one "## " section
// per slash command; the README's content guide describes the format. The
// articles in articles/ are built into the binary and are the default; Load
// reads the same format from any folder.
package content

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/briefbot/briefbot/bot"
)

//go:embed articles/*.md
var embedded embed.FS

// Embedded returns the articles built into the binary.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "articles")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}

// Problem is one thing wrong with the content, at a place in a file.
type Problem struct {
	File    string // path within the folder that was loaded
	Line    int    // 1-based; 0 when the problem is with the file as a whole
	Message string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return p.File + ": " + p.Message
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is every problem found while loading, in file and line order. It
// is the error Load returns for invalid content.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// maxCommands is Discord's limit on an application's global slash commands.
const maxCommands = 100

// builtins is how many commands the bot adds to the sections: help, about
// and digest.
const builtins = 3

// Load reads every *.md file at the top of fsys as an article, checks each
// and all of them together, and returns the library. Invalid content gives
// a Problems error listing everything wrong, not just the first thing.
func Load(fsys fs.FS) (*bot.Library, error) {
	loaded, problems, err := load(fsys)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return bot.NewLibrary(loaded.articles...)
}

// loaded is what load read: the articles, and where their sections are.
type loaded struct {
	articles []*bot.Article
	places   []Place
}

// load reads and checks every article of fsys, as Load does, keeping the
// articles that parse far enough to have one whatever their problems.
func load(fsys fs.FS) (loaded, Problems, error) {
	var out loaded
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return out, nil, err
	}
	if len(names) == 0 {
		return out, Problems{{File: ".", Message: "no article files: add a Markdown file (*.md) with front matter and ## sections"}}, nil
	}
	sort.Strings(names)

	var problems Problems
	var articles []*bot.Article
	firstID := make(map[string]string) // article id → file:line that first used it
	firstDefault := ""
	commands := make(map[string]bool)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, Problem{File: name, Message: "cannot read: " + err.Error()})
			continue
		}
		a, meta, ps := parse(name, data)
		problems = append(problems, ps...)
		if a == nil {
			continue
		}
		if at, dup := firstID[a.ID]; dup && a.ID != "" {
			problems = append(problems, Problem{File: name, Line: meta.idLine, Message: fmt.Sprintf("id %q is already used by %s: article ids must be unique", a.ID, at)})
		} else {
			firstID[a.ID] = fmt.Sprintf("%s:%d", name, meta.idLine)
		}
		if a.Default {
			if firstDefault != "" {
				problems = append(problems, Problem{File: name, Line: meta.defaultLine, Message: "default: true is already set in " + firstDefault + ": keep it on one article"})
			} else {
				firstDefault = fmt.Sprintf("%s:%d", name, meta.defaultLine)
			}
		}
		for _, s := range a.Sections {
			commands[s.Name] = true
		}
		articles = append(articles, a)
		out.places = append(out.places, Place{File: name, Line: 1, Article: a.ID})
		for _, h := range meta.headings {
			out.places = append(out.places, Place{File: name, Line: h.line, Article: a.ID, Section: h.name})
		}
	}
	if len(articles) > 1 && firstDefault == "" {
		problems = append(problems, Problem{File: names[0], Line: 1, Message: "no article is marked default: add default: true to the front matter of the article to answer when none is named"})
	}
	if n := len(commands) + builtins; n > maxCommands {
		problems = append(problems, Problem{File: ".", Message: fmt.Sprintf("the articles use %d distinct section names; with the built-in commands that is %d slash commands, and Discord allows %d", len(commands), n, maxCommands)})
	}
	out.articles = articles
	return out, problems, nil
}

// Place is where an article's file, or one of its sections, begins.
type Place struct {
	File    string
	Line    int
	Article string // the article's id
	Section string // the section's name; "" for the article's front matter
}

// Draft is content as an editor has it, problems and all: what the
// preview shows.
type Draft struct {
	// Library holds every article that parsed far enough to be shown,
	// even with problems: only an article without an id or a section, or
	// with the id of one before it, is left out. Nil when none is left.
	Library *bot.Library
	// Problems are those Load reports; none means Load would succeed.
	Problems Problems
	places   []Place
}

// Inspect reads fsys as Load does, but keeps what it can of invalid
// content, so that an editor sees it while mending it.
func Inspect(fsys fs.FS) (*Draft, error) {
	l, problems, err := load(fsys)
	if err != nil {
		return nil, err
	}
	d := &Draft{Problems: problems, places: l.places}
	seen := map[string]bool{}
	var keep []*bot.Article
	hasDefault := false
	for _, a := range l.articles {
		if a.ID == "" || !bot.ValidName(a.ID) || len(a.Sections) == 0 || seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		if a.Default && hasDefault {
			copied := *a
			copied.Default = false
			a = &copied
		}
		hasDefault = hasDefault || a.Default
		keep = append(keep, a)
	}
	if len(keep) > 1 && !hasDefault {
		copied := *keep[0]
		copied.Default = true
		keep[0] = &copied
	}
	if len(keep) > 0 {
		if d.Library, err = bot.NewLibrary(keep...); err != nil {
			d.Library = nil
			d.Problems = append(d.Problems, Problem{File: ".", Message: err.Error()})
		}
	}
	return d, nil
}

// File returns the file the article with the given id is read from, or "".
func (d *Draft) File(articleID string) string {
	for _, pl := range d.places {
		if pl.Article == articleID {
			return pl.File
		}
	}
	return ""
}

// Where says which article and section of the draft p concerns: the
// section whose heading is at or above its line in its file, or the
// article's front matter above the first. Both are "" for a problem with
// the folder or a file that has no article.
func (d *Draft) Where(p Problem) (article, section string) {
	for _, pl := range d.places {
		if pl.File == p.File && pl.Line <= max(p.Line, 1) {
			article, section = pl.Article, pl.Section
		}
	}
	return article, section
}
