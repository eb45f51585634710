package answer_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/answer"
)

// labelled is one question of testdata/questions.tsv or heldout.tsv.
type labelled struct {
	line     int
	kind     string
	lang     string
	question string
	refuse   bool
	parts    [][]string // each part: the sections that may answer it
	contains []string   // the best statement holds one of these
}

func readLabelled(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 4 {
			t.Fatalf("%s:%d: want 4 tab-separated fields, have %d", path, n, len(fields))
		}
		q := labelled{line: n, kind: fields[0], lang: fields[1], question: fields[2]}
		want := fields[3]
		if want == "refuse" {
			q.refuse = true
		} else {
			want, contains, _ := strings.Cut(want, " @ ")
			for _, part := range strings.Split(want, " + ") {
				q.parts = append(q.parts, strings.Fields(part))
			}
			if contains != "" {
				for _, c := range strings.Split(contains, " | ") {
					q.contains = append(q.contains, strings.TrimSpace(c))
				}
			}
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// judge says whether a result answers a labelled question as it should.
func judge(q labelled, r answer.Result) (ok bool, why string) {
	if q.refuse {
		if r.Refusal == answer.Answered {
			return false, fmt.Sprintf("answered from /%s: %q", r.Statements[0].Section, r.Statements[0].Text)
		}
		return true, ""
	}
	if r.Refusal != answer.Answered {
		var near []string
		for _, n := range r.Nearest {
			near = append(near, n.Section)
		}
		return false, fmt.Sprintf("refused (%s), nearest %v", r.Refusal, near)
	}
	top := r.Statements[0]
	var union []string
	for _, p := range q.parts {
		union = append(union, p...)
	}
	if !slices.Contains(union, top.Section) {
		return false, fmt.Sprintf("best from /%s: %q", top.Section, top.Text)
	}
	for _, p := range q.parts {
		found := false
		for _, s := range r.Statements {
			found = found || slices.Contains(p, s.Section)
		}
		if !found {
			return false, fmt.Sprintf("no statement from %v among %v", p, sections(r))
		}
	}
	if len(q.contains) > 0 {
		found := false
		for _, c := range q.contains {
			found = found || strings.Contains(strings.ToLower(top.Text), strings.ToLower(c))
		}
		if !found {
			return false, fmt.Sprintf("best statement /%s %q holds none of %q", top.Section, top.Text, q.contains)
		}
	}
	return true, ""
}

func sections(r answer.Result) []string {
	var out []string
	for _, s := range r.Statements {
		out = append(out, s.Section)
	}
	return out
}

// scores are the figures of one set of questions.
type scores struct {
	byKind     map[string][2]int // kind → correct, total
	english    [2]int            // on-topic English questions
	other      [2]int            // on-topic questions in the other languages
	offTopic   [2]int            // should be refused: refused, total
	onRefused  [2]int            // on-topic: refused, total
	refusedAll int               // refused, right or wrong
	refusedOK  int               // refused and should be
	langOK     [2]int            // the question's language detected
}

func evaluate(t *testing.T, x *answer.Index, qs []labelled, showMisses bool) scores {
	s := scores{byKind: make(map[string][2]int)}
	for _, q := range qs {
		r, err := x.Answer(q.question)
		if err != nil {
			t.Fatalf("line %d: %v", q.line, err)
		}
		ok, why := judge(q, r)
		k := s.byKind[q.kind]
		k[1]++
		if ok {
			k[0]++
		} else if showMisses {
			t.Logf("miss %s:%d %s/%s %q: %s", "questions.tsv", q.line, q.kind, q.lang, q.question, why)
		}
		s.byKind[q.kind] = k
		refused := r.Refusal != answer.Answered
		if refused {
			s.refusedAll++
		}
		if q.refuse {
			s.offTopic[1]++
			if refused {
				s.offTopic[0]++
				s.refusedOK++
			}
		} else {
			s.onRefused[1]++
			if refused {
				s.onRefused[0]++
			}
			c := &s.other
			if q.lang == "en" {
				c = &s.english
			}
			c[1]++
			if ok {
				c[0]++
			}
		}
		if q.kind != "offtopic" && q.kind != "instruction" || q.lang != "en" {
			s.langOK[1]++
			if r.Language == q.lang {
				s.langOK[0]++
			} else if showMisses {
				t.Logf("language %s:%d %q: detected %s, want %s", "questions.tsv", q.line, q.question, r.Language, q.lang)
			}
		}
	}
	return s
}

func pct(c [2]int) float64 {
	if c[1] == 0 {
		return 100
	}
	return 100 * float64(c[0]) / float64(c[1])
}

func (s scores) report(t *testing.T, name string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", name)
	kinds := make([]string, 0, len(s.byKind))
	for k := range s.byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		c := s.byKind[k]
		fmt.Fprintf(&b, "  %-12s %3d/%-3d %5.1f %%\n", k, c[0], c[1], pct(c))
	}
	fmt.Fprintf(&b, "  on-topic English      %3d/%-3d %5.1f %% top-1\n", s.english[0], s.english[1], pct(s.english))
	fmt.Fprintf(&b, "  on-topic other langs  %3d/%-3d %5.1f %% top-1\n", s.other[0], s.other[1], pct(s.other))
	fmt.Fprintf(&b, "  refusal recall        %3d/%-3d %5.1f %% (off-topic and instructions refused)\n", s.offTopic[0], s.offTopic[1], pct(s.offTopic))
	fmt.Fprintf(&b, "  refusal precision     %3d/%-3d %5.1f %% (refusals that were right)\n", s.refusedOK, s.refusedAll, pct([2]int{s.refusedOK, s.refusedAll}))
	fmt.Fprintf(&b, "  on-topic refused      %3d/%-3d %5.1f %%\n", s.onRefused[0], s.onRefused[1], pct(s.onRefused))
	fmt.Fprintf(&b, "  language detected     %3d/%-3d %5.1f %%\n", s.langOK[0], s.langOK[1], pct(s.langOK))
	t.Log(b.String())
}

func (s scores) check(t *testing.T, name string) {
	if p := pct(s.english); p < 90 {
		t.Errorf("%s: English top-1 accuracy %.1f %%, want ≥ 90 %%", name, p)
	}
	if p := pct(s.other); p < 75 {
		t.Errorf("%s: other languages' top-1 accuracy %.1f %%, want ≥ 75 %%", name, p)
	}
	if p := pct(s.offTopic); p < 95 {
		t.Errorf("%s: %.1f %% of off-topic lines and instructions refused, want ≥ 95 %%", name, p)
	}
	if p := pct(s.onRefused); p > 5 {
		t.Errorf("%s: %.1f %% of on-topic questions refused, want ≤ 5 %%", name, p)
	}
}

var tuningOnly = flag.Bool("tuning", false, "TestQuality: leave the held-out set out, while tuning")

// TestQuality answers the labelled questions and fails below the figures
// the product promises. Misses of the tuning set are logged with -v; the
// held-out set is reported only as figures, so that it stays unseen.
func TestQuality(t *testing.T) {
	x := newBuiltin(t)
	tuning := readLabelled(t, "testdata/questions.tsv")
	heldout := readLabelled(t, "testdata/heldout.tsv")
	if n := len(tuning) + len(heldout); n < 150 {
		t.Fatalf("%d labelled questions, want at least 150", n)
	}
	ts := evaluate(t, x, tuning, testing.Verbose())
	ts.report(t, fmt.Sprintf("tuning set (%d questions)", len(tuning)))
	ts.check(t, "tuning set")
	if *tuningOnly {
		return
	}
	// The held-out set is reported apart, and holds the bars together with
	// the rest: alone it is too small for them (one question of its
	// on-topic ones is more than 2 %).
	hs := evaluate(t, x, heldout, false)
	hs.report(t, fmt.Sprintf("held-out set (%d questions)", len(heldout)))
	all := evaluate(t, x, append(tuning, heldout...), false)
	all.report(t, fmt.Sprintf("all labelled questions (%d)", len(tuning)+len(heldout)))
	all.check(t, "all labelled questions")
}

var fresh = flag.Bool("fresh", false, "TestFresh: score the fresh blind set (figures only)")

// TestFresh scores testdata/fresh.tsv, a blind set written before the
// engine was last changed and never tuned on. It runs only when asked
// (-fresh) and prints figures, never questions, so that it stays blind;
// it holds no bar, because it is an estimate, not a target.
func TestFresh(t *testing.T) {
	if !*fresh {
		t.Skip("the fresh set is scored only with -fresh")
	}
	x := newBuiltin(t)
	qs := readLabelled(t, "testdata/fresh.tsv")
	s := evaluate(t, x, qs, false)
	s.report(t, fmt.Sprintf("fresh set (%d questions)", len(qs)))
}
