package guard

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// Mentions and links.

var (
	pingRE      = regexp.MustCompile(`(?i)@(?:everyone|here)`)
	idMentionRE = regexp.MustCompile(`<(?:@[!&]?|#|/[^<>:\s]+:)\d+>`)
)

// handlesOf returns the bare @names of s, in order: an @ that follows no
// letter, digit or one of _.+-@, then a letter, digit or _, and what
// continues it. (An @ after a letter is an e-mail address's.)
func handlesOf(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '@')
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		if at > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:at])
			if handleRune(r) || strings.ContainsRune("+-@", r) {
				continue
			}
		}
		end := at + 1
		for end < len(s) {
			r, w := utf8.DecodeRuneInString(s[end:])
			if !handleRune(r) || end == at+1 && r == '.' {
				break
			}
			end += w
		}
		if h := strings.TrimRight(s[at+1:end], "."); h != "" {
			out = append(out, h)
		}
		i = end
	}
	return out
}

func handleRune(r rune) bool {
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// checkMentions refuses pings and the @names of output that are not among
// have, the source's (lowercased).
func checkMentions(c *problemList, have func() map[string]bool, output string) {
	if !strings.ContainsAny(output, "@<") {
		return
	}
	for _, m := range pingRE.FindAllString(output, maxProblems) {
		c.add(Mention, m, "the answer mentions "+m)
	}
	if strings.Contains(output, "<") {
		for _, m := range idMentionRE.FindAllString(output, maxProblems) {
			c.add(Mention, m, "the answer mentions "+m)
		}
	}
	if !strings.Contains(output, "@") {
		return
	}
	if strings.Contains(output, "<") {
		output = idMentionRE.ReplaceAllLiteralString(output, " ")
	}
	for _, h := range handlesOf(output) {
		if c.full() {
			return
		}
		l := strings.ToLower(h)
		if have()[l] || strings.HasPrefix(l, "everyone") || strings.HasPrefix(l, "here") {
			continue
		}
		c.add(Mention, "@"+h, "the answer mentions @"+h+", which the text does not")
	}
}

// A link is anything xurls finds — a URL with or without a scheme, a bare
// domain with a known top-level domain, an e-mail address — or a domain
// spelled out to get past a filter ("evil dot com"). Running xurls'
// expression over a whole text is slow, so it runs only over the words
// that could hold a link: those with a dot before a known top-level
// domain, "://", "@" or a scheme's colon.

type link struct {
	text     string
	from, to int // byte offsets
}

var noAuthority = func() map[string]bool {
	m := make(map[string]bool)
	for _, s := range xurls.SchemesNoAuthority {
		m[s] = true
	}
	return m
}()

var tlds = func() map[string]bool {
	m := make(map[string]bool)
	for _, t := range xurls.TLDs {
		m[strings.ToLower(t)] = true
	}
	for _, t := range xurls.PseudoTLDs {
		m[strings.ToLower(t)] = true
	}
	return m
}()

// linkish reports whether a word may hold a link.
func linkish(w string) bool {
	if strings.Contains(w, "://") || strings.Contains(w, "@") {
		return true
	}
	if i := strings.IndexByte(w, ':'); i > 0 && i < len(w)-1 && noAuthority[strings.ToLower(strings.TrimLeft(w[:i], "([<*_\"'"))] {
		return true // mailto:, tel:, magnet:
	}
	for i := 0; i < len(w); i++ {
		if w[i] != '.' || i == 0 {
			continue
		}
		j := i + 1
		for j < len(w) && (w[j] >= 'a' && w[j] <= 'z' || w[j] >= 'A' && w[j] <= 'Z' || w[j] >= 0x80) {
			j++
		}
		if j-i-1 >= 2 && tlds[strings.ToLower(w[i+1:j])] {
			return true
		}
		if j-i-1 >= 2 && strings.HasPrefix(strings.ToLower(w[i+1:]), "xn--") {
			return true
		}
	}
	return false
}

// maxWord is the longest run without spaces that is read for links; a
// longer one is refused as it is. maxLinkish is how many words that may
// hold a link are read; a text with more is refused as it is.
const (
	maxWord    = 2048
	maxLinkish = 256
)

// findLinks returns the links of s, at most limit of those not in known
// (nil: every link counts).
func findLinks(s string, known map[string]bool, limit int) (links []link, long []link) {
	re := xurls.Relaxed()
	memo := make(map[string][][]int)
	fresh, read := 0, 0
	counted := make(map[string]bool) // fresh links seen
	for i := 0; i < len(s); {
		for i < len(s) && isSpaceByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpaceByte(s[j]) {
			j++
		}
		w := s[i:j]
		if w != "" && linkish(w) {
			if len(w) > maxWord {
				long = append(long, link{text: clip(w, 60), from: i, to: j})
			} else {
				ms, ok := memo[w]
				if !ok {
					read++
					if limit > 0 && read > maxLinkish {
						long = append(long, link{text: clip(w, 60), from: i, to: j})
						break
					}
					ms = re.FindAllStringIndex(w, -1)
					memo[w] = ms
				}
				for _, m := range ms {
					l := link{text: w[m[0]:m[1]], from: i + m[0], to: i + m[1]}
					links = append(links, l)
					if k := normLink(l.text); known != nil && !known[k] && !counted[k] {
						counted[k] = true
						fresh++
					}
				}
			}
			if limit > 0 && fresh+len(long) >= limit {
				break
			}
		}
		i = j
	}
	return links, long
}

func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == '\v'
}

// normLink is the form links are compared in: no scheme, no www., no
// trailing punctuation, lowercase.
func normLink(l string) string {
	l = strings.ToLower(l)
	if _, rest, ok := strings.Cut(l, "://"); ok {
		l = rest
	}
	l = strings.TrimPrefix(l, "mailto:")
	l = strings.TrimPrefix(l, "www.")
	return strings.TrimRight(l, ".,;:!?)'/’»”")
}

// spelledDots are the words that stand for a dot in a spelled-out domain.
var spelledDots = words(`dot punto ponto point punkt точка`)

// spelledTLDs are the domains a spelled-out address ends in.
var spelledTLDs = words(`com net org io gg ru info biz xyz co me app dev site online top ly to tv cc su`)

// spelledLinks finds "evil dot com", "evil (dot) com", "evil . com".
func spelledLinks(d *doc) []string {
	var out []string
	ts := d.toks
	for i := 0; i < len(ts); i++ {
		if ts[i].kind != tokWord || !isASCII(ts[i].text) {
			continue
		}
		j := i + 1
		if !at(ts, j).inlineSpace() && !at(ts, j).is(tokPunct, "(", "[") {
			continue
		}
		// the dot: a word, a bracketed word, or a spaced full stop
		k := nextSolid(ts, j)
		bracket := at(ts, k).is(tokPunct, "(", "[", "{")
		if bracket {
			k++
		}
		isDot := at(ts, k).kind == tokWord && spelledDots[at(ts, k).text] || at(ts, k).is(tokPunct, ".") && at(ts, k-1).kind == tokSpace
		if !isDot {
			continue
		}
		k++
		if bracket {
			if !at(ts, k).is(tokPunct, ")", "]", "}") {
				continue
			}
			k++
		}
		if !at(ts, k).inlineSpace() {
			continue
		}
		k++
		if at(ts, k).kind == tokWord && spelledTLDs[at(ts, k).text] && !at(ts, k+1).is(tokWord) {
			out = append(out, joinRaw(ts, i, k))
			i = k
		}
	}
	return out
}

// checkLinks checks the links of output against known, the source's
// (normalised), and returns them, to be blanked out.
func checkLinks(c *problemList, known map[string]bool, output string) []link {
	links, long := findLinks(output, known, maxProblems)
	for _, l := range long {
		c.add(Link, l.text, fmt.Sprintf("the answer has a run of %d characters without a space, which may hide a link", l.to-l.from))
	}
	for _, l := range links {
		if !known[normLink(l.text)] {
			kind := "link"
			if strings.Contains(l.text, "@") && !strings.Contains(l.text, "://") {
				kind = "e-mail address"
			}
			c.add(Link, l.text, fmt.Sprintf("the answer has a %s the text lacks: %s", kind, l.text))
		}
	}
	return append(links, long...)
}

// checkSpelledLinks refuses domains spelled out to get past a filter,
// unless the source spells the same (srcSpelled, lowercased).
func checkSpelledLinks(c *problemList, srcSpelled map[string]bool, out *doc) {
	for _, l := range spelledLinks(out) {
		if !srcSpelled[strings.ToLower(l)] {
			c.add(Link, l, "the answer spells out a web address the text lacks: "+l)
		}
	}
}

// withoutMarkup blanks out the links (found in s) and id mentions of s,
// in one pass each.
func withoutMarkup(s string, all []link) string {
	if len(all) > 0 {
		s = blank(s, all)
	}
	if strings.Contains(s, "<") {
		s = idMentionRE.ReplaceAllLiteralString(s, " ")
	}
	return s
}

func blank(s string, all []link) string {
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, l := range sortedLinks(all) {
		if l.from < last {
			continue
		}
		b.WriteString(s[last:l.from])
		b.WriteByte(' ')
		last = l.to
	}
	b.WriteString(s[last:])
	return b.String()
}

func sortedLinks(ls []link) []link {
	slices.SortFunc(ls, func(a, b link) int { return a.from - b.from })
	return ls
}
