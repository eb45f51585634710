package metrics

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// A Check is one thing readiness needs, such as "store": Test returns nil
// while it holds, else why not, in a line.
type Check struct {
	Name string
	Test func(ctx context.Context) error
}

// checkTimeout bounds each readiness check: a probe that hangs is a
// failure, not a hung probe.
const checkTimeout = 2 * time.Second

// Handler serves the operator's endpoints: /metrics in Prometheus's text
// format; /livez, 200 while the process runs; and /readyz, 200 when every
// check holds, else 503 with the first that fails, each with a one-line
// reason.
func (m *Metrics) Handler(checks ...Check) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		line(w, http.StatusOK, "ok: briefbot is running")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := Ready(r.Context(), checks...); err != nil {
			line(w, http.StatusServiceUnavailable, "not ready: "+err.Error())
			return
		}
		line(w, http.StatusOK, "ready")
	})
	return mux
}

// Ready runs the checks in order and returns the first failure, naming
// its check.
func Ready(ctx context.Context, checks ...Check) error {
	for _, c := range checks {
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		err := c.Test(ctx)
		cancel()
		if err != nil {
			return fmt.Errorf("%s: %v", c.Name, err)
		}
	}
	return nil
}

func line(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}
