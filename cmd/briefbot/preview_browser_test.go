package main

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser finds a Chromium to drive: $BRIEFBOT_CHROMIUM, or Debian's
// chromium package, or another build of Chrome on the PATH.
func browser() string {
	if p := os.Getenv("BRIEFBOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestPreviewBrowser opens briefbot preview in a real headless Chromium:
// every section renders, a problem of the content is shown at its
// section, and editing a file refreshes the page. It saves screenshots at
// desktop and phone width; with -screenshots, in testdata/preview for a
// person to look at.
var screenshots = flag.Bool("screenshots", false, "save the preview's screenshots in testdata/preview")

func TestPreviewBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; it runs without -short")
	}
	exe := browser()
	if exe == "" {
		t.Skip("no Chromium found: install Debian's chromium package (apt-get install chromium), or set BRIEFBOT_CHROMIUM to a Chrome or Chromium binary")
	}
	dir := copyDir(t, filepath.Join("..", "..", "content", "testdata", "several"))
	// A problem for the page to show beside /cost of riverton-harbour.
	edit(t, filepath.Join(dir, "b-harbour.md"), "keywords: cost, repairs, money\n", "keywords: cost, repairs, money\ncolour: blue\n")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	logs := newLogBuffer()
	done := make(chan int, 1)
	go func() {
		done <- run(runCtx, []string{"preview", "--addr", "127.0.0.1:0", dir}, env{
			getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: logs,
		})
	}()
	defer func() {
		stop()
		<-done
	}()
	logs.wait(t, ctx, "Previewing ", 1)
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(logs.String())

	actx, acancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	live := chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`, chromedp.WithPollingTimeout(30*time.Second))
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(url), live); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}

	// Every section of every article is there, each with its embed.
	type shown struct {
		Article, Section, Title, Footer string
		Height                          float64
	}
	sections, err := chromedp.Run(bctx, chromedp.Evaluate[[]shown](`[...document.querySelectorAll(".section")].map(s => ({
		Article: s.closest("section.article").dataset.article, Section: s.dataset.section,
		Title: (s.querySelector(".embed-title") || {}).textContent || "",
		Footer: (s.querySelector(".embed-footer") || {}).textContent || "",
		Height: s.querySelector(".embed") ? s.querySelector(".embed").getBoundingClientRect().height : 0}))`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"riverton-tram/summary": "The story in brief", "riverton-tram/cost": "What the tram costs", "riverton-tram/timeline": "Key dates",
		"riverton-harbour/summary": "The story in brief", "riverton-harbour/cost": "Paying for the repairs", "riverton-harbour/timeline": "Key dates",
		"riverton-library/books": "What is new on the shelves", "riverton-library/hours": "The new opening hours",
	}
	if len(sections) != len(want) {
		t.Errorf("the page shows %d sections, want %d: %+v", len(sections), len(want), sections)
	}
	for _, s := range sections {
		if title := want[s.Article+"/"+s.Section]; s.Title != title || s.Height < 40 || !strings.HasSuffix(s.Footer, " · "+title) {
			t.Errorf("%s /%s: title %q, footer %q, embed %.0f px high; want %q", s.Article, s.Section, s.Title, s.Footer, s.Height, title)
		}
	}
	// The title of a section of an article with an address links to it.
	link, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("#s--riverton-tram--cost .embed-title a").href`))
	if err != nil || link != "https://gazette.example/riverton/tram-line" {
		t.Errorf("the title links to %q (%v)", link, err)
	}

	// The problem is shown in its section's block, and nowhere else.
	problem, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".problems")].map(p => p.closest("[data-section]") ? p.closest("[data-section]").id + ": " + p.textContent : "elsewhere: " + p.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(problem) != 1 || !strings.HasPrefix(problem[0], "s--riverton-harbour--cost: ") || !strings.Contains(problem[0], `b-harbour.md:20 unknown section field "colour"`) {
		t.Errorf("problems shown: %q", problem)
	}

	// The screenshots under testdata are for a person to look at: a run
	// refreshes them only when asked, so that it leaves the tree clean.
	shots := t.TempDir()
	if *screenshots {
		shots = filepath.Join("testdata", "preview")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	shoot := func(name, target string) {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
			if _, err := chromedp.Evaluate[chromedp.Void](`document.querySelector("`+target+`").scrollIntoView(); window.scrollBy(0, -56)`)(ctx, tg); err != nil {
				return nil, err
			}
			return chromedp.CaptureScreenshot()(ctx, tg)
		}))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shoot("desktop-1280-about.png", "#a--riverton-tram--about")
	shoot("desktop-1280-problem.png", "#s--riverton-harbour--cost")
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if err != nil || overflow > 390 {
		t.Errorf("at 390 px the page is %.0f px wide: it scrolls sideways (%v)", overflow, err)
	}
	shoot("phone-390-about.png", "#a--riverton-tram--about")
	shoot("phone-390-problem.png", "#s--riverton-harbour--cost")
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	// Editing a file: the page reloads itself with the new text, and the
	// mended problem is gone.
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(dir, "a-tram.md"), "voted **31 to 14** on Tuesday", "voted **31 to 14** on Tuesday night")
	edit(t, filepath.Join(dir, "b-harbour.md"), "colour: blue\n", "")
	if !eventually(bctx, `!window.notReloaded && document.body.dataset.live === "1" && document.querySelector("#s--riverton-tram--summary .embed-desc").textContent.includes("on Tuesday night") && !document.querySelector(".problems")`) {
		t.Fatalf("the page did not refresh after the edit\n%s", logs.String())
	}
	status, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("status").textContent`))
	if err != nil || status != "valid" {
		t.Errorf("status %q after mending (%v)", status, err)
	}
}

// eventually reports whether expr becomes true in the page before ctx
// ends, evaluating it again while the page reloads.
func eventually(ctx context.Context, expr string) bool {
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}
