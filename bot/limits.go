package bot

import "unicode/utf16"

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
