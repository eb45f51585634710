package guard

import (
	"fmt"
	"slices"
	"strings"
)

// Polarity and certainty. A rewrite that says "refused to sign" where the
// source says "signed", drops the source's "declined", or says "will"
// where the source says "may" changes what the source claims while
// keeping every name and figure.

// negations are the words that deny or reverse, in the six languages; a
// trailing * allows any ending.
var negations = wordList(`not no never none nor neither without cannot can't won't didn't doesn't don't isn't wasn't aren't weren't
	hasn't haven't hadn't couldn't wouldn't shouldn't nobody nothing n't
	refus* declin* fail* reject* denied deny denies halt* cancel* suspend* withdr* abandon* scrap* scrapped
	blocked blocks blocking veto* unable lack* ruled undisclosed unfulfilled unclear unknown unsuccessful unresolved
	unconfirmed unspecified unkept unmet
	no nunca jamás ni sin ningún ninguna ninguno nada tampoco rechaz* negó negaron negarse negándose niega niegan declin* fracas* falló fallaron cancel* suspend*
	retir* abandon* rehus* deneg* bloque* impid*
	não nunca jamais nem sem nenhum nenhuma nada recus* negou negaram nega negam rejeit* fracass* falh* cancel* suspend* abandon*
	ne jamais aucun aucune sans ni rien refus* rejet* déclin* échou* échec annul* suspend* abandonn* nié nie
	nicht nie niemals kein keine keinen keiner keinem keines ohne weder abgelehnt lehnt* lehnte* verweiger* gescheitert
	scheitert* gestoppt abgesagt zurückgezogen blockiert
	не нет ни никогда никто ничего без отказ* отклон* отверг* провал* сорвал* отменил* приостанов* заблокир* отозвал*`, true)

// predicate returns the stem of what the negation at i of d denies: the
// word after an un- or in-, or the next informative word of its clause.
func predicate(d *doc, i int) string {
	w := d.toks[i].text
	for _, p := range []string{"un", "in", "non"} {
		if rest, ok := strings.CutPrefix(w, p); ok && len(rest) >= 5 && !negations.has(rest) {
			return stemKey(fold(rest))
		}
	}
	for j := i + 1; j < len(d.toks) && d.clause[j] == d.clause[i]; j++ {
		if d.informative(j) && d.toks[j].lex&lxNeg == 0 {
			return stemKey(d.toks[j].key)
		}
	}
	return ""
}

func checkDroppedPredicates(c *problemList, an *anchorer, src, out *doc, lang string) {
	var outSents []anchorSet // the anchors of the rewrite's sentences, once needed
	for i, t := range src.toks {
		if t.kind != tokWord || src.quoted[i] || t.lex&lxNeg == 0 {
			continue
		}
		p := predicate(src, i)
		if len(p) < 4 {
			continue
		}
		r := src.sents[src.sent[i]]
		a := an.span(src, r[0], r[1])
		if outSents == nil {
			outSents = an.spans(out, out.sents)
		}
		for k, s := range out.sents {
			hit := -1
			for j := s[0]; j < s[1]; j++ {
				if out.informative(j) && !out.quoted[j] && stemKey(out.toks[j].key) == p {
					hit = j
					break
				}
			}
			if hit < 0 || overlap(a, outSents[k]) < 3 {
				continue
			}
			if out.marks(s[0], s[1], negationsFor(lang)) == "" && out.marks(s[0], s[1], flagged(negativeSense, lxNegSense)) == "" {
				c.add(Polarity, out.toks[hit].raw, fmt.Sprintf("the answer says %q without the text's %q: %s", out.toks[hit].raw, t.raw, src.sentenceText(int(src.sent[i]))))
				return
			}
		}
	}
}

// frenchNegation reports whether the ne or n' at i is completed, within a
// few words, by pas, plus, jamais or the like, as a negation is; without
// one it is the expletive ne of "avant qu'il ne parte".
func frenchNegation(ts []token, i int) bool {
	n := 0
	for j := i + 1; j < len(ts) && n < 6; j++ {
		if ts[j].kind != tokWord {
			continue
		}
		n++
		switch ts[j].text {
		case "pas", "plus", "jamais", "rien", "aucun", "aucune", "personne", "guère", "point", "ni", "nullement":
			return true
		}
	}
	return false
}

// negationsFor returns the negations as read in a language: in
// Portuguese "no" and "nos" are "in the".
func negationsFor(lang string) wordSet {
	ws := negations
	ws.flag = lxNeg
	if strings.HasPrefix(lang, "pt") {
		ws.except = lxNoPT
	}
	return ws
}

// negativeSense are words that carry a negation inside them, which a
// faithful rewrite may spell out with "not": "undisclosed" is "not
// disclosed", "stagnated" is "has not grown".
var negativeSense = wordList(`undisclosed unfulfilled unclear uncertain unknown unable unsuccessful unresolved
	unconfirmed unspecified unnamed unkept non-* despite critic* oppos* against concern* worr* warn* cautio* though although yet stagnat* limit* doubt* secre* undisclosed unfulfilled
	lack* ban* banned cut dropped fell struggl* collapse* absent* only few little scarce isolat*
	pocos pocas poco escas* poucos poucas pouco peu wenig* kaum мало немног*
	pese aunque sin estanc* limit* dud* secret* incumpl* prohib* ni crític* critic* opon* contra preocup* advier* caut*
	apesar embora estagn* limit* dúvid* secret* descumpr* proib* crític* critic* opõ* contra preocup* alert* caut*
	malgré bien stagn* limit* dout* secret* non-* interdi* critiqu* oppos* contre inquiét* préoccup* prud*
	trotz obwohl stagn* begrenz* zweifel* geheim* unerfüllt* verbot* kriti* gegen* sorge* warn* vorsicht*
	несмотря хотя застой* стагн* огранич* сомнен* секрет* невыполн* запрет* нерас* крити* против* опасен* предупрежд* осторож*`)

// hedges weaken a claim; strongModals make it certain.
var hedges = wordList(`may might could potentially possibly perhaps likely unlikely aims aim seeks seek hope* expected suggest* risk*
	podría podrían puede pueden posiblemente quizá quizás potencialmente pretende busca esper* sugier* riesg*
	poderia poderiam pode podem poderá poderão podrá podrán pourra pourront possivelmente talvez potencialmente pretende busca esper* suger* risc*
	pourrait pourraient peut peuvent peut-être potentiellement possiblement vise cherche espèr* sugg* risqu*
	könnte könnten kann können möglicherweise vielleicht potenziell dürfte dürften soll sollen zielt hoff* risik*
	может могут мог могла могло могли возможно потенциально способн* вероятно призван* надеж* риск*`)

var strongModals = wordList(`will won't shall certainly definitely surely undoubtedly guarantee* must
	será serán seguramente garantiz* indudablemente
	serão certamente garant* indubitavelmente
	sera seront certainement assurément garanti* indubitablement
	wird werden sicher gewiss zweifellos garantier* garantiert
	будет будут станет станут обязательно непременно несомненно гарантир*`)

// strongModalsFor returns the strong modals as read in a language: in
// German "will" is "wants".
func strongModalsFor(lang string) wordSet {
	ws := flagged(strongModals, lxStrong)
	if strings.HasPrefix(lang, "de") {
		ws.except = lxWillDE
	}
	return ws
}

// flagged returns ws tested by its bit in the lexicon.
func flagged(ws wordSet, f lexFlag) wordSet {
	ws.flag = f
	return ws
}

// futureTense reports whether w is a verb in the future tense of Spanish
// or Portuguese ("-rá", "-rán", "-rão") or French ("-era", "-ront"),
// which says "will" in one word.
func futureTense(w, lang string) bool {
	if len([]rune(w)) < 4 {
		return false
	}
	switch lang {
	case "es", "pt", "gl", "ca":
		return strings.HasSuffix(w, "rá") || strings.HasSuffix(w, "rán") || strings.HasSuffix(w, "rão")
	case "fr":
		return strings.HasSuffix(w, "era") || strings.HasSuffix(w, "ira") || strings.HasSuffix(w, "rra") || strings.HasSuffix(w, "ront")
	}
	return false
}

type wordSet struct {
	exact    map[string]bool
	prefixes []string
	byStart  map[string][]string // prefixes by their first three bytes
	negates  bool                // a set of negations: also reads French n'
	// flag is the set's bit in the lexicon, by which a token is tested
	// (except what also has a bit of except); 0 for sets looked up by text
	flag, except lexFlag
}

// hasToken reports whether word token t is in ws.
func (ws wordSet) hasToken(t token) bool {
	if ws.flag != 0 {
		return t.lex&ws.flag != 0 && t.lex&ws.except == 0
	}
	return ws.has(t.text)
}

func wordList(list string, negates ...bool) wordSet {
	ws := wordSet{exact: make(map[string]bool), negates: len(negates) > 0 && negates[0]}
	for _, w := range strings.Fields(list) {
		if p, ok := strings.CutSuffix(w, "*"); ok {
			ws.prefixes = append(ws.prefixes, p)
		} else {
			ws.exact[w] = true
		}
	}
	ws.index()
	return ws
}

func (ws *wordSet) index() {
	ws.byStart = make(map[string][]string)
	for _, p := range ws.prefixes {
		k := p[:min(3, len(p))]
		ws.byStart[k] = append(ws.byStart[k], p)
	}
}

func (ws wordSet) has(w string) bool {
	if ws.exact[w] {
		return true
	}
	if len(w) < 3 {
		for _, p := range ws.byStart[w] {
			if p == w {
				return true
			}
		}
		return false
	}
	for _, p := range ws.byStart[w[:3]] {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// marks returns the first word of tokens [from, to) that is in ws, or "".
func (d *doc) marks(from, to int, ws wordSet) string {
	for i := from; i < to; i++ {
		t := d.toks[i]
		if t.kind == tokWord && !d.quoted[i] && ws.negates && (t.text == "n" && at(d.toks, i+1).is(tokPunct, "'", "’") && !at(d.toks, i+2).is(tokWord, "t") || t.text == "ne") {
			if frenchNegation(d.toks, i) {
				return t.raw + "…"
			}
			continue // the expletive ne: "craindre qu'il n'aggrave"
		}
		if t.kind == tokWord && !d.quoted[i] && ws.hasToken(t) {
			if t.text == "n" && at(d.toks, i+1).is(tokPunct, "'", "’") && at(d.toks, i+2).is(tokWord, "t") {
				return "n't"
			}
			return t.raw
		}
		if t.kind == tokWord && t.text == "t" && at(d.toks, i-1).is(tokPunct, "'", "’") && at(d.toks, i-2).is(tokWord, "n", "can", "won", "don", "didn", "doesn", "isn", "wasn") {
			return "n't"
		}
	}
	return ""
}

// An anchorSet is the keys by which a passage is paired with a passage of
// the other text — its informative words' stems, its entities and its
// digits (see doc.anchorAt) — as sorted ids, so that pairing counts common
// keys by merging two short lists rather than by building and probing
// maps.
type anchorSet []int32

// anchorBase is a prepared source's anchors: an id for each of its keys,
// the id of each of its tokens, and the anchors of its sentences and
// clauses. It is only read once made.
type anchorBase struct {
	doc            *doc
	ids            map[anchorKey]int32
	toks           []int32
	sents, clauses []anchorSet
}

func newAnchorBase(d *doc) anchorBase {
	b := anchorBase{doc: d, ids: make(map[anchorKey]int32), toks: make([]int32, len(d.toks))}
	for i := range d.toks {
		k, ok := d.anchorAt(i)
		if !ok {
			continue
		}
		id, ok := b.ids[k]
		if !ok {
			id = int32(len(b.ids) + 1)
			b.ids[k] = id
		}
		b.toks[i] = id
	}
	an := &anchorer{base: &b}
	b.sents, b.clauses = an.spans(d, d.sents), an.spans(d, d.clauses)
	return b
}

// anchorer gives a rewrite's anchors the ids of the source's, and new
// ones to the keys the source lacks, once per token.
type anchorer struct {
	base  *anchorBase
	extra map[anchorKey]int32
	out   *doc
	toks  []int32
	buf   []int32
}

// of returns the anchor id of every token of d, the source or the
// rewrite; 0 for none.
func (an *anchorer) of(d *doc) []int32 {
	if d == an.base.doc {
		return an.base.toks
	}
	if d == an.out {
		return an.toks
	}
	if an.extra == nil {
		an.extra = make(map[anchorKey]int32)
	}
	t := make([]int32, len(d.toks))
	for i := range d.toks {
		k, ok := d.anchorAt(i)
		if !ok {
			continue
		}
		id, ok := an.base.ids[k]
		if !ok {
			if id, ok = an.extra[k]; !ok {
				id = int32(len(an.base.ids) + len(an.extra) + 1)
				an.extra[k] = id
			}
		}
		t[i] = id
	}
	an.out, an.toks = d, t
	return t
}

// span returns the anchors of tokens [from, to) of d.
func (an *anchorer) span(d *doc, from, to int) anchorSet {
	ids := an.of(d)
	set := an.buf[:0]
	for _, id := range ids[from:to] {
		if id != 0 {
			set = append(set, id)
		}
	}
	slices.Sort(set)
	set = slices.Compact(set)
	out := make(anchorSet, len(set))
	copy(out, set)
	an.buf = set
	return out
}

// spans returns the anchors of each span of d, all in one array.
func (an *anchorer) spans(d *doc, spans [][2]int) []anchorSet {
	ids := an.of(d)
	all := make([]int32, 0, len(ids)/2)
	bounds := make([]int, 0, len(spans)+1)
	for _, s := range spans {
		from := len(all)
		bounds = append(bounds, from)
		for _, id := range ids[s[0]:s[1]] {
			if id != 0 {
				all = append(all, id)
			}
		}
		set := all[from:]
		slices.Sort(set)
		all = all[:from+len(slices.Compact(set))]
	}
	bounds = append(bounds, len(all))
	out := make([]anchorSet, len(spans))
	for i := range spans {
		out[i] = anchorSet(all[bounds[i]:bounds[i+1]:bounds[i+1]])
	}
	return out
}

// overlap counts the anchors a and b share.
func overlap(a, b anchorSet) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// bestMatch returns the span of spans that shares the most anchors with a,
// and how many it shares.
func bestMatch(a anchorSet, spans []anchorSet) (int, int) {
	best, bestN := -1, 0
	for i, s := range spans {
		if n := overlap(a, s); n > bestN {
			best, bestN = i, n
		}
	}
	return best, bestN
}

// unmatched pairs the clause of sentence s that holds word w (or, if that
// clause says too little, the whole sentence) with the source sentences,
// and reports whether none of those it shares the most anchors with
// (within one of the best) is fine by ok; it returns the best one.
func unmatched(an *anchorer, out, src *doc, srcSents []anchorSet, s [2]int, w string, ok func([2]int) bool) (int, bool) {
	from, to := s[0], s[1]
	for i := s[0]; i < s[1]; i++ {
		if out.toks[i].raw == w || strings.TrimSuffix(w, "…") == out.toks[i].raw || w == "n't" && out.toks[i].text == "t" {
			cl := out.clauses[out.clause[i]]
			if _, n := bestMatch(an.span(out, cl[0], cl[1]), srcSents); n >= 2 {
				from, to = cl[0], cl[1]
			}
			break
		}
	}
	a := an.span(out, from, to)
	best, n := bestMatch(a, srcSents)
	if best < 0 || n < 2 {
		return 0, false // no source sentence to compare with
	}
	for k, r := range src.sents {
		if overlap(a, srcSents[k]) >= max(2, n-1) && ok(r) {
			return 0, false
		}
	}
	return best, true
}

func checkPolarity(c *problemList, s *Source, out *doc, lang string) {
	src := s.doc
	an := &anchorer{base: &s.anchors}
	srcSents := s.anchors.sents
	srcClauses := s.anchors.clauses
	outClauses := an.spans(out, out.clauses)
	// A denial or a certainty the matching source sentence lacks.
	for _, s := range out.sents {
		if c.full() {
			return
		}
		neg := out.marks(s[0], s[1], negationsFor(lang))
		strong := out.marks(s[0], s[1], strongModalsFor(lang))
		if strong == "" {
			for i := s[0]; i < s[1]; i++ {
				if t := out.toks[i]; t.kind == tokWord && !out.quoted[i] && futureTense(t.text, lang) && t.lex&(lxNeg|lxHedge) == 0 {
					strong = t.raw
					break
				}
			}
		}
		if strong != "" && out.marks(s[0], s[1], flagged(hedges, lxHedge)) != "" {
			strong = "" // still hedged: "podem limitar o que será feito"
		}
		if neg == "" && strong == "" {
			continue
		}
		if neg != "" {
			if best, ok := unmatched(an, out, src, srcSents, s, neg, func(r [2]int) bool {
				return src.marks(r[0], r[1], flagged(negations, lxNeg)) != "" || src.marks(r[0], r[1], flagged(negativeSense, lxNegSense)) != ""
			}); ok {
				c.add(Polarity, neg, fmt.Sprintf("the answer says %q where the text says: %s", neg, src.sentenceText(best)))
			}
		}
		if strong != "" {
			if best, ok := unmatched(an, out, src, srcSents, s, strong, func(r [2]int) bool {
				return src.marks(r[0], r[1], flagged(hedges, lxHedge)) == "" || src.marks(r[0], r[1], flagged(strongModals, lxStrong)) != ""
			}); ok {
				c.add(Certainty, strong, fmt.Sprintf("the answer says %q where the text only says it may be so: %s", strong, src.sentenceText(best)))
			}
		}
	}
	// A denial of the source's whose predicate the rewrite states without
	// one: "declined to detail" → "detailed", "undisclosed" → "disclosed".
	checkDroppedPredicates(c, an, src, out, lang)
	// A denial of the source's that the rewrite drops: a source clause
	// with a negation, matched closely by a clause of the rewrite that has
	// none, nor anything like it, in its sentence.
	for k, r := range src.clauses {
		if c.full() {
			return
		}
		neg := src.marks(r[0], r[1], flagged(negations, lxNeg))
		if neg == "" || len(srcClauses[k]) < 2 {
			continue
		}
		best, n := bestMatch(srcClauses[k], outClauses)
		if best < 0 || n < 2 || 2*n < len(srcClauses[k]) {
			continue
		}
		// every clause that matches as well must lack a negation
		kept := false
		for o := range out.clauses {
			if overlap(srcClauses[k], outClauses[o]) < n {
				continue
			}
			sent := out.sents[out.sent[out.clauses[o][0]]]
			if out.marks(sent[0], sent[1], negationsFor(lang)) != "" || out.marks(sent[0], sent[1], flagged(negativeSense, lxNegSense)) != "" {
				kept = true
				break
			}
		}
		if !kept {
			o := out.clauses[best]
			c.add(Polarity, clip(joinRaw(out.toks, o[0], o[1]-1), 80), fmt.Sprintf("the answer drops the text's %q: %s", neg, src.sentenceText(int(src.sent[r[0]]))))
		}
	}
}
