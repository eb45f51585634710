package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	seedArticle = filepath.Join("..", "..", "content", "testdata", "article.txt")
	tramArticle = filepath.Join("..", "..", "bot", "draft", "testdata", "tram.md")
)

// TestDraftValidates drafts the built-in article's source and a second,
// different story, and checks that each draft validates and is faithful
// to its article: what the editor starts from passes the same checks as
// what they finish with.
func TestDraftValidates(t *testing.T) {
	for _, tt := range []struct{ article, golden string }{
		{seedArticle, "putin-maduro.golden.md"},
		{tramArticle, "tram.golden.md"},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "story.md")
			code, stdout, stderr := testRun(t, nil, "", "draft", tt.article, "-o", out)
			if code != exitOK || stdout != "" || !strings.Contains(stderr, "Wrote "+out) {
				t.Fatalf("draft: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			code, stdout, stderr = testRun(t, nil, "", "validate", "--source", tt.article, out)
			if code != exitOK || !strings.Contains(stdout, out+" is valid and faithful to "+tt.article) {
				t.Errorf("validate --source: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}

			// On standard output, the draft is the package's, byte for byte.
			code, stdout, _ = testRun(t, nil, "", "draft", tt.article)
			want, err := os.ReadFile(filepath.Join("..", "..", "bot", "draft", "testdata", tt.golden))
			if err != nil {
				t.Fatal(err)
			}
			if code != exitOK || stdout != string(want) {
				t.Errorf("draft to standard output: exit %d, and it differs from the golden file %s", code, tt.golden)
			}
		})
	}
}

func TestDraftCommand(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "curated.md")
	if err := os.WriteFile(existing, []byte("curated text"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // substring of stdout
		stderr string // substring of stderr
	}{
		{name: "to stdout", args: []string{"draft", tramArticle}, stdout: "## vote: The vote\n"},
		{name: "from stdin", stdin: "# A headline of words\n\nSome text, per Reuters.", args: []string{"draft", "-"}, stdout: "  - Reuters\n"},
		{name: "notes", stdin: "It happened.", args: []string{"draft", "-"}, stdout: "published: YYYY-MM-DD", stderr: "briefbot draft: found no date: fill in published as YYYY-MM-DD"},
		{name: "no article", args: []string{"draft"}, code: exitUsage, stderr: "briefbot draft needs one article"},
		{name: "two articles", args: []string{"draft", tramArticle, seedArticle}, code: exitUsage, stderr: "briefbot draft needs one article"},
		{name: "missing", args: []string{"draft", "no-such-article.txt"}, code: exitFailed, stderr: "no-such-article.txt"},
		{name: "empty", stdin: "\n\n", args: []string{"draft", "-"}, code: exitFailed, stderr: "the article has no text to draft from"},
		{name: "keeps curated text", args: []string{"draft", tramArticle, "-o", existing}, code: exitFailed, stderr: "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := testRun(t, nil, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "curated text" {
		t.Errorf("draft -o overwrote a file: %q", b)
	}
}

// TestValidateSource runs the faithfulness check from the command line on
// a folder, on one file and on the built-in content.
func TestValidateSource(t *testing.T) {
	dir := t.TempDir()
	unfaithful := filepath.Join(dir, "story.md")
	file := "---\nid: story\ntitle: Putin meets Lavrov\ndateline: Moscow\npublished: 2025-05-07\nsources:\n  - Reuters\n---\n\n" +
		"## summary: The story\ndescription: What happened\nkeywords: one\n\nTrade rose 71% after talks on May 7, 2025.\n"
	if err := os.WriteFile(unfaithful, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	notArticle := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notArticle, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	invalid := filepath.Join("..", "..", "content", "testdata", "invalid", "builtin-clash", "a.md")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings of stdout
		stderr string
	}{
		{name: "built-in", args: []string{"validate", "--source", seedArticle}, stdout: []string{"the built-in content is valid and faithful to " + seedArticle + ": 1 article(s), 14 section(s)."}},
		{name: "file", args: []string{"validate", "--source", seedArticle, unfaithful}, code: exitFailed, stdout: []string{
			unfaithful + `:3: title: "Lavrov" is not in the source article; names must come from it`,
			unfaithful + `:14: section "summary": the figure "71%" is not in the source article`,
		}},
		{name: "folder", args: []string{"validate", "--source", seedArticle, dir}, code: exitFailed, stdout: []string{unfaithful + `:3: title: "Lavrov"`}},
		{name: "file without source", args: []string{"validate", unfaithful}, stdout: []string{unfaithful + " is valid: 1 article(s), 1 section(s)."}},
		{name: "invalid file", args: []string{"validate", invalid}, code: exitFailed, stdout: []string{invalid + `:17: section name "help" clashes with the built-in /help command`}},
		{name: "not an article", args: []string{"validate", notArticle}, code: exitFailed, stdout: []string{"is not an article file"}},
		{name: "missing source", args: []string{"validate", "--source", "no-such-article.txt"}, code: exitUsage, stderr: "no-such-article.txt"},
		{name: "missing file", args: []string{"validate", "--source", seedArticle, "no-such.md"}, code: exitFailed, stdout: []string{`"no-such.md" does not exist`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := testRun(t, nil, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
		})
	}
}
