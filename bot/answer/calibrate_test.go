package answer_test

import (
	"flag"
	"fmt"
	"sort"
	"testing"
)

var calibrate = flag.Bool("calibrate", false, "TestCalibrate: search the refusal constants on the tuning set")

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
