package discordtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// Request is one REST request as the fake received and answered it.
type Request struct {
	Order  int64     // position in the server's single timeline of requests and frames
	Time   time.Time // when it arrived (real clock)
	Method string
	Path   string // below /api/v9, e.g. "/channels/123/messages"
	Route  string // the matched route, e.g. "POST /channels/{channel}/messages"; "" if none
	Query  url.Values
	Header http.Header     // as sent, without Authorization
	Body   json.RawMessage // the JSON body (payload_json of a multipart body); nil if none

	Status   int       // the status the fake answered; 0 while in flight
	Response []byte    // the body the fake answered
	Fault    bool      // answered by an injected Fault
	Done     time.Time // when it was answered (real clock)
}

// AllowedMentions returns the allowed_mentions object of the request body,
// looking also inside "data" (interaction callbacks), and whether it was
// present at all.
func (r Request) AllowedMentions() (json.RawMessage, bool) {
	var body struct {
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
		Data            *struct {
			AllowedMentions json.RawMessage `json:"allowed_mentions"`
		} `json:"data"`
	}
	if json.Unmarshal(r.Body, &body) != nil {
		return nil, false
	}
	if body.AllowedMentions != nil {
		return body.AllowedMentions, true
	}
	if body.Data != nil && body.Data.AllowedMentions != nil {
		return body.Data.AllowedMentions, true
	}
	return nil, false
}

// OpClose marks a Frame that records a websocket close rather than a payload.
const OpClose = -1

// Frame is one gateway payload the fake sent or received.
type Frame struct {
	Order int64
	Time  time.Time // real clock; a sent frame is recorded as it is handed to the socket
	Conn  int       // the connection, numbered from 1
	Sent  bool      // true: fake → bot; false: bot → fake
	Op    int       // gateway opcode, or OpClose
	Seq   int64     // "s" of a dispatch; the sequence acknowledged by a heartbeat or resume
	Type  string    // "t" of a dispatch
	Data  json.RawMessage
	Close int // the close code, for OpClose frames (0: dropped without a close frame)
}

// Conn describes one gateway connection.
type Conn struct {
	ID        int
	URL       string // the path and query the bot dialed
	SessionID string // the gateway session it identified or resumed, if any
	Identify  *Identify
	Resumed   bool
	Open      bool
	CloseCode int // the code the fake closed it with (0: still open, dropped or closed by the bot)
	BotClose  int // the code the bot closed it with, if it sent a close frame
}

// Identify is the IDENTIFY payload a connection sent.
type Identify struct {
	Token          string
	Intents        int64
	Shard          [2]int // [0, 1] when the bot sent no shard
	Compress       bool
	LargeThreshold int
	Properties     map[string]string
	Raw            json.RawMessage
}

// Requests returns every REST request so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
	}
	return out
}

// Frames returns every gateway frame so far, in order.
func (s *Server) Frames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Frame(nil), s.frames...)
}

// Conns returns every gateway connection so far, in order.
func (s *Server) Conns() []Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Conn, len(s.conns))
	for i, c := range s.conns {
		out[i] = c.infoLocked()
	}
	return out
}

// Mark returns the position of the latest recorded request or frame. Use
// it with Order to wait only for what happens after a point.
func (s *Server) Mark() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order
}

// WaitRequest waits for the first answered REST request that satisfies
// match and returns it.
func (s *Server) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	var got Request
	err := s.wait(ctx, func() bool {
		for _, r := range s.requests {
			if r.Status != 0 && match(*r) {
				got = *r
				return true
			}
		}
		return false
	})
	return got, err
}

// WaitArrived waits for the first REST request that satisfies match,
// whether answered yet or not (Status 0 while in flight, e.g. held).
func (s *Server) WaitArrived(ctx context.Context, match func(Request) bool) (Request, error) {
	var got Request
	err := s.wait(ctx, func() bool {
		for _, r := range s.requests {
			if match(*r) {
				got = *r
				return true
			}
		}
		return false
	})
	return got, err
}

// WaitFrame waits for the first gateway frame that satisfies match.
func (s *Server) WaitFrame(ctx context.Context, match func(Frame) bool) (Frame, error) {
	var got Frame
	err := s.wait(ctx, func() bool {
		for _, f := range s.frames {
			if match(f) {
				got = f
				return true
			}
		}
		return false
	})
	return got, err
}

// Received matches a frame the bot sent with the given opcode.
func Received(op int) func(Frame) bool {
	return func(f Frame) bool { return !f.Sent && f.Op == op }
}

// SentDispatch matches a dispatch of the given type the fake sent.
func SentDispatch(eventType string) func(Frame) bool {
	return func(f Frame) bool { return f.Sent && f.Op == 0 && f.Type == eventType }
}

// After restricts match to frames recorded after mark (see Mark).
func After(mark int64, match func(Frame) bool) func(Frame) bool {
	return func(f Frame) bool { return f.Order > mark && match(f) }
}

func (s *Server) recordFrameLocked(f Frame) {
	f.Order = s.nextOrderLocked()
	f.Time = time.Now()
	s.frames = append(s.frames, f)
	s.notifyLocked()
	if s.cfg.verbose {
		dir := "←"
		if f.Sent {
			dir = "→"
		}
		s.logf("conn %d %s op %d s %d %s %s close %d", f.Conn, dir, f.Op, f.Seq, f.Type, f.Data, f.Close)
	}
}
