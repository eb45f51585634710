package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/briefbot/briefbot/content"
)

// validateFaithful validates the articles in target — a folder, one
// article file, or the built-in content when it is empty — and, when
// source names the news article they brief, checks that the curated text
// is faithful to it. Every problem is printed as file:line: message.
func validateFaithful(source, target string, e env) int {
	fsys, prefix := content.Embedded(), builtinPath
	where := "the built-in content"
	if target != "" {
		st, err := os.Stat(target)
		switch {
		case err != nil:
			fmt.Fprintf(e.stdout, "%q does not exist: give a folder of articles or an article file\n", target)
			return exitFailed
		case st.IsDir():
			fsys, prefix = os.DirFS(target), target
		case filepath.Ext(target) != ".md":
			fmt.Fprintf(e.stdout, "%s is not an article file: articles are Markdown files ending in .md\n", target)
			return exitFailed
		default:
			prefix = filepath.Dir(target)
			fsys = oneFile{os.DirFS(prefix), filepath.Base(target)}
		}
		where = target
	}

	var problems content.Problems
	lib, err := content.Load(fsys)
	if !errors.As(err, &problems) && err != nil {
		fmt.Fprintf(e.stdout, "%s: %v\n", where, err)
		return exitFailed
	}
	if source != "" {
		text, err := os.ReadFile(source)
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot validate --source: %v\n", err)
			return exitUsage
		}
		problems = append(problems, content.CheckFaithful(string(text), fsys)...)
	}
	for _, p := range problems {
		p.File = path.Join(filepath.ToSlash(prefix), p.File)
		fmt.Fprintln(e.stdout, p)
	}
	if len(problems) > 0 {
		return exitFailed
	}
	sections := 0
	for _, a := range lib.Articles() {
		sections += len(a.Sections)
	}
	faithful := ""
	if source != "" {
		faithful = " and faithful to " + source
	}
	fmt.Fprintf(e.stdout, "%s is valid%s: %d article(s), %d section(s).\n", where, faithful, len(lib.Articles()), sections)
	return exitOK
}

// oneFile is a folder that shows only one of its files, so that one
// article is loaded as a folder of articles is.
type oneFile struct {
	fs.FS
	name string
}

func (o oneFile) ReadDir(dir string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.FS, dir)
	if err != nil || dir != "." {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() == o.name {
			return []fs.DirEntry{e}, nil
		}
	}
	return nil, nil
}

func (o oneFile) Open(name string) (fs.File, error) {
	if name != "." && name != o.name && !strings.HasPrefix(name, o.name+"/") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.FS.Open(name)
}
