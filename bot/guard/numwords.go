package guard

import "strings"

// Number words of the six languages. Cardinals combine ("four hundred
// fifty-three", "cuatrocientos cincuenta y tres", "quatre-vingt-dix",
// "четыреста пятьдесят три"); German writes them as one word
// ("vierhundertdreiundfünfzig"), which numberWordDE takes apart.

// cardinals are the words with a value of their own; "hundred" and the
// like multiply what comes before them (see multiplierWords).
var cardinals = map[string]int{
	// English
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
	// Spanish
	"cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
	"ocho": 8, "nueve": 9, "diez": 10, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
	"dieciséis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
	"veintidós": 22, "veintitrés": 23, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60,
	"setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
	"trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500,
	"quinientas": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800, "novecientos": 900,
	// Portuguese
	"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "sete": 7, "oito": 8, "nove": 9,
	"dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14, "quinze": 15, "dezesseis": 16,
	"dezessete": 17, "dezoito": 18, "dezenove": 19, "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50,
	"sessenta": 60, "oitenta": 80, "cem": 100, "cento": 100, "duzentos": 200, "duzentas": 200,
	"trezentos": 300, "trezentas": 300, "quatrocentos": 400, "quinhentos": 500, "seiscentos": 600,
	"setecentos": 700, "oitocentos": 800, "novecentos": 900,
	// French
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
	"dix": 10, "douze": 12, "treize": 13, "vingt": 20, "vingts": 20,
	"trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
	"octante": 80, "nonante": 90, "cent": 100, "cents": 100,
	// German (single words; compounds in numberWordDE)
	"null": 0, "eins": 1, "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
	"sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
	"vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90, "hundert": 100,
	// Russian, with the oblique forms a number takes after a preposition
	"ноль": 0, "один": 1, "одна": 1, "одно": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3,
	"четыре": 4, "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
	"восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11,
	"двенадцать": 12, "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40,
	"сорока": 40, "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "шестидесяти": 60, "семьдесят": 70,
	"семидесяти": 70, "восемьдесят": 80, "восьмидесяти": 80, "девяносто": 90, "девяноста": 90, "сто": 100,
	"ста": 100, "двести": 200, "двухсот": 200, "триста": 300, "трёхсот": 300, "трехсот": 300,
	"четыреста": 400, "четырёхсот": 400, "четырехсот": 400, "пятьсот": 500, "пятисот": 500,
	"шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
}

// multiplierWords multiply the number before them ("four hundred").
var multiplierWords = map[string]int{
	"hundred": 100, "hundreds": 100, "cientos": 100, "centenas": 100, "centaines": 100,
}

// ordinals are the ordinal words, the day of a date among them ("the
// ninth of May", "el nueve de mayo", "9-го").
var ordinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
	"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
	"fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
	"primero": 1, "primer": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercer": 3, "tercera": 3,
	"cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7, "séptima": 7,
	"octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10, "décima": 10, "vigésimo": 20,
	"trigésimo": 30, "cuadragésimo": 40, "quincuagésimo": 50, "sexagésimo": 60, "septuagésimo": 70,
	"octogésimo": 80, "octogésima": 80, "nonagésimo": 90, "centésimo": 100,
	"primeiro": 1, "primeira": 1, "terceiro": 3, "terceira": 3, "quarto": 4, "quarta": 4, "sétimo": 7,
	"sétima": 7, "oitavo": 8, "oitava": 8, "nono": 9, "nona": 9,
	"premier": 1, "première": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
	"sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10, "vingtième": 20,
	"trentième": 30, "quarantième": 40, "cinquantième": 50, "soixantième": 60, "centième": 100,
	"erste": 1, "zweite": 2, "dritte": 3, "vierte": 4, "fünfte": 5, "sechste": 6, "siebte": 7, "achte": 8,
	"neunte": 9, "zehnte": 10, "zwanzigste": 20, "dreißigste": 30, "vierzigste": 40, "fünfzigste": 50,
	"sechzigste": 60, "siebzigste": 70, "achtzigste": 80, "neunzigste": 90, "hundertste": 100,
}

// ordinalStems are the Russian ordinals, which inflect: девятое,
// девятого, девятому.
var ordinalStems = []struct {
	stem string
	n    int
}{
	{"перв", 1}, {"втор", 2}, {"трет", 3}, {"четвёрт", 4}, {"четверт", 4}, {"пят", 5}, {"шест", 6},
	{"седьм", 7}, {"восьм", 8}, {"девят", 9}, {"десят", 10}, {"двадцат", 20}, {"тридцат", 30},
	{"сороков", 40}, {"пятидесят", 50}, {"шестидесят", 60}, {"семидесят", 70}, {"восьмидесят", 80},
	{"девяност", 90}, {"сот", 100},
}

// ordinalEndings are the endings of a Russian ordinal after its stem.
var ordinalEndings = words(`ый ой ий ая яя ое ее ого его ому ему ую юю ом ем ые ых ым ыми`)

// ordinalWord returns the value of an ordinal word, or 0.
func ordinalWord(w string) int {
	if n, ok := ordinals[w]; ok {
		return n
	}
	if w[0] >= 0xd0 && w[0] <= 0xd1 {
		for _, s := range ordinalStems {
			if rest, ok := strings.CutPrefix(w, s.stem); ok && ordinalEndings[rest] {
				return s.n
			}
		}
		return 0
	}
	// German ordinals decline: dritten, dritter, drittes, achtzigsten
	for _, end := range []string{"n", "r", "s", "m"} {
		if n, ok := ordinals[strings.TrimSuffix(w, end)]; ok && strings.HasSuffix(w, end) {
			return n
		}
	}
	return 0
}

// germanOrdinals are the German ordinals, whose declined forms are also
// verbs and nouns (achten, Erster).
var germanOrdinals = words(`erste zweite dritte vierte fünfte sechste siebte achte neunte zehnte zwanzigste
	dreißigste vierzigste fünfzigste sechzigste siebzigste achtzigste neunzigste hundertste`)

func germanOrdinal(w string) bool {
	if germanOrdinals[w] {
		return true
	}
	for _, end := range []string{"n", "r", "s", "m"} {
		if base, ok := strings.CutSuffix(w, end); ok && germanOrdinals[base] {
			return true
		}
	}
	return false
}

// beforeNoun reports whether the word after token j is a noun, as German
// writes nouns (with a capital), or a month: "am achten Mai", "der dritte
// Weg".
func beforeNoun(ts []token, j int) bool {
	k := nextSolid(ts, j+1)
	return k < len(ts) && ts[k].kind == tokWord && (ts[k].upper || monthOf(ts[k].text) > 0)
}

// cardinalWord returns the value of a cardinal word that stands alone, or
// 0: "eighty", "ochenta", "восемьдесят", "achtzig", "dreiundfünfzig".
func cardinalWord(w string) int {
	if n, ok := cardinals[w]; ok {
		return n
	}
	return numberWordDE(w)
}

func germanLetters(w string) bool {
	for _, r := range w {
		if (r < 'a' || r > 'z') && r != 'ü' && r != 'ö' && r != 'ß' {
			return false
		}
	}
	return true
}

var germanUnits = []struct {
	w string
	n int
}{
	{"eins", 1}, {"ein", 1}, {"zwei", 2}, {"drei", 3}, {"vier", 4}, {"fünf", 5}, {"sechs", 6},
	{"sieben", 7}, {"acht", 8}, {"neun", 9},
}

var germanTens = []struct {
	w string
	n int
}{
	{"zehn", 10}, {"elf", 11}, {"zwölf", 12}, {"zwanzig", 20}, {"dreißig", 30}, {"vierzig", 40}, {"fünfzig", 50},
	{"sechzig", 60}, {"siebzig", 70}, {"achtzig", 80}, {"neunzig", 90},
}

// numberWordDE takes apart a German number written as one word:
// [units "hundert"] [units "und"] [tens]. It returns 0 for any other word.
func numberWordDE(w string) int {
	if len(w) < 7 || !germanLetters(w) {
		return 0 // the short ones are in cardinals
	}
	total, rest := 0, w
	if i := strings.Index(rest, "hundert"); i >= 0 {
		h := 1
		if i > 0 {
			h = 0
			for _, u := range germanUnits {
				if rest[:i] == u.w {
					h = u.n
				}
			}
			if h == 0 {
				return 0
			}
		}
		total, rest = h*100, rest[i+len("hundert"):]
	}
	if rest == "" {
		return total
	}
	unit := 0
	if i := strings.Index(rest, "und"); i > 0 {
		for _, u := range germanUnits {
			if rest[:i] == u.w {
				unit = u.n
			}
		}
		if unit == 0 {
			return 0
		}
		rest = rest[i+3:]
	}
	for _, t := range germanTens {
		if rest == t.w {
			return total + unit + t.n
		}
	}
	if unit == 0 && total > 0 {
		for _, u := range germanUnits {
			if rest == u.w {
				return total + u.n
			}
		}
	}
	return 0
}

// composes reports whether n may follow current in one number: units
// after tens ("forty-two"), tens or units after hundreds, "dix" after a
// French multiple of twenty ("soixante-dix").
func composes(current, n int) bool {
	switch {
	case current >= 100 && current%100 == 0:
		return n < 100
	case current >= 20 && current%10 == 0:
		return n < 10 || current%20 == 0 && n < 20
	}
	return false
}

// numberJoiners may stand between the words of one number.
var numberJoiners = words(`and y e et und и`)

// readNumberWords reads a number said in words starting at token i:
// "four hundred fifty-three", "soixante-dix", "the ninth". It returns the
// value, the index of its last token, and whether it is an ordinal.
func readNumberWords(ts []token, i int) (value, end int, ordinal, ok bool) {
	total, current, end := 0, 0, -1
	seen := false
	j := i
	for j < len(ts) {
		t := ts[j]
		if t.kind != tokWord {
			break
		}
		w := t.text
		if o := ordinalWord(w); o > 0 {
			if germanOrdinal(w) && !beforeNoun(ts, j) {
				break // "worauf zu achten ist": the verb, not "the eighth"
			}
			if seen && o >= 100 {
				current *= 100
			} else {
				current += o
			}
			return total + current, j, true, true
		}
		if m, isMul := multiplierWords[w]; isMul && seen {
			current = max(current, 1) * m
		} else if n := cardinalWord(w); n > 0 || w == "zero" || w == "cero" {
			switch {
			case n == 100 && seen && current > 0 && current < 10:
				current *= 100 // "quatre cent"
			case n == 20 && seen && current == 4 && (w == "vingt" || w == "vingts"):
				current = 80 // "quatre-vingt"
			case !seen || composes(current, n):
				current += n
			default:
				return total + current, end, false, true // "une duas" is two numbers, or none
			}
		} else {
			break
		}
		seen, end = true, j
		// a joiner, a hyphen or a space may follow, then another number word
		k := j + 1
		if k < len(ts) && (ts[k].kind == tokSpace && ts[k].inlineSpace() || ts[k].is(tokPunct, "-")) {
			k++
		}
		if k < len(ts) && ts[k].kind == tokWord && numberJoiners[ts[k].text] && k+2 < len(ts) && ts[k+1].inlineSpace() {
			if cardinalWord(ts[k+2].text) > 0 {
				k += 2
			}
		}
		if k >= len(ts) || ts[k].kind != tokWord || (cardinalWord(ts[k].text) == 0 && ordinalWord(ts[k].text) == 0 && multiplierWords[ts[k].text] == 0) {
			break
		}
		j = k
	}
	if !seen {
		return 0, 0, false, false
	}
	return total + current, end, false, true
}
