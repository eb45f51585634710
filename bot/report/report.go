// Package report lets readers report a wrong rephrasing. Every rephrased
// section carries a "Report a problem" button; it opens a modal with one
// short, optional field; the report is stored with what was shown — the
// article and its version, the section, the style, the language, the model
// and the exact text — and a count per text, never who sent it. Editors
// list the reports (briefbot reports) and drop a cached rephrasing so the
// next reader gets a fresh one; AutoDrop reports on one rephrasing drop it
// on their own. A reader's second report of the same rephrasing within a
// day is not counted (remembered in memory, hashed, never stored).
package report

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/rewrite"
)

// AutoDrop is how many reports of one cached rephrasing drop it from the
// cache.
const AutoDrop = 3

// NoteField is the modal's one field: what the reader says is wrong.
const NoteField = "note"

// maxNote bounds what a reader may write.
const maxNote = 300

// Report is one cached rephrasing that readers reported, with how often.
type Report struct {
	ID             int64
	Key            string // the rephrasing's cache key
	ArticleID      string
	ArticleVersion string
	Section        string
	Style          string
	Language       string // the code; "" for the curated text's language
	Model          string
	Text           string // the rephrasing as readers were shown it
	Count          int    // how many reports
	Notes          []string
	First, Last    time.Time // the first and the latest report
	Purged         time.Time // when the cached rephrasing was dropped; zero while it is shown
}

// Store keeps the reports. The SQL stores implement it.
type Store interface {
	// AddReport counts one report of r's rephrasing (r.Key and r.Text; the
	// other fields describe it), keeping note if it is not empty. When
	// the count reaches dropAt, it drops the cached rephrasing under
	// r.Key, in the same transaction, and marks the report purged. It
	// returns the report as stored.
	AddReport(ctx context.Context, r Report, note string, at time.Time, dropAt int) (Report, error)
	// Reports returns every report, the latest first.
	Reports(ctx context.Context) ([]Report, error)
	// PurgeReport drops the cached rephrasing of report id and marks it
	// purged; an error wrapping ErrNotFound if there is no such report.
	PurgeReport(ctx context.Context, id int64, at time.Time) (Report, error)
}

// Rewrites finds the rephrasing readers are shown: *rewrite.Rewriter.
type Rewrites interface {
	Cached(ctx context.Context, req bot.RewriteRequest) (key string, a rewrite.Answer, ok bool, err error)
}

// Config is what the report feature needs.
type Config struct {
	Store    Store
	Rewrites Rewrites
	Logger   *slog.Logger
	Clock    bot.Clock // nil: bot.SystemClock
}

// Register adds the report button's and the modal's handlers to b, so
// that its rephrased sections carry the button.
func Register(b *bot.Bot, cfg Config) {
	f := &feature{cfg: cfg, lib: b.Library(), log: cfg.Logger, clock: cfg.Clock, recent: make(map[[32]byte]time.Time)}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	if f.clock == nil {
		f.clock = bot.SystemClock{}
	}
	b.HandleComponent(bot.ActionReport, bot.HandlerFunc(f.open))
	b.HandleComponent(bot.ActionReportSubmit, bot.HandlerFunc(f.submit))
}

type feature struct {
	cfg   Config
	lib   *bot.Library
	log   *slog.Logger
	clock bot.Clock

	// recent remembers, in memory only and hashed, who reported which
	// rephrasing in the last day, so that one reader cannot withdraw a
	// rephrasing alone by reporting it three times. Nothing of it is
	// stored.
	mu     sync.Mutex
	recent map[[32]byte]time.Time
}

// repeatWindow is how long a reader's report of one rephrasing is
// remembered.
const repeatWindow = 24 * time.Hour

// again reports whether user already reported the rephrasing under key
// within repeatWindow, and remembers that they did now.
func (f *feature) again(user, key string, now time.Time) bool {
	if user == "" {
		return false
	}
	h := sha256.Sum256([]byte(user + "\x00" + key))
	f.mu.Lock()
	defer f.mu.Unlock()
	if at, ok := f.recent[h]; ok && now.Sub(at) < repeatWindow {
		return true
	}
	if len(f.recent) >= 10000 {
		for k, at := range f.recent {
			if now.Sub(at) >= repeatWindow {
				delete(f.recent, k)
			}
		}
	}
	f.recent[h] = now
	return false
}

// open answers the button with the modal, whose id names the same
// rephrasing.
func (f *feature) open(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	c, err := bot.ParseComponentID(r.CustomID)
	if err != nil {
		return nil, err
	}
	c.Action = bot.ActionReportSubmit
	return &bot.Reply{Modal: &bot.Modal{
		ID:    c.Encode(),
		Title: "Report a problem",
		Fields: []bot.TextField{{
			ID: NoteField, Label: "What is wrong? (optional)", MaxLength: maxNote,
			Placeholder: "e.g. a figure, a name or a quote the article does not have",
		}},
	}}, nil
}

var errGone = bot.Errorf(bot.Expired, "Thanks. That rephrasing is no longer shown, so there is nothing to report now.")

// submit stores the report of the rephrasing the modal names.
func (f *feature) submit(ctx context.Context, r *bot.Request) (*bot.Reply, error) {
	c, err := bot.ParseComponentID(r.CustomID)
	if err != nil {
		return nil, err
	}
	a, err := f.lib.Article(c.Article)
	if err != nil {
		return nil, errGone
	}
	s := a.Section(c.Section)
	if s == nil {
		return nil, errGone
	}
	style, lang, err := bot.ParseStyleAndLanguage(c.Style, c.Language)
	if err != nil {
		return nil, errGone
	}
	req := bot.RewriteRequest{
		Passage: bot.Passage{ArticleID: a.ID, ArticleVersion: a.Version, Section: s.Name, Title: s.Title, Text: s.Body},
		Style:   style, Language: lang, GuildID: r.GuildID, UserID: r.User.ID,
	}
	key, cached, ok, err := f.cfg.Rewrites.Cached(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("finding the reported rephrasing: %w", err)
	}
	if !ok {
		return nil, errGone
	}
	if f.again(r.User.ID, key, f.clock.Now()) {
		return &bot.Reply{Content: "Thanks, you have reported this rephrasing already.", Private: true}, nil
	}
	note := strings.TrimSpace(r.Option(NoteField))
	if bot.Len(note) > maxNote {
		note = bot.Clip(note, maxNote)
	}
	stored, err := f.cfg.Store.AddReport(ctx, Report{
		Key: key, ArticleID: a.ID, ArticleVersion: a.Version, Section: s.Name,
		Style: string(style), Language: lang.Code, Model: cached.Model, Text: cached.Text,
	}, note, f.clock.Now(), AutoDrop)
	if err != nil {
		return nil, fmt.Errorf("storing a report: %w", err)
	}
	f.log.InfoContext(ctx, "rephrasing reported", "report", stored.ID, "count", stored.Count, "article", a.ID, "section", s.Name,
		"style", string(style), "lang", lang.Code, "model", cached.Model, "dropped", !stored.Purged.IsZero())
	msg := "Thanks for the report. An editor will look at this rephrasing."
	if !stored.Purged.IsZero() {
		msg = "Thanks for the report. Readers have reported this rephrasing several times, so it is withdrawn: the next reader gets a fresh one."
	}
	return &bot.Reply{Content: msg, Private: true}, nil
}

// ErrNotFound is what PurgeReport returns, wrapped, for an unknown report.
var ErrNotFound = errors.New("no such report")
