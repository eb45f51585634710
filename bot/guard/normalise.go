package guard

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalise is the form both texts are checked in: Unicode compatibility
// composition (NFKC), so that "＠everyone" and fullwidth marks are read as
// what they show, without the zero-width and other format characters that
// can hide a mention or split a word. Variation selectors go too: they
// only change how an emoji is drawn.
func normalise(s string) string {
	s = norm.NFKC.String(s)
	clean := true
	for _, r := range s {
		if hidden(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if hidden(r) {
			return -1
		}
		return r
	}, s)
}

func hidden(r rune) bool {
	if r < 0x600 {
		return r == '\u00ad' // below the Arabic block, the soft hyphen is the one format character
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0' // Hangul fillers show as nothing
}
