package bot

import (
	"strings"
	"unicode"
)

// Language is a language a reader may ask a section to be translated into.
// The zero Language means "the language the curated text is written in".
type Language struct {
	Code   string // BCP 47, as short as it can be: "es", "pt", "zh-TW"
	Name   string // in English: "Spanish"
	Native string // in itself: "Español"
}

// IsZero reports whether l is the zero Language: no translation.
func (l Language) IsZero() bool { return l.Code == "" }

// String is the name a reader sees, native first: "Español (Spanish)".
func (l Language) String() string {
	switch {
	case l.Code == "":
		return ""
	case l.Native == l.Name:
		return l.Name
	}
	return l.Native + " (" + l.Name + ")"
}

// languages is the table of languages offered, roughly in the order readers
// of this bot are likely to want them; SearchLanguages keeps that order.
// Every Discord locale maps to one of them.
var languages = [...]Language{
	{Code: "es", Name: "Spanish", Native: "Español"},
	{Code: "ru", Name: "Russian", Native: "Русский"},
	{Code: "pt", Name: "Portuguese", Native: "Português"},
	{Code: "fr", Name: "French", Native: "Français"},
	{Code: "de", Name: "German", Native: "Deutsch"},
	{Code: "it", Name: "Italian", Native: "Italiano"},
	{Code: "uk", Name: "Ukrainian", Native: "Українська"},
	{Code: "zh", Name: "Chinese (Simplified)", Native: "简体中文"},
	{Code: "zh-TW", Name: "Chinese (Traditional)", Native: "繁體中文"},
	{Code: "ja", Name: "Japanese", Native: "日本語"},
	{Code: "ko", Name: "Korean", Native: "한국어"},
	{Code: "ar", Name: "Arabic", Native: "العربية"},
	{Code: "tr", Name: "Turkish", Native: "Türkçe"},
	{Code: "pl", Name: "Polish", Native: "Polski"},
	{Code: "nl", Name: "Dutch", Native: "Nederlands"},
	{Code: "hi", Name: "Hindi", Native: "हिन्दी"},
	{Code: "id", Name: "Indonesian", Native: "Bahasa Indonesia"},
	{Code: "vi", Name: "Vietnamese", Native: "Tiếng Việt"},
	{Code: "fa", Name: "Persian", Native: "فارسی"},
	{Code: "he", Name: "Hebrew", Native: "עברית"},
	{Code: "el", Name: "Greek", Native: "Ελληνικά"},
	{Code: "ro", Name: "Romanian", Native: "Română"},
	{Code: "cs", Name: "Czech", Native: "Čeština"},
	{Code: "hu", Name: "Hungarian", Native: "Magyar"},
	{Code: "sv", Name: "Swedish", Native: "Svenska"},
	{Code: "en", Name: "English", Native: "English"},
	{Code: "bg", Name: "Bulgarian", Native: "Български"},
	{Code: "hr", Name: "Croatian", Native: "Hrvatski"},
	{Code: "da", Name: "Danish", Native: "Dansk"},
	{Code: "no", Name: "Norwegian", Native: "Norsk"},
	{Code: "fi", Name: "Finnish", Native: "Suomi"},
	{Code: "lt", Name: "Lithuanian", Native: "Lietuvių"},
	{Code: "th", Name: "Thai", Native: "ไทย"},
	{Code: "bn", Name: "Bengali", Native: "বাংলা"},
}

// languageAliases holds other names a reader might type for a language,
// by code; accents are folded when comparing, so "espanol" is not needed.
var languageAliases = map[string][]string{
	"es":    {"castellano"},
	"ru":    {"по-русски", "русском"},
	"pt":    {"brazilian portuguese"},
	"zh":    {"chinese", "simplified chinese", "mandarin", "中文"},
	"zh-TW": {"traditional chinese"},
	"fa":    {"farsi"},
	"no":    {"nb", "bokmål"},
	"bn":    {"bangla"},
}

// Languages returns every language offered, in the order they are offered.
func Languages() []Language {
	out := make([]Language, len(languages))
	copy(out, languages[:])
	return out
}

// LanguageByCode returns the language with the given code ("es", "zh-TW"),
// compared without regard to case.
func LanguageByCode(code string) (Language, bool) {
	code = strings.TrimSpace(code)
	for _, l := range languages {
		if strings.EqualFold(l.Code, code) {
			return l, true
		}
	}
	return Language{}, false
}

// LanguageForLocale returns the language of a Discord locale such as
// "es-ES", "pt-BR", "en-US", "es-419", "zh-CN" or "zh-TW": the exact code
// if there is one, else the language part before the dash.
func LanguageForLocale(locale string) (Language, bool) {
	locale = strings.ReplaceAll(strings.TrimSpace(locale), "_", "-")
	if l, ok := LanguageByCode(locale); ok {
		return l, true
	}
	base, _, _ := strings.Cut(locale, "-")
	if base == "" {
		return Language{}, false
	}
	return LanguageByCode(base)
}

// LookupLanguage finds the language a reader typed: a code ("ru"), a
// locale ("pt-BR"), or a name in English or in the language itself
// ("Spanish", "español", "Русский"), without regard to case or accents.
func LookupLanguage(s string) (Language, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Language{}, false
	}
	if l, ok := LanguageForLocale(s); ok {
		return l, true
	}
	l, ok := languageNames[languageFold(s)]
	return l, ok
}

// languageNames finds a language by its folded English name, native name
// or alias; built once, then only read.
var languageNames = func() map[string]Language {
	m := make(map[string]Language)
	for _, l := range languages {
		for _, name := range append([]string{l.Name, l.Native}, languageAliases[l.Code]...) {
			if _, taken := m[languageFold(name)]; !taken {
				m[languageFold(name)] = l
			}
		}
	}
	return m
}()

// SearchLanguages returns the languages whose code, English name, native
// name or a word of either starts with prefix, at most MaxChoices of them,
// for autocomplete. An empty prefix returns the first MaxChoices languages.
func SearchLanguages(prefix string) []Language {
	prefix = languageFold(strings.TrimSpace(prefix))
	var out []Language
	for _, l := range languages {
		if len(out) == MaxChoices {
			break
		}
		if prefix == "" || languageMatches(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

func languageMatches(l Language, prefix string) bool {
	names := append([]string{l.Code, l.Name, l.Native}, languageAliases[l.Code]...)
	for _, n := range names {
		n = languageFold(n)
		if strings.HasPrefix(n, prefix) {
			return true
		}
		for _, w := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if strings.HasPrefix(w, prefix) {
				return true
			}
		}
	}
	return false
}

// languageFold lowercases s and strips the accents a reader may leave out
// when typing a language's name: "Español" and "espanol" fold the same.
func languageFold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := latinBase[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

var latinBase = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ă': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'ě': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ů': 'u',
	'ñ': 'n', 'ç': 'c', 'č': 'c', 'ş': 's', 'ș': 's', 'š': 's', 'ž': 'z', 'ř': 'r', 'ý': 'y', 'ğ': 'g', 'ı': 'i',
}
