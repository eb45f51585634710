package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// This file holds the guard every language-model answer passes before a
// reader sees it. It checks facts it can recognise without understanding
// the text — numbers, percentages, dates, quotations, mentions and links —
// in English, Spanish, Russian and, less thoroughly, in the other offered
// languages. It errs on the side of refusing: a refused answer costs the
// reader only the curated text.
//
// What it does not catch: numbers spelled out in words ("three hundred";
// the prompts ask for digits, and "a million"/"un millón"/"миллион" and
// "two million" are understood), and a changed meaning that keeps every
// number, date and quote.

// Rule names a check of CheckRephrasing.
type Rule string

const (
	RuleEmpty   Rule = "empty"   // the answer is blank
	RuleLength  Rule = "length"  // the answer does not fit, or was cut off
	RuleMention Rule = "mention" // @everyone, @here, <@id>, <@&id>, <#id>, or an @name the text lacks
	RuleLink    Rule = "link"    // a link the text lacks
	RuleNumber  Rule = "number"  // a number or percentage the text lacks
	RuleDate    Rule = "date"    // a date the text lacks
	RuleQuote   Rule = "quote"   // a quotation the text lacks
)

// Problem is one reason an answer was refused.
type Problem struct {
	Rule   Rule
	Found  string // the offending part of the answer, if there is one
	Reason string // a sentence for the log and for the strict prompt
}

// Rejection is the error CheckRephrasing returns: every reason the answer
// was refused.
type Rejection struct {
	Problems []Problem
}

// Reasons returns the problems' sentences.
func (r *Rejection) Reasons() []string {
	out := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		out[i] = p.Reason
	}
	return out
}

func (r *Rejection) Error() string {
	return "rephrasing rejected: " + strings.Join(r.Reasons(), "; ")
}

// GuardOptions tune CheckRephrasing.
type GuardOptions struct {
	// Translated says the answer is in another language than the source.
	// Quotations then cannot be compared word for word: an answer may hold
	// no more quotations of three words or more than the source holds
	// (shorter quoted spans are names and titles, which Russian and other
	// typographies put in quotes), while the digits inside them are checked
	// like every other number.
	Translated bool
	// MaxLen is the longest answer accepted, counted by Len;
	// 0 means MaxEmbedDescription.
	MaxLen int
}

// CheckRephrasing checks a language model's rewrite of source. It returns
// nil if output may be shown, or a *Rejection listing every problem:
//
//   - output is empty or longer than opts.MaxLen;
//   - output mentions anyone: @everyone and @here, <@id>, <@!id>, <@&id>,
//     <#id> and </command:id> always, and a bare @name unless the source has
//     the same @name (an X handle, say). "name@example.com" is an address,
//     not a mention, and passes;
//   - output has a link (scheme://…, www.…, domain.tld/path such as
//     discord.gg/…, or a Markdown link) that the source lacks;
//   - a number or percentage in output is not in source. Numbers are
//     compared by value: "70%" = "70 %" = "70 percent" = "70 por ciento" =
//     "70 процентов"; "1 million" = "1,000,000" = "1.000.000" = "1 000 000"
//     = "1 млн" = "un millón"; "80th", "80.º" and "80-й" are 80. A
//     percentage must be a percentage in the source too; a plain number may
//     match any number of the source. Digits of every script count, so a
//     translation must keep them. A list number at the start of a line
//     ("1. ") is not a fact;
//   - a date in output (a month name with a day or a year, in English,
//     Spanish, Portuguese, French, German, Italian, Russian or Ukrainian,
//     or 07.05.2025, 2025-05-07, 5/7/2025) does not match a date of the
//     source: same month, same day if output has one, and the same year
//     unless the source gives that day no year;
//   - a quotation in output (“…”, "…", «…», „…“, ‘…’, 「…」) is not, part by
//     part around an ellipsis, in the source, ignoring case and spacing;
//     see GuardOptions.Translated for translations. Plain 'single quotes'
//     are not read as quotations: they cannot be told from apostrophes.
func CheckRephrasing(source, output string, opts GuardOptions) error {
	output = strings.TrimSpace(output)
	if output == "" {
		return &Rejection{Problems: []Problem{{Rule: RuleEmpty, Reason: "the answer is empty"}}}
	}
	var c problemList
	limit := opts.MaxLen
	if limit <= 0 {
		limit = MaxEmbedDescription
	}
	if n := Len(output); n > limit {
		c.add(RuleLength, "", fmt.Sprintf("the answer is %d characters long; at most %d fit", n, limit))
		if n > 4*limit { // far off: not worth reading further
			return &Rejection{Problems: c.problems}
		}
	}
	checkMentions(&c, source, output)
	checkLinks(&c, source, output)
	// Mentions and links are reported once, not again for their digits.
	source, output = withoutMarkup(source), withoutMarkup(output)
	src, out := scanFacts(source, true), scanFacts(output, false)
	checkNumbers(&c, src, out)
	checkDates(&c, src, out)
	checkQuotes(&c, source, output, opts.Translated)
	if len(c.problems) == 0 {
		return nil
	}
	return &Rejection{Problems: c.problems}
}

type problemList struct {
	problems []Problem
	seen     map[string]bool
}

func (c *problemList) add(rule Rule, found, reason string) {
	k := string(rule) + "\x00" + found + "\x00" + reason
	if c.seen[k] {
		return
	}
	if c.seen == nil {
		c.seen = make(map[string]bool)
	}
	c.seen[k] = true
	c.problems = append(c.problems, Problem{Rule: rule, Found: found, Reason: reason})
}

// Mentions and links.

var (
	pingRE      = regexp.MustCompile(`(?i)@(?:everyone|here)\b`)
	idMentionRE = regexp.MustCompile(`<(?:@[!&]?|#|/[^<>:\s]+:)\d+>`)
	handleRE    = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_.+\-@])@([\p{L}\p{N}_][\p{L}\p{N}_.]*)`)
	linkRE      = regexp.MustCompile(`(?i)(?:\b[a-z][a-z0-9+.\-]*://|\bwww\.)[^\s<>()\[\]{}"“”«»]+|\b(?:[a-z0-9\-]+\.)+[a-z]{2,}/[^\s<>()\[\]{}"“”«»]*`)
)

// findLinks returns the links in s. Most texts have none; the cheap test
// first spares them the regular expression.
func findLinks(s string) []string {
	if !strings.Contains(s, "/") && !strings.Contains(strings.ToLower(s), "www.") {
		return nil
	}
	return linkRE.FindAllString(s, -1)
}

func handles(s string) map[string]bool {
	out := make(map[string]bool)
	if !strings.Contains(s, "@") {
		return out
	}
	for _, m := range handleRE.FindAllStringSubmatch(s, -1) {
		out[strings.ToLower(strings.TrimRight(m[1], "."))] = true
	}
	return out
}

func checkMentions(c *problemList, source, output string) {
	if !strings.ContainsAny(output, "@<") {
		return
	}
	for _, m := range pingRE.FindAllString(output, -1) {
		c.add(RuleMention, m, "the answer mentions "+m)
	}
	for _, m := range idMentionRE.FindAllString(output, -1) {
		c.add(RuleMention, m, "the answer mentions "+m)
	}
	have := handles(source)
	for _, m := range handleRE.FindAllStringSubmatch(idMentionRE.ReplaceAllLiteralString(output, " "), -1) {
		h := strings.ToLower(strings.TrimRight(m[1], "."))
		if h == "" || have[h] || h == "everyone" || h == "here" {
			continue
		}
		c.add(RuleMention, "@"+m[1], "the answer mentions @"+m[1]+", which the text does not")
	}
}

// withoutMarkup blanks out id mentions and links.
func withoutMarkup(s string) string {
	if strings.Contains(s, "<") {
		s = idMentionRE.ReplaceAllLiteralString(s, " ")
	}
	for _, l := range findLinks(s) {
		s = strings.Replace(s, l, " ", 1)
	}
	return s
}

// normLink is the form links are compared in: no scheme, no www., no
// trailing punctuation, lowercase.
func normLink(l string) string {
	l = strings.ToLower(l)
	if _, rest, ok := strings.Cut(l, "://"); ok {
		l = rest
	}
	l = strings.TrimPrefix(l, "www.")
	return strings.TrimRight(l, ".,;:!?)'/’»”")
}

func checkLinks(c *problemList, source, output string) {
	have := make(map[string]bool)
	for _, l := range findLinks(source) {
		have[normLink(l)] = true
	}
	for _, l := range findLinks(output) {
		if !have[normLink(l)] {
			c.add(RuleLink, l, "the answer has a link the text lacks: "+l)
		}
	}
}

// Tokens.

type gkind uint8

const (
	gSpace gkind = iota
	gNum
	gWord
	gPunct
)

// gtoken is a run of digits, of letters, of spaces, or one other rune.
type gtoken struct {
	kind gkind
	text string // digits in ASCII; words lowercased
	raw  string // as written
	used bool   // part of a date
}

// digitValue is the value of a decimal digit of any script, or -1.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || !unicode.IsDigit(r) {
		return -1
	}
	// Unicode's decimal digits come in runs of ten from zero.
	start := r
	for start > 0 && unicode.IsDigit(start-1) {
		start--
	}
	return int(r-start) % 10
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me)
}

func guardTokens(s string) []gtoken {
	rs := []rune(s)
	var out []gtoken
	for i := 0; i < len(rs); {
		j := i + 1
		r := rs[i]
		switch {
		case digitValue(r) >= 0:
			for j < len(rs) && digitValue(rs[j]) >= 0 {
				j++
			}
			b := make([]byte, 0, j-i)
			for _, d := range rs[i:j] {
				b = append(b, byte('0'+digitValue(d)))
			}
			out = append(out, gtoken{kind: gNum, text: string(b), raw: string(rs[i:j])})
		case isWordRune(r):
			for j < len(rs) && isWordRune(rs[j]) && digitValue(rs[j]) < 0 {
				j++
			}
			raw := string(rs[i:j])
			out = append(out, gtoken{kind: gWord, text: strings.ToLower(raw), raw: raw})
		case unicode.IsSpace(r):
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			out = append(out, gtoken{kind: gSpace, text: string(rs[i:j]), raw: string(rs[i:j])})
		default:
			out = append(out, gtoken{kind: gPunct, text: string(r), raw: string(r)})
		}
		i = j
	}
	return out
}

// inlineSpace reports whether t is a short space within a line, such as
// separates "70" from "%" or groups "1 000 000".
func (t gtoken) inlineSpace() bool {
	return t.kind == gSpace && len([]rune(t.raw)) <= 2 && !strings.ContainsAny(t.raw, "\n\r\u2028\u2029")
}

func (t gtoken) is(kind gkind, texts ...string) bool {
	if t.kind != kind {
		return false
	}
	for _, s := range texts {
		if t.text == s {
			return true
		}
	}
	return len(texts) == 0
}

// at returns the token at i, or a space token outside the slice.
func at(ts []gtoken, i int) gtoken {
	if i < 0 || i >= len(ts) {
		return gtoken{kind: gSpace, text: "\n", raw: "\n"}
	}
	return ts[i]
}

func nextSolid(ts []gtoken, i int) int {
	for i < len(ts) && ts[i].kind == gSpace {
		i++
	}
	return i
}

func prevSolid(ts []gtoken, i int) int {
	for i >= 0 && ts[i].kind == gSpace {
		i--
	}
	return i
}

func joinRaw(ts []gtoken, from, to int) string {
	var b strings.Builder
	for i := max(from, 0); i <= to && i < len(ts); i++ {
		b.WriteString(ts[i].raw)
	}
	return strings.TrimSpace(b.String())
}

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

type gnum struct {
	vals    []string // the values the number may have, canonical
	percent bool
	inDate  bool
	text    string
}

type ymd struct{ y, m, d int }

type gdate struct {
	cands []ymd // the dates it may be (5/7/2025 is two)
	text  string
}

type gfacts struct {
	nums  []gnum
	dates []gdate
}

// scanFacts finds the numbers and dates of s. lenient adds the values of
// English number words ("two", "third"), for the source only: an answer
// may write in digits what the source spelled out.
func scanFacts(s string, lenient bool) gfacts {
	ts := guardTokens(s)
	var f gfacts
	f.dates = append(numericDates(ts), monthDates(ts)...)
	for i := 0; i < len(ts); i++ {
		switch ts[i].kind {
		case gNum:
			if listNumber(ts, i) {
				continue
			}
			n, next := readNumber(ts, i)
			f.nums = append(f.nums, n)
			i = next - 1
		case gWord:
			if n, next, ok := readWordNumber(ts, i, lenient); ok {
				f.nums = append(f.nums, n)
				i = next - 1
			}
		}
	}
	return f
}

// listNumber reports whether the number at i numbers a list item: at the
// start of a line, one or two digits, then "." or ")" and a space.
func listNumber(ts []gtoken, i int) bool {
	prev := at(ts, i-1)
	if i > 0 && (prev.kind != gSpace || prev.inlineSpace()) {
		return false
	}
	return len(ts[i].text) <= 2 && at(ts, i+1).is(gPunct, ".", ")") && at(ts, i+2).kind == gSpace
}

// separator returns how the token between two groups of digits separates
// them: ",", ".", "'" or " ".
func separator(t gtoken) (string, bool) {
	switch {
	case t.is(gPunct, ",", "."):
		return t.text, true
	case t.is(gPunct, "'", "’"):
		return "'", true
	case t.kind == gSpace && len([]rune(t.raw)) == 1 && t.inlineSpace():
		return " ", true
	}
	return "", false
}

// readNumber reads the number starting at ts[i] with its separators,
// percent sign or scale word, and returns the index after it.
func readNumber(ts []gtoken, i int) (gnum, int) {
	if ts[i].used {
		return gnum{vals: []string{numKey(ts[i].text, "", 0)}, inDate: true, text: ts[i].raw}, i + 1
	}
	groups, seps := []string{ts[i].text}, []string(nil)
	j := i
	for j+2 < len(ts) {
		g := ts[j+2]
		sep, ok := separator(ts[j+1])
		if !ok || g.kind != gNum || g.used {
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
	n := gnum{vals: vals}
	end := j
	k := j + 1
	if at(ts, k).inlineSpace() {
		k++
	}
	switch {
	case at(ts, i-1).is(gPunct, "%", "٪", "％"): // Turkish: %70
		n.percent = true
	case at(ts, k).is(gPunct, "%", "٪", "％", "‰"):
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
	n.text = joinRaw(ts, i, end)
	if n.percent && at(ts, i-1).is(gPunct, "%", "٪", "％") {
		n.text = ts[i-1].raw + n.text
	}
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
func percentWord(ts []gtoken, k int) (int, bool) {
	if at(ts, k).is(gPunct, "-") && at(ts, k+1).kind == gWord { // 70-процентный
		k++
	}
	w := at(ts, k)
	if w.kind != gWord {
		return 0, false
	}
	for _, p := range percentWords {
		if strings.HasPrefix(w.text, p) {
			return k, true
		}
	}
	if w.is(gWord, "per", "por", "pour") && at(ts, k+1).inlineSpace() && at(ts, k+2).is(gWord, "cent", "ciento", "cento") {
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
func scaleWord(ts []gtoken, k int) (pow, end int, ok bool) {
	w := at(ts, k)
	if w.kind != gWord {
		return 0, 0, false
	}
	if w.text == "mil" && at(ts, k+1).inlineSpace() && at(ts, k+2).is(gWord, "millones", "milhões") {
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
func readWordNumber(ts []gtoken, i int, lenient bool) (gnum, int, bool) {
	w := ts[i]
	if m, ok := multipliers[w.text]; ok && at(ts, i+1).inlineSpace() {
		if p, end, ok := scaleWord(ts, i+2); ok {
			return gnum{vals: []string{numKey(strconv.Itoa(m), "", p)}, text: joinRaw(ts, i, end)}, end + 1, true
		}
	}
	if w.text == "mil" && at(ts, i+1).inlineSpace() && at(ts, i+2).is(gWord, "millones", "milhões") {
		return gnum{vals: []string{numKey("1", "", 9)}, text: joinRaw(ts, i, i+2)}, i + 3, true
	}
	if p, ok := bareScales[w.text]; ok {
		return gnum{vals: []string{numKey("1", "", p)}, text: w.raw}, i + 1, true
	}
	if v, ok := englishNumbers[w.text]; ok && lenient {
		return gnum{vals: []string{numKey(strconv.Itoa(v), "", 0)}, text: w.raw}, i + 1, true
	}
	return gnum{}, 0, false
}

// Dates.

var months = map[string]int{
	// English
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	// Spanish
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
	"septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
	// Portuguese
	"janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
	"outubro": 10, "novembro": 11, "dezembro": 12,
	// French
	"janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
	"septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
	// German
	"januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
	// Italian
	"gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
	"ottobre": 10, "dicembre": 12,
	// Russian forms of May, whose stem is too short to match by prefix
	"май": 5, "мая": 5, "мае": 5, "маю": 5, "маем": 5,
}

// monthStems match the inflected months of Russian and Ukrainian.
var monthStems = []struct {
	stem  string
	month int
}{
	{"январ", 1}, {"феврал", 2}, {"март", 3}, {"апрел", 4}, {"июн", 6}, {"июл", 7}, {"август", 8},
	{"сентябр", 9}, {"октябр", 10}, {"ноябр", 11}, {"декабр", 12},
	{"січн", 1}, {"лютого", 2}, {"лютий", 2}, {"берез", 3}, {"квітн", 4}, {"травн", 5}, {"червн", 6},
	{"липн", 7}, {"серпн", 8}, {"вересн", 9}, {"жовтн", 10}, {"листопад", 11}, {"грудн", 12},
}

func monthOf(w string) int {
	if m, ok := months[w]; ok {
		return m
	}
	for _, s := range monthStems {
		if strings.HasPrefix(w, s.stem) {
			return s.month
		}
	}
	return 0
}

// ordinalSuffixes follow a day: 7th, 1er, 1º, 7-го, 7-е.
var ordinalSuffixes = map[string]bool{"th": true, "st": true, "nd": true, "rd": true, "er": true, "º": true, "ª": true, "го": true, "е": true, "ое": true}

func dayValue(t gtoken) int {
	if t.kind != gNum || t.used || len(t.text) > 2 {
		return 0
	}
	d, _ := strconv.Atoi(t.text)
	if d < 1 || d > 31 {
		return 0
	}
	return d
}

func yearValue(t gtoken) int {
	if t.kind != gNum || t.used || len(t.text) != 4 {
		return 0
	}
	y, _ := strconv.Atoi(t.text)
	if y < 1000 || y > 2999 {
		return 0
	}
	return y
}

// monthDates finds dates written with a month's name and marks their day
// and year as used: "May 7, 2025", "7 May", "7 de mayo de 2025",
// "noviembre de 2024", "7 мая 2025 года", "7. Mai 2025", "7th of May".
func monthDates(ts []gtoken) []gdate {
	var out []gdate
	for i, t := range ts {
		if t.kind != gWord {
			continue
		}
		m := monthOf(t.text)
		if m == 0 {
			continue
		}
		day, year, from, to := 0, 0, i, i
		dayAt := -1
		// a day before the month
		j := prevSolid(ts, i-1)
		if at(ts, j).is(gWord, "de", "del", "of") {
			j = prevSolid(ts, j-1)
		}
		switch {
		case at(ts, j).kind == gWord && ordinalSuffixes[ts[j].text] && at(ts, j-1).kind == gNum:
			j--
		case at(ts, j).kind == gWord && ordinalSuffixes[ts[j].text] && at(ts, j-1).is(gPunct, "-") && at(ts, j-2).kind == gNum:
			j -= 2
		case at(ts, j).is(gPunct, ".") && at(ts, j-1).kind == gNum:
			j--
		}
		if d := dayValue(at(ts, j)); d > 0 {
			day, dayAt, from = d, j, j
		}
		// a day after the month, then a year
		k := nextSolid(ts, i+1)
		if day == 0 {
			decimal := at(ts, k+1).is(gPunct, ",", ".", ":") && at(ts, k+2).kind == gNum // "May 1.5", "March 10:30"
			percent := at(ts, nextSolid(ts, k+1)).is(gPunct, "%", "٪", "％")
			if d := dayValue(at(ts, k)); d > 0 && !decimal && !percent {
				day, dayAt, to = d, k, k
				k++
				if at(ts, k).kind == gWord && ordinalSuffixes[ts[k].text] {
					to = k
					k++
				}
				k = nextSolid(ts, k)
			}
		}
		if at(ts, k).is(gPunct, ",") {
			k = nextSolid(ts, k+1)
		}
		if at(ts, k).is(gWord, "de", "del", "of") {
			k = nextSolid(ts, k+1)
		}
		yearAt := -1
		if y := yearValue(at(ts, k)); y > 0 {
			year, yearAt, to = y, k, k
		}
		if day == 0 && year == 0 {
			continue
		}
		if dayAt >= 0 {
			ts[dayAt].used = true
		}
		if yearAt >= 0 {
			ts[yearAt].used = true
		}
		out = append(out, gdate{cands: []ymd{{year, m, day}}, text: joinRaw(ts, from, to)})
	}
	return out
}

// numericDates finds 07.05.2025, 7/5/2025 (day or month first),
// 2025-05-07 and marks them used.
func numericDates(ts []gtoken) []gdate {
	var out []gdate
	for i := 0; i+4 < len(ts); i++ {
		a, p, b, q, c := ts[i], ts[i+1], ts[i+2], ts[i+3], ts[i+4]
		if a.kind != gNum || b.kind != gNum || c.kind != gNum || a.used || b.used || c.used ||
			p.kind != gPunct || p.text != q.text || !strings.Contains("./-", p.text) || at(ts, i-1).kind == gNum {
			continue
		}
		num := func(s string) int { n, _ := strconv.Atoi(s); return n }
		var cands []ymd
		switch {
		case len(a.text) <= 2 && len(b.text) <= 2 && len(c.text) == 4:
			cands = append(cands, ymd{num(c.text), num(b.text), num(a.text)})
			if p.text == "/" {
				cands = append(cands, ymd{num(c.text), num(a.text), num(b.text)})
			}
		case len(a.text) == 4 && len(b.text) <= 2 && len(c.text) <= 2:
			cands = append(cands, ymd{num(a.text), num(b.text), num(c.text)})
		}
		var valid []ymd
		for _, d := range cands {
			if d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= 31 && d.y >= 1000 && d.y <= 2999 {
				valid = append(valid, d)
			}
		}
		if len(valid) == 0 {
			continue
		}
		for x := i; x <= i+4; x += 2 {
			ts[x].used = true
		}
		out = append(out, gdate{cands: valid, text: joinRaw(ts, i, i+4)})
		i += 4
	}
	return out
}

// Checks.

func checkNumbers(c *problemList, src, out gfacts) {
	all, pct := make(map[string]bool), make(map[string]bool)
	for _, n := range src.nums {
		for _, v := range n.vals {
			all[v] = true
			if n.percent {
				pct[v] = true
			}
		}
	}
	for _, n := range out.nums {
		if n.inDate {
			continue // checked as part of its date
		}
		found := false
		for _, v := range n.vals {
			if n.percent && pct[v] || !n.percent && all[v] {
				found = true
				break
			}
		}
		switch {
		case found:
		case n.percent:
			c.add(RuleNumber, n.text, fmt.Sprintf("the percentage %q is not in the text", n.text))
		default:
			c.add(RuleNumber, n.text, fmt.Sprintf("the number %q is not in the text", n.text))
		}
	}
}

func checkDates(c *problemList, src, out gfacts) {
	for _, d := range out.dates {
		ok := false
		for _, cand := range d.cands {
			ok = ok || dateInSource(cand, src.dates)
		}
		if !ok {
			c.add(RuleDate, d.text, fmt.Sprintf("the date %q is not in the text", d.text))
		}
	}
}

// dateInSource reports whether o matches a date of the source: the same
// month, the same day if o has one, and the same year if o has one, unless
// the source names that day only without a year.
func dateInSource(o ymd, src []gdate) bool {
	matched, yearless := false, true
	for _, s := range src {
		for _, sc := range s.cands {
			if sc.m != o.m || o.d != 0 && sc.d != o.d {
				continue
			}
			if o.y == 0 || sc.y == o.y {
				return true
			}
			matched = true
			yearless = yearless && sc.y == 0
		}
	}
	return matched && yearless
}

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
			c.add(RuleQuote, q, fmt.Sprintf("the quotation %q is not in the text", strings.TrimSpace(q)))
			continue
		}
		if len(strings.Fields(q)) >= 3 {
			long++
		}
	}
	if have := len(quotations(source)); long > have {
		c.add(RuleQuote, "", fmt.Sprintf("the answer has %d quotations the text does not have word for word; the text has only %d", long, have))
	}
}
