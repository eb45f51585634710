package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/briefbot/briefbot/bot/draft"
)

// runDraft prints a starting content file drafted from a news article,
// or writes it to -o FILE, and says on stderr what it could not find.
func runDraft(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	f := flag.NewFlagSet("briefbot draft", flag.ContinueOnError)
	f.SetOutput(e.stderr)
	out := f.String("o", "", "write the draft to `FILE`, which must not exist yet, instead of standard output")
	llm := f.Bool("llm", false, "have the language model (--llm-model) draft each section; only its sentences that the article bears out are kept")
	// briefbot's own flags come before the command's arguments, so -o
	// comes after the article: briefbot draft ARTICLE -o FILE.
	var paths []string
	for {
		if err := f.Parse(args); err != nil {
			return exitUsage
		}
		if f.NArg() == 0 {
			break
		}
		paths, args = append(paths, f.Arg(0)), f.Args()[1:]
	}
	if len(paths) != 1 {
		fmt.Fprintln(e.stderr, "briefbot draft needs one article, a plain-text or Markdown file (- for standard input), e.g. briefbot draft article.txt -o content/story.md")
		return exitUsage
	}

	var text []byte
	var err error
	if paths[0] == "-" {
		text, err = io.ReadAll(e.stdin)
	} else {
		text, err = os.ReadFile(paths[0])
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot draft: %v\n", err)
		return exitFailed
	}
	a, err := draft.Read(string(text))
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot draft: %s: %v\n", paths[0], err)
		return exitFailed
	}
	if *llm {
		if code := redraft(ctx, c, log, e, a, string(text)); code != exitOK {
			return code
		}
	}
	for _, n := range a.Notes {
		fmt.Fprintf(e.stderr, "briefbot draft: %s\n", n)
	}
	md := a.Markdown()
	if *out == "" {
		fmt.Fprint(e.stdout, md)
		return exitOK
	}
	file, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		fmt.Fprintf(e.stderr, "briefbot draft: %s already exists: choose another name, so that no curated text is lost\n", *out)
		return exitFailed
	}
	if err == nil {
		_, err = io.WriteString(file, md)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot draft: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "Wrote %s with %d sections. Curate it, then check it with: briefbot validate --source %s %s\n", *out, len(a.Sections), paths[0], *out)
	return exitOK
}
