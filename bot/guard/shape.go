package guard

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Shape: what a rewrite is not — a refusal, a preamble or closing line,
// talk about the task, instructions to the reader, a text in another
// language than asked, or, for a translation, one that drops or adds
// statements.

// phrases of each kind, in the six languages. A phrase matches whole
// words, ignoring case; ’ and ' are one.
var (
	refusalPhrases = phraseList(`i can't | i cannot | i can not | i'm sorry | i am sorry | i apologize | i apologise | i'm unable | i am unable |
		i won't | i will not | i'm not able | i am not able | unable to help | can't help | cannot help | can't assist | cannot assist |
		lo siento | lo lamento | no puedo | no me es posible | desculpe | sinto muito | não posso | não consigo |
		je suis désolé | je suis désolée | désolé | désolée | je ne peux pas | je ne suis pas en mesure |
		es tut mir leid | tut mir leid | leider kann ich | ich kann nicht | ich kann keine | ich kann diese |
		извините | к сожалению я | я не могу | не могу помочь`)
	metaPhrases = phraseList(`as an ai | as a language model | language model | as an assistant | this section | the section | the original text |
		the text above | the passage | rewritten | rewrite | rephrased | i have | i've | i'll | i will |
		as requested | in this version | the user |
		como modelo de lenguaje | como ia | modelo de lenguaje | esta sección | la sección | el texto | este texto | reescrit* |
		como modelo de linguagem | modelo de linguagem | esta seção | a seção | o texto | este texto | reescrit* |
		en tant que modèle | en tant qu'ia | modèle de langage | cette section | la section | le texte | ce texte | réécrit* |
		als ki | als sprachmodell | sprachmodell | dieser abschnitt | der abschnitt | der text | dieser text | umgeschrieben* |
		как языковая модель | языковая модель | как ии | этот раздел | данный раздел | этот текст | данный текст | переписан* | вот текст`)
	// leadPhrases introduce what follows; they are meta talk at the start
	// of the answer or of a line only
	leadPhrases = phraseList(`here is | here's | here are | below is | below are | aquí tienes | aquí está | a continuación |
		aqui está | aqui estão | segue | voici | voilà | hier ist | hier sind | вот | ниже`)
	openerPhrases = phraseList(`sure | certainly | of course | okay | ok | absolutely | great | claro | por supuesto | desde luego | com certeza | certo |
		bien sûr | d'accord | gerne | natürlich | klar | selbstverständlich | конечно | разумеется | хорошо`)
	closingPhrases = phraseList(`let me know | i hope this helps | hope this helps | feel free | if you need | if you'd like | if you want |
		espero que te | espero que le | espero que esto | espero que isso | se precisar | si necesitas | si quieres |
		j'espère que | n'hésitez pas | si vous souhaitez | ich hoffe | lass mich wissen | lassen sie mich wissen | wenn du möchtest |
		надеюсь | дайте знать | если нужно | если хотите`)
	instructionPhrases = phraseList(`ignore | ignore all | ignore your | ignore previous | ignore the | disregard | forget your | forget all |
		previous instructions | your instructions | system prompt | dm me | message me | send me | contact me | write to me | tell me |
		bot token | your token | your password | your api key | click | click here | visit | subscribe | follow us | join us | join |
		sign up | reply with | share this |
		ignora | ignore | olvida | envíame | envía | mándame | escríbeme | únete | suscríbete | haz clic | visita | sígueme |
		ignore | esqueça | envie-me | envie | me mande | clique | inscreva-se | junte-se | visite | siga |
		ignorez | oubliez | envoyez-moi | envoyez | cliquez | rejoignez | abonnez-vous | écrivez-moi | visitez |
		ignoriere | ignorieren sie | vergiss | schick mir | schicke mir | sende mir | senden sie | klicke | klicken sie | besuche | besuchen sie | abonniere | tritt |
		игнорируй | проигнорируй | забудь | отправь | пришли | напиши мне | перейди | подпишись | нажми | присоединяйся`)
)

type phrase []string

type phraseSet map[string][]phrase // by first word

func phraseList(list string) phraseSet {
	ps := make(phraseSet)
	for _, p := range strings.Split(list, "|") {
		var ws []string
		for _, t := range tokenize(strings.TrimSpace(p), nil) {
			switch {
			case t.kind == tokWord:
				ws = append(ws, t.text)
			case t.kind == tokPunct && (t.text == "'" || t.text == "’"):
				ws = append(ws, "'")
			case t.kind == tokPunct && t.text == "*" && len(ws) > 0:
				ws[len(ws)-1] += "*"
			case t.kind == tokPunct && t.text == "-":
				ws = append(ws, "-")
			}
		}
		if len(ws) > 0 {
			k := strings.TrimSuffix(ws[0], "*")
			if strings.HasSuffix(ws[0], "*") {
				k = k[:min(len(k), 4)]
			}
			ps[k] = append(ps[k], ws)
		}
	}
	return ps
}

// match returns the length in tokens of the phrase of ps that starts at
// word token i, or 0.
func (ps phraseSet) match(ts []token, i int) int {
	t := ts[i]
	if t.kind != tokWord {
		return 0
	}
	cands := ps[t.text]
	if len(t.text) >= 4 {
		cands = append(cands[:len(cands):len(cands)], ps[t.text[:4]]...)
	}
	best := 0
	for _, p := range cands {
		j, ok := i, true
		for n, w := range p {
			if n > 0 {
				j++
				for j < len(ts) && ts[j].kind == tokSpace && ts[j].inlineSpace() {
					j++
				}
			}
			if j >= len(ts) {
				ok = false
				break
			}
			tt := ts[j]
			text := tt.text
			if tt.kind == tokPunct && (text == "'" || text == "’") {
				text = "'"
			}
			if pre, isPre := strings.CutSuffix(w, "*"); isPre {
				ok = tt.kind == tokWord && strings.HasPrefix(text, pre)
			} else {
				ok = text == w
			}
			if !ok {
				break
			}
			// "i'm": the apostrophe is a token of its own, with no space
			if w == "'" {
				continue
			}
		}
		if ok && j-i+1 > best {
			best = j - i + 1
		}
	}
	return best
}

// findPhrase returns the first phrase of ps in the tokens of d for which
// where reports true, and where it starts, or "".
func (d *doc) findPhrase(ps phraseSet, where func(i int) bool) (string, int) {
	for i := range d.toks {
		if d.toks[i].kind != tokWord || d.toks[i].lex&lxPhrase == 0 || d.quoted[i] || where != nil && !where(i) {
			continue
		}
		if n := ps.match(d.toks, i); n > 0 {
			return joinRaw(d.toks, i, i+n-1), i
		}
	}
	return "", -1
}

func (d *doc) hasPhrase(ps phraseSet, p string) bool {
	want := strings.ToLower(p)
	for i := range d.toks {
		if n := ps.match(d.toks, i); n > 0 && strings.ToLower(joinRaw(d.toks, i, i+n-1)) == want {
			return true
		}
	}
	return false
}

func checkMeta(c *problemList, src, out *doc) {
	fresh := func(ps phraseSet, where func(int) bool) (string, bool) {
		p, _ := out.findPhrase(ps, where)
		if p == "" || src.hasPhrase(ps, p) {
			return "", false
		}
		return p, true
	}
	if p, ok := fresh(refusalPhrases, nil); ok {
		c.add(Meta, p, fmt.Sprintf("the answer refuses or apologises (%q) instead of rewriting", p))
	}
	if p, ok := fresh(metaPhrases, nil); ok {
		c.add(Meta, p, fmt.Sprintf("the answer talks about the task (%q)", p))
	}
	if p, ok := fresh(leadPhrases, func(i int) bool { return firstWord(out, i) || out.lineStart(i) }); ok {
		c.add(Meta, p, fmt.Sprintf("the answer introduces itself (%q)", p))
	}
	// an opener only as the first word, before "!", ",", ":" or a line end
	if p, ok := fresh(openerPhrases, func(i int) bool { return firstWord(out, i) }); ok {
		_, at := out.findPhrase(openerPhrases, func(i int) bool { return firstWord(out, i) })
		n := openerPhrases.match(out.toks, at)
		if nx := nextSolid(out.toks, at+n); nx >= len(out.toks) || out.toks[nx].kind == tokPunct && strings.Contains("!,:.", out.toks[nx].text) {
			c.add(Meta, p, fmt.Sprintf("the answer opens with %q, a reply to the request rather than the rewrite", p))
		}
	}
	if p, ok := fresh(closingPhrases, nil); ok {
		c.add(Meta, p, fmt.Sprintf("the answer addresses the reader (%q)", p))
	}
	// instructions: a verb that starts a sentence, or a phrase of two
	// words or more anywhere
	if p, ok := fresh(instructionPhrases, func(i int) bool {
		return out.start[i] || instructionPhrases.match(out.toks, i) > 1
	}); ok {
		c.add(Instruction, p, fmt.Sprintf("the answer gives the reader an instruction (%q) the text does not", p))
	}
	// a line that ends with a colon and introduces the rest is a preamble
	if out.lines > 1 {
		first := strings.TrimSpace(strings.SplitN(out.text, "\n", 2)[0])
		if strings.HasSuffix(first, ":") && !strings.HasSuffix(first, "**:") && !strings.Contains(src.text, first) && len(strings.Fields(first)) >= 4 {
			c.add(Meta, first, fmt.Sprintf("the answer opens with %q, which introduces the rewrite", clip(first, 60)))
		}
	}
}

// lineStart reports whether token i is the first word of its line.
func (d *doc) lineStart(i int) bool {
	for j := i - 1; j >= 0; j-- {
		t := d.toks[j]
		if t.kind == tokSpace && strings.Contains(t.raw, "\n") {
			return true
		}
		if t.kind == tokWord || t.kind == tokNum {
			return false
		}
	}
	return true
}

func firstWord(d *doc, i int) bool {
	for j := 0; j < i; j++ {
		if d.toks[j].kind == tokWord || d.toks[j].kind == tokNum {
			return false
		}
	}
	return true
}

// Language. The script must be the asked language's, and among the
// languages with stop-word lists the asked one must lead.

var latinLangs = words(`en es pt fr de it nl ca gl pl cs sk ro hu sv da no nb nn fi et lv lt sl hr bs sq tr az id ms vi tl sw eu ga cy is mt`)
var cyrillicLangs = words(`ru uk be bg mk sr kk ky tg mn`)

func checkLanguage(c *problemList, out *doc, lang string) {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	latin, cyr, other, letters := 0, 0, 0, 0
	for _, t := range out.toks {
		if t.kind != tokWord || t.upper && len([]rune(t.raw)) <= 5 && strings.ToUpper(t.raw) == t.raw {
			continue // acronyms are written in their own script
		}
		for _, r := range t.raw {
			switch {
			case r < 0x80:
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
					letters++
					latin++
				}
			case r >= 0x400 && r <= 0x52f:
				letters++
				cyr++
			case !unicode.IsLetter(r):
			case unicode.Is(unicode.Latin, r):
				letters++
				latin++
			case unicode.Is(unicode.Cyrillic, r):
				letters++
				cyr++
			default:
				letters++
				other++
			}
		}
	}
	if letters < 20 {
		return
	}
	want := ""
	switch {
	case latinLangs[lang]:
		want = "Latin"
		if latin*2 < letters {
			c.add(Language, "", fmt.Sprintf("the answer is not written in the Latin script of %q", lang))
			return
		}
	case cyrillicLangs[lang]:
		want = "Cyrillic"
		if cyr*2 < letters {
			c.add(Language, "", fmt.Sprintf("the answer is not written in the Cyrillic script of %q", lang))
			return
		}
	default:
		if latin*2 > letters || cyr*2 > letters {
			c.add(Language, "", fmt.Sprintf("the answer is written in the Latin or Cyrillic script, not in that of %q", lang))
		}
		return
	}
	_ = want
	if stopWords[lang] == nil {
		return
	}
	counts := make(map[string]int)
	for _, t := range out.toks {
		if t.kind != tokWord {
			continue
		}
		if n := t.lex >> bitsBefore(lxStopLang); n != 0 && n&(n-1) == 0 { // one language's word only
			for i, l := range stopOrder {
				if n == 1<<i {
					counts[l]++
				}
			}
		}
	}
	top, topN := "", 0
	for l, n := range counts {
		if n > topN || n == topN && l == lang {
			top, topN = l, n
		}
	}
	if top != lang && topN >= 4 && counts[lang]*2 < topN {
		c.add(Language, "", fmt.Sprintf("the answer reads as %q, not %q", top, lang))
	}
}

// bitsBefore returns the number of bits below flag f.
func bitsBefore(f lexFlag) int {
	n := 0
	for f > 1 {
		f >>= 1
		n++
	}
	return n
}

// Statements. A translation keeps every statement: it has about as many
// sentences and list items as the source, not fewer and not more.

// statements counts the sentences of d, leaving out a first line that is
// a title (no closing punctuation, a blank line after it).
func statements(d *doc) int {
	n := 0
	for _, r := range d.sents {
		if last := prevSolid(d.toks, r[1]-1); last < 0 || !d.toks[last].is(tokPunct, ";") {
			n++ // a semicolon joins what a translation may split or join
		}
	}
	if n > 1 {
		r := d.sents[0]
		last := prevSolid(d.toks, r[1]-1)
		if d.line[r[0]] == 0 && last >= 0 && d.toks[last].kind != tokPunct && strings.HasPrefix(d.text[int(d.toks[last].pos)+len(d.toks[last].raw):], "\n\n") {
			n--
		}
	}
	return n
}

func checkStatements(c *problemList, s int, out *doc) {
	o := statements(out)
	switch {
	case s >= 4 && float64(o) < 0.75*float64(s):
		c.add(Statements, "", fmt.Sprintf("the translation has %d statements; the text has %d", o, s))
	case o > s:
		c.add(Statements, "", fmt.Sprintf("the translation has %d statements; the text has only %d", o, s))
	}
}

// Markup the source lacks: headings, spoilers, code, block quotations,
// tables, HTML, Discord's timestamps and custom emoji.
func checkMarkup(c *problemList, have map[string]string, out string) {
	got := markupKinds(out)
	for _, k := range []string{"heading", "subtext", "block quotation", "table", "rule", "spoiler", "code block", "timestamp", "custom emoji", "HTML", "strikethrough", "underline"} {
		if f, ok := got[k]; ok && have[k] == "" {
			c.add(Markup, f, fmt.Sprintf("the answer has a %s, which the text does not", k))
		}
	}
}

// markupKinds returns the kinds of markup s has, each with an example.
func markupKinds(s string) map[string]string {
	m := make(map[string]string)
	for _, line := range strings.Split(s, "\n") {
		l := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(l, "#") && strings.TrimLeft(l, "#") != l && (strings.HasPrefix(strings.TrimLeft(l, "#"), " ") || strings.TrimLeft(l, "#") == ""):
			m["heading"] = l
		case strings.HasPrefix(l, "-# "):
			m["subtext"] = l
		case strings.HasPrefix(l, ">"):
			m["block quotation"] = l
		case strings.HasPrefix(l, "|") && strings.Count(l, "|") >= 2:
			m["table"] = l
		case strings.HasPrefix(l, "===") || strings.HasPrefix(l, "---") && strings.Trim(l, "-") == "" && len(l) >= 3:
			m["rule"] = l
		}
	}
	for _, k := range []struct{ mark, kind string }{
		{"||", "spoiler"}, {"```", "code block"}, {"<t:", "timestamp"}, {"<:", "custom emoji"}, {"<a:", "custom emoji"},
		{"</", "HTML"}, {"<br", "HTML"}, {"<b>", "HTML"}, {"<i>", "HTML"}, {"<p>", "HTML"},
		{"~~", "strikethrough"}, {"__", "underline"},
	} {
		if i := strings.Index(s, k.mark); i >= 0 {
			m[k.kind] = clip(s[i:], 40)
		}
	}
	return m
}

// claimWords are words of weight that a faithful rewrite never brings in
// on its own: arms and war, secrecy, permanence and records. Each group
// lists its forms in the six languages; the rewrite may use one only
// where the source has the same group.
var claimWords = func() map[string]wordSet {
	m := make(map[string]wordSet)
	for _, l := range strings.Split(`nuclear: nuclear* nucleares nucléaire* nuklear* atom* ядерн* атомн*
		base: stützpunkt* militärbasis* militärstützpunkt*
		troops: troops soldiers tropas soldados troupes soldats truppen soldaten войск* солдат*
		missile: missile* misil* míssil* mísseis rakete* ракет*
		permanent: permanent* permanente* dauerhaft* постоянн*
		secret: secre* sigil* geheim geheime geheimen geheimer geheimes geheimnis* geheimhalt* секретн* тайн*
		record: record-breaking unprecedented historic first-ever precedentes inédit* beispiellos* беспрецедентн*
		war: war wars guerra guerras guerre guerres krieg* войн*
		history: history
		death: dead killed death deaths muertos muertes mortos mortes morts tote toten погиб* убит* смерт*
		coup: coup golpe putsch* переворот*`, "\n") {
		g, list, _ := strings.Cut(l, ":")
		m[strings.TrimSpace(g)] = wordList(list)
	}
	return m
}()

var claimGroups = func() []string {
	var gs []string
	for g := range claimWords {
		gs = append(gs, g)
	}
	slices.Sort(gs)
	return gs
}()

// claimGroupsOf returns the claim groups d's words belong to, each with
// the first word of it: the source's quotations count, a rewrite's do not
// (they are checked as quotations).
func claimGroupsOf(d *doc, quotedToo bool) map[string]string {
	m := make(map[string]string)
	for i, t := range d.toks {
		if t.kind != tokWord || d.quoted[i] && !quotedToo || t.lex&lxClaim == 0 {
			continue
		}
		for _, g := range claimGroups {
			if _, seen := m[g]; !seen && claimWords[g].has(t.text) {
				m[g] = t.raw
			}
		}
	}
	return m
}

// checkClaims refuses a word of a claim group the source (have) lacks.
func checkClaims(c *problemList, have map[string]string, out *doc) {
	got := claimGroupsOf(out, false)
	for _, g := range claimGroups {
		if w, ok := got[g]; ok && have[g] == "" {
			c.add(Claim, w, fmt.Sprintf("the answer speaks of %q (%s), which the text does not", w, g))
		}
	}
}
