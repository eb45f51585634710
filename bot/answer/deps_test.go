package answer_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeaf fails when package answer imports anything of the project: it
// is a leaf that takes values and returns values.
func TestLeaf(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; the leaf guard needs go list")
	}
	const self = "github.com/briefbot/briefbot/bot/answer"
	out, err := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}}", self).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/briefbot/briefbot") && dep != self {
			t.Errorf("package answer imports %s: it must stay a leaf", dep)
		}
	}
}
