package answer

import (
	"unicode"
	"unicode/utf8"
)

// params are the ranking's constants, calibrated on the labelled questions
// in testdata.
type params struct {
	k1, b       float32 // BM25
	prior       float32 // how much a section's title and keywords count, against a statement's words
	typo        float32 // weight of a word corrected at one edit
	unmatched   float32 // evidence of a question word the index does not know, as a share of unknownIDF
	minCover    float32 // share of the question's evidence the answer must cover
	informative float32 // idf above which a matched word is informative
	rareDF      int32   // a word in at most this many statements is rare: it may answer alone
	featBoost   float32 // a statement holding what the intent asks for
	secBoost    float32 // a section whose keywords name the intent
	extra       float32 // a further statement is shown when it scores this share of the best
	// unknownCap bounds the evidence of a word the index does not know,
	// as a share of the question's strongest matched word; 0 leaves it at
	// unmatched × unknownIDF. A word the articles never use is evidence
	// that they do not answer, but a reader's own word ("honestly",
	// "affect") is no rarer for being absent from one article: counted as
	// the articles' rarest word, one such word outweighed two words the
	// articles do use. Asking about the present is not capped.
	unknownCap float32
	// everyday is the rank below which a word of the question's language
	// is an everyday word (frequency.go): unknown to the articles, it
	// counts everydayShare of a capped unknown word; a rarer word, or one
	// in no list, counts uncapped, as the articles' rarest word.
	everyday      int
	everydayShare float32
	// filler is how much an adverb the articles do not use counts, as a
	// share of a capped unknown word; it never makes the question ask
	// what they do not say.
	filler float32
	// rareContext, above 0, lets a rare word answer beside a word the
	// index does not know when the statement holds another word of the
	// question too ("hows venezuelas economy apparently doing"), unless
	// the question asks for a figure, date or quotation it does not hold.
	rareContext float32
	// digest is how much a statement that points to its fact's home
	// ("**2019** — … → /skeptic") counts against the home's own: both say
	// it, the home in full, so it is quoted unless the question asks for
	// what the digest is for (a date, a quotation, a source).
	digest float32
}

var defaultParams = params{
	k1: 1.2, b: 0.75,
	prior:         2.5,
	typo:          0.8,
	unmatched:     1.0,
	minCover:      0.5,
	informative:   2.0,
	rareDF:        3,
	featBoost:     0.75,
	secBoost:      0.5,
	extra:         0.85,
	digest:        0.8,
	unknownCap:    1,
	everyday:      2000,
	everydayShare: 1,
	filler:        0.25,
	rareContext:   1,
}

// maxSlots bounds the words of a question that count; a question is at
// most 500 characters, and the rest of a long one adds nothing.
const maxSlots = 64

// maxParts bounds the parts of a question answered one by one.
const maxParts = 3

// slot is one content word of a question and the terms it stands for.
type slot struct {
	from, to    int32   // its terms in scratch.terms
	weight      float32 // its evidence: the largest weight of its terms, or that of an unknown word
	matched     bool
	informative bool
	rare        bool // rare, or an editor's keyword
	part        uint8
	single      bool // one letter: evidence for, never against
	present     bool // asks about the present ("today"), which no dated article reports
	titled      bool // names a word of an article's title
	everyday    bool // unknown, and an everyday word of the question's language
	filler      bool // unknown, and an adverb: "honestly", "realmente"
}

// scratch is the working memory of one question, pooled by the Index.
type scratch struct {
	toks     []token
	buf      []byte
	st       *stemmer
	slots    []slot
	terms    []wterm
	intents  [maxParts]intentSet
	shared   [maxParts]bool // the part asks about every other part: "what's the plan for both?"
	score    []float32      // per statement
	secScore []float32      // per section
	stMask   []uint64
	secMask  []uint64
	chosen   []int32
	scores   []float32 // of chosen
	key      []byte    // a word's spelling key, for names
	stemKey  []byte    // its stem's
}

func newScratch(x *Index) *scratch {
	return &scratch{
		st:       newStemmer(),
		score:    make([]float32, len(x.stmts)),
		secScore: make([]float32, len(x.sections)),
		stMask:   make([]uint64, len(x.stmts)),
		secMask:  make([]uint64, len(x.sections)),
	}
}

func (x *Index) answer(sc *scratch, question string) Result {
	sc.toks = tokenize(question, sc.toks[:0], &sc.buf)
	l := x.detectLanguage(question, sc.toks)
	res := Result{Language: langCodes[l]}
	if isInstruction(x.guard, sc.toks) {
		res.Refusal = Instruction
		return res
	}
	nparts := x.analyzeQuestion(sc, l)
	if len(sc.slots) == 0 {
		res.Refusal = Empty
		return res
	}
	anyMatched := false
	for _, s := range sc.slots {
		anyMatched = anyMatched || s.matched
	}
	res.Refusal = NotCovered
	if !anyMatched {
		return res
	}

	// The question as a whole.
	all := ^uint64(0) >> (64 - len(sc.slots))
	intents := sc.intents[0] | sc.intents[1] | sc.intents[2]
	best, ok, cover := x.best(sc, all, all, intents)
	if best < 0 {
		return res
	}
	res.Refusal = Answered
	covered := sc.stMask[best] | sc.secMask[x.stmts[best].section]
	sc.chosen = append(sc.chosen[:0], best)
	sc.scores = append(sc.scores[:0], x.total(sc, best, intents))
	if ok {
		x.addExtras(sc, best, covered, intents)
	}

	// A question of several parts is answered part by part when every
	// part is answered: "oil and weapons" gets the plan for oil and the
	// one for weapons, even where one statement names both in passing.
	if nparts > 1 {
		var parts [maxParts]int32
		var partScores [maxParts]float32
		allOK := true
		minCover := float32(1)
		for p := range nparts {
			mask, own := partMask(sc, uint8(p))
			b, pok, pc := x.best(sc, mask, own, sc.intents[p])
			if !pok {
				allOK = false
				break
			}
			parts[p] = b
			partScores[p] = x.total(sc, b, sc.intents[p])
			minCover = min(minCover, pc)
		}
		if allOK {
			sc.chosen, sc.scores = sc.chosen[:0], sc.scores[:0]
			for p, b := range parts[:nparts] {
				if !x.duplicate(sc, b) {
					sc.chosen = append(sc.chosen, b)
					sc.scores = append(sc.scores, partScores[p])
				}
			}
			ok, cover = true, minCover
		}
	}
	if !ok {
		// Rank the sections for "the nearest" on the whole question again:
		// the part scoring has overwritten the scores.
		x.best(sc, all, all, intents)
		res.Refusal = NotCovered
		res.Nearest = x.nearest(sc)
		return res
	}
	res.Confidence = float64(cover)
	res.Statements = make([]Statement, len(sc.chosen))
	for i, id := range sc.chosen {
		s := &x.stmts[id]
		sec := &x.sections[s.section]
		res.Statements[i] = Statement{
			Article:      x.articles[sec.article].id,
			Section:      sec.name,
			SectionTitle: sec.title,
			Text:         s.text,
			Label:        s.label,
			Outlet:       s.outlet,
			Score:        float64(sc.scores[i]),
		}
	}
	return res
}

// analyzeQuestion turns the question's tokens into slots and intents, and
// returns into how many parts its conjunctions cut it.
func (x *Index) analyzeQuestion(sc *scratch, l lang) int {
	sc.slots = sc.slots[:0]
	sc.terms = sc.terms[:0]
	sc.intents = [maxParts]intentSet{}
	sc.shared = [maxParts]bool{}
	langs := uint8(1<<langEN | 1<<l)
	part := uint8(0)
	partHas := false
	between := false // "between Russia and Venezuela": the next "and" joins one part
	toks := sc.toks
	for i := 0; i < len(toks) && len(sc.slots) < maxSlots; i++ {
		t := &toks[i]
		if betweenWords[t.folded] {
			between = true
			continue
		}
		if x.conjs[t.folded] && between {
			between = false
			continue
		}
		if (t.sep || x.conjs[t.folded]) && partHas && part+1 < maxParts {
			part++
			partHas = false
		}
		if x.conjs[t.folded] {
			continue
		}
		if sharedWords[t.folded] {
			sc.shared[part] = true
			continue
		}
		if in, n := x.intentAt(toks, i); n > 0 {
			if in == intentPresent {
				x.pushSlot(sc, int32(len(sc.terms)), part, false)
				sc.slots[len(sc.slots)-1].present = true
			} else {
				sc.intents[part] |= in
			}
			i += n - 1
			continue
		}
		if n := x.phraseAt(sc, toks, i, part); n > 0 {
			partHas = true
			i += n - 1
			continue
		}
		// "US" is the United States where the articles write it so, but
		// "WHAT IS" in capitals is still two stop words.
		if x.an.isStop(t.folded, langs) && !(t.abbr && x.hasAbbr(t.folded)) {
			continue
		}
		if x.addWord(sc, t, l, langs, part, true) {
			partHas = true
		}
	}
	// Parts without a matched word join the part before them (or after,
	// for the first), so that "and what about it?" stays one question.
	return mergeParts(sc, int(part)+1)
}

// intentAt returns the intent of a question-word phrase at toks[i] and its
// length in tokens.
func (x *Index) intentAt(toks []token, i int) (intentSet, int) {
	var in intentSet
	n := 0
	for _, tr := range x.intents[toks[i].folded] {
		if len(tr.words) <= n || i+len(tr.words) > len(toks) {
			continue
		}
		match := true
		for k, w := range tr.words {
			if toks[i+k].folded != w {
				match = false
				break
			}
		}
		if match {
			in, n = tr.intent, len(tr.words)
		}
	}
	return in, n
}

// phraseAt adds a slot for an alias of several words at toks[i].
func (x *Index) phraseAt(sc *scratch, toks []token, i int, part uint8) int {
	for _, ph := range x.aliases.phrases[toks[i].folded] {
		if i+len(ph.words) > len(toks) {
			continue
		}
		match := true
		for k, w := range ph.words[1:] {
			if toks[i+1+k].folded != w {
				match = false
				break
			}
		}
		if match {
			from := int32(len(sc.terms))
			sc.terms = append(sc.terms, x.aliases.means[ph.meaning]...)
			x.pushSlot(sc, from, part, false)
			return len(ph.words)
		}
	}
	return 0
}

// addWord adds the slot of one content word; it reports whether the word
// was found.
func (x *Index) addWord(sc *scratch, t *token, l lang, langs uint8, part uint8, mayCorrect bool) bool {
	from := int32(len(sc.terms))
	found := x.lookup(sc, t.folded, t.lower, t.abbr, l, 1)
	if !found && mayCorrect && !t.abbr {
		// A question in another language, or a word written with letters
		// English does not use, is no misspelling of an English word.
		english := l == langEN && termLanguages(t.lower)&(1<<langEN) != 0
		if c := correct(t.folded, langs, english, x.typos, x.an.typos); c != "" {
			if x.an.isStop(c, langs) && !x.isContent(c) {
				return false // a misspelt stop word: nothing to look for
			}
			found = x.lookup(sc, c, c, false, l, x.params.typo)
		}
	}
	if !found && mayCorrect && !t.abbr {
		found = x.lookupName(sc, t.lower, l, 1)
	}
	single := utf8.RuneCountInString(t.folded) == 1
	if !found && single {
		return false
	}
	x.pushSlot(sc, from, part, single)
	if !found {
		s := &sc.slots[len(sc.slots)-1]
		r := x.an.commonness(t.folded, langs)
		if r == 0 || r > x.params.everyday {
			r = x.an.stemCommonness(sc.st.stem(t.lower, l), l)
		}
		s.everyday = r > 0 && r <= x.params.everyday
		s.filler = x.an.isAdverb(t.folded, l) || l != langEN && x.an.isAdverb(t.folded, langEN)
	}
	return found
}

// hasAbbr reports whether the articles write the folded word as an
// abbreviation in capitals that spells a stop word ("US").
func (x *Index) hasAbbr(folded string) bool {
	_, ok := x.surface[surfaceOf(folded, true)]
	return ok
}

// isContent reports whether a folded word is an article's word or an
// alias's term.
func (x *Index) isContent(w string) bool {
	if _, ok := x.surface[w]; ok {
		return true
	}
	_, ok := x.aliases.exact[w]
	return ok
}

// lookup appends the terms a question word stands for, with weight w.
func (x *Index) lookup(sc *scratch, folded, lower string, abbr bool, l lang, w float32) bool {
	n := len(sc.terms)
	add := func(ws []wterm) {
		for _, t := range ws {
			sc.addTerm(n, wterm{id: t.id, w: t.w * w})
		}
	}
	for _, m := range x.aliases.exact[folded] {
		add(x.aliases.means[m])
	}
	if id, ok := x.surface[surfaceOf(folded, abbr && x.an.isStop(folded, 1<<langEN))]; ok {
		sc.addTerm(n, wterm{id: id, w: w})
	}
	if len(sc.terms) > n || !hasLetterOrDigit(lower) {
		return len(sc.terms) > n
	}
	s := sc.st.stem(lower, l)
	for _, m := range x.aliases.stems[l][s] {
		add(x.aliases.means[m])
	}
	if id, ok := x.byKey[s]; ok {
		sc.addTerm(n, wterm{id: id, w: w})
	}
	if l != langEN {
		if id, ok := x.byKey[sc.st.stem(lower, langEN)]; ok {
			sc.addTerm(n, wterm{id: id, w: w})
		}
	}
	return len(sc.terms) > n
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// addTerm adds a term to the slot being built from index n, keeping the
// larger weight of a term found twice.
func (sc *scratch) addTerm(n int, t wterm) {
	for i := n; i < len(sc.terms); i++ {
		if sc.terms[i].id == t.id {
			sc.terms[i].w = max(sc.terms[i].w, t.w)
			return
		}
	}
	sc.terms = append(sc.terms, t)
}

// pushSlot closes the slot whose terms start at from. A slot with the same
// terms as one before it (a word said twice) is dropped.
func (x *Index) pushSlot(sc *scratch, from int32, part uint8, single bool) {
	to := int32(len(sc.terms))
	for _, s := range sc.slots {
		if s.to-s.from == to-from && to > from && sameTerms(sc.terms[s.from:s.to], sc.terms[from:to]) {
			sc.terms = sc.terms[:from]
			return
		}
	}
	s := slot{from: from, to: to, part: part, single: single, weight: x.params.unmatched * x.unknownIDF}
	if to > from {
		s.matched = true
		s.weight = 0
		// A term counts as evidence as much as the slot gives it weight:
		// a synonym the reader did not write weighs less than the meaning.
		top := float32(0)
		for _, t := range sc.terms[from:to] {
			top = max(top, t.w)
		}
		for _, t := range sc.terms[from:to] {
			tm := &x.terms[t.id]
			s.weight = max(s.weight, tm.weight*t.w/top)
			s.informative = s.informative || tm.weight >= x.params.informative
			s.rare = s.rare || tm.df > 0 && tm.df <= x.params.rareDF || tm.keyword
			s.titled = s.titled || len(tm.titles) > 0
		}
	}
	sc.slots = append(sc.slots, s)
}

func sameTerms(a, b []wterm) bool {
	for i := range a {
		if a[i].id != b[i].id {
			return false
		}
	}
	return true
}

// mergeParts folds parts without a matched word into a neighbour, and a
// part that asks about the others ("the plan for both") into each of them;
// it renumbers the rest and returns how many parts remain.
func mergeParts(sc *scratch, n int) int {
	if n == 1 {
		return 1
	}
	var has [maxParts]bool
	for _, s := range sc.slots {
		if s.matched {
			has[s.part] = true
		}
	}
	var to [maxParts]uint8
	next := uint8(0)
	for p := range n {
		switch {
		case has[p] && sc.shared[p] && p > 0:
			to[p] = allParts
		case has[p]:
			to[p] = next
			next++
		case next > 0:
			to[p] = next - 1
		}
	}
	if next == 0 {
		next = 1
	}
	var intents [maxParts]intentSet
	for p := range n {
		if to[p] == allParts {
			for q := range intents {
				intents[q] |= sc.intents[p]
			}
			continue
		}
		intents[to[p]] |= sc.intents[p]
	}
	sc.intents = intents
	for i := range sc.slots {
		sc.slots[i].part = to[sc.slots[i].part]
	}
	return int(next)
}

// betweenWords join the two words after them into one part: "between
// Russia and Venezuela" asks about one relation, not two things.
var betweenWords = map[string]bool{"between": true, "entre": true, "между": true, "zwischen": true}

// allParts is the part of a slot that belongs to every part.
const allParts = 0xff

// sharedWords say that a part of a question asks about every other part.
var sharedWords = map[string]bool{
	"both": true, "each": true, "ambos": true, "ambas": true, "cada": true, "dois": true,
	"оба": true, "обе": true, "обоих": true, "каждого": true, "каждому": true,
	"deux": true, "chacun": true, "chacune": true, "beide": true, "beiden": true, "jeweils": true,
}

// partMask returns the slots of part p, and those of them that are its
// own rather than shared.
func partMask(sc *scratch, p uint8) (mask, own uint64) {
	for i, s := range sc.slots {
		switch s.part {
		case p:
			mask |= 1 << i
			own |= 1 << i
		case allParts:
			mask |= 1 << i
		}
	}
	return mask, own
}

// best scores every statement for the slots in mask and returns the best
// that covers a slot of own (the part's own slots, not those it shares),
// or -1 for none, whether its support is enough to answer, and the share
// of the slots' evidence it covers.
func (x *Index) best(sc *scratch, mask, own uint64, intents intentSet) (int32, bool, float32) {
	clear(sc.score)
	clear(sc.secScore)
	clear(sc.stMask)
	clear(sc.secMask)
	p := &x.params
	// Words of an article's title ("the deal") say little about which of
	// its statements answers, when the question has other words.
	var titled uint64
	for i := range sc.slots {
		if mask&(1<<i) != 0 && sc.slots[i].titled {
			titled |= 1 << i
		}
	}
	hasOther := false
	for i := range sc.slots {
		hasOther = hasOther || mask&(1<<i) != 0 && titled&(1<<i) == 0 && sc.slots[i].matched
	}
	for i := range sc.slots {
		if mask&(1<<i) == 0 {
			continue
		}
		s := &sc.slots[i]
		bit := uint64(1) << i
		share := float32(1)
		if own&bit == 0 {
			share = sharedWeight
		}
		if hasOther && titled&bit != 0 {
			share *= titleWeight
		}
		for _, wt := range sc.terms[s.from:s.to] {
			t := &x.terms[wt.id]
			w := wt.w * share
			for _, po := range t.postings {
				norm := 1 - p.b + p.b*x.stmts[po.stmt].length/x.avgLen
				sc.score[po.stmt] += w * t.idf * po.tf * (p.k1 + 1) / (po.tf + p.k1*norm)
				sc.stMask[po.stmt] |= bit
			}
			for _, pr := range t.prior {
				sc.secScore[pr.sec] += w * t.sidf * p.prior * pr.w
				if pr.w > weightDescription {
					sc.secMask[pr.sec] |= bit
				}
			}
		}
	}
	// The best statement is the one with the highest score for the share
	// of the question it covers: a section's prior lifts all its
	// statements alike, and must not carry one that holds half the
	// question past one that holds all of it.
	best, bestScore := int32(-1), float32(0)
	for i := range x.stmts {
		id := int32(i)
		if (sc.stMask[id]|sc.secMask[x.stmts[id].section])&own == 0 {
			continue
		}
		v := x.total(sc, id, intents)
		if v <= bestScore {
			continue
		}
		if v *= x.coverage(sc, id, mask).share(); v > bestScore {
			best, bestScore = id, v
		}
	}
	if best < 0 {
		return -1, false, 0
	}
	ok, cover := x.enough(sc, best, mask, intents)
	return best, ok, cover
}

// cover is how a statement covers the slots of a question.
type cover struct {
	support, total float32 // evidence covered, and all that counts
	informative    int     // informative slots covered
	covered        int     // slots covered
	rare           bool    // a rare slot covered
	unknown        bool    // a word the index does not know counts
	present        bool    // the question asks about the present
	onlyTitle      bool    // every matched slot names a word of the article's title
	fillers        float32 // the evidence of fillers left out of total
}

func (c cover) share() float32 {
	if c.total == 0 {
		return 0
	}
	return c.support / c.total
}

// confidence is the share of the question's words the statement covers,
// its fillers counted as any everyday word: a filler does not keep a
// question from being answered, but it is a word the answer does not
// cover, and a question log should see it.
func (c cover) confidence() float32 {
	if c.total+c.fillers == 0 {
		return 0
	}
	return c.support / (c.total + c.fillers)
}

// coverage says how statement id covers the slots in mask. The words of
// its article's title are what the whole article is about: where the
// statement does not hold them, they are left out rather than counted
// against it.
func (x *Index) coverage(sc *scratch, id int32, mask uint64) cover {
	st := &x.stmts[id]
	art := x.sections[st.section].article
	covered := (sc.stMask[id] | sc.secMask[st.section]) & mask
	c := cover{onlyTitle: true}
	titled := 0
	// The evidence of an unknown word, when capped: no more than the
	// question's strongest word beside the article's subject. Where the
	// question names nothing but the subject ("is Russia sending troops
	// to Venezuela"), its unknown word is what it asks, and is not capped.
	unknown := float32(-1)
	if cp := x.params.unknownCap; cp > 0 {
		for i := range sc.slots {
			if s := &sc.slots[i]; mask&(1<<i) != 0 && s.matched && !x.inTitle(sc, s, art) {
				unknown = max(unknown, cp*s.weight)
			}
		}
	}
	for i := range sc.slots {
		bit := uint64(1) << i
		if mask&bit == 0 {
			continue
		}
		s := &sc.slots[i]
		inTitle := s.matched && x.inTitle(sc, s, art)
		if s.matched && !inTitle {
			c.onlyTitle = false
		}
		switch {
		case covered&bit != 0:
			c.support += s.weight
			c.total += s.weight
			c.covered++
			if s.informative {
				c.informative++
			}
			if inTitle {
				titled++
			}
			c.rare = c.rare || s.rare
		case s.single && !s.matched, inTitle:
		case !s.matched && s.filler:
			w := s.weight
			if unknown >= 0 {
				w = min(w, unknown)
			}
			c.total += w * x.params.filler
			c.fillers += w * (1 - x.params.filler)
		case !s.matched && !s.present && unknown >= 0 && (s.everyday || x.params.everyday == 0):
			c.total += min(s.weight, unknown) * x.params.everydayShare
			c.unknown = c.unknown || x.params.everydayShare >= 1
		default:
			c.total += s.weight
			c.unknown = c.unknown || !s.matched
			c.present = c.present || s.present
		}
	}
	// A question only about the article's subject ("what's going on
	// between Russia and Venezuela?") is answered by what holds it.
	if c.onlyTitle {
		c.informative = titled
	}
	return c
}

// titleWeight is how much a word of an article's title counts in ranking
// its statements, beside other words.
const titleWeight = 0.5

// sharedWeight is how much a part's shared words ("the plan" of "oil and
// weapons, what's the plan for both?") count in choosing its statement.
const sharedWeight = 0.5

// enough says whether statement id answers the slots in mask well enough,
// and its confidence: the share of their evidence it covers, fillers and all.
func (x *Index) enough(sc *scratch, id int32, mask uint64, intents intentSet) (bool, float32) {
	st := &x.stmts[id]
	c := x.coverage(sc, id, mask)
	// An intent the statement answers is evidence too: "when was it
	// signed" asks for a date and the signing.
	met := intents != 0 && (st.feats|x.sections[st.section].intents)&intents != 0
	if met {
		c.informative++
	}
	// A question that asks for a figure, a date or a quotation the
	// statement does not hold is not answered by a rare word of it alone.
	unmet := intents&(intentFigure|intentWhen|intentQuote) != 0 && !met
	// One rare word may answer alone ("chevron?"), but not beside a word
	// the articles do not know ("who invented television").
	share := c.share()
	alone := c.rare && !unmet && (!c.unknown || x.params.rareContext > 0 && c.covered >= 2 && !c.present)
	// A statement that holds every word of the question, and what it asks
	// for or three words of it, answers it however common its words are:
	// "what did Maduro say" is answered by Maduro's quotation, "Russia
	// Venezuela relations" by the statement on Russia-Venezuela relations.
	whole := c.covered > 0 && c.support >= c.total && (met || c.covered >= 3)
	return share >= x.params.minCover && (c.informative >= 2 || alone || whole), c.confidence()
}

// inTitle reports whether a slot names a word of an article's title.
func (x *Index) inTitle(sc *scratch, s *slot, art int32) bool {
	for _, wt := range sc.terms[s.from:s.to] {
		for _, a := range x.terms[wt.id].titles {
			if a == art {
				return true
			}
		}
	}
	return false
}

// total is a statement's score: its words, its section's prior, and the
// intents it answers.
func (x *Index) total(sc *scratch, id int32, intents intentSet) float32 {
	s := &x.stmts[id]
	v := sc.score[id] + sc.secScore[s.section]
	if s.digest {
		v *= x.params.digest
	}
	if v == 0 || intents == 0 {
		return v
	}
	boost := float32(1)
	if s.feats&intents != 0 {
		boost += x.params.featBoost
	}
	if x.sections[s.section].intents&intents != 0 {
		boost += x.params.secBoost
	}
	return v * boost
}

// addExtras adds up to two more statements that score nearly as well as
// the best and cover no less of the question, unless they repeat it.
func (x *Index) addExtras(sc *scratch, best int32, covered uint64, intents intentSet) {
	top := x.total(sc, best, intents)
	for len(sc.chosen) < 3 {
		next, nextScore := int32(-1), float32(0)
		for i := range x.stmts {
			id := int32(i)
			v := x.total(sc, id, intents)
			if v < x.params.extra*top || v <= nextScore || x.isChosen(sc, id) {
				continue
			}
			c := sc.stMask[id] | sc.secMask[x.stmts[id].section]
			if c&covered != covered || x.duplicate(sc, id) {
				continue
			}
			next, nextScore = id, v
		}
		if next < 0 {
			return
		}
		sc.chosen = append(sc.chosen, next)
		sc.scores = append(sc.scores, nextScore)
	}
}

func (x *Index) isChosen(sc *scratch, id int32) bool {
	for _, c := range sc.chosen {
		if c == id {
			return true
		}
	}
	return false
}

// duplicate reports whether a statement says much the same as one already
// chosen: the same text, or most of the same terms.
func (x *Index) duplicate(sc *scratch, id int32) bool {
	a := x.stmts[id].terms
	for _, c := range sc.chosen {
		if c == id {
			return true
		}
		b := x.stmts[c].terms
		if x.stmts[c].text == x.stmts[id].text {
			return true
		}
		common := 0
		for i, j := 0, 0; i < len(a) && j < len(b); {
			switch {
			case a[i] == b[j]:
				common++
				i++
				j++
			case a[i] < b[j]:
				i++
			default:
				j++
			}
		}
		if float32(common) >= 0.6*float32(min(len(a), len(b))) {
			return true
		}
	}
	return false
}

// nearest returns up to three sections with the most support, best first.
func (x *Index) nearest(sc *scratch) []SectionRef {
	var top [3]int32
	var topScore [3]float32
	n := 0
	for i := range x.stmts {
		v := sc.score[i] + sc.secScore[x.stmts[i].section]
		if v <= 0 {
			continue
		}
		sec := x.stmts[i].section
		// One entry per section: keep its best statement's score.
		k := -1
		for j := range n {
			if top[j] == sec {
				k = j
			}
		}
		if k >= 0 {
			if v <= topScore[k] {
				continue
			}
			topScore[k] = v
		} else if n < len(top) {
			top[n], topScore[n] = sec, v
			k = n
			n++
		} else if v > topScore[n-1] {
			top[n-1], topScore[n-1] = sec, v
			k = n - 1
		} else {
			continue
		}
		for k > 0 && topScore[k] > topScore[k-1] {
			top[k], top[k-1] = top[k-1], top[k]
			topScore[k], topScore[k-1] = topScore[k-1], topScore[k]
			k--
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]SectionRef, n)
	for i := range n {
		sec := &x.sections[top[i]]
		out[i] = SectionRef{Article: x.articles[sec.article].id, Section: sec.name, Title: sec.title}
	}
	return out
}
