package guard

import (
	"fmt"
	"strconv"
	"strings"
)

type ymd struct{ y, m, d int }

type date struct {
	cands    []ymd // the dates it may be (5/7/2025 is two)
	text     string
	tok, end int // its first and last tokens
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
	if len(w) < 6 || w[0] < 0xd0 || w[0] > 0xd1 {
		return 0 // the stems are Cyrillic words of three letters or more
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

// dayWord returns the day a word says: an ordinal ("the ninth of May",
// "May ninth", "le neuvième"), or before the month also a cardinal ("el
// nueve de mayo").
func dayWord(t token, before bool) int {
	if t.kind != tokWord || t.used {
		return 0
	}
	d := ordinalWord(t.text)
	if d == 0 && before {
		d = cardinalWord(t.text)
	}
	if d < 1 || d > 31 {
		return 0
	}
	return d
}

func dayValue(t token) int {
	if t.kind != tokNum || t.used || len(t.text) > 2 {
		return 0
	}
	d, _ := strconv.Atoi(t.text)
	if d < 1 || d > 31 {
		return 0
	}
	return d
}

func yearValue(t token) int {
	if t.kind != tokNum || t.used || len(t.text) != 4 {
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
func monthDates(ts []token) []date {
	var out []date
	for i, t := range ts {
		if t.kind != tokWord {
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
		if at(ts, j).is(tokWord, "de", "del", "of") {
			j = prevSolid(ts, j-1)
			if at(ts, j).is(tokWord, "day", "jour", "día", "dia", "tag") { // "the ninth day of May"
				j = prevSolid(ts, j-1)
			}
		}
		switch {
		case at(ts, j).kind == tokWord && ordinalSuffixes[ts[j].text] && at(ts, j-1).kind == tokNum:
			j--
		case at(ts, j).kind == tokWord && ordinalSuffixes[ts[j].text] && at(ts, j-1).is(tokPunct, "-") && at(ts, j-2).kind == tokNum:
			j -= 2
		case at(ts, j).is(tokPunct, ".") && at(ts, j-1).kind == tokNum:
			j--
		}
		if d := dayValue(at(ts, j)); d > 0 {
			day, dayAt, from = d, j, j
		} else if d := dayWord(at(ts, j), true); d > 0 {
			day, dayAt, from = d, j, j
		}
		// a day after the month, then a year
		k := nextSolid(ts, i+1)
		if day == 0 {
			decimal := at(ts, k+1).is(tokPunct, ",", ".", ":") && at(ts, k+2).kind == tokNum // "May 1.5", "March 10:30"
			percent := at(ts, nextSolid(ts, k+1)).is(tokPunct, "%", "٪", "％")
			if d := dayWord(at(ts, k), false); d > 0 {
				day, dayAt, to = d, k, k
				k = nextSolid(ts, k+1)
			} else if d := dayValue(at(ts, k)); d > 0 && !decimal && !percent {
				day, dayAt, to = d, k, k
				k++
				if at(ts, k).kind == tokWord && ordinalSuffixes[ts[k].text] {
					to = k
					k++
				}
				k = nextSolid(ts, k)
			}
		}
		if at(ts, k).is(tokPunct, ",") {
			k = nextSolid(ts, k+1)
		}
		if at(ts, k).is(tokWord, "de", "del", "of") {
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
		out = append(out, date{cands: []ymd{{year, m, day}}, text: joinRaw(ts, from, to), tok: from, end: to})
	}
	return out
}

// numericDates finds 07.05.2025, 7/5/2025 (day or month first),
// 2025-05-07 and marks them used.
func numericDates(ts []token) []date {
	var out []date
	for i := 0; i+4 < len(ts); i++ {
		a, p, b, q, c := ts[i], ts[i+1], ts[i+2], ts[i+3], ts[i+4]
		if a.kind != tokNum || b.kind != tokNum || c.kind != tokNum || a.used || b.used || c.used ||
			p.kind != tokPunct || p.text != q.text || !strings.Contains("./-", p.text) || at(ts, i-1).kind == tokNum {
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
		out = append(out, date{cands: valid, text: joinRaw(ts, i, i+4), tok: i, end: i + 4})
		i += 4
	}
	return out
}

func checkDates(c *problemList, src, out facts) {
	for _, d := range out.dates {
		ok := false
		for _, cand := range d.cands {
			ok = ok || dateInSource(cand, src.dates)
		}
		if !ok {
			c.add(Date, d.text, fmt.Sprintf("the date %q is not in the text", d.text))
		}
	}
}

// dateInSource reports whether o matches a date of the source: the same
// month, the same day if o has one, and the same year if o has one, unless
// the source names that day only without a year.
func dateInSource(o ymd, src []date) bool {
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
