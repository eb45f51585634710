package guard

import (
	"fmt"
	"strings"
	"unicode"
)

// Quotations.

// A quotation is a span of a doc between quotation marks.
type quotation struct {
	from, to int    // tokens of the quoted text, [from, to)
	open     int    // the token of the opening mark
	text     string // the quoted text as written
}

// Marks: any double mark may close any double mark (models mix “ and "),
// single marks close only single ones, since the single closer is also
// the apostrophe. Guillemets and corner brackets have a fixed direction;
// the others are read by what stands around them.
const (
	doubleMarks = "\"“”„‟«»‹›「」『』`"
	singleMarks = "'‘’‚"
)

func markClass(t token) int {
	if t.kind != tokPunct {
		return 0
	}
	switch {
	case strings.Contains(doubleMarks, t.text):
		return 2
	case strings.Contains(singleMarks, t.text):
		return 1
	}
	return 0
}

// findQuotations finds the quotations of d, each within one line, and
// marks their tokens quoted. A mark with no partner before the line ends
// quotes nothing.
func findQuotations(d *doc) []quotation {
	ts := d.toks
	var out []quotation
	open, class := -1, 0
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if t.kind == tokSpace && strings.ContainsAny(t.raw, "\n\r") {
			open = -1
			continue
		}
		c := markClass(t)
		if c == 0 {
			continue
		}
		if t.text == "`" && at(ts, i+1).text == "`" { // a code fence is markup, not a quotation
			for i+1 < len(ts) && ts[i+1].text == "`" {
				i++
			}
			continue
		}
		prev, next := at(ts, i-1), at(ts, i+1)
		canOpen := t.text == "«" || t.text == "‹" || t.text == "「" || t.text == "『" || t.text == "„" || t.text == "‚" ||
			(prev.kind == tokSpace || prev.kind == tokPunct && !strings.Contains(".,;!?", prev.text) || i == 0) && next.kind != tokSpace
		canClose := t.text == "»" || t.text == "›" || t.text == "」" || t.text == "』" ||
			prev.kind != tokSpace && i > 0 && (next.kind != tokWord && next.kind != tokNum || i+1 >= len(ts))
		if c == 1 && prev.kind == tokWord && next.kind == tokWord {
			continue // an apostrophe: Russia’s
		}
		if open >= 0 && c == class && canClose && i > open+1 {
			out = append(out, quotation{from: open + 1, to: i, open: open, text: joinRaw(ts, open+1, i-1)})
			for k := open + 1; k < i; k++ {
				d.quoted[k] = true
			}
			open = -1
			continue
		}
		if open < 0 && canOpen && (c == 2 || prev.kind != tokWord) {
			open, class = i, c
		}
	}
	return out
}

// normQuote is the form quotations are compared in: lowercase, one kind of
// apostrophe, no quotation marks, single spaces, no punctuation at the ends.
func normQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case '“', '”', '„', '‟', '«', '»', '"', '「', '」', '『', '』', '‹', '›':
			continue
		case '‘', '’', '`', '´', '‚':
			r = '\''
		case ' ', '\n', '\t', '\r':
			space = true
			continue
		default:
			if r >= 0x80 && unicode.IsSpace(r) {
				space = true
				continue
			}
			r = unicode.ToLower(r)
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

// speechVerbs introduce what someone said.
var speechVerbs = words(`said says saying say told tells called calls calling call declared declares declaring
	described describes describing praised praising hailed hails hailing echoed echoing stated states noted notes
	warned warns added adds claimed claims argued insisted described termed branded wrote posted tweeted labelled labeled
	dijo dice afirmó afirma declaró declara calificó califica llamó describió elogió elogiaron celebró celebraron señaló
	aseguró sostuvo advirtió añadió agregó escribió
	disse diz afirmou declarou chamou classificou qualificou descreveu elogiou elogiaram celebrou saudou saudaram destacou
	déclaré déclare dit qualifié qualifie décrit salué salue affirmé affirme estimé souligné écrit
	sagte sagt erklärte erklärt nannte nennt bezeichnete bezeichnet lobte lobten feierte feierten betonte schrieb
	заявил заявила заявили сказал сказала сказали назвал назвала назвали охарактеризовал похвалил похвалили
	отметил отметила подчеркнул приветствовал приветствовали написал говорил говорит заявляет называет отмечает
	подчёркивает считает`)

// speakers returns the names that say quotation q: the names before the
// speech verb (or the colon) nearest before the quotation in its
// sentence; or, when a speech verb follows it ("…,” said Peskov), the
// names after it; or, for a block quotation, the names of the attribution
// line after it ("— Dmitry Peskov"). With none of those, the quotation
// has no speaker to check.
func speakers(d *doc, q quotation, names []name) []name {
	s := d.sent[q.open]
	verb := -1
	for i := q.open - 1; i >= 0 && d.sent[i] == s; i-- {
		t := d.toks[i]
		if d.quoted[i] {
			continue
		}
		if t.kind == tokWord && speechVerbs[t.text] || t.is(tokPunct, ":") && i == prevSolid(d.toks, q.open-1) {
			verb = i
			break
		}
	}
	after := -1
	for i := q.to + 1; i < len(d.toks) && d.sent[i] == s; i++ {
		if d.toks[i].kind == tokWord && speechVerbs[d.toks[i].text] && !d.quoted[i] {
			after = i
			break
		}
	}
	line := d.line[q.open]
	attribution := d.attributionLine(line + 1)
	var before, following, attributed []name
	for _, n := range names {
		if d.quoted[n.tok] {
			continue
		}
		switch {
		case d.sent[n.tok] == s && verb >= 0 && n.tok < verb:
			before = append(before, n)
		case d.sent[n.tok] == s && after >= 0 && n.tok > q.to:
			following = append(following, n)
		case attribution && d.line[n.tok] == line+1:
			attributed = append(attributed, n)
		}
	}
	switch {
	case len(before) > 0:
		return before
	case len(following) > 0:
		return following
	}
	return attributed
}

// attributionLine reports whether line l starts with a dash, as the line
// that names a block quotation's speaker does.
func (d *doc) attributionLine(l int32) bool {
	if l < 0 || int(l) >= len(d.lineFirst) {
		return false
	}
	i := d.lineFirst[l]
	return i >= 0 && d.toks[i].kind == tokPunct && strings.Contains("—–", d.toks[i].text)
}

// sameName reports whether a name of the rewrite is a name of the source.
func sameName(a, b name) bool {
	if strings.HasPrefix(a.id, "g:") || strings.HasPrefix(b.id, "g:") {
		return a.id == b.id
	}
	return similar(a.key, b.key)
}

// quoteWords returns the informative word keys of a quotation.
func quoteWords(d *doc, q quotation) []string {
	var out []string
	for i := q.from; i < q.to; i++ {
		if d.toks[i].kind == tokNum {
			out = append(out, d.toks[i].text)
		} else if d.informative(i) {
			out = append(out, d.toks[i].key)
		}
	}
	return out
}

// pairQuote returns the source quotation a translated quotation renders:
// the one sharing the most cognates and digits with it, if any shares one,
// and whether it is the only one sharing that many.
func pairQuote(out *doc, q quotation, src *doc) (quotation, bool, bool) {
	ow := quoteWords(out, q)
	best, bestN, tied := -1, 0, false
	for k, sq := range src.quotes {
		sw := quoteWords(src, sq)
		n := 0
		for _, a := range ow {
			for _, b := range sw {
				if cognate(a, b) {
					n++
					break
				}
			}
		}
		switch {
		case n > bestN:
			best, bestN, tied = k, n, false
		case n == bestN && n > 0:
			tied = true
		}
	}
	if best < 0 {
		return quotation{}, false, false
	}
	return src.quotes[best], true, !tied
}

// sourceQuoteOf returns the source quotation a verbatim quotation of the
// rewrite comes from, if it comes from one rather than from the source's
// own words.
func sourceQuoteOf(q string, src *doc) (quotation, bool) {
	p := normQuote(strings.Join(quoteParts(q), " "))
	for _, part := range quoteParts(q) {
		if np := normQuote(part); np != "" {
			p = np
			break
		}
	}
	for _, sq := range src.quotes {
		if strings.Contains(normQuote(sq.text), p) {
			return sq, true
		}
	}
	return quotation{}, false
}

func checkQuotes(c *problemList, s *Source, out *doc, outNames []name, translated bool) {
	src, srcNames := s.doc, s.names
	if !translated && len(src.quotes) > 0 {
		checkQuotedClaims(c, s, out, outNames)
	}
	if len(out.quotes) == 0 {
		return
	}
	normSource := s.quoted()
	memo := make(map[string]bool)
	long := 0
	for _, q := range out.quotes {
		if c.full() {
			return
		}
		nq := normQuote(q.text)
		if nq == "" {
			continue
		}
		ok, seen := memo[nq]
		if !seen {
			ok = verbatim(q.text, normSource)
			memo[nq] = ok
		}
		var sq quotation
		var paired bool
		sure := true
		switch {
		case ok:
			sq, paired = sourceQuoteOf(q.text, src)
		case !translated:
			c.add(Quote, q.text, fmt.Sprintf("the quotation %q is not in the text", strings.TrimSpace(q.text)))
			continue
		default:
			if len(strings.Fields(q.text)) < 3 || quotesAName(out, q, srcNames) {
				continue // a name or a title, which many typographies quote
			}
			long++
			sq, paired, sure = pairQuote(out, q, src)
			if !paired {
				c.add(Quote, q.text, fmt.Sprintf("the quotation %q renders no quotation of the text", strings.TrimSpace(q.text)))
				continue
			}
		}
		if paired && sure {
			checkSpeaker(c, src, out, sq, q, srcNames, outNames)
		}
	}
	if have := len(src.quotes); long > have {
		c.add(Quote, "", fmt.Sprintf("the answer has %d quotations the text does not have word for word; the text has only %d", long, have))
	}
}

// quotesAName reports whether a quotation holds only names the source
// has: «Рейтер», «Газпром», „Chevron“.
func quotesAName(d *doc, q quotation, srcNames []name) bool {
	words := 0
	for i := q.from; i < q.to; i++ {
		if d.toks[i].kind == tokWord {
			words++
		}
	}
	return words <= 3 && d.toks[q.from].upper
}

// checkSpeaker refuses a quotation given to another speaker than the
// source's: when the rewrite names who says it, one of those names must be
// among the source's speakers of that quotation.
func checkSpeaker(c *problemList, src, out *doc, sq, q quotation, srcNames, outNames []name) {
	said := speakers(src, sq, srcNames)
	by := speakers(out, q, outNames)
	if len(said) == 0 || len(by) == 0 {
		return
	}
	for _, b := range by {
		for _, s := range said {
			if sameName(b, s) {
				return
			}
		}
	}
	c.add(Speaker, by[0].text, fmt.Sprintf("the quotation %q is given to %s, but the text has another speaker say it", clip(strings.TrimSpace(q.text), 60), by[0].text))
}

// checkQuotedClaims refuses a phrase that the source only quotes, from a
// named speaker, when the rewrite says it in its own voice without the
// quotation marks and without the speaker.
func checkQuotedClaims(c *problemList, s *Source, out *doc, outNames []name) {
	src, srcNames := s.doc, s.names
	if len(src.quotes) == 0 {
		return
	}
	normOut := normUnquoted(out)
	normSrcUnquoted := s.unquoted()
	for _, sq := range src.quotes {
		said := speakers(src, sq, srcNames)
		p := plainWords(sq.text)
		if len(said) == 0 || len(strings.Fields(p)) < 3 || strings.Contains(normSrcUnquoted.text, p) {
			continue
		}
		at := strings.Index(normOut.text, p)
		if at < 0 {
			continue
		}
		// said in the rewrite's own voice unless a speaker of the source
		// stands in the same sentence
		s := normOut.sentAt(at)
		attributed := false
		for _, n := range outNames {
			if out.sent[n.tok] != s {
				continue
			}
			for _, sp := range said {
				if sameName(n, sp) {
					attributed = true
				}
			}
		}
		if !attributed {
			c.add(Quote, sq.text, fmt.Sprintf("the answer states %q as its own words; the text only quotes it", p))
		}
	}
}

// unquoted is a doc's text outside its quotations, normalised like
// quotations, with the sentence each byte comes from.
type unquoted struct {
	text  string
	sents []int32 // per byte of text
}

func (u unquoted) sentAt(i int) int32 { return u.sents[i] }

func normUnquoted(d *doc) unquoted {
	var b strings.Builder
	var sents []int32
	space := false
	for i, t := range d.toks {
		if d.quoted[i] || markClass(t) == 2 {
			space = true
			continue
		}
		if t.kind == tokSpace {
			space = true
			continue
		}
		if t.kind == tokPunct && unicode.IsPunct([]rune(t.text)[0]) && !strings.Contains("'’-", t.text) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			sents = append(sents, d.sent[i])
		}
		space = false
		s := t.text
		if t.text == "’" {
			s = "'"
		}
		b.WriteString(s)
		for range len(s) {
			sents = append(sents, d.sent[i])
		}
	}
	return unquoted{text: b.String(), sents: sents}
}

// plainWords is s in lowercase words separated by single spaces, without
// punctuation other than apostrophes and hyphens, as normUnquoted writes.
func plainWords(s string) string {
	var b strings.Builder
	for _, t := range tokenize(s, nil) {
		if t.kind == tokWord || t.kind == tokNum || t.kind == tokPunct && strings.Contains("'’-", t.text) {
			w := t.text
			if w == "’" {
				w = "'"
			}
			b.WriteString(w)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}
