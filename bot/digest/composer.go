package digest

import (
	"context"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// Request asks for one digest of an article.
type Request struct {
	// ArticleID is the article; "" is the default one.
	ArticleID string
	// Rotation picks the section of the day, so that consecutive digests
	// differ: a subscription's count of digests posted.
	Rotation int64
	// Style and Language ask for the digest rephrased; the zero values
	// keep the curated text.
	Style    bot.Style
	Language bot.Language
	// GuildID and UserID say whose budget a rephrasing is spent from: the
	// guild's, or for a DM digest (GuildID "") the user's.
	GuildID string
	UserID  string
}

// Request returns the request for the subscription's next digest: its
// article, rotation, style and language. A style or language no longer
// known is an Invalid error.
func (sub *Subscription) Request() (Request, error) {
	style, lang, err := bot.ParseStyleAndLanguage(sub.Style, sub.Language)
	if err != nil {
		return Request{}, err
	}
	return Request{
		ArticleID: sub.ArticleID, Rotation: sub.Rotation, Style: style, Language: lang,
		GuildID: sub.GuildID, UserID: sub.UserID,
	}, nil
}

// Composer makes digests from a library's articles, rewritten when a
// subscription asks for a style or a language.
type Composer struct {
	lib *bot.Library
	rw  bot.Rewriter
}

// NewComposer returns a Composer over lib; rw rewrites for subscriptions
// with a style or a language (nil is bot.RewritingOff).
func NewComposer(lib *bot.Library, rw bot.Rewriter) *Composer {
	if rw == nil {
		rw = bot.RewritingOff
	}
	return &Composer{lib: lib, rw: rw}
}

// Digest builds the scheduled briefing for an article: the headline and
// dateline, the summary, and a section of the day chosen by rotation, so
// that consecutive digests differ. A button opens the section of the day in
// full and a menu the rest of the article, each in a message of its own for
// whoever clicks, so that the digest stays as it is for everyone else.
//
// With a style or language, the summary and the section of the day are
// rewritten through the Composer's Rewriter, waiting for it: a digest has
// no three-second rule. When the Rewriter cannot, the digest keeps the
// curated text and says why in its first line.
func (c *Composer) Digest(ctx context.Context, req Request) (*bot.Reply, error) {
	a, err := c.lib.Article(req.ArticleID)
	if err != nil {
		return nil, err
	}
	summary := a.Sections[0]
	var others []*bot.Section
	for _, s := range a.Sections {
		if s != summary {
			others = append(others, s)
		}
	}
	var day *bot.Section
	if len(others) > 0 {
		n := int64(len(others))
		day = others[((req.Rotation%n)+n)%n]
	}

	how := bot.ComponentID{Style: string(req.Style), Language: req.Language.Code}
	summaryText, dayText := summary.Body, ""
	if day != nil {
		dayText = day.Body
	}
	var notes, models []string
	if req.Style != bot.StyleCurated || !req.Language.IsZero() {
		for _, part := range []struct {
			s    *bot.Section
			text *string
		}{{summary, &summaryText}, {day, &dayText}} {
			if part.s == nil {
				continue
			}
			rw := c.rw.Rewrite(ctx, bot.RewriteRequest{
				Passage:   bot.Passage{ArticleID: a.ID, ArticleVersion: a.Version, Section: part.s.Name, Title: part.s.Title, Text: part.s.Body},
				Style:     req.Style,
				Language:  req.Language,
				GuildID:   req.GuildID,
				UserID:    req.UserID,
				Scheduled: true,
			})
			*part.text = rw.Text
			if rw.Rewritten() {
				models = appendNew(models, rw.Provenance())
			} else if rw.Note != "" {
				notes = appendNew(notes, rw.Note)
			}
		}
	}

	var body strings.Builder
	if line := strings.Trim(a.Dateline+", "+a.Date(), ", "); line != "" {
		body.WriteString("**" + line + "**\n\n")
	}
	room := bot.MaxEmbedDescription - bot.Len(body.String())
	if bot.Len(summaryText) > room {
		summaryText = bot.Paginate(summaryText, max(room-bot.Len(summaryMoreMark), 1))[0] + summaryMoreMark
	}
	body.WriteString(summaryText)

	footer := "briefbot digest · " + a.Label()
	if req.Style != bot.StyleCurated {
		footer += " · " + req.Style.Label()
	}
	if !req.Language.IsZero() {
		footer += " · " + req.Language.Native
	}
	for _, m := range models {
		footer += " · " + m
	}
	pick := how
	pick.Action = bot.ActionDigestPick
	reply := &bot.Reply{Content: strings.Join(notes, "\n"), Title: a.Title, TitleURL: a.URL, Footer: footer, Menu: bot.SectionMenu(a, "", pick)}
	if day != nil {
		heading := "\n\n**Section of the day: " + day.Title + "**\n"
		room := bot.MaxEmbedDescription - bot.Len(body.String()) - bot.Len(heading) - bot.Len(moreMark)
		if room > 0 {
			pages := bot.Paginate(dayText, room)
			body.WriteString(heading + pages[0])
			if len(pages) > 1 {
				body.WriteString(moreMark)
			}
		}
		id := how
		id.Action, id.Article, id.Section = bot.ActionDigestSection, a.ID, day.Name
		reply.Buttons = [][]bot.Button{{{Label: "Read " + bot.Clip(day.Title, bot.MaxButtonLabel-5), ID: id.Encode(), Style: bot.Primary}}}
	}
	reply.Body = body.String()
	return reply, nil
}

// Subscription builds the next digest of sub, as Digest does.
func (c *Composer) Subscription(ctx context.Context, sub *Subscription) (*bot.Reply, error) {
	req, err := sub.Request()
	if err != nil {
		return nil, err
	}
	return c.Digest(ctx, req)
}

// Compose is the Composer as the Scheduler calls it: the digest for a slot
// of sub, the same whatever the slot.
func (c *Composer) Compose(ctx context.Context, sub *Subscription, _ time.Time) (*bot.Reply, error) {
	return c.Subscription(ctx, sub)
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// moreMark ends a section of the day that continues past the digest.
const moreMark = "\n\n*Continues: press the button below to read it all.*"

// summaryMoreMark ends a summary too long for the digest (a long
// rephrasing).
const summaryMoreMark = "\n\n*Continues: pick the first section in the menu below to read it all.*"
