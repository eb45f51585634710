package guard

import (
	"strings"
	"sync"
	"unicode"
)

// An entity form is a sequence of folded words; a word ending in * is a
// prefix. Forms are looked up by their first word.
type formWord struct {
	key    string
	prefix bool
	caps   bool // written in capitals: matches only capitals
	upper  bool // written with a capital: matches only a capital
	latin  bool // written in Latin letters: matches only Latin letters
}

type form struct {
	group string
	words []formWord
}

type entityIndex struct {
	exact  map[string][]form // by the first word's key
	prefix map[string][]form // by the first four letters of a prefix first word
}

var entities = buildEntities(entityTable)

func buildEntities(table string) *entityIndex {
	ix := &entityIndex{exact: make(map[string][]form), prefix: make(map[string][]form)}
	for _, line := range strings.Split(table, "\n") {
		group, forms, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		group = strings.TrimSpace(group)
		for _, f := range strings.Split(forms, "|") {
			var fw []formWord
			for _, t := range tokenize(strings.TrimSpace(f), nil) {
				switch {
				case t.kind == tokWord || t.kind == tokNum:
					w := formWord{key: t.key, upper: t.upper, latin: latinWord(t.raw)}
					if t.kind == tokNum {
						w.key = t.text
					}
					w.caps = t.upper && strings.ToUpper(t.raw) == t.raw && len([]rune(t.raw)) <= 5
					fw = append(fw, w)
				case t.kind == tokPunct && t.text == "*" && len(fw) > 0:
					fw[len(fw)-1].prefix = true
				}
			}
			if len(fw) == 0 {
				continue
			}
			fm := form{group: group, words: fw}
			if fw[0].prefix {
				k := fw[0].key
				ix.prefix[k[:min(4, len(k))]] = append(ix.prefix[k[:min(4, len(k))]], fm)
			} else {
				ix.exact[fw[0].key] = append(ix.exact[fw[0].key], fm)
			}
		}
	}
	return ix
}

// latinWord reports whether a word starts with a Latin letter.
func latinWord(s string) bool {
	for _, r := range s {
		return unicode.Is(unicode.Latin, r)
	}
	return false
}

func (w formWord) matches(t token) bool {
	if t.kind != tokWord && t.kind != tokNum {
		return false
	}
	if t.kind == tokWord && w.latin != latinWord(t.raw) {
		return false
	}
	key := t.key
	if t.kind == tokNum {
		key = t.text
	}
	if w.caps && (strings.ToUpper(t.raw) != t.raw || !t.upper) {
		return false
	}
	if w.upper && !t.upper && unicodeHasCase(t.raw) {
		return false
	}
	if w.prefix {
		// a short stem takes only short endings: "Iran*" is not "Iranistics"
		return strings.HasPrefix(key, w.key) && (len(w.key) >= 5 || len(key) <= len(w.key)+2)
	}
	return key == w.key
}

// entityAt returns the group of the longest entity form that starts at
// token i, and the index of its last token.
func (d *doc) entityAt(i int) (group string, end int, ok bool) {
	t := d.toks[i]
	if t.kind != tokWord && t.kind != tokNum {
		return "", 0, false
	}
	key := t.key
	if t.kind == tokNum {
		key = t.text
	}
	best := -1
	try := func(forms []form) {
		for _, f := range forms {
			if e, ok := d.formAt(f, i); ok && e > best {
				best, group = e, f.group
			}
		}
	}
	try(entities.exact[key])
	if len(key) >= 4 {
		try(entities.prefix[key[:4]])
	} else {
		try(entities.prefix[key])
	}
	if best < 0 {
		return "", 0, false
	}
	return group, best, true
}

// formAt reports whether form f starts at token i, skipping spaces and the
// punctuation inside names ("U.S.", "EE. UU.", "Díaz-Canel").
func (d *doc) formAt(f form, i int) (int, bool) {
	j := i
	for n, w := range f.words {
		if n > 0 {
			j++
			for j < len(d.toks) && (d.toks[j].kind == tokSpace && !strings.Contains(d.toks[j].raw, "\n") ||
				d.toks[j].kind == tokPunct && strings.ContainsAny(d.toks[j].text, ".-—–")) {
				j++
			}
		}
		if j >= len(d.toks) || !w.matches(d.toks[j]) {
			return 0, false
		}
	}
	return j, true
}

// A name is a group of the entity table ("g:russia") or, for a name the
// table lacks, a capitalised word's folded key ("w:peskov").
type name struct {
	id   string
	key  string // the word's key, for spelling comparisons; "" for groups
	text string
	tok  int
}

// nonNames are capitalised words that are no names: months and days, the
// number words that start "Second World War", titles.
func nonName(t token) bool {
	return t.lex&(lxTitle|lxAcronym|lxWeekday|lxStop) != 0 || monthOf(t.text) > 0 || ordinalWord(t.text) > 0 || cardinalWord(t.text) > 0
}

// commonAcronyms are written in capitals but name no one.
var commonAcronyms = words(`ai ia ki ии gdp pib bip ввп tv тв ceo ок ok сми ngo ong нко faq pdf usd eur`)

var weekdays = words(`monday tuesday wednesday thursday friday saturday sunday lunes martes miércoles jueves viernes sábado domingo
	segunda-feira terça-feira quarta-feira quinta-feira sexta-feira lundi mardi mercredi jeudi vendredi samedi dimanche
	montag dienstag mittwoch donnerstag freitag samstag sonntag понедельник вторник среда четверг пятница суббота воскресенье`)

// names returns the names of d: every entity of the table, and the
// capitalised words that do not start a sentence (or every capitalised
// word, with allCaps; German writes every noun with a capital, so with
// caps false only the table and words in capitals count).
func (d *doc) names(capsMark bool) []name {
	var out []name
	for i := 0; i < len(d.toks); i++ {
		t := d.toks[i]
		if t.kind != tokWord && t.kind != tokNum {
			continue
		}
		if end := int(d.entEnd[i]); end >= 0 {
			out = append(out, name{id: "g:" + d.group[i], text: joinRaw(d.toks, i, end), tok: i})
			i = end
			continue
		}
		if t.kind != tokWord || !t.upper || nonName(t) || len([]rune(t.raw)) < 2 {
			continue
		}
		acronym := strings.ToUpper(t.raw) == t.raw && len([]rune(t.raw)) >= 2
		if d.start[i] && !acronym {
			continue
		}
		if !capsMark && !acronym {
			continue
		}
		if !isLetters(t.raw) {
			continue
		}
		out = append(out, name{id: "w:" + t.key, key: t.key, text: t.raw, tok: i})
	}
	return out
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return true
}

// nameIndex holds the source's names and words for the names check.
type nameIndex struct {
	groups   map[string]bool
	words    map[string]bool     // every word key of the source
	byHead   map[string][]string // word keys by their first two letters, once asked for
	headOnce sync.Once           // a prepared Source's index is shared
}

func newNameIndex(d *doc, names []name) *nameIndex {
	ix := &nameIndex{groups: make(map[string]bool), words: make(map[string]bool, len(d.toks)/3)}
	for _, n := range names {
		if strings.HasPrefix(n.id, "g:") {
			ix.groups[n.id] = true
		}
	}
	for _, t := range d.toks {
		if t.kind == tokWord {
			ix.words[t.key] = true
		}
	}
	return ix
}

// heads indexes the words by their first two letters, once asked for.
func (ix *nameIndex) heads() map[string][]string {
	ix.headOnce.Do(func() {
		ix.byHead = make(map[string][]string)
		for k := range ix.words {
			h := head(k)
			ix.byHead[h] = append(ix.byHead[h], k)
		}
	})
	return ix.byHead
}

func head(k string) string {
	if len(k) >= 2 {
		return k[:2]
	}
	return k
}

// knows reports whether name n of the rewrite is one the source has.
func (ix *nameIndex) knows(n name) bool {
	if strings.HasPrefix(n.id, "g:") {
		return ix.groups[n.id]
	}
	return ix.hasWord(n.key)
}

// hasWord reports whether the source has a word spelled like key.
func (ix *nameIndex) hasWord(key string) bool {
	if ix.words[key] {
		return true
	}
	for _, k := range ix.heads()[head(key)] {
		if similar(key, k) {
			return true
		}
	}
	return false
}

// nameUnits groups names that stand next to each other, joined at most by
// the small words inside names ("Gas Exporting Countries Forum", "Foro de
// Países Exportadores de Gas"): a unit is one name, known if any of its
// words is.
func nameUnits(d *doc, ns []name) [][]name {
	var units [][]name
	for i, n := range ns {
		// two entities of the table are two names; a word next to one is
		// part of it ("Vladimir Putin")
		bothEntities := strings.HasPrefix(n.id, "g:") && strings.HasPrefix(ns[i-1+boolInt(i == 0)].id, "g:")
		if i > 0 && !bothEntities && d.adjacentNames(ns[i-1].tok, n.tok) {
			units[len(units)-1] = append(units[len(units)-1], n)
			continue
		}
		units = append(units, []name{n})
	}
	return units
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var nameJoiners = words(`of and the de del la las los y e do da dos das et des du le und der die von für о и`)

func (d *doc) adjacentNames(a, b int) bool {
	for i := a + 1; i < b; i++ {
		t := d.toks[i]
		switch {
		case t.kind == tokSpace && !strings.Contains(t.raw, "\n"):
		case t.kind == tokPunct && strings.ContainsAny(t.text, "-'’."):
		case t.kind == tokWord && !t.upper && nameJoiners[t.text]:
		default:
			return false
		}
	}
	return true
}
