package guard

import (
	"os"
	"strings"
	"testing"
)

func BenchmarkPhases(b *testing.B) {
	bs, _ := os.ReadFile("../../content/articles/putin-maduro-2025.md")
	s := string(bs)
	i := strings.Index(s, "**The signing:**")
	j := strings.Index(s[i:], "## ")
	source := "What the pact says\n\n" + s[i:i+j]
	out := `**Подписание:** Путин и Мадуро подписали Соглашение о стратегическом партнёрстве и сотрудничестве в Кремле 7 мая 2025 года после переговоров в тот же день. Церемонию транслировало российское государственное телевидение.

**Официальная позиция:** Пресс-секретарь Кремля Дмитрий Песков назвал его «весомым, содержательным и очень важным рамочным документом».

**Основа:** Соглашение опирается на более чем 300 действующих двусторонних соглашений и задаёт дорожную карту сотрудничества до 2030 года.`
	src, o := newDoc(source), newDoc(out)
	b.Run("normalise", func(b *testing.B) {
		for b.Loop() {
			normalise(source)
			normalise(out)
		}
	})
	b.Run("tokenize", func(b *testing.B) {
		for b.Loop() {
			tokenize(source)
			tokenize(out)
		}
	})
	b.Run("newDoc", func(b *testing.B) {
		for b.Loop() {
			newDoc(source)
			newDoc(out)
		}
	})
	b.Run("links", func(b *testing.B) {
		for b.Loop() {
			var c problemList
			checkLinks(&c, source, out)
		}
	})
	b.Run("facts", func(b *testing.B) {
		for b.Loop() {
			newDoc(source)
			newDoc(out)
		}
	})
	b.Run("scanFacts", func(b *testing.B) {
		for b.Loop() {
			d1, d2 := newDoc(source), newDoc(out)
			scanFacts(d1, true)
			scanFacts(d2, false)
		}
	})
	b.Run("names", func(b *testing.B) {
		for b.Loop() {
			sn := src.names(true)
			on := o.names(true)
			ix := newNameIndex(src, sn)
			var c problemList
			checkNames(&c, ix, o, on)
		}
	})
	b.Run("meta", func(b *testing.B) {
		for b.Loop() {
			var c problemList
			checkMeta(&c, src, o)
			checkLanguage(&c, o, "ru")
		}
	})
	b.Run("polarity", func(b *testing.B) {
		for b.Loop() {
			var c problemList
			checkPolarity(&c, src, o, "ru")
		}
	})
	b.Run("claims", func(b *testing.B) {
		for b.Loop() {
			var c problemList
			checkClaims(&c, src, o)
		}
	})
	b.Run("markup", func(b *testing.B) {
		for b.Loop() {
			var c problemList
			checkMarkup(&c, source, out)
		}
	})
	sf, of := scanFacts(newDoc(source), true), scanFacts(newDoc(out), false)
	b.Run("placement", func(b *testing.B) {
		for b.Loop() {
			var c problemList
			checkPlacement(&c, src, o, sf, of)
		}
	})
	b.Run("quotes", func(b *testing.B) {
		sn := src.names(true)
		on := o.names(true)
		for b.Loop() {
			var c problemList
			checkQuotes(&c, src, o, sn, on, true)
		}
	})
	b.Run("Check", func(b *testing.B) {
		for b.Loop() {
			Check(source, out, Options{Language: "ru", MaxLen: 4096})
		}
	})
}
