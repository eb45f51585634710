package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"
)

func TestWrongTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	srv := New(t)
	s := srv.Session("wrong")
	_, err := s.User("@me")
	re := restError(t, err)
	if re.Response.StatusCode != http.StatusUnauthorized || string(re.ResponseBody) != `{"code":0,"message":"401: Unauthorized"}` {
		t.Errorf("got %d %s", re.Response.StatusCode, re.ResponseBody)
	}
	// The token can be changed under a running bot, as in the portal.
	good := srv.Session(srv.Token())
	if _, err := good.User("@me"); err != nil {
		t.Fatal(err)
	}
	srv.SetToken("rotated")
	if _, err := good.User("@me"); restError(t, err).Response.StatusCode != http.StatusUnauthorized {
		t.Errorf("old token still accepted")
	}
}

func TestIdentityEndpoints(t *testing.T) {
	t.Parallel()
	srv := New(t, WithRecommendedShards(3))
	s := srv.Session(srv.Token())
	me, err := s.User("@me")
	if err != nil || me.ID != srv.Bot().ID || !me.Bot {
		t.Errorf("users/@me = %+v, %v", me, err)
	}
	app, err := s.Application("@me")
	if err != nil || app.ID != srv.AppID() {
		t.Errorf("oauth2/applications/@me = %+v, %v", app, err)
	}
	gw, err := s.GatewayBot()
	if err != nil || gw.Shards != 3 || gw.URL != srv.GatewayURL()+"/" || gw.SessionStartLimit.MaxConcurrency != 1 || gw.SessionStartLimit.Remaining != 1000 {
		t.Errorf("gateway/bot = %+v, %v", gw, err)
	}
	var raw map[string]any
	body, err := s.Request("GET", discordgo.EndpointApplications+"/@me", nil)
	if err != nil || json.Unmarshal(body, &raw) != nil || raw["id"] != srv.AppID() {
		t.Errorf("applications/@me = %s, %v", body, err)
	}
	if _, err := s.Request("GET", discordgo.EndpointAPI+"nowhere", nil); restError(t, err).Response.StatusCode != http.StatusNotFound {
		t.Errorf("unknown route: %v", err)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	srv := New(t)
	resp, err := srv.HTTPClient().Do(authed(t, srv, "GET", "https://discord.com/api/v9/users/@me"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, h := range []string{"X-RateLimit-Bucket", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s", h)
		}
	}
	if _, err := srv.HTTPClient().Get("https://example.com/"); err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("non-Discord host: %v", err)
	}
}

func authed(t *testing.T, srv *Server, method, url string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "Bot "+srv.Token())
	return r
}

func TestBulkOverwriteCommands(t *testing.T) {
	t.Parallel()
	srv := New(t)
	s := srv.Session(srv.Token())
	perm := int64(discordgo.PermissionManageGuild)
	cmds := []*discordgo.ApplicationCommand{
		{Name: "article", Description: "Show an article", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "title", Description: "Which one", Required: true, Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionString, Name: "section", Description: "Which part"},
		}},
		{Name: "subscribe", Description: "Get a digest", DefaultMemberPermissions: &perm},
	}
	got, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", cmds)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID == "" || got[0].Version == "" || got[0].ApplicationID != srv.AppID() || got[0].Type != discordgo.ChatApplicationCommand {
		t.Fatalf("overwrite answered %+v", got)
	}
	if got[1].DefaultMemberPermissions == nil || *got[1].DefaultMemberPermissions != perm {
		t.Errorf("default_member_permissions = %v", got[1].DefaultMemberPermissions)
	}

	// Same names keep their IDs; only a changed command gets a new version.
	cmds[1].Description = "Get a weekly digest"
	again, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", cmds)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].ID != got[0].ID || again[0].Version != got[0].Version {
		t.Errorf("unchanged command: %s/%s → %s/%s", got[0].ID, got[0].Version, again[0].ID, again[0].Version)
	}
	if again[1].ID != got[1].ID || again[1].Version == got[1].Version {
		t.Errorf("changed command: %s/%s → %s/%s", got[1].ID, got[1].Version, again[1].ID, again[1].Version)
	}
	list, err := s.ApplicationCommands(srv.AppID(), "")
	if err != nil || len(list) != 2 || list[1].Description != "Get a weekly digest" {
		t.Errorf("list = %+v, %v", list, err)
	}

	// Guild commands are separate; a dispatched command carries its ID.
	g, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), srv.Guild().ID, cmds[:1])
	if err != nil || len(g) != 1 || g[0].GuildID != srv.Guild().ID || g[0].ID == got[0].ID {
		t.Fatalf("guild overwrite = %+v, %v", g, err)
	}
	if len(srv.Commands("")) != 2 || len(srv.Commands(srv.Guild().ID)) != 1 {
		t.Errorf("stored %d global, %d guild", len(srv.Commands("")), len(srv.Commands(srv.Guild().ID)))
	}
	if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", nil); err != nil {
		t.Errorf("clearing: %v", err)
	}
	if n := len(srv.Commands("")); n != 0 {
		t.Errorf("%d global commands after clearing", n)
	}
	if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), srv.NewID(), cmds); restError(t, err).Response.StatusCode != http.StatusForbidden {
		t.Errorf("unknown guild: %v", err)
	}
}

func TestCommandValidation(t *testing.T) {
	t.Parallel()
	opt := func(name string, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: "d", Required: required}
	}
	many := func(n int) []*discordgo.ApplicationCommandOption {
		var out []*discordgo.ApplicationCommandOption
		for i := range n {
			out = append(out, opt("o"+strings.Repeat("x", i), false))
		}
		return out
	}
	choices := func(n int) []*discordgo.ApplicationCommandOptionChoice {
		var out []*discordgo.ApplicationCommandOptionChoice
		for range n {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: "c", Value: "v"})
		}
		return out
	}
	tests := []struct {
		name string
		cmd  *discordgo.ApplicationCommand
		want string // the error path, dotted
	}{
		{"uppercase name", &discordgo.ApplicationCommand{Name: "Article", Description: "d"}, "0.name"},
		{"space in name", &discordgo.ApplicationCommand{Name: "my article", Description: "d"}, "0.name"},
		{"name of 33", &discordgo.ApplicationCommand{Name: strings.Repeat("a", 33), Description: "d"}, "0.name"},
		{"no description", &discordgo.ApplicationCommand{Name: "a"}, "0.description"},
		{"description of 101", &discordgo.ApplicationCommand{Name: "a", Description: strings.Repeat("d", 101)}, "0.description"},
		{"26 options", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: many(26)}, "0.options"},
		{"26 choices", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "o", Description: "d", Choices: choices(26)}}}, "0.options.0.choices"},
		{"required after optional", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			opt("first", false), opt("second", true)}}, "0.options"},
		{"option uppercase", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			opt("Title", true)}}, "0.options.0.name"},
		{"option without description", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "o"}}}, "0.options.0.description"},
		{"autocomplete with choices", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "o", Description: "d", Autocomplete: true, Choices: choices(1)}}}, "0.options.0.autocomplete"},
		{"subcommand mixed with options", &discordgo.ApplicationCommand{Name: "a", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "sub", Description: "d"}, opt("o", false)}}, "0.options"},
		{"context menu with description", &discordgo.ApplicationCommand{Name: "Save", Type: discordgo.MessageApplicationCommand, Description: "d"}, "0.description"},
	}
	srv := New(t)
	s := srv.Session(srv.Token())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", []*discordgo.ApplicationCommand{tt.cmd})
			re := restError(t, err)
			if re.Response.StatusCode != http.StatusBadRequest || re.Message.Code != discordgo.ErrCodeInvalidFormBody {
				t.Fatalf("got %d %s", re.Response.StatusCode, re.ResponseBody)
			}
			var body struct{ Errors map[string]any }
			json.Unmarshal(re.ResponseBody, &body)
			if !hasErrorAt(body.Errors, strings.Split(tt.want, ".")) {
				t.Errorf("no error at %s in %s", tt.want, re.ResponseBody)
			}
		})
	}
	if n := len(srv.Commands("")); n != 0 {
		t.Errorf("invalid overwrites stored %d commands", n)
	}
	dup := []*discordgo.ApplicationCommand{{Name: "a", Description: "d"}, {Name: "a", Description: "e"}}
	if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", dup); restError(t, err).Response.StatusCode != http.StatusBadRequest {
		t.Errorf("duplicate names: %v", err)
	}
	ok := []*discordgo.ApplicationCommand{{Name: "résumé", Description: "d"}, {Name: "Save article", Type: discordgo.MessageApplicationCommand}}
	if _, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", ok); err != nil {
		t.Errorf("valid commands refused: %v", err)
	}
}

func hasErrorAt(tree map[string]any, path []string) bool {
	node := tree
	for _, p := range path {
		next, ok := node[p].(map[string]any)
		if !ok {
			return false
		}
		node = next
	}
	_, ok := node["_errors"]
	return ok
}

// messageWithNonce adds the nonce fields discordgo v0.29.0's MessageSend
// lacks.
type messageWithNonce struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

func sendWithNonce(s *discordgo.Session, channelID string, m *discordgo.MessageSend, nonce string, enforce bool) (*discordgo.Message, error) {
	endpoint := discordgo.EndpointChannelMessages(channelID)
	body, err := s.RequestWithBucketID("POST", endpoint, messageWithNonce{m, nonce, enforce}, endpoint)
	if err != nil {
		return nil, err
	}
	var msg discordgo.Message
	return &msg, json.Unmarshal(body, &msg)
}

func TestNonceDeduplication(t *testing.T) {
	t.Parallel()
	clock := clocktest.New(snowflakeTime("0").AddDate(10, 0, 0))
	srv := New(t, WithClock(clock.Now))
	s := srv.Session(srv.Token())
	ch := srv.Channel().ID
	send := func(nonce string, enforce bool) string {
		t.Helper()
		m, err := sendWithNonce(s, ch, &discordgo.MessageSend{Content: "digest", AllowedMentions: noMentions()}, nonce, enforce)
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	first := send("digest-2025-01-06", true)
	if again := send("digest-2025-01-06", true); again != first {
		t.Errorf("enforced nonce created a second message %s", again)
	}
	if n := len(srv.Messages(ch)); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
	if other := send("digest-2025-01-13", true); other == first {
		t.Error("another nonce returned the first message")
	}
	if loose := send("digest-2025-01-06", false); loose == first {
		t.Error("without enforce_nonce the nonce deduplicated")
	}
	clock.Advance(DefaultNonceWindow + 1)
	if late := send("digest-2025-01-06", true); late == first {
		t.Error("nonce remembered past its window")
	}
	var nonced struct {
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}
	json.Unmarshal(srv.Requests()[0].Body, &nonced)
	if nonced.Nonce != "digest-2025-01-06" || !nonced.EnforceNonce {
		t.Errorf("sent %s", srv.Requests()[0].Body)
	}
	if _, err := sendWithNonce(s, ch, &discordgo.MessageSend{Content: "x"}, strings.Repeat("n", 26), true); restError(t, err).Response.StatusCode != http.StatusBadRequest {
		t.Errorf("nonce of 26: %v", err)
	}
}

func TestChannelErrors(t *testing.T) {
	t.Parallel()
	srv := New(t)
	s := srv.Session(srv.Token())
	hidden := srv.AddChannel(Channel{GuildID: srv.Guild().ID, Access: AccessNone})
	readonly := srv.AddChannel(Channel{GuildID: srv.Guild().ID, Access: AccessNoSend})
	closed := srv.AddUser(User{Username: "private", DMsClosed: true})
	otherBot := srv.AddUser(User{Username: "otherbot", Bot: true})
	tests := []struct {
		name      string
		channel   string
		getStatus int
		getCode   int
		status    int
		code      int
	}{
		{"unknown", srv.NewID(), 404, discordgo.ErrCodeUnknownChannel, 404, discordgo.ErrCodeUnknownChannel},
		{"no access", hidden.ID, 403, discordgo.ErrCodeMissingAccess, 403, discordgo.ErrCodeMissingAccess},
		{"no send permission", readonly.ID, 200, 0, 403, discordgo.ErrCodeMissingPermissions},
		{"DMs closed", srv.DMChannel(closed.ID), 200, 0, 403, discordgo.ErrCodeCannotSendMessagesToThisUser},
		{"DM to a bot", srv.DMChannel(otherBot.ID), 200, 0, 403, discordgo.ErrCodeCannotSendMessagesToThisUser},
		{"ok", srv.Channel().ID, 200, 0, 200, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(what string, err error, status, code int) {
				t.Helper()
				if status == 200 {
					if err != nil {
						t.Errorf("%s: %v", what, err)
					}
					return
				}
				re := restError(t, err)
				if re.Response.StatusCode != status || re.Message == nil || re.Message.Code != code {
					t.Errorf("%s: %d %s, want %d code %d", what, re.Response.StatusCode, re.ResponseBody, status, code)
				}
			}
			_, err := s.Channel(tt.channel)
			check("GET", err, tt.getStatus, tt.getCode)
			_, err = s.ChannelMessageSend(tt.channel, "hello")
			check("POST message", err, tt.status, tt.code)
		})
	}
}

func TestCreateDM(t *testing.T) {
	t.Parallel()
	srv := New(t)
	s := srv.Session(srv.Token())
	ch, err := s.UserChannelCreate(srv.Human().ID)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Type != discordgo.ChannelTypeDM || len(ch.Recipients) != 1 || ch.Recipients[0].ID != srv.Human().ID {
		t.Errorf("DM channel = %+v", ch)
	}
	again, err := s.UserChannelCreate(srv.Human().ID)
	if err != nil || again.ID != ch.ID {
		t.Errorf("second create = %+v, %v; want the same channel", again, err)
	}
	if ch.ID != srv.DMChannel(srv.Human().ID) {
		t.Error("DMChannel disagrees")
	}
	m, err := s.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Content: "Your digest", AllowedMentions: noMentions()})
	if err != nil || m.ChannelID != ch.ID || m.Author.ID != srv.Bot().ID {
		t.Errorf("DM = %+v, %v", m, err)
	}
	if _, err := s.UserChannelCreate(srv.NewID()); restError(t, err).Message.Code != discordgo.ErrCodeInvalidFormBody && restError(t, err).Message.Code != 50033 {
		t.Errorf("DM to unknown user: %v", err)
	}
}

// How each discordgo call that sends a message serialises allowed mentions:
// a nil Parse becomes "parse":null, an empty one "parse":[].
func TestAllowedMentionsSerialisation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		am   *discordgo.MessageAllowedMentions
		want string
	}{
		{"empty parse", &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}, `{"parse":[],"replied_user":false}`},
		{"nil parse", &discordgo.MessageAllowedMentions{}, `{"parse":null,"replied_user":false}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			srv := New(t)
			s, got := interactions(t, srv, nil)
			srv.DispatchCommand(Command{Name: "x"})
			i := recv(ctx, t, got, "INTERACTION_CREATE")
			content := "hi"
			calls := []error{
				s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Content: content, AllowedMentions: tc.am}}),
				second(s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: tc.am})),
				second(s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: content, AllowedMentions: tc.am})),
				second(s.ChannelMessageSendComplex(srv.Channel().ID, &discordgo.MessageSend{Content: content, AllowedMentions: tc.am})),
			}
			for _, err := range calls {
				if err != nil {
					t.Fatal(err)
				}
			}
			var sent []string
			for _, r := range srv.Requests() {
				if r.Method != "GET" {
					am, _ := r.AllowedMentions()
					sent = append(sent, string(am))
				}
			}
			if diff := cmp.Diff([]string{tc.want, tc.want, tc.want, tc.want}, sent); diff != "" {
				t.Errorf("allowed_mentions as sent (-want +got):\n%s", diff)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestDispatchMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		intents     discordgo.Intent
		privileged  int64
		in          func(*Server) Incoming
		delivered   bool
		wantContent string
		wantBot     bool
		wantGuild   bool
	}{
		{"DM from a human", discordgo.IntentsAllWithoutPrivileged, 0,
			func(s *Server) Incoming { return Incoming{Content: "hello"} }, true, "hello", false, false},
		{"guild message without content intent", discordgo.IntentsAllWithoutPrivileged, 0,
			func(s *Server) Incoming { return Incoming{GuildID: s.Guild().ID, Content: "secret"} }, true, "", false, true},
		{"guild message with content intent", discordgo.IntentsAllWithoutPrivileged | discordgo.IntentMessageContent, IntentMessageContent,
			func(s *Server) Incoming { return Incoming{GuildID: s.Guild().ID, Content: "visible"} }, true, "visible", false, true},
		{"guild message mentioning the bot", discordgo.IntentsAllWithoutPrivileged, 0,
			func(s *Server) Incoming {
				return Incoming{GuildID: s.Guild().ID, Content: "<@" + s.Bot().ID + "> hi", Mentions: []User{s.Bot()}}
			}, true, "<@%BOT%> hi", false, true},
		{"from another bot", discordgo.IntentsAllWithoutPrivileged, 0,
			func(s *Server) Incoming {
				return Incoming{Author: User{Username: "otherbot", Bot: true}, Content: "beep"}
			}, true, "beep", true, false},
		{"from the bot itself", discordgo.IntentsAllWithoutPrivileged, 0,
			func(s *Server) Incoming { return Incoming{GuildID: s.Guild().ID, Author: s.Bot(), Content: "mine"} }, true, "mine", true, true},
		{"DM without the DM intent", discordgo.IntentGuilds, 0,
			func(s *Server) Incoming { return Incoming{Content: "lost"} }, false, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			srv := New(t, WithPrivilegedIntents(tt.privileged))
			got := make(chan *discordgo.MessageCreate, 1)
			openSession(t, srv, func(s *discordgo.Session) {
				s.Identify.Intents = tt.intents
				s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { got <- m })
			})
			in := tt.in(srv)
			msg, delivered := srv.DispatchMessage(in)
			if delivered != tt.delivered {
				t.Fatalf("delivered = %v, want %v", delivered, tt.delivered)
			}
			if !delivered {
				return
			}
			m := recv(ctx, t, got, "MESSAGE_CREATE")
			want := strings.ReplaceAll(tt.wantContent, "%BOT%", srv.Bot().ID)
			if m.ID != msg.ID || m.Content != want || m.Author.Bot != tt.wantBot || (m.GuildID != "") != tt.wantGuild {
				t.Errorf("MESSAGE_CREATE = id %s content %q author %+v guild %q", m.ID, m.Content, m.Author, m.GuildID)
			}
			if tt.wantGuild && m.Member == nil {
				t.Error("guild message without member")
			}
		})
	}
}
