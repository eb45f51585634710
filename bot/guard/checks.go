// Package guard checks a language model's rewrite of a curated text
// against that text before a reader sees it: a restyled section, a
// translation, a digest. It reads what it can recognise without
// understanding the text — figures with their units, dates, names,
// negations and modals, quotations and their speakers, how much of the
// source a rewrite keeps, its language and shape, mentions and links —
// in English, Spanish, Portuguese, Russian, French and German, and
// compares each with the source. It errs on the side of refusing: a
// refused rewrite costs the reader only the curated text.
//
// Every refusal is a *Rejection listing Problems; each names its check
// and the offending span, so that one log line says why.
//
// What it cannot catch: a changed meaning that keeps the source's words,
// names and figures and adds no weighty word — "China" made the subject of
// what the source says of Russia when the section names both, a cause
// turned into an effect, a claim softened or reworded beyond the words it
// compares. Across languages it pairs sentences and quotations only by
// names, figures and cognates, so a translated sentence or quotation with
// none of those is compared with nothing, and a translated quotation that
// shares a cognate with a source quotation passes for a rendering of it.
// A verifier model is the place for those.
package guard

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"unicode/utf16"
)

// CheckName names one of Check's checks, for the log and for tallies of
// refusals.
type CheckName string

const (
	Empty       CheckName = "empty"       // the rewrite is blank
	Length      CheckName = "length"      // the rewrite does not fit, or was cut off
	Mention     CheckName = "mention"     // @everyone, @here, <@id>, <@&id>, <#id>, or an @name the source lacks
	Link        CheckName = "link"        // a link, bare domain, spelled-out domain or e-mail address the source lacks
	Markup      CheckName = "markup"      // a heading, spoiler, code block or other markup the source lacks
	Number      CheckName = "number"      // a figure the source lacks, with another unit, or moved to another statement
	Date        CheckName = "date"        // a date the source lacks, or moved to another event
	Quote       CheckName = "quote"       // a quotation the source lacks, or a quoted phrase stated as the rewrite's own
	Speaker     CheckName = "speaker"     // a quotation given to another speaker
	Name        CheckName = "name"        // a person, place, organisation or outlet the source does not name
	Polarity    CheckName = "polarity"    // a negation or refusal the source lacks, or one of the source's dropped
	Certainty   CheckName = "certainty"   // "will" where the source says "may"
	Claim       CheckName = "claim"       // a weighty word (nuclear, troops, secret, historic…) the source does not use
	Coverage    CheckName = "coverage"    // too few of the source's figures and names kept for the style
	Statements  CheckName = "statements"  // a translation that drops or adds statements
	Language    CheckName = "language"    // not in the language asked
	Meta        CheckName = "meta"        // a refusal, preamble, closing line or talk about the task
	Instruction CheckName = "instruction" // an instruction to the reader the source does not give
)

// Problem is one reason a rewrite was refused.
type Problem struct {
	Check  CheckName
	Found  string // the offending part of the rewrite, if there is one
	Reason string // a sentence for the log and for the strict prompt
}

// Rejection is the error Check returns: every reason the rewrite was
// refused.
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

// Checks returns the names of the checks that refused, once each, in the
// order of the problems: what a tally of refusals counts.
func (r *Rejection) Checks() []CheckName {
	var out []CheckName
	seen := make(map[CheckName]bool)
	for _, p := range r.Problems {
		if !seen[p.Check] {
			seen[p.Check] = true
			out = append(out, p.Check)
		}
	}
	return out
}

// LogValue makes a rejection one log attribute: each check with the span
// it found, "number=\"75%\" mention=\"@everyone\"".
func (r *Rejection) LogValue() slog.Value {
	attrs := make([]slog.Attr, len(r.Problems))
	for i, p := range r.Problems {
		attrs[i] = slog.String(string(p.Check), p.Found)
	}
	return slog.GroupValue(attrs...)
}

// String is the problem for a log line: its check, what it found, and why.
func (p Problem) String() string {
	if p.Found == "" {
		return string(p.Check) + ": " + p.Reason
	}
	return fmt.Sprintf("%s %q: %s", p.Check, p.Found, p.Reason)
}

// Options tell Check what the rewrite was asked to be.
type Options struct {
	// Language is the code of the language the rewrite was asked in; ""
	// means the source's. The rewrite must read as that language. A
	// rewrite in another language than the source's is a translation: its
	// quotations are paired with the source's by cognates, names and
	// digits rather than compared word for word (spans of three words or
	// fewer that start with a capital are names and titles, which Russian
	// and other typographies put in quotes), and with no Style it must keep
	// the source's statements, neither fewer nor more.
	Language string
	// SourceLanguage is the code of the source's language; "" means "en".
	SourceLanguage string
	// Style is the style the rewrite was asked in: "", "brief", "bullets",
	// "simple" or "formal". It sets how much of the source's figures and
	// names the rewrite must keep (see coverageFloor).
	Style string
	// MaxLen is the longest rewrite accepted, in UTF-16 code units as
	// Discord counts them. It is required: a zero or negative MaxLen
	// refuses every rewrite.
	MaxLen int
}

// translated reports whether the rewrite is in another language than the
// source.
func (o Options) translated() bool {
	src := o.SourceLanguage
	if src == "" {
		src = "en"
	}
	return o.Language != "" && !strings.EqualFold(o.Language, src)
}

// Len is the length of s in UTF-16 code units, as Discord counts it.
func Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Check checks a language model's rewrite of source. It returns nil if
// output may be shown, or a *Rejection listing the problems found, each
// naming its check and the offending span. Both texts are first
// normalised (NFKC, without zero-width and other format characters). The
// checks:
//
//   - empty and length: output is blank or longer than opts.MaxLen;
//   - mention: @everyone and @here, <@id>, <@!id>, <@&id>, <#id> and
//     </command:id> always, and a bare @name unless the source has the
//     same @name (an X handle, say);
//   - link: a URL, bare domain, e-mail address or spelled-out domain ("evil
//     dot com") the source lacks;
//   - markup: headings, spoilers, code, tables and the like the source lacks;
//   - number: a figure the source lacks, compared by value and unit
//     ("70%" = "70 percent" = "setenta por ciento"; "1 million" =
//     "1.000.000" = "un millón"; "World War II" = "World War 2"; 70 % is
//     not 70 points, a day is not a week), or one that sits with the words
//     of another figure of the source (swapped figures);
//   - date: a date the source lacks (a month with a day or a year, in
//     words or digits, "the ninth of May" included), or one moved to
//     another event;
//   - quote and speaker: a quotation (any pairing of marks, backticks
//     too) that is not in the source, or that a translation renders from
//     no quotation of the source; one given to another speaker; a phrase
//     the source only quotes from a speaker, said in the rewrite's voice;
//   - name: a person, place, organisation or outlet the source does not
//     name, allowing for the usual forms of the source's names in other
//     languages and scripts;
//   - polarity and certainty: a negation or refusal the matching source
//     sentence lacks, a negation of the source's dropped, "will" where the
//     source says "may";
//   - claim: a weighty word (nuclear, troops, secret, historic…) the source
//     does not use;
//   - coverage and statements: too few of the source's figures and names
//     for the style; a translation with fewer or more statements;
//   - language: not in the language asked, by script and function words;
//   - meta and instruction: refusals, preambles, closing lines, talk about
//     the task, and instructions to the reader.
//
// Check takes time linear in the length of output; past maxProblems
// problems it stops looking. To check several rewrites of one source,
// Prepare it once.
func Check(source, output string, opts Options) error {
	p := precheck(output, opts)
	if p != nil && p.final {
		return &Rejection{Problems: p.problems}
	}
	return Prepare(source).check(output, opts, p)
}

// Source is a source text prepared for Check: everything the checks read
// of it, read once. Prepare one to check many rewrites of the same text
// (the two attempts at a rewrite, the texts of a whole article). A Source
// does not change once prepared, so it may be shared between goroutines.
type Source struct {
	text       string                 // normalised
	links      []link                 // its links and long runs, to blank out
	known      map[string]bool        // its links, normalised
	handles    func() map[string]bool // its @names, lowercased
	spelled    map[string]bool        // its spelled-out domains, lowercased
	markup     map[string]string
	doc        *doc
	facts      facts
	names      []name
	index      *nameIndex
	units      [][]name
	numCtx     []placed // the contexts of facts.nums
	dateCtx    []placed // the contexts of facts.dates
	anchors    anchorBase
	quoted     func() string // its text as quotations are compared
	unquoted   func() unquoted
	claims     map[string]string
	statements int

	// The rest is read when a rewrite gets past its mentions and links.
	once sync.Once
}

// Prepare reads source for Check. What only a rewrite without a flood of
// mentions and links needs is read the first time one is checked.
func Prepare(source string) *Source {
	text := normalise(source)
	links, long := findLinks(text, nil, 0)
	s := &Source{text: text, links: append(links, long...), known: make(map[string]bool), spelled: make(map[string]bool)}
	for _, l := range links {
		s.known[normLink(l.text)] = true
	}
	// What only some rewrites need is read the first time one does.
	s.handles = sync.OnceValue(func() map[string]bool {
		m := make(map[string]bool)
		for _, h := range handlesOf(text) {
			m[strings.ToLower(h)] = true
		}
		return m
	})
	return s
}

// read reads the rest of the source, once.
func (s *Source) read() {
	plain := withoutMarkup(s.text, s.links)
	s.markup = markupKinds(plain)
	d := newDoc(plain)
	s.doc = d
	for _, l := range spelledLinks(d) {
		s.spelled[strings.ToLower(l)] = true
	}
	s.facts = scanFacts(d, true)
	for _, n := range s.facts.nums {
		s.numCtx = append(s.numCtx, placeOf(d, n.tok, n.end))
	}
	for _, t := range s.facts.dates {
		s.dateCtx = append(s.dateCtx, placeOf(d, t.tok, t.end))
	}
	s.names = d.names(true)
	s.index = newNameIndex(d, s.names)
	s.units = nameUnits(d, s.names)
	s.anchors = newAnchorBase(d)
	s.quoted = sync.OnceValue(func() string { return normQuote(d.text) })
	s.unquoted = sync.OnceValue(func() unquoted { return normUnquoted(d) })
	s.claims = claimGroupsOf(d, true)
	s.statements = statements(d)
}

// pre is what precheck found.
type pre struct {
	problems []Problem
	final    bool // no need to read further
}

// precheck checks what needs no source: an empty output, the length.
func precheck(output string, opts Options) *pre {
	output = strings.TrimSpace(output)
	if output == "" {
		return &pre{problems: []Problem{{Check: Empty, Reason: "the answer is empty"}}, final: true}
	}
	limit := opts.MaxLen
	if limit <= 0 {
		return &pre{problems: []Problem{{Check: Length, Reason: "no maximum length was given, so no answer fits"}}, final: true}
	}
	if n := Len(output); n > limit {
		p := &pre{problems: []Problem{{Check: Length, Reason: fmt.Sprintf("the answer is %d characters long; at most %d fit", n, limit)}}}
		p.final = n > 4*limit // far off: not worth reading further
		return p
	}
	return nil
}

// Check checks a rewrite of the source as the package's Check does.
func (s *Source) Check(output string, opts Options) error {
	return s.check(output, opts, precheck(output, opts))
}

// check is Check after precheck found p.
func (s *Source) check(output string, opts Options, p *pre) error {
	var c problemList
	if p != nil {
		for _, x := range p.problems {
			c.add(x.Check, x.Found, x.Reason)
		}
		if p.final {
			return &Rejection{Problems: c.problems}
		}
	}
	output = normalise(strings.TrimSpace(output))
	if strings.TrimSpace(output) == "" {
		return &Rejection{Problems: []Problem{{Check: Empty, Reason: "the answer is empty"}}}
	}
	translated := opts.translated()
	lang := opts.Language
	if lang == "" {
		lang = opts.SourceLanguage
	}
	if lang == "" {
		lang = "en"
	}
	checkMentions(&c, s.handles, output)
	outLinks := checkLinks(&c, s.known, output)
	if c.full() {
		return &Rejection{Problems: c.problems} // a flood of links or mentions
	}
	s.once.Do(s.read)
	src := s.doc
	// Mentions and links are reported once, not again for their digits.
	plainOutput := withoutMarkup(output, outLinks)
	out := newDoc(plainOutput)
	checkSpelledLinks(&c, s.spelled, out)
	checkMarkup(&c, s.markup, plainOutput)
	checkMeta(&c, src, out)
	checkLanguage(&c, out, lang)
	sf, of := s.facts, scanFacts(out, false)
	checkNumbers(&c, sf, of)
	checkDates(&c, sf, of)
	checkPlacement(&c, s, out, of)
	capsMark := !strings.HasPrefix(strings.ToLower(lang), "de")
	srcNames := s.names
	outNames := out.names(capsMark)
	allOutNames := outNames
	if !capsMark {
		allOutNames = out.names(true)
	}
	checkNames(&c, s.index, out, outNames)
	checkQuotes(&c, s, out, outNames, translated)
	checkPolarity(&c, s, out, lang)
	checkClaims(&c, s.claims, out)
	floor, ok := coverageFloor[opts.Style]
	if !ok {
		floor = coverageFloor[""]
	}
	if translated && opts.Style == "" {
		floor = translationFloor
		checkStatements(&c, s.statements, out)
	}
	outIx := newNameIndex(out, outNames)
	if share, total := coverage(src, out, sf, of, s.units, allOutNames, outIx); total >= 4 && share < floor {
		c.add(Coverage, "", fmt.Sprintf("the answer keeps %.0f%% of the text's figures and names; a %s rewrite keeps at least %.0f%%", 100*share, styleName(opts.Style, translated), 100*floor))
	}
	_ = srcNames
	if len(c.problems) == 0 {
		return nil
	}
	return &Rejection{Problems: c.problems}
}

func styleName(style string, translated bool) string {
	switch {
	case style != "":
		return style
	case translated:
		return "translated"
	}
	return "plain"
}

// checkNames refuses names the source does not have: a capitalised word
// unit none of whose words the source spells alike, or an entity of the
// table the source does not name.
func checkNames(c *problemList, srcIx *nameIndex, out *doc, outNames []name) {
	for _, u := range nameUnits(out, outNames) {
		if c.full() {
			return
		}
		known := false
		for _, n := range u {
			if srcIx.knows(n) {
				known = true
				break
			}
		}
		if known {
			continue
		}
		text := u[0].text
		if len(u) > 1 {
			text = joinRaw(out.toks, u[0].tok, u[len(u)-1].tok)
		}
		c.add(Name, text, fmt.Sprintf("the answer names %s, which the text does not", text))
	}
}

// maxProblems is how many problems Check collects before it stops: a
// rewrite with that many is refused whatever else it holds.
const maxProblems = 12

type problemList struct {
	problems []Problem
	seen     map[string]bool
}

func (c *problemList) full() bool { return len(c.problems) >= maxProblems }

func (c *problemList) add(check CheckName, found, reason string) {
	if c.full() {
		return
	}
	k := string(check) + "\x00" + found + "\x00" + reason
	if c.seen[k] {
		return
	}
	if c.seen == nil {
		c.seen = make(map[string]bool)
	}
	c.seen[k] = true
	c.problems = append(c.problems, Problem{Check: check, Found: found, Reason: reason})
}

// Checks.

func checkNumbers(c *problemList, src, out facts) {
	byValue := make(map[string][]string) // value -> the units the source gives it
	for _, n := range src.nums {
		for _, v := range n.vals {
			byValue[v] = append(byValue[v], n.unit)
		}
	}
	for _, n := range out.nums {
		if n.inDate || c.full() {
			continue // checked as part of its date
		}
		found, other := false, ""
		for _, v := range n.vals {
			for _, u := range byValue[v] {
				if compatible(n.unit, u) {
					found = true
				} else {
					other = u
				}
			}
		}
		switch {
		case found:
		case other != "" && n.unit != "pct":
			c.add(Number, n.text, fmt.Sprintf("the figure %q has another unit (%s) than in the text (%s)", n.text, unitName(n.unit), unitName(other)))
		case n.percent:
			c.add(Number, n.text, fmt.Sprintf("the percentage %q is not in the text", n.text))
		default:
			c.add(Number, n.text, fmt.Sprintf("the number %q is not in the text", n.text))
		}
	}
}

func unitName(u string) string {
	switch u {
	case "":
		return "none"
	case "pct":
		return "percent"
	case "pp":
		return "percentage points"
	}
	return u
}
