package discord

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/ask"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/content"
	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// builtinBot is briefbot's bot on the built-in content, /digest and all.
func builtinBot(t testing.TB) *bot.Bot {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{})
	digest.Register(b, digest.Config{})
	if _, err := ask.Register(b, ask.Config{}); err != nil {
		t.Fatal(err)
	}
	return b
}

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if intended:\n%s", path, diff)
	}
}

// TestRender pins the Discord payloads for a section answer, a private
// error and an answer with fields.
func TestRender(t *testing.T) {
	b := builtinBot(t)
	energy, err := b.Answer(context.Background(), &bot.Request{Kind: bot.KindCommand, Command: "energy"})
	if err != nil {
		t.Fatal(err)
	}
	about, err := b.Answer(context.Background(), &bot.Request{Kind: bot.KindCommand, Command: "about", Options: map[string]string{"private": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	_, failure := b.Answer(context.Background(), &bot.Request{Kind: bot.KindCommand, Command: "energy", Options: map[string]string{"article": "nope"}})

	for name, r := range map[string]*bot.Reply{"energy": energy, "about-private": about, "error": errorReply(failure)} {
		t.Run(name, func(t *testing.T) {
			resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(r)}
			golden(t, "response-"+name+".json", resp)
			for what, payload := range map[string]any{"callback": resp, "edit": webhookEdit(r), "follow-up": webhookParams(r), "message": messageSend(r)} {
				raw, err := json.Marshal(payload)
				if err != nil {
					t.Fatal(err)
				}
				checkNoPings(t, what, raw)
			}
		})
	}
}

var parseNothing = regexp.MustCompile(`"allowed_mentions":\{"parse":\[\](,"replied_user":false)?\}`)

// checkNoPings fails unless a payload suppresses every mention and leaves
// no component or embed list null (null would keep old ones on an edit).
func checkNoPings(t *testing.T, what string, raw []byte) {
	t.Helper()
	if !parseNothing.Match(raw) {
		t.Errorf("%s: allowed_mentions does not suppress everything: %s", what, raw)
	}
	for _, null := range []string{`"components":null`, `"embeds":null`} {
		if strings.Contains(string(raw), null) {
			t.Errorf("%s: %s in %s", what, null, raw)
		}
	}
}

func TestErrorReplyIsPrivate(t *testing.T) {
	r := errorReply(bot.Errorf(bot.NotFound, "There is no such thing."))
	d := responseData(r)
	if d.Flags != discordgo.MessageFlagsEphemeral || d.Content != "There is no such thing." || len(d.Embeds) != 0 {
		t.Errorf("error reply = %+v", d)
	}
	internal := errorReply(os.ErrPermission)
	if strings.Contains(internal.Content, "permission") {
		t.Errorf("an internal error leaks its cause: %q", internal.Content)
	}
}

// Moments and channels that the core names are written as Discord shows
// them, and every request from Discord carries that markup.
func TestMarkup(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 30, 0, 0, time.FixedZone("CET", 3600)) // 07:30 UTC
	if got, want := (Markup{}).Time(at), "<t:1772436600:f> (<t:1772436600:R>)"; got != want {
		t.Errorf("Time = %q, want %q", got, want)
	}
	if got, want := (Markup{}).Channel("123"), "<#123>"; got != want {
		t.Errorf("Channel = %q, want %q", got, want)
	}
}
