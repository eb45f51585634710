package guard

import (
	"fmt"
	"slices"
	"strings"
)

// Placement: a figure or date of the rewrite must sit among words of the
// source sentence it comes from. Each figure's context is the informative
// words, names and other figures of its clause, weighted by nearness; a
// rewrite's figure whose context matches a source figure of another value
// better than any source figure of its own value has been moved or
// swapped ("Trade surged 453 %", "signed on May 9").

// A context is a figure's anchor keys, each once; there are a few dozen
// at most, so a slice does better than a map.
type context []string

// stemKey is the key words are paired by across inflections and, for
// cognates, across languages: the folded word without an English
// inflection, cut to five letters.
func stemKey(k string) string {
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if len(k)-len(suf) >= 4 && strings.HasSuffix(k, suf) {
			k = k[:len(k)-len(suf)]
			break
		}
	}
	if len(k) > 5 {
		k = k[:5]
	}
	return k
}

// contextOf returns the context of the tokens [from, to] of d: the
// anchors at most reach informative tokens away on either side, within
// the same span (sentence or clause: within gives each token's).
func contextOf(d *doc, from, to, reach int, within []int32, names bool) context {
	ctx := make(context, 0, 2*reach)
	cl := within[from]
	key := func(i int) string {
		if d.group[i] != "" && !names {
			return ""
		}
		return d.ctxKey[i]
	}
	// walk collects the anchors on one side. The words between this
	// figure and another belong to the nearer of the two ("four pillars
	// and more than 300 accords"), and the walk stops at the other.
	type seen struct {
		k    string
		rank int
		dist int
	}
	var buf [2 * wideReach]seen // a walk keeps at most reach anchors
	walk := func(start, step int) {
		got := buf[:0]
		rank, dist := 1, 0
		for i := start; i >= 0 && i < len(d.toks) && within[i] == cl && rank <= reach; i += step {
			t := d.toks[i]
			if t.kind == tokWord || t.kind == tokNum {
				dist++
			}
			if k := key(i); k != "" {
				got = append(got, seen{k, rank, dist})
				rank++
			}
			if figureAt(d, i) {
				kept := got[:0]
				for _, g := range got {
					if 2*g.dist <= dist || g.dist == dist {
						kept = append(kept, g)
					}
				}
				got = kept
				break
			}
		}
		for _, g := range got {
			if !slices.Contains(ctx, g.k) {
				ctx = append(ctx, g.k)
			}
		}
	}
	walk(from-1, -1)
	walk(to+1, 1)
	return ctx
}

// figureAt reports whether token i of d is a figure of its own: digits
// that are no part of a date, or a number word.
func figureAt(d *doc, i int) bool {
	t := d.toks[i]
	switch t.kind {
	case tokNum:
		return !t.used
	case tokWord:
		return !t.used && t.lex&lxFigureWord != 0
	}
	return false
}

func (a context) shares(b context) int {
	n := 0
	for _, k := range a {
		if slices.Contains(b, k) {
			n++
		}
	}
	return n
}

// Reaches of a figure's context: wide to find it among its own source
// words, near to find it beside another figure's; both within its clause.
const (
	wideReach = 8
	nearReach = 3
)

// placed holds a fact's wide and near contexts; broad says the wide one
// is its sentence's, for want of words in its clause.
type placed struct {
	wide, near context
	broad      bool
}

func placeOf(d *doc, from, to int) placed {
	// Names stand in many statements: they help to find a figure among its
	// own words, not to tell it is beside another's.
	p := placed{wide: contextOf(d, from, to, wideReach, d.clause, true), near: contextOf(d, from, to, nearReach, d.clause, false)}
	if len(p.wide) < 2 {
		// a figure alone in its clause, as a list item's label is: its
		// sentence is its context
		p.wide, p.broad = contextOf(d, from, to, wideReach, d.sent, true), true
	}
	return p
}

// misplaced reports whether a fact of the rewrite belongs with a source
// fact of another value (diff) rather than with one of its own (same):
// it shares no word with any of its own but stands beside words that
// stand beside another, or it shares two words more with another's and a
// larger part of that one's words than of any of its own. The part
// matters when a rewrite joins two statements in one clause: "trade
// figures from early 2024 and Russia's wheat supplies" shares one word of
// the year's two ("early 2024") and three of the wheat supplier's seven.
func misplaced(p placed, same, diff []placed) bool {
	bestSame, bestDiff, nearDiff := 0, 0, 0
	sameFrac, diffFrac := 0.0, 0.0
	for _, s := range same {
		n := p.wide.shares(s.wide)
		bestSame = max(bestSame, n)
		sameFrac = max(sameFrac, fraction(n, len(s.wide)))
	}
	for _, d := range diff {
		if !p.broad && !d.broad {
			n := p.wide.shares(d.wide)
			if n > bestDiff || n == bestDiff && fraction(n, len(d.wide)) > diffFrac {
				bestDiff, diffFrac = n, fraction(n, len(d.wide))
			}
		}
		nearDiff = max(nearDiff, p.near.shares(d.near))
	}
	return bestSame == 0 && nearDiff > 0 || bestDiff >= bestSame+2 && diffFrac > sameFrac
}

func fraction(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func numberMatches(o, s figure) bool {
	if !compatible(o.unit, s.unit) {
		return false
	}
	for _, v := range o.vals {
		for _, w := range s.vals {
			if v == w {
				return true
			}
		}
	}
	return false
}

func dateMatches(o, s date) bool {
	for _, oc := range o.cands {
		if dateInSource(oc, []date{s}) {
			return true
		}
	}
	return false
}

// checkPlacement refuses figures and dates moved to another statement.
func checkPlacement(c *problemList, s *Source, out *doc, of facts) {
	sf, srcNumCtx, srcDateCtx := s.facts, s.numCtx, s.dateCtx
	for _, n := range of.nums {
		if n.inDate || c.full() {
			continue
		}
		var same, diff []placed
		for i, s := range sf.nums {
			if s.inDate {
				continue
			}
			switch {
			case numberMatches(n, s):
				same = append(same, srcNumCtx[i])
			case s.word && (s.vals[0] == "1e0" || s.vals[0] == "2e0"):
				// "first proposed", "both nations": no figure to be moved
			default:
				diff = append(diff, srcNumCtx[i])
			}
		}
		if len(same) > 0 && misplaced(placeOf(out, n.tok, n.end), same, diff) {
			c.add(Number, n.text, fmt.Sprintf("the figure %q stands where the text has another figure", n.text))
		}
	}
	for _, d := range of.dates {
		if c.full() {
			return
		}
		var same, diff []placed
		for i, s := range sf.dates {
			if dateMatches(d, s) {
				same = append(same, srcDateCtx[i])
			} else {
				diff = append(diff, srcDateCtx[i])
			}
		}
		if len(same) > 0 && misplaced(placeOf(out, d.tok, d.end), same, diff) {
			c.add(Date, d.text, fmt.Sprintf("the date %q is given to another event than in the text", d.text))
		}
	}
}

// Coverage: a rewrite keeps most of the source's figures, dates and names;
// how many depends on the style, since a brief may keep only the main ones.
var coverageFloor = map[string]float64{
	"brief":   0.1,
	"bullets": 0.2,
	"simple":  0.25,
	"formal":  0.25,
	"":        0.3,
}

const translationFloor = 0.75

// coverage returns the share of the source's facts and name units that
// the rewrite keeps, and how many there are.
func coverage(src, out *doc, sf, of facts, srcUnits [][]name, outNames []name, outIx *nameIndex) (float64, int) {
	total, kept := 0, 0
	seen := make(map[string]bool)
	for _, s := range sf.nums {
		if s.inDate || seen[s.vals[0]] {
			continue
		}
		seen[s.vals[0]] = true
		total++
		for _, o := range of.nums {
			if numberMatches(o, s) || o.inDate && sameValue(o, s) {
				kept++
				break
			}
		}
	}
	for _, s := range sf.dates {
		k := s.text
		if seen[k] {
			continue
		}
		seen[k] = true
		total++
		for _, o := range of.dates {
			if dateMatches(o, s) || dateMatches(s, o) {
				kept++
				break
			}
		}
	}
	outGroups := make(map[string]bool)
	for _, n := range outNames {
		outGroups[n.id] = true
	}
	for _, u := range srcUnits {
		k := u[0].id
		if seen[k] {
			continue
		}
		seen[k] = true
		total++
		for _, n := range u {
			if strings.HasPrefix(n.id, "g:") && outGroups[n.id] || !strings.HasPrefix(n.id, "g:") && outIx.hasWord(n.key) {
				kept++
				break
			}
		}
	}
	if total == 0 {
		return 1, 0
	}
	return float64(kept) / float64(total), total
}

func sameValue(a, b figure) bool {
	for _, v := range a.vals {
		for _, w := range b.vals {
			if v == w {
				return true
			}
		}
	}
	return false
}
