package guard

import (
	"strconv"
	"strings"
)

// Values.

// numKey is the canonical form of the decimal intPart.frac × 10^pow:
// significant digits and an exponent, "15e5" for 1.5 million.
func numKey(intPart, frac string, pow int) string {
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return "0"
	}
	exp := pow - len(frac)
	k := len(digits)
	for k > 1 && digits[k-1] == '0' {
		k--
		exp++
	}
	return digits[:k] + "e" + strconv.Itoa(exp)
}

// scaleKey multiplies a canonical value by 10^pow.
func scaleKey(key string, pow int) string {
	digits, exp, ok := strings.Cut(key, "e")
	if !ok {
		return key // zero
	}
	e, _ := strconv.Atoi(exp)
	return digits + "e" + strconv.Itoa(e+pow)
}

// Facts.

type figure struct {
	vals    []string // the values the number may have, canonical
	percent bool
	inDate  bool
	text    string
	unit    string // see unitAfter; "pct" for a percentage
	tok     int    // its first token
	end     int    // its last token
	word    bool   // written in words
}

type facts struct {
	nums  []figure
	dates []date
}

// scanFacts finds the numbers and dates of s. lenient adds the values of
// English number words ("two", "third"), for the source only: an answer
// may write in digits what the source spelled out.
func scanFacts(d *doc, lenient bool) facts {
	ts := d.toks
	var f facts
	f.dates = append(numericDates(ts), monthDates(ts)...)
	for i := 0; i < len(ts); i++ {
		switch ts[i].kind {
		case tokNum:
			if listNumber(ts, i) {
				continue
			}
			n, next := readNumber(ts, i)
			f.nums = append(f.nums, n)
			i = next - 1
		case tokWord:
			if ts[i].used {
				continue
			}
			if n, next, ok := readWordNumber(ts, i, lenient); ok {
				n.tok, n.end, n.word = i, next-1, true
				if n.unit == "" && !n.percent {
					n.unit, n.end = unitAfter(ts, i, n.end)
				}
				f.nums = append(f.nums, n)
				i = next - 1
			} else if ts[i].upper {
				if n, ok := romanNumeral(ts[i]); ok {
					n.tok, n.end = i, i
					f.nums = append(f.nums, n)
				}
			}
		}
	}
	return f
}

// listNumber reports whether the number at i numbers a list item: at the
// start of a line, one or two digits, then "." or ")" and a space.
func listNumber(ts []token, i int) bool {
	prev := at(ts, i-1)
	if i > 0 && (prev.kind != tokSpace || prev.inlineSpace()) {
		return false
	}
	return len(ts[i].text) <= 2 && at(ts, i+1).is(tokPunct, ".", ")") && at(ts, i+2).kind == tokSpace
}

// separator returns how the token between two groups of digits separates
// them: ",", ".", "'" or " ".
func separator(t token) (string, bool) {
	switch {
	case t.is(tokPunct, ",", "."):
		return t.text, true
	case t.is(tokPunct, "'", "’"):
		return "'", true
	case t.kind == tokSpace && len([]rune(t.raw)) == 1 && t.inlineSpace():
		return " ", true
	}
	return "", false
}

// readNumber reads the number starting at ts[i] with its separators,
// percent sign or scale word, and returns the index after it.
func readNumber(ts []token, i int) (figure, int) {
	if ts[i].used {
		return figure{vals: []string{numKey(ts[i].text, "", 0)}, inDate: true, text: ts[i].raw, tok: i, end: i}, i + 1
	}
	groups, seps := []string{ts[i].text}, []string(nil)
	j := i
	for j+2 < len(ts) {
		g := ts[j+2]
		sep, ok := separator(ts[j+1])
		if !ok || g.kind != tokNum || g.used {
			break
		}
		if sep == " " {
			if len(g.text) != 3 || len(groups[0]) > 3 || (len(seps) > 0 && seps[0] != " ") {
				break
			}
		} else if len(seps) > 0 && len(groups[len(groups)-1]) != 3 {
			break // a decimal part ends the number
		}
		seps, groups = append(seps, sep), append(groups, g.text)
		j += 2
	}
	vals := numberValues(groups, seps)
	if vals == nil {
		j, vals = i, []string{numKey(groups[0], "", 0)}
	}
	n := figure{vals: vals}
	end := j
	k := j + 1
	if at(ts, k).inlineSpace() {
		k++
	}
	switch {
	case at(ts, i-1).is(tokPunct, "%", "٪", "％"): // Turkish: %70
		n.percent = true
	case at(ts, k).is(tokPunct, "%", "٪", "％", "‰"):
		n.percent, end = true, k
	default:
		if e, ok := percentWord(ts, k); ok {
			n.percent, end = true, e
		} else if p, e, ok := scaleWord(ts, k); ok {
			for x := range n.vals {
				n.vals[x] = scaleKey(n.vals[x], p)
			}
			end = e
		}
	}
	if n.percent {
		n.unit = "pct"
		if u, e := pointsAfter(ts, end); u != "" {
			n.unit, end = u, e
		}
	} else {
		n.unit, end = unitAfter(ts, i, end)
	}
	n.text = joinRaw(ts, i, end)
	if n.percent && at(ts, i-1).is(tokPunct, "%", "٪", "％") {
		n.text = ts[i-1].raw + n.text
	}
	n.tok, n.end = i, end
	return n, end + 1
}

// numberValues interprets groups of digits and the separators between
// them. A lone "," or "." before three digits is ambiguous — 1,234 is
// twelve hundred and something in English and one and a bit in Spanish —
// so both values are returned, unless the three digits end in a zero.
// It returns nil for groupings that are no number ("1.2.3").
func numberValues(groups, seps []string) []string {
	if len(seps) == 0 {
		return []string{numKey(groups[0], "", 0)}
	}
	grouped := func(gs []string) bool { // thousands: 1–3 digits, then threes
		if len(gs[0]) > 3 {
			return false
		}
		for _, g := range gs[1:] {
			if len(g) != 3 {
				return false
			}
		}
		return true
	}
	last := seps[len(seps)-1]
	head := seps[:len(seps)-1]
	for _, s := range head {
		if s != seps[0] {
			return nil
		}
	}
	switch {
	case last == " " || (len(head) > 0 && last == head[0]):
		if !grouped(groups) {
			return nil
		}
		return []string{numKey(strings.Join(groups, ""), "", 0)}
	case len(head) > 0: // 1,234.5 or 1.234,5 or 1 234,5
		if last == "'" || !grouped(groups[:len(groups)-1]) {
			return nil
		}
		return []string{numKey(strings.Join(groups[:len(groups)-1], ""), groups[len(groups)-1], 0)}
	case last == "'":
		if !grouped(groups) {
			return nil
		}
		return []string{numKey(groups[0]+groups[1], "", 0)}
	case grouped(groups) && strings.HasSuffix(groups[1], "0"):
		// Nobody writes 300.000 for 300 or 1,500 for 1.5: a thousand.
		return []string{numKey(groups[0]+groups[1], "", 0)}
	case grouped(groups):
		return []string{numKey(groups[0]+groups[1], "", 0), numKey(groups[0], groups[1], 0)}
	default:
		return []string{numKey(groups[0], groups[1], 0)}
	}
}

// percentWords start the words that make a number a percentage.
var percentWords = []string{"percent", "pct", "prozent", "procent", "percento", "porcento", "процент", "проц", "відсот", "відсоток"}

// percentWord reports whether ts[k:] says "percent" in a language offered,
// and returns the index of its last token.
func percentWord(ts []token, k int) (int, bool) {
	if at(ts, k).is(tokPunct, "-") && at(ts, k+1).kind == tokWord { // 70-процентный
		k++
	}
	w := at(ts, k)
	if w.kind != tokWord {
		return 0, false
	}
	for _, p := range percentWords {
		if strings.HasPrefix(w.text, p) {
			return k, true
		}
	}
	if w.is(tokWord, "per", "por", "pour") && at(ts, k+1).inlineSpace() && at(ts, k+2).is(tokWord, "cent", "ciento", "cento") {
		return k + 2, true
	}
	return 0, false
}

// Scale words, by language: exact words, then stems of inflected ones.
var (
	scaleWords = map[string]int{
		"thousand": 3, "thousands": 3, "tausend": 3, "mille": 3, "mila": 3, "mil": 3,
		"million": 6, "millions": 6, "millón": 6, "millones": 6, "milhão": 6, "milhões": 6,
		"millionen": 6, "mio": 6, "milione": 6, "milioni": 6, "miljoen": 6, "milion": 6,
		"miliony": 6, "milionów": 6, "milyon": 6, "млн": 6,
		"billion": 9, "billions": 9, "milliard": 9, "milliards": 9, "milliarde": 9, "milliarden": 9,
		"mrd": 9, "miliardo": 9, "miliardi": 9, "bilhão": 9, "bilhões": 9, "milyar": 9, "млрд": 9,
		"trillion": 12, "trillions": 12, "billón": 12, "billones": 12,
		"lakh": 5, "crore": 7, "लाख": 5, "करोड़": 7, "тыс": 3,
	}
	scaleStems = []struct {
		stem string
		pow  int
	}{
		{"миллиард", 9}, {"миллион", 6}, {"мільярд", 9}, {"мільйон", 6}, {"тысяч", 3}, {"тисяч", 3},
	}
	// bareScales are the singular scale words that mean one of them on
	// their own: "a million", "un millón", "менее миллиона".
	bareScales = map[string]int{
		"million": 6, "millón": 6, "milhão": 6, "milione": 6, "miljoen": 6, "milion": 6,
		"миллион": 6, "миллиона": 6, "миллионе": 6, "миллионом": 6, "мільйон": 6, "мільйона": 6,
		"billion": 9, "milliard": 9, "milliarde": 9, "миллиард": 9, "миллиарда": 9, "мільярд": 9,
		"мільярда": 9, "billón": 12, "trillion": 12,
	}
	// multipliers are the number words read before a scale word: "two
	// million", "dos millones", "два миллиона".
	multipliers = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
		"nueve": 9, "diez": 10, "um": 1, "dois": 2, "duas": 2, "três": 3, "une": 1, "deux": 2, "trois": 3,
		"ein": 1, "eine": 1, "zwei": 2, "drei": 3, "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3,
		"четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
	}
	// englishNumbers are the number words of an English source.
	englishNumbers = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
		"hundred": 100, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "dozen": 12, "both": 2, "twice": 2,
	}
)

// scaleWord reports whether ts[k:] is a scale word ("million", "млн",
// "mil millones", "万") and returns its power of ten and last token.
func scaleWord(ts []token, k int) (pow, end int, ok bool) {
	w := at(ts, k)
	if w.kind != tokWord {
		return 0, 0, false
	}
	if w.text == "mil" && at(ts, k+1).inlineSpace() && at(ts, k+2).is(tokWord, "millones", "milhões") {
		return 9, k + 2, true
	}
	if p, ok := scaleWords[w.text]; ok {
		return p, k, true
	}
	for _, s := range scaleStems {
		if strings.HasPrefix(w.text, s.stem) {
			return s.pow, k, true
		}
	}
	switch []rune(w.text)[0] {
	case '万', '萬', '만':
		return 4, k, true
	case '亿', '億', '억':
		return 8, k, true
	}
	return 0, 0, false
}

// readWordNumber reads a number said with words: "two million", "un
// millón", "миллиона", or, with lenient, an English number word.
func readWordNumber(ts []token, i int, lenient bool) (figure, int, bool) {
	w := ts[i]
	if w.lex&lxNumberWord == 0 || w.upper && len(w.raw) > 1 && strings.ToUpper(w.raw) == w.raw {
		return figure{}, 0, false // not "UN", "DOS"
	}
	if m, ok := multipliers[w.text]; ok && at(ts, i+1).inlineSpace() {
		if p, end, ok := scaleWord(ts, i+2); ok {
			return figure{vals: []string{numKey(strconv.Itoa(m), "", p)}, text: joinRaw(ts, i, end)}, end + 1, true
		}
	}
	if w.text == "mil" && at(ts, i+1).inlineSpace() && at(ts, i+2).is(tokWord, "millones", "milhões") {
		return figure{vals: []string{numKey("1", "", 9)}, text: joinRaw(ts, i, i+2)}, i + 3, true
	}
	// "half a million", "medio millón", "meio milhão", "un demi-million",
	// "eine halbe Million", "полмиллиона"
	if halves[w.text] {
		k := i + 1
		for k < len(ts) && (ts[k].kind == tokSpace && ts[k].inlineSpace() || ts[k].is(tokPunct, "-") || ts[k].is(tokWord, "a", "an", "un", "um", "eine", "einer")) {
			k++
		}
		if p, ok := bareScales[at(ts, k).text]; ok {
			return figure{vals: []string{numKey("5", "", p-1)}, text: joinRaw(ts, i, k)}, k + 1, true
		}
	}
	if rest, ok := strings.CutPrefix(w.text, "пол"); ok {
		if p, ok := bareScales[rest]; ok {
			return figure{vals: []string{numKey("5", "", p-1)}, text: w.raw}, i + 1, true
		}
	}
	if p, ok := bareScales[w.text]; ok {
		return figure{vals: []string{numKey("1", "", p)}, text: w.raw}, i + 1, true
	}
	if v, ok := englishNumbers[w.text]; ok && lenient {
		return figure{vals: []string{numKey(strconv.Itoa(v), "", 0)}, text: w.raw}, i + 1, true
	}
	if n, ok := foldWord(w.text); ok {
		return figure{vals: []string{numKey(strconv.Itoa(n), "", 0)}, unit: "times", text: w.raw}, i + 1, true
	}
	v, end, ordinal, ok := readNumberWords(ts, i)
	if !ok {
		return figure{}, 0, false
	}
	n := figure{vals: []string{numKey(strconv.Itoa(v), "", 0)}, text: joinRaw(ts, i, end)}
	k := end + 1
	if at(ts, k).inlineSpace() {
		k++
	}
	if e, isPct := percentWord(ts, k); isPct && !ordinal {
		n.percent, n.unit, end = true, "pct", e
	} else if at(ts, k).is(tokPunct, "%") && !ordinal {
		n.percent, n.unit, end = true, "pct", k
	} else if p, e, isScale := scaleWord(ts, k); isScale && !ordinal {
		n.vals[0] = scaleKey(n.vals[0], p)
		end = e
	}
	n.text = joinRaw(ts, i, end)
	// An answer says "one", "un", "both", "the second" without stating a
	// figure; only the source's small number words count, and a rewrite's
	// when they carry a unit.
	if v <= 2 && !lenient && !n.percent && end == i {
		return figure{}, 0, false
	}
	return n, end + 1, true
}

// numberStarts holds the first two bytes of every number word, scale
// word and ordinal, so that most words are passed over at once.
var numberStarts = func() map[string]bool {
	m := make(map[string]bool)
	add := func(w string) { m[w[:min(len(w), 2)]] = true }
	for w := range cardinals {
		add(w)
	}
	for w := range ordinals {
		add(w)
	}
	for _, s := range ordinalStems {
		add(s.stem)
	}
	for w := range multipliers {
		add(w)
	}
	for w := range bareScales {
		add(w)
	}
	for w := range englishNumbers {
		add(w)
	}
	for _, u := range germanUnits {
		add(u.w)
	}
	add("hundert")
	add("mil")
	for w := range halves {
		add(w)
	}
	add("пол")
	return m
}()

func maybeNumberWord(w string) bool {
	if !numberStarts[w[:min(len(w), 2)]] {
		return strings.HasSuffix(w, "fold")
	}
	if positiveNumbers[w] {
		return true
	}
	return w == "mil" || halves[w] || strings.HasPrefix(w, "пол") || w == "zero" || w == "cero" || ordinalWord(w) > 0 || numberWordDE(w) > 0 || strings.HasSuffix(w, "fold")
}

// positiveNumbers holds the words of the number tables with a value above
// zero: what maybeNumberWord looks up first.
var positiveNumbers = func() map[string]bool {
	m := make(map[string]bool)
	for _, t := range []map[string]int{cardinals, ordinals, multipliers, bareScales, englishNumbers, multiplierWords} {
		for w, v := range t {
			if v > 0 {
				m[w] = true
			}
		}
	}
	return m
}()

// halves are the words for half before a scale word.
var halves = words(`half medio media meio meia demi halbe halben`)

// foldWord reads "fourfold", "tenfold".
func foldWord(w string) (int, bool) {
	if stem, ok := strings.CutSuffix(w, "fold"); ok && stem != "" {
		if n := cardinalWord(stem); n > 0 {
			return n, true
		}
	}
	return 0, false
}

// romanNumeral reads a Roman numeral written in capitals, of two letters
// or more ("World War II", "XXI"): one letter is a pronoun or an initial.
func romanNumeral(t token) (figure, bool) {
	r := t.raw
	if len(r) < 2 || len(r) > 8 || romanValue(r[0]) == 0 || strings.Trim(r, "IVXLC") != "" {
		return figure{}, false
	}
	total := 0
	for i := 0; i < len(r); i++ {
		v := romanValue(r[i])
		if i+1 < len(r) && romanValue(r[i+1]) > v {
			total -= v
		} else {
			total += v
		}
	}
	// only canonical spellings: a word such as "CIVIL" or "LC" is no number
	if total <= 0 || toRoman(total) != r {
		return figure{}, false
	}
	return figure{vals: []string{numKey(strconv.Itoa(total), "", 0)}, text: r}, true
}

func romanValue(c byte) int {
	switch c {
	case 'I':
		return 1
	case 'V':
		return 5
	case 'X':
		return 10
	case 'L':
		return 50
	case 'C':
		return 100
	}
	return 0
}

func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}
