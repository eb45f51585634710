package draft_test

import (
	"go/build"
	"strings"
	"testing"
)

// TestPureLeaf fails when draft imports a package of the project: it
// takes an article's text and returns a content file's, and the command
// that writes it is what knows the rest.
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
			t.Errorf("package draft imports %s; it must import nothing of the project", imp)
		}
	}
}
