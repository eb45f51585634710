package bot

import "strings"

// Digest builds the scheduled briefing for an article: the headline and
// dateline, the summary, and a section of the day chosen by rotation, so
// that consecutive digests differ. Buttons open the section of the day in
// full and the rest of the article. The empty id is the default article.
func (b *Bot) Digest(articleID string, rotation int) (*Reply, error) {
	a, err := b.lib.Article(articleID)
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

	var body strings.Builder
	if line := strings.Trim(a.Dateline+", "+a.Date(), ", "); line != "" {
		body.WriteString("**" + line + "**\n\n")
	}
	body.WriteString(summary.Body)

	reply := &Reply{Title: a.Title, Footer: "briefbot digest · " + a.Title, Menu: sectionMenu(a, "", ComponentID{})}
	if len(others) > 0 {
		day := others[((rotation%len(others))+len(others))%len(others)]
		heading := "\n\n**Section of the day: " + day.Title + "**\n"
		room := MaxEmbedDescription - Len(body.String()) - Len(heading) - Len(moreMark)
		pages := Paginate(day.Body, max(room, 1))
		if room > 0 {
			body.WriteString(heading + pages[0])
			if len(pages) > 1 {
				body.WriteString(moreMark)
			}
		}
		id := ComponentID{Action: ActionSection, Article: a.ID, Section: day.Name}
		reply.Buttons = [][]Button{{{Label: "Read " + clip(day.Title, MaxButtonLabel-5), ID: id.Encode(), Style: Primary}}}
	}
	reply.Body = body.String()
	return reply, nil
}

// moreMark ends a section of the day that continues past the digest.
const moreMark = "\n\n*Continues: press the button below to read it all.*"
