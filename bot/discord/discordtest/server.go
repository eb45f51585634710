package discordtest

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// APIVersion is the REST and gateway API version the fake speaks; it is the
// one discordgo v0.29.0 asks for.
const APIVersion = "9"

const apiPrefix = "/api/v" + APIVersion

// Privileged gateway intents. IDENTIFY with any of them is refused with
// close code 4014 unless the server allows it (WithPrivilegedIntents).
const (
	IntentGuildMembers   = 1 << 1
	IntentGuildPresences = 1 << 8
	IntentMessageContent = 1 << 15

	privilegedIntents = IntentGuildMembers | IntentGuildPresences | IntentMessageContent

	intentGuilds         = 1 << 0
	intentGuildMessages  = 1 << 9
	intentDirectMessages = 1 << 12
	knownIntents         = 1<<26 - 1
)

// BasicPermissions is a plausible permission set for an ordinary member or
// for the bot in a channel: view channel, send messages, embed links,
// attach files, read message history, use application commands.
const BasicPermissions int64 = 1<<10 | 1<<11 | 1<<14 | 1<<15 | 1<<16 | 1<<31

// Defaults for the configurable windows.
const (
	DefaultInteractionWindow = 3 * time.Second
	DefaultNonceWindow       = 2 * time.Minute
	DefaultHeartbeatInterval = 41250 * time.Millisecond
	interactionTokenLifetime = 15 * time.Minute
)

// Option configures a Server.
type Option func(*config)

type config struct {
	now               func() time.Time
	interactionWindow time.Duration
	nonceWindow       time.Duration
	heartbeat         time.Duration
	privileged        int64
	shards            int
	compress          bool
	verbose           bool
}

// WithClock makes the server read time from now instead of time.Now, such
// as the Now of a bot/clocktest clock. The clock decides the interaction
// window, interaction token expiry and the nonce window; recorded
// timestamps always use the real clock so that latencies stay measurable.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithInteractionWindow sets how long after dispatch an interaction may be
// acknowledged (Discord: 3s). Later callbacks get 404 code 10062.
func WithInteractionWindow(d time.Duration) Option {
	return func(c *config) { c.interactionWindow = d }
}

// WithNonceWindow sets how long an enforced message nonce is remembered.
func WithNonceWindow(d time.Duration) Option { return func(c *config) { c.nonceWindow = d } }

// WithHeartbeatInterval sets the heartbeat_interval sent in HELLO; it is
// rounded to whole milliseconds, at least one (discordgo panics on zero).
func WithHeartbeatInterval(d time.Duration) Option {
	return func(c *config) { c.heartbeat = max(d.Round(time.Millisecond), time.Millisecond) }
}

// WithPrivilegedIntents allows the given privileged intents (a mask of
// IntentGuildMembers, IntentGuildPresences, IntentMessageContent), as if
// they were enabled in the developer portal.
func WithPrivilegedIntents(mask int64) Option { return func(c *config) { c.privileged = mask } }

// WithRecommendedShards sets the shard count GET /gateway/bot recommends.
func WithRecommendedShards(n int) Option { return func(c *config) { c.shards = n } }

// WithCompression makes the gateway zlib-compress every payload it sends
// to a connection whose IDENTIFY asked for compress: true, as Discord may.
func WithCompression() Option { return func(c *config) { c.compress = true } }

// WithVerbose logs every REST request and gateway frame with t.Logf.
func WithVerbose() Option { return func(c *config) { c.verbose = true } }

// Server is a fake Discord. It is safe for concurrent use. Create one with
// New; it shuts down when the test ends.
type Server struct {
	t     testing.TB
	cfg   config
	ts    *httptest.Server
	done  chan struct{}
	wg    sync.WaitGroup
	close sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change; see wait
	closed  bool
	order   int64
	idSeq   uint64

	token  string
	app    Application
	bot    User
	human  User
	guild  Guild
	room   Channel
	users  map[string]*User
	guilds map[string]*guildState
	gorder []string
	chans  map[string]*Channel
	dms    map[string]string // user ID → DM channel ID
	roles  map[string]*Role

	messages map[string]*Message
	morder   []string
	nonces   map[string]nonceEntry

	commands map[string][]*command // "" for global, else guild ID

	inters  map[string]*interaction
	iorder  []string
	byToken map[string]*interaction

	requests  []*Request
	frames    []Frame
	conns     []*conn
	sessions  []*session
	faults    []*Fault
	holdConns chan struct{}
	noAcks    bool
	starts    int

	key        ed25519.PrivateKey // the application's, which signs deliveries
	endpoint   string             // the interactions endpoint URL; "" for the gateway
	web        *http.Client       // posts to it
	deliveries []*Delivery
}

type guildState struct {
	Guild
	channels []string
}

// New starts a fake Discord for the test and stops it in t.Cleanup.
//
// The server comes with a bot user, an application, a valid token, one
// guild with one text channel (Guild, Channel) and one human user (Human).
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{
		now:               time.Now,
		interactionWindow: DefaultInteractionWindow,
		nonceWindow:       DefaultNonceWindow,
		heartbeat:         DefaultHeartbeatInterval,
		shards:            1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		t:        t,
		cfg:      cfg,
		done:     make(chan struct{}),
		changed:  make(chan struct{}),
		users:    map[string]*User{},
		guilds:   map[string]*guildState{},
		chans:    map[string]*Channel{},
		dms:      map[string]string{},
		roles:    map[string]*Role{},
		messages: map[string]*Message{},
		nonces:   map[string]nonceEntry{},
		commands: map[string][]*command{},
		inters:   map[string]*interaction{},
		byToken:  map[string]*interaction{},
	}
	s.app = Application{ID: s.nextIDLocked(), Name: "briefbot-test"}
	s.key = ed25519.NewKeyFromSeed(appKeySeed[:])
	s.bot = User{ID: s.nextIDLocked(), Username: "briefbot", Bot: true}
	s.token = base64.RawStdEncoding.EncodeToString([]byte(s.bot.ID)) + ".discordtest.secret"
	s.human = User{ID: s.nextIDLocked(), Username: "alice"}
	s.users[s.bot.ID] = &s.bot
	h := s.human
	s.users[h.ID] = &h
	s.guild = Guild{ID: s.nextIDLocked(), Name: "Test Guild"}
	s.addGuildLocked(s.guild)
	s.room = Channel{ID: s.nextIDLocked(), GuildID: s.guild.ID, Name: "general", Type: ChannelTypeText}
	s.addChannelLocked(s.room)

	s.ts = httptest.NewServer(s.handler())
	t.Cleanup(s.Close)
	return s
}

// Close drops every gateway connection, releases held requests and shuts
// the server down, waiting for all of its goroutines. It is idempotent and
// called automatically at the end of the test.
func (s *Server) Close() {
	s.close.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		conns := append([]*conn(nil), s.conns...)
		s.notifyLocked()
		s.mu.Unlock()
		for _, c := range conns {
			c.drop()
		}
		s.wg.Wait()
		s.ts.Close()
	})
}

// URL is the server's base URL, e.g. http://127.0.0.1:port. The REST API is
// under URL()+"/api/v9".
func (s *Server) URL() string { return s.ts.URL }

// GatewayURL is the websocket URL that GET /gateway answers with.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.ts.URL, "http") + "/gateway" }

func (s *Server) resumeURL() string { return "ws" + strings.TrimPrefix(s.ts.URL, "http") + "/resume" }

// Token is the bot token the server accepts, without the "Bot " prefix.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// SetToken changes the token the server accepts, as resetting it in the
// developer portal would: REST calls with the old one get 401 and IDENTIFY
// or RESUME with it is closed with 4004.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
	s.notifyLocked()
}

// AppID is the application's ID.
func (s *Server) AppID() string { return s.app.ID }

// Bot is the bot user.
func (s *Server) Bot() User { return s.bot }

// Human is a default human user, the invoker when a test names none.
func (s *Server) Human() User { return s.human }

// Guild is the default guild the bot is in.
func (s *Server) Guild() Guild { return s.guild }

// Channel is the default guild's text channel.
func (s *Server) Channel() Channel { return s.room }

// NewID returns a fresh snowflake, for tests that need IDs of their own.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextIDLocked()
}

// HTTPClient returns a client that sends requests for https://discord.com
// (and discordapp.com) to the fake instead, and refuses every other host so
// that no test reaches the network.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: &rewriter{base: s.ts.Client().Transport, host: strings.TrimPrefix(s.ts.URL, "http://")}}
}

type rewriter struct {
	base http.RoundTripper
	host string
}

func (rt *rewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	switch r.URL.Hostname() {
	case "discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com":
	default:
		if r.URL.Host != rt.host {
			return nil, fmt.Errorf("discordtest: refusing request to %s: only Discord hosts are faked", r.URL.Host)
		}
	}
	r2 := r.Clone(r.Context())
	r2.URL.Scheme = "http"
	r2.URL.Host = rt.host
	return rt.base.RoundTrip(r2)
}

// Session returns a discordgo session wired to the fake and authenticated
// with "Bot "+token (pass Token() for the valid one). It uses HTTPClient for
// REST and gateway discovery and its own websocket dialer, so that nothing
// global is changed. The session is closed in t.Cleanup, before the server.
// Open is left to the test.
func (s *Server) Session(token string) *discordgo.Session {
	dg, err := discordgo.New("Bot " + token)
	if err != nil {
		s.t.Fatalf("discordtest: discordgo.New: %v", err)
	}
	dg.Client = s.HTTPClient()
	dg.Dialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second, NetDialContext: (&net.Dialer{}).DialContext}
	s.t.Cleanup(func() { dg.Close() })
	return dg
}

func (s *Server) now() time.Time { return s.cfg.now() }

// Snowflakes are deterministic: the timestamp part counts up from a fixed
// instant, one millisecond per ID, so IDs are unique, ordered and spread
// over shards by (id >> 22) % count like real ones.
const discordEpochMs = 1420070400000

var snowflakeBase = uint64(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - discordEpochMs)

func (s *Server) nextIDLocked() string {
	s.idSeq++
	return strconv.FormatUint((snowflakeBase+s.idSeq)<<22|s.idSeq&0xfff, 10)
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) nextOrderLocked() int64 {
	s.order++
	return s.order
}

// wait blocks until cond, evaluated with s.mu held, is true, or ctx ends.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		if s.closed {
			s.mu.Unlock()
			return errClosed
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: %w", ctx.Err())
		}
	}
}

var errClosed = errors.New("discordtest: server closed")

func (s *Server) logf(format string, args ...any) {
	if s.cfg.verbose {
		s.t.Logf("discordtest: "+format, args...)
	}
}
