package answer_test

import (
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/answer"
)

var calibrate = flag.Bool("calibrate", false, "TestCalibrate: search the refusal constants on the tuning set")

var sweep = flag.String("sweep", "", "TestSweep: a constant and its values, name=v1,v2,…, tried one by one on the tuning set")

// TestSweep tries the values of one constant on the tuning set (never the
// held-out set) and prints the figures for each.
func TestSweep(t *testing.T) {
	if *sweep == "" {
		t.Skip("no -sweep")
	}
	name, list, _ := strings.Cut(*sweep, "=")
	x := newBuiltin(t)
	qs := readLabelled(t, "testdata/questions.tsv")
	for _, v := range strings.Split(list, ",") {
		f, err := strconv.ParseFloat(v, 32)
		if err != nil {
			t.Fatal(err)
		}
		restore := x.Tune(map[string]float32{name: float32(f)})
		s := evaluate(t, x, qs, false)
		r := evaluate(t, x, withUnknownWord(t, x, qs), false)
		restore()
		t.Logf("%s=%s  en %.1f other %.1f offtopic-refused %.1f (%d/%d) ontopic-refused %.1f (%d/%d); with a word it does not know: on-topic refused %.1f (%d/%d), top-1 en %.1f",
			name, v, pct(s.english), pct(s.other), pct(s.offTopic), s.offTopic[0], s.offTopic[1], pct(s.onRefused), s.onRefused[0], s.onRefused[1],
			pct(r.onRefused), r.onRefused[0], r.onRefused[1], pct(r.english))
	}
}

// fillers are everyday English words that say nothing of a question's
// topic, are no stop words, and that the article does not use.
var fillers = []string{"quick", "honestly", "seriously", "apparently", "supposedly", "roughly", "officially", "broadly", "generally", "specifically"}

// withUnknownWord returns the on-topic English questions of qs, each with
// one filler word the index does not know put before its last word: what
// a reader's own wording does to a question the article answers.
func withUnknownWord(t *testing.T, x *answer.Index, qs []labelled) []labelled {
	var words []string
	for _, w := range fillers {
		if r, _ := x.Answer(w); r.Refusal == answer.NotCovered && len(r.Nearest) == 0 {
			words = append(words, w)
		}
	}
	if len(words) < 5 {
		t.Fatalf("only %v of the fillers are unknown to the index", words)
	}
	var out []labelled
	for i, q := range qs {
		if q.refuse || q.lang != "en" {
			continue
		}
		f := strings.Fields(q.question)
		if len(f) < 2 {
			continue
		}
		f = append(f[:len(f)-1], words[i%len(words)], f[len(f)-1])
		q.question = strings.Join(f, " ")
		out = append(out, q)
	}
	return out
}

// TestCalibrate tries the refusal constants over a grid on the tuning set
// (never the held-out set) and prints the best combinations.
func TestCalibrate(t *testing.T) {
	if !*calibrate {
		t.Skip("no -calibrate")
	}
	x := newBuiltin(t)
	qs := readLabelled(t, "testdata/questions.tsv")
	type row struct {
		desc                string
		en, other, off, ref float64
	}
	var rows []row
	for _, u := range []float32{0.6, 0.8, 1, 1.2} {
		for _, c := range []float32{0.4, 0.45, 0.5, 0.55, 0.6} {
			for _, inf := range []float32{1, 1.5, 2} {
				for _, pr := range []float32{2, 2.5, 3} {
					restore := x.Tune(map[string]float32{"unmatched": u, "minCover": c, "informative": inf, "prior": pr})
					s := evaluate(t, x, qs, false)
					restore()
					rows = append(rows, row{fmt.Sprintf("U=%.1f C=%.2f I=%.1f P=%.1f", u, c, inf, pr), pct(s.english), pct(s.other), pct(s.offTopic), pct(s.onRefused)})
				}
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		okA, okB := a.off >= 95, b.off >= 95
		if okA != okB {
			return okA
		}
		return a.en+a.other > b.en+b.other
	})
	for _, r := range rows[:25] {
		t.Logf("%s  en %.1f other %.1f offtopic-refused %.1f ontopic-refused %.1f", r.desc, r.en, r.other, r.off, r.ref)
	}
}
