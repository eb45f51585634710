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

// builtins is how many slash commands the bot adds to the sections: help,
// about, digest and ask.
const builtins = 4

// Load reads every *.md file at the top of fsys as an article, checks each
// and all of them together, and returns the library. Invalid content gives
// a Problems error listing everything wrong, not just the first thing.
func Load(fsys fs.FS) (*bot.Library, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Problems{{File: ".", Message: "no article files: add a Markdown file (*.md) with front matter and ## sections"}}
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
	}
	if len(articles) > 1 && firstDefault == "" {
		problems = append(problems, Problem{File: names[0], Line: 1, Message: "no article is marked default: add default: true to the front matter of the article to answer when none is named"})
	}
	if n := len(commands) + builtins; n > maxCommands {
		problems = append(problems, Problem{File: ".", Message: fmt.Sprintf("the articles use %d distinct section names; with the built-in commands that is %d slash commands, and Discord allows %d", len(commands), n, maxCommands)})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return bot.NewLibrary(articles...)
}
