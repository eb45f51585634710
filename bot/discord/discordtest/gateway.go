package discordtest

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway close codes the fake uses.
const (
	CloseUnknownError         = 4000
	CloseUnknownOpcode        = 4001
	CloseDecodeError          = 4002
	CloseNotAuthenticated     = 4003
	CloseAuthenticationFailed = 4004
	CloseAlreadyAuthenticated = 4005
	CloseInvalidSeq           = 4007
	CloseRateLimited          = 4008
	CloseSessionTimedOut      = 4009
	CloseInvalidShard         = 4010
	CloseShardingRequired     = 4011
	CloseInvalidAPIVersion    = 4012
	CloseInvalidIntents       = 4013
	CloseDisallowedIntents    = 4014
)

var closeText = map[int]string{
	CloseUnknownError:         "Unknown error.",
	CloseUnknownOpcode:        "Unknown opcode.",
	CloseDecodeError:          "Decode error.",
	CloseNotAuthenticated:     "Not authenticated.",
	CloseAuthenticationFailed: "Authentication failed.",
	CloseAlreadyAuthenticated: "Already authenticated.",
	CloseInvalidSeq:           "Invalid seq.",
	CloseRateLimited:          "Rate limited.",
	CloseSessionTimedOut:      "Session timed out.",
	CloseInvalidShard:         "Invalid shard.",
	CloseShardingRequired:     "Sharding required.",
	CloseInvalidAPIVersion:    "Invalid API version.",
	CloseInvalidIntents:       "Invalid intent(s).",
	CloseDisallowedIntents:    "Disallowed intent(s).",
}

// Resumable reports whether Discord lets a bot RESUME after the fake closes
// its connection with code; after the others the session is gone and the
// bot must IDENTIFY again, or (4004, 4010–4014) must not reconnect at all.
func Resumable(code int) bool {
	switch code {
	case CloseAuthenticationFailed, CloseInvalidSeq, CloseSessionTimedOut,
		CloseInvalidShard, CloseShardingRequired, CloseInvalidAPIVersion,
		CloseInvalidIntents, CloseDisallowedIntents:
		return false
	}
	return true
}

// session is a gateway session: what IDENTIFY creates and RESUME continues.
type session struct {
	id      string
	shard   [2]int
	intents int64
	seq     int64
	sent    []sentDispatch // every dispatch, for replay on RESUME
	conn    *conn          // nil while disconnected
	valid   bool
	zlib    bool
}

type sentDispatch struct {
	seq     int64
	payload []byte
	typ     string
	onWrite func(time.Time)
}

// conn is one gateway websocket connection.
type conn struct {
	s    *Server
	id   int
	ws   *websocket.Conn
	url  string
	dead chan struct{} // closed once the connection is finished

	qmu   sync.Mutex
	queue []outFrame
	wake  chan struct{}

	// guarded by s.mu
	open      bool
	identify  *Identify
	sess      *session
	resumed   bool
	closeCode int
	botClose  int
	zlib      bool
}

type outFrame struct {
	payload []byte
	op      int
	seq     int64
	typ     string
	data    json.RawMessage
	zlib    bool
	close   int // send a close frame with this code and finish
	onWrite func(time.Time)
}

func (c *conn) infoLocked() Conn {
	info := Conn{ID: c.id, URL: c.url, Identify: c.identify, Resumed: c.resumed, Open: c.open, CloseCode: c.closeCode, BotClose: c.botClose}
	if c.sess != nil {
		info.SessionID = c.sess.id
	}
	return info
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway upgrades a request to a gateway connection and runs it.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	hold := s.holdConns
	s.mu.Unlock()
	defer s.wg.Done()

	if hold != nil {
		select {
		case <-hold:
		case <-s.done:
			http.Error(w, "closed", http.StatusServiceUnavailable)
			return
		case <-r.Context().Done():
			return
		}
	}

	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{s: s, ws: ws, url: r.URL.RequestURI(), dead: make(chan struct{}), wake: make(chan struct{}, 1)}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	c.id = len(s.conns) + 1
	c.open = true
	s.conns = append(s.conns, c)
	s.notifyLocked()
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		c.writeLoop()
	}()

	q := r.URL.Query()
	if v := q.Get("v"); v != "" && v != APIVersion {
		c.closeWith(CloseInvalidAPIVersion)
	} else if enc := q.Get("encoding"); enc != "" && enc != "json" {
		c.closeWith(CloseDecodeError)
	} else {
		c.send(outFrame{op: 10, data: mustJSON(obj{"heartbeat_interval": s.cfg.heartbeat.Milliseconds()})})
	}
	c.readLoop()
}

// readLoop handles what the bot sends until the connection ends.
func (c *conn) readLoop() {
	s := c.s
	defer c.finish()
	for {
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				s.mu.Lock()
				c.botClose = ce.Code
				s.recordFrameLocked(Frame{Conn: c.id, Op: OpClose, Close: ce.Code})
				// A bot that closes with 1000 or 1001 ends its session;
				// answering the fake's own close frame does not count.
				if (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway) && c.sess != nil && c.open {
					c.sess.valid = false
				}
				s.mu.Unlock()
			}
			return
		}
		var p struct {
			Op   *int            `json:"op"`
			Data json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(msg, &p); err != nil || p.Op == nil {
			c.closeWith(CloseDecodeError)
			continue
		}
		c.handle(*p.Op, p.Data)
	}
}

func (c *conn) handle(op int, data json.RawMessage) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	f := Frame{Conn: c.id, Op: op, Data: data}
	switch op {
	case 1, 6:
		var seq struct {
			Seq int64 `json:"seq"`
		}
		if op == 1 {
			json.Unmarshal(data, &f.Seq)
		} else if json.Unmarshal(data, &seq) == nil {
			f.Seq = seq.Seq
		}
	}
	s.recordFrameLocked(f)

	switch op {
	case 1: // heartbeat
		if !s.noAcks {
			c.sendLocked(outFrame{op: 11})
		}
	case 2:
		c.identifyLocked(data)
	case 6:
		c.resumeLocked(data)
	case 3, 4, 8: // presence, voice state, request guild members
		if c.sess == nil {
			c.closeWithLocked(CloseNotAuthenticated)
		}
	default:
		c.closeWithLocked(CloseUnknownOpcode)
	}
}

func (c *conn) identifyLocked(data json.RawMessage) {
	s := c.s
	if c.sess != nil {
		c.closeWithLocked(CloseAlreadyAuthenticated)
		return
	}
	var p struct {
		Token          string            `json:"token"`
		Intents        *int64            `json:"intents"`
		Shard          *[2]int           `json:"shard"`
		Compress       bool              `json:"compress"`
		LargeThreshold int               `json:"large_threshold"`
		Properties     map[string]string `json:"properties"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		c.closeWithLocked(CloseDecodeError)
		return
	}
	id := &Identify{Token: p.Token, Compress: p.Compress, LargeThreshold: p.LargeThreshold, Properties: p.Properties, Raw: data, Shard: [2]int{0, 1}}
	if p.Intents != nil {
		id.Intents = *p.Intents
	}
	if p.Shard != nil {
		id.Shard = *p.Shard
	}
	c.identify = id
	s.starts++
	switch {
	case !s.tokenOKLocked(p.Token):
		c.closeWithLocked(CloseAuthenticationFailed)
	case p.Intents == nil || id.Intents&^knownIntents != 0 || id.Intents < 0:
		c.closeWithLocked(CloseInvalidIntents)
	case id.Intents&privilegedIntents&^s.cfg.privileged != 0:
		c.closeWithLocked(CloseDisallowedIntents)
	case id.Shard[1] < 1 || id.Shard[0] < 0 || id.Shard[0] >= id.Shard[1]:
		c.closeWithLocked(CloseInvalidShard)
	default:
		sess := &session{id: sessionID(s.nextIDLocked()), shard: id.Shard, intents: id.Intents, valid: true, zlib: s.cfg.compress && p.Compress}
		s.sessions = append(s.sessions, sess)
		c.sess = sess
		sess.conn = c
		c.zlib = sess.zlib
		s.dispatchLocked(sess, "READY", s.readyJSONLocked(sess, p.Shard != nil), nil)
		if sess.intents&intentGuilds != 0 {
			for _, gid := range s.gorder {
				if shardOf(gid, sess.shard[1]) == sess.shard[0] {
					s.dispatchLocked(sess, "GUILD_CREATE", s.guildJSONLocked(gid), nil)
				}
			}
		}
	}
}

func sessionID(snowflake string) string {
	return "sess" + snowflake
}

func (s *Server) tokenOKLocked(tok string) bool {
	return tok == s.token || tok == "Bot "+s.token
}

func (s *Server) readyJSONLocked(sess *session, withShard bool) obj {
	guilds := []obj{}
	for _, gid := range s.gorder {
		if shardOf(gid, sess.shard[1]) == sess.shard[0] {
			guilds = append(guilds, obj{"id": gid, "unavailable": true})
		}
	}
	ready := obj{
		"v":                       9,
		"user":                    userJSON(s.bot),
		"guilds":                  guilds,
		"session_id":              sess.id,
		"resume_gateway_url":      s.resumeURL(),
		"application":             obj{"id": s.app.ID, "flags": 0},
		"private_channels":        []any{},
		"relationships":           []any{},
		"user_settings":           obj{},
		"session_type":            "normal",
		"geo_ordered_rtc_regions": []any{},
	}
	if withShard {
		ready["shard"] = sess.shard
	}
	return ready
}

func (c *conn) resumeLocked(data json.RawMessage) {
	s := c.s
	if c.sess != nil {
		c.closeWithLocked(CloseAlreadyAuthenticated)
		return
	}
	var p struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		c.closeWithLocked(CloseDecodeError)
		return
	}
	if !s.tokenOKLocked(p.Token) {
		c.closeWithLocked(CloseAuthenticationFailed)
		return
	}
	var sess *session
	for _, x := range s.sessions {
		if x.id == p.SessionID && x.valid {
			sess = x
		}
	}
	if sess == nil {
		c.sendLocked(outFrame{op: 9, data: json.RawMessage("false")})
		return
	}
	if p.Seq > sess.seq {
		c.closeWithLocked(CloseInvalidSeq)
		sess.valid = false
		return
	}
	if old := sess.conn; old != nil && old != c {
		old.sess = nil
	}
	c.sess = sess
	c.resumed = true
	c.zlib = sess.zlib
	sess.conn = c
	for _, d := range sess.sent {
		if d.seq > p.Seq {
			c.sendLocked(outFrame{payload: d.payload, op: 0, seq: d.seq, typ: d.typ, zlib: c.zlib, onWrite: d.onWrite})
		}
	}
	s.dispatchLocked(sess, "RESUMED", obj{"_trace": []string{"discordtest"}}, nil)
}

// dispatchLocked sends an event on a session, or keeps it for replay if the
// session is disconnected.
func (s *Server) dispatchLocked(sess *session, typ string, data any, onWrite func(time.Time)) {
	sess.seq++
	d := mustJSON(data)
	payload := mustJSON(obj{"op": 0, "s": sess.seq, "t": typ, "d": json.RawMessage(d)})
	sess.sent = append(sess.sent, sentDispatch{seq: sess.seq, payload: payload, typ: typ, onWrite: onWrite})
	if sess.conn != nil {
		sess.conn.sendLocked(outFrame{payload: payload, op: 0, seq: sess.seq, typ: typ, data: d, zlib: sess.conn.zlib, onWrite: onWrite})
	}
}

// sessionForLocked finds the live session that receives events of a guild
// ("" for DMs): the newest valid session of the owning shard, preferring
// one that is connected.
func (s *Server) sessionForLocked(guildID string) *session {
	var best *session
	for i := len(s.sessions) - 1; i >= 0; i-- {
		x := s.sessions[i]
		if !x.valid || shardOf(guildID, x.shard[1]) != x.shard[0] {
			continue
		}
		if x.conn != nil {
			return x
		}
		if best == nil {
			best = x
		}
	}
	return best
}

func (c *conn) send(f outFrame) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	c.sendLocked(f)
}

// sendLocked queues a frame for the writer; s.mu is held so that frames of
// one session are queued in sequence order.
func (c *conn) sendLocked(f outFrame) {
	if f.payload == nil && f.close == 0 {
		frame := obj{"op": f.op, "s": nil, "t": nil, "d": nil}
		if f.data != nil {
			frame["d"] = f.data
		}
		f.payload = mustJSON(frame)
		f.zlib = c.zlib
	}
	c.qmu.Lock()
	c.queue = append(c.queue, f)
	c.qmu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *conn) closeWith(code int) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	c.closeWithLocked(code)
}

// closeWithLocked closes the connection with a close frame after what is
// already queued; a code after which Discord forbids resuming ends the
// session.
func (c *conn) closeWithLocked(code int) {
	if !c.open {
		return
	}
	c.open = false
	c.closeCode = code
	if sess := c.sess; sess != nil {
		if sess.conn == c {
			sess.conn = nil
		}
		if !Resumable(code) {
			sess.valid = false
		}
	}
	c.s.notifyLocked()
	c.sendLocked(outFrame{close: code})
}

// writeLoop writes queued frames in order until the connection is finished.
func (c *conn) writeLoop() {
	for {
		select {
		case <-c.wake:
		case <-c.dead:
			return
		}
		for {
			c.qmu.Lock()
			if len(c.queue) == 0 {
				c.qmu.Unlock()
				break
			}
			f := c.queue[0]
			c.queue = c.queue[1:]
			c.qmu.Unlock()
			if !c.write(f) {
				c.ws.Close()
				return
			}
		}
	}
}

// write sends one frame. It records the frame first, so that in the
// timeline a frame always precedes whatever the bot does in reaction.
func (c *conn) write(f outFrame) bool {
	s := c.s
	deadline := time.Now().Add(10 * time.Second)
	s.mu.Lock()
	if f.close != 0 {
		s.recordFrameLocked(Frame{Conn: c.id, Sent: true, Op: OpClose, Close: f.close})
		s.mu.Unlock()
		msg := websocket.FormatCloseMessage(f.close, closeText[f.close])
		c.ws.WriteControl(websocket.CloseMessage, msg, deadline)
		return false
	}
	data := f.data
	if data == nil {
		var p struct {
			D json.RawMessage `json:"d"`
		}
		json.Unmarshal(f.payload, &p)
		data = p.D
	}
	s.recordFrameLocked(Frame{Conn: c.id, Sent: true, Op: f.op, Seq: f.seq, Type: f.typ, Data: data})
	if f.onWrite != nil {
		f.onWrite(time.Now())
	}
	s.mu.Unlock()

	c.ws.SetWriteDeadline(deadline)
	if f.zlib {
		var b bytes.Buffer
		z := zlib.NewWriter(&b)
		z.Write(f.payload)
		z.Close()
		return c.ws.WriteMessage(websocket.BinaryMessage, b.Bytes()) == nil
	}
	return c.ws.WriteMessage(websocket.TextMessage, f.payload) == nil
}

// drop closes the TCP connection without a close frame.
func (c *conn) drop() {
	c.s.mu.Lock()
	c.detachLocked()
	c.s.mu.Unlock()
	c.ws.UnderlyingConn().Close()
}

func (c *conn) detachLocked() {
	c.open = false
	if c.sess != nil && c.sess.conn == c {
		c.sess.conn = nil
	}
	c.s.notifyLocked()
}

// finish runs when the read loop ends, for whatever reason.
func (c *conn) finish() {
	s := c.s
	s.mu.Lock()
	c.detachLocked()
	s.mu.Unlock()
	close(c.dead)
	c.ws.Close()
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("discordtest: " + err.Error())
	}
	return b
}

// Gateway faults.

// DropConnections closes every open gateway connection abruptly, without a
// close frame, as a network failure would. Sessions stay resumable and
// dispatches made while the bot is away are replayed on RESUME.
func (s *Server) DropConnections() {
	for _, c := range s.openConns() {
		c.drop()
	}
}

// CloseConnections closes every open gateway connection with a close frame
// carrying code (see the Close* constants). After a code that is not
// Resumable the session is invalidated.
func (s *Server) CloseConnections(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.closeWithLocked(code)
	}
}

// SendReconnect sends op 7 (Reconnect) on every open connection.
func (s *Server) SendReconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		if c.open {
			c.sendLocked(outFrame{op: 7})
		}
	}
}

// InvalidateSessions sends op 9 (Invalid Session) with d=resumable on every
// open connection. The connection is no longer authenticated, so the bot
// may IDENTIFY on it again; the session stays resumable only if resumable.
func (s *Server) InvalidateSessions(resumable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		if !c.open {
			continue
		}
		if sess := c.sess; sess != nil {
			sess.valid = sess.valid && resumable
			if sess.conn == c {
				sess.conn = nil
			}
			c.sess = nil
		}
		c.sendLocked(outFrame{op: 9, data: mustJSON(resumable)})
	}
}

// SetHeartbeatACKs turns heartbeat acknowledgements (op 11) on or off; off
// makes connections look like zombies to the bot.
func (s *Server) SetHeartbeatACKs(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noAcks = !on
}

// HoldConnections makes new gateway connections wait before the websocket
// handshake until release is called (or the server closes), so that a test
// can act while the bot is certainly disconnected.
func (s *Server) HoldConnections() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.holdConns = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.holdConns == ch {
				s.holdConns = nil
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}

func (s *Server) openConns() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*conn
	for _, c := range s.conns {
		if c.open {
			out = append(out, c)
		}
	}
	return out
}

// Dispatch sends a raw dispatch of the given type to the session that
// receives guildID's events ("" for DMs and global events) and reports
// whether there was one.
func (s *Server) Dispatch(eventType, guildID string, data any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessionForLocked(guildID)
	if sess == nil {
		return false
	}
	s.dispatchLocked(sess, eventType, data, nil)
	return true
}

// Starts is how many IDENTIFYs the gateway has received.
func (s *Server) Starts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.starts
}
