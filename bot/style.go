package bot

import (
	"strings"
	"unicode"
)

// Style is how a reader wants a section rewritten. The zero Style keeps the
// curated text's own style (a translation may still be asked for).
type Style string

const (
	StyleCurated Style = ""        // as the editor wrote it
	StyleBrief   Style = "brief"   // a few sentences
	StyleBullets Style = "bullets" // a bullet list
	StyleSimple  Style = "simple"  // plain words, short sentences
	StyleFormal  Style = "formal"  // a formal register
)

// Styles returns the styles a reader may choose, in the order offered.
func Styles() []Style { return []Style{StyleBrief, StyleBullets, StyleSimple, StyleFormal} }

// Label is the style's name in a choice list.
func (s Style) Label() string {
	switch s {
	case StyleBrief:
		return "Brief"
	case StyleBullets:
		return "Bullet points"
	case StyleSimple:
		return "Simple"
	case StyleFormal:
		return "Formal"
	case StyleCurated:
		return "As written"
	}
	return string(s)
}

// styleWords are the words a reader might type for each style.
var styleWords = map[string]Style{
	"brief": StyleBrief, "briefly": StyleBrief, "short": StyleBrief, "shorter": StyleBrief,
	"summary": StyleBrief, "summarise": StyleBrief, "summarize": StyleBrief, "tldr": StyleBrief,
	"tl;dr": StyleBrief, "concise": StyleBrief,
	"bullets": StyleBullets, "bullet": StyleBullets, "bulleted": StyleBullets, "points": StyleBullets,
	"bullet-points": StyleBullets, "bulletpoints": StyleBullets,
	"simple": StyleSimple, "simply": StyleSimple, "simpler": StyleSimple, "simplified": StyleSimple,
	"simplify": StyleSimple, "plain": StyleSimple, "plainly": StyleSimple, "easy": StyleSimple,
	"easier": StyleSimple, "eli5": StyleSimple,
	"formal": StyleFormal, "formally": StyleFormal, "formaler": StyleFormal,
}

// ParseStyle reads a style option or a word a reader typed: "simple",
// "simply", "simpler", "bullet points", "short", "brief", "formal". An empty
// string is StyleCurated.
func ParseStyle(s string) (Style, error) {
	key := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if key == "" || key == "curated" || key == "as written" {
		return StyleCurated, nil
	}
	if key == "bullet points" {
		return StyleBullets, nil
	}
	if st, ok := styleWords[key]; ok {
		return st, nil
	}
	return "", Errorf(Invalid, "There is no style %q; choose brief, bullets, simple or formal.", strings.TrimSpace(s))
}

// SplitStyle reads the words a reader may add to a question in a DM or
// the console — "energy simply", "summary in Spanish", "security as bullet
// points in ru" — and returns the rest of the text with those words removed,
// and the style and language they ask for. "summary" alone asks for a brief
// style; what an empty rest means is the caller's choice.
func SplitStyle(text string) (rest string, style Style, lang Language) {
	words := strings.Fields(text)
	keep := make([]bool, len(words))
	bare := func(i int) string {
		if i < 0 || i >= len(words) {
			return ""
		}
		return strings.ToLower(strings.TrimFunc(words[i], func(r rune) bool {
			return unicode.IsPunct(r) && r != ';' && r != '-'
		}))
	}
	for i := range words {
		keep[i] = true
	}
	drop := func(from, to int) {
		for j := from; j <= to; j++ {
			keep[j] = false
		}
		// a filler word before: "as bullets", "in short", "more simply", "in plain"
		if from > 0 && keep[from-1] {
			switch bare(from - 1) {
			case "as", "in", "more", "but", "en", "на", "auf":
				keep[from-1] = false
			}
		}
	}
	for i := 0; i < len(words); i++ {
		if !keep[i] {
			continue
		}
		w := bare(i)
		pair := w + " " + bare(i+1)
		switch {
		case pair == "bullet points" || pair == "plain english" || pair == "plain language" || pair == "plain words":
			style = StyleSimple
			if w == "bullet" {
				style = StyleBullets
			}
			drop(i, i+1)
			i++
		case styleWords[w] != "":
			style = styleWords[w]
			drop(i, i)
		default:
			if l, ok := LookupLanguage(pair); ok && strings.Contains(pair, " ") && bare(i+1) != "" {
				lang = l
				drop(i, i+1)
				i++
				continue
			}
			if l, ok := readerLanguage(w, bare(i-1)); ok {
				lang = l
				drop(i, i)
			}
		}
	}
	var out []string
	for i, w := range words {
		if keep[i] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " "), style, lang
}

// readerLanguage reads w as a language a reader asks for. A name counts on
// its own ("spanish"); a bare code only after a preposition ("in ru"), and
// not the codes that are also everyday English words ("in it").
func readerLanguage(w, before string) (Language, bool) {
	if w == "" {
		return Language{}, false
	}
	if l, ok := LookupLanguage(w); ok && !strings.EqualFold(w, l.Code) {
		return l, true
	}
	switch before {
	case "in", "en", "на", "auf", "em":
	default:
		return Language{}, false
	}
	switch w {
	case "it", "no", "he", "id", "hi":
		return Language{}, false
	}
	return LanguageByCode(w)
}
