package preview

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

//go:embed assets/page.html
var assets embed.FS

// Options configure a Server.
type Options struct {
	// Accent is the colour of an embed's bar, 0xRRGGBB: the one Discord
	// is sent (discord.EmbedColour).
	Accent int
	Logger *slog.Logger
}

// Server serves the preview: the page at /, and at /events a stream of
// server-sent events that tells the page the content's version, so that
// it reloads itself when the version changes.
type Server struct {
	opts Options
	log  *slog.Logger
	page *template.Template
	mux  *http.ServeMux

	mu      sync.Mutex
	snap    Snapshot
	waiting []chan struct{} // the event streams, told of each update
}

// NewServer returns a Server showing snap until Update.
func NewServer(snap Snapshot, opts Options) *Server {
	s := &Server{opts: opts, log: opts.Logger, snap: snap}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.page = template.Must(template.New("page.html").Funcs(template.FuncMap{
		"markdown":  Markdown,
		"accent":    func() template.CSS { return template.CSS(fmt.Sprintf("#%06x", s.opts.Accent&0xffffff)) },
		"primary":   func(b bot.Button) bool { return b.Style == bot.Primary },
		"anchor":    func(parts ...string) string { return strings.Join(parts, "--") },
		"hasPrefix": strings.HasPrefix,
	}).ParseFS(assets, "assets/page.html"))
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /{$}", s.serveTemplatePage)
	s.mux.HandleFunc("GET /events", s.serveEvents)
	s.mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, s.Snapshot().Version)
	})
	return s
}

// ServeHTTP serves the page and its events.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Snapshot returns what the page shows now.
func (s *Server) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snap
}

// Update shows snap from now on, and tells open pages to reload if it
// differs from what they show.
func (s *Server) Update(snap Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if snap.Version == s.snap.Version {
		return
	}
	s.snap = snap
	for _, ch := range s.waiting {
		close(ch)
	}
	s.waiting = nil
}

// wait returns a channel closed at the next update.
func (s *Server) wait() (chan struct{}, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	s.waiting = append(s.waiting, ch)
	return ch, s.snap.Version
}

// Render writes the page of snap.
func (s *Server) Render(w *bytes.Buffer, snap Snapshot) error {
	return s.page.Execute(w, snap)
}

func (s *Server) serveTemplatePage(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	if err := s.Render(&b, s.Snapshot()); err != nil {
		s.log.Error("rendering the preview", "err", err)
		http.Error(w, "the preview could not be rendered: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The page is the editor's own: it loads nothing from elsewhere.
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:")
	w.Write(b.Bytes())
}

// keepAlive is how often an idle event stream says it is still there, so
// that a page notices a preview that has stopped.
const keepAlive = 15 * time.Second

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		ch, v := s.wait()
		fmt.Fprintf(w, "event: version\ndata: %s\n\n", v)
		flusher.Flush()
	idle:
		for {
			select {
			case <-r.Context().Done():
				return
			case <-ch:
				break idle
			case <-tick.C:
				fmt.Fprint(w, ": still here\n\n")
				flusher.Flush()
			}
		}
	}
}
