package answer_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/answer"
)

// benchQuestions are the labelled questions of the tuning set: answered,
// refused, in every language.
func benchQuestions(b *testing.B) []string {
	b.Helper()
	data, err := os.ReadFile("testdata/questions.tsv")
	if err != nil {
		b.Fatal(err)
	}
	var qs []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Split(line, "\t"); len(f) == 4 && !strings.HasPrefix(line, "#") {
			qs = append(qs, f[2])
		}
	}
	return qs
}

func BenchmarkAnswer(b *testing.B) {
	x := newBuiltin(b)
	qs := benchQuestions(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := x.Answer(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswer50 answers from 50 articles: the built-in one and 49
// made from it with their own words, so that the vocabulary grows too.
func BenchmarkAnswer50(b *testing.B) {
	x, err := answer.New(generated(b, 50)...)
	if err != nil {
		b.Fatal(err)
	}
	qs := benchQuestions(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := x.Answer(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew builds the index of the built-in article.
func BenchmarkNew(b *testing.B) {
	articles, err := builtin()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for range b.N {
		if _, err := answer.New(articles...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew50 builds the index of 50 articles; divide by 50 for the
// time per article.
func BenchmarkNew50(b *testing.B) {
	articles := generated(b, 50)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := answer.New(articles...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/50, "µs/article")
}

// generated returns n articles: the built-in one, and copies of it whose
// words of six letters or more are rewritten per article (so that each
// has words no other has), with ids and section names of their own.
func generated(tb testing.TB, n int) []answer.Article {
	tb.Helper()
	base, err := builtin()
	if err != nil {
		tb.Fatal(err)
	}
	out := []answer.Article{base[0]}
	for i := 1; i < n; i++ {
		a := base[0]
		a.ID = fmt.Sprintf("%s-%d", a.ID, i)
		a.Aliases = nil
		a.Sections = nil
		for _, s := range base[0].Sections {
			s.Name = fmt.Sprintf("%s%d", s.Name, i)
			s.Body = rewrite(s.Body, i)
			s.Aliases = nil
			a.Sections = append(a.Sections, s)
		}
		out = append(out, a)
	}
	return out
}

// rewrite gives every third long word of text a suffix of article i's
// own, keeping its lines.
func rewrite(text string, i int) string {
	lines := strings.Split(text, "\n")
	for l, line := range lines {
		words := strings.Split(line, " ")
		for k, w := range words {
			if len(w) >= 6 && k%3 == 0 {
				words[k] = w + fmt.Sprintf("x%dq", i)
			}
		}
		lines[l] = strings.Join(words, " ")
	}
	return strings.Join(lines, "\n")
}
