package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	botask "github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/sqlite"
)

// briefbot questions prints the most asked unanswered questions of the
// log, grouped by their normalised form, within --question-log-days.
func TestQuestionsCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "briefbot.db")
	code, stdout, _ := testRun(t, nil, "", "questions", "--db", db)
	if code != 0 || !strings.Contains(stdout, "No unanswered questions in the last 30 days.") {
		t.Fatalf("empty log: %d %q", code, stdout)
	}
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, q := range []string{"whats the oil price today", "Whats the OIL price today?", "who is maduro's wife", "whats the oil price today"} {
		if err := st.RecordQuestion(context.Background(), botask.Question{Text: q, Normalized: strings.TrimRight(strings.ToLower(q), "?"), Article: "putin-maduro-2025", AskedAt: now.Add(time.Duration(i-10) * time.Minute), Refused: true}); err != nil {
			t.Fatal(err)
		}
	}
	old := botask.Question{Text: "an old one", Normalized: "an old one", Article: "putin-maduro-2025", AskedAt: now.Add(-40 * 24 * time.Hour), Refused: true}
	if err := st.RecordQuestion(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, stdout, stderr := testRun(t, nil, "", "questions", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if len(lines) < 5 || !strings.HasPrefix(lines[2], "ASKED") || !strings.HasPrefix(lines[3], "3 ") || !strings.Contains(lines[3], "whats the oil price today") || !strings.Contains(lines[4], "who is maduro's wife") {
		t.Errorf("questions printed:\n%s", stdout)
	}
	if strings.Contains(stdout, "an old one") {
		t.Errorf("a question older than 30 days is printed:\n%s", stdout)
	}
	code, stdout, _ = testRun(t, nil, "", "questions", "--db", db, "1")
	if code != 0 || strings.Contains(stdout, "wife") {
		t.Errorf("questions 1: %d\n%s", code, stdout)
	}
}
