package guard

import (
	"strings"
	"unicode"
)

// A doc is a text read once for every check: its tokens, and the
// sentences, clauses and lines they fall in.
type doc struct {
	text    string
	toks    []token
	sent    []int32  // per token: its sentence
	clause  []int32  // per token: its clause
	line    []int32  // per token: its line
	start   []bool   // per token: a word that starts a sentence, a line or a label
	quoted  []bool   // per token: inside a quotation
	sents   [][2]int // token ranges [from, to) of the sentences
	clauses [][2]int
	lines   int
	quotes  []quotation
	group   []string // per token: the entity it is part of, or ""
	entEnd  []int32  // per token that starts an entity: its last token; else -1
	ctxKey  []string // per token: its key in a figure's context (see contextOf), or ""

	lineFirst []int32 // per line: its first token that is no space, or -1
}

// abbreviations end with a full stop that ends no sentence.
var abbreviations = words(`mr mrs ms dr st sr sra srta jr vs etc nr no inc ltd corp gen gov sen rep pres
	г гг им т e g i z b bzw ca dt sog usw vgl ee uu pp p av ej ex cf approx`)

func newDoc(s string) *doc {
	d := &doc{text: s, toks: tokenize(s, wordFlags)}
	n := len(d.toks)
	pos := make([]int32, 3*n) // one array for the three
	d.sent, d.clause, d.line = pos[:n:n], pos[n:2*n:2*n], pos[2*n:]
	d.start, d.quoted = make([]bool, n), make([]bool, n)
	var sent, clause, line int32
	sentFrom, clauseFrom := 0, 0
	sentHasWords, clauseHasWords := false, false
	atStart := true
	lineWords := 0           // words and numbers so far on the line
	endSent := func(i int) { // the sentence ends before token i
		if sentHasWords {
			d.sents = append(d.sents, [2]int{sentFrom, i})
			sent++
		}
		sentFrom, sentHasWords = i, false
		atStart = true
	}
	endClause := func(i int) {
		if clauseHasWords {
			d.clauses = append(d.clauses, [2]int{clauseFrom, i})
			clause++
		}
		clauseFrom, clauseHasWords = i, false
	}
	for i := 0; i < n; i++ {
		t := d.toks[i]
		switch t.kind {
		case tokSpace:
			if strings.ContainsAny(t.raw, "\n\r\u2028\u2029") {
				endClause(i + 1)
				endSent(i + 1)
				line++
				lineWords = 0
			}
		case tokPunct:
			switch t.text {
			case ".", "!", "?", "…", "。", "！", "？", ";":
				if t.text != ";" && !d.endsSentence(i) {
					break
				}
				endClause(i + 1)
				endSent(i + 1)
			case ",", ":", "—", "–", "(", ")", "[", "]", "、", "，", "：":
				endClause(i + 1)
				if t.text == ":" {
					atStart = true
				}
			case "-":
				if at(d.toks, i-1).kind == tokSpace && at(d.toks, i+1).kind == tokSpace {
					endClause(i + 1)
				}
			}
			// a dash after a list item's label starts its text: "- **2023** — Спор…"
			if (t.text == "—" || t.text == "–" || t.text == "-") && lineWords <= 3 {
				atStart = true
			}
		case tokWord, tokNum:
			lineWords++
			if t.kind == tokWord {
				sentHasWords, clauseHasWords = true, true
				if atStart {
					d.start[i] = true
				}
			} else {
				sentHasWords, clauseHasWords = true, true
			}
			atStart = false
		}
		d.sent[i], d.clause[i], d.line[i] = sent, clause, line
	}
	endClause(n)
	endSent(n)
	d.lines = int(line) + 1
	// Tokens after the last sentence's end belong to no sentence; keep
	// their indices in range.
	for i := range d.sent {
		d.sent[i] = min(d.sent[i], int32(max(len(d.sents)-1, 0)))
		d.clause[i] = min(d.clause[i], int32(max(len(d.clauses)-1, 0)))
	}
	d.lineFirst = make([]int32, d.lines)
	for i := range d.lineFirst {
		d.lineFirst[i] = -1
	}
	for i := len(d.toks) - 1; i >= 0; i-- {
		if d.toks[i].kind != tokSpace {
			d.lineFirst[d.line[i]] = int32(i)
		}
	}
	d.quotes = findQuotations(d)
	d.group, d.entEnd = make([]string, n), make([]int32, n)
	for i := range d.entEnd {
		d.entEnd[i] = -1
	}
	for i := 0; i < n; i++ {
		if d.toks[i].kind != tokWord && d.toks[i].kind != tokNum {
			continue
		}
		if g, end, ok := d.entityAt(i); ok {
			for k := i; k <= end; k++ {
				d.group[k] = g
			}
			d.entEnd[i] = int32(end)
			i = end
		}
	}
	d.ctxKey = make([]string, n)
	for i, t := range d.toks {
		switch {
		case t.kind == tokNum:
			d.ctxKey[i] = t.text // digits, which no word's key has
		case d.informative(i):
			d.ctxKey[i] = stemKey(t.key)
		}
	}
	return d
}

// anchorKey is a token's key as an anchor: a kind ('#' digits, 'g' an
// entity, 'w' a word's stem) and its text.
type anchorKey struct {
	kind byte
	s    string
}

// anchorAt returns the key by which token i pairs passages of the two
// texts: the digits of a number, the entity a name is part of, or the
// stem of an informative word that is no negation or modal.
func (d *doc) anchorAt(i int) (anchorKey, bool) {
	t := d.toks[i]
	switch {
	case t.kind == tokNum:
		return anchorKey{'#', t.text}, true
	case d.group[i] != "":
		return anchorKey{'g', d.group[i]}, true
	case d.informative(i) && t.lex&(lxNeg|lxHedge|lxStrong) == 0:
		return anchorKey{'w', d.ctxKey[i]}, true
	}
	return anchorKey{}, false
}

// endsSentence reports whether the full stop (or other mark) at i ends a
// sentence: a space or the end follows, the next word is not in
// lowercase, and the word before is no abbreviation or initial.
func (d *doc) endsSentence(i int) bool {
	ts := d.toks
	if i+1 < len(ts) && ts[i+1].kind != tokSpace {
		nx := ts[i+1]
		// a closing quotation mark or bracket may stand between
		if nx.kind != tokPunct || !strings.ContainsAny(nx.text, "\"”»’)*_|'") {
			return false
		}
	}
	if ts[i].text != "." {
		return true
	}
	p := prevSolid(ts, i-1)
	if p >= 0 && ts[p].kind == tokWord {
		w := ts[p].text
		if abbreviations[w] || (len([]rune(w)) == 1 && ts[p].upper) {
			return false
		}
	}
	if p >= 0 && ts[p].kind == tokNum && listNumber(ts, p) {
		return false // "1. " numbers a list item
	}
	if p >= 0 && p == i-1 && ts[p].kind == tokNum && len(ts[p].text) <= 2 {
		return false // "7. Mai", "80. Jahrestag": a German ordinal; sentences seldom end in a small number
	}
	q := nextSolid(ts, i+1)
	for q < len(ts) && ts[q].kind == tokPunct && !strings.ContainsAny(ts[q].text, "-•") {
		q = nextSolid(ts, q+1)
	}
	if q < len(ts) && ts[q].kind == tokWord && !ts[q].upper && !strings.ContainsAny(ts[q-1].raw, "\n") {
		if unicodeHasCase(ts[q].raw) {
			return false
		}
	}
	return true
}

// unicodeHasCase reports whether the word's script has capital letters.
func unicodeHasCase(w string) bool {
	for _, r := range w {
		return isUpper(r) || unicode.IsLower(r)
	}
	return false
}

// informative reports whether the word at i says something: not a
// function word of any of the languages, and at least four letters.
func (d *doc) informative(i int) bool {
	t := d.toks[i]
	return t.kind == tokWord && len(t.key) >= 4 && t.lex&lxStop == 0
}

// sentenceText returns the text of sentence s, for a problem's Found.
func (d *doc) sentenceText(s int) string {
	if s < 0 || s >= len(d.sents) {
		return ""
	}
	r := d.sents[s]
	return clip(joinRaw(d.toks, r[0], r[1]-1), 120)
}

// clip shortens s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
