package bot

import (
	"strconv"
	"strings"
)

// Source says where a request came from. Transports set it; the core uses it
// to word replies (a console has no buttons to click) and to check who may do
// what.
type Source int

const (
	FromConsole Source = iota // the local console or `briefbot ask`
	FromGuild                 // an interaction in a server
	FromDM                    // a direct message or an interaction in a DM
	FromDigest                // the digest scheduler
)

var sourceNames = [...]string{"console", "guild", "dm", "digest"}

func (s Source) String() string {
	if s >= 0 && int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// Kind says what a request asks for.
type Kind int

const (
	// KindCommand runs the command named in Request.Command with Options.
	KindCommand Kind = iota
	// KindComponent is a button click or menu choice: CustomID says which,
	// Values holds the chosen menu values.
	KindComponent
	// KindAutocomplete asks for choices for the option named in Focused,
	// whose partial value is in Options.
	KindAutocomplete
	// KindText is a line a person typed (a DM or the console) in the text
	// grammar: "energy", "/summary article:putin-maduro-2025", "help", or a
	// free question routed to the best-matching section.
	KindText
	// KindModalSubmit is a submitted Modal: CustomID is the modal's ID,
	// routed by its action as a click is, and Options hold the values of
	// its fields by their IDs.
	KindModalSubmit
)

// User is who asked.
type User struct {
	ID   string
	Name string
}

// Permissions is a set of server permissions, as Discord numbers them.
type Permissions uint64

// Server permissions, as Discord numbers them.
const (
	Administrator   Permissions = 1 << 3  // every permission, whatever else the member has
	ManageServer    Permissions = 1 << 5  // MANAGE_GUILD
	SendMessages    Permissions = 1 << 11 // SEND_MESSAGES
	MentionEveryone Permissions = 1 << 17 // MENTION_EVERYONE: ping @everyone, @here and every role
)

// Role is a server role that an option names, as the transport knows it.
type Role struct {
	ID   string
	Name string
	// Mentionable: anyone may ping the role, the bot included, whatever
	// its permissions.
	Mentionable bool
}

// Has reports whether every permission in want is in p. An Administrator
// has every permission.
func (p Permissions) Has(want Permissions) bool { return p&want == want || p&Administrator != 0 }

// Request is one question to the core. It says which command with which
// options, who asked, from where and in which locale. It is the same for
// every transport.
type Request struct {
	Kind       Kind
	Command    string            // command name, without the slash
	Subcommand string            // for commands with subcommands
	Options    map[string]string // option values as typed; see Option and Bool
	Focused    string            // KindAutocomplete: the option being typed
	CustomID   string            // KindComponent
	Values     []string          // KindComponent: chosen menu values
	Text       string            // KindText
	// Target is the text of the message a MessageCommand was used on: a
	// member's message, readable by the command whatever the bot may read
	// of the channel otherwise.
	Target string

	Source      Source
	User        User
	GuildID     string // empty outside a server
	ChannelID   string
	Locale      string      // the asker's locale, such as "es-ES"; may be empty
	Permissions Permissions // the asker's permissions in the channel (servers only)
	// AppPermissions are the bot's own permissions in the channel (servers
	// only; zero when the transport does not say).
	AppPermissions Permissions
	// Roles are the roles that the options name, by id, as the transport
	// resolved them; nil when there are none.
	Roles map[string]Role

	// Markup is how the transport shows moments and channels in replies;
	// nil is PlainMarkup. Read it with MarkupFor.
	Markup Markup
}

// Option returns the named option's value, with surrounding space removed.
func (r *Request) Option(name string) string {
	return strings.TrimSpace(r.Options[name])
}

// Bool returns the named option as a boolean. Absent is false; a value that
// is not a boolean is an Invalid error naming the option.
func (r *Request) Bool(name string) (bool, error) {
	v := r.Option(name)
	switch strings.ToLower(v) {
	case "", "false", "no", "off", "0":
		return false, nil
	case "true", "yes", "on", "1":
		return true, nil
	}
	return false, Errorf(Invalid, "The %s option takes true or false, not %q.", name, v)
}
