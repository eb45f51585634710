package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord/discordtest"
	"github.com/briefbot/briefbot/bot/postgres/pgtest"
)

// These tests run the briefbot binary, on the real clock, against the fake
// Discord, with a digest every minute. They take two to three minutes and
// are skipped with -short.

// briefbotBinary builds briefbot for a test.
func briefbotBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "briefbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running briefbot binary whose log lines the test can wait
// for.
type process struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	mu   sync.Mutex
	log  []string
	more chan struct{} // closed and replaced when a line arrives
	done chan struct{} // closed when the log ends
}

func startProcess(t *testing.T, bin, name string, fake *discordtest.Server, vars ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, "run")
	cmd.Env = append(os.Environ(), "DISCORD_TOKEN="+fake.Token(), "BRIEFBOT_DISCORD_URL="+fake.URL(), "BRIEFBOT_LOG_LEVEL=info")
	cmd.Env = append(cmd.Env, vars...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, name: name, cmd: cmd, more: make(chan struct{}), done: make(chan struct{})}
	mark := fake.Mark()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go p.read(stderr)
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("log of %s:\n%s", name, strings.Join(p.lines(), "\n"))
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), watchdog)
	defer cancel()
	if _, err := fake.WaitFrame(ctx, discordtest.After(mark, discordtest.SentDispatch("READY"))); err != nil {
		t.Fatalf("%s did not connect: %v", name, err)
	}
	return p
}

func (p *process) read(r io.Reader) {
	defer close(p.done)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		p.mu.Lock()
		p.log = append(p.log, sc.Text())
		close(p.more)
		p.more = make(chan struct{})
		p.mu.Unlock()
	}
}

func (p *process) lines() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.log...)
}

// waitLog waits until the process has logged n lines containing s.
func (p *process) waitLog(ctx context.Context, s string, n int) {
	p.t.Helper()
	for {
		p.mu.Lock()
		count := 0
		for _, l := range p.log {
			if strings.Contains(l, s) {
				count++
			}
		}
		more := p.more
		p.mu.Unlock()
		if count >= n {
			return
		}
		select {
		case <-more:
		case <-p.done:
			p.t.Fatalf("%s ended before logging %q %d times", p.name, s, n)
		case <-ctx.Done():
			p.t.Fatalf("%s did not log %q %d times: %v", p.name, s, n, ctx.Err())
		}
	}
}

// kill stops the process with SIGKILL, as a crash would.
func (p *process) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
	<-p.done
}

// stop stops the process with SIGTERM and expects a clean exit.
func (p *process) stop() {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		p.t.Errorf("%s after SIGTERM: %v", p.name, err)
	}
	<-p.done
}

// subscribeEveryMinute subscribes a channel to a digest every minute,
// from the server's first channel.
func subscribeEveryMinute(t *testing.T, fake *discordtest.Server, ch string) {
	t.Helper()
	got := ask(t, fake, digestCommand(admin(fake, fake.Channel().ID), "subscribe", "cron", "* * * * *", "channel", ch))
	if !strings.Contains(got.Content, " set up: ") {
		t.Fatalf("subscribe: %q", got.Content)
	}
}

// checkSlots checks that a channel has exactly one digest for each of n
// consecutive minutes, sent once each, and returns their slots.
func checkSlots(t *testing.T, fake *discordtest.Server, ch string, subID int64, n int) []time.Time {
	t.Helper()
	posted := digests(fake, ch)
	if len(posted) != n {
		t.Fatalf("channel %s has %d digests, want %d:%s", ch, len(posted), n, brief(posted))
	}
	first := posted[0].Created.Truncate(time.Minute)
	var slots []time.Time
	for i, m := range posted {
		slot := first.Add(time.Duration(i) * time.Minute)
		if m.Nonce != digest.Nonce(subID, slot) {
			t.Errorf("digest %d has nonce %q, want %q for the slot %v", i, m.Nonce, digest.Nonce(subID, slot), slot)
		}
		slots = append(slots, slot)
	}
	if sends := len(digestPosts(fake, ch)); sends != n {
		t.Errorf("%d sends for %d digests", sends, n)
	}
	return slots
}

// Kill briefbot between slots and start it again, twice: once with the
// downtime spanning a slot, which is posted at start (it is within the
// grace window), once at once. Every slot is posted, and only once.
func TestDigestKillAndRestartProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on the real clock for about three minutes")
	}
	t.Parallel()
	fake := discordtest.New(t)
	vars := []string{"BRIEFBOT_DB=" + filepath.Join(t.TempDir(), "briefbot.db"), "BRIEFBOT_DIGEST_MIN_INTERVAL=1m", "BRIEFBOT_DIGEST_GRACE=1h"}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ch := fake.Channel().ID

	bin := briefbotBinary(t)
	a := startProcess(t, bin, "the first run", fake, vars...)
	subscribeEveryMinute(t, fake, ch)
	a.waitLog(ctx, `msg="digest posted"`, 1) // posted and recorded
	a.kill()
	first := digests(fake, ch)[0].Created.Truncate(time.Minute)

	// Stay down over the next slot. This wait is the downtime the test is
	// about, not a synchronisation.
	<-time.After(time.Until(first.Add(time.Minute + time.Second)))
	b := startProcess(t, bin, "the second run", fake, vars...)
	b.waitLog(ctx, `msg="digest posted"`, 1) // the slot missed while down
	b.kill()

	c := startProcess(t, bin, "the third run", fake, vars...)
	c.waitLog(ctx, `msg="digest posted"`, 1) // the next slot, on time
	c.stop()

	slots := checkSlots(t, fake, ch, 1, 3)
	if missed := digests(fake, ch)[1]; !missed.Created.After(slots[1].Add(time.Second)) {
		t.Errorf("the slot %v was posted at %v, while no process ran", slots[1], missed.Created)
	}
}

// Two briefbot processes on one PostgreSQL database post each slot once.
func TestDigestTwoProcessesOnPostgresReal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on the real clock for about two minutes")
	}
	schema := pgtest.NewSchema(t)
	pgtest.Open(t, schema)
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Parallel()
	fake := discordtest.New(t)
	vars := []string{"BRIEFBOT_DB=" + u.String(), "BRIEFBOT_DIGEST_MIN_INTERVAL=1m"}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	bin := briefbotBinary(t)
	one := startProcess(t, bin, "one", fake, vars...)
	two := startProcess(t, bin, "two", fake, vars...)
	var channels []string
	for i := range 3 {
		ch := fake.AddChannel(discordtest.Channel{GuildID: fake.Guild().ID, Name: fmt.Sprintf("news-%d", i)}).ID
		channels = append(channels, ch)
		subscribeEveryMinute(t, fake, ch)
	}
	for _, ch := range channels {
		if _, err := fake.WaitMessages(ctx, ch, 3); err != nil { // the notice and two digests
			t.Fatal(err)
		}
	}
	one.stop()
	two.stop()
	var all []time.Time
	for i, ch := range channels {
		all = append(all, checkSlots(t, fake, ch, int64(i+1), len(digests(fake, ch)))...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Before(all[j]) })
	t.Logf("%d digests, from %v to %v; posted by one: %d, by two: %d", len(all), all[0], all[len(all)-1],
		count(one.lines(), `msg="digest posted"`), count(two.lines(), `msg="digest posted"`))
}

func count(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}
