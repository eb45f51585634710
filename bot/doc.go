// Package bot is briefbot's core: it answers a Request with a Reply.
//
// The core holds the curated articles and the commands over them, and knows
// nothing of Discord, SQL or any LLM API. Transports (the Discord gateway,
// the local console, the digest scheduler) build Requests and render Replies;
// stores and rephrasers are interfaces defined here and implemented in the
// subpackages named after their technology. Only cmd/briefbot knows them all.
package bot
