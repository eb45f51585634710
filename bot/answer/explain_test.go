package answer

import (
	"fmt"
	"strings"
)

// Explain is explain, for the tests of package answer_test.
var Explain = (*Index).explain

// explain describes how a question was read and scored, for tuning.
func (x *Index) explain(question string) string {
	sc := newScratch(x)
	var b strings.Builder
	sc.toks = tokenize(question, sc.toks[:0], &sc.buf)
	l := x.detectLanguage(question, sc.toks)
	fmt.Fprintf(&b, "language %s\n", langCodes[l])
	n := x.analyzeQuestion(sc, l)
	fmt.Fprintf(&b, "parts %d intents %v\n", n, sc.intents)
	for i, s := range sc.slots {
		var terms []string
		for _, t := range sc.terms[s.from:s.to] {
			tm := x.terms[t.id]
			terms = append(terms, fmt.Sprintf("%s(w%.2f idf%.2f df%d kw%v)", tm.key, t.w, tm.idf, tm.df, tm.keyword))
		}
		fmt.Fprintf(&b, "slot %d part %d weight %.2f matched %v inf %v rare %v everyday %v: %s\n", i, s.part, s.weight, s.matched, s.informative, s.rare, s.everyday, strings.Join(terms, " "))
	}
	if len(sc.slots) == 0 {
		return b.String()
	}
	all := uint64(1)<<len(sc.slots) - 1
	intents := sc.intents[0] | sc.intents[1] | sc.intents[2]
	best, ok, cover := x.best(sc, all, all, intents)
	fmt.Fprintf(&b, "best ok %v cover %.2f\n", ok, cover)
	type cand struct {
		id int32
		v  float32
	}
	var cs []cand
	for i := range x.stmts {
		if v := x.total(sc, int32(i), intents); v > 0 {
			cs = append(cs, cand{int32(i), v * x.coverage(sc, int32(i), all).share()})
		}
	}
	for k := 0; k < 6 && k < len(cs); k++ {
		m := k
		for j := k + 1; j < len(cs); j++ {
			if cs[j].v > cs[m].v {
				m = j
			}
		}
		cs[k], cs[m] = cs[m], cs[k]
		s := x.stmts[cs[k].id]
		mark := " "
		if cs[k].id == best {
			mark = "*"
		}
		fmt.Fprintf(&b, "%s %.2f [%s] mask %b|%b %.80s\n", mark, cs[k].v, x.sections[s.section].name, sc.stMask[cs[k].id], sc.secMask[s.section], s.text)
	}
	r, _ := x.Answer(question)
	fmt.Fprintf(&b, "result %s conf %.2f %v\n", r.Refusal, r.Confidence, len(r.Statements))
	for _, s := range r.Statements {
		fmt.Fprintf(&b, "  -> [%s] %.90s\n", s.Section, s.Text)
	}
	return b.String()
}

// Tune sets constants of the ranking by name, for TestCalibrate, and
// returns a function that restores them.
func (x *Index) Tune(values map[string]float32) (restore func()) {
	orig := x.params
	p := &x.params
	for k, v := range values {
		switch k {
		case "unmatched":
			p.unmatched = v
		case "minCover":
			p.minCover = v
		case "informative":
			p.informative = v
		case "prior":
			p.prior = v
		case "featBoost":
			p.featBoost = v
		case "secBoost":
			p.secBoost = v
		case "digest":
			p.digest = v
		case "rareContext":
			p.rareContext = v
		case "unknownCap":
			p.unknownCap = v
		case "everyday":
			p.everyday = int(v)
		case "everydayShare":
			p.everydayShare = v
		case "filler":
			p.filler = v
		case "rareDF":
			p.rareDF = int32(v)
		default:
			panic("Tune: no constant " + k)
		}
	}
	return func() { x.params = orig }
}
