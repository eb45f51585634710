package answer_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/answer"
)

// TestNamesAcrossScripts: a name of the article written in another script
// or spelling, with no alias for it, finds the statements that name it.
func TestNamesAcrossScripts(t *testing.T) {
	x := newBuiltin(t)
	tests := []struct {
		question string
		sections []string
		contains string // the best statement holds it; "" for a refusal
	}{
		{"кто такая делси родригес", []string{"reactions", "quotes"}, "Rodríguez"}, // Cyrillic, no alias
		{"кто такой гонсалес", []string{"reactions"}, "González"},                  // s for z
		{"мадуро в казани", []string{"advocacy", "quotes", "timeline"}, "Kazan"},   // a case ending
		{"эссекибо и гайана", []string{"reactions", "timeline"}, "Essequibo"},      // qu for k
		{"Ροδρίγκεθ", nil, ""},                               // too far from any name
		{"is russia putting missiles in venezuela", nil, ""}, // "putting" is no "Putin"
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			r, err := x.Answer(tt.question)
			if err != nil {
				t.Fatal(err)
			}
			if tt.contains == "" {
				if r.Refusal == answer.Answered {
					t.Errorf("answered from /%s %q, want a refusal", r.Statements[0].Section, r.Statements[0].Text)
				}
				return
			}
			if r.Refusal != answer.Answered {
				t.Fatalf("refused (%s)", r.Refusal)
			}
			best := r.Statements[0]
			if !slices.Contains(tt.sections, best.Section) || !strings.Contains(best.Text, tt.contains) {
				t.Errorf("best is /%s %q, want one of %v holding %q", best.Section, best.Text, tt.sections, tt.contains)
			}
		})
	}
}
