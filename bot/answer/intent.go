package answer

import (
	"regexp"
	"strings"
)

// Question words are intents, not topics: "when" asks for a date, not for
// statements holding the word "when". An intent makes the statements that
// hold what it asks for (a date, a quotation, a figure, a cause) rank
// higher among those that match the question's topic, and so the sections
// whose keywords name it (a timeline has "when" or "dates"). It never
// makes a statement match on its own.

// intentSet is a set of intents, and of the features of a statement.
type intentSet uint8

const (
	intentWhen   intentSet = 1 << iota // a date: "when", "cuándo", "когда"
	intentQuote                        // a quotation: "who said", "what did X say"
	intentCause                        // a cause: "why", "por qué", "warum"
	intentFigure                       // a figure: "how much", "сколько", "combien"
)

// intentWords are the question words of each intent in the six languages,
// folded; several words are a phrase. No library names question words by
// intent, so the table is ours.
var intentWords = []struct {
	intent intentSet
	words  string // phrases separated by commas
}{
	{intentWhen, "when, since when, what year, which year, what date, what day, how long ago, " +
		"cuando, desde cuando, en que ano, que dia, que fecha, " +
		"quando, desde quando, em que ano, que dia, " +
		"когда, с каких пор, в каком году, какого числа, " +
		"quand, depuis quand, en quelle annee, quel jour, " +
		"wann, seit wann, in welchem jahr, an welchem tag"},
	{intentQuote, "said, say, says, saying, quote, quotes, quoted, who called, " +
		"dijo, dice, dijeron, declaro, cita, " +
		"disse, diz, disseram, declarou, citacao, " +
		"сказал, сказала, сказали, заявил, заявила, говорил, говорит, цитата, " +
		"dit, a dit, declare, citation, " +
		"sagte, sagt, gesagt, erklarte, zitat"},
	{intentCause, "why, how come, for what reason, what for, " +
		"por que, porque, porqué, para que, " +
		"por que, porque, por quê, pra que, " +
		"почему, зачем, отчего, " +
		"pourquoi, " +
		"warum, wieso, weshalb, weswegen"},
	{intentFigure, "how much, how many, how big, how large, how high, what percentage, by how much, " +
		"cuanto, cuanta, cuantos, cuantas, " +
		"quanto, quanta, quantos, quantas, " +
		"сколько, насколько, " +
		"combien, " +
		"wie viel, wie viele, wieviel, wieviele, wie stark, wie hoch"},
}

// intentTrigger is one phrase of intentWords.
type intentTrigger struct {
	words  []string
	intent intentSet
}

func compileIntents() []intentTrigger {
	var out []intentTrigger
	for _, iw := range intentWords {
		for _, phrase := range strings.Split(iw.words, ",") {
			words := strings.Fields(fold(phrase))
			if len(words) > 0 {
				out = append(out, intentTrigger{words: words, intent: iw.intent})
			}
		}
	}
	return out
}

// sectionIntentWords are keywords and names by which an editor says that a
// section answers an intent.
var sectionIntentWords = map[string]intentSet{
	"when": intentWhen, "dates": intentWhen, "date": intentWhen, "timeline": intentWhen, "chronology": intentWhen,
	"quote": intentQuote, "quotes": intentQuote, "quotation": intentQuote, "quotations": intentQuote, "said": intentQuote,
	"why": intentCause, "reasons": intentCause, "motives": intentCause, "motivation": intentCause, "causes": intentCause,
	"figures": intentFigure, "numbers": intentFigure, "statistics": intentFigure, "data": intentFigure,
}

func sectionIntents(s Section) intentSet {
	var set intentSet
	set |= sectionIntentWords[strings.ToLower(s.Name)]
	for _, k := range s.Keywords {
		set |= sectionIntentWords[strings.ToLower(strings.TrimSpace(k))]
	}
	return set
}

var (
	reYear    = regexp.MustCompile(`\b(?:1[89]|20)\d\d\b`)
	reMonth   = regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December) (?:\d|of)`)
	reFigure  = regexp.MustCompile(`\d[\d,.]*\s?%|\b\d[\d,.]*(?:\s(?:million|billion|thousand|barrels|percent|years))?\b|\b(?:million|billion|largest|third-largest|double|half)\b`)
	reQuote   = regexp.MustCompile(`[“”"«»]`)
	reCause   = regexp.MustCompile(`(?i)\b(?:because|due to|as a result|owing to|in order to|so that|since|facing|faced|driven by|pushed|relies|aims?|seeks?|sought|wants?|why|reasons?|motives?|strategy|isolation|isolated|crisis)\b`)
	reYearish = regexp.MustCompile(`^(?:1[89]|20)\d\d$`)
)

// statementFeatures says which intents a statement can answer.
func statementFeatures(p piece) intentSet {
	var f intentSet
	if reYear.MatchString(p.text) || reMonth.MatchString(p.text) {
		f |= intentWhen
	}
	if p.quote || reQuote.MatchString(p.text) {
		f |= intentQuote
	}
	if reCause.MatchString(p.text) || reCause.MatchString(p.label) {
		f |= intentCause
	}
	for _, m := range reFigure.FindAllString(p.text, -1) {
		if !reYearish.MatchString(strings.TrimSpace(m)) {
			f |= intentFigure
			break
		}
	}
	return f
}

// conjunctions join the parts of a question: "oil and weapons", "petróleo y
// armas". A comma, semicolon, ampersand or plus does too.
var conjunctions = []string{
	"and", "plus", "also", "y", "e", "и", "et", "und", "sowie",
}
