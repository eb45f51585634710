package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discord/discordtest"
)

// The load generator: BenchmarkServeLoad posts signed slash commands to
// `briefbot serve`, a separate process held to one core with GOMAXPROCS=1,
// over keep-alive connections, and measures the requests per second it
// answers, next to what that core does with the same signatures alone
// (Ed25519 verifications per second) and with a bare net/http handler
// that verifies and echoes the JSON. Run it on its own, on Linux with
// taskset:
//
//	go test -run '^$' -bench ServeLoad -benchtime 1x ./cmd/briefbot
//
// It reports req/s, verify/s and their ratio, the bare handler's, the
// latency percentiles at loadConns connections, and serve's resident
// memory idle and after the requests.

const (
	loadConns    = 8       // concurrent keep-alive connections
	loadRequests = 100_000 // requests per run
	serveCore    = "1"     // the core serve (and the baselines) run on
	loadCore     = "0"     // the load generator's
)

func BenchmarkServeLoad(b *testing.B) {
	if _, err := exec.LookPath("taskset"); err != nil {
		b.Skip("needs taskset to hold the server to one core")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	// The generator keeps to the other core.
	if out, err := exec.Command("taskset", "-cp", loadCore, strconv.Itoa(os.Getpid())).CombinedOutput(); err != nil {
		b.Fatalf("taskset: %v %s", err, out)
	}
	bin := filepath.Join(b.TempDir(), "briefbot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	fake := discordtest.New(b)
	reqs := signedCommands(b, fake, 4096)

	for range b.N {
		// The core's verification rate, just before and just after each
		// run it is compared with: the machine is shared, and what else
		// runs on the core changes what it does.
		around := func(run func() loadResult) (loadResult, float64) {
			before := verifyRate(b, fake)
			r := run()
			return r, (before + verifyRate(b, fake)) / 2
		}

		// The bare handler: verify and echo, on the same core.
		bareRun, bareVerifies := around(func() loadResult {
			addr := freeAddr(b)
			bare := helper(b, "bare", addr, fake)
			var bareOut bytes.Buffer
			bare.Stdout, bare.Stderr = &bareOut, &bareOut
			if err := bare.Start(); err != nil {
				b.Fatal(err)
			}
			defer func() { bare.Process.Kill(); bare.Wait() }()
			waitListening(b, addr)
			return load(b, "http://"+addr+"/interactions", reqs)
		})
		b.ReportMetric(bareRun.rps, "bare-req/s")
		b.ReportMetric(bareRun.rps/bareVerifies, "bare/verify")

		// briefbot serve.
		addr := freeAddr(b)
		serve := exec.Command("taskset", "-c", serveCore, bin, "serve")
		serve.Env = append(os.Environ(), "GOMAXPROCS=1", "DISCORD_TOKEN="+fake.Token(), "BRIEFBOT_DISCORD_URL="+fake.URL(),
			"DISCORD_PUBLIC_KEY="+fake.PublicKey(), "BRIEFBOT_HTTP_ADDR="+addr, "BRIEFBOT_LOG_LEVEL=warn",
			"BRIEFBOT_DB="+filepath.Join(b.TempDir(), "briefbot.db"))
		var stderr bytes.Buffer
		serve.Stderr = &stderr
		if err := serve.Start(); err != nil {
			b.Fatal(err)
		}
		waitListening(b, addr)
		time.Sleep(2 * time.Second) // let start-up garbage be collected: idle means idle
		idle := rssMB(b, serve.Process.Pid)
		run, verifies := around(func() loadResult { return load(b, "http://"+addr+"/interactions", reqs) })
		after := rssMB(b, serve.Process.Pid)
		serve.Process.Signal(os.Interrupt)
		serve.Wait()
		if run.failed > 0 {
			b.Errorf("%d of %d requests failed; serve's log:\n%s", run.failed, loadRequests, stderr.String())
		}
		b.ReportMetric(verifies, "verify/s")
		b.ReportMetric(run.rps, "req/s")
		b.ReportMetric(run.rps/verifies, "serve/verify")
		b.ReportMetric(run.p50, "p50-ms")
		b.ReportMetric(run.p99, "p99-ms")
		b.ReportMetric(run.max, "max-ms")
		b.ReportMetric(idle, "idle-RSS-MB")
		b.ReportMetric(after, "RSS-MB-after")
		b.Logf("serve: %.0f req/s = %.2f of %.0f verifications/s (bare handler %.0f req/s = %.2f of %.0f); p50 %.2f ms, p99 %.2f ms at %d connections; RSS %.1f MB idle, %.1f MB after %d requests",
			run.rps, run.rps/verifies, verifies, bareRun.rps, bareRun.rps/bareVerifies, bareVerifies, run.p50, run.p99, loadConns, idle, after, loadRequests)
	}
}

// signedCommands returns n Discord-shaped /summary interactions, each
// with an id of its own, signed now with the application's key.
func signedCommands(b *testing.B, fake *discordtest.Server, n int) []loadRequest {
	raw, err := os.ReadFile("../../bot/discord/testdata/http/summary.json")
	if err != nil {
		b.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		b.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	out := make([]loadRequest, n)
	for i := range out {
		body := bytes.Replace(compact.Bytes(), []byte(`"id":"1191169500000000123"`), []byte(fmt.Sprintf(`"id":"%d"`, 1191169500000000123+i)), 1)
		out[i] = loadRequest{body: body, ts: ts, sig: fake.Sign(ts, body)}
	}
	return out
}

type loadRequest struct {
	body    []byte
	ts, sig string
}

type loadResult struct {
	rps, p50, p99, max float64
	failed             int
}

// load posts loadRequests requests over loadConns keep-alive connections,
// as fast as they are answered.
func load(b *testing.B, url string, reqs []loadRequest) loadResult {
	b.Helper()
	lat := make([]time.Duration, loadRequests)
	var failed int
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for c := range loadConns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
			defer client.CloseIdleConnections()
			for i := c; i < loadRequests; i += loadConns {
				r := reqs[i%len(reqs)]
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(r.body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Signature-Ed25519", r.sig)
				req.Header.Set("X-Signature-Timestamp", r.ts)
				t0 := time.Now()
				resp, err := client.Do(req)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(t0)
				if !ok {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return loadResult{
		rps: float64(loadRequests) / elapsed.Seconds(),
		p50: ms(lat[len(lat)/2]), p99: ms(lat[len(lat)*99/100]), max: ms(lat[len(lat)-1]),
		failed: failed,
	}
}

func waitListening(b *testing.B, addr string) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("nothing listens on %s", addr)
		}
		time.Sleep(10 * time.Millisecond) // starting up: look again soon
	}
}

// helper starts this test binary as TestLoadHelper in role, on the
// server's core with GOMAXPROCS=1.
func helper(b *testing.B, role, addr string, fake *discordtest.Server) *exec.Cmd {
	cmd := exec.Command("taskset", "-c", serveCore, os.Args[0], "-test.run=^TestLoadHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1", "BRIEFBOT_LOAD_HELPER="+role, "BRIEFBOT_LOAD_ADDR="+addr, "BRIEFBOT_LOAD_KEY="+fake.PublicKey())
	return cmd
}

// verifyRate is how many Ed25519 verifications of a signed interaction
// the server's core makes a second, measured there in a helper.
func verifyRate(b *testing.B, fake *discordtest.Server) float64 {
	req := signedCommands(b, fake, 1)[0]
	cmd := helper(b, "verify", "", fake)
	cmd.Env = append(cmd.Env, "BRIEFBOT_LOAD_BODY="+string(req.body), "BRIEFBOT_LOAD_TS="+req.ts, "BRIEFBOT_LOAD_SIG="+req.sig)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("verify helper: %v\n%s", err, out)
	}
	_, rest, ok := strings.Cut(string(out), "verifications/s: ")
	if !ok {
		b.Fatalf("verify helper said:\n%s", out)
	}
	rate, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
	if err != nil {
		b.Fatal(err)
	}
	return rate
}

// TestLoadHelper is BenchmarkServeLoad's other process; it skips unless
// started as one.
func TestLoadHelper(t *testing.T) {
	role := os.Getenv("BRIEFBOT_LOAD_HELPER")
	if role == "" {
		t.Skip("run by BenchmarkServeLoad")
	}
	key, err := hex.DecodeString(os.Getenv("BRIEFBOT_LOAD_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	switch role {
	case "verify":
		sig, _ := hex.DecodeString(os.Getenv("BRIEFBOT_LOAD_SIG"))
		msg := []byte(os.Getenv("BRIEFBOT_LOAD_TS") + os.Getenv("BRIEFBOT_LOAD_BODY"))
		n, start := 0, time.Now()
		for time.Since(start) < 3*time.Second {
			for range 100 {
				if !ed25519.Verify(key, msg, sig) {
					t.Fatal("the signature does not verify")
				}
			}
			n += 100
		}
		fmt.Printf("verifications/s: %.0f\n", float64(n)/time.Since(start).Seconds())
	case "bare":
		// What a bare net/http handler does: read, verify, decode, and
		// echo the JSON.
		http.ListenAndServe(os.Getenv("BRIEFBOT_LOAD_ADDR"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			sig, herr := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
			if err != nil || herr != nil || !ed25519.Verify(key, append([]byte(r.Header.Get("X-Signature-Timestamp")), body...), sig) {
				http.Error(w, "invalid request signature", http.StatusUnauthorized)
				return
			}
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				http.Error(w, "bad JSON", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(v)
		}))
	}
}
