// Package console is briefbot's local transport: a read-eval-print loop over
// an io.Reader and io.Writer, and the one-shot `briefbot ask`. It speaks the
// same text grammar as direct messages and renders replies as plain text.
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
}

// Run answers lines until the input ends, the user types quit or exit, or
// ctx is done.
func (c *Console) Run(ctx context.Context) error {
	in := bufio.NewScanner(c.In)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	var last *bot.Reply
	for {
		if c.Prompt != "" {
			fmt.Fprint(c.Out, c.Prompt)
		}
		if !in.Scan() {
			if c.Prompt != "" {
				fmt.Fprintln(c.Out)
			}
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		if c.Echo {
			fmt.Fprintln(c.Out, line)
		}
		if ctx.Err() != nil {
			return nil
		}
		switch strings.ToLower(line) {
		case "quit", "exit", "/quit", "/exit":
			return nil
		case "":
			continue
		}
		req := c.request(line, last)
		if req.Kind == bot.KindText && turnsPage(line) {
			fmt.Fprintln(c.Out, "There is no other page to turn to here. Type help to see what you can read.")
			fmt.Fprintln(c.Out)
			continue
		}
		reply, err := c.Bot.Answer(ctx, req)
		if err != nil {
			c.fail(err)
			fmt.Fprintln(c.Out)
			continue
		}
		reply = c.show(ctx, reply)
		if reply.Buttons != nil || reply.Menu != nil {
			last = reply
		}
	}
}

// ErrUnanswered is what Ask returns when the answer says the articles do
// not answer the question (bot.Reply.Unanswered): the answer is shown.
var ErrUnanswered = errors.New("the articles do not answer the question")

// Ask answers one line, as `briefbot ask` does. The error, when there is
// one, has already been written to out in the words a user should see;
// ErrUnanswered follows an answer that says the articles do not say.
func (c *Console) Ask(ctx context.Context, line string) error {
	reply, err := c.Bot.Answer(ctx, c.request(strings.TrimSpace(line), nil))
	if err != nil {
		c.fail(err)
		return err
	}
	if c.show(ctx, reply).Unanswered {
		return ErrUnanswered
	}
	return nil
}

// show renders a reply and, when a better one is coming (a rephrasing),
// waits for it and renders that too. It returns the reply shown last.
func (c *Console) show(ctx context.Context, reply *bot.Reply) *bot.Reply {
	Render(c.Out, reply)
	fmt.Fprintln(c.Out)
	if reply.Pending == nil {
		return reply
	}
	better, err := reply.Pending(ctx)
	if err != nil {
		c.fail(err)
		return reply
	}
	Render(c.Out, better)
	fmt.Fprintln(c.Out)
	return better
}

// pageWords are what a person types to turn a page.
var pageWords = map[string]string{"next": "next", "n": "next", "more": "next", "previous": "previous", "prev": "previous", "p": "previous", "back": "previous"}

func turnsPage(line string) bool { return pageWords[strings.ToLower(line)] != "" }

// request turns a typed line into a request: a button press when the line
// names a button of the last reply ("next", "previous"), else text.
func (c *Console) request(line string, last *bot.Reply) *bot.Request {
	r := &bot.Request{Kind: bot.KindText, Text: line, Source: bot.FromConsole, User: c.User, ChannelID: "console"}
	if last == nil {
		return r
	}
	want := strings.ToLower(line)
	if w := pageWords[want]; w != "" {
		want = w
	}
	for _, row := range last.Buttons {
		for _, b := range row {
			label := strings.ToLower(strings.Trim(b.Label, "◀▶ "))
			if label == want && !b.Disabled {
				r.Kind, r.Text, r.CustomID = bot.KindComponent, "", b.ID
				return r
			}
		}
	}
	return r
}

func (c *Console) fail(err error) {
	if bot.KindOf(err) == bot.Internal && c.Log != nil {
		c.Log.Error("answering failed", "err", err)
	}
	w := c.Err
	if w == nil {
		w = c.Out
	}
	fmt.Fprintln(w, bot.UserMessage(err))
}

// Render writes r as readable terminal text: title, body, fields and
// footer, with buttons as [labels] and a menu as its choices.
func Render(w io.Writer, r *bot.Reply) {
	var b strings.Builder
	if r.Content != "" {
		b.WriteString(r.Content + "\n\n")
	}
	if r.Title != "" {
		b.WriteString("== " + r.Title + " ==\n\n")
	}
	if r.Body != "" {
		b.WriteString(r.Body + "\n")
	}
	if len(r.Fields) > 0 {
		b.WriteString("\n")
		for _, f := range r.Fields {
			b.WriteString(f.Name + ": " + f.Value + "\n")
		}
	}
	if r.Footer != "" {
		b.WriteString("\n— " + r.Footer + "\n")
	}
	for _, row := range r.Buttons {
		var labels []string
		for _, btn := range row {
			if !btn.Disabled {
				labels = append(labels, "["+btn.Label+"]")
			}
		}
		if len(labels) > 0 {
			b.WriteString(strings.Join(labels, " ") + "\n")
		}
	}
	if r.Menu != nil {
		names := make([]string, len(r.Menu.Options))
		for i, o := range r.Menu.Options {
			names[i] = "/" + o.Value
		}
		b.WriteString(strings.TrimRight(r.Menu.Placeholder, "…. ") + ": " + strings.Join(names, " ") + "\n")
	}
	for _, ch := range r.Choices {
		b.WriteString("- " + ch.Name + " (" + ch.Value + ")\n")
	}
	io.WriteString(w, b.String())
}
