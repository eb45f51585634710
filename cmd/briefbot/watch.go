package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/fsnotify/fsnotify"
)

// settleDelay is how long the folders must stay quiet after a change
// before it is read: an editor's save is often several events (a temporary
// file written, renamed over the old one), and a copy of many files more.
const settleDelay = 150 * time.Millisecond

// watched is a folder to watch and the files in it that count.
type watched struct {
	dir string
	ext string // ".md", ".tmpl"
}

// watch calls changed whenever a file that counts in one of the folders
// is written, created, removed or renamed, once the folders have settled,
// and whenever hup delivers a signal, with why. It returns when ctx ends,
// or at once, with an error, if a folder cannot be watched. Temporary
// files editors write beside the real ones (.swp, ~, .tmp) are not files
// that count, so they wake nobody.
func watch(ctx context.Context, log *slog.Logger, clock bot.Clock, dirs []watched, hup <-chan os.Signal, changed func(why string)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching the content folder: %w", err)
	}
	defer w.Close()
	for _, d := range dirs {
		if err := w.Add(d.dir); err != nil {
			return fmt.Errorf("watching %s: %w", d.dir, err)
		}
	}
	counts := func(ev fsnotify.Event) bool {
		if ev.Op == fsnotify.Chmod {
			return false
		}
		for _, d := range dirs {
			if filepath.Clean(filepath.Dir(ev.Name)) == filepath.Clean(d.dir) && strings.HasSuffix(ev.Name, d.ext) && !strings.HasPrefix(filepath.Base(ev.Name), ".") {
				return true
			}
		}
		return false
	}
	var settle bot.Timer
	var settled <-chan time.Time
	var first string // the first file changed since the last reload
	defer func() {
		if settle != nil {
			settle.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if !counts(ev) {
				continue
			}
			if first == "" {
				first = ev.Name
			}
			if settle != nil {
				settle.Stop()
			}
			settle = clock.NewTimer(settleDelay)
			settled = settle.C()
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			log.Warn("watching the content folder", "err", err)
		case <-settled:
			settle, settled = nil, nil
			changed(first + " changed")
			first = ""
		case <-hup:
			changed("SIGHUP")
		}
	}
}
