package bot_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/briefbot/briefbot"

// forbidden are the technologies the core must not know: they belong to the
// adapters around it.
var forbidden = []string{
	"github.com/bwmarrin/discordgo",
	"github.com/gorilla/websocket",
	"github.com/sashabaranov/go-openai",
	"database/sql",
	"modernc.org/sqlite",
	"github.com/jackc/pgx",
	"net/http",
	"github.com/prometheus/client_golang",
}

// The packages of the project, by role.
var (
	// leaves compute from values and import nothing of the project.
	leaves = []string{"bot/answer", "bot/backoff", "bot/draft", "bot/guard", "bot/schedule"}
	// features build on the core and the leaves; none may know an adapter.
	features = append([]string{"bot/ask", "bot/digest", "bot/report", "bot/rewrite"}, leaves...)
	// adapters talk to the world: Discord, the terminal, a language
	// model, a database, the operator's metrics. None may know another,
	// but for the SQL the two stores share.
	adapters = []string{"bot/discord", "bot/console", "bot/openai", "bot/sqlite", "bot/postgres", "bot/internal/sqlstore", "bot/preview", "bot/metrics"}
	shared   = map[string][]string{"bot/sqlite": {"bot/internal/sqlstore"}, "bot/postgres": {"bot/internal/sqlstore"}}
)

// deps returns, for every package of the module, the packages it depends
// on, directly or not (tests aside).
func deps(t *testing.T) map[string][]string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; the dependency guard needs go list")
	}
	out, err := exec.Command(gobin, "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	m := make(map[string][]string)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		m[f[0]] = f[1:]
	}
	if len(m[module+"/bot"]) < 10 {
		t.Fatalf("go list found only %v for bot; the guard would check nothing", m[module+"/bot"])
	}
	return m
}

// within reports whether pkg is dir of the module or below it.
func within(pkg, dir string) bool {
	p := module + "/" + dir
	return pkg == p || strings.HasPrefix(pkg, p+"/")
}

// TestDependencies fails when package bot, directly or through anything it
// imports, depends on Discord, an LLM client, SQL or HTTP, or on any of
// the project's features or adapters.
func TestDependencies(t *testing.T) {
	for _, dep := range deps(t)[module+"/bot"] {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("package bot depends on %s: the core must not know %s; move that code to an adapter", dep, f)
			}
		}
		for _, p := range append(features, adapters...) {
			if within(dep, p) {
				t.Errorf("package bot depends on %s: the core must not know its features or adapters; define what it needs as an interface in bot, and wire it in cmd/briefbot", dep)
			}
		}
	}
}

// TestFeatureDependencies fails when a feature depends on an adapter, or a
// leaf on anything of the project.
func TestFeatureDependencies(t *testing.T) {
	all := deps(t)
	for _, feature := range features {
		list, ok := all[module+"/"+feature]
		if !ok {
			t.Errorf("there is no package %s", feature)
		}
		for _, dep := range list {
			for _, a := range adapters {
				if within(dep, a) {
					t.Errorf("%s depends on the adapter %s: a feature defines the interfaces it needs, and cmd/briefbot wires the adapters in", feature, dep)
				}
			}
		}
	}
	// Metrics are an adapter's business: a feature tells an observer.
	for _, feature := range features {
		for _, dep := range all[module+"/"+feature] {
			if strings.HasPrefix(dep, "github.com/prometheus/") {
				t.Errorf("%s depends on %s: define an observer interface where the event happens, and let bot/metrics implement it", feature, dep)
			}
		}
	}
	// bot/metrics hears plain values and imports nothing of the project.
	for _, dep := range all[module+"/bot/metrics"] {
		if strings.HasPrefix(dep, module+"/") {
			t.Errorf("bot/metrics depends on %s: it implements the observers with plain values and imports nothing of the project", dep)
		}
	}
	for _, leaf := range leaves {
		for _, dep := range all[module+"/"+leaf] {
			if strings.HasPrefix(dep, module+"/") {
				t.Errorf("%s depends on %s: it is a leaf, and imports nothing of the project", leaf, dep)
			}
		}
	}
}

// TestAdapterDependencies fails when an adapter depends on another: each
// talks to its own part of the world, and cmd/briefbot wires them together.
func TestAdapterDependencies(t *testing.T) {
	all := deps(t)
	for _, a := range adapters {
		list, ok := all[module+"/"+a]
		if !ok {
			t.Errorf("there is no package %s", a)
		}
		for _, dep := range list {
			for _, other := range adapters {
				if other == a || within(dep, a) || slices.Contains(shared[a], other) {
					continue
				}
				if within(dep, other) {
					t.Errorf("the adapter %s depends on the adapter %s: adapters do not know each other; define the interface where it is used and wire it in cmd/briefbot", a, dep)
				}
			}
		}
	}
}
