package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/openai/openaitest"
)

// TestDraftLLM drafts the built-in article's source with a model (the
// fake server): its sentences the article bears out are kept, the others
// dropped and listed, a section where none passes keeps the article's own
// sentences, and the draft still validates and is faithful.
func TestDraftLLM(t *testing.T) {
	srv := openaitest.NewServer(t, openaitest.Reply{Func: func(r openaitest.Request) openaitest.Reply {
		switch {
		case strings.Contains(r.User(), `Draft the section "The story in brief"`):
			return openaitest.Text("**What happened:** Russian President Vladimir Putin and Venezuelan President Nicolás Maduro signed a landmark Strategic Partnership and Cooperation Agreement on May 7, 2025, during a ceremony at the Kremlin.\n\n" +
				"**Trade:** Trade surged 90% in early 2024, per RIO Times.\n\n" +
				"- The agreement sets a roadmap for cooperation through 2030.\n- Boris Johnson welcomed it.")
		case strings.Contains(r.User(), `Draft the section "Details of the Agreement"`):
			return openaitest.Text("**The basis:** The strategic partnership builds on over 300 existing bilateral agreements.")
		}
		return openaitest.Text("The pact was signed on June 3, 2031.")
	}})
	vars := map[string]string{"BRIEFBOT_LLM_MODEL": "fake-model", "OPENAI_BASE_URL": srv.BaseURL()}
	out := filepath.Join(t.TempDir(), "story.md")
	code, stdout, stderr := testRun(t, vars, "", "draft", seedArticle, "-o", out, "--llm")
	if code != exitOK || stdout != "" {
		t.Fatalf("draft --llm: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, want := range []string{
		`dropped from /summary: "**Trade:** Trade surged 90% in early 2024, per RIO Times."`,
		`dropped from /summary: "Boris Johnson welcomed it."`,
		`dropped from /timeline: "The pact was signed on June 3, 2031."`,
		"kept the article's own sentences in timeline: no sentence of the model's draft passed the check",
		"Wrote " + out,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**What happened:** Russian President Vladimir Putin and Venezuelan President Nicolás Maduro signed",
		"\n\n- The agreement sets a roadmap for cooperation through 2030.\n",
		"**The basis:** The strategic partnership builds on over 300 existing bilateral agreements.",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the draft lacks %q", want)
		}
	}
	if strings.Contains(string(md), "90%") || strings.Contains(string(md), "Boris") || strings.Contains(string(md), "2031") {
		t.Error("the draft keeps a sentence the check refused")
	}
	if srv.Calls() < 5 {
		t.Errorf("%d model calls: not one per section", srv.Calls())
	}
	code, stdout, stderr = testRun(t, nil, "", "validate", "--source", seedArticle, out)
	if code != exitOK || !strings.Contains(stdout, "is valid and faithful to") {
		t.Errorf("validate --source: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	// Without a model, --llm says how to name one.
	code, _, stderr = testRun(t, nil, "", "draft", seedArticle, "--llm")
	if code != exitUsage || !strings.Contains(stderr, "--llm needs a model") {
		t.Errorf("--llm without a model: %d %s", code, stderr)
	}
}
