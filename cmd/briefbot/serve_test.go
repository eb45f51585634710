package main

import (
	"bufio"
	"context"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
	"github.com/briefbot/briefbot/bot/openai/openaitest"
)

// servingBot is `briefbot serve` in-process, on loopback addresses of its
// own.
type servingBot struct {
	*botProcess
	name    string
	url     string // the interactions endpoint
	metrics string // the base of /metrics, /livez and /readyz
	logs    *watchedLog
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `briefbot serve` with vars and args until the test ends
// or stop is called, and waits until it listens. The fake's interactions
// endpoint is the test's to point at it.
func startServe(t testing.TB, name string, fake *discordtest.Server, vars map[string]string, args []string, tweaks ...func(*env)) *servingBot {
	t.Helper()
	httpAddr, metricsAddr := freeAddr(t), freeAddr(t)
	vars = maps.Clone(vars)
	vars["BRIEFBOT_HTTP_ADDR"], vars["BRIEFBOT_METRICS_ADDR"], vars["DISCORD_PUBLIC_KEY"] = httpAddr, metricsAddr, fake.PublicKey()
	logs := &watchedLog{}
	e := env{
		getenv: func(k string) string { return vars[k] },
		stdin:  strings.NewReader(""), stdout: &lockedWriter{w: &strings.Builder{}}, stderr: logs,
	}
	for _, tweak := range tweaks {
		tweak(&e)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), e) }()
	var once sync.Once
	code := 0
	s := &servingBot{
		botProcess: &botProcess{stop: func() int {
			once.Do(func() { cancel(); code = <-done })
			return code
		}},
		name: name, url: "http://" + httpAddr + "/interactions", metrics: "http://" + metricsAddr, logs: logs,
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("logs of %s:\n%s", name, logs)
		}
	})
	deadline := time.Now().Add(watchdog)
	for {
		if status, _ := s.get(t, "/livez"); status == http.StatusOK {
			return s
		}
		select {
		case c := <-done:
			done <- c
			t.Fatalf("%s exited with %d before listening:\n%s", name, c, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not listening after %v", name, watchdog)
		}
		time.Sleep(5 * time.Millisecond) // starting up: look again soon
	}
}

// get fetches a path of the metrics address; status 0 if it does not
// answer.
func (s *servingBot) get(t testing.TB, path string) (int, string) {
	resp, err := http.Get(s.metrics + path)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// scrape is one reading of /metrics: each series, as
// name{label="value",…}, and its value.
type scrape map[string]float64

func (s *servingBot) scrape(t testing.TB) scrape {
	t.Helper()
	status, body := s.get(t, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics: %d", status)
	}
	out := scrape{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// sum adds up the series of a metric that have every label given, as
// "key=value"; ok is false if there is none.
func (m scrape) sum(name string, labels ...string) (total float64, ok bool) {
	for series, v := range m {
		n, rest, _ := strings.Cut(series, "{")
		if n != name {
			continue
		}
		match := true
		for _, l := range labels {
			k, val, _ := strings.Cut(l, "=")
			if !strings.Contains(","+rest, ","+k+`="`+val+`"`) {
				match = false
			}
		}
		if match {
			total, ok = total+v, true
		}
	}
	return total, ok
}

// TestServeEndToEnd runs briefbot serve, with a gateway for DMs, a model
// and metrics, behind the fake Discord's interactions endpoint, and
// checks that every metric is there afterwards with the values the run
// made: so many commands, clicks, autocompletes, questions refused (one
// by the message command), a DM answered after a 429, a rephrasing and
// its cache hit, a digest posted at its slot.
func TestServeEndToEnd(t *testing.T) {
	steps := newClockSteps(t, monday)
	fake := discordtest.New(t, discordtest.WithClock(steps.clk.Now))
	vars := llmVars(t, fake, openaitest.NewServer(t, openaitest.Text(simpleEnergy)))
	vars["BRIEFBOT_LOG_LEVEL"] = "info"
	s := startServe(t, "serve", fake, vars, []string{"--gateway", "dm"}, func(e *env) { e.clock = steps.clk })
	ctx, cancel := context.WithTimeout(context.Background(), watchdog)
	defer cancel()
	if err := fake.SetInteractionsEndpoint(ctx, s.url); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitFrame(ctx, discordtest.SentDispatch("READY")); err != nil {
		t.Fatal(err)
	}
	ch := fake.Channel().ID

	const summaries = 3
	for range summaries {
		if got := ask(t, fake, discordtest.Command{Name: "summary"}); got.Title == "" {
			t.Fatalf("summary: %+v", got)
		}
	}
	if got := ask(t, fake, discordtest.Command{Name: "weather"}); !got.Private {
		t.Errorf("an unknown command: %+v", got)
	}
	for _, typed := range []string{"put", "zzz"} {
		i := fake.DispatchAutocomplete(discordtest.Command{Name: "energy", Options: []discordtest.CommandOption{{Name: "article", Value: typed, Focused: true}}})
		if cb, err := fake.WaitCallback(ctx, i.ID); err != nil || cb.Type != discordtest.CallbackAutocomplete {
			t.Fatalf("autocomplete: %+v %v", cb, err)
		}
	}
	// Questions the article does not answer, refused and logged: one
	// asked with /ask, one picked with the message command, whose answer
	// only the member who asked sees.
	const oilPrice = "whats the oil price today"
	if got := ask(t, fake, discordtest.Command{Name: "ask", Options: []discordtest.CommandOption{{Name: "question", Value: oilPrice}}}); !strings.HasPrefix(got.Body, "**The article doesn't say.**") {
		t.Fatalf("a refused question: %+v", got)
	}
	mc := fake.DispatchMessageCommand(discordtest.MessageCommand{Name: "Answer from the article", Content: oilPrice})
	if cb, err := fake.WaitCallback(ctx, mc.ID); err != nil || cb.Flags&discordtest.FlagEphemeral == 0 || !strings.Contains(string(cb.Data), "The article doesn't say.") {
		t.Fatalf("the message command: %+v %v", cb, err)
	}
	click := fake.DispatchComponent(discordtest.Component{CustomID: "v1:sec:putin-maduro-2025:quotes:0"})
	if cb, err := fake.WaitCallback(ctx, click.ID); err != nil || cb.Type != discordtest.CallbackUpdateMessage {
		t.Fatalf("click: %+v %v", cb, err)
	}
	// A rephrasing, edited in; then the same, from the cache.
	for n := range 2 {
		i := fake.DispatchCommand(styled("energy", "simple"))
		if _, err := fake.WaitCallback(ctx, i.ID); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			if _, err := fake.WaitOriginal(ctx, i.ID, func(m discordtest.Message) bool { return m.Edits > 0 }); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A DM, answered on the gateway after a 429.
	dm := fake.DMChannel(fake.Human().ID)
	fake.Inject(discordtest.RateLimit("POST", "/channels/"+dm+"/messages", 10*time.Millisecond, false))
	fake.DispatchMessage(discordtest.Incoming{ChannelID: dm, Content: "energy"})
	if _, err := fake.WaitRequest(ctx, func(r discordtest.Request) bool {
		return r.Path == "/channels/"+dm+"/messages" && r.Status == http.StatusOK
	}); err != nil {
		t.Fatal(err)
	}
	// A digest at its slot.
	if got := ask(t, fake, digestCommand(admin(fake, ch), "subscribe", "time", "08:00")); !strings.HasPrefix(got.Content, "Digest 1 set up") {
		t.Fatalf("subscribe: %q", got.Content)
	}
	steps.at(monday.Add(time.Hour), "the digest", s.logs.has(logPosted, 1))

	m := s.scrape(t)
	commands := 0
	for _, d := range fake.Deliveries() {
		if in, _ := fake.Interaction(d.InteractionID); in.Type == discordtest.InteractionCommand {
			commands++
		}
	}
	for _, tt := range []struct {
		name   string
		labels []string
		want   float64 // -1: present, any value
	}{
		{"briefbot_interactions_total", []string{"type=command", "command=summary", "outcome=answered"}, summaries},
		{"briefbot_interactions_total", []string{"command=summary"}, summaries},
		{"briefbot_interactions_total", []string{"type=command"}, float64(commands)},
		{"briefbot_interactions_total", []string{"type=command", "command=other", "outcome=user_error"}, 1},
		{"briefbot_interactions_total", []string{"type=autocomplete", "command=energy", "outcome=answered"}, 2},
		{"briefbot_interactions_total", []string{"type=component", "command=sec", "outcome=answered"}, 1},
		{"briefbot_interactions_total", []string{"type=command", "command=digest", "outcome=answered"}, 1},
		{"briefbot_interaction_first_response_seconds_count", []string{"type=command", "command=summary"}, summaries},
		{"briefbot_interaction_first_response_seconds_count", nil, float64(len(fake.Deliveries()))},
		{"briefbot_answers_refused_total", nil, 2},
		{"briefbot_answers_refused_total", []string{"reason=not-covered"}, 2},
		{"briefbot_interactions_total", []string{"type=command", "command=ask", "outcome=answered"}, 1},
		{"briefbot_interactions_total", []string{"type=command", "command=Answer from the article", "outcome=answered"}, 1},
		{"briefbot_rephrasings_total", []string{"outcome=model"}, 1},
		{"briefbot_rephrasings_total", []string{"outcome=cache_hit"}, 1},
		{"briefbot_rephrasings_total", []string{"outcome=guard_refused"}, 0},
		{"briefbot_rephrasing_tokens_total", nil, -1},
		{"briefbot_digests_total", []string{"outcome=posted"}, 1},
		{"briefbot_digests_total", []string{"outcome=paused"}, 0},
		{"briefbot_digest_lag_seconds_count", nil, 1},
		{"briefbot_discord_requests_total", []string{"route=POST /channels/{id}/messages", "status=200"}, 3}, // notice, DM, digest
		{"briefbot_discord_requests_total", []string{"route=POST /channels/{id}/messages", "status=429"}, 1},
		{"briefbot_discord_requests_total", []string{"route=PATCH /webhooks/{id}/{token}/messages/@original", "status=200"}, 1},
		{"briefbot_discord_rate_limits_total", []string{"route=POST /channels/{id}/messages", "global=false"}, 1},
		{"briefbot_gateway_connected", []string{"shard=0"}, 1},
		{"briefbot_gateway_resumes_total", []string{"shard=0"}, 0},
		{"briefbot_gateway_reconnects_total", []string{"shard=0"}, 0},
		{"briefbot_gateway_heartbeat_latency_seconds", []string{"shard=0"}, -1},
		{"briefbot_store_query_seconds_count", []string{"op=CreateSubscription"}, 1},
		{"briefbot_store_query_seconds_count", []string{"op=FinishSlot"}, 1},
		{"briefbot_store_query_seconds_count", []string{"op=DueSubscriptions"}, -1},
		{"briefbot_store_query_seconds_count", []string{"op=RecordQuestion"}, 2},
		{"process_resident_memory_bytes", nil, -1},
	} {
		got, ok := m.sum(tt.name, tt.labels...)
		if !ok || tt.want >= 0 && got != tt.want {
			t.Errorf("%s%v = %v (present %v), want %v", tt.name, tt.labels, got, ok, tt.want)
		}
	}
	if tokens, _ := m.sum("briefbot_rephrasing_tokens_total"); tokens <= 0 {
		t.Errorf("%v tokens spent on a rephrasing", tokens)
	}
	for series := range m {
		if strings.Contains(series, fake.Human().ID) || strings.Contains(series, ch) || strings.Contains(series, "token-") {
			t.Errorf("a series names a user, a channel or a token: %s", series)
		}
	}
}

// /readyz is 503 until the gateway has READY, 503 again when it drops,
// and 200 once it has resumed; /livez is 200 throughout.
func TestServeReadiness(t *testing.T) {
	fake := discordtest.New(t)
	release := fake.HoldConnections()
	s := startServe(t, "serve", fake, digestVars(t, fake), []string{"--gateway", "dm"})
	ctx, cancel := context.WithTimeout(context.Background(), watchdog)
	defer cancel()
	ready := func(want int, says string) {
		t.Helper()
		deadline := time.Now().Add(watchdog)
		for {
			status, body := s.get(t, "/readyz")
			if status == want && strings.Contains(body, says) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz %d %q, want %d with %q", status, body, want, says)
			}
			time.Sleep(5 * time.Millisecond) // the gateway is on its way: look again soon
		}
	}
	ready(503, "not ready: gateway: shard 0 is not connected to Discord")
	if status, body := s.get(t, "/livez"); status != 200 || body != "ok: briefbot is running\n" {
		t.Errorf("/livez %d %q", status, body)
	}
	release()
	ready(200, "ready")

	release = fake.HoldConnections()
	mark := fake.Mark()
	fake.DropConnections()
	ready(503, "not ready: gateway: shard 0 is not connected")
	release()
	if _, err := fake.WaitFrame(ctx, discordtest.After(mark, discordtest.SentDispatch("RESUMED"))); err != nil {
		t.Fatal(err)
	}
	ready(200, "ready")
	m := s.scrape(t)
	if n, _ := m.sum("briefbot_gateway_resumes_total", "shard=0"); n != 1 {
		t.Errorf("%v resumes, want 1", n)
	}
	if n, _ := m.sum("briefbot_gateway_reconnects_total", "shard=0"); n < 1 {
		t.Errorf("%v reconnects, want at least 1", n)
	}
}

// TestServeReloads changes the content under briefbot serve, which has no
// gateway to register the commands: the next answer over HTTP has the new
// text, the replica registers the commands again when, and only when,
// they change, and the metrics count a command that was not there at
// start under its own name.
func TestServeReloads(t *testing.T) {
	fake := discordtest.New(t)
	dir := copyDir(t, filepath.Join("..", "..", "content", "testdata", "several"))
	hup := make(chan os.Signal, 1)
	s := startServe(t, "serve", fake, digestVars(t, fake), []string{"--content", dir}, func(e *env) { e.hup = hup })
	ctx, cancel := context.WithTimeout(context.Background(), watchdog)
	defer cancel()
	if err := fake.SetInteractionsEndpoint(ctx, s.url); err != nil {
		t.Fatal(err)
	}
	registrations := func() int {
		n := 0
		for _, r := range fake.Requests() {
			if r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/commands") {
				n++
			}
		}
		return n
	}
	reloaded := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(watchdog); s.logs.count(`msg="reloaded content"`) < n; {
			if time.Now().After(deadline) {
				t.Fatalf("no reload %d:\n%s", n, s.logs)
			}
			time.Sleep(5 * time.Millisecond) // the watcher settles, then reloads: look again soon
		}
	}
	answers := func(name, want string) {
		t.Helper()
		if got := ask(t, fake, discordtest.Command{Origin: discordtest.Origin{GuildID: fake.Guild().ID}, Name: name}); !strings.Contains(got.Body, want) {
			t.Fatalf("/%s: %+v, want %q", name, got, want)
		}
	}
	answers("summary", "voted **31 to 14**")
	if n := registrations(); n != 1 {
		t.Fatalf("%d registrations at start", n)
	}

	// A change of text: the next answer has it; the commands are the same.
	edit(t, filepath.Join(dir, "a-tram.md"), "voted **31 to 14** on Tuesday", "voted **31 to 14** on Tuesday evening")
	reloaded(1)
	answers("summary", "on Tuesday evening")
	if n := registrations(); n != 1 {
		t.Errorf("%d registrations after a change of text; the commands did not change", n)
	}

	// A change of a command: registered again, once.
	edit(t, filepath.Join(dir, "c-library.md"), "description: Two thousand new books and a room for children", "description: Two thousand new books, and a reading room for children")
	reloaded(2)
	if n := registrations(); n != 2 {
		t.Errorf("%d registrations after a command changed, want 2", n)
	}
	var described bool
	for _, c := range fake.Commands("") {
		described = described || c.Name == "books" && strings.Contains(string(c.Raw), "and a reading room")
	}
	if !described {
		t.Error("Discord does not have the new description of /books")
	}

	// A new section is a new command, answered and counted by its name.
	edit(t, filepath.Join(dir, "c-library.md"), "## hours:", "## wing: When the new wing opens\ndescription: The new wing opens in the spring\nkeywords: wing, spring\n\nThe new wing opens in the spring.\n\n## hours:")
	reloaded(3)
	if n := registrations(); n != 3 {
		t.Errorf("%d registrations after a section was added, want 3", n)
	}
	answers("wing", "opens in the spring")
	if n, _ := s.scrape(t).sum("briefbot_interactions_total", "command=wing", "outcome=answered"); n != 1 {
		t.Errorf("/wing counted %v times under its name, want 1", n)
	}

	// SIGHUP reads the content again; nothing changed, nothing registered.
	hup <- syscall.SIGHUP
	for deadline := time.Now().Add(watchdog); s.logs.count(`msg="content unchanged"`) < 1; {
		if time.Now().After(deadline) {
			t.Fatalf("SIGHUP did not reload:\n%s", s.logs)
		}
		time.Sleep(5 * time.Millisecond) // the reload is on its way: look again soon
	}
	if n := registrations(); n != 3 {
		t.Errorf("%d registrations after SIGHUP, want 3", n)
	}
	if code := s.stop(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}
