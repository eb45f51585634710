package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// route is a REST handler: it gets the request and its JSON body and
// answers with a status and a JSON value (nil for no body), or an
// *apiError.
type route func(r *http.Request, body []byte) (int, any)

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /gateway/", s.serveGateway)
	mux.HandleFunc("GET /resume/", s.serveGateway)

	api := func(pattern string, auth bool, h route) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" "+apiPrefix+path, func(w http.ResponseWriter, r *http.Request) {
			s.serveAPI(w, r, pattern, auth, h)
		})
	}
	api("GET /gateway", false, s.getGateway)
	api("GET /gateway/bot", true, s.getGatewayBot)
	api("GET /users/@me", true, s.getMe)
	api("GET /users/{user}", true, s.getUser)
	api("POST /users/@me/channels", true, s.createDM)
	api("GET /oauth2/applications/@me", true, s.getApplication)
	api("GET /applications/@me", true, s.getApplication)

	api("GET /applications/{app}/commands", true, s.listCommands)
	api("PUT /applications/{app}/commands", true, s.overwriteCommands)
	api("POST /applications/{app}/commands", true, s.createCommand)
	api("GET /applications/{app}/commands/{cmd}", true, s.getCommand)
	api("DELETE /applications/{app}/commands/{cmd}", true, s.deleteCommand)
	api("GET /applications/{app}/guilds/{guild}/commands", true, s.listCommands)
	api("PUT /applications/{app}/guilds/{guild}/commands", true, s.overwriteCommands)
	api("POST /applications/{app}/guilds/{guild}/commands", true, s.createCommand)
	api("GET /applications/{app}/guilds/{guild}/commands/{cmd}", true, s.getCommand)
	api("DELETE /applications/{app}/guilds/{guild}/commands/{cmd}", true, s.deleteCommand)

	// Interaction endpoints authenticate with the interaction token alone.
	api("POST /interactions/{id}/{token}/callback", false, s.callback)
	api("POST /webhooks/{app}/{token}", false, s.afterDelivery(s.followup))
	api("GET /webhooks/{app}/{token}/messages/{msg}", false, s.afterDelivery(s.getWebhookMessage))
	api("PATCH /webhooks/{app}/{token}/messages/{msg}", false, s.afterDelivery(s.editWebhookMessage))
	api("DELETE /webhooks/{app}/{token}/messages/{msg}", false, s.afterDelivery(s.deleteWebhookMessage))

	api("GET /channels/{channel}", true, s.getChannel)
	api("POST /channels/{channel}/messages", true, s.createMessage)
	api("GET /channels/{channel}/messages/{msg}", true, s.getMessage)
	api("POST /channels/{channel}/messages/{msg}/crosspost", true, s.crosspost)

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.serveAPI(w, r, "", false, func(*http.Request, []byte) (int, any) { return 0, errNotFound() })
	})
	return mux
}

// serveAPI records a REST request, applies faults and authentication, runs
// the route and records the answer.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, pattern string, auth bool, h route) {
	raw, _ := io.ReadAll(r.Body)
	body := raw
	if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && strings.HasPrefix(mt, "multipart/") {
		body = payloadJSON(raw, params["boundary"])
	}
	hdr := r.Header.Clone()
	hdr.Del("Authorization")
	rec := &Request{
		Time:   time.Now(),
		Method: r.Method,
		Path:   strings.TrimPrefix(r.URL.Path, apiPrefix),
		Route:  pattern,
		Query:  r.URL.Query(),
		Header: hdr,
	}
	if len(body) > 0 {
		rec.Body = json.RawMessage(body)
	}
	s.mu.Lock()
	rec.Order = s.nextOrderLocked()
	s.requests = append(s.requests, rec)
	f := s.takeFaultLocked(r.Method, rec.Path)
	s.notifyLocked()
	s.mu.Unlock()
	s.logf("%s %s %s", r.Method, r.URL.RequestURI(), body)

	if f != nil {
		if !s.waitFault(r, f) {
			s.answer(w, rec, http.StatusServiceUnavailable, nil, []byte(`{"message":"server closed","code":0}`), true)
			return
		}
		if f.Status != 0 {
			s.answer(w, rec, f.Status, f.Header, faultBody(f), true)
			return
		}
	}

	var status int
	var resp any
	if auth && !s.authorized(r) {
		status, resp = 0, errUnauthorized()
	} else {
		r = r.WithContext(context.WithValue(r.Context(), recKey{}, rec))
		r.Body = io.NopCloser(bytes.NewReader(body))
		status, resp = h(r, body)
	}
	var out []byte
	switch v := resp.(type) {
	case *apiError:
		status = v.Status
		out = mustJSON(v)
	case nil:
	default:
		out = mustJSON(v)
	}
	h2 := http.Header{}
	s.rateLimitHeaders(h2, pattern, r)
	s.answer(w, rec, status, h2, out, false)
}

func (s *Server) waitFault(r *http.Request, f *Fault) bool {
	var timer <-chan time.Time
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		timer = t.C
	}
	if f.Hold != nil {
		select {
		case <-f.Hold:
		case <-s.done:
			return false
		case <-r.Context().Done():
			return false
		}
	}
	if timer != nil {
		select {
		case <-timer:
		case <-s.done:
			return false
		case <-r.Context().Done():
			return false
		}
	}
	return true
}

func (s *Server) answer(w http.ResponseWriter, rec *Request, status int, h http.Header, body []byte, fault bool) {
	for k, vs := range h {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	w.Write(body)
	s.mu.Lock()
	rec.Status = status
	rec.Response = body
	rec.Fault = fault
	rec.Done = time.Now()
	s.notifyLocked()
	s.mu.Unlock()
}

func (s *Server) authorized(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return r.Header.Get("Authorization") == "Bot "+s.token
}

// rateLimitHeaders adds informational rate limit headers. They never tell
// the client to wait: the fake limits only through injected faults.
func (s *Server) rateLimitHeaders(h http.Header, pattern string, r *http.Request) {
	if pattern == "" {
		return
	}
	major := r.PathValue("channel") + r.PathValue("guild") + r.PathValue("token")
	sum := fnv.New64a()
	fmt.Fprint(sum, pattern, major)
	reset := float64(time.Now().Add(time.Second).UnixMilli()) / 1000
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "4")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(reset, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", "1.000")
	h.Set("X-RateLimit-Bucket", fmt.Sprintf("%016x", sum.Sum64()))
}

// payloadJSON extracts the payload_json part of a multipart body.
func payloadJSON(raw []byte, boundary string) []byte {
	mr := multipart.NewReader(bytes.NewReader(raw), boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil
		}
		if p.FormName() == "payload_json" {
			b, _ := io.ReadAll(p)
			return b
		}
	}
}

func (s *Server) getGateway(*http.Request, []byte) (int, any) {
	return http.StatusOK, obj{"url": s.GatewayURL()}
}

func (s *Server) getGatewayBot(*http.Request, []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return http.StatusOK, obj{
		"url":    s.GatewayURL(),
		"shards": s.cfg.shards,
		"session_start_limit": obj{
			"total":           1000,
			"remaining":       max(0, 1000-s.starts),
			"reset_after":     86400000,
			"max_concurrency": 1,
		},
	}
}

func (s *Server) getMe(*http.Request, []byte) (int, any) {
	return http.StatusOK, userJSON(s.bot)
}

func (s *Server) getUser(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[r.PathValue("user")]
	if !ok {
		return 0, errUnknown(codeUnknownUser, "User")
	}
	return http.StatusOK, userJSON(*u)
}

func (s *Server) getApplication(*http.Request, []byte) (int, any) {
	return http.StatusOK, s.applicationJSON()
}

func (s *Server) createDM(_ *http.Request, body []byte) (int, any) {
	var p struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return 0, errBadRequest(codeInvalidFormBody, messageInvalidFormBody)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[p.RecipientID]; !ok || p.RecipientID == s.bot.ID {
		return 0, errBadRequest(codeInvalidRecipients, "Invalid Recipient(s)")
	}
	id := s.dmChannelLocked(p.RecipientID)
	return http.StatusOK, s.channelJSONLocked(s.chans[id])
}

func (s *Server) getChannel(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.channelLocked(r.PathValue("channel"))
	if err != nil {
		return 0, err
	}
	return http.StatusOK, s.channelJSONLocked(c)
}

// channelLocked finds a channel the bot can see.
func (s *Server) channelLocked(id string) (*Channel, *apiError) {
	c, ok := s.chans[id]
	if !ok {
		return nil, errUnknown(codeUnknownChannel, "Channel")
	}
	if c.Access == AccessNone {
		return nil, errForbidden(codeMissingAccess, "Missing Access")
	}
	return c, nil
}
