package preview_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/preview"
	"github.com/briefbot/briefbot/content"
)

func snapshot(t testing.TB, dir string, problems ...preview.Problem) preview.Snapshot {
	t.Helper()
	fsys := content.Embedded()
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	lib, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(lib, bot.Options{})
	digest.Register(b, digest.Config{})
	composer := digest.NewComposer(lib, nil)
	return preview.Build(context.Background(), preview.Input{
		Handler: b, Library: lib, Problems: problems, Source: "test",
		Digest: func(ctx context.Context, id string) (*bot.Reply, error) {
			return composer.Digest(ctx, digest.Request{ArticleID: id})
		},
	})
}

func TestBuild(t *testing.T) {
	snap := snapshot(t, filepath.Join("..", "..", "content", "testdata", "several"),
		preview.Problem{File: "b-harbour.md", Line: 17, Message: "too long", Article: "riverton-harbour", Section: "cost"},
		preview.Problem{File: "c-library.md", Line: 3, Message: "front matter", Article: "riverton-library"},
		preview.Problem{File: ".", Message: "the folder"},
	)
	if len(snap.Articles) != 3 || !snap.Invalid || snap.Count != 3 {
		t.Fatalf("%d articles, invalid %v, %d problems", len(snap.Articles), snap.Invalid, snap.Count)
	}
	harbour := snap.Articles[1]
	if harbour.ID != "riverton-harbour" || len(harbour.Sections[1].Problems) != 1 || harbour.Sections[1].Name != "cost" {
		t.Errorf("the section problem is not beside /cost: %+v", harbour.Sections)
	}
	if len(snap.Articles[2].Problems) != 1 || len(snap.Problems) != 1 {
		t.Errorf("article problems %v, page problems %v", snap.Articles[2].Problems, snap.Problems)
	}
	for _, a := range snap.Articles {
		for _, m := range []preview.Message{a.Help, a.About, a.Digest} {
			if m.Reply == nil || m.Error != "" {
				t.Errorf("%s: %s has no reply: %s", a.ID, m.Command, m.Error)
			}
		}
		for _, s := range a.Sections {
			if len(s.Pages) != 1 || s.Pages[0].Reply == nil {
				t.Errorf("%s /%s: %+v", a.ID, s.Name, s.Pages)
			}
		}
	}
	if !strings.Contains(snap.Articles[0].Help.Reply.Body, "`/cost`") || snap.Articles[2].Help.Reply.Menu.Options[0].Value != "books" {
		t.Error("help is not of the article in question")
	}
}

// TestBuildPages: a long section is shown page by page, as Next turns them.
func TestBuildPages(t *testing.T) {
	var body strings.Builder
	for i := range 300 {
		body.WriteString("Sentence of the long section, number " + strings.Repeat("x", i%7) + ". ")
	}
	lib, err := bot.NewLibrary(&bot.Article{ID: "story", Title: "Story", Sections: []*bot.Section{{Name: "long", Title: "Long", Description: "d", Body: body.String()}}})
	if err != nil {
		t.Fatal(err)
	}
	snap := preview.Build(context.Background(), preview.Input{Handler: bot.New(lib, bot.Options{}), Library: lib})
	pages := snap.Articles[0].Sections[0].Pages
	if len(pages) != len(lib.Default().Sections[0].Pages()) || len(pages) < 2 {
		t.Fatalf("%d pages shown", len(pages))
	}
	for i, p := range pages {
		if p.Reply == nil || !strings.HasSuffix(p.Reply.Footer, "of "+string(rune('0'+len(pages)))) || !strings.Contains(p.Reply.Footer, "page "+string(rune('1'+i))) {
			t.Errorf("page %d: %+v", i+1, p)
		}
	}
}

func TestServerPage(t *testing.T) {
	snap := snapshot(t, "", preview.Problem{File: "putin-maduro-2025.md", Line: 120, Message: "a problem of /security", Article: "putin-maduro-2025", Section: "security"})
	srv := preview.NewServer(snap, preview.Options{Accent: 0x3B6EA8})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	html := page.String()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`--accent:#3b6ea8`,
		`<section class="article" id="a--putin-maduro-2025"`,
		`id="s--putin-maduro-2025--energy" data-section="energy"`,
		`<strong>The plan:</strong>`,
		`<span class="btn" title="v1:sec:putin-maduro-2025:economy:0">Trade, wheat and insulin</span>`,
		`<span class="placeholder">Read another section…</span>`,
		`<div class="embed-footer">May 7, 2025 · Energy: oil, gas and OPEC&#43;</div>`,
		`<div class="field-name">Publisher</div><div>Not known</div>`,
		"The next digest",
		`<code>putin-maduro-2025.md:120</code> a problem of /security`,
		`new EventSource("/events")`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// The problem is inside /security's block, before its reply.
	sec := html[strings.Index(html, `data-section="security"`):]
	sec = sec[:strings.Index(sec, `data-section="economy"`)]
	if !strings.Contains(sec, "a problem of /security") || strings.Index(sec, "a problem") > strings.Index(sec, `class="msg"`) {
		t.Error("the problem is not shown at the top of its section")
	}
	if strings.Contains(html, "http://") && !strings.Contains(html, "href=\"http") {
		t.Error("the page refers to another site")
	}
}

func TestServerEvents(t *testing.T) {
	srv := preview.NewServer(preview.Snapshot{Version: "one"}, preview.Options{})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	next := func() string {
		for lines.Scan() {
			if v, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				return v
			}
		}
		t.Fatalf("the stream ended: %v", lines.Err())
		return ""
	}
	if v := next(); v != "one" {
		t.Errorf("first version %q", v)
	}
	srv.Update(preview.Snapshot{Version: "one"}) // the same: no event
	srv.Update(preview.Snapshot{Version: "two"})
	if v := next(); v != "two" {
		t.Errorf("after an update: %q", v)
	}
}

// BenchmarkRender measures building the replies of the built-in article
// and rendering its page.
func BenchmarkRender(b *testing.B) {
	srv := preview.NewServer(preview.Snapshot{}, preview.Options{})
	var buf bytes.Buffer
	for b.Loop() {
		snap := snapshot(b, "")
		buf.Reset()
		if err := srv.Render(&buf, snap); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/page")
}
