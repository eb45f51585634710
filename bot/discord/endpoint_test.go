package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord"
)

// signed is a POST to the endpoint as Discord makes it: the body, the
// timestamp, and the Ed25519 signature of both with key.
func signed(key ed25519.PrivateKey, ts time.Time, body []byte) *http.Request {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req := httptest.NewRequest(http.MethodPost, "/interactions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	req.Header.Set("X-Signature-Timestamp", stamp)
	return req
}

// TestEndpointSignatures posts a Discord-shaped slash command, signed with
// a key made for the test, as Discord would and as an attacker might: only
// a valid signature of a fresh timestamp and the very body is answered.
func TestEndpointSignatures(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	clock := newClock()
	client, err := discord.NewClient(discord.Config{Session: newRecorder()})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := discord.NewEndpoint(discord.EndpointConfig{Client: client, PublicKey: hex.EncodeToString(pub), Clock: clock}, coreBot(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile("testdata/http/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	now := clock.Now()
	ping := []byte(`{"application_id":"1191168914231394305","id":"1191169500000000124","token":"aW50ZXJhY3Rpb24","type":1,"user":{"id":"1191169000000000300","username":"discord"},"version":1}`)
	huge := append(bytes.Repeat([]byte(" "), 2<<20), body...) // valid JSON, 2 MB

	for _, tt := range []struct {
		name   string
		req    func() *http.Request
		status int
		want   string // in the response body
	}{
		{"valid", func() *http.Request { return signed(key, now, body) }, 200, `"type":4`},
		{"ping", func() *http.Request { return signed(key, now, ping) }, 200, `{"type":1}`},
		{"timestamp a minute old", func() *http.Request { return signed(key, now.Add(-time.Minute), body) }, 200, `"type":4`},
		{"tampered body", func() *http.Request {
			r := signed(key, now, body)
			r.Body = readCloser(bytes.Replace(body, []byte(`"summary"`), []byte(`"timeline"`), 1))
			return r
		}, 401, ""},
		{"tampered timestamp", func() *http.Request {
			r := signed(key, now, body)
			r.Header.Set("X-Signature-Timestamp", strconv.FormatInt(now.Unix()+1, 10))
			return r
		}, 401, ""},
		{"stale timestamp", func() *http.Request { return signed(key, now.Add(-6*time.Minute), body) }, 401, ""},
		{"timestamp from the future", func() *http.Request { return signed(key, now.Add(6*time.Minute), body) }, 401, ""},
		{"timestamp not a number", func() *http.Request {
			r := signed(key, now, body)
			r.Header.Set("X-Signature-Timestamp", "yesterday")
			return r
		}, 401, ""},
		{"corrupted signature", func() *http.Request {
			r := signed(key, now, body)
			sig := []byte(r.Header.Get("X-Signature-Ed25519"))
			sig[10] ^= 1 // '0'..'f' stays hex or not, either way wrong
			r.Header.Set("X-Signature-Ed25519", string(sig))
			return r
		}, 401, ""},
		{"short signature", func() *http.Request {
			r := signed(key, now, body)
			r.Header.Set("X-Signature-Ed25519", r.Header.Get("X-Signature-Ed25519")[:126])
			return r
		}, 401, ""},
		{"no signature", func() *http.Request {
			r := signed(key, now, body)
			r.Header.Del("X-Signature-Ed25519")
			return r
		}, 401, ""},
		{"no timestamp", func() *http.Request {
			r := signed(key, now, body)
			r.Header.Del("X-Signature-Timestamp")
			return r
		}, 401, ""},
		{"no headers", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/interactions", bytes.NewReader(body))
		}, 401, ""},
		{"wrong key", func() *http.Request { return signed(otherKey, now, body) }, 401, ""},
		{"wrong key, a ping", func() *http.Request { return signed(otherKey, now, ping) }, 401, ""},
		{"huge body", func() *http.Request { return signed(key, now, huge) }, 413, ""},
		{"huge body, no length", func() *http.Request {
			r := signed(key, now, huge)
			r.ContentLength = -1
			return r
		}, 413, ""},
		{"signed, not JSON", func() *http.Request { return signed(key, now, []byte("not json")) }, 200, "briefbot could not read this request."},
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/interactions", nil) }, 405, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			ep.ServeHTTP(w, tt.req())
			discord.WaitEndpoint(ep)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Fatalf("%d %.300s; want %d with %q", w.Code, w.Body, tt.status, tt.want)
			}
			if w.Code == 200 && w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
			}
		})
	}

	// The answer is the section, as the gateway's callback carries it.
	w := httptest.NewRecorder()
	ep.ServeHTTP(w, signed(key, now, body))
	var resp struct {
		Type int `json:"type"`
		Data struct {
			Embeds []struct {
				Title string `json:"title"`
			} `json:"embeds"`
			AllowedMentions json.RawMessage `json:"allowed_mentions"`
		} `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || len(resp.Data.Embeds) != 1 || !strings.Contains(string(resp.Data.AllowedMentions), `"parse":[]`) {
		t.Errorf("answer %s: %v", w.Body, err)
	}
}

func TestEndpointPublicKey(t *testing.T) {
	client, _ := discord.NewClient(discord.Config{Session: newRecorder()})
	for _, key := range []string{"", "abc", strings.Repeat("g", 64), strings.Repeat("a", 62), strings.Repeat("a", 66)} {
		if _, err := discord.NewEndpoint(discord.EndpointConfig{Client: client, PublicKey: key}, coreBot(t), nil); err == nil || !strings.Contains(err.Error(), "64 hexadecimal characters") {
			t.Errorf("public key %q: %v", key, err)
		}
	}
}

func readCloser(b []byte) *bodyReader { return &bodyReader{bytes.NewReader(b)} }

type bodyReader struct{ *bytes.Reader }

func (bodyReader) Close() error { return nil }
