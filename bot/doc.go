// Package bot is briefbot's core: it answers a Request with a Reply.
//
// The core holds the vocabulary every feature shares: requests and
// replies, the Handler and Mux that route commands (and their
// subcommands), buttons and typed text, errors with a kind, the curated
// articles and the section, help and about commands over them, component
// ids, paging, Discord's limits, the text grammar, languages and styles,
// and the Clock. It knows nothing of Discord, SQL or any language model,
// nor of its features: bot/digest and bot/rewrite build on it, the
// transports (bot/discord, bot/console) carry its requests and replies,
// and only cmd/briefbot knows them all.
package bot
