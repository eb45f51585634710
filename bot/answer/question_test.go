package answer

import "testing"

// TestQuestionSlots checks how a question is cut into words and parts.
func TestQuestionSlots(t *testing.T) {
	x, err := New(Article{
		ID: "a", Title: "A fair",
		Aliases: []Alias{{Terms: []string{"Erntetag"}, Means: "Harvest Day"}},
		Sections: []Section{{
			Name: "fair", Title: "The fair", Keywords: []string{"fish market"},
			Body: "**The fair:** The Harvest Day fair opened with a fish market. Fishermen praised the pact.",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question     string
		slots, parts int
	}{
		{"fishermen and the pact", 2, 2},
		{"between fishermen and the pact", 2, 1},
		{"entre los pescadores y el pacto", 2, 1},
		// A name given as an alias's meaning or a keyword is one word.
		{"the harvest day fair", 2, 1},
		{"the fish market", 1, 1},
		// The present counts as a word the article does not hold.
		{"the fair today", 2, 1},
		{"the fair right now", 2, 1},
	}
	for _, tt := range tests {
		sc := newScratch(x)
		sc.toks = tokenize(tt.question, nil, &sc.buf)
		parts := x.analyzeQuestion(sc, x.detectLanguage(tt.question, sc.toks))
		if len(sc.slots) != tt.slots || parts != tt.parts {
			t.Errorf("%q: %d slots in %d parts, want %d in %d", tt.question, len(sc.slots), parts, tt.slots, tt.parts)
		}
	}
}

// TestTypoLanguage: a word of another language is no misspelling of the
// article's words, though it may be one of a name or an alias's term.
func TestTypoLanguage(t *testing.T) {
	x, err := New(Article{
		ID: "a", Title: "Oil",
		Aliases:  []Alias{{Terms: []string{"petróleo"}, Means: "oil"}},
		Sections: []Section{{Name: "oil", Title: "Oil", Body: "Peskov raises doubts about oil output."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question string
		matched  bool
	}{
		{"rasies", true},             // an English typo of "raises"
		{"os países", false},         // Portuguese, not "raises"
		{"o petróelo", true},         // a typo of an alias's term
		{"o que disse peskow", true}, // a name, written in any language
	}
	for _, tt := range tests {
		sc := newScratch(x)
		sc.toks = tokenize(tt.question, nil, &sc.buf)
		x.analyzeQuestion(sc, x.detectLanguage(tt.question, sc.toks))
		matched := false
		for _, s := range sc.slots {
			matched = matched || s.matched
		}
		if matched != tt.matched {
			t.Errorf("%q: matched %v, want %v", tt.question, matched, tt.matched)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"What's the OIL price?!", "whats the oil price"},
		{"  whats   the oil price ", "whats the oil price"},
		{"¿Cuánto petróleo?", "cuanto petroleo"},
		{"U.S. sanctions", "us sanctions"},
		{"Что с НЕФТЬЮ?", "что с нефтью"},
		{"", ""},
	} {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
