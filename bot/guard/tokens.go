package guard

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens.

type tokenKind uint8

const (
	tokSpace tokenKind = iota
	tokNum
	tokWord
	tokPunct
)

// token is a run of digits, of letters, of spaces, or one other rune.
type token struct {
	text  string  // digits in ASCII; words lowercased
	raw   string  // as written
	key   string  // a word's folded key
	pos   int32   // byte offset in the text
	lex   lexFlag // a word's flags in the lexicon
	kind  tokenKind
	used  bool // part of a date
	upper bool // a word that starts with a capital letter
}

// digitValue is the value of a decimal digit of any script, or -1.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x660 || !unicode.IsDigit(r) {
		return -1 // no decimal digits between ASCII and Arabic-Indic
	}
	// Unicode's decimal digits come in runs of ten from zero.
	start := r
	for start > 0 && unicode.IsDigit(start-1) {
		start--
	}
	return int(r-start) % 10
}

func isWordRune(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	case r >= 0x400 && r <= 0x481 || r >= 0x48a && r <= 0x52f:
		return true // Cyrillic letters, the commonest script after Latin here
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.M, r)
}

// isUpper is unicode.IsUpper with the Cyrillic block looked up at once.
func isUpper(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'A' && r <= 'Z'
	case r >= 0x400 && r <= 0x42f:
		return true
	case r >= 0x430 && r <= 0x45f:
		return false
	}
	return unicode.IsUpper(r)
}

// wordInfo is what tokenize computes once for each distinct word of a
// text, as written: its lowercase form, folded key and flags.
type wordInfo struct {
	low, key string
	lex      lexFlag
}

// tokenize splits s into tokens. Each distinct word is folded, and given
// its flags by flags if that is not nil, once: a text repeats its words,
// and those are the costly steps of reading it. (The lexicon is built
// from word lists that tokenize reads, so it is passed in.)
func tokenize(s string, flags func(string) lexFlag) []token {
	out := make([]token, 0, countTokens(s))
	seen := make(map[string]wordInfo, min(len(s)/16+8, 2048))
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		kind := runeKind(r)
		j := i + n
		// the run of runes of the same kind; ASCII by table
		ascii, lower := r < utf8.RuneSelf, !isUpper(r)
		if kind != tokPunct {
			for j < len(s) {
				c := s[j]
				if c < utf8.RuneSelf {
					if asciiKinds[c] != kind {
						break
					}
					lower = lower && !(c >= 'A' && c <= 'Z')
					j++
					continue
				}
				q, w := utf8.DecodeRuneInString(s[j:])
				if runeKind(q) != kind {
					break
				}
				ascii, lower = false, lower && !isUpper(q)
				j += w
			}
		}
		raw := s[i:j]
		switch kind {
		case tokNum:
			text := raw
			if !ascii {
				b := make([]byte, 0, j-i)
				for _, d := range raw {
					b = append(b, byte('0'+digitValue(d)))
				}
				text = string(b)
			}
			out = append(out, token{kind: tokNum, text: text, raw: raw, pos: int32(i)})
		case tokWord:
			info, ok := seen[raw]
			if !ok {
				info.low = raw
				if !lower {
					info.low = strings.ToLower(raw)
				}
				info.key = fold(info.low)
				if flags != nil {
					info.lex = flags(info.low)
				}
				seen[raw] = info
			}
			out = append(out, token{kind: tokWord, text: info.low, raw: raw, key: info.key, lex: info.lex, upper: isUpper(r), pos: int32(i)})
		default:
			out = append(out, token{kind: kind, text: raw, raw: raw, pos: int32(i)})
		}
		i = j
	}
	return out
}

// runeKind is the kind of token r belongs to: a digit of any script, a
// letter or mark, a space, or anything else (each its own token).
func runeKind(r rune) tokenKind {
	if r < utf8.RuneSelf {
		return asciiKinds[r]
	}
	switch {
	case digitValue(r) >= 0:
		return tokNum
	case isWordRune(r):
		return tokWord
	case isSpaceRune(r):
		return tokSpace
	}
	return tokPunct
}

// asciiKinds is the kind of token each ASCII byte belongs to.
var asciiKinds = func() (t [utf8.RuneSelf]tokenKind) {
	for c := range t {
		r := rune(c)
		switch {
		case digitValue(r) >= 0:
			t[c] = tokNum
		case isWordRune(r):
			t[c] = tokWord
		case isSpaceRune(r):
			t[c] = tokSpace
		default:
			t[c] = tokPunct
		}
	}
	return t
}()

func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r >= 0x80 && unicode.IsSpace(r)
}

// countTokens is how many tokens tokenize makes of s, so that it makes
// room for them at once: a token starts at every rune whose class differs
// from the one before, and at every punctuation mark.
func countTokens(s string) int {
	n, prev := 0, tokenKind(255)
	for i := 0; i < len(s); {
		var k tokenKind
		w := 1
		if c := s[i]; c < utf8.RuneSelf {
			k = asciiKinds[c]
		} else {
			var r rune
			r, w = utf8.DecodeRuneInString(s[i:])
			k = runeKind(r)
		}
		if k != prev || k == tokPunct {
			n++
		}
		prev = k
		i += w
	}
	return n
}

// inlineSpace reports whether t is a short space within a line, such as
// separates "70" from "%" or groups "1 000 000".
func (t token) inlineSpace() bool {
	return t.kind == tokSpace && len([]rune(t.raw)) <= 2 && !strings.ContainsAny(t.raw, "\n\r\u2028\u2029")
}

func (t token) is(kind tokenKind, texts ...string) bool {
	if t.kind != kind {
		return false
	}
	for _, s := range texts {
		if t.text == s {
			return true
		}
	}
	return len(texts) == 0
}

// at returns the token at i, or a space token outside the slice.
func at(ts []token, i int) token {
	if i < 0 || i >= len(ts) {
		return token{kind: tokSpace, text: "\n", raw: "\n"}
	}
	return ts[i]
}

func nextSolid(ts []token, i int) int {
	for i < len(ts) && ts[i].kind == tokSpace {
		i++
	}
	return i
}

func prevSolid(ts []token, i int) int {
	for i >= 0 && ts[i].kind == tokSpace {
		i--
	}
	return i
}

func joinRaw(ts []token, from, to int) string {
	var b strings.Builder
	for i := max(from, 0); i <= to && i < len(ts); i++ {
		b.WriteString(ts[i].raw)
	}
	return strings.TrimSpace(b.String())
}
