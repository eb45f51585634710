package ask

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/answer"
	"github.com/briefbot/briefbot/bot/rewrite"
)

// An answer reads:
//
//	> **The plan:** The agreement prioritizes joint initiatives within OPEC+ …
//	**[1]** `/energy` · Energy: oil, gas and OPEC+
//
//	> Venezuela’s oil production has stagnated …
//	**[2]** `/skeptic` · The skeptical view · per Reuters
//
// with a button that opens each section quoted and a row of related
// sections. A composed answer goes above the statements, its sentences
// ending with the numbers of the statements they rest on.

// view is what every form of one answer shares: the statements as cited,
// the title, the buttons and the footer.
type view struct {
	title   string
	sources []string // each statement with its source line
	footer  string
	buttons [][]bot.Button
}

// maxTitle is the most of a question shown as a reply's title.
const maxTitle = 200

func (a *Asker) view(r *bot.Request, question string, res answer.Result) *view {
	v := &view{title: questionTitle(question)}
	several := len(a.lib.Articles()) > 1
	var opened []bot.Button
	var articles []string
	for i, s := range res.Statements {
		art, err := a.lib.Article(s.Article)
		if err != nil {
			continue // the index is built from the library: it has them all
		}
		line := "**[" + strconv.Itoa(i+1) + "]** " + cite(a.lib, art, s.Section) + " · " + s.SectionTitle
		if several {
			line += " · " + bot.Clip(art.Title, 80)
		}
		if s.Outlet != "" && !strings.Contains(s.SectionTitle, s.Outlet) {
			line += " · per " + s.Outlet
		}
		v.sources = append(v.sources, quote(s.Text)+"\n"+line)
		if !containsString(articles, art.Title) {
			articles = append(articles, art.Title)
		}
		id := bot.ComponentID{Action: bot.ActionSection, Article: art.ID, Section: s.Section}.Encode()
		if !hasButton(opened, id) && len(opened) < 3 {
			b := bot.Button{Label: bot.Clip("Open /"+s.Section+": "+s.SectionTitle, bot.MaxButtonLabel), ID: id}
			if len(opened) == 0 {
				b.Style = bot.Primary
			}
			opened = append(opened, b)
		}
	}
	if len(opened) > 0 {
		v.buttons = append(v.buttons, opened)
	}
	if len(res.Statements) > 0 {
		first := res.Statements[0]
		if art, err := a.lib.Article(first.Article); err == nil {
			if row := related(art, art.Section(first.Section), opened); len(row) > 0 {
				v.buttons = append(v.buttons, row)
			}
		}
	}
	v.footer = bot.Clip("From "+strings.Join(articles, "; "), 300)
	return v
}

// reply shows the answer: the statements, and above them the composed
// answer when there is one, or the composer's note.
func (v *view) reply(c rewrite.Composed) *bot.Reply {
	r := &bot.Reply{Title: v.title, Content: c.Note, Footer: v.footer, Buttons: v.buttons}
	footer := v.footer
	var body strings.Builder
	if c.Text != "" {
		body.WriteString(c.Text)
		body.WriteString("\n\n")
		footer = c.Provenance() + " · " + v.footer
	}
	// The statements are quoted whole; the rare one that would not fit
	// beside the others is left out, and one that fits nowhere is cut.
	room := bot.MaxEmbedDescription - bot.Len(body.String())
	for i, s := range v.sources {
		n := bot.Len(s) + 2
		if n > room {
			if i == 0 {
				body.WriteString(bot.Clip(s, room-2))
			}
			break
		}
		if i > 0 {
			body.WriteString("\n\n")
		}
		body.WriteString(s)
		room -= n
	}
	r.Body = strings.TrimSpace(body.String())
	r.Footer = bot.Clip(footer, bot.MaxFooter)
	if bot.Len(r.Title)+bot.Len(r.Body)+bot.Len(r.Footer) > bot.MaxEmbedTotal {
		r.Footer = bot.Clip(r.Footer, 100)
	}
	return r
}

// quote marks a statement as the article's words, line by line.
func quote(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		l = strings.TrimPrefix(strings.TrimPrefix(l, "> "), ">")
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// cite names a section as a reader would ask for it: /energy, with the
// article when it is not the default.
func cite(lib *bot.Library, a *bot.Article, section string) string {
	if a == lib.Default() {
		return "`/" + section + "`"
	}
	return "`/" + section + " article:" + a.ID + "`"
}

// questionTitle is a question as a reply's title: on one line, clipped.
func questionTitle(q string) string {
	q = strings.Join(strings.FieldsFunc(q, unicode.IsSpace), " ")
	return bot.Clip(q, maxTitle)
}

// related are the sections to offer after s: its Related list, or else
// the sections that follow it, leaving out those already offered.
func related(a *bot.Article, s *bot.Section, offered []bot.Button) []bot.Button {
	if s == nil {
		return nil
	}
	names := s.Related
	if len(names) == 0 {
		for i, x := range a.Sections {
			if x == s {
				for _, y := range a.Sections[i+1:] {
					names = append(names, y.Name)
				}
			}
		}
	}
	var row []bot.Button
	for _, name := range names {
		r := a.Section(name)
		if r == nil || len(row) == 3 {
			continue
		}
		id := bot.ComponentID{Action: bot.ActionSection, Article: a.ID, Section: r.Name}.Encode()
		if hasButton(offered, id) {
			continue
		}
		row = append(row, bot.Button{Label: bot.Clip(r.Title, bot.MaxButtonLabel), ID: id})
	}
	return row
}

func hasButton(row []bot.Button, id string) bool {
	for _, b := range row {
		if b.ID == id {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// refusal says that the articles do not answer the question, with up to
// three of the nearest sections; never a section picked at random.
func (a *Asker) refusal(r *bot.Request, question, article string, res answer.Result) *bot.Reply {
	subject := "The article doesn't say"
	if article == "" && len(a.lib.Articles()) > 1 {
		subject = "The articles don't say"
	}
	var body strings.Builder
	switch res.Refusal {
	case answer.Empty:
		body.WriteString("**Ask about something the article covers**: a person, a place or a topic, like “what does the deal say about oil?”")
	default:
		body.WriteString("**" + subject + ".** Nothing in it answers “" + bot.Clip(strings.Join(strings.Fields(question), " "), 150) + "”.")
	}
	reply := &bot.Reply{Unanswered: true}
	var row []bot.Button
	for _, n := range res.Nearest {
		if len(row) == 3 {
			break
		}
		art, err := a.lib.Article(n.Article)
		if err != nil || art.Section(n.Section) == nil {
			continue
		}
		row = append(row, bot.Button{
			Label: bot.Clip(n.Title, bot.MaxButtonLabel),
			ID:    bot.ComponentID{Action: bot.ActionSection, Article: art.ID, Section: n.Section}.Encode(),
		})
	}
	help := "/help"
	if r.Source == bot.FromConsole || r.Kind == bot.KindText {
		help = "help"
	}
	switch {
	case len(row) > 0 && r.Source == bot.FromConsole:
		var names []string
		for _, n := range res.Nearest[:len(row)] {
			names = append(names, "/"+n.Section)
		}
		body.WriteString("\n\nThe nearest sections: " + strings.Join(names, " ") + ". Type " + help + " to see them all.")
	case len(row) > 0:
		body.WriteString("\n\nThe nearest sections are below, or type " + help + " to see them all.")
		reply.Buttons = [][]bot.Button{row}
	default:
		body.WriteString("\n\nType " + help + " to see what it covers.")
	}
	reply.Body = body.String()
	return reply
}
