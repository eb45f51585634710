package bot

import "time"

// Markup writes the things a transport shows in a way of its own, for the
// replies that name them: Discord shows a moment in each reader's own time
// zone with how far off it is, a channel as a link, a command as a mention
// the reader can click, and a role as its name; the console has only plain
// text. A transport sets Request.Markup; handlers write through MarkupFor.
type Markup interface {
	// Time is a moment, as every reader should read it.
	Time(t time.Time) string
	// Channel names the channel with the given id.
	Channel(id string) string
	// Command names a command, or a command and one of its subcommands
	// ("digest subscribe"), so that the reader can run it.
	Command(name string) string
	// Role names the server role with the given id, without pinging it.
	Role(id string) string
}

// MarkupFor returns the markup of the transport r came from: PlainMarkup
// if it set none.
func MarkupFor(r *Request) Markup {
	if r.Markup == nil {
		return PlainMarkup{}
	}
	return r.Markup
}

// PlainMarkup is markup as plain text, for a transport with none of its
// own: a moment in UTC, a channel and a role by their ids, a command as
// code.
type PlainMarkup struct{}

// Time is t in UTC, e.g. "Mon 2 Mar 2026 07:30 UTC".
func (PlainMarkup) Time(t time.Time) string { return t.UTC().Format("Mon 2 Jan 2006 15:04 MST") }

// Channel is "#" and the id.
func (PlainMarkup) Channel(id string) string { return "#" + id }

// Command is the command as typed, in code: "`/digest subscribe`".
func (PlainMarkup) Command(name string) string { return "`/" + name + "`" }

// Role is "@" and the id.
func (PlainMarkup) Role(id string) string { return "@" + id }
