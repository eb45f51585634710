package bot_test

import (
	"os/exec"
	"strings"
	"testing"
)

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
}

// TestDependencies fails when package bot, directly or through anything it
// imports, depends on Discord, an LLM client, SQL or HTTP.
func TestDependencies(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; the dependency guard needs go list")
	}
	out, err := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}}", "github.com/briefbot/briefbot/bot").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list found only %v; the guard would check nothing", deps)
	}
	for _, dep := range deps {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("package bot depends on %s: the core must not know %s; move that code to an adapter", dep, f)
			}
		}
	}
}
