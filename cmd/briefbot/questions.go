package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/briefbot/briefbot/bot"
)

// runQuestions prints the questions readers asked most that the articles
// could not answer (or answered with low confidence), grouped by their
// normalised form, so that an editor knows which keyword, alias or section
// to add. It prunes the log to --question-log-days first.
func runQuestions(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	limit := 20
	switch len(args) {
	case 0:
	case 1:
		n, err := strconv.Atoi(args[0])
		if err != nil || n < 1 || n > 1000 {
			fmt.Fprintf(e.stderr, "briefbot questions takes how many to print, from 1 to 1000 (got %q)\n", args[0])
			return exitUsage
		}
		limit = n
	default:
		fmt.Fprintln(e.stderr, "briefbot questions takes at most one argument: how many to print")
		return exitUsage
	}
	if c.QuestionLogDays == 0 {
		fmt.Fprintln(e.stdout, "The question log is off (--question-log-days 0): no questions are kept.")
		return exitOK
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	defer st.Close()
	now := e.now().Now()
	since := now.Add(-c.questionRetention())
	if _, err := st.PruneQuestions(ctx, since); err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	groups, err := st.UnansweredQuestions(ctx, since, limit)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	days := "day"
	if c.QuestionLogDays != 1 {
		days = strconv.Itoa(c.QuestionLogDays) + " days"
	}
	if len(groups) == 0 {
		fmt.Fprintf(e.stdout, "No unanswered questions in the last %s.\n", days)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "Questions the article could not answer, most asked first (the last %s):\n\n", days)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ASKED\tREFUSED\tLAST\tARTICLE\tQUESTION")
	for _, g := range groups {
		q := bot.Clip(strings.Join(strings.Fields(g.Example), " "), 100)
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", g.Asked, g.Refused, g.Last.UTC().Format("2006-01-02"), g.Article, q)
	}
	tw.Flush()
	fmt.Fprintln(e.stdout, "\nREFUSED counts the times the article did not say; the rest were answered with little support. Questions asked alike (case, accents, punctuation) count together, under the latest wording. Add a keyword or an alias (see the README) where the article does answer, or a section where it should.")
	return exitOK
}
