package discordtest

import (
	"context"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// testContext bounds a test's waits so that a broken test fails instead
// of hanging; nothing is timed by it.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// recv waits for a value from ch or fails the test when ctx ends.
func recv[T any](ctx context.Context, t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		t.Fatalf("waiting for %s: %v", what, ctx.Err())
		var zero T
		return zero
	}
}

// openSession opens a session on srv with the valid token after setup
// has had its say.
func openSession(t *testing.T, srv *Server, setup func(*discordgo.Session)) *discordgo.Session {
	t.Helper()
	s := srv.Session(srv.Token())
	if setup != nil {
		setup(s)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// must fails the test on err.
func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
