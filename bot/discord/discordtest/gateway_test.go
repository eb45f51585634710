package discordtest

import (
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestOpenReceivesReady(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	// The *Ready handed to handlers shares its guilds with State, which
	// GUILD_CREATE then overwrites in place (state.go:142): read them only
	// in a synchronous handler, before the next event is processed.
	type readyCopy struct {
		User        *discordgo.User
		Application *discordgo.Application
		GuildIDs    []string
	}
	ready := make(chan readyCopy, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.SyncEvents = true
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
			c := readyCopy{User: r.User, Application: r.Application}
			for _, g := range r.Guilds {
				c.GuildIDs = append(c.GuildIDs, g.ID)
			}
			ready <- c
		})
	})
	r := recv(ctx, t, ready, "READY")
	if r.User == nil || r.User.ID != srv.Bot().ID || !r.User.Bot || r.User.Username != srv.Bot().Username {
		t.Errorf("READY user = %+v, want the bot %+v", r.User, srv.Bot())
	}
	if r.Application == nil || r.Application.ID != srv.AppID() {
		t.Errorf("READY application = %+v, want id %s", r.Application, srv.AppID())
	}
	if len(r.GuildIDs) != 1 || r.GuildIDs[0] != srv.Guild().ID {
		t.Errorf("READY guilds = %v, want the default guild", r.GuildIDs)
	}
	if s.State.User.ID != srv.Bot().ID {
		t.Errorf("State.User = %+v", s.State.User)
	}
	if _, err := srv.WaitFrame(ctx, SentDispatch("GUILD_CREATE")); err != nil {
		t.Fatal(err)
	}
	typing := make(chan *discordgo.TypingStart, 1)
	s.AddHandler(func(_ *discordgo.Session, e *discordgo.TypingStart) { typing <- e })
	if !srv.Dispatch("TYPING_START", srv.Guild().ID, map[string]any{"channel_id": srv.Channel().ID, "guild_id": srv.Guild().ID, "user_id": srv.Human().ID, "timestamp": 1}) {
		t.Fatal("no session for the default guild")
	}
	if e := recv(ctx, t, typing, "TYPING_START"); e.UserID != srv.Human().ID {
		t.Errorf("TYPING_START = %+v", e)
	}

	conns := srv.Conns()
	if len(conns) != 1 || conns[0].Identify == nil {
		t.Fatalf("conns = %+v, want one identified", conns)
	}
	id := conns[0].Identify
	if id.Intents != int64(discordgo.IntentsAllWithoutPrivileged) || id.Shard != [2]int{0, 1} || id.Token != "Bot "+srv.Token() {
		t.Errorf("IDENTIFY = %+v", id)
	}
	if conns[0].URL != "/gateway/?v=9&encoding=json" {
		t.Errorf("dialed %q", conns[0].URL)
	}
}

func TestHeartbeatIsAcknowledged(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	marker := make(chan struct{}, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.SyncEvents = true
		s.AddHandler(func(*discordgo.Session, *discordgo.InteractionCreate) { marker <- struct{}{} })
	})
	// discordgo sends its first heartbeat as soon as it is connected.
	beat, err := srv.WaitFrame(ctx, Received(1))
	if err != nil {
		t.Fatal(err)
	}
	if beat.Seq < 1 {
		t.Errorf("heartbeat carries seq %d, want at least READY's 1", beat.Seq)
	}
	ack, err := srv.WaitFrame(ctx, func(f Frame) bool { return f.Sent && f.Op == 11 })
	if err != nil {
		t.Fatal(err)
	}
	// The bot reads frames in order: once it has handled a dispatch sent
	// after the ACK, it has processed the ACK.
	srv.DispatchCommand(Command{Name: "marker"})
	recv(ctx, t, marker, "marker interaction")
	s.RLock()
	last := s.LastHeartbeatAck
	s.RUnlock()
	if last.Before(ack.Time) {
		t.Errorf("LastHeartbeatAck %v is not after the ACK was sent at %v", last, ack.Time)
	}
}

// Without ACKs discordgo declares the connection a zombie. It closes it
// with 1000 — which ends a Discord session — so its RESUME is refused
// with op 9 and it identifies again.
func TestZombieConnectionReidentifies(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t, WithHeartbeatInterval(20*time.Millisecond))
	srv.SetHeartbeatACKs(false)
	ready := make(chan *discordgo.Ready, 2)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	})
	first := recv(ctx, t, ready, "first READY")
	if _, err := srv.WaitFrame(ctx, func(f Frame) bool { return f.Conn == 1 && f.Op == OpClose }); err != nil {
		t.Fatal(err)
	}
	srv.SetHeartbeatACKs(true)
	second := recv(ctx, t, ready, "second READY")
	if second.SessionID == first.SessionID {
		t.Errorf("same session after re-identify")
	}
	var ops []int
	for _, f := range srv.Frames() {
		if f.Conn == 2 && f.Op != 1 && f.Op != 11 {
			ops = append(ops, f.Op)
		}
	}
	want := []int{10, 6, 9, 2, 0}
	if len(ops) < len(want) || !equalInts(ops[:len(want)], want) {
		t.Errorf("ops on second connection = %v, want %v…", ops, want)
	}
	if c := srv.Conns()[0]; c.BotClose != websocket.CloseNormalClosure {
		t.Errorf("bot closed the zombie with %d", c.BotClose)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A dropped connection is resumed, and what was dispatched while the bot
// was away is replayed once.
func TestDropResumesAndReplaysOnce(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := New(t)
	seen := map[string]int{}
	got := make(chan string, 10)
	resumed := make(chan struct{}, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.SyncEvents = true // handlers in order, on the read loop
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) {
			seen[i.ID]++
			got <- i.ID
		})
		s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })
	})
	before := srv.DispatchCommand(Command{Origin: Origin{GuildID: srv.Guild().ID}, Name: "before"})
	recv(ctx, t, got, "first interaction")

	release := srv.HoldConnections()
	srv.DropConnections()
	away := srv.DispatchCommand(Command{Origin: Origin{GuildID: srv.Guild().ID}, Name: "while-away"})
	release()

	recv(ctx, t, resumed, "RESUMED")
	resume, err := srv.WaitFrame(ctx, Received(6))
	if err != nil {
		t.Fatal(err)
	}
	if resume.Conn != 2 || resume.Seq != 3 {
		t.Errorf("RESUME on conn %d with seq %d, want conn 2 seq 3 (READY, GUILD_CREATE, first interaction)", resume.Conn, resume.Seq)
	}
	if id := recv(ctx, t, got, "replayed interaction"); id != away.ID {
		t.Errorf("handled %s after resume, want %s", id, away.ID)
	}
	after := srv.DispatchCommand(Command{Origin: Origin{GuildID: srv.Guild().ID}, Name: "after"})
	if id := recv(ctx, t, got, "interaction after resume"); id != after.ID {
		t.Errorf("handled %s, want %s", id, after.ID)
	}
	for _, id := range []string{before.ID, away.ID, after.ID} {
		if seen[id] != 1 {
			t.Errorf("interaction %s handled %d times, want once", id, seen[id])
		}
	}
	if c := srv.Conns(); len(c) != 2 || !c[1].Resumed || c[1].SessionID != c[0].SessionID {
		t.Errorf("conns = %+v, want the second resuming the first's session", c)
	}
}

// At first connect a rejected IDENTIFY makes Open return the close error;
// discordgo does not retry on its own.
func TestOpenRejectsBadToken(t *testing.T) {
	t.Parallel()
	srv := New(t)
	s := srv.Session("not-the-token")
	err := s.Open()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != CloseAuthenticationFailed {
		t.Fatalf("Open = %v, want close 4004", err)
	}
	if n := srv.Starts(); n != 1 {
		t.Errorf("%d IDENTIFYs, want 1", n)
	}
}

func TestIdentifyRejections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  []Option
		setup func(*discordgo.Session)
		code  int
	}{
		{"message content not enabled", nil, func(s *discordgo.Session) {
			s.Identify.Intents |= discordgo.IntentMessageContent
		}, CloseDisallowedIntents},
		{"guild members not enabled", []Option{WithPrivilegedIntents(IntentMessageContent)}, func(s *discordgo.Session) {
			s.Identify.Intents |= discordgo.IntentGuildMembers
		}, CloseDisallowedIntents},
		{"unknown intent bit", nil, func(s *discordgo.Session) { s.Identify.Intents |= 1 << 40 }, CloseInvalidIntents},
		{"shard out of range", nil, func(s *discordgo.Session) {
			s.Identify.Shard = &[2]int{2, 2}
		}, CloseInvalidShard},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := New(t, tt.opts...)
			s := srv.Session(srv.Token())
			tt.setup(s)
			err := s.Open()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != tt.code {
				t.Fatalf("Open = %v, want close %d", err, tt.code)
			}
		})
	}
}

func TestPrivilegedIntentAllowed(t *testing.T) {
	t.Parallel()
	srv := New(t, WithPrivilegedIntents(IntentMessageContent))
	openSession(t, srv, func(s *discordgo.Session) { s.Identify.Intents |= discordgo.IntentMessageContent })
}
