package answer

import "strings"

// Lines that try to instruct the bot ("ignore previous instructions",
// "system prompt", "you are now …") are refused as the articles not
// covering them: the answerer only ever quotes the articles, so such a
// line could do no harm, but answering it with a statement would look as
// if it had worked. No maintained Go module detects them, so the patterns
// are ours, in the six languages, matched on folded words.

// instructionPatterns: each space-separated step must follow the one
// before; "|" separates a step's alternative words; a trailing "~" matches
// any word beginning so; "…" allows up to four words in between.
var instructionPatterns = []string{
	// English
	"ignore~|disregard~|forget|override|bypass … instruction~|rules|rule|prompt~|previous|prior|above|article|everything|guideline~|context",
	"system|initial|hidden|original prompt~|instruction~",
	"your prompt~|instruction~|rules|guideline~|programming",
	"new instruction~",
	"you|u are|r now|no",
	"you're|youre|ur now",
	"from now on",
	"pretend you|u|to|that",
	"roleplay~|impersonate",
	"role play",
	"act|behave|talk|speak as|like a|an|if|my|the",
	"reply|respond|output only|with|exactly",
	"answer only",
	"repeat after",
	"developer|god|dan|jailbreak mode",
	"jailbreak~",
	// Spanish
	"ignora~|ignore~|olvida~|olvide~|omite|descarta … instruccion~|reglas|prompt|anterior~|todo",
	"ahora eres|sos",
	"eres ahora",
	"actua|finge|habla|comportate como|que|ser",
	"a partir de ahora",
	"nuevas instrucciones",
	"prompt del sistema",
	// Portuguese
	"ignore~|ignora~|esqueca~|desconsidere … instruc~|regras|prompt|anterior~|tudo",
	"agora voce|tu e|es|sera",
	"voce agora e",
	"aja|finja|fale como|que|ser",
	"a partir de agora",
	"novas instrucoes",
	"prompt do sistema",
	// French
	"ignore~|oublie~ … instruction~|regles|consignes|prompt|precedent~|tout",
	"tu|vous es|etes maintenant|desormais",
	"fais|faites comme si",
	"agis|agissez|parle comme",
	"a partir de maintenant",
	"nouvelles instructions",
	"prompt systeme",
	// German
	"ignorier~|vergiss|vergessen|missachte~ … anweisung~|regeln|prompt|vorherig~|bisherig~|alles",
	"du|sie bist|sind jetzt|nun|ab",
	"tu so als",
	"verhalte dich wie|als",
	"ab jetzt",
	"neue anweisung~",
	"systemprompt~",
	// Russian
	"игнориру~|проигнориру~|забуд~ … инструкц~|правил~|промпт~|предыдущ~|все",
	"ты|вы теперь",
	"теперь ты|вы",
	"представь~ что ты",
	"притвор~",
	"новые инструкции",
	"системн~ промпт~",
	"с этого момента",
}

// pattern is one compiled instruction pattern.
type pattern []step

type step struct {
	alts []alt
	gap  bool // up to maxGap words may come before this step
}

type alt struct {
	word   string
	prefix bool
}

const maxGap = 4

func compilePatterns(src []string) []pattern {
	out := make([]pattern, 0, len(src))
	for _, s := range src {
		var p pattern
		gap := false
		for _, f := range strings.Fields(s) {
			if f == "…" {
				gap = true
				continue
			}
			st := step{gap: gap}
			gap = false
			for _, a := range strings.Split(f, "|") {
				prefix := strings.HasSuffix(a, "~")
				st.alts = append(st.alts, alt{word: fold(strings.TrimSuffix(a, "~")), prefix: prefix})
			}
			p = append(p, st)
		}
		out = append(out, p)
	}
	return out
}

func (s step) matches(word string) bool {
	for _, a := range s.alts {
		if word == a.word || a.prefix && strings.HasPrefix(word, a.word) {
			return true
		}
	}
	return false
}

// isInstruction reports whether the tokens hold an instruction pattern.
func isInstruction(patterns []pattern, toks []token) bool {
	for _, p := range patterns {
		for i := range toks {
			if matchAt(p, toks, i) {
				return true
			}
		}
	}
	return false
}

func matchAt(p pattern, toks []token, i int) bool {
	if !p[0].matches(toks[i].folded) {
		return false
	}
	j := i + 1
	for _, st := range p[1:] {
		limit := j
		if st.gap {
			limit = j + maxGap
		}
		found := false
		for ; j <= limit && j < len(toks); j++ {
			if st.matches(toks[j].folded) {
				found = true
				j++
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
