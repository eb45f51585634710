package discordtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// appKeySeed makes the application's signing key: the same in every run,
// so that a test's public key is stable.
var appKeySeed = sha256.Sum256([]byte("discordtest application key"))

// PublicKey is the application's public key as the developer portal shows
// it: 64 hexadecimal characters. The fake signs what it posts to an
// interactions endpoint with the matching private key.
func (s *Server) PublicKey() string {
	return hex.EncodeToString(s.key.Public().(ed25519.PublicKey))
}

// Sign returns the X-Signature-Ed25519 of body at timestamp ts (Unix
// seconds, as sent in X-Signature-Timestamp), with the application's key:
// for tests that post to an endpoint themselves.
func (s *Server) Sign(ts string, body []byte) string {
	msg := append([]byte(ts), body...)
	return hex.EncodeToString(ed25519.Sign(s.key, msg))
}

// Delivery is one POST of an interaction to the interactions endpoint,
// and what the endpoint answered.
type Delivery struct {
	InteractionID string // "" for a PING
	Order         int64  // in the server's timeline
	Time, Done    time.Time
	Status        int             // 0 if the request failed
	Body          json.RawMessage // the response body
	Err           string          // why the request failed, or why the response was refused
}

// SetInteractionsEndpoint makes the fake post interactions to url, signed,
// as Discord does once the developer portal names an Interactions Endpoint
// URL, and no longer send them over the gateway; direct messages and
// every other event still come that way. The endpoint's HTTP response is
// the interaction's callback, held to the same rules as one sent over
// REST, and the interaction's webhooks wait for it.
//
// Like the portal, it first checks the endpoint: a signed PING must be
// answered with {"type":1}, and a PING with a bad signature with 401.
// When either fails it returns an error saying so and changes nothing.
// An empty url goes back to the gateway.
func (s *Server) SetInteractionsEndpoint(ctx context.Context, url string) error {
	if url == "" {
		s.mu.Lock()
		s.endpoint = ""
		s.mu.Unlock()
		return nil
	}
	web := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	s.t.Cleanup(web.CloseIdleConnections)
	ping := mustJSON(obj{"id": s.NewID(), "application_id": s.app.ID, "type": 1, "token": "ping", "version": 1})
	status, body, err := s.post(ctx, web, url, ping, true)
	if err != nil {
		return fmt.Errorf("the interactions endpoint could not be verified: %v", err)
	}
	var pong struct {
		Type int `json:"type"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &pong) != nil || pong.Type != 1 {
		return fmt.Errorf("the interactions endpoint could not be verified: a PING got %d %.200s, want 200 {\"type\":1}", status, body)
	}
	if status, body, err := s.post(ctx, web, url, ping, false); err != nil || status != http.StatusUnauthorized {
		return fmt.Errorf("the interactions endpoint could not be verified: a PING with a bad signature got %d %.200s (%v), want 401", status, body, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endpoint, s.web = url, web
	return nil
}

// Ping posts a signed PING to the interactions endpoint and returns what
// it answered.
func (s *Server) Ping(ctx context.Context) (int, []byte, error) {
	s.mu.Lock()
	url, web := s.endpoint, s.web
	s.mu.Unlock()
	if url == "" {
		return 0, nil, errors.New("discordtest: no interactions endpoint is set")
	}
	ping := mustJSON(obj{"id": s.NewID(), "application_id": s.app.ID, "type": 1, "token": "ping", "version": 1})
	return s.post(ctx, web, url, ping, true)
}

// Deliveries returns every POST of an interaction to the endpoint so far,
// in order.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	for i, d := range s.deliveries {
		out[i] = *d
	}
	return out
}

// post sends body to url, signed (or, if !valid, with a signature of
// something else), and returns the response.
func (s *Server) post(ctx context.Context, web *http.Client, url string, body []byte, valid bool) (int, []byte, error) {
	ts := strconv.FormatInt(s.now().Unix(), 10)
	sig := s.Sign(ts, body)
	if !valid {
		sig = s.Sign(ts, append([]byte("not "), body...))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Ed25519", sig)
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := web.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, out, err
}

// deliverLocked posts an interaction to the endpoint, in a goroutine of
// its own, and takes the response as its callback.
func (s *Server) deliverLocked(in *interaction) {
	d := &Delivery{InteractionID: in.ID}
	in.delivery = d
	s.deliveries = append(s.deliveries, d)
	url, web := s.endpoint, s.web
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-s.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		s.mu.Lock()
		in.sentAt = time.Now()
		d.Time = in.sentAt
		s.mu.Unlock()
		status, body, err := s.post(ctx, web, url, in.Payload, true)
		s.mu.Lock()
		defer s.mu.Unlock()
		d.Order, d.Done, d.Status, d.Body = s.nextOrderLocked(), time.Now(), status, body
		switch {
		case err != nil:
			d.Err = err.Error()
		case status != http.StatusOK:
			d.Err = fmt.Sprintf("the endpoint answered %d", status)
		default:
			if aerr := s.acceptCallbackLocked(in, body, d.Order, d.Done); aerr != nil {
				d.Err = fmt.Sprintf("%d %s", aerr.Status, mustJSON(aerr))
			}
		}
		if d.Err != "" {
			s.logf("delivery of interaction %s: %s", in.ID, d.Err)
		}
		s.notifyLocked()
	}()
}

// afterDelivery makes a webhook route wait until the interaction's POST to
// the endpoint, if it has one in flight, has been answered: Discord reads
// the HTTP response before the token's webhooks know of it.
func (s *Server) afterDelivery(h route) route {
	return func(r *http.Request, body []byte) (int, any) {
		token := r.PathValue("token")
		s.wait(r.Context(), func() bool {
			in, ok := s.byToken[token]
			return !ok || in.delivery == nil || !in.delivery.Done.IsZero()
		})
		return h(r, body)
	}
}
