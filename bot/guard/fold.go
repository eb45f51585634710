package guard

import (
	"strings"
	"unicode/utf8"
)

// Words are compared in a folded key: lowercase, transliterated to Latin,
// without diacritics, and with the spellings that differ most between
// European languages brought together (c/k/qu, z/s, w/v, y/i, ou/u, ph/f,
// doubled letters). "Venezuela", "Венесуэлу" and "Venezuelas" then share a
// long prefix, and so do "Poutine" and "Putin", "Kremlin" and "Кремле".
// The key is for comparing, never for showing.

var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia", 'є': "ie", 'і': "i", 'ї': "i", 'ґ': "g",
}

// cyrillicTable is cyrillic as an array over the lowercase block.
var cyrillicTable = func() (t [0x30]string) {
	for r, s := range cyrillic {
		if r >= 0x430 && r < 0x460 {
			t[r-0x430] = s
		}
	}
	return t
}()

var latinFold = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ā': "a", 'ą': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ę': "e", 'ě': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ø': "o", 'ō': "o", 'ő': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ç': "c", 'ć': "c", 'č': "ch", 'ß': "ss", 'œ': "oe", 'æ': "ae",
	'ł': "l", 'ş': "s", 'ș': "s", 'š': "sh", 'ž': "zh", 'ğ': "g", 'ý': "y", 'ÿ': "y", 'ř': "r", 'ţ': "t", 'ț': "t", 'đ': "d",
}

var calques = []struct{ ru, latin string }{
	{"много", "multi"}, {"меж", "inter"}, {"сверх", "super"}, {"противо", "contra"}, {"само", "auto"},
}

// fold returns the folded key of a lowercase word.
func fold(w string) string {
	if isASCII(w) {
		return foldASCII(w)
	}
	// Russian builds on Latin roots with prefixes of its own: многополярный
	// is multipolar
	for _, p := range calques {
		if rest, ok := strings.CutPrefix(w, p.ru); ok && len(rest) >= 4 {
			w = p.latin + rest
			break
		}
	}
	var buf [64]byte
	b := buf[:0]
	ascii := true
	for _, r := range w {
		switch {
		case r < 0x80:
			b = append(b, byte(r))
		case r >= 0x430 && r < 0x460:
			if t := cyrillicTable[r-0x430]; t != "" || r == 'ъ' || r == 'ь' {
				b = append(b, t...)
			} else {
				b, ascii = utf8.AppendRune(b, r), false
			}
		case r < 0x250 && latinFold[r] != "":
			b = append(b, latinFold[r]...)
		default:
			b, ascii = utf8.AppendRune(b, r), false
		}
	}
	if !ascii {
		return string(b) // another script: compared as it is
	}
	s := string(b)
	return foldASCII(s)
}

// foldASCII brings the spelling variants of a lowercase ASCII word
// together.
func foldASCII(s string) string {
	var buf [48]byte
	o := buf[:0]
	var last byte
	put := func(c byte) {
		if c != last { // doubled letters once
			o = append(o, c)
			last = c
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		var next byte
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case (c == 's' || c == 'c' || c == 'z' || c == 'k' || c == 't' || c == 'p') && next == 'h':
			switch c {
			case 'p':
				put('f')
			case 'k':
				put('k')
			case 't':
				put('t')
			default:
				put('s')
			}
			i++
		case c == 'q' && next == 'u':
			put('k')
			i++
		case c == 't' && next == 's':
			put('s')
			i++
		case c == 't' && next == 'i' && i+2 < len(s) && strings.IndexByte("aeiou", s[i+2]) >= 0 && i > 0:
			put('s') // -tion, -tia: "nation", "nación", "национальный"
		case c == 'o' && next == 'u':
			put('u')
			i++
		case c == 'c':
			if next == 'e' || next == 'i' || next == 'y' {
				put('s')
			} else {
				put('k')
			}
		case c == 'q':
			put('k')
		case c == 'x':
			put('k')
			put('s')
		case c == 'z':
			put('s')
		case c == 'w':
			put('v')
		case c == 'y' || c == 'j':
			put('i')
		case c == 'h':
			// silent in most of the languages, a transliteration's mark in others
		default:
			put(c)
		}
	}
	if string(o) == s {
		return s
	}
	return string(o)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// similar reports whether two folded keys name the same thing: equal, one
// an inflection or shortening of the other (a long common start), or a
// spelling one or two letters apart.
func similar(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	short := min(la, lb)
	if short < 4 {
		return false
	}
	p := commonPrefix(a, b)
	if p == short && short >= 4 {
		return true
	}
	if short >= 5 && p >= max(4, short-3) {
		return true
	}
	if short >= 5 && abs(la-lb) <= 2 {
		d := 1
		if short >= 8 {
			d = 2
		}
		return editDistance(a, b, d) <= d
	}
	return false
}

// cognate reports whether two folded keys look like the same word in two
// languages: "documento" and "document", "substanzielles" and
// "substantial". It is looser than similar and only ever used to pair
// passages, never to accept a name.
func cognate(a, b string) bool {
	if similar(a, b) {
		return true
	}
	return min(len(a), len(b)) >= 6 && commonPrefix(a, b) >= 5
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it
// is known to be larger than limit.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
