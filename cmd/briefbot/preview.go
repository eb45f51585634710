package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/digest"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/preview"
	"github.com/briefbot/briefbot/content"
)

// runPreview serves the editor's preview of the content (--content, or
// the folder given, or the built-in articles) until interrupted, and
// refreshes it whenever a file changes or SIGHUP comes.
func runPreview(ctx context.Context, c *Config, log *slog.Logger, args []string, e env) int {
	switch len(args) {
	case 0:
	case 1:
		c.Content = args[0]
	default:
		fmt.Fprintln(e.stderr, "briefbot preview takes at most one folder of articles")
		return exitUsage
	}
	if c.Content != "" {
		if st, err := os.Stat(c.Content); err != nil || !st.IsDir() {
			fmt.Fprintf(e.stderr, "briefbot preview: content folder %q does not exist: give a folder of articles, or set --content\n", c.Content)
			return exitUsage
		}
	}
	srv := preview.NewServer(previewSnapshot(ctx, c, log), preview.Options{Accent: discord.EmbedColour, Logger: log})

	ln, err := net.Listen("tcp", c.PreviewAddr)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot preview: cannot listen on %s: %v (set --addr to another address, e.g. 127.0.0.1:8091)\n", c.PreviewAddr, err)
		return exitFailed
	}
	if !loopback(c.PreviewAddr) {
		log.Warn("the preview is served on an address other machines may reach: anyone who can connect sees the unpublished content; use --addr 127.0.0.1:8090 to keep it on this machine", "addr", ln.Addr().String())
	}
	where := c.Content
	if where == "" {
		where = "the built-in content"
	}
	fmt.Fprintf(e.stderr, "Previewing %s at http://%s/ — the page refreshes when a file changes. Ctrl-C stops it.\n", where, ln.Addr())

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	hup, stopHUP := e.hangups()
	defer stopHUP()
	watching := make(chan struct{})
	wctx, stopWatching := context.WithCancel(ctx)
	go func() {
		defer close(watching)
		update := func(why string) {
			snap := previewSnapshot(wctx, c, log)
			srv.Update(snap)
			log.Info("preview updated", "why", why, "problems", snap.Count)
		}
		if err := watch(wctx, log, e.now(), watchedFolders(c, true), hup, update); err != nil {
			log.Error("cannot watch for changes; send SIGHUP to refresh", "err", err)
			watch(wctx, log, e.now(), nil, hup, update)
		}
	}()

	var code int
	select {
	case <-ctx.Done():
	case err := <-served:
		log.Error("the preview stopped", "err", err)
		code = exitFailed
	}
	stopWatching()
	<-watching
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	hs.Shutdown(sctx) // event streams end with the server; they do not wait
	return code
}

// loopback reports whether addr is on this machine only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// previewSnapshot reads the content as it is now, problems and all, and
// has the core answer every command of it, as Discord would be answered.
func previewSnapshot(ctx context.Context, c *Config, log *slog.Logger) preview.Snapshot {
	var fsys fs.FS = content.Embedded()
	prefix := builtinPath
	if c.Content != "" {
		fsys, prefix = os.DirFS(c.Content), c.Content
	}
	in := preview.Input{Source: prefix, Files: map[string]string{}}
	draft, err := content.Inspect(fsys)
	if err != nil {
		in.Problems = append(in.Problems, preview.Problem{File: prefix, Message: err.Error()})
		return preview.Build(ctx, in)
	}
	for _, p := range draft.Problems {
		article, section := draft.Where(p)
		in.Problems = append(in.Problems, preview.Problem{File: path.Join(prefix, p.File), Line: p.Line, Message: p.Message, Article: article, Section: section})
	}
	if c.Prompts != "" {
		if _, err := loadPrompts(c); err != nil {
			for _, line := range promptProblems(c.Prompts, err) {
				in.Problems = append(in.Problems, preview.Problem{File: "prompts", Message: line})
			}
		}
	}
	if lib := draft.Library; lib != nil {
		quiet := slog.New(slog.DiscardHandler)
		b := assemble(lib, nil, quiet, nil)
		composer := digest.NewComposer(lib, nil)
		in.Handler, in.Library = b, lib
		in.Digest = func(ctx context.Context, id string) (*bot.Reply, error) {
			return composer.Digest(ctx, digest.Request{ArticleID: id})
		}
		for _, a := range lib.Articles() {
			in.Files[a.ID] = path.Join(prefix, draft.File(a.ID))
		}
	}
	return preview.Build(ctx, in)
}
