package bot

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// Discord's limits on what one message may hold. Replies from the core stay
// within them whatever the transport, so a reply that fits here fits
// everywhere. Lengths are counted by Len.
const (
	MaxContent          = 2000 // message content
	MaxEmbedTitle       = 256
	MaxEmbedDescription = 4096
	MaxEmbedFields      = 25
	MaxFieldName        = 256
	MaxFieldValue       = 1024
	MaxFooter           = 2048
	MaxEmbedTotal       = 6000 // title, description, field names and values, footer, over all embeds
	MaxEmbeds           = 10
	MaxCustomID         = 100
	MaxButtonLabel      = 80
	MaxMenuOptions      = 25
	MaxMenuOptionLabel  = 100
	MaxMenuOptionDesc   = 100
	MaxChoices          = 25 // autocomplete choices and static option choices
	MaxCommandName      = 32
	MaxDescription      = 100 // command and option descriptions
	MaxCommandOptions   = 25
	MaxComponentRows    = 5
	MaxButtonsPerRow    = 5
	MaxModalTitle       = 45
	MaxModalFields      = 5
	MaxTextFieldLabel   = 45
	MaxTextFieldValue   = 4000
)

// Len is the length of s as Discord's limits count it. Discord clients count
// UTF-16 code units; that is never less than the number of code points, so a
// text within the limits by Len is within them by either count.
func Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Check reports the first way r breaks Discord's limits, or nil. Every reply
// the core builds passes; transports may check replies from elsewhere.
func (r *Reply) Check() error {
	if n := Len(r.Content); n > MaxContent {
		return fmt.Errorf("content is %d characters, over %d", n, MaxContent)
	}
	if n := Len(r.Title); n > MaxEmbedTitle {
		return fmt.Errorf("title is %d characters, over %d", n, MaxEmbedTitle)
	}
	if r.TitleURL != "" && !strings.HasPrefix(r.TitleURL, "https://") && !strings.HasPrefix(r.TitleURL, "http://") {
		return fmt.Errorf("title URL %q is not an http(s) address", r.TitleURL)
	}
	if r.TitleURL != "" && r.Title == "" {
		return fmt.Errorf("a title URL with no title to link")
	}
	if n := Len(r.Body); n > MaxEmbedDescription {
		return fmt.Errorf("body is %d characters, over %d", n, MaxEmbedDescription)
	}
	if len(r.Fields) > MaxEmbedFields {
		return fmt.Errorf("%d fields, over %d", len(r.Fields), MaxEmbedFields)
	}
	total := Len(r.Title) + Len(r.Body) + Len(r.Footer)
	for _, f := range r.Fields {
		if n := Len(f.Name); n > MaxFieldName || n == 0 {
			return fmt.Errorf("field name %q is %d characters, not 1–%d", f.Name, n, MaxFieldName)
		}
		if n := Len(f.Value); n > MaxFieldValue || n == 0 {
			return fmt.Errorf("field %q value is %d characters, not 1–%d", f.Name, n, MaxFieldValue)
		}
		total += Len(f.Name) + Len(f.Value)
	}
	if n := Len(r.Footer); n > MaxFooter {
		return fmt.Errorf("footer is %d characters, over %d", n, MaxFooter)
	}
	if total > MaxEmbedTotal {
		return fmt.Errorf("embed is %d characters in all, over %d", total, MaxEmbedTotal)
	}
	rows := len(r.Buttons)
	if r.Menu != nil {
		rows++
	}
	if rows > MaxComponentRows {
		return fmt.Errorf("%d component rows, over %d", rows, MaxComponentRows)
	}
	for _, row := range r.Buttons {
		if len(row) == 0 || len(row) > MaxButtonsPerRow {
			return fmt.Errorf("a row of %d buttons, not 1–%d", len(row), MaxButtonsPerRow)
		}
		for _, b := range row {
			if n := Len(b.Label); n == 0 || n > MaxButtonLabel {
				return fmt.Errorf("button label %q is %d characters, not 1–%d", b.Label, n, MaxButtonLabel)
			}
			if n := len(b.ID); n == 0 || n > MaxCustomID {
				return fmt.Errorf("button %q custom id is %d bytes, not 1–%d", b.Label, n, MaxCustomID)
			}
		}
	}
	if m := r.Menu; m != nil {
		if n := len(m.ID); n == 0 || n > MaxCustomID {
			return fmt.Errorf("menu custom id is %d bytes, not 1–%d", n, MaxCustomID)
		}
		if len(m.Options) == 0 || len(m.Options) > MaxMenuOptions {
			return fmt.Errorf("menu has %d options, not 1–%d", len(m.Options), MaxMenuOptions)
		}
		for _, o := range m.Options {
			if n := Len(o.Label); n == 0 || n > MaxMenuOptionLabel {
				return fmt.Errorf("menu option label %q is %d characters, not 1–%d", o.Label, n, MaxMenuOptionLabel)
			}
			if n := Len(o.Value); n == 0 || n > MaxMenuOptionLabel {
				return fmt.Errorf("menu option value %q is %d characters, not 1–%d", o.Value, n, MaxMenuOptionLabel)
			}
			if n := Len(o.Description); n > MaxMenuOptionDesc {
				return fmt.Errorf("menu option description is %d characters, over %d", n, MaxMenuOptionDesc)
			}
		}
	}
	if len(r.Choices) > MaxChoices {
		return fmt.Errorf("%d choices, over %d", len(r.Choices), MaxChoices)
	}
	for _, c := range r.Choices {
		if n := Len(c.Name); n == 0 || n > MaxDescription {
			return fmt.Errorf("choice name %q is %d characters, not 1–%d", c.Name, n, MaxDescription)
		}
	}
	if m := r.Modal; m != nil {
		return m.check()
	}
	if r.Content == "" && r.Title == "" && r.Body == "" && len(r.Fields) == 0 && r.Choices == nil {
		return fmt.Errorf("reply is empty")
	}
	return nil
}

func (m *Modal) check() error {
	if n := len(m.ID); n == 0 || n > MaxCustomID {
		return fmt.Errorf("modal custom id is %d bytes, not 1–%d", n, MaxCustomID)
	}
	if n := Len(m.Title); n == 0 || n > MaxModalTitle {
		return fmt.Errorf("modal title %q is %d characters, not 1–%d", m.Title, n, MaxModalTitle)
	}
	if len(m.Fields) == 0 || len(m.Fields) > MaxModalFields {
		return fmt.Errorf("modal has %d fields, not 1–%d", len(m.Fields), MaxModalFields)
	}
	for _, f := range m.Fields {
		if n := len(f.ID); n == 0 || n > MaxCustomID {
			return fmt.Errorf("modal field %q id is %d bytes, not 1–%d", f.Label, n, MaxCustomID)
		}
		if n := Len(f.Label); n == 0 || n > MaxTextFieldLabel {
			return fmt.Errorf("modal field label %q is %d characters, not 1–%d", f.Label, n, MaxTextFieldLabel)
		}
		if f.MaxLength < 0 || f.MaxLength > MaxTextFieldValue {
			return fmt.Errorf("modal field %q takes %d characters, not 0–%d", f.Label, f.MaxLength, MaxTextFieldValue)
		}
	}
	return nil
}
