package main

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

func TestDiscordCommands(t *testing.T) {
	fake := discordtest.New(t)
	env := map[string]string{"DISCORD_TOKEN": fake.Token(), "BRIEFBOT_DISCORD_URL": fake.URL()}

	code, out, errOut := testRun(t, env, "", "register")
	if code != 0 || !strings.Contains(out, "Registered 18 slash commands and 1 message command globally") {
		t.Fatalf("register: %d %q %q", code, out, errOut)
	}
	code, out, _ = testRun(t, env, "", "register")
	if code != 0 || !strings.Contains(out, "already up to date") {
		t.Errorf("second register: %d %q", code, out)
	}
	if got := len(fake.Commands("")); got != 19 {
		t.Errorf("Discord has %d commands", got)
	}

	code, out, _ = testRun(t, nil, "", "commands")
	var cmds []map[string]any
	if err := json.Unmarshal([]byte(out), &cmds); err != nil || code != 0 || len(cmds) != 19 {
		t.Errorf("commands: %d, %v, %d commands", code, err, len(cmds))
	}

	code, out, _ = testRun(t, nil, "", "invite", "--app-id", "1191168914231394305")
	if want := "https://discord.com/oauth2/authorize?client_id=1191168914231394305&permissions=19456&scope=bot+applications.commands\n"; code != 0 || out != want {
		t.Errorf("invite = %d %q, want %q", code, out, want)
	}
	// A bot token starts with the bot's id in base64.
	code, out, _ = testRun(t, map[string]string{"DISCORD_TOKEN": "MTE5MTE2ODkxNDIzMTM5NDMwNQ.Gabcde.xyz"}, "", "invite")
	if code != 0 || !strings.Contains(out, "client_id=1191168914231394305&") {
		t.Errorf("invite from the token = %d %q", code, out)
	}
	if code, _, errOut := testRun(t, nil, "", "invite"); code != 2 || !strings.Contains(errOut, "--app-id") {
		t.Errorf("invite without an id: %d %q", code, errOut)
	}
}

func TestRunRejectedToken(t *testing.T) {
	fake := discordtest.New(t)
	code, out, errOut := testRun(t, map[string]string{"DISCORD_TOKEN": "wrong-token", "BRIEFBOT_DISCORD_URL": fake.URL(), "BRIEFBOT_DB": filepath.Join(t.TempDir(), "briefbot.db")}, "", "run")
	if code != 1 || out != "" || !strings.Contains(errOut, "briefbot: Discord rejected the bot token (HTTP 401): check DISCORD_TOKEN") {
		t.Errorf("run with a bad token: exit %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	if strings.Contains(errOut, "wrong-token") {
		t.Error("the token appears in the output")
	}
}

// TestRunAnswersAndShutsDown runs the whole binary's run path against the
// fake: no command means the bot when DISCORD_TOKEN is set.
func TestRunAnswersAndShutsDown(t *testing.T) {
	fake := discordtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var stderr strings.Builder
	db := filepath.Join(t.TempDir(), "briefbot.db")
	go func() {
		done <- run(ctx, []string{"--log-format", "json"}, env{
			getenv: func(k string) string {
				return map[string]string{"DISCORD_TOKEN": fake.Token(), "BRIEFBOT_DISCORD_URL": fake.URL(), "BRIEFBOT_DB": db}[k]
			},
			stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: &lockedWriter{w: &stderr},
		})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	if _, err := fake.WaitFrame(wctx, discordtest.SentDispatch("READY")); err != nil {
		t.Fatal(err)
	}
	i := fake.DispatchCommand(discordtest.Command{Name: "skeptic"})
	cb, err := fake.WaitCallback(wctx, i.ID)
	if err != nil || !strings.Contains(string(cb.Data), "The skeptical view") {
		t.Fatalf("callback %s, %v", cb.Data, err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit status %d after shutdown", code)
		}
	case <-wctx.Done():
		t.Fatal("run did not stop")
	}
	if strings.Contains(stderr.String(), fake.Token()) {
		t.Error("the token appears in the logs")
	}
}

// lockedWriter lets goroutines share a writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
