package bot

import (
	"strconv"
	"strings"
)

// ComponentID is the state a button or menu carries in its Discord
// custom_id: which article and section, which page, and how it was asked
// for. The core owns the encoding; transports pass it through untouched.
//
// Encoded form: "v1:<action>:<article>:<section>:<page>[:<style>:<language>]".
// Article ids and section names follow the command-name rules (≤ 32
// characters of a-z, 0-9, '-', '_'), so the encoding never needs escaping
// and stays within Discord's 100 characters.
type ComponentID struct {
	Action   string // ActionPage, ActionSection, ActionPick, or their digest forms
	Article  string
	Section  string // empty for ActionPick: the section comes from the menu value
	Page     int    // zero-based
	Style    string
	Language string
}

// Component actions.
const (
	ActionPage    = "page" // Previous/Next: show Page of Section
	ActionSection = "sec"  // a related-section button
	ActionPick    = "pick" // the section menu
	// On a digest, which a whole channel shares, a click opens the section
	// in a message of its own for whoever clicked, instead of turning the
	// digest itself into that section.
	ActionDigestSection = "dsec"  // a digest's button
	ActionDigestPick    = "dpick" // a digest's section menu
	// A rephrased answer's "Report a problem" button, and the modal it
	// opens: Page, Style and Language say which rephrasing was shown.
	ActionReport       = "rep"
	ActionReportSubmit = "repsub"
)

const componentVersion = "v1"

// Encode returns the custom_id for c.
func (c ComponentID) Encode() string {
	var b strings.Builder
	b.Grow(64)
	b.WriteString(componentVersion)
	b.WriteByte(':')
	b.WriteString(c.Action)
	b.WriteByte(':')
	b.WriteString(c.Article)
	b.WriteByte(':')
	b.WriteString(c.Section)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(c.Page))
	if c.Style != "" || c.Language != "" {
		b.WriteByte(':')
		b.WriteString(c.Style)
		b.WriteByte(':')
		b.WriteString(c.Language)
	}
	return b.String()
}

// errExpired is what a person sees after clicking a button the bot can no
// longer follow: from an older version, or for content that has changed.
var errExpired = Errorf(Expired, "This button has expired. Ask again with /help to see what you can read.")

// ParseComponentID decodes a custom_id made by Encode. Anything else — an
// older version, a foreign id, a malformed one — is an Expired error.
func ParseComponentID(id string) (ComponentID, error) {
	if len(id) > MaxCustomID {
		return ComponentID{}, errExpired
	}
	parts := strings.Split(id, ":")
	if (len(parts) != 5 && len(parts) != 7) || parts[0] != componentVersion {
		return ComponentID{}, errExpired
	}
	c := ComponentID{Action: parts[1], Article: parts[2], Section: parts[3]}
	switch c.Action {
	case ActionPage, ActionSection, ActionPick, ActionDigestSection, ActionDigestPick, ActionReport, ActionReportSubmit:
	default:
		return ComponentID{}, errExpired
	}
	page, err := strconv.Atoi(parts[4])
	if err != nil || page < 0 || page >= MaxPages {
		return ComponentID{}, errExpired
	}
	c.Page = page
	if len(parts) == 7 {
		c.Style, c.Language = parts[5], parts[6]
	}
	if !ValidName(c.Article) || (c.Section != "" && !ValidName(c.Section)) {
		return ComponentID{}, errExpired
	}
	return c, nil
}
