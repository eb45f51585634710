package guard

import "strings"

// Units. A figure keeps its unit: 70 % is not 70 points, a million barrels
// a day is not a million a week, "four times" is not "4 %". Units are
// classes, the same in every language.

// unitWords are the units that follow a figure directly.
var unitWords = func() map[string]string {
	m := make(map[string]string)
	for unit, list := range map[string]string{
		"money": `dollars dollar dólares dólar долларов доллара доллар euros euro евро rubles roubles rublos rublo рублей рубля рубль
			bolívares bolivares pesos usd eur dollari`,
		"times": `times veces vezes fois mal раз раза fold`,
		"years": `years year yr yrs años año anos ano ans an année années jahre jahren jahr лет года год годы годам
			anniversary anniversaries aniversario aniversário anniversaire jahrestag jahrestages jahrestags годовщина годовщины годовщину годовщине
			летие летия летию летием летний летнего летней`,
		"months": `months month meses mes mois monate monaten monat месяцев месяца месяц`,
		"weeks":  `weeks week semanas semana semaines semaine wochen woche недель недели неделю неделя`,
		"days":   `days day días dia dias jours jour tage tagen tag дней дня день`,
		"pp":     `points point puntos pontos punkte prozentpunkte пункта пунктов пункт п`,
	} {
		for _, w := range strings.Fields(list) {
			m[w] = unit
		}
	}
	return m
}()

// rates are the expressions of a rate that may stand a few words after a
// figure ("1 million barrels daily", "1 млн баррелей в сутки").
var rates = []struct {
	phrase string
	unit   string
}{
	{"daily", "per-day"}, {"a day", "per-day"}, {"per day", "per-day"}, {"each day", "per-day"}, {"every day", "per-day"},
	{"diarios", "per-day"}, {"diarias", "per-day"}, {"diario", "per-day"}, {"al día", "per-day"}, {"por día", "per-day"},
	{"por dia", "per-day"}, {"ao dia", "per-day"}, {"diários", "per-day"}, {"diárias", "per-day"}, {"par jour", "per-day"},
	{"quotidien", "per-day"}, {"quotidiens", "per-day"}, {"quotidiennement", "per-day"}, {"pro tag", "per-day"}, {"am tag", "per-day"},
	{"täglich", "per-day"}, {"tägliche", "per-day"}, {"täglichen", "per-day"}, {"в день", "per-day"}, {"в сутки", "per-day"},
	{"ежедневно", "per-day"}, {"суточной", "per-day"}, {"сутки", "per-day"},
	{"weekly", "per-week"}, {"a week", "per-week"}, {"per week", "per-week"}, {"semanales", "per-week"}, {"por semana", "per-week"},
	{"a la semana", "per-week"}, {"semanais", "per-week"}, {"par semaine", "per-week"}, {"pro woche", "per-week"},
	{"wöchentlich", "per-week"}, {"в неделю", "per-week"},
	{"monthly", "per-month"}, {"a month", "per-month"}, {"per month", "per-month"}, {"mensuales", "per-month"}, {"al mes", "per-month"},
	{"por mes", "per-month"}, {"por mês", "per-month"}, {"mensais", "per-month"}, {"par mois", "per-month"}, {"pro monat", "per-month"},
	{"monatlich", "per-month"}, {"в месяц", "per-month"},
	{"yearly", "per-year"}, {"annually", "per-year"}, {"a year", "per-year"}, {"per year", "per-year"}, {"anuales", "per-year"},
	{"al año", "per-year"}, {"por año", "per-year"}, {"por ano", "per-year"}, {"ao ano", "per-year"}, {"anuais", "per-year"},
	{"par an", "per-year"}, {"annuels", "per-year"}, {"pro jahr", "per-year"}, {"jährlich", "per-year"}, {"в год", "per-year"},
	{"ежегодно", "per-year"},
}

// rateFirst indexes rates by their first word.
var rateFirst = func() map[string][][]string {
	m := make(map[string][][]string)
	for _, r := range rates {
		ws := strings.Fields(r.phrase)
		m[ws[0]] = append(m[ws[0]], append(ws, r.unit))
	}
	return m
}()

// unitAfter returns the unit of the figure at tokens [i, end] and the last
// token the figure then spans: a currency sign before it, a unit word
// after it ("70-fold", "80 years", "80-летию", "4 times"), or a rate a
// few words on.
func unitAfter(ts []token, i, end int) (string, int) {
	if p := prevSolid(ts, i-1); p >= 0 && (ts[p].is(tokPunct, "$", "€", "£", "₽") || ts[p].is(tokWord, "usd", "us", "eur")) && p >= i-2 {
		return "money", end
	}
	k := end + 1
	if at(ts, k).inlineSpace() || at(ts, k).is(tokPunct, "-") {
		k++
	}
	if w := at(ts, k); w.kind == tokWord {
		if u, ok := unitWords[w.text]; ok && u != "pp" {
			return u, end
		}
	}
	// a rate within the next few words of the clause
	words := 0
	for j := end + 1; j < len(ts) && words < 5; j++ {
		t := ts[j]
		if t.kind == tokNum || t.kind == tokPunct && strings.ContainsAny(t.text, ".,;:!?()") || t.kind == tokSpace && !t.inlineSpace() {
			break
		}
		if t.kind != tokWord {
			continue
		}
		words++
		for _, r := range rateFirst[t.text] {
			if matchWords(ts, j, r[:len(r)-1]) {
				return r[len(r)-1], end
			}
		}
	}
	return "", end
}

// pointsAfter reads "percentage points" after a percentage's number: it
// returns "pp" and the last token when the words after the percent word
// say points.
func pointsAfter(ts []token, end int) (string, int) {
	if strings.HasPrefix(at(ts, end).text, "prozentpunkt") {
		return "pp", end
	}
	k := end + 1
	if at(ts, k).inlineSpace() {
		k++
	}
	if w := at(ts, k); w.kind == tokWord && unitWords[w.text] == "pp" {
		return "pp", k
	}
	return "", 0
}

// matchWords reports whether the words ws follow from token j on,
// separated by inline spaces.
func matchWords(ts []token, j int, ws []string) bool {
	for n, w := range ws {
		if n > 0 {
			j++
			if !at(ts, j).inlineSpace() {
				return false
			}
			j++
		}
		if !at(ts, j).is(tokWord, w) {
			return false
		}
	}
	return true
}

// compatible reports whether a figure of the rewrite with unit o may stand
// for a figure of the source with unit s: the same unit, or none in the
// rewrite, or a span of time where the source gives none ("80 years" for
// "the 80th anniversary").
func compatible(o, s string) bool {
	switch {
	case o == "" || o == s:
		return true
	case o == "years" || o == "months" || o == "weeks" || o == "days":
		return s == ""
	}
	return false
}
