package discordtest

import (
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// A role or channel option comes with the role or channel it names in
// "resolved", as Discord sends it.
func TestResolvedOptions(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	_, got := interactions(t, srv, nil)
	role := srv.AddRole(Role{GuildID: srv.Guild().ID, Name: "readers", Mentionable: true})
	news := srv.AddChannel(Channel{GuildID: srv.Guild().ID, Name: "news", Type: ChannelTypeAnnouncement})
	srv.DispatchCommand(Command{
		Origin: Origin{GuildID: srv.Guild().ID},
		Name:   "digest",
		Options: []CommandOption{{Name: "subscribe", Options: []CommandOption{
			{Name: "mention", Type: 8, Value: role.ID},
			{Name: "channel", Type: 7, Value: news.ID},
		}}},
	})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	res := i.ApplicationCommandData().Resolved
	if res == nil || res.Roles[role.ID] == nil || res.Channels[news.ID] == nil {
		t.Fatalf("resolved = %+v", res)
	}
	if r := res.Roles[role.ID]; r.Name != "readers" || !r.Mentionable {
		t.Errorf("role %+v", r)
	}
	if c := res.Channels[news.ID]; c.Type != discordgo.ChannelTypeGuildNews || c.Name != "news" {
		t.Errorf("channel %+v", c)
	}
}

// Crossposting works once, on the bot's own message in an announcement
// channel where it may send.
func TestCrosspost(t *testing.T) {
	t.Parallel()
	srv := New(t)
	s := srv.Session(srv.Token())
	guild := srv.Guild().ID
	news := srv.AddChannel(Channel{GuildID: guild, Name: "news", Type: ChannelTypeAnnouncement})
	m, err := s.ChannelMessageSend(news.ID, "digest")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChannelMessageCrosspost(news.ID, m.ID); err != nil {
		t.Fatalf("crosspost: %v", err)
	}
	if got := srv.Messages(news.ID)[0]; got.Crossposts != 1 || got.Flags&FlagCrossposted == 0 {
		t.Errorf("message %+v", got)
	}
	_, err = s.ChannelMessageCrosspost(news.ID, m.ID)
	if re := restError(t, err); re.Response.StatusCode != http.StatusBadRequest || re.Message.Code != codeAlreadyCrossposted {
		t.Errorf("second crosspost: %v", err)
	}
	text, err := s.ChannelMessageSend(srv.Channel().ID, "not news")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ChannelMessageCrosspost(srv.Channel().ID, text.ID)
	if re := restError(t, err); re.Message.Code != codeWrongChannelType {
		t.Errorf("crosspost in a text channel: %v", err)
	}
	m2, _ := s.ChannelMessageSend(news.ID, "another")
	srv.SetChannelAccess(news.ID, AccessNoSend)
	_, err = s.ChannelMessageCrosspost(news.ID, m2.ID)
	if re := restError(t, err); re.Response.StatusCode != http.StatusForbidden || re.Message.Code != codeMissingPermissions {
		t.Errorf("crosspost without Send Messages: %v", err)
	}
}
