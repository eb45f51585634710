package answer

import "strings"

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
	// intentPresent: the question asks about the present ("today", "right
	// now", "this week"), which a dated article cannot report. It is no
	// feature of any statement: it counts as a word the articles do not
	// hold, so that "what's opec's output this month" is refused while
	// "what's opec's output" is answered.
	intentPresent
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
		"report, reported, reports, comment, commented, comments, claim, claimed, claims, announced, stated, " +
		"dijo, dice, dijeron, declaro, cita, informo, informa, reporto, comento, afirmo, anuncio, " +
		"disse, diz, disseram, declarou, citacao, informou, relatou, comentou, afirmou, anunciou, " +
		"сказал, сказала, сказали, заявил, заявила, говорил, говорит, цитата, сообщил, сообщила, сообщили, сообщает, пишет, писал, " +
		"dit, a dit, declare, citation, rapporte, annonce, affirme, commente, " +
		"sagen, sagte, sagt, gesagt, erklarte, zitat, berichtet, berichtete, meldete, behauptet, kommentierte"},
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
	{intentPresent, "today, tonight, now, right now, currently, nowadays, at the moment, these days, live, " +
		"this week, this month, this year, next week, next month, next year, " +
		"hoy, ahora, ahorita, actualmente, esta semana, este mes, este ano, " +
		"hoje, agora, atualmente, esta semana, este mes, este ano, " +
		"сегодня, сейчас, на данный момент, в этом году, в этом месяце, на этой неделе, " +
		"aujourd'hui, maintenant, actuellement, en ce moment, cette semaine, ce mois, cette annee, " +
		"heute, jetzt, derzeit, aktuell, gerade, diese woche, diesen monat, dieses jahr"},
}

// intentTrigger is one phrase of intentWords.
type intentTrigger struct {
	words  []string
	intent intentSet
}

// compileIntents indexes the phrases of intentWords by their first word.
func compileIntents() map[string][]intentTrigger {
	out := make(map[string][]intentTrigger)
	for _, iw := range intentWords {
		for _, phrase := range strings.Split(iw.words, ",") {
			words := strings.Fields(fold(phrase))
			if len(words) > 0 {
				out[words[0]] = append(out[words[0]], intentTrigger{words: words, intent: iw.intent})
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

// months are the English month names, for dates in statements.
var months = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
}

// figureWords make a figure without digits, or with them.
var figureWords = map[string]bool{
	"million": true, "millions": true, "billion": true, "billions": true, "thousand": true, "thousands": true,
	"percent": true, "largest": true, "double": true, "half": true, "triple": true,
}

// causeWords mark a statement that gives a cause or a motive.
var causeWords = map[string]bool{
	"because": true, "due": true, "since": true, "owing": true, "facing": true, "faced": true, "driven": true,
	"pushed": true, "relies": true, "aim": true, "aims": true, "seek": true, "seeks": true, "sought": true,
	"want": true, "wants": true, "why": true, "reason": true, "reasons": true, "motive": true, "motives": true,
	"strategy": true, "isolation": true, "isolated": true, "crisis": true, "matters": true,
}

// statementFeatures says which intents a statement can answer, from its
// tokens and those of its label.
func statementFeatures(p piece, text, label []token) intentSet {
	var f intentSet
	if p.quote || strings.ContainsAny(p.text, "“”\"«»") {
		f |= intentQuote
	}
	for i, t := range text {
		w := t.folded
		switch {
		case isYear(w):
			f |= intentWhen
		case months[w] && i+1 < len(text) && (isDigits(text[i+1].folded) || text[i+1].folded == "of"):
			f |= intentWhen
		case i > 0 && months[text[i-1].folded] && isDigits(w):
			// the day of a date: "May 7"
		case hasDigit(w) || figureWords[w]:
			f |= intentFigure
		case causeWords[w]:
			f |= intentCause
		}
	}
	if strings.Contains(p.text, "%") {
		f |= intentFigure
	}
	for _, t := range label {
		if causeWords[t.folded] {
			f |= intentCause
		}
	}
	return f
}

func isYear(w string) bool {
	return len(w) == 4 && isDigits(w) && (w[:2] == "18" || w[:2] == "19" || w[:2] == "20")
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

// conjunctions join the parts of a question: "oil and weapons", "petróleo y
// armas". A comma, semicolon, ampersand or plus does too.
var conjunctions = []string{"and", "plus", "also", "y", "e", "и", "et", "und", "sowie"}
