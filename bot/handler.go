package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
)

// Handler answers a Request. Answer is synchronous: transports decide how to
// wait (Discord's adapter acknowledges slow answers itself).
type Handler interface {
	Answer(ctx context.Context, r *Request) (*Reply, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, r *Request) (*Reply, error)

// Answer calls f(ctx, r).
func (f HandlerFunc) Answer(ctx context.Context, r *Request) (*Reply, error) { return f(ctx, r) }

// Middleware wraps a Handler with behaviour of its own.
type Middleware func(Handler) Handler

// Recover turns a panic in the wrapped handler into an Internal error, logged
// with its stack, so that one bad request cannot take the bot down.
func Recover(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, r *Request) (reply *Reply, err error) {
			defer func() {
				if p := recover(); p != nil {
					log.Error("panic while answering", "command", r.Command, "kind", r.Kind, "panic", p, "stack", string(debug.Stack()))
					reply, err = nil, fmt.Errorf("panic: %v", p)
				}
			}()
			return next.Answer(ctx, r)
		})
	}
}

// OptionType is the type of a command option's value.
type OptionType int

const (
	OptionString OptionType = iota
	OptionBool
	OptionInteger
	OptionChannel
	OptionSubcommand
	OptionRole // a server role; the request's Roles tell of it
)

// CommandType says how a reader starts a command.
type CommandType int

const (
	// ChatCommand is typed: a slash command, or a name in the text
	// grammar.
	ChatCommand CommandType = iota
	// MessageCommand is picked from a message's menu (Discord's Apps
	// menu): its request carries the message's text in Request.Target. It
	// has a name of up to 32 characters, which may hold spaces and
	// capitals, and no description or options.
	MessageCommand
)

// Command describes a command for transports that register commands ahead
// of time, as Discord does.
type Command struct {
	Type        CommandType // the zero type is a ChatCommand
	Name        string
	Description string
	Options     []CommandOption
	// Private commands answer only the reader who asked, always: a
	// transport that must acknowledge one before its answer is ready does
	// so privately too.
	Private bool
	// Permissions, when set, are required of members in a server by default;
	// server admins can change that in their settings. The handler checks
	// them again, since the default can be lifted.
	Permissions Permissions
	// Help gives the command's line in /help for readers where src says,
	// or "" to leave it out there. Without it, /help shows the command
	// with its description. The library's sections, /help and /about have
	// their own place there and need none.
	Help func(src Source) string `json:"-"`
	// Group is where /help lists the command: with the reading commands,
	// the asking ones (the default) or the digests.
	Group HelpGroup
}

// HelpGroup is a heading of /help.
type HelpGroup string

// The headings of /help, in their order. The library's sections and
// /about are read; a command that names no group is listed with ask.
const (
	GroupRead    HelpGroup = "read"
	GroupAsk     HelpGroup = "ask"
	GroupDigests HelpGroup = "digests"
)

// CommandOption describes one option of a Command (or a subcommand, whose
// own options are in Options).
type CommandOption struct {
	Name         string
	Description  string
	Type         OptionType
	Required     bool
	Choices      []Choice
	Autocomplete bool
	MaxLength    int
	Options      []CommandOption
}

// route is one command known to a Mux.
type route struct {
	spec    Command
	handler Handler
}

// Mux routes requests to handlers: commands by name, components by the
// action in their custom id, text through a text handler. It is built once
// at start and then only read.
type Mux struct {
	routes     map[string]*route
	order      []string
	components map[string]Handler
	text       Handler
	chain      Handler // route wrapped in the middleware
}

// NewMux returns an empty Mux.
func NewMux() *Mux {
	m := &Mux{routes: make(map[string]*route), components: make(map[string]Handler)}
	m.chain = HandlerFunc(m.route)
	return m
}

// Handle registers h for the command described by spec. Registering a name
// twice replaces the first; the order of first registration is kept.
func (m *Mux) Handle(spec Command, h Handler) {
	if _, ok := m.routes[spec.Name]; !ok {
		m.order = append(m.order, spec.Name)
	}
	m.routes[spec.Name] = &route{spec: spec, handler: h}
}

// Subcommand is one subcommand of a command, and the handler that answers
// it.
type Subcommand struct {
	Name        string
	Description string
	Options     []CommandOption
	Handler     Handler
}

// HandleGroup registers a command with subcommands: spec describes the
// command (its Options become the subcommands), and each request is
// answered by the handler of the subcommand it names. A request that names
// none is told which there are; one that names a subcommand the command
// does not have is refused before any handler sees it. mw wraps the whole
// group, the first outermost: it sees every request for the command, its
// autocompletes too, before the subcommand is looked up.
func (m *Mux) HandleGroup(spec Command, subs []Subcommand, mw ...Middleware) {
	spec.Options = nil
	byName := make(map[string]Handler, len(subs))
	names := make([]string, 0, len(subs))
	for _, sub := range subs {
		spec.Options = append(spec.Options, CommandOption{Name: sub.Name, Description: sub.Description, Type: OptionSubcommand, Options: sub.Options})
		byName[sub.Name] = sub.Handler
		names = append(names, sub.Name)
	}
	var h Handler = HandlerFunc(func(ctx context.Context, r *Request) (*Reply, error) {
		if sub, ok := byName[r.Subcommand]; ok {
			return sub.Answer(ctx, r)
		}
		return nil, Errorf(Invalid, "Say what to do: /%s %s.", r.Command, orList(names))
	})
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	m.Handle(spec, h)
}

// orList joins words as a person lists choices: "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// HandleComponent registers h for components whose custom id has action,
// and for submitted modals whose ID has it.
func (m *Mux) HandleComponent(action string, h Handler) { m.components[action] = h }

// HandlesComponent reports whether a handler is registered for action.
func (m *Mux) HandlesComponent(action string) bool {
	_, ok := m.components[action]
	return ok
}

// HandleText registers h for KindText requests.
func (m *Mux) HandleText(h Handler) { m.text = h }

// Use wraps every handler in mw, the first outermost. A later call wraps
// what earlier calls added. Call Use before the Mux answers requests.
func (m *Mux) Use(mw ...Middleware) {
	for i := len(mw) - 1; i >= 0; i-- {
		m.chain = mw[i](m.chain)
	}
}

// Commands returns the registered commands, in registration order.
func (m *Mux) Commands() []Command {
	out := make([]Command, len(m.order))
	for i, name := range m.order {
		out[i] = m.routes[name].spec
	}
	return out
}

// Has reports whether a command is registered under name.
func (m *Mux) Has(name string) bool {
	_, ok := m.routes[name]
	return ok
}

// Answer routes r to its handler, through the middleware.
func (m *Mux) Answer(ctx context.Context, r *Request) (*Reply, error) {
	return m.chain.Answer(ctx, r)
}

func (m *Mux) route(ctx context.Context, r *Request) (*Reply, error) {
	switch r.Kind {
	case KindCommand, KindAutocomplete:
		if rt, ok := m.routes[r.Command]; ok {
			if err := rt.checkOptions(r); err != nil {
				return nil, err
			}
			return rt.handler.Answer(ctx, r)
		}
		return nil, Errorf(NotFound, "I don't have a /%s command any more. Type /help to see what you can ask.", Clip(r.Command, 40))
	case KindComponent, KindModalSubmit:
		c, err := ParseComponentID(r.CustomID)
		if err != nil {
			return nil, err
		}
		if h, ok := m.components[c.Action]; ok {
			return h.Answer(ctx, r)
		}
		return nil, errExpired
	case KindText:
		if m.text != nil {
			return m.text.Answer(ctx, r)
		}
	}
	return nil, fmt.Errorf("no handler for request kind %d", r.Kind)
}

// checkOptions refuses options the command does not have, saying which it
// has: a typo in typed text, or a value left from an older registration.
func (rt *route) checkOptions(r *Request) error {
	opts := rt.spec.Options
	label := "/" + rt.spec.Name
	if r.Subcommand != "" {
		sub := findOption(opts, r.Subcommand)
		if sub == nil || sub.Type != OptionSubcommand {
			return Errorf(NotFound, "%s has no %q. Type /help to see what you can ask.", label, Clip(r.Subcommand, 40))
		}
		opts, label = sub.Options, label+" "+sub.Name
	}
	for key := range r.Options {
		if o := findOption(opts, key); o != nil && o.Type != OptionSubcommand {
			continue
		}
		if len(opts) == 0 {
			return Errorf(Invalid, "%s takes no options, so %q is not one.", label, Clip(key, 40))
		}
		names := make([]string, 0, len(opts))
		for _, o := range opts {
			names = append(names, o.Name)
		}
		return Errorf(Invalid, "%s has no option %q. Its options are: %s.", label, Clip(key, 40), strings.Join(names, ", "))
	}
	return nil
}

func findOption(opts []CommandOption, name string) *CommandOption {
	for i := range opts {
		if opts[i].Name == name {
			return &opts[i]
		}
	}
	return nil
}
