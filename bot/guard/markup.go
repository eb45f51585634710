package guard

import (
	"regexp"
	"strings"
)

// Mentions and links.

var (
	pingRE      = regexp.MustCompile(`(?i)@(?:everyone|here)\b`)
	idMentionRE = regexp.MustCompile(`<(?:@[!&]?|#|/[^<>:\s]+:)\d+>`)
	handleRE    = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_.+\-@])@([\p{L}\p{N}_][\p{L}\p{N}_.]*)`)
	linkRE      = regexp.MustCompile(`(?i)(?:\b[a-z][a-z0-9+.\-]*://|\bwww\.)[^\s<>()\[\]{}"“”«»]+|\b(?:[a-z0-9\-]+\.)+[a-z]{2,}/[^\s<>()\[\]{}"“”«»]*`)
)

// findLinks returns the links in s. Most texts have none; the cheap test
// first spares them the regular expression.
func findLinks(s string) []string {
	if !strings.Contains(s, "/") && !strings.Contains(strings.ToLower(s), "www.") {
		return nil
	}
	return linkRE.FindAllString(s, -1)
}

func handles(s string) map[string]bool {
	out := make(map[string]bool)
	if !strings.Contains(s, "@") {
		return out
	}
	for _, m := range handleRE.FindAllStringSubmatch(s, -1) {
		out[strings.ToLower(strings.TrimRight(m[1], "."))] = true
	}
	return out
}

func checkMentions(c *problemList, source, output string) {
	if !strings.ContainsAny(output, "@<") {
		return
	}
	for _, m := range pingRE.FindAllString(output, -1) {
		c.add(Mention, m, "the answer mentions "+m)
	}
	for _, m := range idMentionRE.FindAllString(output, -1) {
		c.add(Mention, m, "the answer mentions "+m)
	}
	have := handles(source)
	for _, m := range handleRE.FindAllStringSubmatch(idMentionRE.ReplaceAllLiteralString(output, " "), -1) {
		h := strings.ToLower(strings.TrimRight(m[1], "."))
		if h == "" || have[h] || h == "everyone" || h == "here" {
			continue
		}
		c.add(Mention, "@"+m[1], "the answer mentions @"+m[1]+", which the text does not")
	}
}

// withoutMarkup blanks out id mentions and links.
func withoutMarkup(s string) string {
	if strings.Contains(s, "<") {
		s = idMentionRE.ReplaceAllLiteralString(s, " ")
	}
	for _, l := range findLinks(s) {
		s = strings.Replace(s, l, " ", 1)
	}
	return s
}

// normLink is the form links are compared in: no scheme, no www., no
// trailing punctuation, lowercase.
func normLink(l string) string {
	l = strings.ToLower(l)
	if _, rest, ok := strings.Cut(l, "://"); ok {
		l = rest
	}
	l = strings.TrimPrefix(l, "www.")
	return strings.TrimRight(l, ".,;:!?)'/’»”")
}

func checkLinks(c *problemList, source, output string) {
	have := make(map[string]bool)
	for _, l := range findLinks(source) {
		have[normLink(l)] = true
	}
	for _, l := range findLinks(output) {
		if !have[normLink(l)] {
			c.add(Link, l, "the answer has a link the text lacks: "+l)
		}
	}
}
