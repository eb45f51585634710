package bot

import "context"

// Reply is the core's answer, typed so that each transport can render it in
// its own way: Discord as an embed with components, the console as text.
type Reply struct {
	// Content is a short line shown above the embed, e.g. which section a
	// free question was routed to. Optional.
	Content string

	Title string
	// TitleURL, when set, is where the title links to: the original
	// article. An absolute http(s) address.
	TitleURL string `json:",omitempty"`
	Body     string
	Fields   []Field
	Footer   string // where the answer came from

	// Buttons are rows of at most five buttons; Menu, when set, is shown
	// below them.
	Buttons [][]Button
	Menu    *Menu

	// Private replies are shown only to the person who asked.
	Private bool

	// Unanswered marks a reply that says the articles do not answer the
	// question asked, so that `briefbot ask` can say so by its exit
	// status.
	Unanswered bool `json:",omitempty"`

	// Choices answers an autocomplete request.
	Choices []Choice

	// Modal, when set, is the whole answer to a click: a form that opens
	// over the conversation. Submitting it sends a KindModalSubmit
	// request with the modal's ID and the fields' values. A transport
	// shows it only as the first answer to a click or command; the other
	// fields of the Reply are not shown with it.
	Modal *Modal `json:",omitempty"`

	// Pending, when set, is a better answer still being made — a
	// rephrasing. Transports show the reply at once, then call Pending and
	// put its reply in place of this one. It returns within the
	// rephrasing timeout.
	Pending func(ctx context.Context) (*Reply, error) `json:"-"`
}

// Field is a titled value shown beside or below the body.
type Field struct {
	Name   string
	Value  string
	Inline bool
}

// ButtonStyle is how prominently a button is drawn.
type ButtonStyle int

const (
	Secondary ButtonStyle = iota // grey: navigation
	Primary                      // the suggested next step
)

// Button is a clickable action. ID is a custom id from ComponentID.Encode.
type Button struct {
	Label    string
	ID       string
	Style    ButtonStyle
	Disabled bool
}

// Menu is a select menu. Choosing an option sends a KindComponent request
// with the menu's ID and the chosen option's Value.
type Menu struct {
	ID          string
	Placeholder string
	Options     []MenuOption
}

// MenuOption is one entry in a Menu.
type MenuOption struct {
	Label       string
	Value       string
	Description string
	Default     bool
}

// Choice is a name shown to the user and the value it stands for: an
// autocomplete suggestion or a fixed option choice.
type Choice struct {
	Name  string
	Value string
}

// Modal is a small form a click opens: a title and up to five text
// fields. ID is a custom id from ComponentID.Encode, so that its submission
// is routed like a click.
type Modal struct {
	ID     string
	Title  string
	Fields []TextField
}

// TextField is one field of a Modal. Its value comes back in the submit
// request's Options under ID.
type TextField struct {
	ID          string
	Label       string
	Placeholder string
	Required    bool
	MaxLength   int  // 0: Discord's limit
	Paragraph   bool // several lines rather than one
}
