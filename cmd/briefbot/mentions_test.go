package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/clocktest"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

// A 5xx from Discord at start is retried with backoff, one log line an
// attempt, and registration then goes through.
func TestStartRetriesA5xx(t *testing.T) {
	fake := discordtest.New(t)
	fake.FailNext("GET", "/applications/@me", 2, http.StatusServiceUnavailable, nil)
	clk := clocktest.New(monday)
	var stdout bytes.Buffer
	stderr := &watchedLog{}
	e := env{
		getenv: func(k string) string {
			return map[string]string{"DISCORD_TOKEN": fake.Token(), "BRIEFBOT_DISCORD_URL": fake.URL()}[k]
		},
		stdin: strings.NewReader(""), stdout: &stdout, stderr: stderr, clock: clk,
	}
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), []string{"register"}, e) }()
	ctx, cancel := context.WithTimeout(context.Background(), watchdog)
	defer cancel()
	for range 2 {
		if err := clk.BlockUntil(ctx, 1); err != nil {
			t.Fatalf("no retry waits: %v\n%s", err, stderr)
		}
		clk.AdvanceToNext()
	}
	if code := <-done; code != 0 || !strings.Contains(stdout.String(), "Registered") {
		t.Fatalf("register: exit %d, %q\n%s", code, stdout.String(), stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `msg="cannot reach Discord; retrying"`) || !strings.Contains(lines[0], "attempt=1 retry_in=1s") ||
		!strings.Contains(lines[1], "attempt=2 retry_in=2s") || !strings.Contains(lines[0], "answered HTTP 503") {
		t.Errorf("log:\n%s", stderr)
	}
}

// A gateway connection that fails is retried, and logged once: not again
// by discordgo.
func TestGatewayRetryLoggedOnce(t *testing.T) {
	fake := discordtest.New(t)
	nowhere := "ws" + strings.TrimPrefix(closedURL(t), "http")
	fake.Inject(discordtest.Fault{Method: "GET", Path: "/gateway", Status: http.StatusOK, Body: map[string]string{"url": nowhere}})
	logs := &watchedLog{}
	startBotProcess(t, fake, digestVars(t, fake), func(e *env) { e.stderr = logs })
	host := strings.TrimPrefix(nowhere, "ws://")
	if n := logs.count(host); n != 1 || logs.count(`msg="cannot connect to the gateway; retrying"`) != 1 {
		t.Errorf("the failed connection to %s is logged %d times, want once:\n%s", host, n, logs)
	}
}

// /help names every command as a mention with the ids Discord gave them,
// /digest's subcommands too, under its headings; a greeting or thanks in a
// DM gets a short reply and the same help.
func TestHelpEndToEnd(t *testing.T) {
	fake := discordtest.New(t)
	startBotProcess(t, fake, digestVars(t, fake))
	ids := map[string]string{}
	for _, c := range fake.Commands("") {
		ids[c.Name] = c.ID
	}
	help := ask(t, fake, discordtest.Command{Origin: discordtest.Origin{GuildID: fake.Guild().ID}, Name: "help"})
	for _, want := range []string{
		"**Read**\nStart with </summary:" + ids["summary"] + ">, then pick a topic:\n</agreement:" + ids["agreement"] + "> </energy:" + ids["energy"] + ">",
		"</skeptic:" + ids["skeptic"] + ">",
		"</about:" + ids["about"] + "> says where the article comes from.",
		"\n\n**Ask**\n",
		"\n\n**Digests**\n</digest subscribe:" + ids["digest"] + "> posts a digest in a channel on a schedule",
		"</digest list:" + ids["digest"] + "> shows the server's digests.",
	} {
		if ids["digest"] == "" || !strings.Contains(help.Body, want) {
			t.Errorf("help lacks %q:\n%s", want, help.Body)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), watchdog)
	defer cancel()
	dm := fake.DMChannel(fake.Human().ID)
	for i, tt := range []struct{ say, reply string }{
		{"hi there", "Hi! 👋 Here is what I can do."},
		{"thanks!", "You're welcome! Here is what else you can ask."},
		{"gracias", "¡De nada!"},
		{"спасибо", "Пожалуйста!"},
	} {
		fake.DispatchMessage(discordtest.Incoming{ChannelID: dm, Content: tt.say})
		msgs, err := fake.WaitMessages(ctx, dm, i+1)
		if err != nil {
			t.Fatal(err)
		}
		m := msgs[i]
		var embeds []struct{ Title, Description string }
		json.Unmarshal(m.Embeds, &embeds)
		if m.Content != tt.reply || len(embeds) != 1 || embeds[0].Title != "What you can ask briefbot" || !strings.Contains(embeds[0].Description, "</energy:"+ids["energy"]+">") {
			t.Errorf("%q answered %q with %+v", tt.say, m.Content, embeds)
		}
	}
}

// A digest that pings a role allows that role alone to be pinged, and in
// an announcement channel is published; a role briefbot may not ping is
// refused, and nothing is set up.
func TestDigestRoleAndPublishEndToEnd(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	guild := fake.Guild().ID
	news := fake.AddChannel(discordtest.Channel{GuildID: guild, Name: "news", Type: discordtest.ChannelTypeAnnouncement}).ID
	readers := fake.AddRole(discordtest.Role{GuildID: guild, Name: "readers", Mentionable: true})
	locked := fake.AddRole(discordtest.Role{GuildID: guild, Name: "staff"})
	p := steps.startBot("briefbot", fake, digestVars(t, fake))

	refused := ask(t, fake, digestCommand(admin(fake, news), "subscribe", "time", "09:00", "mention", locked.ID))
	if !refused.Private || !strings.HasPrefix(refused.Content, "briefbot may not ping @staff: the role does not let anyone mention it, and briefbot lacks the Mention @everyone, @here, and All Roles permission.") {
		t.Errorf("a role briefbot may not ping: %q", refused.Content)
	}
	notText := ask(t, fake, digestCommand(admin(fake, fake.Channel().ID), "subscribe", "time", "09:00", "publish", "true"))
	if !strings.Contains(notText.Content, "is not an announcement channel") {
		t.Errorf("publish in a text channel: %q", notText.Content)
	}
	if n := len(notices(fake, news)) + len(notices(fake, fake.Channel().ID)); n != 0 {
		t.Errorf("%d notices after refusals", n)
	}

	got := ask(t, fake, digestCommand(admin(fake, news), "subscribe", "time", "08:30", "mention", readers.ID, "publish", "true"))
	if !strings.HasPrefix(got.Content, "Digest 1 set up: daily at 08:30 UTC in <#"+news+">.") {
		t.Fatalf("subscribe: %q", got.Content)
	}
	if n := notices(fake, news); len(n) != 1 || !strings.HasSuffix(n[0].Content, "Each digest pings <@&"+readers.ID+"> and is published to the channels that follow this one.") {
		t.Errorf("notices:%s", brief(n))
	}

	slot := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
	steps.at(slot, "the digest", p.logs.has(`msg="digest published"`, 1))
	posted := digests(fake, news)
	if len(posted) != 1 || !strings.HasPrefix(posted[0].Content, "<@&"+readers.ID+">") || posted[0].Crossposts != 1 {
		t.Fatalf("digests:%s", brief(posted))
	}
	for _, r := range digestPosts(fake, news) {
		am, _ := r.AllowedMentions()
		if got := strings.Replace(string(am), `,"replied_user":false`, "", 1); got != `{"parse":[],"roles":["`+readers.ID+`"]}` {
			t.Errorf("the digest allows %s to be pinged, want the role alone", am)
		}
	}
	crossposts := 0
	for _, r := range fake.Requests() {
		if r.Method == "POST" && r.Path == "/channels/"+news+"/messages/"+posted[0].ID+"/crosspost" && r.Status == http.StatusOK {
			crossposts++
		}
	}
	if crossposts != 1 {
		t.Errorf("%d crossposts, want 1", crossposts)
	}
	list := ask(t, fake, digestCommand(admin(fake, news), "list"))
	if !strings.Contains(list.Body, "**1** · daily at 08:30 UTC in <#"+news+"> · pings <@&"+readers.ID+"> and is published to the channels that follow this one") {
		t.Errorf("list:\n%s", list.Body)
	}
	checkNoPings(t, fake)
}
