package console

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
	"golang.org/x/text/width"
)

// Format is how replies are written: wrapped at Width columns (0: not
// wrapped), and with bold, italics and underlines as a terminal shows them
// when Styled, else as plain text. Markdown marks never show as they are.
//
// The rendering is written here rather than taken from a terminal
// Markdown renderer (charmbracelet/glamour): the content uses Discord's
// handful of marks, not CommonMark, and glamour would bring a styling
// stack (goldmark, chroma, lipgloss, termenv) many times the size of this
// file, with its own wrapping and margins to undo for the plain form.
type Format struct {
	Width  int
	Styled bool
}

// Render writes r as plain text, unwrapped: Format{}.Render.
func Render(w io.Writer, r *bot.Reply) { Format{}.Render(w, r) }

// ANSI select graphic rendition codes, on and off.
const (
	boldOn, boldOff           = "\x1b[1m", "\x1b[22m"
	italicOn, italicOff       = "\x1b[3m", "\x1b[23m"
	underlineOn, underlineOff = "\x1b[4m", "\x1b[24m"
	dimOn, dimOff             = "\x1b[2m", "\x1b[22m"
)

// Render writes r for a terminal: the line above the answer, the title,
// the body with its Markdown rendered, the fields, one compact footer line
// and the buttons as one line of [labels]. The section menu is left out:
// help lists the sections, and a name typed opens one.
func (f Format) Render(w io.Writer, r *bot.Reply) {
	var b strings.Builder
	if r.Content != "" {
		b.WriteString(f.markdown(r.Content) + "\n")
		if r.Title != "" || r.Body != "" {
			b.WriteString("\n")
		}
	}
	if r.Title != "" {
		if f.Styled {
			b.WriteString(f.wrap(boldOn+r.Title+boldOff, "", "") + "\n")
		} else {
			b.WriteString(f.wrap("== "+r.Title+" ==", "", "") + "\n")
		}
		if r.TitleURL != "" { // where the story comes from, to open
			b.WriteString(f.dim(r.TitleURL) + "\n")
		}
		b.WriteString("\n")
	}
	if r.Body != "" {
		b.WriteString(f.markdown(r.Body) + "\n")
	}
	if len(r.Fields) > 0 {
		b.WriteString("\n")
		for _, fl := range r.Fields {
			b.WriteString(f.wrap(f.inline(fl.Name+": "+fl.Value), "", "  ") + "\n")
		}
	}
	if r.Footer != "" {
		b.WriteString("\n" + f.footer(r.Footer) + "\n")
	}
	var labels []string
	for _, row := range r.Buttons {
		for _, btn := range row {
			if !btn.Disabled {
				labels = append(labels, "["+strings.ReplaceAll(btn.Label, " ", "\u00a0")+"]")
			}
		}
	}
	if len(labels) > 0 {
		b.WriteString(strings.ReplaceAll(f.wrap(strings.Join(labels, " "), "", ""), "\u00a0", " ") + "\n")
	}
	for _, ch := range r.Choices {
		b.WriteString("- " + ch.Name + " (" + ch.Value + ")\n")
	}
	io.WriteString(w, b.String())
}

// footer is "— footer" on one line: when it is too long, its first part
// (the article's title) is shortened, then the end.
func (f Format) footer(footer string) string {
	line := "— " + footer
	if f.Width <= 0 || visibleWidth(line) <= f.Width {
		return f.dim(line)
	}
	parts := strings.Split(footer, " · ")
	if len(parts) > 1 {
		rest := " · " + strings.Join(parts[1:], " · ")
		if room := f.Width - visibleWidth("— …"+rest); room >= 10 {
			return f.dim("— " + clipTo(parts[0], room) + "…" + rest)
		}
	}
	return f.dim(clipTo(line, f.Width-1) + "…")
}

func (f Format) dim(s string) string {
	if f.Styled {
		return dimOn + s + dimOff
	}
	return s
}

// clipTo returns the longest start of s that fits in n columns, without
// the spaces it would end with.
func clipTo(s string, n int) string {
	w := 0
	for i, r := range s {
		w += runeWidth(r)
		if w > n {
			return strings.TrimRight(s[:i], " ,")
		}
	}
	return s
}

// markdown renders Discord's Markdown, block by block: paragraphs wrapped,
// list items with a bullet and a hanging indent, quotes and headings.
func (f Format) markdown(text string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			out = append(out, "")
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* ") || strings.HasPrefix(trimmed, "• "):
			_, item, _ := strings.Cut(trimmed, " ")
			out = append(out, f.wrap(f.inline(strings.TrimSpace(item)), "  • ", "    "))
		case orderedItem(trimmed) > 0:
			n := orderedItem(trimmed)
			marker := trimmed[:n]
			out = append(out, f.wrap(f.inline(strings.TrimSpace(trimmed[n:])), "  "+marker+" ", strings.Repeat(" ", len(marker)+3)))
		case trimmed == ">" || strings.HasPrefix(trimmed, "> "):
			bar := "  > "
			if f.Styled {
				bar = "  │ "
			}
			out = append(out, f.wrap(f.inline(strings.TrimSpace(strings.TrimPrefix(trimmed, ">"))), bar, bar))
		case strings.HasPrefix(trimmed, "#"):
			heading := strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
			out = append(out, f.wrap(f.inline("**"+heading+"**"), "", ""))
		default:
			out = append(out, f.wrap(f.inline(trimmed), "", ""))
		}
	}
	return strings.Join(out, "\n")
}

// orderedItem is the length of "12." that starts a numbered list item, or
// 0.
func orderedItem(line string) int {
	i := 0
	for i < len(line) && i < 3 && '0' <= line[i] && line[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(line) && line[i] == '.' && line[i+1] == ' ' {
		return i + 1
	}
	return 0
}

// inline renders the marks within a line: **bold**, __underline__,
// *italics*, `code`, ~~strike~~, ||spoilers|| and [links](url). Styled,
// the first three become the terminal's; plain, every mark goes and its
// text stays.
func (f Format) inline(s string) string {
	type mark struct{ open, on, off string }
	marks := []mark{
		{"**", boldOn, boldOff},
		{"__", underlineOn, underlineOff},
		{"~~", "", ""},
		{"||", "", ""},
		{"`", "", ""},
		{"*", italicOn, italicOff},
	}
	var b strings.Builder
	for len(s) > 0 {
		if s[0] == '\\' && len(s) > 1 && strings.ContainsRune("*_`~|[]\\", rune(s[1])) {
			b.WriteByte(s[1])
			s = s[2:]
			continue
		}
		if s[0] == '[' {
			if text, url, rest, ok := link(s); ok {
				b.WriteString(f.inline(text) + " (" + url + ")")
				s = rest
				continue
			}
		}
		matched := false
		for _, m := range marks {
			if !strings.HasPrefix(s, m.open) {
				continue
			}
			end := strings.Index(s[len(m.open):], m.open)
			// A mark opens only before a word and closes after one: "5 * 3"
			// and "a ** b" keep their stars.
			if end <= 0 || s[len(m.open)] == ' ' || s[len(m.open)+end-1] == ' ' {
				continue
			}
			inner := s[len(m.open) : len(m.open)+end]
			if m.open == "`" {
				b.WriteString(inner)
			} else if f.Styled && m.on != "" {
				b.WriteString(m.on + f.inline(inner) + m.off)
			} else {
				b.WriteString(f.inline(inner))
			}
			s = s[len(m.open)+end+len(m.open):]
			matched = true
			break
		}
		if !matched {
			_, n := utf8.DecodeRuneInString(s)
			b.WriteString(s[:n])
			s = s[n:]
		}
	}
	return b.String()
}

// link reads "[text](url)" at the start of s.
func link(s string) (text, url, rest string, ok bool) {
	close := strings.Index(s, "](")
	if close < 0 {
		return "", "", "", false
	}
	end := strings.IndexByte(s[close:], ')')
	if end < 0 {
		return "", "", "", false
	}
	return s[1:close], s[close+2 : close+end], s[close+end+1:], true
}

// wrap breaks s into lines of at most f.Width columns at spaces, the first
// line starting with first and the others with rest. A word longer than a
// line has a line of its own. Escape sequences take no room.
func (f Format) wrap(s, first, rest string) string {
	if f.Width <= 0 {
		return first + s
	}
	var b strings.Builder
	prefix := first
	line := 0
	for i, word := range strings.Split(s, " ") {
		w := visibleWidth(word)
		switch {
		case i == 0:
			b.WriteString(prefix)
			line = visibleWidth(prefix)
		case line+1+w > f.Width && line > visibleWidth(prefix):
			b.WriteString("\n" + rest)
			line = visibleWidth(rest)
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += w
	}
	return b.String()
}

// visibleWidth is how many columns s takes on a terminal: escape
// sequences none, wide characters two, combining marks none.
func visibleWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == '\x1b' {
			j := strings.IndexByte(s[i:], 'm')
			if j < 0 {
				break
			}
			i += j + 1
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeWidth(r)
		i += size
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case unicode.Is(unicode.Mn, r) || r == '\u200b':
		return 0
	case r >= 0x1F300 && r <= 0x1FAFF: // emoji: wide on every terminal that draws them
		return 2
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
