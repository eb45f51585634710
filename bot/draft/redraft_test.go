package draft_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/draft"
)

func TestRedraft(t *testing.T) {
	a := &draft.Article{Sections: []draft.Section{
		{Name: "summary", Body: "The article's own summary."},
		{Name: "cost", Body: "The article's own cost."},
		{Name: "vote", Body: "The article's own vote."},
	}}
	drafts := map[string]string{
		"summary": "**The vote:** The council voted 31 to 14. It voted 40 to 5.\n\n- The line opens in 2029.\n- It costs €9 billion.",
		"cost":    "It costs €9 billion.",
	}
	rewrite := func(ctx context.Context, s draft.Section) (string, error) {
		if d, ok := drafts[s.Name]; ok {
			return d, nil
		}
		return "", errors.New("the model is down")
	}
	check := func(s string) error {
		if strings.Contains(s, "40 to 5") || strings.Contains(s, "€9 billion") {
			return errors.New("a figure the article does not have")
		}
		return nil
	}
	dropped, err := a.Redraft(context.Background(), rewrite, check)
	if err != nil {
		t.Fatal(err)
	}
	if want := "**The vote:** The council voted 31 to 14.\n\n- The line opens in 2029."; a.Sections[0].Body != want {
		t.Errorf("summary:\n%s\nwant\n%s", a.Sections[0].Body, want)
	}
	if a.Sections[1].Body != "The article's own cost." || a.Sections[2].Body != "The article's own vote." {
		t.Errorf("a section with nothing kept, or no draft, keeps the article's text: %q %q", a.Sections[1].Body, a.Sections[2].Body)
	}
	if len(dropped) != 3 || dropped[0].Sentence != "It voted 40 to 5." || dropped[0].Section != "summary" || dropped[2].Section != "cost" {
		t.Errorf("dropped %+v", dropped)
	}
	if len(a.Notes) != 2 || !strings.Contains(a.Notes[0], "cost") || !strings.Contains(a.Notes[1], "the model is down") {
		t.Errorf("notes %q", a.Notes)
	}
}
