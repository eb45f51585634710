package discordtest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestCloseCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code    int
		resumed bool // else the bot identifies again
	}{
		{CloseUnknownError, true},
		{CloseRateLimited, true},
		{CloseSessionTimedOut, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			srv := New(t)
			resumed := make(chan struct{}, 1)
			ready := make(chan string, 2)
			openSession(t, srv, func(s *discordgo.Session) {
				s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })
				s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r.SessionID })
			})
			first := recv(ctx, t, ready, "READY")
			srv.CloseConnections(tt.code)
			if tt.resumed {
				recv(ctx, t, resumed, "RESUMED")
			} else if again := recv(ctx, t, ready, "second READY"); again == first {
				t.Errorf("re-identified into the same session")
			}
			if _, err := srv.WaitFrame(ctx, After(0, func(f Frame) bool { return f.Conn == 2 && !f.Sent && f.Op == 6 })); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestReconnectOpcode(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	resumed := make(chan struct{}, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })
	})
	srv.SendReconnect()
	recv(ctx, t, resumed, "RESUMED")
	if c := srv.Conns()[0]; c.BotClose != websocket.CloseServiceRestart {
		t.Errorf("bot closed with %d, want 1012 (which keeps the session)", c.BotClose)
	}
}

// discordgo answers op 9 with IDENTIFY on the same connection whatever its
// d says (wsapi.go onEvent), so even a resumable invalidation starts a new
// session.
func TestInvalidSessionReidentifiesOnSameConnection(t *testing.T) {
	t.Parallel()
	for _, resumable := range []bool{false, true} {
		t.Run(fmt.Sprint("resumable=", resumable), func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			srv := New(t)
			ready := make(chan string, 2)
			openSession(t, srv, func(s *discordgo.Session) {
				s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r.SessionID })
			})
			first := recv(ctx, t, ready, "READY")
			srv.InvalidateSessions(resumable)
			if again := recv(ctx, t, ready, "second READY"); again == first {
				t.Error("same session")
			}
			if c := srv.Conns(); len(c) != 1 {
				t.Errorf("%d connections, want the same one", len(c))
			}
		})
	}
}

// After a fatal close code during a reconnect, discordgo's own loop
// (wsapi.go reconnect) retries forever with a growing wait, because it
// ignores close codes. Here it is stopped by restoring the token.
func TestFatalCloseDuringReconnectIsRetriedForever(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	resumed := make(chan struct{}, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })
	})
	token := srv.Token()
	srv.SetToken("revoked")
	srv.DropConnections()
	rejected := 0
	_, err := srv.WaitFrame(ctx, func(f Frame) bool {
		if f.Sent && f.Op == OpClose && f.Close == CloseAuthenticationFailed && f.Order > 0 {
			rejected = max(rejected, f.Conn-1)
		}
		return rejected >= 2
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetToken(token)
	recv(ctx, t, resumed, "RESUMED once the token is valid again")
}

// fatalClose reports whether a gateway close code forbids reconnecting.
func fatalClose(code int) bool {
	switch code {
	case CloseAuthenticationFailed, CloseInvalidShard, CloseShardingRequired,
		CloseInvalidAPIVersion, CloseInvalidIntents, CloseDisallowedIntents:
		return true
	}
	return false
}

// supervise is the reconnect loop recommended for the adapter: with
// ShouldReconnectOnError off, discordgo only reports a lost connection
// (the Disconnect event); supervise reopens it — Open resumes, since the
// session keeps its ID and sequence — and stops with an error when
// Discord answers with a fatal close code. It must run before the first
// disconnect can happen, and ctx must be cancelled before s.Close, whose
// Disconnect would otherwise be taken for a lost connection.
func supervise(ctx context.Context, s *discordgo.Session, backoff func(attempt int) time.Duration) error {
	lost := make(chan struct{}, 1)
	remove := s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		select {
		case lost <- struct{}{}:
		default:
		}
	})
	defer remove()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-lost:
		}
		for attempt := 0; ; attempt++ {
			err := s.Open()
			if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
				break
			}
			var ce *websocket.CloseError
			if errors.As(err, &ce) && fatalClose(ce.Code) {
				return fmt.Errorf("discord gateway refused the bot: %w", err)
			}
			t := time.NewTimer(backoff(attempt))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
}

func TestSupervisedReconnect(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	resumed := make(chan struct{}, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.ShouldReconnectOnError = false
		s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })
	})
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- supervise(sctx, s, func(int) time.Duration { return 0 }) }()

	// A lost connection is resumed by the supervisor.
	srv.DropConnections()
	recv(ctx, t, resumed, "RESUMED")
	if c := srv.Conns(); len(c) != 2 || !c[1].Resumed {
		t.Fatalf("conns = %+v", c)
	}

	// A revoked token ends the loop with the close error.
	srv.SetToken("revoked")
	srv.DropConnections()
	err := recv(ctx, t, done, "supervisor to stop")
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != CloseAuthenticationFailed {
		t.Fatalf("supervise = %v, want close 4004", err)
	}
	if n := len(srv.Conns()); n != 3 {
		t.Errorf("%d connections, want 3: one refused attempt, no retry", n)
	}
}

func TestShardRouting(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	// A guild on each of two shards: shard = (id >> 22) % 2.
	byShard := map[int]string{}
	for shard := range 2 {
		g := srv.AddGuild(Guild{ID: strconv.FormatUint(uint64(1000+shard)<<22, 10)})
		srv.AddChannel(Channel{GuildID: g.ID})
		byShard[shard] = g.ID
	}
	type got struct {
		shard int
		id    string
	}
	ch := make(chan got, 8)
	for shard := range 2 {
		openSession(t, srv, func(s *discordgo.Session) {
			s.ShardID, s.ShardCount = shard, 2
			s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { ch <- got{shard, i.ID} })
		})
	}
	for shard := range 2 {
		if id := srv.Conns()[shard].Identify.Shard; id != [2]int{shard, 2} {
			t.Errorf("IDENTIFY shard = %v", id)
		}
	}
	for shard, gid := range byShard {
		in := srv.DispatchCommand(Command{Origin: Origin{GuildID: gid}, Name: "x"})
		if g := recv(ctx, t, ch, "interaction"); g.shard != shard || g.id != in.ID {
			t.Errorf("guild %s (shard %d) went to shard %d", gid, shard, g.shard)
		}
	}
	srv.DispatchCommand(Command{Name: "dm"})
	if g := recv(ctx, t, ch, "DM interaction"); g.shard != 0 {
		t.Errorf("DM went to shard %d", g.shard)
	}
}

func TestCompressedPayloads(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t, WithCompression())
	s, got := interactions(t, srv, nil)
	srv.DispatchCommand(Command{Name: "zipped"})
	i := recv(ctx, t, got, "INTERACTION_CREATE")
	if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	if !srv.Conns()[0].Identify.Compress {
		t.Error("discordgo did not ask for compression")
	}
}
