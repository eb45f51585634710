package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/report"
)

// runReports lists readers' reports of rephrasings for editors, the latest
// first, or with --purge drops one report's cached rephrasing so that the
// next reader gets a fresh one.
func runReports(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "briefbot reports takes no arguments (got %q); to drop a rephrasing use --purge ID\n", strings.Join(args, " "))
		return exitUsage
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	defer st.Close()
	if c.Purge > 0 {
		r, err := st.PurgeReport(ctx, c.Purge, e.now().Now())
		if errors.Is(err, report.ErrNotFound) {
			fmt.Fprintf(e.stderr, "briefbot: there is no report %d; briefbot reports lists them\n", c.Purge)
			return exitFailed
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
			return exitFailed
		}
		fmt.Fprintf(e.stdout, "Dropped the cached rephrasing of report %d (%s): the next reader who asks for it gets a fresh one.\n", r.ID, what(r))
		return exitOK
	}
	reports, err := st.Reports(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return exitFailed
	}
	if len(reports) == 0 {
		fmt.Fprintln(e.stdout, "No reports.")
		return exitOK
	}
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		printReport(e.stdout, r)
	}
	return exitOK
}

// what names a report's rephrasing: "/energy of putin-maduro-2025 (version
// v1), simple, in Español, by fake-model".
func what(r report.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "/%s of %s (version %s)", r.Section, r.ArticleID, r.ArticleVersion)
	if r.Style != "" {
		b.WriteString(", " + r.Style)
	}
	if r.Language != "" {
		name := r.Language
		if l, ok := bot.LanguageByCode(r.Language); ok {
			name = l.Native
		}
		b.WriteString(", in " + name)
	}
	b.WriteString(", by " + r.Model)
	return b.String()
}

func printReport(w io.Writer, r report.Report) {
	times := "once"
	if r.Count > 1 {
		times = fmt.Sprintf("%d times", r.Count)
	}
	fmt.Fprintf(w, "Report %d: %s, reported %s, last %s\n", r.ID, what(r), times, r.Last.UTC().Format("2006-01-02 15:04 UTC"))
	if r.Purged.IsZero() {
		fmt.Fprintf(w, "  still shown; briefbot reports --purge %d drops it\n", r.ID)
	} else {
		fmt.Fprintf(w, "  dropped %s\n", r.Purged.UTC().Format(time.DateTime+" UTC"))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  reader: %q\n", n)
	}
	for _, line := range strings.Split(printable(r.Text), "\n") {
		fmt.Fprintf(w, "  | %s\n", line)
	}
}

// printable is s without the control characters that could drive an
// editor's terminal: a model wrote it.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
			return '\uFFFD'
		}
		return r
	}, s)
}
