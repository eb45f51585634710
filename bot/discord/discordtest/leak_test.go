package discordtest

import (
	"runtime"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestCloseLeavesNoGoroutines is not parallel: it runs while the parallel
// tests wait, so the only goroutines of this package are its own.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	ctx := testContext(t)
	srv := New(t)
	got := make(chan *discordgo.InteractionCreate, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		// The bot is to stay down once the server is gone.
		s.ShouldReconnectOnError = false
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	})
	release := srv.Hold("GET", "/users/@me")
	defer release()
	held := make(chan error, 1)
	go func() { _, err := s.User("@me"); held <- err }()
	if _, err := srv.WaitArrived(ctx, func(r Request) bool { return r.Path == "/users/@me" }); err != nil {
		t.Fatal(err)
	}
	srv.DispatchCommand(Command{Name: "x"})
	i := recv(ctx, t, got, "interaction")
	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	recv(ctx, t, held, "held request to end")
	if leaked := blockedIn("discordtest.(*"); len(leaked) > 0 {
		t.Errorf("%d goroutines left after Close:\n%s", len(leaked), strings.Join(leaked, "\n\n"))
	}
}

// blockedIn returns the stacks of blocked goroutines with a frame matching
// fn. A goroutine that is running or runnable is on its way somewhere, a
// leaked one waits forever.
func blockedIn(fn string) []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[running") || strings.Contains(header, "[runnable") {
			continue
		}
		if strings.Contains(g, fn) && !strings.Contains(g, "discordtest.Test") {
			out = append(out, g)
		}
	}
	return out
}
