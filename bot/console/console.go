// Package console is briefbot's local transport: a read-eval-print loop over
// an io.Reader and io.Writer, and the one-shot `briefbot ask`. It speaks the
// same text grammar as direct messages and renders replies for a terminal:
// Markdown as bold and italics (or plain text when the output is not a
// terminal), wrapped to its width.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/briefbot/briefbot/bot"
)

// MaxLine is the longest line the console reads; a longer one is refused
// and skipped.
const MaxLine = 1 << 20

// Console is a conversation with the bot over text streams.
type Console struct {
	Bot    bot.Handler
	In     io.Reader
	Out    io.Writer
	Err    io.Writer    // where error messages go; Out when nil
	Log    *slog.Logger // logs internal errors; nil for none
	User   bot.User     // who is typing
	Prompt string       // shown before each line; empty for none
	Echo   bool         // repeat each input line after the prompt, for transcripts of piped input
	// Format is how replies are written: the width to wrap at, and
	// whether to style them for a terminal.
	Format Format
	// Interrupt gets a value for each Ctrl-C. At the prompt one ends Run;
	// while an answer is being made (a rephrasing) it cancels that answer,
	// and the next leaves. Nil: Ctrl-C is the caller's.
	Interrupt <-chan struct{}
}

// line is one line read, or why there is none.
type line struct {
	text    string
	tooLong bool
	err     error // io.EOF at the end
}

// Run answers lines until the input ends, the user types quit or exit,
// presses Ctrl-C at the prompt, or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan line)
	done := make(chan struct{})
	defer close(done)
	go c.read(lines, done)
	var last *bot.Reply
	for {
		if c.Prompt != "" {
			fmt.Fprint(c.Out, c.Prompt)
		}
		var l line
		select {
		case <-ctx.Done():
			return nil
		case <-c.Interrupt:
			fmt.Fprintln(c.Out)
			return nil
		case l = <-lines:
		}
		if l.err != nil {
			if c.Prompt != "" {
				fmt.Fprintln(c.Out)
			}
			if errors.Is(l.err, io.EOF) {
				return nil
			}
			return l.err
		}
		if l.tooLong {
			if c.Echo {
				fmt.Fprintln(c.Out, "…")
			}
			fmt.Fprintf(c.errOut(), "That line is longer than %d MiB, so I skipped it. Ask in a few words, or type help.\n\n", MaxLine>>20)
			continue
		}
		text := strings.TrimSpace(l.text)
		if c.Echo {
			fmt.Fprintln(c.Out, text)
		}
		switch strings.ToLower(text) {
		case "quit", "exit", "/quit", "/exit":
			return nil
		case "":
			continue
		}
		req := c.request(text, last)
		if req.Kind == bot.KindText && turnsPage(req.Text) {
			fmt.Fprintln(c.Out, "There is no other page to turn to here. Type help to see what you can read.")
			fmt.Fprintln(c.Out)
			continue
		}
		actx, stop := c.interruptible(ctx)
		reply, err := c.Bot.Answer(actx, req)
		if err == nil {
			reply = c.show(actx, reply)
		} else if actx.Err() == nil || ctx.Err() != nil {
			c.fail(req, err)
		}
		if stop() {
			fmt.Fprintln(c.Out, "Stopped. Press Ctrl-C again to leave.")
		}
		fmt.Fprintln(c.Out)
		if err == nil && (reply.Buttons != nil || reply.Menu != nil) {
			last = reply
		}
	}
}

// read sends the lines of c.In to lines until it ends or done is closed.
func (c *Console) read(lines chan<- line, done <-chan struct{}) {
	in := bufio.NewReaderSize(c.In, 64*1024)
	for {
		l := readLine(in)
		select {
		case lines <- l:
		case <-done:
			return
		}
		if l.err != nil {
			return
		}
	}
}

// readLine reads one line of at most MaxLine bytes; of a longer one, it
// reads the rest and reports it too long.
func readLine(in *bufio.Reader) line {
	var buf []byte
	tooLong := false
	for {
		chunk, err := in.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLine {
			tooLong, buf = true, nil
		} else if !tooLong {
			buf = append(buf, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil && (len(buf) > 0 || tooLong): // a last line without a newline
			return line{text: strings.TrimRight(string(buf), "\r\n"), tooLong: tooLong}
		case err != nil:
			return line{err: err}
		}
		return line{text: strings.TrimRight(string(buf), "\r\n"), tooLong: tooLong}
	}
}

// interruptible returns a context that a Ctrl-C cancels while an answer
// is made, and stop, which ends that and reports whether it happened.
func (c *Console) interruptible(ctx context.Context) (context.Context, func() bool) {
	if c.Interrupt == nil {
		return ctx, func() bool { return false }
	}
	actx, cancel := context.WithCancel(ctx)
	finished := make(chan struct{})
	interrupted := make(chan bool, 1)
	go func() {
		select {
		case <-c.Interrupt:
			cancel()
			interrupted <- true
		case <-finished:
			interrupted <- false
		}
	}()
	return actx, func() bool {
		close(finished)
		cancel()
		return <-interrupted
	}
}

// Ask answers one line, as `briefbot ask` does. The error, when there is
// one, has already been written to out in the words a user should see.
func (c *Console) Ask(ctx context.Context, line string) error {
	req := c.request(strings.TrimSpace(line), nil)
	reply, err := c.Bot.Answer(ctx, req)
	if err != nil {
		c.fail(req, err)
		return err
	}
	c.show(ctx, reply)
	return nil
}

// show renders a reply and, when a better one is coming (a rephrasing),
// waits for it and renders that too: in full if it is another text, or
// only its note if it is the same section again (a rephrasing that could
// not be had). It returns the reply shown last.
func (c *Console) show(ctx context.Context, reply *bot.Reply) *bot.Reply {
	c.Format.Render(c.Out, reply)
	if reply.Pending == nil {
		return reply
	}
	better, err := reply.Pending(ctx)
	if ctx.Err() != nil {
		return reply
	}
	if err != nil {
		c.fail(nil, err)
		return reply
	}
	fmt.Fprintln(c.Out)
	if better.Title == reply.Title && better.Body == reply.Body {
		if better.Content != "" && better.Content != reply.Content {
			c.Format.Render(c.Out, &bot.Reply{Content: better.Content})
		}
		return better
	}
	c.Format.Render(c.Out, better)
	return better
}

// pageWords are what a person types to turn a page.
var pageWords = map[string]string{"next": "next", "n": "next", "more": "next", "previous": "previous", "prev": "previous", "p": "previous", "back": "previous"}

func turnsPage(line string) bool { return pageWords[strings.ToLower(line)] != "" }

// words are the console's own commands, for "did you mean".
var words = []string{"quit", "exit", "next", "previous"}

// request turns a typed line into a request: a button press when the line
// names a button of the last reply ("next", "previous", or its label, in
// brackets or not), else text.
func (c *Console) request(line string, last *bot.Reply) *bot.Request {
	if l := strings.TrimSpace(line); strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
		line = strings.TrimSpace(l[1 : len(l)-1]) // a label typed as it is shown
	}
	r := &bot.Request{Kind: bot.KindText, Text: line, Source: bot.FromConsole, User: c.User, ChannelID: "console"}
	if last == nil {
		return r
	}
	want := label(line)
	if w := pageWords[want]; w != "" {
		want = w
	}
	for _, row := range last.Buttons {
		for _, b := range row {
			if label(b.Label) == want && !b.Disabled {
				r.Kind, r.Text, r.CustomID = bot.KindComponent, "", b.ID
				return r
			}
		}
	}
	return r
}

// label is a button label as it is compared with what was typed.
func label(s string) string { return strings.ToLower(strings.Trim(s, "◀▶ []")) }

// fail writes what went wrong in the words a user should see; an unknown
// word close to one of the console's own gets "did you mean" that.
func (c *Console) fail(req *bot.Request, err error) {
	if bot.KindOf(err) == bot.Internal && c.Log != nil {
		c.Log.Error("answering failed", "err", err)
	}
	msg := bot.UserMessage(err)
	if req != nil && req.Kind == bot.KindText && bot.KindOf(err) == bot.NotFound && !strings.Contains(msg, "Did you mean") {
		typed := strings.ToLower(strings.TrimSpace(req.Text))
		if !strings.ContainsAny(typed, " /") {
			if guess := bot.Suggest(typed, words); guess != "" {
				msg = fmt.Sprintf("There is no %s here. Did you mean %s? Type help to see everything you can ask.", typed, guess)
			}
		}
	}
	fmt.Fprintln(c.errOut(), c.Format.markdown(msg))
}

func (c *Console) errOut() io.Writer {
	if c.Err == nil {
		return c.Out
	}
	return c.Err
}
