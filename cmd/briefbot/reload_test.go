package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

// logBuffer is a log the test can wait on.
type logBuffer struct {
	mu   sync.Mutex
	b    strings.Builder
	more chan struct{} // closed and replaced at each write
}

func newLogBuffer() *logBuffer { return &logBuffer{more: make(chan struct{})} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Write(p)
	close(l.more)
	l.more = make(chan struct{})
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// wait returns once s appears n times in the log.
func (l *logBuffer) wait(t *testing.T, ctx context.Context, s string, n int) {
	t.Helper()
	for {
		l.mu.Lock()
		got, more := strings.Count(l.b.String(), s), l.more
		l.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-more:
		case <-ctx.Done():
			t.Fatalf("the log never said %q %d times:\n%s", s, n, l.String())
		}
	}
}

// copyDir copies the files of src into a new temporary folder.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// edit replaces old with new in a file, as an editor saving it would.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunReloads changes the content under a running briefbot run: the
// next answer uses it, commands are registered again only when they
// change, and invalid content leaves the old in use with each problem
// logged as file:line: message.
func TestRunReloads(t *testing.T) {
	fake := discordtest.New(t)
	dir := copyDir(t, filepath.Join("..", "..", "content", "testdata", "several"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := newLogBuffer()
	hup := make(chan os.Signal, 1)
	done := make(chan int, 1)
	db := filepath.Join(t.TempDir(), "briefbot.db")
	go func() {
		done <- run(ctx, []string{"run", "--content", dir}, env{
			getenv: func(k string) string {
				return map[string]string{"DISCORD_TOKEN": fake.Token(), "BRIEFBOT_DISCORD_URL": fake.URL(), "BRIEFBOT_DB": db}[k]
			},
			stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: logs, hup: hup,
		})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer wcancel()
	if _, err := fake.WaitFrame(wctx, discordtest.SentDispatch("READY")); err != nil {
		t.Fatal(err)
	}
	registrations := func() int {
		n := 0
		for _, r := range fake.Requests() {
			if r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") {
				n++
			}
		}
		return n
	}
	ask := func(name string, want string) {
		t.Helper()
		in := fake.DispatchCommand(discordtest.Command{Origin: discordtest.Origin{GuildID: fake.Guild().ID}, Name: name})
		cb, err := fake.WaitCallback(wctx, in.ID)
		if err != nil || !strings.Contains(string(cb.Data), want) {
			t.Fatalf("/%s: %v, want %q in\n%s", name, err, want, cb.Data)
		}
	}
	ask("summary", "voted **31 to 14**")
	if n := registrations(); n != 1 {
		t.Fatalf("%d registrations at start", n)
	}

	// A change of text: the next answer has it; the commands are the same.
	// Interactions that arrive around the reload are all answered, each
	// with the old text or the new.
	var inflight []string
	summary := discordtest.Command{Origin: discordtest.Origin{GuildID: fake.Guild().ID}, Name: "summary"}
	for range 10 {
		inflight = append(inflight, fake.DispatchCommand(summary).ID)
	}
	edit(t, filepath.Join(dir, "a-tram.md"), "voted **31 to 14** on Tuesday", "voted **31 to 14** on Tuesday evening")
	for range 10 {
		inflight = append(inflight, fake.DispatchCommand(summary).ID)
	}
	logs.wait(t, wctx, "reloaded content", 1)
	for _, id := range inflight {
		if cb, err := fake.WaitCallback(wctx, id); err != nil || !strings.Contains(string(cb.Data), "voted **31 to 14** on Tuesday") {
			t.Errorf("interaction %s around the reload: %v %s", id, err, cb.Data)
		}
	}
	ask("summary", "on Tuesday evening")
	if n := registrations(); n != 1 {
		t.Errorf("%d registrations after a change of text; the commands did not change", n)
	}

	// A change of a command: registered again, once.
	edit(t, filepath.Join(dir, "c-library.md"), "description: Two thousand new books and a room for children", "description: Two thousand new books, and a reading room for children")
	logs.wait(t, wctx, "reloaded content", 2)
	if n := registrations(); n != 2 {
		t.Errorf("%d registrations after a command changed, want 2", n)
	}
	var described bool
	for _, c := range fake.Commands("") {
		described = described || c.Name == "books" && strings.Contains(string(c.Raw), "and a reading room")
	}
	if !described {
		t.Error("Discord does not have the new description of /books")
	}

	// Invalid content: the old is kept, and every problem logged.
	edit(t, filepath.Join(dir, "a-tram.md"), "keywords: tram, vote, council, line\n", "")
	edit(t, filepath.Join(dir, "b-harbour.md"), "## cost: Paying for the repairs", "## Cost: Paying for the repairs")
	logs.wait(t, wctx, "the new content is invalid", 1)
	logs.wait(t, wctx, filepath.Join(dir, "b-harbour.md")+":17: section name \\\"Cost\\\" must be lowercase", 1)
	logs.wait(t, wctx, filepath.Join(dir, "a-tram.md")+":16: section \\\"summary\\\" has no keywords", 1)
	ask("summary", "on Tuesday evening")
	ask("books", "two thousand")
	if n := registrations(); n != 2 {
		t.Errorf("%d registrations after invalid content, want 2", n)
	}

	// Mended, and SIGHUP: the content is read again.
	edit(t, filepath.Join(dir, "b-harbour.md"), "## Cost: Paying", "## cost: Paying")
	edit(t, filepath.Join(dir, "a-tram.md"), "description: The council votes 31 to 14 for a 14-kilometre tram line\n", "description: The council votes 31 to 14 for a 14-kilometre tram line\nkeywords: tram, vote\n")
	logs.wait(t, wctx, "reloaded content", 3)
	hup <- syscall.SIGHUP
	logs.wait(t, wctx, "msg=\"content unchanged\" component=reload reload=SIGHUP", 1)

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
	case <-wctx.Done():
		t.Fatal("run did not stop")
	}
}

// BenchmarkReload measures the time from a file written to the first
// answer that has the new text: the watcher's settling delay, the load and
// check of the content, and the swap.
func BenchmarkReload(b *testing.B) {
	dir := b.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "content", "articles", "putin-maduro-2025.md"))
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "article.md")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		b.Fatal(err)
	}
	c := &Config{Content: dir}
	lib, err := library(dir)
	if err != nil {
		b.Fatal(err)
	}
	log := newLogger(&Config{LogLevel: 8}, os.Stderr)
	live := bot.NewLive(assemble(lib, nil, log, nil))
	r := &reloader{cfg: c, log: log, live: live, build: func(lib *bot.Library) *bot.Bot { return assemble(lib, nil, log, nil) }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.run(ctx, bot.SystemClock{}, nil)
	time.Sleep(100 * time.Millisecond) // let the watcher start
	req := &bot.Request{Kind: bot.KindCommand, Command: "skeptic", Source: bot.FromConsole}
	b.ResetTimer()
	for i := range b.N {
		title := fmt.Sprintf("The skeptical view, take %d", i)
		text := strings.Replace(string(src), "## skeptic: The skeptical view", "## skeptic: "+title, 1)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		for {
			reply, err := live.Answer(ctx, req)
			if err == nil && reply.Title == title {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
}
