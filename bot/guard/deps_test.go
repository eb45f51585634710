package guard_test

import (
	"go/build"
	"strings"
	"testing"
)

// TestPureLeaf fails when the guard imports a package of the project: it
// takes two strings and options and must stay usable on its own.
func TestPureLeaf(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.GoFiles) == 0 {
		t.Fatal("no Go files found; the test would check nothing")
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/briefbot/") {
			t.Errorf("package guard imports %s; it must import nothing of the project", imp)
		}
	}
}
