package draft

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// RewriteFunc asks a language model to draft section s afresh from the
// article, whose own text for it is s.Body, and returns the model's text.
type RewriteFunc func(ctx context.Context, s Section) (string, error)

// CheckFunc says why a sentence of a model's draft may not stand — it
// says what the article does not — or returns nil if it may.
type CheckFunc func(sentence string) error

// Dropped is a sentence of a model's draft that failed its check.
type Dropped struct {
	Section  string // the section's command name
	Sentence string
	Reason   string
}

// Redraft has rewrite draft the body of every section afresh, and keeps of
// each draft only the sentences that check passes; a paragraph or item
// none of whose sentences pass is left out. A section whose draft fails,
// or keeps nothing, keeps the article's own sentences, and a note says
// so. It returns every sentence dropped, in order. It stops, with ctx's
// error, when ctx ends.
//
// The package stays a leaf: the model and the check are the caller's.
func (a *Article) Redraft(ctx context.Context, rewrite RewriteFunc, check CheckFunc) ([]Dropped, error) {
	var dropped []Dropped
	for i := range a.Sections {
		s := &a.Sections[i]
		text, err := rewrite(ctx, *s)
		if ctx.Err() != nil {
			return dropped, ctx.Err()
		}
		if err != nil {
			a.Notes = append(a.Notes, fmt.Sprintf("kept the article's own sentences in %s: the model did not draft it (%v)", s.Name, err))
			continue
		}
		kept, out := checked(text, check)
		for _, d := range out {
			dropped = append(dropped, Dropped{Section: s.Name, Sentence: d[0], Reason: d[1]})
		}
		if kept == "" {
			a.Notes = append(a.Notes, fmt.Sprintf("kept the article's own sentences in %s: no sentence of the model's draft passed the check", s.Name))
			continue
		}
		s.Body = kept
	}
	return dropped, nil
}

// markRE is what opens a line of Markdown before its text: a bullet, a
// number, a quotation mark.
var markRE = regexp.MustCompile(`^(\s*(?:[-*•] |\d{1,2}[.)] |> )?)(.*)$`)

// checked keeps the sentences of text that pass check, line by line, and
// returns what it dropped and why.
func checked(text string, check CheckFunc) (string, [][2]string) {
	var dropped [][2]string
	var lines []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			if len(lines) > 0 && lines[len(lines)-1] != "" {
				lines = append(lines, "")
			}
			continue
		}
		m := markRE.FindStringSubmatch(line)
		prefix, rest := m[1], strings.TrimSpace(m[2])
		var keep []string
		for _, sp := range sentenceSpans(rest) {
			sent := strings.TrimSpace(rest[sp[0]:sp[1]])
			if sent == "" {
				continue
			}
			if err := check(sent); err != nil {
				dropped = append(dropped, [2]string{sent, err.Error()})
				continue
			}
			keep = append(keep, sent)
		}
		if len(keep) > 0 {
			lines = append(lines, prefix+strings.Join(keep, " "))
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n")), dropped
}
