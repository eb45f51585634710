// Package guard checks a language model's rewrite of a curated text
// against that text before a reader sees it.
//
// Check reads what it can recognise without understanding the text —
// numbers, percentages, dates, quotations, mentions and links — in
// English, Spanish, Russian and, less thoroughly, in the other offered
// languages. It errs on the side of refusing: a refused rewrite costs the
// reader only the curated text.
//
// What it does not catch: numbers spelled out in words ("three hundred";
// the prompts ask for digits, and "a million"/"un millón"/"миллион" and
// "two million" are understood), and a changed meaning that keeps every
// number, date and quote.
package guard

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// CheckName names one of Check's checks, for the log and for tallies of
// refusals.
type CheckName string

const (
	Empty   CheckName = "empty"   // the rewrite is blank
	Length  CheckName = "length"  // the rewrite does not fit, or was cut off
	Mention CheckName = "mention" // @everyone, @here, <@id>, <@&id>, <#id>, or an @name the source lacks
	Link    CheckName = "link"    // a link the source lacks
	Number  CheckName = "number"  // a number or percentage the source lacks
	Date    CheckName = "date"    // a date the source lacks
	Quote   CheckName = "quote"   // a quotation the source lacks
)

// Problem is one reason a rewrite was refused.
type Problem struct {
	Check  CheckName
	Found  string // the offending part of the rewrite, if there is one
	Reason string // a sentence for the log and for the strict prompt
}

// Rejection is the error Check returns: every reason the rewrite was
// refused.
type Rejection struct {
	Problems []Problem
}

// Reasons returns the problems' sentences.
func (r *Rejection) Reasons() []string {
	out := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		out[i] = p.Reason
	}
	return out
}

func (r *Rejection) Error() string {
	return "rephrasing rejected: " + strings.Join(r.Reasons(), "; ")
}

// Options tell Check what the rewrite was asked to be.
type Options struct {
	// Language is the code of the language the rewrite was asked in; ""
	// means the source's. A rewrite in another language than the source's
	// is a translation: its quotations cannot be compared word for word,
	// so it may hold no more quotations of three words or more than the
	// source holds (shorter quoted spans are names and titles, which
	// Russian and other typographies put in quotes), while the digits
	// inside them are checked like every other number.
	Language string
	// SourceLanguage is the code of the source's language; "" means "en".
	SourceLanguage string
	// Style is the style the rewrite was asked in: "", "brief", "bullets",
	// "simple" or "formal".
	Style string
	// MaxLen is the longest rewrite accepted, in UTF-16 code units as
	// Discord counts them. It is required: a zero or negative MaxLen
	// refuses every rewrite.
	MaxLen int
}

// translated reports whether the rewrite is in another language than the
// source.
func (o Options) translated() bool {
	src := o.SourceLanguage
	if src == "" {
		src = "en"
	}
	return o.Language != "" && !strings.EqualFold(o.Language, src)
}

// Len is the length of s in UTF-16 code units, as Discord counts it.
func Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Check checks a language model's rewrite of source. It returns nil if
// output may be shown, or a *Rejection listing every problem:
//
//   - output is empty or longer than opts.MaxLen;
//   - output mentions anyone: @everyone and @here, <@id>, <@!id>, <@&id>,
//     <#id> and </command:id> always, and a bare @name unless the source has
//     the same @name (an X handle, say). "name@example.com" is an address,
//     not a mention, and passes;
//   - output has a link (scheme://…, www.…, domain.tld/path such as
//     discord.gg/…, or a Markdown link) that the source lacks;
//   - a number or percentage in output is not in source. Numbers are
//     compared by value: "70%" = "70 %" = "70 percent" = "70 por ciento" =
//     "70 процентов"; "1 million" = "1,000,000" = "1.000.000" = "1 000 000"
//     = "1 млн" = "un millón"; "80th", "80.º" and "80-й" are 80. A
//     percentage must be a percentage in the source too; a plain number may
//     match any number of the source. Digits of every script count, so a
//     translation must keep them. A list number at the start of a line
//     ("1. ") is not a fact;
//   - a date in output (a month name with a day or a year, in English,
//     Spanish, Portuguese, French, German, Italian, Russian or Ukrainian,
//     or 07.05.2025, 2025-05-07, 5/7/2025) does not match a date of the
//     source: same month, same day if output has one, and the same year
//     unless the source gives that day no year;
//   - a quotation in output (“…”, "…", «…», „…“, ‘…’, 「…」) is not, part by
//     part around an ellipsis, in the source, ignoring case and spacing;
//     see Options.Language for translations. Plain 'single quotes' are not
//     read as quotations: they cannot be told from apostrophes.
func Check(source, output string, opts Options) error {
	output = strings.TrimSpace(output)
	if output == "" {
		return &Rejection{Problems: []Problem{{Check: Empty, Reason: "the answer is empty"}}}
	}
	var c problemList
	limit := opts.MaxLen
	if limit <= 0 {
		c.add(Length, "", "no maximum length was given, so no answer fits")
		return &Rejection{Problems: c.problems}
	}
	if n := Len(output); n > limit {
		c.add(Length, "", fmt.Sprintf("the answer is %d characters long; at most %d fit", n, limit))
		if n > 4*limit { // far off: not worth reading further
			return &Rejection{Problems: c.problems}
		}
	}
	checkMentions(&c, source, output)
	checkLinks(&c, source, output)
	// Mentions and links are reported once, not again for their digits.
	source, output = withoutMarkup(source), withoutMarkup(output)
	src, out := scanFacts(source, true), scanFacts(output, false)
	checkNumbers(&c, src, out)
	checkDates(&c, src, out)
	checkQuotes(&c, source, output, opts.translated())
	if len(c.problems) == 0 {
		return nil
	}
	return &Rejection{Problems: c.problems}
}

type problemList struct {
	problems []Problem
	seen     map[string]bool
}

func (c *problemList) add(check CheckName, found, reason string) {
	k := string(check) + "\x00" + found + "\x00" + reason
	if c.seen[k] {
		return
	}
	if c.seen == nil {
		c.seen = make(map[string]bool)
	}
	c.seen[k] = true
	c.problems = append(c.problems, Problem{Check: check, Found: found, Reason: reason})
}

// Checks.

func checkNumbers(c *problemList, src, out facts) {
	all, pct := make(map[string]bool), make(map[string]bool)
	for _, n := range src.nums {
		for _, v := range n.vals {
			all[v] = true
			if n.percent {
				pct[v] = true
			}
		}
	}
	for _, n := range out.nums {
		if n.inDate {
			continue // checked as part of its date
		}
		found := false
		for _, v := range n.vals {
			if n.percent && pct[v] || !n.percent && all[v] {
				found = true
				break
			}
		}
		switch {
		case found:
		case n.percent:
			c.add(Number, n.text, fmt.Sprintf("the percentage %q is not in the text", n.text))
		default:
			c.add(Number, n.text, fmt.Sprintf("the number %q is not in the text", n.text))
		}
	}
}
