package bot

import (
	"context"
	"strings"
)

// DigestRequest asks for one digest of an article.
type DigestRequest struct {
	// ArticleID is the article; "" is the default one.
	ArticleID string
	// Rotation picks the section of the day, so that consecutive digests
	// differ: a subscription's count of digests posted.
	Rotation int64
	// Style and Language ask for the digest rephrased; the zero values
	// keep the curated text.
	Style    Style
	Language Language
	// GuildID and UserID say whose budget a rephrasing is spent from: the
	// guild's, or for a DM digest (GuildID "") the user's.
	GuildID string
	UserID  string
}

// DigestRequest returns the request for the subscription's next digest:
// its article, rotation, style and language. A style or language no longer
// known is an Invalid error.
func (sub *Subscription) DigestRequest() (DigestRequest, error) {
	style, lang, err := styleOptions(sub.Style, sub.Language)
	if err != nil {
		return DigestRequest{}, err
	}
	return DigestRequest{
		ArticleID: sub.ArticleID, Rotation: sub.Rotation, Style: style, Language: lang,
		GuildID: sub.GuildID, UserID: sub.UserID,
	}, nil
}

// Digest builds the scheduled briefing for an article: the headline and
// dateline, the summary, and a section of the day chosen by rotation, so
// that consecutive digests differ. A button opens the section of the day in
// full and a menu the rest of the article, each in a message of its own for
// whoever clicks, so that the digest stays as it is for everyone else.
//
// With a style or language, the summary and the section of the day are
// rephrased through the Bot's Rewriter, waiting for it: a digest has no
// three-second rule. When the Rewriter cannot, the digest keeps the
// curated text and says why in its first line.
func (b *Bot) Digest(ctx context.Context, req DigestRequest) (*Reply, error) {
	a, err := b.lib.Article(req.ArticleID)
	if err != nil {
		return nil, err
	}
	summary := a.Sections[0]
	var others []*Section
	for _, s := range a.Sections {
		if s != summary {
			others = append(others, s)
		}
	}
	var day *Section
	if len(others) > 0 {
		n := int64(len(others))
		day = others[((req.Rotation%n)+n)%n]
	}

	how := ComponentID{Style: string(req.Style), Language: req.Language.Code}
	summaryText, dayText := summary.Body, ""
	if day != nil {
		dayText = day.Body
	}
	var notes, models []string
	if req.Style != StyleCurated || !req.Language.IsZero() {
		for _, part := range []struct {
			s    *Section
			text *string
		}{{summary, &summaryText}, {day, &dayText}} {
			if part.s == nil {
				continue
			}
			rw := b.rw.Rewrite(ctx, RewriteRequest{
				Passage:   Passage{ArticleID: a.ID, ArticleVersion: a.Version, Section: part.s.Name, Title: part.s.Title, Text: part.s.Body},
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
	room := MaxEmbedDescription - Len(body.String())
	if Len(summaryText) > room {
		summaryText = Paginate(summaryText, max(room-Len(summaryMoreMark), 1))[0] + summaryMoreMark
	}
	body.WriteString(summaryText)

	footer := "briefbot digest · " + a.Title
	if req.Style != StyleCurated {
		footer += " · " + req.Style.Label()
	}
	if !req.Language.IsZero() {
		footer += " · " + req.Language.Native
	}
	for _, m := range models {
		footer += " · " + m
	}
	pick := how
	pick.Action = ActionDigestPick
	reply := &Reply{Content: strings.Join(notes, "\n"), Title: a.Title, Footer: footer, Menu: sectionMenu(a, "", pick)}
	if day != nil {
		heading := "\n\n**Section of the day: " + day.Title + "**\n"
		room := MaxEmbedDescription - Len(body.String()) - Len(heading) - Len(moreMark)
		if room > 0 {
			pages := Paginate(dayText, room)
			body.WriteString(heading + pages[0])
			if len(pages) > 1 {
				body.WriteString(moreMark)
			}
		}
		id := how
		id.Action, id.Article, id.Section = ActionDigestSection, a.ID, day.Name
		reply.Buttons = [][]Button{{{Label: "Read " + clip(day.Title, MaxButtonLabel-5), ID: id.Encode(), Style: Primary}}}
	}
	reply.Body = body.String()
	return reply, nil
}

// SubscriptionDigest builds the next digest of sub, as Digest does.
func (b *Bot) SubscriptionDigest(ctx context.Context, sub *Subscription) (*Reply, error) {
	req, err := sub.DigestRequest()
	if err != nil {
		return nil, err
	}
	return b.Digest(ctx, req)
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
