package discordtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault makes matching REST requests fail, wait, or both. Faults are
// checked in the order they were injected; the first that matches applies.
type Fault struct {
	Method string // "" matches any method
	// Path is matched against the path below /api/v9, segment by segment;
	// "*" matches any one segment and "" matches every path. For example
	// "/interactions/*/*/callback" or "/webhooks/*/*/messages/@original".
	Path  string
	Times int // how many requests it applies to: 0 means 1, a negative number means all

	Status int         // answer with this status; 0 passes the request on after any wait
	Body   any         // the JSON body; []byte and json.RawMessage are sent as they are
	Header http.Header // extra response headers

	Delay time.Duration   // wait this long before answering (real time)
	Hold  <-chan struct{} // wait until this is closed before answering
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// FailNext makes the next n requests matching method and path fail with
// status and the given JSON body (nil for Discord's generic body).
func (s *Server) FailNext(method, path string, n, status int, body any) {
	s.Inject(Fault{Method: method, Path: path, Times: n, Status: status, Body: body})
}

// Hold makes requests matching method and path wait until release is
// called, so that a test can observe a bot while a call is in flight.
func (s *Server) Hold(method, path string) (release func()) {
	ch := make(chan struct{})
	s.Inject(Fault{Method: method, Path: path, Times: -1, Hold: ch})
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			for i, f := range s.faults {
				if f.Hold == (<-chan struct{})(ch) {
					s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
					break
				}
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}

// RateLimit is a Fault answering like Discord's rate limiter: 429 with
// retry_after (seconds, fractional) in the body, Retry-After (whole
// seconds, rounded up) and the X-RateLimit headers. global marks a global
// limit (X-RateLimit-Global, scope "global").
func RateLimit(method, path string, retryAfter time.Duration, global bool) Fault {
	secs := retryAfter.Seconds()
	scope := "user"
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	if global {
		h.Set("X-RateLimit-Global", "true")
		scope = "global"
	}
	h.Set("X-RateLimit-Scope", scope)
	return Fault{
		Method: method, Path: path, Status: http.StatusTooManyRequests, Header: h,
		Body: obj{"message": messageRateLimited, "retry_after": secs, "global": global, "code": 0},
	}
}

// ServerError is a Fault answering with a 5xx status and Discord's body.
func ServerError(method, path string, status int) Fault {
	return Fault{Method: method, Path: path, Status: status,
		Body: obj{"message": fmt.Sprintf("%d: %s", status, http.StatusText(status)), "code": 0}}
}

func (f *Fault) matches(method, path string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	want := strings.Split(strings.Trim(f.Path, "/"), "/")
	got := strings.Split(strings.Trim(path, "/"), "/")
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if want[i] != "*" && want[i] != got[i] {
			return false
		}
	}
	return true
}

// takeFaultLocked returns the first fault matching the request, using up
// one of its times.
func (s *Server) takeFaultLocked(method, path string) *Fault {
	for i, f := range s.faults {
		if !f.matches(method, path) {
			continue
		}
		cp := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &cp
	}
	return nil
}

func faultBody(f *Fault) []byte {
	switch b := f.Body.(type) {
	case nil:
		return mustJSON(obj{"message": fmt.Sprintf("%d: %s", f.Status, http.StatusText(f.Status)), "code": 0})
	case []byte:
		return b
	case json.RawMessage:
		return b
	default:
		return mustJSON(b)
	}
}
