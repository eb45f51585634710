package guard

import (
	"fmt"
	"strings"
	"unicode"
)

// Quotations.

var quoteClosers = map[rune]string{
	'“': "”", '"': `"`, '«': "»", '„': "“”", '‘': "’", '「': "」", '『': "』", '‹': "›",
}

// quotations returns the quoted spans of s.
func quotations(s string) []string {
	rs := []rune(s)
	var out []string
	exhausted := make(map[rune]bool) // openers with no closer after them
	for i := 0; i < len(rs); i++ {
		closers, ok := quoteClosers[rs[i]]
		if !ok || exhausted[rs[i]] {
			continue
		}
		j := i + 1
		for j < len(rs) && !strings.ContainsRune(closers, rs[j]) {
			j++
		}
		if j == len(rs) {
			exhausted[rs[i]] = true
			continue
		}
		out = append(out, string(rs[i+1:j]))
		i = j
	}
	return out
}

// normQuote is the form quotations are compared in: lowercase, one kind of
// apostrophe, no quotation marks, single spaces, no punctuation at the ends.
func normQuote(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '“' || r == '”' || r == '„' || r == '«' || r == '»' || r == '"' || r == '「' || r == '」' || r == '『' || r == '』' || r == '‹' || r == '›':
			continue
		case r == '‘' || r == '’' || r == '`' || r == '´':
			r = '\''
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimFunc(b.String(), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// quoteParts splits a quotation at its ellipses: “weighty … document”
// quotes two parts of the source.
func quoteParts(q string) []string {
	for _, e := range []string{"[…]", "[...]", "(…)", "(...)", "..."} {
		q = strings.ReplaceAll(q, e, "…")
	}
	return strings.Split(q, "…")
}

func verbatim(q, normSource string) bool {
	for _, part := range quoteParts(q) {
		if p := normQuote(part); p != "" && !strings.Contains(normSource, p) {
			return false
		}
	}
	return true
}

func checkQuotes(c *problemList, source, output string, translated bool) {
	normSource := normQuote(source)
	long := 0
	for _, q := range quotations(output) {
		if verbatim(q, normSource) {
			continue
		}
		if !translated {
			c.add(Quote, q, fmt.Sprintf("the quotation %q is not in the text", strings.TrimSpace(q)))
			continue
		}
		if len(strings.Fields(q)) >= 3 {
			long++
		}
	}
	if have := len(quotations(source)); long > have {
		c.add(Quote, "", fmt.Sprintf("the answer has %d quotations the text does not have word for word; the text has only %d", long, have))
	}
}
