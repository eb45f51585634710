package rewrite_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/guard"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
)

const noteUnverified = "The rephrased text could not be checked against the curated text, so here is the curated text."

// The verifier has the last word on a rewrite the guard passes: a flag
// refuses it (and the strict retry hears why), no verdict refuses it
// without caching, and a pass is cached with the verdict.
func TestRewriterVerifier(t *testing.T) {
	llm := &rewritetest.Model{}
	curated := rewriteReq(bot.StyleSimple, "").Text
	tests := []struct {
		name     string
		verifier []func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error)
		want     bot.Rewrite
		calls    int // to the model
		verified int // to the verifier
		cached   bool
		again    int // model calls after asking again
	}{
		{name: "passes", want: bot.Rewrite{Text: goodSimple, Model: "fake-model"}, calls: 1, verified: 1, cached: true, again: 1},
		{name: "flags, then passes the retry",
			verifier: []func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error){
				(&rewritetest.Verifier{}).Flags(7, "Its oil output has not grown since 2019."), (&rewritetest.Verifier{}).Flags(7)},
			want: bot.Rewrite{Text: goodSimple, Model: "fake-model"}, calls: 2, verified: 2, cached: true, again: 2},
		{name: "flags twice",
			verifier: []func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error){(&rewritetest.Verifier{}).Flags(7, "Russia wants to help Venezuela with oil.")},
			want:     bot.Rewrite{Text: curated, Note: noteGuard}, calls: 2, verified: 2, cached: true, again: 2},
		{name: "hangs",
			verifier: []func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error){rewritetest.Hangs},
			want:     bot.Rewrite{Text: curated, Note: noteUnverified}, calls: 1, verified: 1, again: 2},
		{name: "fails",
			verifier: []func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error){
				func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error) {
					return nil, errors.New("not JSON")
				}},
			want: bot.Rewrite{Text: curated, Note: noteUnverified}, calls: 1, verified: 1, again: 2},
		{name: "blank statements are no verdict",
			verifier: []func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error){(&rewritetest.Verifier{}).Flags(3, " ", "")},
			want:     bot.Rewrite{Text: curated, Note: noteUnverified}, calls: 1, verified: 1, again: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &rewritetest.Verifier{Script: tt.verifier}
			rejections := &rewritetest.Rejections{}
			r := newRewriteRig(t, func(c *rewrite.Config) {
				c.Verifier, c.VerifyTimeout, c.Rejections = v, 50*time.Millisecond, rejections
			}, llm.Reply(goodSimple, 100))
			req := rewriteReq(bot.StyleSimple, "")
			if got := r.w.Rewrite(context.Background(), req); got != tt.want {
				t.Errorf("Rewrite = %+v, want %+v", got, tt.want)
			}
			r.w.Wait()
			if n := r.llm.Calls(); n != tt.calls {
				t.Errorf("model calls = %d, want %d", n, tt.calls)
			}
			if n := v.Calls(); n != tt.verified {
				t.Errorf("verifier calls = %d, want %d", n, tt.verified)
			}
			if reqs := v.Requests(); len(reqs) > 0 && (reqs[0].Text != goodSimple || reqs[0].Section != "energy" || reqs[0].Style != bot.StyleSimple) {
				t.Errorf("the verifier was asked %+v", reqs[0])
			}
			entries := r.cache.Entries()
			if tt.cached != (len(entries) == 1) {
				t.Fatalf("cache holds %d entries; want cached %v", len(entries), tt.cached)
			}
			for _, e := range entries {
				if e.Text != "" && e.VerifiedBy != "fake-verifier" {
					t.Errorf("cached %+v without the verdict", e)
				}
				if e.Text == "" && !strings.Contains(e.Rejected, "the verifier finds no support in the text for: Russia wants to help") {
					t.Errorf("cached refusal %+v", e)
				}
			}
			if tt.calls > 1 {
				if p := r.llm.Requests()[1].Problems; tt.verified > 1 && (len(p) == 0 || !strings.Contains(p[0], "the verifier finds no support")) {
					t.Errorf("the strict retry was told %q", p)
				}
			}
			refused := tt.calls - boolInt(tt.want.Model != "")
			if tt.want.Note == noteUnverified {
				refused = 1
			}
			if got := rejections.All(); len(got) != refused {
				t.Errorf("%d rejections recorded, want %d: %+v", len(got), refused, got)
			} else if refused > 0 && (got[0].Problems[0].Check != rewrite.CheckVerifier || got[0].Section != "energy" || got[0].Model != "fake-model" || got[0].Attempt != 1) {
				t.Errorf("rejection recorded as %+v", got[0])
			}
			r.w.Rewrite(context.Background(), req)
			if n := r.llm.Calls(); n != tt.again {
				t.Errorf("after asking again: model calls = %d, want %d", n, tt.again)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The verifier's tokens count against the budget.
func TestRewriterVerifierBudget(t *testing.T) {
	llm := &rewritetest.Model{}
	v := &rewritetest.Verifier{Script: []func(context.Context, rewrite.VerifyRequest) (*rewrite.Verdict, error){(&rewritetest.Verifier{}).Flags(40)}}
	r := newRewriteRig(t, func(c *rewrite.Config) { c.Verifier, c.DailyTokens = v, 1000 }, llm.Reply(goodSimple, 100))
	r.w.Rewrite(context.Background(), rewriteReq(bot.StyleSimple, ""))
	r.w.Wait()
	if got, _ := r.budget.Tokens(context.Background(), "guild-1", r.clock.Now()); got != 140 {
		t.Errorf("budget spent %d tokens, want 140 (100 rewriting, 40 verifying)", got)
	}
}

// A rewrite cached before the verifier was on is made afresh, and verified.
func TestRewriterVerifierCachedBefore(t *testing.T) {
	ctx := context.Background()
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, nil, llm.Reply(goodSimple, 100))
	req := rewriteReq(bot.StyleSimple, "")
	r.w.Rewrite(ctx, req)
	r.w.Wait()
	v := &rewritetest.Verifier{}
	w, err := rewrite.New(rewrite.Config{Model: r.llm, Cache: r.cache, Clock: r.clock, Verifier: v})
	if err != nil {
		t.Fatal(err)
	}
	if _, final := w.Immediate(ctx, req); final {
		t.Error("Immediate offered the unverified rewrite")
	}
	if got := w.Rewrite(ctx, req); got.Text != goodSimple || r.llm.Calls() != 2 || v.Calls() != 1 {
		t.Errorf("Rewrite = %+v after %d model calls and %d verifications", got, r.llm.Calls(), v.Calls())
	}
}

// Every refusal of the guard is recorded, attempt by attempt, with its
// checks and spans; and logged once with them.
func TestRewriterRecordsRejections(t *testing.T) {
	llm := &rewritetest.Model{}
	rejections := &rewritetest.Rejections{}
	r := newRewriteRig(t, func(c *rewrite.Config) { c.Rejections = rejections }, llm.Reply(inventedSimple, 100), llm.Reply(pingSimple, 100))
	r.w.Rewrite(context.Background(), rewriteReq(bot.StyleSimple, ""))
	r.w.Wait()
	got := rejections.All()
	if len(got) != 2 {
		t.Fatalf("%d rejections recorded, want 2", len(got))
	}
	first, second := got[0], got[1]
	if first.Attempt != 1 || first.Problems[0] != (guard.Problem{Check: guard.Number, Found: "1.5 million", Reason: `the number "1.5 million" is not in the text`}) ||
		first.ArticleID != "putin-maduro-2025" || first.ArticleVersion != "v1" || first.Style != "simple" || first.At != r.clock.Now() {
		t.Errorf("first rejection %+v", first)
	}
	if second.Attempt != 2 || second.Problems[0].Check != guard.Mention || second.Problems[0].Found != "@everyone" {
		t.Errorf("second rejection %+v", second)
	}
	if logs := r.logs.String(); !strings.Contains(logs, `problems.number="1.5 million"`) || !strings.Contains(logs, "problems.mention=@everyone") {
		t.Errorf("the log does not name the checks and spans:\n%s", logs)
	}
	if n := strings.Count(r.logs.String(), `msg="rephrasing rejected"`); n != 2 {
		t.Errorf("%d log lines for 2 refusals", n)
	}
}

// Cached returns the rewrite readers are shown, and its key.
func TestRewriterCached(t *testing.T) {
	ctx := context.Background()
	llm := &rewritetest.Model{}
	r := newRewriteRig(t, nil, llm.Reply(goodSimple, 100))
	req := rewriteReq(bot.StyleSimple, "")
	if _, _, ok, err := r.w.Cached(ctx, req); ok || err != nil {
		t.Errorf("before any rewrite: ok %v, err %v", ok, err)
	}
	r.w.Rewrite(ctx, req)
	r.w.Wait()
	key, a, ok, err := r.w.Cached(ctx, req)
	if !ok || err != nil || a.Text != goodSimple || a.Model != "fake-model" {
		t.Fatalf("Cached = %q, %+v, %v, %v", key, a, ok, err)
	}
	if _, in := r.cache.Entries()[key]; !in {
		t.Errorf("key %q is not the cache's", key)
	}
}
