package answer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A section's body is Discord Markdown written to a few shapes (see the
// content guide): paragraphs that may open with a bold label ("**The
// plan:** …"), lists whose items may open with a bold lead ("- **2019** —
// …"), often after a paragraph that is only a label ("**The four
// pillars:**"), and block quotes followed by an attribution line ("—
// Dmitry Peskov, …"). Sentence splitting libraries are trained on prose
// and know none of this, so the splitter below is our own.

// piece is one statement as the splitter found it.
type piece struct {
	text    string // verbatim, as the section has it
	words   string // text without its pointers to other sections: what is indexed
	label   string // the bold label of its paragraph or list, without the ** and colon
	inLabel bool   // text begins with the label
	quote   bool   // a block quote with its attribution
}

// Pointers: "→ /skeptic" (and "· /reactions" after one) sends the reader to
// another section. A pointer is navigation, not something the statement
// says: its section's name is not indexed as a word of the statement, or
// "**2019** — … → /skeptic" would answer questions about skepticism. A
// statement made only of pointers (a "**See also:** … → /outlook · … →
// /skeptic" paragraph, a list item "**Energy** → /energy") is not indexed
// at all: its words describe the other section, which answers for itself,
// and quoting it would answer with a signpost. The reply offers related
// sections as buttons anyway.
var pointer = regexp.MustCompile(`\(?→\s*/[a-z0-9_-]+(?:\s*·\s*/[a-z0-9_-]+)*\)?`)

// seeAlso is the label of a paragraph of pointers.
const seeAlso = "see also"

// splitStatements cuts a section body into statements, leaving out those
// that are only pointers to other sections.
func splitStatements(body string) []piece {
	all := splitPieces(body)
	out := all[:0]
	for _, p := range all {
		p.words = strings.TrimSpace(pointer.ReplaceAllString(p.text, ""))
		_, rest := cutLabel(p.words)
		if strings.EqualFold(p.label, seeAlso) || !strings.ContainsFunc(rest, isWordRune) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// splitPieces cuts a section body into statements.
func splitPieces(body string) []piece {
	var out []piece
	listLabel := ""
	for _, block := range blocks(body) {
		lines := strings.Split(block, "\n")
		if strings.HasPrefix(lines[0], ">") {
			out = append(out, piece{text: block, quote: true})
			listLabel = ""
			continue
		}
		// A block is runs of paragraph lines and of list items, in any
		// order: "**The four pillars:**" may sit right above its list.
		for len(lines) > 0 {
			if isListItem(lines[0]) {
				item := strings.TrimSpace(lines[0])
				if isNumbered(item) {
					_, item, _ = strings.Cut(item, " ")
				} else {
					item = strings.TrimSpace(item[strings.IndexByte(item, ' '):])
				}
				if item != "" {
					out = append(out, piece{text: item, label: listLabel})
				}
				lines = lines[1:]
				continue
			}
			n := 1
			for n < len(lines) && !isListItem(lines[n]) {
				n++
			}
			para := strings.TrimSpace(strings.Join(lines[:n], " "))
			lines = lines[n:]
			label, rest := cutLabel(para)
			listLabel = label
			if strings.TrimSpace(rest) == "" && label != "" {
				continue // a paragraph that is only a label heads the list after it
			}
			for i, s := range sentences(para, len(para)-len(rest)) {
				out = append(out, piece{text: s, label: label, inLabel: i == 0 && label != ""})
			}
		}
	}
	return out
}

// blocks splits text at blank lines, trimming each block.
func blocks(text string) []string {
	var out []string
	for _, b := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

func isListItem(line string) bool {
	line = strings.TrimSpace(line)
	return strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "• ") || isNumbered(line)
}

func isNumbered(line string) bool {
	line = strings.TrimSpace(line)
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' '
}

// cutLabel splits "**The plan:** text" into "The plan" and " text".
func cutLabel(para string) (label, rest string) {
	if !strings.HasPrefix(para, "**") {
		return "", para
	}
	inner, after, ok := strings.Cut(para[2:], "**")
	if !ok {
		return "", para
	}
	// "**Reuters** — …": a lead without a colon is a label too.
	label = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(inner), ":"))
	after = strings.TrimLeft(after, ":")
	return label, after
}

// sentences splits a paragraph into sentences, never cutting before from
// (the end of its label). Each sentence is verbatim, trimmed.
func sentences(para string, from int) []string {
	var out []string
	start := 0
	for i := from; i < len(para); {
		r, size := utf8.DecodeRuneInString(para[i:])
		i += size
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		end := i
		// Closing quotes and brackets stay with the sentence.
		for end < len(para) {
			c, n := utf8.DecodeRuneInString(para[end:])
			if c != '”' && c != '"' && c != '’' && c != ')' && c != ']' && c != '»' {
				break
			}
			end += n
		}
		if end >= len(para) || para[end] != ' ' {
			continue
		}
		next := strings.TrimLeft(para[end:], " ")
		if next == "" {
			break
		}
		c, _ := utf8.DecodeRuneInString(next)
		if !unicode.IsUpper(c) && !unicode.IsDigit(c) && c != '“' && c != '"' && c != '«' && c != '*' {
			continue
		}
		if r == '.' && isAbbreviation(para[start:i-1]) {
			continue
		}
		if s := strings.TrimSpace(para[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
		i = end
	}
	if s := strings.TrimSpace(para[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// isAbbreviation reports whether the text before a full stop ends in an
// abbreviation, such as the "S" of "U.S." or "Mr".
func isAbbreviation(before string) bool {
	word := before
	if i := strings.LastIndexAny(before, " (“\""); i >= 0 {
		word = before[i+1:]
	}
	if word == "" {
		return false
	}
	if strings.Contains(word, ".") {
		return true // "U.S", "e.g"
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r) // an initial
	}
	switch strings.ToLower(word) {
	case "mr", "mrs", "ms", "dr", "st", "vs", "jr", "sr", "no", "gen", "gov", "sen", "rep", "prof", "inc", "corp", "ltd", "co":
		return true
	}
	return false
}
