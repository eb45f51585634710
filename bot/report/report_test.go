package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/report"
	"github.com/briefbot/briefbot/bot/report/reporttest"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
	"github.com/briefbot/briefbot/content"
)

const simple = "**Energy, simply:** Russia wants to help Venezuela pump more oil. Production is under 1 million barrels daily."

type rig struct {
	b     *bot.Bot
	model *rewritetest.Model
	store *reporttest.Store
	rw    *rewrite.Rewriter
}

func newRig(t *testing.T) *rig {
	t.Helper()
	lib, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{model: &rewritetest.Model{Model: "test-model"}, store: reporttest.NewStore()}
	r.model.Script = append(r.model.Script, r.model.Reply(simple, 100))
	if r.rw, err = rewrite.New(rewrite.Config{Model: r.model, Cache: r.store}); err != nil {
		t.Fatal(err)
	}
	r.b = bot.New(lib, bot.Options{Rewriter: r.rw})
	report.Register(r.b, report.Config{Store: r.store, Rewrites: r.rw})
	return r
}

func (r *rig) answer(t *testing.T, req *bot.Request) *bot.Reply {
	t.Helper()
	reply, err := r.b.Answer(context.Background(), req)
	if err != nil {
		t.Fatalf("%+v: %v", req, err)
	}
	if err := reply.Check(); err != nil {
		t.Fatalf("%+v: %v", reply, err)
	}
	return reply
}

// rephrased asks for the simple energy section and returns it once the
// model has answered.
func (r *rig) rephrased(t *testing.T) *bot.Reply {
	t.Helper()
	reply := r.answer(t, &bot.Request{Kind: bot.KindCommand, Command: "energy", Options: map[string]string{"style": "simple"}, Source: bot.FromGuild, GuildID: "g", User: bot.User{ID: "u"}})
	if reply.Pending != nil {
		final, err := reply.Pending(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		reply = final
	}
	r.rw.Wait()
	return reply
}

func reportButton(t *testing.T, r *bot.Reply) string {
	t.Helper()
	for _, row := range r.Buttons {
		for _, b := range row {
			if b.Label == "Report a problem" {
				return b.ID
			}
		}
	}
	t.Fatalf("no report button on %+v", r)
	return ""
}

func TestReport(t *testing.T) {
	r := newRig(t)
	shown := r.rephrased(t)
	if shown.Body != simple {
		t.Fatalf("shown %q", shown.Body)
	}
	modal := r.answer(t, &bot.Request{Kind: bot.KindComponent, CustomID: reportButton(t, shown), Source: bot.FromGuild, GuildID: "g"})
	if modal.Modal == nil || modal.Modal.Title != "Report a problem" || len(modal.Modal.Fields) != 1 || modal.Modal.Fields[0].Required {
		t.Fatalf("the button opened %+v", modal)
	}
	readers := 0
	submit := func(note string) *bot.Reply {
		readers++
		return r.answer(t, &bot.Request{Kind: bot.KindModalSubmit, CustomID: modal.Modal.ID, Options: map[string]string{report.NoteField: note}, Source: bot.FromGuild, GuildID: "g", User: bot.User{ID: fmt.Sprint("u", readers)}})
	}
	thanks := submit("  The article says Russia aims to, not wants to.  ")
	if !thanks.Private || !strings.Contains(thanks.Content, "Thanks for the report") {
		t.Errorf("after the report: %+v", thanks)
	}
	got, _ := r.store.Reports(context.Background())
	if len(got) != 1 {
		t.Fatalf("%d reports stored", len(got))
	}
	rep := got[0]
	if rep.ArticleID != "putin-maduro-2025" || rep.ArticleVersion == "" || rep.Section != "energy" || rep.Style != "simple" || rep.Language != "" ||
		rep.Model != "test-model" || rep.Text != simple || rep.Count != 1 || len(rep.Notes) != 1 || rep.Notes[0] != "The article says Russia aims to, not wants to." || !strings.HasPrefix(rep.Key, "rephrase/v1/putin-maduro-2025/") {
		t.Errorf("stored %+v", rep)
	}

	// The same reader reporting it again is thanked, not counted.
	same := r.answer(t, &bot.Request{Kind: bot.KindModalSubmit, CustomID: modal.Modal.ID, Source: bot.FromGuild, GuildID: "g", User: bot.User{ID: "u1"}})
	if got, _ := r.store.Reports(context.Background()); !strings.Contains(same.Content, "already") || got[0].Count != 1 {
		t.Errorf("a second report by the same reader: %q, count %d", same.Content, got[0].Count)
	}

	// Two more readers' reports withdraw the rephrasing: the next reader
	// gets a fresh one.
	submit("")
	if last := submit(""); !strings.Contains(last.Content, "withdrawn") {
		t.Errorf("third report: %q", last.Content)
	}
	if r.model.Calls() != 1 {
		t.Fatalf("%d model calls before the drop", r.model.Calls())
	}
	r.rephrased(t)
	if r.model.Calls() != 2 {
		t.Errorf("%d model calls after the drop, want a fresh rephrasing", r.model.Calls())
	}
	// A report of a rephrasing no longer cached is thanked, not stored.
	r.store.Delete(rep.Key)
	if _, err := r.b.Answer(context.Background(), &bot.Request{Kind: bot.KindModalSubmit, CustomID: modal.Modal.ID}); bot.KindOf(err) != bot.Expired {
		t.Errorf("reporting a rephrasing no longer shown: %v", err)
	}
}
