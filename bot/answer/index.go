package answer

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// term is one indexed term: a folded English stem.
type term struct {
	key      string
	postings []posting // statements that hold it, in statement order
	prior    []prior   // sections whose title, keywords or description hold it
	df       int32
	idf      float32 // over the statements that hold it, for BM25
	weight   float32 // idf over the statements that hold it or whose section's prior does: its evidence
	sidf     float32 // idf over the sections whose prior holds it
	keyword  bool    // an editor's keyword, a section's name or an alias pointing to a section
	titles   []int32 // the articles whose title holds it
}

type posting struct {
	stmt int32
	tf   float32
}

type prior struct {
	sec int32
	w   float32
}

type indexedArticle struct {
	id string
}

type indexedSection struct {
	article     int32
	name, title string
	first, end  int32 // its statements
	intents     intentSet
}

type indexedStatement struct {
	section int32
	text    string
	label   string
	outlet  string
	length  float32
	feats   intentSet // what it holds: dates, quotations, figures, causes
	digest  bool      // it points to another section, which tells its fact in full
	terms   []int32   // sorted, unique
}

// Weights of a section's fields in its prior.
const (
	weightKeyword     = 1.0
	weightName        = 1.0
	weightTitle       = 0.8
	weightDescription = 0.4
)

type builder struct {
	an        *analyzer
	st        *stemmer
	x         *Index
	articles  []Article
	proper    map[string]bool   // folded words the articles only ever write with a capital
	tf        map[int32]float32 // scratch: one statement's terms
	aliases   []pendingAlias
	buf       []byte
	toks      []token
	textToks  []token
	labelToks []token
}

// pendingAlias is an alias waiting for every article to be indexed, since
// its meaning may be any article's words.
type pendingAlias struct {
	Alias
	section int32 // -1 for an article's alias
}

func newBuilder(an *analyzer) *builder {
	return &builder{
		an: an,
		st: newStemmer(),
		x: &Index{
			an:      an,
			byKey:   make(map[string]int32),
			surface: make(map[string]int32),
			params:  defaultParams,
		},
		tf: make(map[int32]float32),
	}
}

// add checks an article and keeps it for finish.
func (b *builder) add(a Article) error {
	if strings.TrimSpace(a.ID) == "" {
		return fmt.Errorf("answer: an article has no id")
	}
	for _, al := range a.Aliases {
		if err := checkAlias(a.ID, "", al); err != nil {
			return err
		}
	}
	for _, s := range a.Sections {
		if strings.TrimSpace(s.Name) == "" {
			return fmt.Errorf("answer: article %s has a section without a name", a.ID)
		}
		for _, al := range s.Aliases {
			if err := checkAlias(a.ID, s.Name, al); err != nil {
				return err
			}
		}
	}
	b.articles = append(b.articles, a)
	return nil
}

// findProperNouns finds the words the articles write only with a capital
// ("Times" of "The Moscow Times", "Bloomberg"): they are names, and are
// not stemmed, so that "time" does not find "The Moscow Times". Keywords
// are left out: editors write them in lowercase.
func (b *builder) findProperNouns() {
	capital := make(map[string]bool)
	lower := make(map[string]bool)
	see := func(text string) {
		b.toks = tokenize(text, b.toks[:0], &b.buf)
		for _, t := range b.toks {
			if t.capital {
				capital[t.folded] = true
			} else {
				lower[t.folded] = true
			}
		}
	}
	for _, a := range b.articles {
		see(a.Title)
		for _, s := range a.Sections {
			see(s.Title)
			see(s.Description)
			see(s.Body)
		}
	}
	b.proper = make(map[string]bool)
	for w := range capital {
		if !lower[w] {
			b.proper[w] = true
		}
	}
}

// index indexes one article.
func (b *builder) index(a Article) {
	x := b.x
	ai := int32(len(x.articles))
	x.articles = append(x.articles, indexedArticle{id: a.ID})
	b.analyze(a.Title, func(id int32, _ int) {
		b.x.terms[id].titles = appendUnique32(b.x.terms[id].titles, ai)
	})
	for _, al := range a.Aliases {
		b.aliases = append(b.aliases, pendingAlias{Alias: al, section: -1})
	}
	for _, s := range a.Sections {
		si := int32(len(x.sections))
		sec := indexedSection{article: ai, name: s.Name, title: s.Title, first: int32(len(x.stmts))}
		sec.intents = sectionIntents(s)
		b.addPrior(si, s.Name, weightName, true)
		b.addPrior(si, s.Title, weightTitle, true)
		b.addPrior(si, s.Description, weightDescription, false)
		for _, k := range s.Keywords {
			b.addPrior(si, k, weightKeyword, true)
		}
		for _, al := range s.Aliases {
			b.aliases = append(b.aliases, pendingAlias{Alias: al, section: si})
		}
		for _, p := range splitStatements(s.Body) {
			b.addStatement(si, p, a.Sources)
		}
		sec.end = int32(len(x.stmts))
		x.sections = append(x.sections, sec)
	}
}

func checkAlias(article, section string, al Alias) error {
	where := article
	if section != "" {
		where += "/" + section
	}
	if strings.TrimSpace(al.Means) == "" {
		return fmt.Errorf("answer: %s: an alias of %q means nothing", where, al.Terms)
	}
	if len(al.Terms) == 0 {
		return fmt.Errorf("answer: %s: the alias for %q has no terms", where, al.Means)
	}
	for _, t := range al.Terms {
		if strings.TrimSpace(t) == "" {
			return fmt.Errorf("answer: %s: the alias for %q has an empty term", where, al.Means)
		}
	}
	return nil
}

// analyze returns the terms of an article's text (English), adding new
// ones to the index.
func (b *builder) analyze(text string, fn func(id int32, words int)) {
	b.toks = tokenize(text, b.toks[:0], &b.buf)
	words := 0
	for _, t := range b.toks {
		if !b.an.isStop(t.folded, 1<<langEN) || t.abbr {
			words++
		}
	}
	for _, t := range b.toks {
		abbr := t.abbr && b.an.isStop(t.folded, 1<<langEN)
		if !abbr && b.an.isStop(t.folded, 1<<langEN) {
			continue
		}
		fn(b.termFor(t.folded, t.lower, abbr), words)
	}
}

// surfaceOf is the key of a word in Index.surface: an abbreviation in
// capitals that spells a stop word ("US") is kept apart from the word.
func surfaceOf(folded string, abbr bool) string {
	if abbr {
		return "\x00" + folded
	}
	return folded
}

// termFor returns the term of an article's word, creating it.
func (b *builder) termFor(folded, lower string, abbr bool) int32 {
	x := b.x
	surface := surfaceOf(folded, abbr)
	if id, ok := x.surface[surface]; ok {
		return id
	}
	key := surface
	if !abbr && !b.proper[folded] {
		key = b.st.stem(lower, langEN)
	}
	id, ok := x.byKey[key]
	if !ok {
		id = int32(len(x.terms))
		x.terms = append(x.terms, term{key: key})
		x.byKey[key] = id
	}
	x.surface[surface] = id
	return id
}

// addPrior adds a field of a section to its prior. The words of a
// keyword of several words ("moscow times") count for less each, and are
// no keywords alone.
func (b *builder) addPrior(si int32, text string, w float32, keyword bool) {
	b.analyze(text, func(id int32, words int) {
		t := &b.x.terms[id]
		w := w
		if keyword && words > 1 {
			w /= 2
		} else if keyword {
			t.keyword = true
		}
		for i := range t.prior {
			if t.prior[i].sec == si {
				t.prior[i].w = max(t.prior[i].w, w)
				return
			}
		}
		t.prior = append(t.prior, prior{sec: si, w: w})
	})
}

// weightInherited is how much a paragraph's label counts for its later
// sentences, which it describes but does not hold.
const weightInherited = 0.5

func (b *builder) addStatement(si int32, p piece, sources []string) {
	x := b.x
	clear(b.tf)
	n := float32(0)
	b.analyze(p.words, func(id int32, _ int) {
		b.tf[id]++
		n++
	})
	b.textToks = append(b.textToks[:0], b.toks...)
	b.labelToks = tokenize(p.label, b.labelToks[:0], &b.buf)
	if p.label != "" && !p.inLabel {
		b.analyze(p.label, func(id int32, _ int) {
			b.tf[id] += weightInherited
		})
	}
	if n == 0 {
		return
	}
	stmt := int32(len(x.stmts))
	outlet := outletOf(p, sources)
	s := indexedStatement{
		section: si,
		text:    p.text,
		label:   p.label,
		outlet:  outlet,
		length:  n,
		feats:   statementFeatures(p, b.textToks, b.labelToks),
		digest:  p.words != p.text,
	}
	// What an outlet reported is what it said: "what did Bloomberg say"
	// asks for the statement that cites it, quoted or not.
	if outlet != "" {
		s.feats |= intentQuote
	}
	for id, tf := range b.tf {
		s.terms = append(s.terms, id)
		x.terms[id].postings = append(x.terms[id].postings, posting{stmt: stmt, tf: tf})
	}
	sort.Slice(s.terms, func(i, j int) bool { return s.terms[i] < s.terms[j] })
	x.stmts = append(x.stmts, s)
}

// perOutlet finds the attribution "per Reuters" or "according to TASS"
// where the article lists no sources.
var perOutlet = regexp.MustCompile(`\b(?:[Pp]er|[Aa]ccording to) ((?:The )?[A-Z][\p{L}\d.]*(?: [A-Z][\p{L}\d.]*)*)`)

// outletOf returns the outlet a statement attributes itself to: a source
// named after "per" or "according to", before "report", or as its label.
func outletOf(p piece, sources []string) string {
	text := p.text
	lower := strings.ToLower(text)
	for _, src := range sources {
		s := strings.ToLower(src)
		if strings.EqualFold(p.label, src) {
			return src
		}
		for _, pat := range [...]string{"per " + s, "according to " + s, s + " report", s + " said", s + " reported"} {
			if strings.Contains(lower, pat) {
				return src
			}
		}
		// "Posts on X cheered it on": a source that opens the sentence.
		if label, rest := cutLabel(text); label != "" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(rest)), s+" ") {
			return src
		}
	}
	if len(sources) == 0 {
		if m := perOutlet.FindStringSubmatch(text); m != nil {
			return strings.TrimRight(m[1], ".")
		}
	}
	return ""
}

// finish indexes the articles, computes the statistics and resolves the
// aliases.
func (b *builder) finish() (*Index, error) {
	x := b.x
	b.findProperNouns()
	for _, a := range b.articles {
		b.index(a)
	}
	n := float64(len(x.stmts))
	total := float32(0)
	for _, s := range x.stmts {
		total += s.length
	}
	if len(x.stmts) > 0 {
		x.avgLen = total / float32(len(x.stmts))
	} else {
		x.avgLen = 1
	}
	if err := b.resolveAliases(); err != nil {
		return nil, err
	}
	idf := func(df int) float32 { return float32(math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))) }
	x.unknownIDF = idf(0)
	for i := range x.terms {
		t := &x.terms[i]
		t.df = int32(len(t.postings))
		t.idf = idf(len(t.postings))
		// A keyword speaks for its whole section: count the section's
		// statements as holding it.
		held := len(t.postings)
		for _, pr := range t.prior {
			sec := &x.sections[pr.sec]
			for _, po := range t.postings {
				if po.stmt >= sec.first && po.stmt < sec.end {
					held--
				}
			}
			held += int(sec.end - sec.first)
		}
		t.weight = idf(held)
		if len(t.postings) == 0 && len(t.key) > 0 && t.key[0] == sectionTermMark {
			// A section's term is evidence of where to look, not of what
			// the question asks: the words it came with weigh for that.
			t.weight = 0
		}
		ns := float64(len(x.sections))
		t.sidf = float32(math.Log(1 + (ns-float64(len(t.prior))+0.5)/(float64(len(t.prior))+0.5)))
	}
	x.typos = contentTypos(x, b.proper)
	x.names = newNameIndex(x, b.proper)
	x.guard = compilePatterns(instructionPatterns)
	x.intents = compileIntents()
	x.conjs = make(map[string]bool, len(conjunctions))
	for _, c := range conjunctions {
		x.conjs[fold(c)] = true
	}
	return x, nil
}
