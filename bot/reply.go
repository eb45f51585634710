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
