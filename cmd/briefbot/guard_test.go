package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
	"github.com/briefbot/briefbot/bot/openai/openaitest"
	_ "modernc.org/sqlite"
)

// The end-to-end tests of issue 10: the guard, the verifier, reports and
// rejections through briefbot run, against the fake Discord and the fake
// model server.

// unfaithfulEnergy keeps the section's figures and names but says Russia
// will do what the section says it aims to, and adds a nuclear base.
const unfaithfulEnergy = "**Energy, simply:** Russia will rebuild Venezuela's oil industry and open a nuclear base in Caracas. Venezuela now pumps under 1 million barrels daily."

// edited waits for the answer to interaction id to be edited in, and
// returns its content and embed description.
func edited(t *testing.T, ctx context.Context, fake *discordtest.Server, id string) (content, description string, m discordtest.Message) {
	t.Helper()
	m, err := fake.WaitOriginal(ctx, id, func(m discordtest.Message) bool { return m.Edits > 0 })
	if err != nil {
		t.Fatal(err)
	}
	var embeds []struct{ Description string }
	json.Unmarshal(m.Embeds, &embeds)
	if len(embeds) != 1 {
		t.Fatalf("edited answer has %d embeds", len(embeds))
	}
	return m.Content, embeds[0].Description, m
}

// cachedTexts returns the rewrites the database holds, as stored.
func cachedTexts(t *testing.T, db string) []string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT value FROM rephrasings`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v []byte
		rows.Scan(&v)
		out = append(out, string(v))
	}
	return out
}

func TestUnfaithfulRewriteNeverShown(t *testing.T) {
	fake := discordtest.New(t)
	model := openaitest.NewServer(t, openaitest.Text(unfaithfulEnergy))
	vars := llmVars(t, fake, model)
	p := startBotProcess(t, fake, vars)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	i := fake.DispatchCommand(styled("energy", "simple"))
	content, body, _ := edited(t, ctx, fake, i.ID)
	if !strings.HasPrefix(body, "**The plan:**") || !strings.Contains(content, "did not keep to the facts") {
		t.Errorf("final answer %q, %q: want the curated text with the guard's note", content, body)
	}
	for _, req := range fake.Requests() {
		if strings.Contains(string(req.Body), "nuclear") {
			t.Errorf("%s %s carried the refused rewrite", req.Method, req.Path)
		}
	}
	if model.Calls() != 2 {
		t.Errorf("%d model calls, want the rewrite and its strict retry", model.Calls())
	}
	p.stop()
	cached := cachedTexts(t, vars["BRIEFBOT_DB"])
	for _, v := range cached {
		var a struct{ Text, Rejected string }
		if err := json.Unmarshal([]byte(v), &a); err != nil || a.Text != "" || a.Rejected == "" {
			t.Errorf("the cache holds %s; want only the refusal", v)
		}
	}
	if len(cached) != 1 {
		t.Errorf("the cache holds %d rephrasings, want the one refusal", len(cached))
	}
	code, out, errOut := testRun(t, vars, "", "rejections")
	if code != 0 || !strings.Contains(out, "2 refused attempts at rephrasing in the last 7 days") || !strings.Contains(out, "certainty") || !strings.Contains(out, "claim") {
		t.Errorf("briefbot rejections: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := testRun(t, vars, "", "rejections", "--days", "1"); code != 0 || !strings.Contains(out, "in the last day") {
		t.Errorf("briefbot rejections --days 1: %d %s", code, out)
	}
}

// verifying answers the verifier's requests with verdict, and the others
// with the faithful simple rewrite.
func verifying(verdict openaitest.Reply) openaitest.Reply {
	return openaitest.Reply{Func: func(r openaitest.Request) openaitest.Reply {
		if r.Schema() == "verdict" {
			return verdict
		}
		return openaitest.Text(simpleEnergy)
	}}
}

func TestVerifierEndToEnd(t *testing.T) {
	for _, tt := range []struct {
		name     string
		verdict  openaitest.Reply
		shown    string // the start of the final answer's body
		note     string
		requests int // to the fake server: rewrites and verifications
	}{
		{"passes", openaitest.Verdict(), simpleEnergy, "", 2},
		{"flags", openaitest.Verdict("Venezuela now pumps under 1 million barrels daily."), "**The plan:**", "did not keep to the facts", 4},
		{"hangs", openaitest.Reply{Hang: true}, "**The plan:**", "could not be checked", 2},
		{"garbage", openaitest.Text("Looks good to me!"), "**The plan:**", "could not be checked", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := discordtest.New(t)
			model := openaitest.NewServer(t, verifying(tt.verdict))
			vars := llmVars(t, fake, model, "BRIEFBOT_LLM_VERIFY", "true", "BRIEFBOT_LLM_VERIFY_MODEL", "fake-verifier", "BRIEFBOT_LLM_VERIFY_TIMEOUT", "300ms")
			startBotProcess(t, fake, vars)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			i := fake.DispatchCommand(styled("energy", "simple"))
			content, body, _ := edited(t, ctx, fake, i.ID)
			if !strings.HasPrefix(body, tt.shown) || !strings.Contains(content, tt.note) {
				t.Errorf("final answer %q, %q; want %q with a note saying %q", content, body, tt.shown, tt.note)
			}
			if n := model.Calls(); n != tt.requests {
				t.Errorf("%d requests to the model server, want %d", n, tt.requests)
			}
			verified := 0
			for _, r := range model.Requests() {
				if r.Schema() == "verdict" {
					verified++
					if r.Model != "fake-verifier" {
						t.Errorf("the verifier asked %q", r.Model)
					}
				}
			}
			if verified != tt.requests/2 {
				t.Errorf("%d verifications of %d requests", verified, tt.requests)
			}
			// The verdict is cached with the rewrite: asking again costs
			// nothing when it passed or flagged twice; a verifier that gave
			// no verdict is asked again.
			again := fake.DispatchCommand(styled("energy", "simple"))
			if _, err := fake.WaitCallback(ctx, again.ID); err != nil {
				t.Fatal(err)
			}
			if tt.name == "passes" || tt.name == "flags" {
				if n := model.Calls(); n != tt.requests {
					t.Errorf("asking again made %d more requests", n-tt.requests)
				}
			}
		})
	}
}

func TestReportEndToEnd(t *testing.T) {
	fake := discordtest.New(t)
	model := openaitest.NewServer(t, openaitest.Text(simpleEnergy))
	vars := llmVars(t, fake, model)
	p := startBotProcess(t, fake, vars)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	i := fake.DispatchCommand(styled("energy", "simple"))
	_, body, m := edited(t, ctx, fake, i.ID)
	if body != simpleEnergy {
		t.Fatalf("shown %q", body)
	}
	var rows []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
			Label    string `json:"label"`
		} `json:"components"`
	}
	json.Unmarshal(m.Components, &rows)
	button := ""
	for _, row := range rows {
		for _, c := range row.Components {
			if c.Label == "Report a problem" {
				button = c.CustomID
			}
		}
	}
	if button == "" {
		t.Fatalf("no report button among %s", m.Components)
	}
	click := fake.DispatchComponent(discordtest.Component{CustomID: button, MessageID: m.ID})
	cb, err := fake.WaitCallback(ctx, click.ID)
	if err != nil || cb.Type != discordtest.CallbackModal {
		t.Fatalf("the button answered %+v, %v; want a modal", cb, err)
	}
	var modal struct {
		CustomID string `json:"custom_id"`
	}
	json.Unmarshal(cb.Data, &modal)
	submit := fake.DispatchModalSubmit(discordtest.ModalSubmit{CustomID: modal.CustomID, MessageID: m.ID,
		Fields: []discordtest.ModalField{{ID: "note", Value: "The section says Russia aims to help."}}})
	cb, err = fake.WaitCallback(ctx, submit.ID)
	if err != nil || !strings.Contains(cb.Content, "Thanks for the report") || cb.Flags&discordtest.FlagEphemeral == 0 {
		t.Fatalf("the submission answered %+v, %v", cb, err)
	}
	p.stop()

	code, out, errOut := testRun(t, vars, "", "reports")
	for _, want := range []string{"Report 1: /energy of putin-maduro-2025", ", simple, by fake-model, reported once", `reader: "The section says Russia aims to help."`, "  | " + simpleEnergy, "briefbot reports --purge 1"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("briefbot reports: %d, stdout lacks %q:\n%s%s", code, want, out, errOut)
		}
	}
	if code, out, errOut := testRun(t, vars, "", "reports", "--purge", "1"); code != 0 || !strings.Contains(out, "Dropped the cached rephrasing of report 1") {
		t.Errorf("briefbot reports --purge 1: %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := testRun(t, vars, "", "reports", "--purge", "7"); code != 1 || !strings.Contains(errOut, "there is no report 7") {
		t.Errorf("briefbot reports --purge 7: %d %s", code, errOut)
	}

	startBotProcess(t, fake, vars)
	after := fake.DispatchCommand(styled("energy", "simple"))
	edited(t, ctx, fake, after.ID)
	if model.Calls() != 2 {
		t.Errorf("%d model calls; want the purged rephrasing made afresh", model.Calls())
	}
	if _, out, _ := testRun(t, vars, "", "reports"); !strings.Contains(out, "dropped ") {
		t.Errorf("after the purge, briefbot reports:\n%s", out)
	}
}

// A rephrasing is printed for editors without what could drive their
// terminal.
func TestPrintable(t *testing.T) {
	if got := printable("Trade surged 70%\x1b[2J\u200b.\n\tNext line"); got != "Trade surged 70%\uFFFD[2J\uFFFD.\n\tNext line" {
		t.Errorf("printable = %q", got)
	}
}
