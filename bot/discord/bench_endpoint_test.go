package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/briefbot/briefbot/bot/discord"
)

// BenchmarkEndpoint answers a signed /summary through the endpoint's
// ServeHTTP, in-process: the cost of one interaction over HTTP, without
// the network. BenchmarkVerify is the Ed25519 verification alone.
func BenchmarkEndpoint(b *testing.B) {
	pub, key, _ := ed25519.GenerateKey(nil)
	clock := newClock()
	client, _ := discord.NewClient(discord.Config{Session: newRecorder()})
	ep, err := discord.NewEndpoint(discord.EndpointConfig{Client: client, PublicKey: hex.EncodeToString(pub), Clock: clock}, coreBot(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	body, err := os.ReadFile("testdata/http/summary.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		ep.ServeHTTP(w, signed(key, clock.Now(), body))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	pub, key, _ := ed25519.GenerateKey(nil)
	body, _ := os.ReadFile("testdata/http/summary.json")
	msg := append([]byte("1772442000"), body...)
	sig := ed25519.Sign(key, msg)
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("no")
		}
	}
}

// BenchmarkEndpointHTTP is BenchmarkEndpoint behind net/http on
// loopback, the requests signed ahead and posted over keep-alive
// connections from the same process.
func BenchmarkEndpointHTTP(b *testing.B) {
	pub, key, _ := ed25519.GenerateKey(nil)
	clock := newClock()
	client, _ := discord.NewClient(discord.Config{Session: newRecorder()})
	ep, err := discord.NewEndpoint(discord.EndpointConfig{Client: client, PublicKey: hex.EncodeToString(pub), Clock: clock}, coreBot(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(ep)
	defer srv.Close()
	body, _ := os.ReadFile("testdata/http/summary.json")
	req := signed(key, clock.Now(), body)
	sig, ts := req.Header.Get("X-Signature-Ed25519"), req.Header.Get("X-Signature-Timestamp")
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		for pb.Next() {
			r, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
			r.Header.Set("X-Signature-Ed25519", sig)
			r.Header.Set("X-Signature-Timestamp", ts)
			resp, err := c.Do(r)
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
