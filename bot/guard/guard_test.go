package guard_test

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"mvdan.cc/xurls/v2"

	"github.com/google/go-cmp/cmp"

	"github.com/briefbot/briefbot/bot/guard"
)

// Sections of the curated Putin–Maduro article, as the guard sees them.
const (
	energySection = `Energy: oil, gas and OPEC+

**The plan:** The agreement prioritizes joint initiatives within OPEC+ and the Gas Exporting Countries Forum, focusing on oil and gas exploration technologies.

**Russia’s role:** Russia is a key supplier of petroleum expertise to Venezuela and aims to bolster Caracas’s struggling oil industry.

**The stakes:** Venezuela holds the world’s largest proven reserves, yet production has dropped to under 1 million barrels daily due to sanctions and mismanagement.

**Lost revenue:** Trump’s January 2025 ban on Chevron operations in Venezuela cut a key revenue source and has pushed Caracas closer to Moscow.

**The upside:** The agreement may boost Venezuela’s oil output, and the article notes that its energy focus aligns with global oil market needs.

**The caveat:** Per Reuters, Venezuela’s oil production has stagnated despite Russian support since 2019.`

	economySection = `Trade, wheat and insulin

**Trade boom:** Trade surged 70% in early 2024, with Russian exports to Venezuela up 453%, per RIO Times.

**Food and medicine:** Russia now provides wheat and insulin, becoming Venezuela’s third-largest wheat supplier in Latin America.

**Money and health:** The leaders also discussed financial and healthcare cooperation, though specifics remain undisclosed.

**The backdrop:** Facing U.S. sanctions and a collapsed economy, Maduro relies on Russia for oil technology, military support and diplomatic backing.

**The risk:** Critics warn that reliance on Russian aid risks long-term dependency, with limited economic diversification.`

	agreementSection = `What the pact says

**The signing:** Putin and Maduro signed the Strategic Partnership and Cooperation Agreement at the Kremlin on May 7, 2025, after talks that day. The ceremony was broadcast on Russian state television.

**The official line:** Kremlin spokesman Dmitry Peskov called it a “weighty, substantial, and very important framework document”.

**The basis:** It builds on over 300 existing bilateral agreements and sets a roadmap for cooperation through 2030.

**Also discussed:** Financial and healthcare cooperation, though the specifics remain undisclosed.

**How it came about:** Putin first proposed the agreement during a March 14, 2025, video call marking 80 years of diplomatic relations; it was finalized after months of negotiations.

**The symbolism:** Maduro also attended Moscow’s Victory Day parade on May 9, marking the Soviet triumph in World War II.`

	summarySection = `The story in brief

**What happened:** Russian President Vladimir Putin and Venezuelan President Nicolás Maduro signed a Strategic Partnership and Cooperation Agreement at the Kremlin on May 7, 2025, during Maduro’s visit for the 80th anniversary of the Soviet victory over Nazi Germany.

**What it covers:** The pact builds on over 300 existing bilateral agreements and sets a roadmap through 2030 for energy, security, trade and joint advocacy for a multipolar world.`

	leadSection = `Moscow, May 7, 2025 – The agreement, described by Kremlin spokesman Dmitry Peskov as a “weighty, substantial, and very important framework document,” aims to deepen ties. Posts on X, such as @SprinterObserve’s, hailed the pact as part of a “new axis of alliances” in global geopolitics.`
)

type finding struct {
	Check guard.CheckName
	Found string
}

func findings(err error) []finding {
	if err == nil {
		return nil
	}
	var rej *guard.Rejection
	if !errors.As(err, &rej) {
		return []finding{{Check: "not a *Rejection", Found: err.Error()}}
	}
	var out []finding
	for _, p := range rej.Problems {
		out = append(out, finding{p.Check, p.Found})
	}
	return out
}

// withoutCoverage leaves out the checks of a whole rewrite's shape: the
// cases of TestCheck are fragments, each about one fact.
func withoutCoverage(fs []finding) []finding {
	var out []finding
	for _, f := range fs {
		if f.Check != guard.Coverage && f.Check != guard.Statements {
			out = append(out, f)
		}
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		source string
		output string
		lang   string
		maxLen int
		want   []finding
	}{
		// English rewrites that keep to the facts.
		{name: "en brief", source: energySection, output: "Russia aims to help Venezuela's oil industry through OPEC+ and the Gas Exporting Countries Forum. Output has fallen below 1 million barrels a day, and stagnated since 2019."},
		{name: "en bullets", source: economySection, output: "- Trade rose **70%** in early 2024.\n- Russian exports to Venezuela jumped 453%.\n- Russia is now Venezuela's 3rd-largest wheat supplier in Latin America."},
		{name: "en numbered list", source: economySection, output: "1. Trade grew 70 percent in early 2024.\n2. Exports rose 453 per cent.\n3. Wheat and insulin."},
		{name: "en million as digits", source: energySection, output: "Production is under 1,000,000 barrels daily."},
		{name: "en a million", source: energySection, output: "Production is under a million barrels daily."},
		{name: "en dates", source: agreementSection, output: "Signed on 7 May 2025 at the Kremlin, after Putin proposed it on March 14. Maduro watched the May 9 parade. The roadmap runs to 2030 and builds on 300+ agreements, after 80 years of relations."},
		{name: "en date without year", source: agreementSection, output: "The pact was signed in May 2025."},
		{name: "en iso date", source: agreementSection, output: "Signed 2025-05-07."},
		{name: "en quote part", source: agreementSection, output: "Peskov called it a “very important framework document”."},
		{name: "en quote with ellipsis", source: agreementSection, output: "Peskov: \"weighty … framework document\"."},
		{name: "en quote case", source: leadSection, output: "“New axis of alliances,” said posts on X."},
		{name: "en handle from source", source: leadSection, output: "Posts such as @SprinterObserve's hailed a “new axis of alliances”."},
		{name: "en ordinal", source: summarySection, output: "For the 80th anniversary, on top of 300 agreements."},
		{name: "en number word in source", source: economySection, output: "Russia is the 3rd-largest wheat supplier."},
		// Two statements joined in one clause: the year keeps its own words
		// ("early"), though more words of the wheat supplier's clause follow.
		{name: "en two statements in a clause", source: economySection, output: "Trade figures from early 2024 and Russia’s wheat and insulin supplies to Venezuela."},
		{name: "en email is no mention but an address", source: energySection, output: "Desk@example.com covers OPEC+.",
			want: []finding{{guard.Link, "Desk@example.com"}}},

		// Spanish translations.
		{name: "es energy", lang: "es", source: energySection, output: "**El plan:** El acuerdo prioriza iniciativas conjuntas en la OPEP+. La producción cayó a menos de 1 millón de barriles diarios. La prohibición de Trump de enero de 2025 sobre Chevron. Según Reuters, la producción se ha estancado desde 2019."},
		{name: "es un millón", lang: "es", source: energySection, output: "La producción cayó a menos de un millón de barriles diarios."},
		{name: "es economy", lang: "es", source: economySection, output: "- El comercio aumentó un 70 % a principios de 2024.\n- Las exportaciones rusas a Venezuela subieron un 453 %, según RIO Times.\n- Rusia es el tercer mayor proveedor de trigo."},
		{name: "es por ciento", lang: "es", source: economySection, output: "El comercio creció un 70 por ciento en 2024."},
		{name: "es dates", lang: "es", source: agreementSection, output: "Putin y Maduro firmaron el acuerdo el 7 de mayo de 2025 en el Kremlin. Putin lo propuso el 14 de marzo de 2025, en los 80 años de relaciones. Maduro asistió al desfile del 9 de mayo. Más de 300 acuerdos; hoja de ruta hasta 2030."},
		{name: "es 80.º", lang: "es", source: summarySection, output: "Durante la visita de Maduro por el 80.º aniversario de la victoria soviética, el 7 de mayo de 2025."},
		{name: "es quote translated", lang: "es", source: agreementSection, output: "Peskov lo calificó de «documento marco de peso, sustancial y muy importante»."},
		{name: "es numeric date", lang: "es", source: agreementSection, output: "Firmado el 07.05.2025."},

		{name: "es full economy", lang: "es", source: economySection, output: `**Auge comercial:** El comercio se disparó un 70 % a principios de 2024, y las exportaciones rusas a Venezuela aumentaron un 453 %, según RIO Times.

**Alimentos y medicinas:** Rusia suministra ahora trigo e insulina, y se ha convertido en el tercer mayor proveedor de trigo de Venezuela en América Latina.

**El riesgo:** Los críticos advierten de que depender de la ayuda rusa conlleva el riesgo de una dependencia a largo plazo.`},
		{name: "es thousands are not hundreds", lang: "es", source: agreementSection, output: "Se basa en más de 300.000 acuerdos bilaterales.",
			want: []finding{{guard.Number, "300.000"}}},

		// Russian translations.
		{name: "ru full agreement", lang: "ru", source: agreementSection, output: `**Подписание:** Путин и Мадуро подписали Соглашение о стратегическом партнёрстве и сотрудничестве в Кремле 7 мая 2025 года после переговоров в тот же день. Церемонию транслировало российское государственное телевидение.

**Официальная позиция:** Пресс-секретарь Кремля Дмитрий Песков назвал его «весомым, содержательным и очень важным рамочным документом».

**Основа:** Соглашение опирается на более чем 300 действующих двусторонних соглашений и задаёт дорожную карту сотрудничества до 2030 года.

**Как это началось:** Путин впервые предложил соглашение во время видеозвонка 14 марта 2025 года, приуроченного к 80-летию дипломатических отношений.

**Символизм:** Мадуро также посетил парад Победы в Москве 9 мая.`},
		{name: "ru 2024-м", lang: "ru", source: economySection, output: "В 2024-м товарооборот вырос на 70 процентов, экспорт — на 453 процента."},
		{name: "ru energy", lang: "ru", source: energySection, output: "Добыча упала до менее чем 1 млн баррелей в сутки из-за санкций. Запрет Трампа в январе 2025 года ударил по Chevron. По данным Reuters, добыча стагнирует с 2019 года."},
		{name: "ru миллиона", lang: "ru", source: energySection, output: "Добыча упала до менее чем миллиона баррелей в сутки."},
		{name: "ru economy", lang: "ru", source: economySection, output: "Товарооборот вырос на 70 % в начале 2024 года, а российский экспорт в Венесуэлу — на 453%, по данным RIO Times."},
		{name: "ru процентов", lang: "ru", source: economySection, output: "Торговля выросла на 70 процентов."},
		{name: "ru dates", lang: "ru", source: agreementSection, output: "Путин и Мадуро подписали соглашение 7 мая 2025 года в Кремле. Путин предложил его 14 марта 2025 года, к 80-летию отношений. Мадуро посетил парад 9 мая. Более 300 соглашений; до 2030 года."},
		{name: "ru 80-й", lang: "ru", source: summarySection, output: "Визит к 80-й годовщине победы, 7 мая 2025 г."},
		{name: "ru guillemets for names", lang: "ru", source: energySection, output: "По данным «Рейтер», добыча стагнирует с 2019 года; «ОПЕК+» и «Шеврон»."},
		{name: "ru thousands nbsp", lang: "ru", source: energySection, output: "Менее 1\u00a0000\u00a0000 баррелей в сутки."},
		{name: "ru thin space percent", lang: "ru", source: economySection, output: "Рост на 70\u202f%."},

		// Invented facts.
		{name: "en invented number", source: energySection, output: "Production has dropped to under 1.5 million barrels daily.",
			want: []finding{{guard.Number, "1.5 million"}}},
		{name: "en invented percent", source: economySection, output: "Trade surged 75% in early 2024.",
			want: []finding{{guard.Number, "75%"}}},
		{name: "en number is not a percent", source: agreementSection, output: "Relations improved by 80%.",
			want: []finding{{guard.Number, "80%"}}},
		{name: "en invented year", source: energySection, output: "Output has stagnated since 2018.",
			want: []finding{{guard.Number, "2018"}}},
		{name: "en two million", source: energySection, output: "Production is under two million barrels a day.",
			want: []finding{{guard.Number, "two million"}}},
		{name: "en wrong day", source: agreementSection, output: "Signed on May 8, 2025.",
			want: []finding{{guard.Date, "May 8, 2025"}}},
		{name: "en wrong year", source: agreementSection, output: "Signed on May 7, 2024.",
			want: []finding{{guard.Date, "May 7, 2024"}}},
		{name: "en wrong month", source: agreementSection, output: "Signed on March 7.",
			want: []finding{{guard.Date, "March 7"}}},
		{name: "en invented day", source: energySection, output: "The ban came on January 15, 2025.",
			want: []finding{{guard.Date, "January 15, 2025"}}},
		{name: "en altered quote", source: agreementSection, output: "Peskov called it a “weighty and historic framework document”.",
			want: []finding{{guard.Quote, "weighty and historic framework document"}}},
		{name: "en invented quote", source: energySection, output: "Maduro said: \"Russia is our best friend.\"",
			want: []finding{{guard.Name, "Maduro"}, {guard.Quote, "Russia is our best friend."}}},
		{name: "en several problems", source: economySection, output: "Trade surged 80% in 2023, and exports rose 500%.",
			want: []finding{{guard.Number, "80%"}, {guard.Number, "2023"}, {guard.Number, "500%"}}},
		{name: "es invented number", lang: "es", source: energySection, output: "La producción cayó a menos de 1,5 millones de barriles diarios.",
			want: []finding{{guard.Number, "1,5 millones"}}},
		{name: "es invented percent", lang: "es", source: economySection, output: "El comercio aumentó un 17 %.",
			want: []finding{{guard.Number, "17 %"}}},
		{name: "es wrong date", lang: "es", source: agreementSection, output: "Firmado el 8 de mayo de 2025.",
			want: []finding{{guard.Date, "8 de mayo de 2025"}}},
		{name: "es dos millones", lang: "es", source: energySection, output: "Menos de dos millones de barriles.",
			want: []finding{{guard.Number, "dos millones"}}},
		{name: "ru invented number", lang: "ru", source: energySection, output: "Добыча упала до 2 млн баррелей в сутки.",
			want: []finding{{guard.Number, "2 млн"}}},
		{name: "ru wrong date", lang: "ru", source: agreementSection, output: "Соглашение подписано 7 мая 2024 года.",
			want: []finding{{guard.Date, "7 мая 2024"}}},
		{name: "ru invented percent", lang: "ru", source: economySection, output: "Экспорт вырос на 354%.",
			want: []finding{{guard.Number, "354%"}}},
		{name: "ru numeric date", lang: "ru", source: agreementSection, output: "Подписано 08.05.2025.",
			want: []finding{{guard.Date, "08.05.2025"}}},
		{name: "arabic digits", lang: "ar", source: economySection, output: "ارتفعت التجارة بنسبة ٧٥٪",
			want: []finding{{guard.Number, "٧٥٪"}}},
		{name: "arabic digits kept", lang: "ar", source: economySection, output: "ارتفعت التجارة بنسبة ٧٠٪ في عام ٢٠٢٤"},
		{name: "translated quote where the source has none", lang: "es", source: energySection, output: "Maduro dijo: «Rusia es nuestro mejor amigo».",
			want: []finding{{guard.Name, "Maduro"}, {guard.Quote, "Rusia es nuestro mejor amigo"}, {guard.Quote, ""}}},
		{name: "translated too many quotes", lang: "es", source: agreementSection, output: "Peskov habló de «un documento marco muy importante» y de «una nueva era de amistad».",
			want: []finding{{guard.Quote, "una nueva era de amistad"}, {guard.Quote, ""}}},
		{name: "translated source quote kept", lang: "es", source: agreementSection, output: "Peskov lo llamó «documento marco muy importante» (“very important framework document”)."},

		// Mentions and links.
		{name: "everyone", source: energySection, output: "@everyone Russia helps Venezuela.",
			want: []finding{{guard.Mention, "@everyone"}}},
		{name: "here even if the source has it", source: "Ping @here for 2025.", output: "Ping @here for 2025.",
			want: []finding{{guard.Mention, "@here"}}},
		{name: "user role channel", source: energySection, output: "Ask <@123456> or <@!42> or <@&987> in <#555>.",
			want: []finding{{guard.Mention, "<@123456>"}, {guard.Mention, "<@!42>"}, {guard.Mention, "<@&987>"}, {guard.Mention, "<#555>"}}},
		{name: "slash command mention", source: energySection, output: "Try </energy:1234>.",
			want: []finding{{guard.Mention, "</energy:1234>"}}},
		{name: "bare handle not in source", source: energySection, output: "As @moderators know, OPEC+ matters.",
			want: []finding{{guard.Mention, "@moderators"}}},
		{name: "link", source: energySection, output: "Read more at https://example.com/oil.",
			want: []finding{{guard.Link, "https://example.com/oil"}}},
		{name: "invite", source: energySection, output: "OPEC+ news at discord.gg/abcdef.",
			want: []finding{{guard.Link, "discord.gg/abcdef"}}},
		{name: "www", source: energySection, output: "See www.reuters.com for more.",
			want: []finding{{guard.Link, "www.reuters.com"}}},
		{name: "markdown link", source: energySection, output: "[Reuters](https://reuters.com/x) reports it.",
			want: []finding{{guard.Link, "https://reuters.com/x"}}},
		{name: "link in source", source: "See https://example.com/a for 2025.", output: "More at <https://example.com/a>."},

		// Shape.
		{name: "empty", source: energySection, output: " \n ", want: []finding{{guard.Empty, ""}}},
		{name: "too long", source: energySection, output: strings.Repeat("OPEC+ ", 700), want: []finding{{guard.Length, ""}}},
		{name: "custom length", source: energySection, output: "Russia helps Venezuela.", maxLen: 10, want: []finding{{guard.Length, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := guard.Check(tt.source, tt.output, options(tt.lang, tt.maxLen))
			if diff := cmp.Diff(tt.want, withoutCoverage(findings(err))); diff != "" {
				t.Errorf("Check(%q) findings (-want +got):\n%s\nerr: %v", tt.output, diff, err)
			}
		})
	}
}

// Every section passes as its own rewrite, in every style.
func TestCheckIdentity(t *testing.T) {
	for _, s := range []string{energySection, economySection, agreementSection, summarySection, leadSection} {
		for _, style := range []string{"", "brief", "bullets", "simple", "formal"} {
			opts := options("", 0)
			opts.Style = style
			if err := guard.Check(s, s, opts); err != nil {
				t.Errorf("Check(s, s, %q) = %v for %.40q", style, err, s)
			}
		}
	}
}

// options are the Options of a test: a rewrite in lang ("" for the
// source's) no longer than maxLen (0 for Discord's embed description).
func options(lang string, maxLen int) guard.Options {
	if maxLen == 0 {
		maxLen = maxEmbedDescription
	}
	return guard.Options{Language: lang, MaxLen: maxLen}
}

// maxEmbedDescription is Discord's limit on an embed's description, the
// longest rewrite the bot shows.
const maxEmbedDescription = 4096

func TestMaxLenRequired(t *testing.T) {
	err := guard.Check(energySection, "Russia helps Venezuela.", guard.Options{})
	want := []finding{{guard.Length, ""}}
	if diff := cmp.Diff(want, findings(err)); diff != "" {
		t.Errorf("Check without MaxLen (-want +got):\n%s", diff)
	}
}

func TestLen(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "Венесуэла": 9} {
		if got := guard.Len(s); got != want {
			t.Errorf("Len(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestRejectionError(t *testing.T) {
	err := guard.Check(economySection, "Trade surged 75% and @everyone cheered.", options("", 0))
	want := `rephrasing rejected: the answer mentions @everyone; the percentage "75%" is not in the text; the answer keeps 0% of the text's figures and names; a plain rewrite keeps at least 30%`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{energySection, economySection, agreementSection, summarySection, leadSection,
		"1,000 1.000 1 000 1'000 1,5 1.234,5 07.05.2025 5/7/2025 2025-05-07 %70 70 % 7 мая 2025", "“a", "„x“ «y» ‘z’", "@a.b @ @everyone",
		"@\u200beveryone ＠here <@123> discord.gg/x evil dot com a@b.co www.x.org", "`a` ```b``` ||c|| # d"} {
		f.Add(s, s)
		f.Add(s, "Putin signed it on May 7, 2025.")
	}
	f.Fuzz(func(t *testing.T, source, output string) {
		if !utf8.ValidString(source) || !utf8.ValidString(output) || len(source) > 8192 {
			return // sources are sections, a few KB; the time Check takes grows with them
		}
		for _, lang := range []string{"", "es"} {
			opts := options(lang, 0)
			_ = guard.Check(source, output, opts) // never panics
		}
		// Whatever the output, nothing that pings or links gets past a
		// source without either.
		if guard.Check(energySection, output, options("", 0)) == nil {
			if leak := leaked(output); leak != "" {
				t.Errorf("Check passed %q, which holds %q", output, leak)
			}
		}
		// The source always passes as its own rewrite, except for what is
		// never allowed (a blank or overlong text, pinging mentions) and
		// what the source itself may be (in another language than English).
		for _, p := range findings(guard.Check(source, source, options("", 0))) {
			switch p.Check {
			case guard.Empty, guard.Length, guard.Language:
			case guard.Mention:
				if !strings.HasPrefix(p.Found, "<") && !strings.EqualFold(p.Found, "@everyone") && !strings.EqualFold(p.Found, "@here") {
					t.Errorf("source %q refuses its own mention %q", source, p.Found)
				}
			default:
				t.Errorf("source %q refused as its own rewrite: %v %q", source, p.Check, p.Found)
			}
		}
	})
}

var idMention = regexp.MustCompile(`<(?:@[!&]?|#|/[^<>:\s]+:)\d+>`)

// leaked returns a mention, link or invite in s, as Discord or a reader
// would see it, or "".
func leaked(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	low := strings.ToLower(s)
	for _, m := range []string{"@everyone", "@here", "discord.gg/", "discord.com/invite", "discordapp.com/invite", "://"} {
		if strings.Contains(low, m) {
			return m
		}
	}
	if m := idMention.FindString(s); m != "" {
		return m
	}
	if m := xurls.Relaxed().FindString(s); m != "" {
		return m
	}
	return ""
}

func BenchmarkCheck(b *testing.B) {
	for b.Loop() {
		_ = guard.Check(agreementSection, "Putin y Maduro firmaron el acuerdo el 7 de mayo de 2025 en el Kremlin. Más de 300 acuerdos; hoja de ruta hasta 2030. Peskov: «documento marco de peso».", options("es", 0))
	}
}

// hostile is 100 KB of what a bad model or an attacker might return: links,
// mentions, quotes, figures and names, over and over.
func hostile() string {
	var b strings.Builder
	for i := 0; b.Len() < 100_000; i++ {
		fmt.Fprintf(&b, "Trade surged %d%% “quote %d” at https://x%d.example.com/a and evil%d dot com, @user%d <@%d> Xi%d met Putin on May %d, 2025. ",
			i, i, i, i, i, i, i, i%28+1)
	}
	return b.String()
}

func BenchmarkCheckTypical(b *testing.B) {
	for b.Loop() {
		_ = guard.Check(agreementSection, typicalRewrite, options("ru", 0))
	}
}

// typicalRewrite is a Russian translation of three of the agreement
// section's paragraphs, as a model writes one.
const typicalRewrite = `**Подписание:** Путин и Мадуро подписали Соглашение о стратегическом партнёрстве и сотрудничестве в Кремле 7 мая 2025 года после переговоров в тот же день. Церемонию транслировало российское государственное телевидение.

**Официальная позиция:** Пресс-секретарь Кремля Дмитрий Песков назвал его «весомым, содержательным и очень важным рамочным документом».

**Основа:** Соглашение опирается на более чем 300 действующих двусторонних соглашений и задаёт дорожную карту сотрудничества до 2030 года.`

// BenchmarkCheckPrepared checks the typical rewrite against a prepared
// section, as the rewriter does for every rewrite of a section after its
// first.
func BenchmarkCheckPrepared(b *testing.B) {
	src := guard.Prepare(agreementSection)
	for b.Loop() {
		_ = src.Check(typicalRewrite, options("ru", 0))
	}
}

func BenchmarkCheckHostile(b *testing.B) {
	out := hostile()
	b.Run("refused by length", func(b *testing.B) {
		for b.Loop() {
			_ = guard.Check(energySection, out, options("", 0))
		}
	})
	b.Run("read whole", func(b *testing.B) {
		opts := options("", 1_000_000)
		for b.Loop() {
			_ = guard.Check(energySection, out, opts)
		}
	})
	// a long faithful text: every check reads all of it
	prose := strings.Repeat(economySection+"\n\n", 100_000/len(economySection)+1)[:100_000]
	b.Run("long prose", func(b *testing.B) {
		opts := options("", 1_000_000)
		for b.Loop() {
			_ = guard.Check(economySection, prose, opts)
		}
	})
	// floods of what the checks pair with each other, 16 KB (four times
	// Discord's limit, the most Check reads)
	for name, unit := range map[string]string{
		"quotes":    "Peskov said “weighty” and “new axis”, not “old axis”. ",
		"negations": "Russia did not sign and never refused, no. ",
		"names":     "Xi Putin Rosneft Maduro Bloomberg Caracas. ",
		"figures":   "70% 453% 300 2030 1 million May 7, 2025. ",
	} {
		flood := strings.Repeat(unit, 16_000/len(unit))
		b.Run(name+" flood", func(b *testing.B) {
			opts := options("", 1_000_000)
			for b.Loop() {
				_ = guard.Check(agreementSection, flood, opts)
			}
		})
	}
	// the same links, links only: the case that was quadratic
	links := strings.Repeat("see https://example.com/a ", 4000)
	b.Run("repeated links", func(b *testing.B) {
		opts := options("", 1_000_000)
		for b.Loop() {
			_ = guard.Check(energySection, links, opts)
		}
	})
}

func TestRejectionLog(t *testing.T) {
	err := guard.Check(economySection, "Trade surged 75% and @everyone cheered.", options("", 0))
	var rej *guard.Rejection
	if !errors.As(err, &rej) {
		t.Fatalf("Check = %v, want a *Rejection", err)
	}
	want := []guard.CheckName{guard.Mention, guard.Number, guard.Coverage}
	if diff := cmp.Diff(want, rej.Checks()); diff != "" {
		t.Errorf("Checks (-want +got):\n%s", diff)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})).Info("rephrasing rejected", "problems", rej)
	if got, want := b.String(), `level=INFO msg="rephrasing rejected" problems.mention=@everyone problems.number=75% problems.coverage=""`+"\n"; got != want {
		t.Errorf("log line\n got %q\nwant %q", got, want)
	}
	if got, want := rej.Problems[1].String(), `number "75%": the percentage "75%" is not in the text`; got != want {
		t.Errorf("Problem.String() = %q, want %q", got, want)
	}
}
