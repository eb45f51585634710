package answer_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/answer"
)

// story is a small article for the tests of one mechanism each.
var story = answer.Article{
	ID:      "story",
	Title:   "Two countries sign a pact",
	Aliases: []answer.Alias{{Terms: []string{"deal", "pact", "treaty"}, Means: "agreement"}},
	Sections: []answer.Section{
		{
			Name: "text", Title: "What the agreement says", Keywords: []string{"terms"},
			Body: "**The text:** The agreement has ten articles on fishing quotas.\n\n" +
				"**Two days later:** The Harvest Day fair opened in the capital.",
		},
		{
			Name: "context", Title: "Why they teamed up", Keywords: []string{"background"},
			Aliases: []answer.Alias{{Terms: []string{"aliarse"}, Means: "alliance"}},
			Body:    "**The motive:** Both fleets are shrinking. → /text",
		},
		{
			Name: "world", Title: "Reactions abroad", Keywords: []string{"reactions"},
			Body: "**Support at home:** Fishermen praised the pact.\n\n**Abroad:** Neighbours fear a fishing alliance.",
		},
		{
			Name: "boats", Title: "Fishing boats", Keywords: []string{"boats"},
			Body: "**Shrinking fleets:** Both fleets have shrunk since 2019.\n\n" +
				"**See also:** how the quotas came about → /text",
		},
		{
			Name: "dates", Title: "Key dates", Keywords: []string{"dates", "when"},
			Body: "- **2019** — Both fleets have shrunk → /boats",
		},
	},
}

func TestMechanisms(t *testing.T) {
	x, err := answer.New(story)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, question string
		section        string // "" when refused
		contains       string
	}{
		// The text writes "pact" beside the alias's meaning "agreement":
		// the reader's "deal" finds both.
		{"synonyms", "who praised the deal", "world", "praised the pact"},
		// A section's alias points the reader's words there; the
		// meaning's own word, written by the reader, is not pulled along.
		{"section alias", "an alliance?", "world", "fishing alliance"},
		// A "See also" line is no answer: it only describes another
		// section, which answers for itself.
		{"see also", "how the quotas came about", "", ""},
		// A statement that points to its fact's home yields to the home.
		{"digest", "have the fleets shrunk", "boats", "since 2019"},
		// "between A and B" is one part: one statement holds both.
		{"between", "between fishermen and the pact", "world", "Fishermen praised"},
		// A question about the present asks what a dated article cannot
		// say, and a name of the text is one word: "Harvest Day" and
		// "today" weigh as two words, not three.
		{"present", "is the harvest day fair open today", "", ""},
		{"not present", "when did the harvest day fair open", "text", "Harvest Day"},
		// A reader's own word the text does not use counts against an
		// answer, but no more than the question's strongest word: with
		// another word of the question beside it, a rare word answers.
		{"own word", "did fishermen honestly praise the pact", "world", "Fishermen praised"},
		// Not when the question asks for what the statement lacks.
		{"own word, figure unmet", "how many fishermen honestly praise the pact", "", ""},
		// Nor one rare word alone beside the reader's word: "who
		// invented television" asks what the text does not say.
		{"own word alone", "who invented fishermen", "", ""},
		// An adverb the text does not use is a filler, however rare.
		{"filler", "did fishermen supposedly praise the pact", "world", "Fishermen praised"},
		// Beside nothing but the article's subject, even an everyday
		// word the text does not use is the point.
		{"subject only", "two countries and the price", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := x.Answer(tt.question)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.section == "" && r.Refusal == answer.Answered:
				t.Errorf("%q answered from /%s %q, want a refusal", tt.question, r.Statements[0].Section, r.Statements[0].Text)
			case tt.section == "":
			case r.Refusal != answer.Answered:
				t.Errorf("%q refused (%s), want /%s", tt.question, r.Refusal, tt.section)
			case r.Statements[0].Section != tt.section || !strings.Contains(r.Statements[0].Text, tt.contains):
				t.Errorf("%q answered from /%s %q, want /%s holding %q", tt.question, r.Statements[0].Section, r.Statements[0].Text, tt.section, tt.contains)
			}
		})
	}
}
