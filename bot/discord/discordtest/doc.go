// Package discordtest is a fake Discord for tests: the REST API and the
// gateway websocket on one local httptest listener, spoken in Discord's own
// wire format, so that a real *discordgo.Session can be driven end to end
// without a network.
//
// It is to Discord what net/http/httptest is to HTTP. A test starts a
// Server, points a session at it (Server.Session, or Server.HTTPClient for
// a session built elsewhere), dispatches gateway events such as slash
// commands, button clicks and messages, and then waits for and inspects
// what the bot sent back: interaction callbacks, edits, follow-ups and
// channel messages, with every REST request and gateway frame recorded in
// the order the fake saw them.
//
// The fake enforces the parts of Discord's contract that a bot gets wrong
// in production: the bot token, the three-second interaction window, the
// single acknowledgement per interaction, command and message limits,
// channel access, privileged intents, sequence numbers and RESUME, roles
// resolved in interactions, and crossposts in announcement channels. Faults
// can be injected on both sides: failing or held REST requests (429, 5xx),
// dropped gateway connections and close codes.
//
// A test of a slash command reads:
//
//	srv := discordtest.New(t)
//	s := srv.Session(srv.Token()) // or set Client: srv.HTTPClient() on your own
//	s.AddHandler(handler)
//	if err := s.Open(); err != nil {
//		t.Fatal(err)
//	}
//	in := srv.DispatchCommand(discordtest.Command{
//		Origin:  discordtest.Origin{GuildID: srv.Guild().ID},
//		Name:    "article",
//		Options: []discordtest.CommandOption{{Name: "title", Value: "gateway"}},
//	})
//	cb, err := srv.WaitCallback(ctx, in.ID) // the accepted callback
//	...
//	for _, r := range srv.InteractionRequests(in.ID) { /* every call, in order */ }
//
// Nothing in the fake sleeps or depends on timing: every wait takes a
// context, time is read from an injectable clock, and identifiers are
// deterministic snowflakes.
package discordtest
