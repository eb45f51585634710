package draft

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var (
	linkRE     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	emphasisRE = regexp.MustCompile(`\*\*|__|` + "`")
)

// plain is s without Markdown's inline markup: links become their text.
func plain(s string) string {
	s = linkRE.ReplaceAllString(s, "$1")
	s = emphasisRE.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(strings.TrimPrefix(s, `\`)), " ")
}

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sen": true, "rep": true, "gov": true,
	"gen": true, "col": true, "lt": true, "sgt": true, "st": true, "jr": true, "sr": true, "inc": true,
	"corp": true, "ltd": true, "co": true, "vs": true, "etc": true, "no": true, "mt": true, "ft": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "approx": true, "est": true,
}

// sentenceSpans returns where the sentences of s start and end. A
// sentence ends at ".", "!", "?" or "…", with any closing quotation marks
// and brackets, when the next starts with a capital, a digit or an opening
// quotation mark; "U.S. sanctions", "Mr. Putin" and "J. Smith" go on.
func sentenceSpans(s string) [][2]int {
	var out [][2]int
	start := 0
	rs := []rune(s)
	offsets := make([]int, len(rs)+1)
	o := 0
	for i, r := range rs {
		offsets[i] = o
		o += len(string(r))
	}
	offsets[len(rs)] = o
	inQuote, straight := 0, false // a quotation goes on across its own sentences
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '“', '«':
			inQuote++
		case '”', '»':
			inQuote = max(inQuote-1, 0)
		case '"':
			straight = !straight
		}
		if !strings.ContainsRune(".!?…", rs[i]) {
			continue
		}
		j := i + 1
		depth, open := inQuote, straight
		for j < len(rs) && strings.ContainsRune("”’\"')]»", rs[j]) {
			switch rs[j] {
			case '”', '»':
				depth = max(depth-1, 0)
			case '"':
				open = !open
			}
			j++
		}
		if depth > 0 || open {
			continue
		}
		if j >= len(rs) || !unicode.IsSpace(rs[j]) {
			continue
		}
		k := j
		for k < len(rs) && unicode.IsSpace(rs[k]) {
			k++
		}
		if k >= len(rs) || !(unicode.IsUpper(rs[k]) || unicode.IsDigit(rs[k]) || strings.ContainsRune("“\"‘«(@", rs[k])) {
			continue
		}
		if rs[i] == '.' && abbreviated(rs[:i]) {
			continue
		}
		out = append(out, [2]int{offsets[start], offsets[j]})
		inQuote, straight = depth, open
		start = k
		i = k - 1
	}
	if strings.TrimSpace(string(rs[start:])) != "" {
		out = append(out, [2]int{offsets[start], len(s)})
	}
	return out
}

// abbreviated reports whether the word that ends rs is an abbreviation, an
// initial or a dotted acronym (U.S).
func abbreviated(rs []rune) bool {
	i := len(rs)
	for i > 0 && (unicode.IsLetter(rs[i-1]) || rs[i-1] == '.') {
		i--
	}
	w := string(rs[i:])
	switch {
	case w == "":
		return false
	case strings.Contains(w, "."):
		return true
	case len([]rune(w)) == 1 && unicode.IsUpper([]rune(w)[0]):
		return true
	}
	return abbreviations[strings.ToLower(w)]
}

// sentences splits s into its sentences.
func sentences(s string) []string {
	var out []string
	for _, sp := range sentenceSpans(s) {
		if t := strings.TrimSpace(s[sp[0]:sp[1]]); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// Dates.

var monthNames = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

const monthPattern = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)`

var (
	monthDayRE  = regexp.MustCompile(`\b` + monthPattern + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	dayMonthRE  = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthPattern + `(?:,?\s+(\d{4})\b)?`)
	monthYearRE = regexp.MustCompile(`\b` + monthPattern + `(?:\s+of)?,?\s+(\d{4})\b`)
	isoDateRE   = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	yearRE      = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)
)

// dateRef is a date the text mentions: a day, a month or a year.
type dateRef struct {
	text    string
	y, m, d int // 0 when not given
	at      int
}

// findDates returns the dates s mentions, in order: "May 7, 2025", "7 May",
// "November 2024", "2025-05-07" and years on their own ("since 2019").
func findDates(s string) []dateRef {
	var out []dateRef
	taken := make([]bool, len(s)+1)
	add := func(start, end, y, m, d int) {
		for i := start; i < end; i++ {
			if taken[i] {
				return
			}
		}
		for i := start; i < end; i++ {
			taken[i] = true
		}
		out = append(out, dateRef{text: s[start:end], y: y, m: m, d: d, at: start})
	}
	num := func(m []int, i int) int {
		if m[2*i] < 0 {
			return 0
		}
		n, _ := strconv.Atoi(s[m[2*i]:m[2*i+1]])
		return n
	}
	month := func(m []int, i int) int {
		return monthNames[strings.ToLower(strings.TrimSuffix(s[m[2*i]:m[2*i+1]], "."))]
	}
	for _, m := range isoDateRE.FindAllStringSubmatchIndex(s, -1) {
		if mo, d := num(m, 2), num(m, 3); mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			add(m[0], m[1], num(m, 1), mo, d)
		}
	}
	for _, m := range monthDayRE.FindAllStringSubmatchIndex(s, -1) {
		if d := num(m, 2); d >= 1 && d <= 31 {
			add(m[0], m[1], num(m, 3), month(m, 1), d)
		}
	}
	for _, m := range dayMonthRE.FindAllStringSubmatchIndex(s, -1) {
		if d := num(m, 1); d >= 1 && d <= 31 {
			add(m[0], m[1], num(m, 3), month(m, 2), d)
		}
	}
	for _, m := range monthYearRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], num(m, 2), month(m, 1), 0)
	}
	for _, m := range yearRE.FindAllStringSubmatchIndex(s, -1) {
		before, after := byteAt(s, m[0]-1), byteAt(s, m[1])
		after2 := byteAt(s, m[1]+1)
		if strings.ContainsRune("$€£.,", rune(before)) || after == '%' || (strings.ContainsRune(",.", rune(after)) && after2 >= '0' && after2 <= '9') {
			continue // a price, a percentage or a longer number
		}
		add(m[0], m[1], num(m, 1), 0, 0)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

func byteAt(s string, i int) byte {
	if i < 0 || i >= len(s) {
		return ' '
	}
	return s[i]
}

// parseDate reads a whole string that is a full date: "May 7, 2025", "7
// May 2025", "2025-05-07".
func parseDate(s string) (time.Time, bool) {
	ds := findDates(s)
	if len(ds) != 1 || ds[0].y == 0 || ds[0].m == 0 || ds[0].d == 0 || strings.TrimSpace(s) != ds[0].text {
		return time.Time{}, false
	}
	return ds[0].time(), true
}

func (d dateRef) time() time.Time {
	return time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC)
}

// firstFullDate is the first date with a day, month and year in the text.
func firstFullDate(bs []block) time.Time {
	for _, b := range bs {
		for _, d := range findDates(plain(b.text)) {
			if d.y > 0 && d.m > 0 && d.d > 0 {
				return d.time()
			}
		}
	}
	return time.Time{}
}

// timeline gathers every sentence with a date, in the order of the dates.
// A date without a year is taken to be in the year of publication.
func timeline(sents []sentence, published time.Time) (Section, bool) {
	type entry struct {
		key  [3]int
		date string
		text string
	}
	var entries []entry
	seen := make(map[string]bool)
	for _, s := range sents {
		ds := findDates(s.text)
		if len(ds) == 0 || seen[s.text] {
			continue
		}
		seen[s.text] = true
		first := ds[0]
		key := [3]int{}
		for i, d := range ds {
			if d.y == 0 && !published.IsZero() {
				d.y = published.Year()
			}
			k := [3]int{d.y, d.m, d.d}
			if i == 0 || less(k, key) {
				key, first = k, ds[i]
			}
		}
		entries = append(entries, entry{key, first.text, s.text})
	}
	if len(entries) == 0 {
		return Section{}, false
	}
	sort.SliceStable(entries, func(i, j int) bool { return less(entries[i].key, entries[j].key) })
	var lines, texts []string
	for _, e := range entries {
		lines = append(lines, "- **"+e.date+"** — "+e.text)
		texts = append(texts, e.text)
	}
	return Section{
		Name:        Timeline,
		Title:       "Key dates",
		Description: "Every dated event in the story, in order",
		Keywords:    []string{"timeline", "dates", "when", "chronology"},
		Body:        strings.Join(lines, "\n"),
		gathered:    strings.Join(texts, "\n"),
	}, true
}

func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// Quotations.

var quoteRE = regexp.MustCompile(`“([^”]{1,1000})”|"([^"]{1,1000})"|«([^»]{1,1000})»`)

var (
	// speechVerbs tell who said a quotation.
	speechVerbs = wordSet(`said says say told tells added adds noted notes stated stating states declared declaring declares
		warned warns echoed echoing wrote writes argued argues insisted insists asked asks announced announces called calls
		praised praising hailed hailing described describing framed explained explains according replied claimed claims
		urged urges vowed vows pledged admitted acknowledged promised`)
	// titleWords stand between an organisation and a name: "Kremlin
	// spokesman Dmitry Peskov".
	titleWords = wordSet(`spokesman spokeswoman spokesperson minister president secretary official chief director analyst
		professor ambassador senator mayor governor councillor councilor chair chairman chairwoman leader head adviser
		advisor commissioner economist researcher manager ceo founder editor correspondent deputy envoy`)
)

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// quotations gathers every quotation of the article with the nearest
// named speaker.
func quotations(sents []sentence) (Section, bool) {
	var parts, texts []string
	seen := make(map[string]bool)
	speakers := []string{"quotes", "quotation", "said"}
	for i, s := range sents {
		for _, m := range quoteRE.FindAllStringSubmatchIndex(s.text, -1) {
			q := ""
			for g := 1; g <= 3; g++ {
				if m[2*g] >= 0 {
					q = s.text[m[2*g]:m[2*g+1]]
				}
			}
			q = strings.TrimRight(strings.TrimSpace(q), ",;:")
			if q == "" || seen[q] {
				continue
			}
			seen[q] = true
			who := fullName(sents, speaker(sents, i, m[0], m[1]))
			line := "— " + who
			if who == "" {
				line = "— no speaker is named"
			} else {
				speakers = append(speakers, strings.ToLower(lastWord(who)))
			}
			parts = append(parts, "> “"+q+"”\n"+line)
			texts = append(texts, q, who)
		}
	}
	if len(parts) == 0 {
		return Section{}, false
	}
	return Section{
		Name:        Quotes,
		Title:       "In their own words",
		Description: "Every quotation in the story, with who said it",
		Keywords:    speakers,
		Body:        strings.Join(parts, "\n\n"),
		gathered:    strings.Join(texts, "\n"),
	}, true
}

// fullName gives a speaker named by one word the first and last name the
// article gives elsewhere: "Maduro" is "Nicolás Maduro".
func fullName(sents []sentence, who string) string {
	if who == "" || strings.ContainsAny(who, " @") {
		return who
	}
	for _, s := range sents {
		ts := tokens(s.text)
		for i := 1; i < len(ts); i++ {
			if ts[i].text == who && capital(ts[i-1].text) && ts[i].start-ts[i-1].end <= 1 &&
				!titleWords[strings.ToLower(ts[i-1].text)] && !(i-1 == 0 && stopWords[strings.ToLower(ts[0].text)]) {
				return s.text[ts[i-1].start:ts[i].end]
			}
		}
	}
	return who
}

func lastWord(s string) string {
	f := strings.Fields(s)
	return strings.TrimLeft(f[len(f)-1], "@")
}

// token is a word of a sentence and where it is.
type token struct {
	text       string
	start, end int
}

var tokenRE = regexp.MustCompile(`@?[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}.'’-]*`)

func tokens(s string) []token {
	var out []token
	for _, m := range tokenRE.FindAllStringIndex(s, -1) {
		t := strings.TrimRight(s[m[0]:m[1]], ".'’-")
		t = strings.TrimSuffix(strings.TrimSuffix(t, "’s"), "'s")
		out = append(out, token{t, m[0], m[0] + len(t)})
	}
	return out
}

func capital(t string) bool {
	r := []rune(strings.TrimPrefix(t, "@"))
	return len(r) > 0 && unicode.IsUpper(r[0])
}

// speaker finds who said the quotation at [qs, qe) of sentence i: the
// named person nearest to it in its sentence — a name of two words or
// more, an @handle, or one word next to a verb of speech ("Putin echoed")
// — with an organisation and title before the name ("Kremlin spokesman
// Dmitry Peskov"). When the sentence names no one but has a verb of
// speech ("…,” she said), the sentences before it are searched, back to
// the paragraph before.
func speaker(sents []sentence, i, qs, qe int) string {
	if who := nearestName(sents[i].text, qs, qe); who != "" {
		return who
	}
	speech := false
	for _, t := range tokens(sents[i].text) {
		speech = speech || speechVerbs[strings.ToLower(t.text)]
	}
	if !speech {
		return ""
	}
	for j := i - 1; j >= 0 && sents[j].block >= sents[i].block-1; j-- {
		if who := nearestName(sents[j].text, len(sents[j].text), len(sents[j].text)); who != "" {
			return who
		}
	}
	return ""
}

// nearestName returns the named person of s nearest to [qs, qe), outside
// it, or "".
func nearestName(s string, qs, qe int) string {
	ts := tokens(s)
	label := -1 // a lead-in such as "Shared Ideology:" names no one
	if m := labelRE.FindStringIndex(s); m != nil {
		label = m[1]
	}
	best, bestDist := "", -1
	for i := 0; i < len(ts); i++ {
		if !capital(ts[i].text) || ts[i].start < label || (ts[i].start >= qs && ts[i].start < qe) {
			continue
		}
		j := i + 1
		for j < len(ts) && ts[j].start < qs == (ts[i].start < qs) && ts[j].start-ts[j-1].end <= 1 &&
			(capital(ts[j].text) || (smallWords[ts[j].text] && j+1 < len(ts) && capital(ts[j+1].text))) {
			j++
		}
		run := ts[i:j]
		from := i
		i = j - 1
		if from == 0 && stopWords[strings.ToLower(run[0].text)] {
			run = run[1:]
			from++
		}
		for len(run) > 0 && monthNames[strings.ToLower(run[0].text)] > 0 {
			run = run[1:]
			from++
		}
		if len(run) == 0 {
			continue
		}
		handle := strings.HasPrefix(run[0].text, "@")
		speaks := speechVerbs[strings.ToLower(at(ts, j))] || speechVerbs[strings.ToLower(at(ts, from-1))] ||
			(at(ts, from-1) == "by" && speechVerbs[strings.ToLower(at(ts, from-2))])
		titled := titleWords[strings.ToLower(at(ts, from-1))]
		if !handle && len(run) < 2 && !speaks && !titled {
			continue
		}
		start, end := run[0].start, run[len(run)-1].end
		if titled { // "Kremlin spokesman Dmitry Peskov"
			k := from - 1
			start = ts[k].start
			for k > 0 && capital(ts[k-1].text) && ts[k].start-ts[k-1].end <= 1 && !(k-1 == 0 && stopWords[strings.ToLower(ts[k-1].text)]) {
				k--
				start = ts[k].start
			}
		}
		dist := qs - end
		if start >= qe {
			dist = start - qe
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = s[start:end], dist
		}
	}
	return best
}

func at(ts []token, i int) string {
	if i < 0 || i >= len(ts) {
		return ""
	}
	return ts[i].text
}

// Sources.

// citation is a source the article cites, and the sentences that cite it.
type citation struct {
	name      string
	named     bool // a name (Reuters) rather than a description (officials)
	sentences []string
}

var (
	// sourceName is a name of capitalised words, with the small words and
	// numbers names have: The Moscow Times, Ministry of Transport, Channel
	// 4 News.
	sourceName  = `@?\p{Lu}[\p{L}\p{M}\p{N}.&'’-]*(?:\s+(?:(?:of|for|and|de|on)\s+)?(?:\p{Lu}|\d)[\p{L}\p{M}\p{N}.&'’-]*)*`
	perRE       = regexp.MustCompile(`\b(?:per|citing|reported by)\s+((?:[Tt]he\s+)?` + sourceName + `)`)
	accordingRE = regexp.MustCompile(`\b(?i:according)\s+to\s+((?:(?:the|a|an)\s+)?[^,;:.()“”"]{1,80})`)
	namedRE     = regexp.MustCompile(`^(?:(?:[Tt]he|a|an)\s+)?(` + sourceName + `)`)
	trailingRE  = regexp.MustCompile(`(?:\s+\d[\p{N}.]*)+$`)
)

// citations finds the sources of the article: a closing list of sources,
// a news agency in the dateline, and every "per X", "according to X",
// "citing X" and "reported by X", in that order.
func citations(sents []sentence, doc *document) []citation {
	var out []citation
	add := func(name string, named bool) {
		name = strings.TrimRight(strings.TrimSpace(name), ".,;:’'")
		name = strings.TrimSuffix(strings.TrimSuffix(name, "’s"), "'s")
		if named { // "the Ministry of Transport" is the Ministry of Transport; The Moscow Times keeps its The
			name = trailingRE.ReplaceAllString(name, "")
			for _, a := range []string{"the ", "a ", "an "} {
				name = strings.TrimPrefix(name, a)
			}
		}
		if name == "" {
			return
		}
		key := " " + strings.TrimPrefix(strings.ToLower(name), "the ") + " "
		for _, c := range out {
			// one source, however often and however fully named
			if other := " " + strings.TrimPrefix(strings.ToLower(c.name), "the ") + " "; strings.Contains(other, key) || strings.Contains(key, other) {
				return
			}
		}
		out = append(out, citation{name: name, named: named})
	}
	for _, s := range doc.sourceList {
		add(s, true)
	}
	for _, s := range doc.agencies {
		add(s, true)
	}
	for _, s := range sents {
		for _, m := range perRE.FindAllStringSubmatch(s.text, -1) {
			add(m[1], true)
		}
		for _, m := range accordingRE.FindAllStringSubmatch(s.text, -1) {
			if n := namedRE.FindStringSubmatch(m[1]); n != nil {
				add(n[0], true)
				continue
			}
			words := strings.Fields(m[1])
			add(strings.Join(words[:min(len(words), 6)], " "), false)
		}
	}
	// Each source's sentences: those that name it, but not a list of
	// three sources or more ("follow Reuters, TASS, or The Moscow
	// Times") when there is another.
	mentions := make([]*regexp.Regexp, len(out))
	for i, c := range out {
		name := strings.TrimPrefix(strings.TrimPrefix(c.name, "The "), "the ")
		mentions[i] = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}@])` + regexp.QuoteMeta(name) + `(?:$|[^\p{L}\p{N}])`)
	}
	for i := range out {
		var lists []string
		for _, s := range sents {
			if !mentions[i].MatchString(s.text) {
				continue
			}
			named := 0
			for _, re := range mentions {
				if re.MatchString(s.text) {
					named++
				}
			}
			if named >= 3 {
				lists = append(lists, s.text)
			} else if len(out[i].sentences) < 3 {
				out[i].sentences = appendUnique(out[i].sentences, s.text)
			}
		}
		if len(out[i].sentences) == 0 && len(lists) > 0 {
			out[i].sentences = lists[:1]
		}
	}
	return out
}

// sourceSection lists every source with the sentences that cite it.
func sourceSection(cited []citation, sents []sentence) (Section, bool) {
	if len(cited) == 0 {
		return Section{}, false
	}
	var parts, texts []string
	kw := []string{"sources", "source", "reporting"}
	for _, c := range cited {
		texts = append(texts, c.sentences...)
		part := "**" + c.name + "**"
		switch len(c.sentences) {
		case 0:
			part += " — listed among the article’s sources"
		case 1:
			part += " — " + c.sentences[0]
		default:
			for _, s := range c.sentences {
				part += "\n- " + s
			}
		}
		parts = append(parts, part)
		if c.named {
			kw = append(kw, strings.ToLower(strings.TrimPrefix(c.name, "The ")))
		}
	}
	return Section{
		Name:        Sources,
		Title:       "Where the reporting comes from",
		Description: "The sources the article cites, and what it cites each for",
		Keywords:    kw,
		Body:        strings.Join(parts, "\n\n"),
		gathered:    strings.Join(texts, "\n"),
	}, true
}
