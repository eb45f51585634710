// Package openaitest is a fake OpenAI-compatible server for tests: it
// serves /v1/chat/completions (plain or streamed) and /v1/models on
// httptest, answers each request as scripted — a reply, an error status
// with Retry-After, a hang, a malformed body — and records every request.
package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Reply is how the server answers one chat completion request.
type Reply struct {
	Text         string // the assistant's message
	FinishReason string // "stop" if empty; "length" says the answer was cut off
	Stream       bool   // send Text as server-sent events even if not asked to

	Status     int    // if set, answer with this status and an OpenAI error body
	Message    string // that error's message
	RetryAfter string // that answer's Retry-After header

	Malformed bool // answer 200 with a body that is not valid JSON

	Hang    bool            // wait for the request's context to end or Release to close, then answer
	Delay   time.Duration   // wait this long, or until the request ends or Release closes, then answer
	Release <-chan struct{} // ends a Hang or a Delay early

	PromptTokens     int  // usage reported; estimated from the text when zero
	CompletionTokens int  // usage reported; estimated from the text when zero
	NoUsage          bool // report no usage, as some servers do

	Func func(Request) Reply // if set, decides the reply from the request
}

// Text returns a Reply with the given message.
func Text(s string) Reply { return Reply{Text: s} }

// Verdict returns a verifier's Reply: the JSON listing unsupported
// statements.
func Verdict(unsupported ...string) Reply {
	if unsupported == nil {
		unsupported = []string{}
	}
	b, _ := json.Marshal(map[string][]string{"unsupported": unsupported})
	return Reply{Text: string(b)}
}

// Status returns a Reply with an error status.
func Status(code int) Reply { return Reply{Status: code} }

// Message is a chat message as the server received it.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is a chat completion request as the server received it.
type Request struct {
	Model               string    `json:"model"`
	Messages            []Message `json:"messages"`
	Stream              bool      `json:"stream"`
	MaxTokens           int       `json:"max_tokens"`
	MaxCompletionTokens int       `json:"max_completion_tokens"`
	Temperature         float64   `json:"temperature"`
	// ResponseFormat is the response_format asked for, if any: a
	// verifier's asks for a JSON schema.
	ResponseFormat *ResponseFormat `json:"response_format"`
	Authorization  string          `json:"-"` // the Authorization header
}

// ResponseFormat is a request's response_format.
type ResponseFormat struct {
	Type       string `json:"type"`
	JSONSchema *struct {
		Name   string          `json:"name"`
		Schema json.RawMessage `json:"schema"`
		Strict bool            `json:"strict"`
	} `json:"json_schema"`
}

// Schema returns the name of the JSON schema the request asks its answer
// to follow, or "".
func (r Request) Schema() string {
	if r.ResponseFormat == nil || r.ResponseFormat.JSONSchema == nil {
		return ""
	}
	return r.ResponseFormat.JSONSchema.Name
}

// System returns the content of the request's system message.
func (r Request) System() string { return r.content("system") }

// User returns the content of the request's user message.
func (r Request) User() string { return r.content("user") }

func (r Request) content(role string) string {
	for _, m := range r.Messages {
		if m.Role == role {
			return m.Content
		}
	}
	return ""
}

// Server is a fake OpenAI-compatible server.
type Server struct {
	*httptest.Server
	// Models are listed by /v1/models; {"fake-model"} by default.
	Models []string

	mu       sync.Mutex
	script   []Reply
	requests []Request
	done     chan struct{}
}

// NewServer starts a server that answers chat completions with script, in
// order; the last reply answers every request after it. It is closed when
// the test ends.
func NewServer(t testing.TB, script ...Reply) *Server {
	s := &Server{Models: []string{"fake-model"}, script: script, done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(s.done) // end hangs
		s.CloseClientConnections()
		s.Close()
	})
	return s
}

// BaseURL is the URL to configure a client with: the server's URL and /v1.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Script replaces what is left of the script.
func (s *Server) Script(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = replies
}

// Calls is how many chat completion requests the server received.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Requests returns the chat completion requests received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Last returns the last chat completion request received.
func (s *Server) Last() Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return Request{}
	}
	return s.requests[len(s.requests)-1]
}

func (s *Server) next(req Request) Reply {
	s.mu.Lock()
	s.requests = append(s.requests, req)
	var r Reply
	switch len(s.script) {
	case 0:
		r = Reply{Status: http.StatusInternalServerError, Message: "openaitest: no reply scripted"}
	case 1:
		r = s.script[0]
	default:
		r, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	if r.Func != nil {
		r = r.Func(req)
	}
	return r
}

func (s *Server) chat(w http.ResponseWriter, hr *http.Request) {
	var req Request
	if err := json.NewDecoder(hr.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON: "+err.Error(), "")
		return
	}
	req.Authorization = hr.Header.Get("Authorization")
	r := s.next(req)

	if r.Hang || r.Delay > 0 {
		var timer <-chan time.Time
		if r.Delay > 0 {
			t := time.NewTimer(r.Delay)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-hr.Context().Done():
			return
		case <-s.done:
			return
		case <-r.Release:
		case <-timer:
		}
	}
	switch {
	case r.Status != 0:
		writeError(w, r.Status, r.Message, r.RetryAfter)
	case r.Malformed:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"message": {"content": "Russia`)
	case r.Stream || req.Stream:
		s.stream(w, req, r)
	default:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(completion(req, r))
	}
}

// usage reports the scripted usage, or an estimate of a token per four
// bytes.
func usage(req Request, r Reply) map[string]int {
	p, c := r.PromptTokens, r.CompletionTokens
	if p == 0 {
		for _, m := range req.Messages {
			p += len(m.Content) / 4
		}
	}
	if c == 0 {
		c = len(r.Text)/4 + 1
	}
	return map[string]int{"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
}

func finish(r Reply) string {
	if r.FinishReason == "" {
		return "stop"
	}
	return r.FinishReason
}

func completion(req Request, r Reply) map[string]any {
	body := map[string]any{
		"id":      "chatcmpl-openaitest",
		"object":  "chat.completion",
		"created": 1746576000,
		"model":   req.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": r.Text},
			"finish_reason": finish(r),
		}},
	}
	if !r.NoUsage {
		body["usage"] = usage(req, r)
	}
	return body
}

// stream sends the reply as server-sent events, a few words per chunk, the
// usage in the last chunk, then [DONE].
func (s *Server) stream(w http.ResponseWriter, req Request, r Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(delta map[string]any, finishReason any) map[string]any {
		return map[string]any{
			"id": "chatcmpl-openaitest", "object": "chat.completion.chunk", "created": 1746576000, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finishReason}},
		}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	words := strings.SplitAfter(r.Text, " ")
	for i := 0; i < len(words); i += 3 {
		send(chunk(map[string]any{"content": strings.Join(words[i:min(i+3, len(words))], "")}, nil))
	}
	last := chunk(map[string]any{}, finish(r))
	if !r.NoUsage {
		last["usage"] = usage(req, r)
	}
	send(last)
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func writeError(w http.ResponseWriter, status int, message, retryAfter string) {
	if message == "" {
		message = fmt.Sprintf("openaitest: status %d", status)
	}
	kind := map[int]string{
		http.StatusTooManyRequests: "rate_limit_error",
		http.StatusUnauthorized:    "invalid_request_error",
		http.StatusNotFound:        "invalid_request_error",
	}[status]
	if kind == "" {
		kind = "server_error"
	}
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": message, "type": kind, "code": strconv.Itoa(status),
	}})
}

func (s *Server) models(w http.ResponseWriter, _ *http.Request) {
	var data []any
	for _, m := range s.Models {
		data = append(data, map[string]any{"id": m, "object": "model", "created": 1746576000, "owned_by": "openaitest"})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
}
