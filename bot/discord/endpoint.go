package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/bwmarrin/discordgo"
)

// DefaultMaxBody bounds the body of a request to the endpoint. Discord's
// interactions are a few kilobytes; a large modal or a message command's
// resolved message stays well under this.
const DefaultMaxBody = 1 << 20

// maxSkew is how far from now an interaction's signed timestamp may be:
// an older one is a replay.
const maxSkew = 5 * time.Minute

// EndpointConfig configures an Endpoint.
type EndpointConfig struct {
	// Client is the REST client that edits answers and sends follow-ups:
	// required.
	Client *Client
	// PublicKey is the application's public key, from the developer
	// portal (General Information → Public Key): 64 hexadecimal
	// characters. See ParsePublicKey.
	PublicKey string
	// DeferAfter is how long an answer may take before the interaction is
	// acknowledged with a deferral and edited later; Discord allows 3 s.
	// Default 2 s.
	DeferAfter time.Duration
	// MaxBody bounds a request's body (default DefaultMaxBody); a larger
	// one is refused with 413.
	MaxBody int64
	// Clock times the deferral and tells whether a signature's timestamp
	// is fresh. Nil is the system clock.
	Clock bot.Clock
}

// Endpoint is Discord's Interactions Endpoint URL: an http.Handler for
// POST /interactions, to which Discord posts every interaction when the
// developer portal names it, instead of sending them over the gateway.
// It needs no gateway and keeps no state between requests, so that any
// number of replicas behind a load balancer can share the work.
//
// Each request must carry Discord's Ed25519 signature of its timestamp
// and body (X-Signature-Ed25519, X-Signature-Timestamp); anything else
// gets 401, as Discord checks when the URL is set. A PING is answered
// with a PONG. Every other interaction is answered as the gateway answers
// it, by the same code: the answer goes in the HTTP response when the core
// is quick, else a deferral does, and the answer is edited in through the
// REST webhooks, which is also how rephrasings and follow-ups arrive.
type Endpoint struct {
	*answerer
	key      ed25519.PublicKey
	maxBody  int64
	inflight sync.WaitGroup
	closing  atomic.Bool
	bufs     sync.Pool
}

// ParsePublicKey reads an application's public key as the developer portal
// shows it.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("the public key must be the 64 hexadecimal characters under General Information → Public Key in the developer portal (got %d characters)", len(s))
	}
	return ed25519.PublicKey(b), nil
}

// NewEndpoint returns the endpoint that answers with h the commands cmds,
// which it does not register: who runs it does (Client.RegisterCommands),
// as briefbot serve does, or a gateway does in the same process.
func NewEndpoint(cfg EndpointConfig, h bot.Handler, cmds []bot.Command) (*Endpoint, error) {
	if cfg.Client == nil {
		return nil, errors.New("an interactions endpoint needs a REST client")
	}
	key, err := ParsePublicKey(cfg.PublicKey)
	if err != nil {
		return nil, err
	}
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = 2 * time.Second
	}
	if cfg.DeferAfter >= 3*time.Second {
		return nil, fmt.Errorf("defer-after %v is too late: Discord drops interactions not acknowledged within 3s", cfg.DeferAfter)
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	e := &Endpoint{answerer: newAnswerer(cfg.Client, h, cfg.Clock, cfg.DeferAfter), key: key, maxBody: cfg.MaxBody}
	e.bufs.New = func() any { return new(bytes.Buffer) }
	e.know(cmds)
	return e, nil
}

// SetCommands makes cmds the commands the endpoint answers, as after new
// content is loaded: an always-private one is acknowledged privately.
// Registering them with Discord is for whoever runs the endpoint.
func (e *Endpoint) SetCommands(cmds []bot.Command) { e.know(cmds) }

// pong is the answer to Discord's PING.
var pong = []byte(`{"type":1}`)

// ServeHTTP answers one interaction.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	received := e.clock.Now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST interactions here", http.StatusMethodNotAllowed)
		return
	}
	if e.closing.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	buf := e.bufs.Get().(*bytes.Buffer)
	defer e.putBuffer(buf)
	body, status := e.verified(r, buf, received)
	if status != http.StatusOK {
		http.Error(w, http.StatusText(status), status)
		return
	}
	var i discordgo.Interaction
	if err := decodeInteraction(body, &i); err != nil {
		e.log.Warn("an interaction that does not decode", "err", err, "bytes", len(body))
		writeJSON(w, unreadable)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, pong)
		return
	}

	cb := &httpCallback{resp: make(chan []byte, 1), written: make(chan error, 1), gone: make(chan struct{})}
	finished := make(chan struct{})
	e.inflight.Add(1)
	go func() {
		defer e.inflight.Done()
		defer close(finished)
		defer recoverPanic(e.log, "answering an interaction")
		// The answer may go on after the response, as edits: it is not
		// the HTTP request's, and does not end with it.
		e.interaction(context.WithoutCancel(r.Context()), &i, received, cb.send)
	}()
	select {
	case resp := <-cb.resp:
		writeJSON(w, resp)
		err := http.NewResponseController(w).Flush()
		if errors.Is(err, http.ErrNotSupported) {
			err = nil // it goes when the handler returns
		}
		cb.written <- err
	case <-finished:
		// Nothing to say: the answer failed before its first response.
		http.Error(w, "no response", http.StatusInternalServerError)
	case <-r.Context().Done():
		close(cb.gone)
	}
}

// verified reads the body of r into buf after the signed timestamp, and
// returns it if Discord's signature of both holds; otherwise the status
// to refuse with.
func (e *Endpoint) verified(r *http.Request, buf *bytes.Buffer, now time.Time) ([]byte, int) {
	sigHex, ts := r.Header.Get("X-Signature-Ed25519"), r.Header.Get("X-Signature-Timestamp")
	var sig [ed25519.SignatureSize]byte
	if len(sigHex) != 2*len(sig) || ts == "" {
		return nil, http.StatusUnauthorized
	}
	if _, err := hex.Decode(sig[:], []byte(sigHex)); err != nil {
		return nil, http.StatusUnauthorized
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, http.StatusUnauthorized
	}
	if skew := now.Sub(time.Unix(secs, 0)); skew > maxSkew || skew < -maxSkew {
		return nil, http.StatusUnauthorized
	}
	if r.ContentLength > e.maxBody {
		return nil, http.StatusRequestEntityTooLarge
	}
	buf.WriteString(ts)
	n, err := buf.ReadFrom(io.LimitReader(r.Body, e.maxBody+1))
	switch {
	case n > e.maxBody:
		return nil, http.StatusRequestEntityTooLarge
	case err != nil:
		return nil, http.StatusBadRequest
	}
	msg := buf.Bytes()
	if !ed25519.Verify(e.key, msg, sig[:]) {
		return nil, http.StatusUnauthorized
	}
	return msg[len(ts):], http.StatusOK
}

// putBuffer returns a body buffer to the pool, unless a huge body grew it.
func (e *Endpoint) putBuffer(b *bytes.Buffer) {
	if b.Cap() > 64<<10 {
		return
	}
	b.Reset()
	e.bufs.Put(b)
}

// Shutdown refuses new interactions and waits, until ctx is done, for
// the answers in flight to be sent: deferred answers and rephrasings
// edited in after the response. Stop the HTTP server first.
func (e *Endpoint) Shutdown(ctx context.Context) error {
	e.closing.Store(true)
	done := make(chan struct{})
	go func() { e.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		e.log.Warn("shutting down with answers still in flight")
		return ctx.Err()
	}
}

// unreadable answers an interaction that does not decode: Discord signed
// it, so the person who sent it sees this.
var unreadable = mustMarshal(&discordgo.InteractionResponse{
	Type: discordgo.InteractionResponseChannelMessageWithSource,
	Data: responseData(errorReply(bot.Errorf(bot.Invalid, "briefbot could not read this request."))),
})

func writeJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// httpCallback is the first response of an interaction posted to the
// endpoint: the HTTP response, which ServeHTTP writes.
type httpCallback struct {
	once    sync.Once
	resp    chan []byte
	written chan error
	gone    chan struct{} // the request ended without a response
}

// errAcknowledged is a second response to one interaction.
var errAcknowledged = errors.New("the interaction has already been responded to")

// errGone is a response to a request Discord no longer waits for.
var errGone = errors.New("the HTTP request ended before the response")

// send hands r to ServeHTTP and waits until it is written.
func (c *httpCallback) send(ctx context.Context, r *discordgo.InteractionResponse) error {
	body, err := callbackJSON(r)
	if err != nil {
		return err
	}
	sent := false
	c.once.Do(func() { sent = true })
	if !sent {
		return errAcknowledged
	}
	select {
	case c.resp <- body:
	case <-c.gone:
		return errGone
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-c.written
}

// callbackJSON is an interaction response as Discord reads it. An
// autocomplete's choices are sent even when empty, as "choices":[],
// which Discord wants present and discordgo would omit.
func callbackJSON(r *discordgo.InteractionResponse) ([]byte, error) {
	if r.Type == discordgo.InteractionApplicationCommandAutocompleteResult && (r.Data == nil || len(r.Data.Choices) == 0) {
		return []byte(`{"type":8,"data":{"choices":[]}}`), nil
	}
	return encodeResponse(r)
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

var _ http.Handler = (*Endpoint)(nil)
