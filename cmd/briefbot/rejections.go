package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"
)

// runRejections tallies the refusals of rephrasings of the last --days
// days by check, so that an operator can see when a model or a prompt goes
// bad: a check that suddenly refuses much more is the place to look.
func runRejections(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "briefbot rejections takes no arguments (got %q); say how many days with --days N\n", strings.Join(args, " "))
		return exitUsage
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	defer st.Close()
	since := e.now().Now().Add(-time.Duration(c.Days) * 24 * time.Hour)
	total, tallies, err := st.RejectionTallies(ctx, since)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	days := "day"
	if c.Days != 1 {
		days = fmt.Sprintf("%d days", c.Days)
	}
	if total == 0 {
		fmt.Fprintf(e.stdout, "No rephrasing was refused in the last %s.\n", days)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%d refused attempts at rephrasing in the last %s, by the check that refused them (an attempt may fail several):\n", total, days)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  check\trefused\tshare\tlast")
	for _, t := range tallies {
		fmt.Fprintf(tw, "  %s\t%d\t%.0f%%\t%s\n", t.Check, t.Refusals, 100*float64(t.Refusals)/float64(total), t.Last.UTC().Format("2006-01-02 15:04 UTC"))
	}
	tw.Flush()
	return exitOK
}
