// Package preview is the editor's view of briefbot: a local web page that
// shows every article, section and page, /help, /about and the next digest
// as Discord shows them — the embed with its colour bar and title link,
// bold and lists, fields, footer, buttons and menu — at desktop and phone
// width, with the content's problems beside the sections they concern,
// and that refreshes itself when the content changes.
//
// It renders the core's replies, the very ones Discord is sent, asked for
// with the requests a reader's commands and clicks would make; never the
// content files themselves. It is an adapter like the Discord one, on
// net/http and html/template, with its page and script built in.
package preview

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/briefbot/briefbot/bot"
)

// Snapshot is the content as the page shows it at one moment.
type Snapshot struct {
	// Version changes whenever anything shown does: the page reloads
	// itself when it changes.
	Version  string
	Source   string // where the content is read from, for the header
	Articles []Article
	// Problems are those of no article's sections: of the folder, or of
	// a file with no article to show.
	Problems []Problem
	// Invalid says that briefbot would refuse this content: a running
	// bot keeps the last valid version. Problems says why.
	Invalid bool
	// Count is how many problems there are in all.
	Count int
}

// Article is one article and its replies.
type Article struct {
	ID, Title, File string
	Default         bool
	Help, About     Message
	Digest          Message
	Sections        []Section
	Problems        []Problem // of the front matter, or of sections not shown
}

// Section is one section command's replies, a message per page.
type Section struct {
	Name, Title string
	Pages       []Message
	Problems    []Problem
}

// Message is one reply as Discord would show it, or why there is none.
type Message struct {
	Command string // what the reader typed, e.g. "/energy"
	Reply   *bot.Reply
	Error   string // the message the reader would see instead
}

// Problem is one thing wrong with the content, where it is.
type Problem struct {
	File    string
	Line    int
	Message string
	// Article and Section are those the problem concerns; "" for none.
	Article, Section string
}

// Where is file:line, or the file alone.
func (p Problem) Where() string {
	if p.Line == 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

// DigestFunc makes the next digest of an article, as the scheduler would.
type DigestFunc func(ctx context.Context, articleID string) (*bot.Reply, error)

// Input is what a Snapshot is built from.
type Input struct {
	Handler  bot.Handler       // the core, as transports answer with it
	Library  *bot.Library      // the articles to show; nil: none could be read
	Digest   DigestFunc        // the next digest of an article; nil: none shown
	Problems []Problem         // the content's problems, each with its article and section
	Files    map[string]string // article id → the file it is read from
	Source   string            // where the content is read from
}

// Build asks in.Handler for every reply of every article — /help, /about,
// each section and each of its pages (by pressing its Next button, as a
// reader does), and the next digest — and places each problem beside its
// section, or its article.
func Build(ctx context.Context, in Input) Snapshot {
	snap := Snapshot{Source: in.Source}
	if in.Library != nil {
		for _, a := range in.Library.Articles() {
			art := buildArticle(ctx, in.Handler, a, in.Digest)
			art.File = in.Files[a.ID]
			snap.Articles = append(snap.Articles, art)
		}
	}
	for _, p := range in.Problems {
		snap.place(p)
	}
	snap.Count = len(in.Problems)
	snap.Invalid = len(in.Problems) > 0
	snap.Version = version(snap)
	return snap
}

func buildArticle(ctx context.Context, h bot.Handler, a *bot.Article, digest DigestFunc) Article {
	art := Article{ID: a.ID, Title: a.Title, Default: a.Default}
	opt := map[string]string{bot.OptArticle: a.ID}
	ask := func(label, command string) Message {
		return answer(ctx, h, label, &bot.Request{Kind: bot.KindCommand, Command: command, Options: opt})
	}
	art.Help = ask("/help article:"+a.ID, bot.CommandHelp)
	art.About = ask("/about article:"+a.ID, bot.CommandAbout)
	for _, s := range a.Sections {
		sec := Section{Name: s.Name, Title: s.Title}
		m := ask("/"+s.Name+" article:"+a.ID, s.Name)
		sec.Pages = append(sec.Pages, m)
		// Turn the pages as a reader does, with the Next button, as far
		// as there are pages (and no further than Discord would allow).
		for page := 2; m.Reply != nil && page <= bot.MaxPages; page++ {
			next := nextButton(m.Reply)
			if next == nil {
				break
			}
			m = answer(ctx, h, fmt.Sprintf("/%s, page %d (Next ▶)", s.Name, page), &bot.Request{Kind: bot.KindComponent, CustomID: next.ID})
			sec.Pages = append(sec.Pages, m)
		}
		art.Sections = append(art.Sections, sec)
	}
	if digest != nil {
		art.Digest = Message{Command: "posted by the digest scheduler"}
		if r, err := digest(ctx, a.ID); err != nil {
			art.Digest.Error = bot.UserMessage(err)
		} else {
			art.Digest.Reply = r
		}
	}
	return art
}

// answer asks h as a reader in a server would.
func answer(ctx context.Context, h bot.Handler, label string, r *bot.Request) Message {
	r.Source, r.GuildID, r.ChannelID = bot.FromGuild, "preview", "preview"
	r.User = bot.User{ID: "editor", Name: "editor"}
	m := Message{Command: label}
	reply, err := h.Answer(ctx, r)
	switch {
	case err != nil:
		m.Error = bot.UserMessage(err)
	case reply.Check() != nil:
		m.Reply, m.Error = reply, "Discord would refuse this reply: "+reply.Check().Error()
	default:
		m.Reply = reply
	}
	return m
}

// nextButton is the enabled Next button of a paged reply, or nil.
func nextButton(r *bot.Reply) *bot.Button {
	for _, row := range r.Buttons {
		for i := range row {
			c, err := bot.ParseComponentID(row[i].ID)
			if err == nil && c.Action == bot.ActionPage && row[i].Style == bot.Primary && !row[i].Disabled {
				return &row[i]
			}
		}
	}
	return nil
}

// place puts p beside its section, or its article, or the page's top.
func (s *Snapshot) place(p Problem) {
	for i := range s.Articles {
		a := &s.Articles[i]
		if a.ID != p.Article || p.Article == "" {
			continue
		}
		for j := range a.Sections {
			if a.Sections[j].Name == p.Section && p.Section != "" {
				a.Sections[j].Problems = append(a.Sections[j].Problems, p)
				return
			}
		}
		a.Problems = append(a.Problems, p)
		return
	}
	s.Problems = append(s.Problems, p)
}

// version is a hash of everything the snapshot shows.
func version(s Snapshot) string {
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
