package bot_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/briefbot/briefbot/bot"
)

func TestLanguageLookups(t *testing.T) {
	tests := []struct {
		fn   string
		in   string
		want string // code, or "" for not found
	}{
		{"code", "es", "es"},
		{"code", "ZH-tw", "zh-TW"},
		{"code", "xx", ""},
		{"locale", "es-ES", "es"},
		{"locale", "es-419", "es"},
		{"locale", "pt-BR", "pt"},
		{"locale", "en-US", "en"},
		{"locale", "en-GB", "en"},
		{"locale", "zh-CN", "zh"},
		{"locale", "zh-TW", "zh-TW"},
		{"locale", "sv-SE", "sv"},
		{"locale", "uk", "uk"},
		{"locale", "", ""},
		{"lookup", "Spanish", "es"},
		{"lookup", "español", "es"},
		{"lookup", "espanol", "es"},
		{"lookup", "castellano", "es"},
		{"lookup", "Русский", "ru"},
		{"lookup", "russian", "ru"},
		{"lookup", "ru", "ru"},
		{"lookup", "pt-BR", "pt"},
		{"lookup", "français", "fr"},
		{"lookup", "Chinese", "zh"},
		{"lookup", "繁體中文", "zh-TW"},
		{"lookup", "farsi", "fa"},
		{"lookup", "Klingon", ""},
	}
	for _, tt := range tests {
		var l bot.Language
		var ok bool
		switch tt.fn {
		case "code":
			l, ok = bot.LanguageByCode(tt.in)
		case "locale":
			l, ok = bot.LanguageForLocale(tt.in)
		case "lookup":
			l, ok = bot.LookupLanguage(tt.in)
		}
		if got := l.Code; got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s(%q) = %q, %v; want %q", tt.fn, tt.in, got, ok, tt.want)
		}
	}
}

func TestSearchLanguages(t *testing.T) {
	codes := func(ls []bot.Language) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Code)
		}
		return out
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"sp", []string{"es"}},
		{"esp", []string{"es"}},
		{"ru", []string{"ru"}},
		{"Рус", []string{"ru"}},
		{"po", []string{"pt", "pl"}},
		{"chin", []string{"zh", "zh-TW"}},
		{"trad", []string{"zh-TW"}},
		{"zz", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, codes(bot.SearchLanguages(tt.prefix))); diff != "" {
			t.Errorf("SearchLanguages(%q) (-want +got):\n%s", tt.prefix, diff)
		}
	}
	all := bot.SearchLanguages("")
	if len(all) != bot.MaxChoices {
		t.Errorf("SearchLanguages(\"\") returned %d languages, want %d", len(all), bot.MaxChoices)
	}
	if got := codes(all[:5]); !cmp.Equal(got, []string{"es", "ru", "pt", "fr", "de"}) {
		t.Errorf("first languages offered = %v", got)
	}
}

func TestLanguageTable(t *testing.T) {
	seen := make(map[string]bool)
	for _, l := range bot.Languages() {
		if l.Code == "" || l.Name == "" || l.Native == "" {
			t.Errorf("incomplete language %+v", l)
		}
		if seen[l.Code] {
			t.Errorf("language %s twice", l.Code)
		}
		seen[l.Code] = true
		if bot.Len(l.String()) > bot.MaxMenuOptionLabel {
			t.Errorf("%s's label is too long for a choice", l.Code)
		}
	}
	// Every Discord locale has a language.
	for _, loc := range []string{"id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no",
		"pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko"} {
		if _, ok := bot.LanguageForLocale(loc); !ok {
			t.Errorf("no language for Discord locale %s", loc)
		}
	}
	es, _ := bot.LanguageByCode("es")
	if got := es.String(); got != "Español (Spanish)" {
		t.Errorf("es.String() = %q", got)
	}
	if !(bot.Language{}).IsZero() || es.IsZero() {
		t.Error("IsZero is wrong")
	}
}
