package bot

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// PageSize is how long one page of a section may be, counted by Len. It
// leaves room within Discord's 4096-character description and 6000-character
// embed for the title (≤ 256), the footer and the page count.
const PageSize = 3000

// MaxPages is the most pages a section may have. A body that would need more
// cannot be shown, and content validation says so.
const MaxPages = 25

// Paginate splits text into pages of at most size (by Len), preferring to
// break between paragraphs, then lines, then sentences, then words. Only
// whitespace at a break is dropped: the pages, read in order, hold all of
// the text. An empty or all-space text is one empty page.
func Paginate(text string, size int) []string {
	text = strings.TrimSpace(text)
	if size < 1 {
		size = 1
	}
	var pages []string
	for Len(text) > size {
		cut := breakBefore(text, size)
		pages = append(pages, strings.TrimRightFunc(text[:cut], unicode.IsSpace))
		text = strings.TrimLeftFunc(text[cut:], unicode.IsSpace)
	}
	return append(pages, text)
}

// breakBefore returns the byte offset at which to end a page of text, at
// most size units long, at the best break point in its second half.
func breakBefore(text string, size int) int {
	limit, n := 0, 0
	for limit < len(text) {
		r, w := utf8.DecodeRuneInString(text[limit:])
		units := utf16.RuneLen(r)
		if n+units > size {
			break
		}
		n += units
		limit += w
	}
	if limit == 0 { // a rune wider than a page: take it whole so paging moves on
		_, w := utf8.DecodeRuneInString(text)
		return w
	}
	window := text[:limit]
	floor := limit / 2
	for _, sep := range []string{"\n\n", "\n", ". ", "! ", "? ", " "} {
		if i := strings.LastIndex(window, sep); i > floor {
			return i + len(sep)
		}
	}
	return limit
}
