package preview

import (
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Markdown renders Discord's flavour of Markdown as Discord shows it in a
// message or an embed: **bold**, *italics* and _italics_, __underline__,
// ~~strike~~, ||spoilers||, `code` and code blocks, > quotes, # headings
// and -# small print, - and 1. lists, [masked](links) and bare links,
// <t:…> timestamps and <#…> channels. Lines break where the text breaks,
// as in Discord. Everything else is text, escaped.
//
// No Markdown library renders Discord's flavour: CommonMark joins lines
// into paragraphs, has no underline or spoilers, and reads headings and
// lists where Discord does not; so this is its own, small and strict.
func Markdown(s string) template.HTML {
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var list []string // the open list tags, innermost last
	closeLists := func(depth int) {
		for len(list) > depth {
			b.WriteString("</li></" + list[len(list)-1] + ">")
			list = list[:len(list)-1]
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			closeLists(0)
			lang := strings.TrimPrefix(strings.TrimSpace(line), "```")
			var code []string
			if rest, ok := strings.CutSuffix(lang, "```"); ok && rest != "" { // ```one line```
				b.WriteString("<pre><code>" + html.EscapeString(rest) + "</code></pre>")
				continue
			}
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
				code = append(code, lines[i])
			}
			b.WriteString("<pre><code>" + html.EscapeString(strings.Join(code, "\n")) + "</code></pre>")
			continue
		}
		if rest, ok := strings.CutPrefix(line, ">>> "); ok {
			closeLists(0)
			b.WriteString("<blockquote>" + string(Markdown(strings.Join(append([]string{rest}, lines[i+1:]...), "\n"))) + "</blockquote>")
			break
		}
		if rest, ok := quoteLine(line); ok {
			closeLists(0)
			quoted := []string{rest}
			for i+1 < len(lines) {
				next, ok := quoteLine(lines[i+1])
				if !ok {
					break
				}
				quoted = append(quoted, next)
				i++
			}
			b.WriteString("<blockquote>" + string(Markdown(strings.Join(quoted, "\n"))) + "</blockquote>")
			continue
		}
		if m := listRE.FindStringSubmatch(line); m != nil {
			depth := len(m[1])/2 + 1
			tag := "ul"
			if m[2] != "-" && m[2] != "*" {
				tag = "ol"
			}
			switch {
			case depth >= len(list)+1: // deeper than one level in opens one level
				attr := ""
				if n, err := strconv.Atoi(strings.TrimSuffix(m[2], ".")); err == nil && tag == "ol" && n != 1 {
					attr = ` start="` + strconv.Itoa(n) + `"`
				}
				b.WriteString("<" + tag + attr + "><li>")
				list = append(list, tag)
			default:
				closeLists(depth)
				b.WriteString("</li><li>")
			}
			b.WriteString(inline(m[3]))
			continue
		}
		closeLists(0)
		switch {
		case strings.HasPrefix(line, "### "):
			b.WriteString("<h3>" + inline(line[4:]) + "</h3>")
		case strings.HasPrefix(line, "## "):
			b.WriteString("<h2>" + inline(line[3:]) + "</h2>")
		case strings.HasPrefix(line, "# "):
			b.WriteString("<h1>" + inline(line[2:]) + "</h1>")
		case strings.HasPrefix(line, "-# "):
			b.WriteString(`<small class="subtext">` + inline(line[3:]) + "</small>")
		default:
			b.WriteString(inline(line))
			if i < len(lines)-1 {
				b.WriteString("<br>")
			}
		}
	}
	closeLists(0)
	return template.HTML(b.String())
}

// quoteLine is a "> " line without its mark.
func quoteLine(line string) (string, bool) {
	if line == ">" {
		return "", true
	}
	return strings.CutPrefix(line, "> ")
}

var (
	listRE  = regexp.MustCompile(`^( *)([-*]|\d{1,9}\.) +(.*)$`)
	linkRE  = regexp.MustCompile(`\[([^\]\n]+)\]\((https?://[^)\s]+)\)`)
	urlRE   = regexp.MustCompile(`(^|[^"=])(https?://[^\s<>"]+[^\s<>".,;:!?)\]'])`)
	stampRE = regexp.MustCompile(`&lt;t:(-?\d+)(?::([tTdDfFR]))?&gt;`)
	chanRE  = regexp.MustCompile(`&lt;#(\d+)&gt;`)
	spans   = []struct {
		re   *regexp.Regexp
		open string
	}{
		{regexp.MustCompile(`\*\*\*(\S(?:.*?\S)?)\*\*\*`), "<strong><em>$1</em></strong>"},
		{regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*`), "<strong>$1</strong>"},
		{regexp.MustCompile(`__(\S(?:.*?\S)?)__`), "<u>$1</u>"},
		{regexp.MustCompile(`\*(\S(?:.*?\S)?)\*`), "<em>$1</em>"},
		{regexp.MustCompile(`(^|\W)_(\S(?:.*?\S)?)_(\W|$)`), "$1<em>$2</em>$3"},
		{regexp.MustCompile(`~~(\S(?:.*?\S)?)~~`), "<s>$1</s>"},
		{regexp.MustCompile(`\|\|(.+?)\|\|`), `<span class="spoiler">$1</span>`},
	}
)

// inline renders the spans of one line: code first, whose text is left as
// it is, then links, then emphasis.
func inline(s string) string {
	var b strings.Builder
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 { // an unclosed backtick is a backtick
		parts[len(parts)-2] += "`" + parts[len(parts)-1]
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		if i%2 == 1 {
			b.WriteString("<code>" + html.EscapeString(p) + "</code>")
			continue
		}
		b.WriteString(emphasis(html.EscapeString(p)))
	}
	return b.String()
}

func emphasis(s string) string {
	s = stampRE.ReplaceAllStringFunc(s, func(m string) string {
		sm := stampRE.FindStringSubmatch(m)
		sec, _ := strconv.ParseInt(sm[1], 10, 64)
		t := time.Unix(sec, 0).UTC()
		text := t.Format("January 2, 2006 15:04 UTC")
		if sm[2] == "R" {
			text = "(relative: " + t.Format("Jan 2, 15:04 UTC") + ")"
		}
		return `<span class="mention time">` + text + `</span>`
	})
	s = chanRE.ReplaceAllString(s, `<span class="mention">#channel-$1</span>`)
	// Links become placeholders while emphasis is read, so that the
	// underscores and stars of an address are left alone.
	var links []string
	hold := func(h string) string {
		links = append(links, h)
		return "\x00" + strconv.Itoa(len(links)-1) + "\x00"
	}
	s = linkRE.ReplaceAllStringFunc(s, func(m string) string {
		sm := linkRE.FindStringSubmatch(m)
		return hold(`<a href="` + sm[2] + `" title="` + sm[2] + `">` + sm[1] + `</a>`)
	})
	s = urlRE.ReplaceAllStringFunc(s, func(m string) string {
		sm := urlRE.FindStringSubmatch(m)
		return sm[1] + hold(`<a href="`+sm[2]+`">`+sm[2]+`</a>`)
	})
	for _, sp := range spans {
		s = sp.re.ReplaceAllString(s, sp.open)
	}
	for i, l := range links {
		s = strings.Replace(s, "\x00"+strconv.Itoa(i)+"\x00", l, 1)
	}
	return s
}
